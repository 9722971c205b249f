// berthctl manifest create|inspect|push|rm end to end against the real registries of the test
// services, with the lists kept in a temporary $XDG_DATA_HOME.

#include "berthctlrunner.h"
#include "testhelpers.h"
#include "testservices.h"

#include "oci/manifest.h"
#include "oci/mediatypes.h"
#include "registryops/manifestliststore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

class TestBerthctlManifest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data;
    QProcessEnvironment m_env;

    CtlRun ctl(const QStringList &arguments) { return runBerthctl(arguments, m_env); }
    CtlRun ctlJson(QStringList arguments) { return ctl(arguments << u"--format"_s << u"json"_s); }
    static QJsonObject json(const CtlRun &run) { return QJsonDocument::fromJson(run.out).object(); }
    static QString plain() { return TestServices::instance().registry(u"plain"_s).host; }
    static QString multiarch() { return plain() + u"/berth/multiarch:1.0"_s; }
    static QString busybox() { return plain() + u"/berth/busybox:1.0"_s; }
    // The same amd64 image as busybox, written as Docker schema 2: another digest.
    static QString busyboxDocker() { return plain() + u"/berth/busybox-docker:1.0"_s; }
    static QString uniqueTarget()
    {
        return plain() + u"/manifest/cli-"_s
               + QUuid::createUuid().toString(QUuid::WithoutBraces).left(8) + u":1.0"_s;
    }
    ManifestListStore store() const
    {
        return ManifestListStore(m_data.path() + u"/Berth/manifests"_s);
    }

private slots:
    void init()
    {
        QVERIFY(m_data.isValid());
        QDir(m_data.path()).removeRecursively();
        QDir().mkpath(m_data.path());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(u"XDG_DATA_HOME"_s, m_data.path());
        m_env.insert(u"BERTH_STORE"_s, m_data.path() + u"/store"_s);
    }

    void createInspectPushPurge();
    void createRefusesAnExistingListWithoutAmend();
    void twoSourcesForOnePlatformAreNamed();
    void aDamagedListFileIsNamed();
    void rmRemovesOnlyWhatExists();
    void usageErrors_data();
    void usageErrors();
};

void TestBerthctlManifest::createInspectPushPurge()
{
    const QString target = uniqueTarget();
    const CtlRun created = ctlJson({u"manifest"_s, u"create"_s, target, multiarch()});
    QVERIFY2(created.exitCode == 0, created.err.constData());
    const QJsonObject list = json(created);
    QCOMPARE(list.value(u"mediaType").toString(), QLatin1String(MediaType::OciIndex));
    const QJsonArray manifests = list.value(u"manifests").toArray();
    QCOMPARE(manifests.size(), 2);
    QCOMPARE(manifests.at(0).toObject().value(u"platform").toString(), u"linux/amd64"_s);
    QVERIFY(manifests.at(1).toObject().value(u"platform").toString().startsWith(u"linux/arm64"));
    QVERIFY(QFile::exists(store().fileFor(parseReference(target))));

    // Text inspect prints the index as it will be pushed; the JSON form says its digest.
    const CtlRun shown = ctl({u"manifest"_s, u"inspect"_s, target});
    QVERIFY2(shown.exitCode == 0, shown.err.constData());
    const auto index = parseImageIndex(shown.out);
    VERIFY_OK(index);
    QCOMPARE(index->manifests.size(), 2);
    const CtlRun local = ctlJson({u"manifest"_s, u"inspect"_s, target});
    QVERIFY2(local.exitCode == 0, local.err.constData());
    QVERIFY(json(local).value(u"local").toBool());
    const QString digest = json(local).value(u"digest").toString();
    QCOMPARE(digest, list.value(u"digest").toString());

    const CtlRun pushed = ctl({u"manifest"_s, u"push"_s, u"--purge"_s, target});
    QVERIFY2(pushed.exitCode == 0, pushed.err.constData());
    QCOMPARE(QString::fromUtf8(pushed.out).trimmed(), digest);
    QVERIFY(!QFile::exists(store().fileFor(parseReference(target))));

    // With the local list gone, inspect reads the registry: the same bytes, the same digest.
    const CtlRun remote = ctlJson({u"manifest"_s, u"inspect"_s, target});
    QVERIFY2(remote.exitCode == 0, remote.err.constData());
    QVERIFY(!json(remote).value(u"local").toBool());
    QCOMPARE(json(remote).value(u"digest").toString(), digest);
    QCOMPARE(json(remote).value(u"manifest").toObject().value(u"manifests").toArray().size(), 2);
}

