// berthctl copy end to end against the real registries: across registries and within one
// (mounted), every platform of an index, the JSON fields, and bad input. Uses registries without
// logins (plain, nodelete), so that no keychain is needed; logins are tst_registrycopy's.
#include "berthctlrunner.h"
#include "testservices.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace BerthTest;
using namespace Qt::StringLiterals;

class TestBerthctlCopy final : public QObject
{
    Q_OBJECT

private:
    static QString host(const QString &flavour)
    {
        return TestServices::instance().registry(flavour).host;
    }
    // A repository no earlier run used, on the registry of `flavour`.
    static QString fresh(const QString &flavour, const QString &name)
    {
        return host(flavour)
               + u"/copy-%1/%2"_s.arg(QRandomGenerator::global()->generate64(), 0, 16).arg(name);
    }
    static QJsonObject json(const CtlRun &run) { return QJsonDocument::fromJson(run.out).object(); }
    static QString digestOf(const QString &fixture)
    {
        return TestServices::instance().image(fixture).value(u"digest").toString();
    }
    static QString describeRun(const CtlRun &run)
    {
        return u"exit %1\nstdout: %2\nstderr: %3"_s.arg(run.exitCode)
            .arg(QString::fromUtf8(run.out), QString::fromUtf8(run.err));
    }

private slots:
    void acrossRegistries()
    {
        const QString destination = fresh(u"nodelete"_s, u"busybox"_s) + u":1.0"_s;
        const CtlRun run
            = runBerthctl({u"copy"_s, host(u"plain"_s) + u"/berth/busybox:1.0"_s, destination});
        QVERIFY2(run.exitCode == 0, qPrintable(describeRun(run)));
        QVERIFY2(run.out.contains(digestOf(u"busybox"_s).toUtf8()), qPrintable(describeRun(run)));
        QVERIFY2(run.out.contains(destination.toUtf8()), qPrintable(describeRun(run)));

        // Again, as JSON: everything is there already.
        const CtlRun again = runBerthctl({u"copy"_s,
                                          host(u"plain"_s) + u"/berth/busybox:1.0"_s,
                                          destination,
                                          u"--format"_s,
                                          u"json"_s});
        QVERIFY2(again.exitCode == 0, qPrintable(describeRun(again)));
        const QJsonObject result = json(again);
        QCOMPARE(result.value(u"digest").toString(), digestOf(u"busybox"_s));
        QCOMPARE(result.value(u"destination").toString(), destination);
        QCOMPARE(result.value(u"blobsCopied").toInt(), 0);
        QCOMPARE(result.value(u"bytesCopied").toInteger(), 0);
        QVERIFY(result.value(u"blobsSkipped").toInt() >= 2);
        QCOMPARE(result.value(u"manifests").toInt(), 1);
        QVERIFY(result.contains(u"mediaType"));
        QVERIFY(result.contains(u"blobsMounted"));
    }

    void sameRegistryMounts()
    {
        const CtlRun run = runBerthctl({u"copy"_s,
                                        host(u"plain"_s) + u"/berth/busybox:1.0"_s,
                                        fresh(u"plain"_s, u"busybox"_s) + u":2.0"_s,
                                        u"--format"_s,
                                        u"json"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describeRun(run)));
        const QJsonObject result = json(run);
        QVERIFY(result.value(u"blobsMounted").toInt() >= 2);
        QCOMPARE(result.value(u"blobsCopied").toInt(), 0);
        QCOMPARE(result.value(u"digest").toString(), digestOf(u"busybox"_s));
    }

    void allPlatforms()
    {
        const CtlRun run = runBerthctl({u"copy"_s,
                                        u"--all-platforms"_s,
                                        host(u"plain"_s) + u"/berth/multiarch:1.0"_s,
                                        fresh(u"nodelete"_s, u"multiarch"_s) + u":1.0"_s,
                                        u"--format"_s,
                                        u"json"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(describeRun(run)));
        const QJsonObject result = json(run);
        QCOMPARE(result.value(u"digest").toString(), digestOf(u"multiarch"_s));
        QCOMPARE(result.value(u"manifests").toInt(), 3);
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("kind"); // of the JSON error, for exit code 1
        const QString busybox = host(u"plain"_s) + u"/berth/busybox:1.0"_s;
        const QString somewhere = fresh(u"nodelete"_s, u"x"_s) + u":1"_s;
        QTest::newRow("malformed source") << QStringList{u"UPPER/Case::x"_s, somewhere} << 2 << "";
        QTest::newRow("malformed destination")
            << QStringList{busybox, host(u"plain"_s) + u"/a//b:1"_s} << 2 << "";
        QTest::newRow("one argument") << QStringList{busybox} << 2 << "";
        QTest::newRow("three arguments") << QStringList{busybox, somewhere, somewhere} << 2 << "";
        QTest::newRow("both platform options") << QStringList{u"--all-platforms"_s,
                                                              u"--platform"_s,
                                                              u"linux/arm64"_s,
                                                              busybox,
                                                              somewhere}
                                               << 2 << "";
        QTest::newRow("bad platform")
            << QStringList{u"--platform"_s, u"linux"_s, busybox, somewhere} << 2 << "";
        QTest::newRow("missing source tag")
            << QStringList{host(u"plain"_s) + u"/berth/busybox:no-such-tag"_s, somewhere} << 1
            << "not-found";
        QTest::newRow("platform the index lacks")
            << QStringList{u"--platform"_s,
                           u"windows/amd64"_s,
                           host(u"plain"_s) + u"/berth/multiarch:1.0"_s,
                           somewhere}
            << 1 << "not-found";
    }

    void badInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, kind);
        const CtlRun run = runBerthctl(QStringList{u"copy"_s} + arguments
                                       + QStringList{u"--format"_s, u"json"_s});
        QVERIFY2(run.exitCode == exitCode, qPrintable(describeRun(run)));
        QVERIFY(run.out.isEmpty());
        if (exitCode != 1)
            return;
        const QByteArray last = run.err.trimmed().split('\n').last();
        const QJsonObject error = QJsonDocument::fromJson(last).object().value(u"error").toObject();
        QCOMPARE(error.value(u"kind").toString(), kind);
        QVERIFY(!error.value(u"message").toString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBerthctlCopy)
#include "tst_berthctl_copy.moc"
