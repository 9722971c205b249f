// The Registries page (ui/registriespage) against the registries of the test services: adding
// one (with "allow plain HTTP", persisted in the settings and given to the registry client), its
// catalog, opening a repository from the catalog or by name, logging in and out (a session-only
// login, so no keychain is needed), and a registry that is down, said inline.

#include "../core/credentialtestenv.h"
#include "asynctest.h"
#include "testservices.h"

#include "inlinemessage.h"
#include "logindialog.h"
#include "registriesmodel.h"
#include "registriespage.h"

#include "credentials/credentialstore.h"
#include "registry/registryclient.h"

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 60000;

QString closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return {};
    const quint16 port = server.serverPort();
    server.close();
    return u"127.0.0.1:%1"_s.arg(port);
}

} // namespace

class tst_RegistriesPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void addPlainRegistryAndBrowseCatalog();
    void addIsValidatedAndPersisted();
    void openRepositoryByName_data();
    void openRepositoryByName();
    void logInAndOut();
    void registryDown();

private:
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<RegistriesModel> m_registries;
    std::unique_ptr<RegistriesPage> m_page;
};

void tst_RegistriesPage::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
}

void tst_RegistriesPage::init()
{
    QSettings().clear();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_credentials = std::make_unique<CredentialStore>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    RegistryTransportOptions options;
    options.retryBase = 10ms;
    m_client->transport().setOptions(options);
    m_client->setCredentialProvider(m_credentials.get());
    m_registries = std::make_unique<RegistriesModel>();
    m_page
        = std::make_unique<RegistriesPage>(m_registries.get(), m_client.get(), m_credentials.get());
    m_page->resize(900, 600);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void tst_RegistriesPage::cleanup()
{
    m_page.reset();
    m_registries.reset();
    m_client.reset();
    m_credentials.reset();
    m_network.reset();
}

void tst_RegistriesPage::addPlainRegistryAndBrowseCatalog()
{
    const QString host = TestServices::instance().registry(u"plain"_s).host;
    // Docker Hub has no catalog: the page says where to look instead.
    QCOMPARE(m_page->currentRegistry(), u"docker.io"_s);
    QVERIFY(m_page->catalogMessage()->text().contains(u"Explore"));
    QVERIFY(!m_page->refreshButton()->isEnabled());

    QTest::keyClicks(m_page->newRegistryEdit(), host);
    // A loopback registry may use plain HTTP: the box is ticked for the user.
    QVERIFY(m_page->plainHttpBox()->isChecked());
    QTest::mouseClick(m_page->addButton(), Qt::LeftButton);
    QVERIFY2(m_page->registryMessage()->text().isEmpty(),
             qPrintable(m_page->registryMessage()->text()));
    QCOMPARE(m_registries->find(host), 1);
    QVERIFY(m_registries->index(1, 0).data(RegistriesModel::InsecureRole).toBool());
    // The new registry is selected and its catalog listed.
    QCOMPARE(m_page->currentRegistry(), host);
    QCOMPARE(m_page->titleLabel()->text(), host);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY2(m_page->catalogMessage()->text().isEmpty(),
             qPrintable(m_page->catalogMessage()->text()));
    const QString busybox = host + u"/berth/busybox";
    QVERIFY2(m_page->catalog().contains(busybox), qPrintable(m_page->catalog().join(u", ")));
    QAbstractItemModel *shown = m_page->catalogView()->model();
    QModelIndexList found = shown->match(
        shown->index(0, 0), Qt::DisplayRole, u"berth/busybox"_s, 1, Qt::MatchExactly);
    QCOMPARE(found.size(), 1);

    // The filter narrows the list; activating a row opens that repository.
    QTest::keyClicks(m_page->catalogFilterEdit(), u"BUSY"_s);
    QVERIFY(shown->rowCount() >= 1);
    for (int row = 0; row < shown->rowCount(); ++row)
        QVERIFY(shown->index(row, 0).data().toString().contains(u"busy"));
    found = shown->match(
        shown->index(0, 0), Qt::DisplayRole, u"berth/busybox"_s, 1, Qt::MatchExactly);
    QCOMPARE(found.size(), 1);
    QSignalSpy requested(m_page.get(), &RegistriesPage::repositoryRequested);
    m_page->catalogView()->setCurrentIndex(found.first());
    QTest::keyClick(m_page->catalogView(), Qt::Key_Return);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), busybox);

    // Removing it goes back to Docker Hub; Docker Hub cannot be removed.
    QVERIFY(m_page->removeButton()->isEnabled());
    QTest::mouseClick(m_page->removeButton(), Qt::LeftButton);
    QCOMPARE(m_registries->find(host), -1);
    QCOMPARE(m_page->currentRegistry(), u"docker.io"_s);
    QVERIFY(!m_page->removeButton()->isEnabled());
}

