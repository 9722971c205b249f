// registries.conf end to end (issue 24): berthctl with the embedded store pulls docker.io images
// from the test services' docker.io mirror with no internet, falls back past a mirror that is
// down and says so, honours pull-from-mirror, refuses a blocked registry before any connection,
// rewrites a prefix to its location, reports a malformed file (file:line) and keeps the others,
// and tries the search registries for a short name.
#include "berthctlrunner.h"
#include "testservices.h"

#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;
using namespace Qt::StringLiterals;

class TestBerthctlMirrors final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;

    static QString mirror() { return TestServices::instance().dockerIoMirror().host; }
    static QString plain() { return TestServices::instance().registry(u"plain"_s).host; }
    static QString busyboxDigest()
    {
        return TestServices::instance().image(u"busybox"_s).value(u"digest").toString();
    }
    // A port nothing listens on: a mirror that is down.
    static QString closedPort()
    {
        QTcpServer server;
        if (!server.listen(QHostAddress::LocalHost))
            qFatal("no free port");
        return u"127.0.0.1:%1"_s.arg(server.serverPort());
    }
    static QString describe(const CtlRun &run)
    {
        return u"exit %1\nstdout: %2\nstderr: %3"_s.arg(run.exitCode)
            .arg(QString::fromUtf8(run.out), QString::fromUtf8(run.err));
    }
    static QByteArray dockerIoMirrors(const QStringList &mirrors, const QByteArray &extra = {})
    {
        QByteArray text = "[[registry]]\nprefix = \"docker.io\"\nlocation = \"docker.io\"\n";
        for (const QString &m : mirrors)
            text += "[[registry.mirror]]\nlocation = \"" + m.toUtf8() + "\"\n" + extra;
        return text;
    }
    QString writeConf(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(QFileInfo(path).path());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(text);
        return path;
    }
    void useConf(const QByteArray &text)
    {
        m_env.insert(u"CONTAINERS_REGISTRIES_CONF"_s, writeConf(u"registries.conf"_s, text));
    }
    CtlRun ctl(QStringList arguments)
    {
        return runBerthctl(arguments << u"--backend"_s << u"embedded"_s, m_env);
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(u"BERTH_STORE"_s, m_dir.filePath(u"store"_s));
        QDir(m_dir.filePath(u"store"_s)).removeRecursively();
        QDir(m_dir.filePath(u"config"_s)).removeRecursively();
    }

    void pullsDockerIoFromTheMirror()
    {
        useConf(dockerIoMirrors({mirror()}));
        const CtlRun run = ctl({u"pull"_s, u"busybox:1.0"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains("docker.io/library/busybox:1.0"), qPrintable(describe(run)));
        QVERIFY2(run.err.contains(
                     QByteArray("Pulled from mirror " + mirror().toUtf8() + "/library/busybox")),
                 qPrintable(describe(run)));
        const CtlRun images = ctl({u"images"_s});
        QVERIFY2(images.out.contains("busybox"), qPrintable(describe(images)));
    }

    void fallsBackPastAMirrorThatIsDown()
    {
        const QString dead = closedPort();
        useConf(dockerIoMirrors({dead, mirror()}));
        const CtlRun run = ctl({u"pull"_s, u"busybox:1.0"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.err.contains(QByteArray("Mirror " + dead.toUtf8() + " is not reachable")),
                 qPrintable(describe(run)));
        QVERIFY2(run.err.contains(QByteArray("pulled from mirror " + mirror().toUtf8())),
                 qPrintable(describe(run)));
    }

    void digestOnlyMirrorServesDigestPullsOnly()
    {
        useConf(dockerIoMirrors({mirror()}, "pull-from-mirror = \"digest-only\"\n"));
        const CtlRun byTag = ctl({u"pull"_s, u"busybox:1.0"_s});
        QVERIFY2(byTag.exitCode != 0, qPrintable(describe(byTag)));
        QVERIFY2(byTag.err.contains("docker.io"), qPrintable(describe(byTag)));
        QVERIFY2(!byTag.err.contains(mirror().toUtf8()), qPrintable(describe(byTag)));

        const CtlRun byDigest = ctl({u"pull"_s, u"busybox@"_s + busyboxDigest()});
        QVERIFY2(byDigest.exitCode == 0, qPrintable(describe(byDigest)));
        QVERIFY2(byDigest.err.contains(QByteArray("Pulled from mirror " + mirror().toUtf8())),
                 qPrintable(describe(byDigest)));
    }

    void blockedRegistryGetsNoRequest()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QString blocked = u"127.0.0.1:%1"_s.arg(server.serverPort());
        useConf("[[registry]]\nlocation = \"" + blocked.toUtf8() + "\"\nblocked = true\n");
        const QString conf = m_env.value(u"CONTAINERS_REGISTRIES_CONF"_s);
        for (const QString &verb : {u"pull"_s, u"inspect"_s}) {
            const QStringList arguments{verb, blocked + u"/berth/busybox:1.0"_s};
            const CtlRun run = verb == u"pull" ? ctl(arguments) : runBerthctl(arguments, m_env);
            QVERIFY2(run.exitCode != 0, qPrintable(describe(run)));
            QVERIFY2(run.err.contains(QByteArray("is blocked by " + conf.toUtf8())),
                     qPrintable(describe(run)));
            QVERIFY2(run.err.contains(blocked.toUtf8()), qPrintable(describe(run)));
        }
        const CtlRun tags = runBerthctl({u"tags"_s, blocked + u"/berth/busybox"_s}, m_env);
        QVERIFY2(tags.exitCode != 0, qPrintable(describe(tags)));
        QVERIFY2(tags.err.contains("is blocked by"), qPrintable(describe(tags)));
        // runBerthctl turns this event loop while berthctl runs: a connection would be here.
        QVERIFY(!server.hasPendingConnections());
    }

    void blockedDockerIoCoversDockerHubsApi()
    {
        useConf("[[registry]]\nlocation = \"docker.io\"\nblocked = true\n");
        for (const QStringList &arguments :
             {QStringList{u"tags"_s, u"busybox"_s}, QStringList{u"inspect"_s, u"busybox:1.0"_s}}) {
            const CtlRun run = runBerthctl(arguments, m_env);
            QVERIFY2(run.exitCode != 0, qPrintable(describe(run)));
            QVERIFY2(run.err.contains("The registry docker.io is blocked by"),
                     qPrintable(describe(run)));
        }
    }

    void prefixIsRewrittenToItsLocation()
    {
        useConf("[[registry]]\nprefix = \"example.test/team\"\nlocation = \"" + plain().toUtf8()
                + "/berth\"\n");
        const CtlRun run = runBerthctl({u"inspect"_s, u"example.test/team/busybox:1.0"_s}, m_env);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(busyboxDigest().toUtf8()), qPrintable(describe(run)));
        const CtlRun tags = runBerthctl({u"tags"_s, u"example.test/team/busybox"_s}, m_env);
        QVERIFY2(tags.exitCode == 0, qPrintable(describe(tags)));
        QVERIFY2(tags.out.contains("1.0"), qPrintable(describe(tags)));
    }

    void malformedFileIsReportedAndTheOthersKept()
    {
        // No override: the user's registries.conf and drop-ins (and the system's) are read.
        m_env.remove(u"CONTAINERS_REGISTRIES_CONF"_s);
        m_env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        writeConf(u"config/containers/registries.conf"_s, dockerIoMirrors({mirror()}));
        const QString bad = writeConf(u"config/containers/registries.conf.d/50-bad.conf"_s,
                                      "# a typo\n[[registry\nlocation = \"x.io\"\n");
        const CtlRun run = ctl({u"pull"_s, u"busybox:1.0"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.err.contains(QByteArray(bad.toUtf8() + ":2: ")), qPrintable(describe(run)));
        QVERIFY2(run.err.contains("Pulled from mirror"), qPrintable(describe(run)));
    }

    void shortNameTriesTheSearchRegistriesInOrder()
    {
        const QString dead = closedPort();
        useConf("unqualified-search-registries = [\"" + dead.toUtf8() + "\", \"" + plain().toUtf8()
                + "\"]\n");
        const CtlRun run = ctl({u"pull"_s, u"berth/busybox:1.0"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.err.contains(QByteArray("trying " + plain().toUtf8() + "/berth/busybox:1.0")),
                 qPrintable(describe(run)));
        QVERIFY2(run.err.contains(QByteArray("Resolved the short name berth/busybox:1.0 to "
                                             + plain().toUtf8() + "/berth/busybox:1.0")),
                 qPrintable(describe(run)));
    }
};

QTEST_GUILESS_MAIN(TestBerthctlMirrors)
#include "tst_berthctl_mirrors.moc"
