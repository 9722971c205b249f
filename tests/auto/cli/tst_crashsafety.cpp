// Crash safety of the embedded store: berthctl is killed with SIGKILL at random moments of pull,
// load, import, prune and rmi. After every kill `berthctl fsck` must find the store consistent,
// `berthctl images` must list only whole images, no temp file of the dead process may stay behind,
// and the interrupted operation, run again, must complete with the right digests.
//
// The kill moments are seeded: the seed is printed, BERTH_CRASHSAFETY_SEED=N replays a run and
// BERTH_CRASHSAFETY_KILLS=N changes the number of kills per operation (16 by default, 50 for the
// full run). They are stratified, so even the default count reaches every phase of the run: one in
// five falls in its own slice of the first 20 ms (start-up, store creation), the others each in
// their own slice of an uninterrupted run's length. Moments that once found a bug (KnownKills)
// come first in every run, among those kills.
#include "berthctlrunner.h"
#include "testservices.h"

#include "oci/ocilayout.h"
#include "oci/storedimage.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace BerthTest;
using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

// What an image of the store is made of, compared with what an uninterrupted run produced.
struct ImageState
{
    QString manifest;
    QString imageId;
    QStringList layers;
};

// Kill moments that found a bug, replayed at the start of every run of their operation.
struct KnownKill
{
    const char *operation;
    int afterMs;
    const char *found;
};
constexpr KnownKill KnownKills[] = {
    {"prune", 51, "seed 2754028094, attempt 53: berth-sources.json.qvjZKV left in the store"},
};

QList<int> knownKillMoments(const QString &operation)
{
    QList<int> out;
    for (const KnownKill &k : KnownKills) {
        if (operation == QLatin1String(k.operation))
            out << k.afterMs;
    }
    return out;
}

// When the kills of one operation land: known moments first, then the rest of `count`, each drawn
// in a slice of its own, so that few kills still cover the whole run: every fifth in the first 20
// ms, the others spread over `duration`. Attempts beyond the plan (runs that ended before their
// moment) draw anywhere in the run.
QList<int> killPlan(QRandomGenerator &random, QList<int> known, int count, qint64 duration)
{
    constexpr int StartupMs = 20;
    const int drawn = std::max(count - int(known.size()), 0);
    const int startupKills = (drawn + 4) / 5;
    const int spreadKills = drawn - startupKills;
    const int runMs = int(std::max<qint64>(duration, 1));
    const auto inSlice = [&random](int slice, int slices, int length) {
        const int from = int(qint64(length) * slice / slices);
        const int to = int(qint64(length) * (slice + 1) / slices);
        return from + int(random.bounded(std::max(to - from, 1)));
    };
    QList<int> plan = std::move(known);
    int startup = 0;
    int spread = 0;
    for (int i = 0; i < drawn; ++i) {
        if (i % 5 == 0)
            plan << inSlice(startup++, startupKills, StartupMs);
        else
            plan << inSlice(spread++, spreadKills, runMs);
    }
    return plan;
}

bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    QDirIterator it(from, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + u'/' + it.fileName();
        if (it.fileInfo().isDir()) {
            if (!copyTree(source, target))
                return false;
        } else if (!QFile::copy(source, target)) {
            return false;
        }
    }
    return true;
}

} // namespace