void tst_RegistriesPage::addIsValidatedAndPersisted()
{
    // Not an address: refused with the model's reason, nothing added.
    QTest::keyClicks(m_page->newRegistryEdit(), u"not a registry"_s);
    QTest::keyClick(m_page->newRegistryEdit(), Qt::Key_Return);
    QVERIFY(!m_page->registryMessage()->text().isEmpty());
    QCOMPARE(m_registries->rowCount(), 1);

    // A registry on the network, allowed plain HTTP on purpose: saved with the keys the settings
    // dialog uses, and handed to the registry client.
    const QString host = u"registry.berth.test:5000"_s;
    m_page->newRegistryEdit()->clear();
    QTest::keyClicks(m_page->newRegistryEdit(), u"https://Registry.Berth.test:5000/"_s);
    QVERIFY(!m_page->plainHttpBox()->isChecked());
    QTest::mouseClick(m_page->plainHttpBox(), Qt::LeftButton);
    QTest::mouseClick(m_page->addButton(), Qt::LeftButton);
    QCOMPARE(m_page->currentRegistry(), host);
    QVERIFY(m_client->transport().isInsecure(host));
    QSettings settings;
    QCOMPARE(settings.beginReadArray(RegistriesModel::settingsKey()), 1);
    settings.setArrayIndex(0);
    QCOMPARE(settings.value(u"host"_s).toString(), host);
    QCOMPARE(settings.value(u"insecure"_s).toBool(), true);
    settings.endArray();

    // The same twice is refused.
    QTest::keyClicks(m_page->newRegistryEdit(), host);
    QVERIFY(!m_page->addRegistry());
    QVERIFY(m_page->registryMessage()->text().contains(u"already"));

    QTest::mouseClick(m_page->removeButton(), Qt::LeftButton);
    QVERIFY(!m_client->transport().isInsecure(host));
}

void tst_RegistriesPage::openRepositoryByName_data()
{
    QTest::addColumn<bool>("onPlain");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("expected"); // empty: refused
    const QString plain = TestServices::instance().registry(u"plain"_s).host;
    QTest::newRow("hub official") << false << u"node"_s << u"node"_s;
    QTest::newRow("hub namespaced") << false << u"bitnami/redis"_s << u"bitnami/redis"_s;
    QTest::newRow("hub explicit library") << false << u"library/node"_s << u"node"_s;
    QTest::newRow("own registry wins") << false << u"ghcr.io/x/y"_s << u"ghcr.io/x/y"_s;
    QTest::newRow("on plain") << true << u"berth/busybox"_s << plain + u"/berth/busybox";
    QTest::newRow("on plain, one component") << true << u"app"_s << plain + u"/app";
    QTest::newRow("upper case") << true << u"Berth/Busybox"_s << QString();
    QTest::newRow("tag given") << true << u"berth/busybox:1.0"_s << QString();
}

void tst_RegistriesPage::openRepositoryByName()
{
    QFETCH(bool, onPlain);
    QFETCH(QString, typed);
    QFETCH(QString, expected);
    if (onPlain) {
        const QString host = TestServices::instance().registry(u"plain"_s).host;
        QVERIFY(m_registries->addRegistry(host, true));
        QVERIFY(m_page->selectRegistry(host));
    }
    QSignalSpy requested(m_page.get(), &RegistriesPage::repositoryRequested);
    QTest::keyClicks(m_page->openEdit(), typed);
    if (expected.isEmpty()) {
        QVERIFY(!m_page->openMessage()->text().isEmpty());
        QVERIFY(!m_page->openButton()->isEnabled());
        QTest::keyClick(m_page->openEdit(), Qt::Key_Return);
        QCOMPARE(requested.size(), 0);
        return;
    }
    QVERIFY2(m_page->openMessage()->text().isEmpty(), qPrintable(m_page->openMessage()->text()));
    QVERIFY(m_page->openButton()->isEnabled());
    QTest::mouseClick(m_page->openButton(), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), expected);
}

