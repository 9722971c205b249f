// With Docker as the backend, Settings → Network names what the engine does differently: the test
// services' dockerd has no proxy, Berth's policy here has one, so the note says the engine goes to
// Docker Hub directly where Berth would use the proxy. (When both routes agree the general word
// stays: engineRouteDifference's rows in tst_engineproxy.)

#include "testservices.h"
#include "uitesthelpers.h"

#include "appservices.h"
#include "mainwindow.h"

#include "network/networkpolicy.h"
#include "store/imagebackend.h"

#include <QLabel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

class tst_EngineRouteNote final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        const QString socket = TestServices::instance().engineSocket(u"docker"_s);
        QVERIFY2(!socket.isEmpty(), "the test services started no dockerd");
        qputenv("DOCKER_HOST", (u"unix://"_s + socket).toUtf8());
    }
    void cleanup() { setNetworkPolicy(nullptr); }

    void saysWhenTheEngineGoesAnotherWay();
};

void tst_EngineRouteNote::saysWhenTheEngineGoesAnotherWay()
{
    AppSettings settings;
    settings.backend = BackendChoice::Docker;
    settings.hubUrl = QUrl(u"http://127.0.0.1:9"_s); // nothing there: no real Hub traffic
    AppServices services(settings);
    MainWindow window(&services);
    services.openBackend(BackendChoice::Docker);
    QTRY_VERIFY_WITH_TIMEOUT(services.backend() != nullptr, 30000);
    QCOMPARE(services.backend()->kind(), ImageBackend::Kind::Docker);

    auto policy = std::make_shared<NetworkPolicy>(*currentNetworkPolicy());
    policy->proxy = ProxyPolicy::manual({u"proxy.corp.example"_s, 3128, {}, {}, {}});
    setNetworkPolicy(policy);

    QDialog *dialog = window.openSettingsDialog();
    auto *note = child<QLabel>(dialog, u"engineProxyNote"_s);
    QTRY_VERIFY_WITH_TIMEOUT(note->text().contains(u"registry-1.docker.io"_s), 20000);
    QVERIFY2(note->text().contains(u"directly"_s), qPrintable(note->text()));
    QVERIFY2(note->text().contains(u"proxy.corp.example:3128"_s), qPrintable(note->text()));
    dialog->close();
}

QTEST_MAIN(tst_EngineRouteNote)
#include "tst_engineroutenote.moc"
