// The embedded store's pull through registries.conf's mirrors (issue 24): a docker.io image
// served by the test services' docker.io mirror with no internet, the mirror named in the pull's
// progress ("Source", the line the Transfers panel shows among the details), and a mirror that is
// down passed by, said on the same line. RegistryClient reads the configuration set on it.
#include "asynctest.h"
#include "testservices.h"

#include "network/networkaccess.h"
#include "network/registriesconf.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

std::shared_ptr<const RegistriesConf> mirrorsFor(const QStringList &mirrors)
{
    QByteArray text = "[[registry]]\nprefix = \"docker.io\"\nlocation = \"docker.io\"\n";
    for (const QString &m : mirrors)
        text += "[[registry.mirror]]\nlocation = \"" + m.toUtf8() + "\"\n";
    auto conf = std::make_shared<RegistriesConf>();
    conf->merge(u"test.conf"_s, text);
    return conf;
}

QString closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        qFatal("no free port");
    return u"127.0.0.1:%1"_s.arg(server.serverPort());
}

} // namespace

class tst_MirrorPull final : public QObject
{
    Q_OBJECT

private slots:
    void pullSaysWhichMirrorServedIt_data()
    {
        QTest::addColumn<bool>("firstMirrorDown");
        QTest::newRow("the mirror") << false;
        QTest::newRow("past a mirror that is down") << true;
    }

    void pullSaysWhichMirrorServedIt()
    {
        QFETCH(bool, firstMirrorDown);
        const QString mirror = TestServices::instance().dockerIoMirror().host;
        const QString dead = closedPort();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        NetworkAccessManager network; // the product's, under the network policy
        RegistryClient client(&network);
        client.setRegistriesConf(
            mirrorsFor(firstMirrorDown ? QStringList{dead, mirror} : QStringList{mirror}));
        EmbeddedBackend backend(dir.filePath(u"store"_s), &client);
        QStringList sourceLines;
        PullOptions options;
        options.progress = [&](const TransferProgress &p) {
            if (p.item == u"Source")
                sourceLines.append(p.message);
        };
        const auto reference = ImageReference::parse(u"busybox:1.0"_s);
        QVERIFY(reference);
        const auto pulled
            = await<PullResult>([&](auto done) { backend.pull(*reference, options, done); });
        QVERIFY2(pulled, why(pulled));
        QCOMPARE(pulled->digest.toString(),
                 TestServices::instance().image(u"busybox"_s).value(u"digest").toString());
        QCOMPARE(sourceLines.size(), 1);
        QVERIFY2(
            sourceLines.first().contains(u"pulled from mirror "_s + mirror, Qt::CaseInsensitive),
            qPrintable(sourceLines.first()));
        QCOMPARE(sourceLines.first().contains(u"Mirror "_s + dead + u" is not reachable"_s),
                 firstMirrorDown);
    }
};

QTEST_GUILESS_MAIN(tst_MirrorPull)
#include "tst_mirrorpull.moc"