void tst_RegistriesPage::logInAndOut()
{
    const TestRegistry basic = TestServices::instance().registry(u"basic"_s);
    QVERIFY(m_registries->addRegistry(basic.host, true));
    QVERIFY(m_page->selectRegistry(basic.host));
    QTRY_VERIFY(m_page->loginLabel()->text().contains(u"Not logged in"));
    QVERIFY(!m_page->logoutButton()->isEnabled());
    // The basic registry shows its catalog only to users who are logged in.
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY2(m_page->catalogMessage()->text().contains(u"log"),
             qPrintable(m_page->catalogMessage()->text()));

    QTest::mouseClick(m_page->loginButton(), Qt::LeftButton);
    QPointer<LoginDialog> login = m_page->findChild<LoginDialog *>();
    QVERIFY(login);
    QCOMPARE(login->registry(), basic.host);
    QTest::mouseClick(login->sessionButton(), Qt::LeftButton);
    QTest::keyClicks(login->userEdit(), basic.username);
    QTest::keyClicks(login->passwordEdit(), basic.password);
    QTest::mouseClick(login->findChild<QPushButton *>(u"login"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!login, Timeout);
    QTRY_VERIFY(m_page->loginLabel()->text().contains(basic.username));
    QVERIFY2(m_page->loginLabel()->text().contains(u"session"),
             qPrintable(m_page->loginLabel()->text()));
    QVERIFY(m_page->logoutButton()->isEnabled());
    // Now the catalog is there.
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY2(m_page->catalog().contains(basic.host + u"/berth/busybox"),
             qPrintable(m_page->catalogMessage()->text() + m_page->catalog().join(u", ")));

    QTest::mouseClick(m_page->logoutButton(), Qt::LeftButton);
    QTRY_VERIFY(m_page->loginLabel()->text().contains(u"Not logged in"));
    QCOMPARE(m_credentials->accounts().size(), 0);
}

void tst_RegistriesPage::registryDown()
{
    const QString down = closedPort();
    QVERIFY(!down.isEmpty());
    QTest::keyClicks(m_page->newRegistryEdit(), down);
    QVERIFY(m_page->addRegistry());
    QCOMPARE(m_page->currentRegistry(), down);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    const QString shown = m_page->catalogMessage()->text();
    QCOMPARE(m_page->catalogMessage()->kind(), InlineMessage::Kind::Error);
    QVERIFY2(shown.startsWith(u"Cannot reach "_s + down + u" — is it running?"), qPrintable(shown));
    QVERIFY(m_page->catalog().isEmpty());
    QVERIFY(!m_page->catalogView()->isEnabled());
    // Refresh tries again and says the same.
    QVERIFY(m_page->refreshButton()->isEnabled());
    QTest::mouseClick(m_page->refreshButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY(m_page->catalogMessage()->text().startsWith(u"Cannot reach "_s + down));
    // The page still opens repositories by name there.
    QSignalSpy requested(m_page.get(), &RegistriesPage::repositoryRequested);
    QTest::keyClicks(m_page->openEdit(), u"team/app"_s);
    QTest::keyClick(m_page->openEdit(), Qt::Key_Return);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), down + u"/team/app");
}

int main(int argc, char *argv[])
{
    // Before anything reads them: the temporary HOME and XDG tree QSettings writes into.
    auto home = std::make_unique<TestHome>();
    QApplication app(argc, argv);
    app.setOrganizationName(u"berth-test"_s);
    app.setApplicationName(u"tst_registriespage"_s);
    tst_RegistriesPage test;
    QTEST_SET_MAIN_SOURCE_PATH
    const int status = QTest::qExec(&test, argc, argv);
    home.reset();
    return status;
}

#include "tst_registriespage.moc"