class TestCrashSafety final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    quint32 m_seed = 0;
    QRandomGenerator m_random;
    int m_killsPerOperation = 16;
    QString m_busybox;                // the registry reference
    QString m_imported;               // the name imports get
    QString m_busyboxDir, m_pruneDir; // template stores copied before prune and rmi
    QHash<QString, int> m_killsReached;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString store() const { return path(u"store"_s); }

    CtlRun ctl(QStringList arguments)
    {
        arguments << u"--backend"_s << u"embedded"_s;
        return runBerthctl(arguments, m_env);
    }

    // Runs berthctl commands side by side and waits for all of them: fsck and images only read
    // the store, and the kill loop is the slow part of the suite.
    QList<CtlRun> ctlTogether(const QList<QStringList> &commands)
    {
        std::vector<std::unique_ptr<QProcess>> processes;
        for (const QStringList &arguments : commands) {
            auto &process = processes.emplace_back(std::make_unique<QProcess>());
            process->setProcessEnvironment(m_env);
            process->start(berthctlPath(), arguments + QStringList{u"--backend"_s, u"embedded"_s});
        }
        QList<CtlRun> runs;
        for (auto &process : processes) {
            CtlRun run;
            if (process->waitForFinished(120000) && process->exitStatus() == QProcess::NormalExit)
                run.exitCode = process->exitCode();
            run.out = process->readAllStandardOutput();
            run.err = process->readAllStandardError();
            runs << run;
        }
        return runs;
    }

    // ref.name -> what its image is made of, read in-process from the store's files.
    QHash<QString, ImageState> storeState() const
    {
        QHash<QString, ImageState> out;
        const OciStore oci(store());
        auto entries = oci.readIndex();
        if (!entries)
            return out;
        for (const StoredImage &image : loadStoredImages(oci, *entries)) {
            ImageState state{
                image.manifestDescriptor.digest.toString(), image.imageId.toString(), {}};
            for (const Descriptor &layer : image.manifest.layers)
                state.layers << layer.digest.toString();
            out.insert(image.entry.refName().isEmpty() ? image.entry.descriptor.digest.toString()
                                                       : image.entry.refName(),
                       state);
        }
        return out;
    }

    QStringList blobFiles(const QString &prefix = {}) const
    {
        return QDir(store() + u"/blobs/sha256")
            .entryList({prefix + u'*'}, QDir::Files | QDir::Hidden, QDir::Name);
    }

    static QString refName(const QString &familiar)
    {
        return ImageReference::parse(familiar)->toString();
    }

    // Empties the store, or fills it from a template, before a run of `operation`.
    void prepare(const QString &operation)
    {
        QDir(store()).removeRecursively();
        if (operation == u"prune")
            QVERIFY(copyTree(m_pruneDir, store()));
        else if (operation == u"rmi")
            QVERIFY(copyTree(m_busyboxDir, store()));
    }

    QStringList arguments(const QString &operation) const
    {
        if (operation == u"pull")
            return {u"pull"_s, m_busybox};
        if (operation == u"load")
            return {u"load"_s, u"-i"_s, path(u"busybox.tar"_s)};
        if (operation == u"import")
            return {u"import"_s, path(u"rootfs.tar"_s), m_imported};
        if (operation == u"prune")
            return {u"prune"_s, u"--force"_s};
        return {u"rmi"_s, m_busybox};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        bool ok = false;
        m_seed = qEnvironmentVariableIntValue("BERTH_CRASHSAFETY_SEED", &ok);
        if (!ok)
            m_seed = QRandomGenerator::system()->generate();
        m_random.seed(m_seed);
        qInfo("crash-safety seed %u (replay: BERTH_CRASHSAFETY_SEED=%u)", m_seed, m_seed);
        if (const int kills = qEnvironmentVariableIntValue("BERTH_CRASHSAFETY_KILLS"); kills > 0)
            m_killsPerOperation = kills;

        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(u"BERTH_STORE"_s, store());
        m_busybox = TestServices::instance().registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
        m_imported = u"crash/imported:1.0"_s;

        // The fixtures: an archive berthctl saved, a filesystem tar it exported, and two stores to
        // start prune and rmi from (busybox; busybox with three untagged imports to prune).
        const CtlRun pulled = ctl({u"pull"_s, m_busybox});
        QVERIFY2(pulled.exitCode == 0, pulled.err.constData());
        const CtlRun saved = ctl({u"save"_s, u"-o"_s, path(u"busybox.tar"_s), m_busybox});
        QVERIFY2(saved.exitCode == 0, saved.err.constData());
        const CtlRun exported = ctl({u"export"_s, u"-o"_s, path(u"rootfs.tar"_s), m_busybox});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        m_busyboxDir = path(u"template-busybox"_s);
        QVERIFY(copyTree(store(), m_busyboxDir));
        for (int i = 0; i < 3; ++i) {
            const CtlRun imported = ctl({u"import"_s, path(u"rootfs.tar"_s)});
            QVERIFY2(imported.exitCode == 0, imported.err.constData());
        }
        QCOMPARE(storeState().size(), 4);
        m_pruneDir = path(u"template-prune"_s);
        QVERIFY(copyTree(store(), m_pruneDir));
    }

    void killAndRecover_data()
    {
        QTest::addColumn<QString>("operation");
        for (const char *op : {"pull", "load", "import", "prune", "rmi"})
            QTest::newRow(op) << QString::fromLatin1(op);
    }

    void killAndRecover()
    {
        QFETCH(QString, operation);
        const QStringList args = arguments(operation) + QStringList{u"--backend"_s, u"embedded"_s};

        // What an uninterrupted run leaves, and how long it takes (the longer of two runs, the
        // first of which also warms the caches).
        qint64 duration = 0;
        QHash<QString, ImageState> expected;
        QStringList expectedBlobs;
        for (int i = 0; i < 2; ++i) {
            prepare(operation);
            if (QTest::currentTestFailed())
                return;
            QElapsedTimer timer;
            timer.start();
            const CtlRun run = runBerthctl(args, m_env);
            duration = std::max(duration, timer.elapsed());
            QVERIFY2(run.exitCode == 0, run.err.constData());
            expected = storeState();
            expectedBlobs = blobFiles();
        }
        prepare(operation);
        if (QTest::currentTestFailed())
            return;
        const QHash<QString, ImageState> before = storeState();
        // Imports differ in their creation time, hence config and manifest: only the layer is
        // the same from run to run.
        const bool layersOnly = operation == u"import";
        const auto sameImage = [&](const ImageState &a, const ImageState &b) {
            return layersOnly
                       ? a.layers == b.layers
                       : a.manifest == b.manifest && a.imageId == b.imageId && a.layers == b.layers;
        };
        // An image listed after a kill is one of those before or after the operation, whole.
        const auto acceptable = [&](const QString &ref, const ImageState &state) {
            return (before.contains(ref) && sameImage(before.value(ref), state))
                   || (expected.contains(ref) && sameImage(expected.value(ref), state));
        };
        QStringList expectedTags;
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            if (!it.key().startsWith(u"sha256:"))
                expectedTags << it.key();
        }
        qInfo("%s: an uninterrupted run takes %lld ms", qPrintable(operation), duration);

        const QList<int> plan
            = killPlan(m_random, knownKillMoments(operation), m_killsPerOperation, duration);
        int kills = 0;
        int attempts = 0;
        QElapsedTimer total;
        total.start();
        while (kills < m_killsPerOperation && attempts < 4 * m_killsPerOperation) {
            ++attempts;
            prepare(operation);
            if (QTest::currentTestFailed())
                return;
            const qint64 at = attempts <= plan.size()
                                  ? plan.at(attempts - 1)
                                  : m_random.bounded(int(std::max<qint64>(duration, 1)));
            const QByteArray where = operation.toUtf8() + " attempt " + QByteArray::number(attempts)
                                     + ", killed after " + QByteArray::number(at) + " ms, seed "
                                     + QByteArray::number(m_seed);

            QProcess victim;
            victim.setProcessEnvironment(m_env);
            victim.setStandardOutputFile(QProcess::nullDevice());
            victim.setStandardErrorFile(QProcess::nullDevice());
            victim.setStandardInputFile(QProcess::nullDevice());
            QElapsedTimer since;
            since.start();
            victim.start(berthctlPath(), args);
            QVERIFY2(victim.waitForStarted(10000), where.constData());
            // A blocking wait on the process, not an event loop: nothing in-process has to run.
            if (!victim.waitForFinished(int(std::max<qint64>(at - since.elapsed(), 0)))) {
                victim.kill(); // SIGKILL
                QVERIFY2(victim.waitForFinished(10000), where.constData());
                if (victim.exitStatus() == QProcess::CrashExit)
                    ++kills;
            }

            // fsck finds nothing wrong, and no temp file of the dead process outlives it.
            const QList<CtlRun> checks = ctlTogether(
                {{u"fsck"_s, u"--format"_s, u"json"_s}, {u"images"_s, u"--format"_s, u"json"_s}});
            const CtlRun &fsck = checks.at(0);
            const CtlRun &images = checks.at(1);
            QVERIFY2(fsck.exitCode == 0,
                     QByteArray(where + ": " + fsck.out + fsck.err).constData());
            QVERIFY2(QJsonDocument::fromJson(fsck.out).object().value(u"clean").toBool(),
                     QByteArray(where + ": " + fsck.out).constData());
            QVERIFY2(blobFiles(u".tmp-"_s).isEmpty(),
                     QByteArray(where
                                + ": temp files left: " + blobFiles(u".tmp-"_s).join(u' ').toUtf8())
                         .constData());
            const QStringList rootFiles
                = QDir(store()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
            for (const QString &file : rootFiles) {
                QVERIFY2((QStringList{u"oci-layout"_s,
                                      u"index.json"_s,
                                      u"blobs"_s,
                                      u"berth-sources.json"_s,
                                      u"berth-leases"_s,
                                      u".lock"_s}
                              .contains(file)),
                         QByteArray(where + ": unexpected file " + file.toUtf8()).constData());
            }

            // images lists whole images only: each tag as before the operation or as after it.
            QVERIFY2(images.exitCode == 0, QByteArray(where + ": " + images.err).constData());
            const QHash<QString, ImageState> state = storeState();
            for (const QJsonValue &v :
                 QJsonDocument::fromJson(images.out).object().value(u"images").toArray()) {
                for (const QJsonValue &tag : v.toObject().value(u"repoTags").toArray()) {
                    const QString ref = refName(tag.toString());
                    QVERIFY2(
                        state.contains(ref) && acceptable(ref, state.value(ref)),
                        QByteArray(where + ": half-written or unexpected image " + ref.toUtf8())
                            .constData());
                    QVERIFY2(state.value(ref).imageId == v.toObject().value(u"id").toString(),
                             QByteArray(where + ": " + ref.toUtf8()).constData());
                }
            }

            // Run again, the operation completes with the digests of an uninterrupted run.
            const CtlRun rerun = runBerthctl(args, m_env);
            const bool alreadyDone
                = operation == u"rmi" && rerun.exitCode == 1 && rerun.err.contains("No such image");
            QVERIFY2(rerun.exitCode == 0 || alreadyDone,
                     QByteArray(where + ": rerun: " + rerun.err).constData());
            const QHash<QString, ImageState> after = storeState();
            QStringList afterTags;
            for (auto it = after.cbegin(); it != after.cend(); ++it) {
                if (!it.key().startsWith(u"sha256:"))
                    afterTags << it.key();
            }
            afterTags.sort();
            expectedTags.sort();
            QVERIFY2(afterTags == expectedTags,
                     QByteArray(where + ": " + afterTags.join(u' ').toUtf8()).constData());
            for (const QString &tag : std::as_const(expectedTags))
                QVERIFY2(sameImage(after.value(tag), expected.value(tag)),
                         QByteArray(where + ": wrong image for " + tag.toUtf8()).constData());
            QVERIFY2(blobFiles(u".tmp-"_s).isEmpty(), where.constData());
            // Blobs a killed run had stored but not yet tagged stay until a prune takes them.
            auto pruned = OciStore(store()).prune(false);
            QVERIFY2(pruned.has_value(), where.constData());
            if (layersOnly)
                QCOMPARE(blobFiles().size(), expectedBlobs.size());
            else
                QCOMPARE(blobFiles(), expectedBlobs);
        }
        m_killsReached.insert(operation, kills);
        qInfo("%s: %d kills in %d runs, %lld ms",
              qPrintable(operation),
              kills,
              attempts,
              total.elapsed());
        QVERIFY2(kills >= m_killsPerOperation,
                 qPrintable(u"only %1 of %2 runs were killed"_s.arg(kills).arg(attempts)));
    }

    void cleanupTestCase()
    {
        for (auto it = m_killsReached.cbegin(); it != m_killsReached.cend(); ++it)
            qInfo("kills: %s %d", qPrintable(it.key()), it.value());
    }
};

// QtTest's watchdog stops a test function after 5 minutes; on a loaded machine the 50 kills of a
// full run (BERTH_CRASHSAFETY_KILLS=50) of one operation can take longer. ctest's TIMEOUT still
// bounds the whole.
int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "1500000");
    QCoreApplication app(argc, argv);
    TestCrashSafety test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_crashsafety.moc"