void TestBerthctlManifest::createRefusesAnExistingListWithoutAmend()
{
    const QString target = uniqueTarget();
    const CtlRun first = ctl({u"manifest"_s, u"create"_s, target, busybox()});
    QVERIFY2(first.exitCode == 0, first.err.constData());
    const CtlRun again = ctl({u"manifest"_s, u"create"_s, target, multiarch()});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("--amend"), again.err.constData());
    // The first list is intact.
    const auto kept = store().load(parseReference(target));
    VERIFY_OK(kept);
    QCOMPARE((*kept)->entries.size(), 1);
    // The same source again with --amend changes nothing.
    const CtlRun amended = ctlJson({u"manifest"_s, u"create"_s, u"--amend"_s, target, busybox()});
    QVERIFY2(amended.exitCode == 0, amended.err.constData());
    QCOMPARE(json(amended).value(u"manifests").toArray().size(), 1);
}

void TestBerthctlManifest::twoSourcesForOnePlatformAreNamed()
{
    const QString target = uniqueTarget();
    // busybox-docker is an amd64 image; multiarch has an amd64 image of its own (another digest).
    const CtlRun created = ctl({u"manifest"_s, u"create"_s, target, busyboxDocker(), multiarch()});
    QCOMPARE(created.exitCode, 1);
    QVERIFY2(created.err.contains("linux/amd64") && created.err.contains("berth/busybox-docker")
                 && created.err.contains("berth/multiarch"),
             created.err.constData());
    QVERIFY(!QFile::exists(store().fileFor(parseReference(target))));
}

void TestBerthctlManifest::aDamagedListFileIsNamed()
{
    const QString target = uniqueTarget();
    const QString other = uniqueTarget();
    const CtlRun created = ctl({u"manifest"_s, u"create"_s, other, busybox()});
    QVERIFY2(created.exitCode == 0, created.err.constData());
    const QString path = store().fileFor(parseReference(target));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"target\": ");
    file.close();

    for (const QString &verb : {u"inspect"_s, u"push"_s}) {
        const CtlRun run = ctl({u"manifest"_s, verb, target});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(path.toUtf8()), run.err.constData());
    }
    const CtlRun amend = ctl({u"manifest"_s, u"create"_s, u"--amend"_s, target, busybox()});
    QCOMPARE(amend.exitCode, 1);
    QVERIFY2(amend.err.contains(path.toUtf8()), amend.err.constData());
    // The other list still reads; rm clears the damaged one.
    const CtlRun shown = ctl({u"manifest"_s, u"inspect"_s, other});
    QVERIFY2(shown.exitCode == 0, shown.err.constData());
    const CtlRun removed = ctl({u"manifest"_s, u"rm"_s, target});
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QVERIFY(!QFile::exists(path));
}

void TestBerthctlManifest::rmRemovesOnlyWhatExists()
{
    const QString target = uniqueTarget();
    const CtlRun created = ctl({u"manifest"_s, u"create"_s, target, busybox()});
    QVERIFY2(created.exitCode == 0, created.err.constData());
    const QString missing = uniqueTarget();
    const CtlRun removed = ctl({u"manifest"_s, u"rm"_s, missing, target});
    QCOMPARE(removed.exitCode, 1);
    QVERIFY2(removed.err.contains(missing.toUtf8()), removed.err.constData());
    QVERIFY(!QFile::exists(store().fileFor(parseReference(target))));
}

void TestBerthctlManifest::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("said");
    QTest::newRow("no subcommand") << QStringList{u"manifest"_s} << QByteArray("create");
    QTest::newRow("unknown") << QStringList{u"manifest"_s, u"annotate"_s} << QByteArray("annotate");
    QTest::newRow("create without sources")
        << QStringList{u"manifest"_s, u"create"_s, u"localhost:5000/a:1"_s}
        << QByteArray("at least one source");
    QTest::newRow("target by digest")
        << QStringList{u"manifest"_s,
                       u"create"_s,
                       u"localhost:5000/a@sha256:"_s + QString(64, u'a'),
                       u"busybox"_s}
        << QByteArray("tag");
    QTest::newRow("push two") << QStringList{u"manifest"_s, u"push"_s, u"a"_s, u"b"_s}
                              << QByteArray("exactly one");
    QTest::newRow("rm nothing") << QStringList{u"manifest"_s, u"rm"_s} << QByteArray("at least");
}

void TestBerthctlManifest::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, said);
    const CtlRun run = ctl(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(said), run.err.constData());
}

QTEST_GUILESS_MAIN(TestBerthctlManifest)
#include "tst_berthctl_manifest.moc"
