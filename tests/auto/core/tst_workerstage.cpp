// WorkerStage (core/common/workerstage): jobs run in the order posted, one at a time, on a thread
// of the stage's own; the bytes in flight stay within the bound (a poster waits for room, seen
// through waitingPosters(), never through a clock); the first failure wins and drops what follows;
// the destructor runs what is queued, discard() drops it.

#include "common/workerstage.h"

#include <QScopeGuard>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

using namespace Berth;

namespace {

// What the jobs of one test did, shared with them: the jobs outlive nothing of the test's stack.
struct Log
{
    std::mutex mutex;
    std::vector<int> ran;
    qint64 maxInFlight = 0;
    std::thread::id thread;
    bool oneThread = true;

    void record(int index, qint64 inFlight)
    {
        std::lock_guard lock(mutex);
        ran.push_back(index);
        maxInFlight = std::max(maxInFlight, inFlight);
        if (ran.size() == 1)
            thread = std::this_thread::get_id();
        else if (thread != std::this_thread::get_id())
            oneThread = false;
    }
    std::vector<int> snapshot()
    {
        std::lock_guard lock(mutex);
        return ran;
    }
};

std::vector<int> upTo(int count)
{
    std::vector<int> v;
    for (int i = 0; i < count; ++i)
        v.push_back(i);
    return v;
}

QString describe(const Status &s)
{
    return s ? QStringLiteral("ok") : s.error().message;
}

} // namespace

class tst_WorkerStage final : public QObject
{
    Q_OBJECT

private slots:
    void orderAndBound_data();
    void orderAndBound();
    void posterWaitsForRoom_data();
    void posterWaitsForRoom();
    void firstErrorWins_data();
    void firstErrorWins();
    void destructorRunsQueued_data();
    void destructorRunsQueued();
    void discardDropsQueued();
};

void tst_WorkerStage::orderAndBound_data()
{
    QTest::addColumn<int>("jobs");
    QTest::addColumn<qint64>("bytesPerJob");
    QTest::addColumn<qint64>("bound");
    QTest::newRow("many small jobs") << 20000 << qint64(1) << qint64(64);
    QTest::newRow("chunks of a MiB") << 64 << qint64(1 << 20) << qint64(8 << 20);
    QTest::newRow("one job at a time") << 500 << qint64(10) << qint64(10);
    QTest::newRow("jobs larger than the bound") << 200 << qint64(100) << qint64(10);
    QTest::newRow("jobs of no bytes") << 5000 << qint64(0) << qint64(1);
}

void tst_WorkerStage::orderAndBound()
{
    QFETCH(int, jobs);
    QFETCH(qint64, bytesPerJob);
    QFETCH(qint64, bound);
    auto log = std::make_shared<Log>();
    WorkerStage stage(bound, "tst-order");
    for (int i = 0; i < jobs; ++i) {
        const Status posted = stage.post(bytesPerJob, [log, i, &stage] {
            log->record(i, stage.bytesInFlight());
            return Status();
        });
        QVERIFY2(posted, qPrintable(describe(posted)));
        // What is in flight never exceeds the bound, or one job when a job alone exceeds it.
        QVERIFY(stage.bytesInFlight() <= std::max(bound, bytesPerJob));
    }
    const Status drained = stage.drain();
    QVERIFY2(drained, qPrintable(describe(drained)));
    QCOMPARE(stage.bytesInFlight(), qint64(0));
    QVERIFY(log->snapshot() == upTo(jobs));
    QVERIFY(log->maxInFlight <= std::max(bound, bytesPerJob));
    QVERIFY(log->oneThread);
    QVERIFY(log->thread != std::this_thread::get_id());
}

void tst_WorkerStage::posterWaitsForRoom_data()
{
    QTest::addColumn<qint64>("bound");
    QTest::addColumn<qint64>("first"); // bytes of the job that holds the stage
    QTest::addColumn<qint64>("second");
    QTest::addColumn<bool>("waits");
    QTest::newRow("stage full") << qint64(10) << qint64(10) << qint64(1) << true;
    QTest::newRow("would overflow") << qint64(10) << qint64(6) << qint64(5) << true;
    QTest::newRow("first larger than the bound") << qint64(10) << qint64(50) << qint64(1) << true;
    QTest::newRow("fits exactly") << qint64(10) << qint64(4) << qint64(6) << false;
    QTest::newRow("no bytes fit a full stage") << qint64(10) << qint64(10) << qint64(0) << false;
}

void tst_WorkerStage::posterWaitsForRoom()
{
    QFETCH(qint64, bound);
    QFETCH(qint64, first);
    QFETCH(qint64, second);
    QFETCH(bool, waits);
    auto log = std::make_shared<Log>();
    auto gate = std::make_shared<QSemaphore>();
    WorkerStage stage(bound, "tst-bound");
    auto open = qScopeGuard([&] { gate->release(); }); // never leave the worker stuck
    QVERIFY(stage.post(first, [log, gate] {
        gate->acquire();
        log->record(1, 0);
        return Status();
    }));
    std::atomic<bool> posted = false;
    std::unique_ptr<QThread> poster(QThread::create([&] {
        if (stage.post(second, [log] {
                log->record(2, 0);
                return Status();
            }))
            posted = true;
    }));
    poster->start();
    if (waits) {
        // The second poster is inside post(), waiting, while the first job holds the stage.
        QTRY_COMPARE(stage.waitingPosters(), 1);
        QVERIFY(!posted);
        QVERIFY(log->snapshot().empty());
        gate->release();
        QTRY_VERIFY(posted);
    } else {
        // Room enough: post() returns while the first job still holds the stage.
        QTRY_VERIFY(posted);
        QVERIFY(log->snapshot().empty());
        QCOMPARE(stage.bytesInFlight(), first + second);
        gate->release();
    }
    open.dismiss();
    QVERIFY(poster->wait());
    QVERIFY(stage.drain());
    QVERIFY(log->snapshot() == (std::vector<int>{1, 2}));
    QCOMPARE(stage.waitingPosters(), 0);
}

void tst_WorkerStage::firstErrorWins_data()
{
    QTest::addColumn<int>("jobs");
    QTest::addColumn<QList<int>>("failing");
    QTest::addColumn<int>("firstFailure");
    QTest::newRow("one failure") << 10 << QList<int>{3} << 3;
    QTest::newRow("two failures") << 10 << QList<int>{5, 2} << 2;
    QTest::newRow("first job") << 10 << QList<int>{0} << 0;
    QTest::newRow("last job") << 10 << QList<int>{9} << 9;
    QTest::newRow("every job") << 10 << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9} << 0;
}

void tst_WorkerStage::firstErrorWins()
{
    QFETCH(int, jobs);
    QFETCH(QList<int>, failing);
    QFETCH(int, firstFailure);
    auto log = std::make_shared<Log>();
    auto gate = std::make_shared<QSemaphore>();
    WorkerStage stage(1 << 20, "tst-error");
    auto open = qScopeGuard([&] { gate->release(); });
    // Job 0 waits for the gate: every job is queued before any can fail.
    for (int i = 0; i < jobs; ++i) {
        const bool fails = failing.contains(i);
        const Status posted = stage.post(1, [log, gate, i, fails]() -> Status {
            if (i == 0)
                gate->acquire();
            log->record(i, 0);
            if (fails)
                return fail(Error::Kind::Io, QStringLiteral("job %1 failed").arg(i));
            return {};
        });
        QVERIFY2(posted, qPrintable(describe(posted)));
    }
    gate->release();
    open.dismiss();
    const Status drained = stage.drain();
    QVERIFY(!drained);
    QCOMPARE(drained.error().kind, Error::Kind::Io);
    QCOMPARE(drained.error().message, QStringLiteral("job %1 failed").arg(firstFailure));
    // The jobs after the failure were skipped, and their captures released.
    QVERIFY(log->snapshot() == upTo(firstFailure + 1));
    QCOMPARE(stage.bytesInFlight(), qint64(0));
    QCOMPARE(log.use_count(), 1);
    // From now on post() refuses with the same error, and drops its job unrun.
    auto late = std::make_shared<int>(0);
    const Status refused = stage.post(1, [late] {
        ++*late;
        return Status();
    });
    QVERIFY(!refused);
    QCOMPARE(refused.error().message, drained.error().message);
    QCOMPARE(late.use_count(), 1);
    QCOMPARE(*late, 0);
    QCOMPARE(stage.status().error().message, drained.error().message);
}

void tst_WorkerStage::destructorRunsQueued_data()
{
    QTest::addColumn<int>("jobs");
    QTest::newRow("never started") << 0;
    QTest::newRow("one job") << 1;
    QTest::newRow("many jobs") << 2000;
}

void tst_WorkerStage::destructorRunsQueued()
{
    QFETCH(int, jobs);
    auto log = std::make_shared<Log>();
    {
        WorkerStage stage(1 << 20, "tst-destroy");
        for (int i = 0; i < jobs; ++i)
            QVERIFY(stage.post(1, [log, i] {
                log->record(i, 0);
                return Status();
            }));
        // No drain(): the destructor runs what is queued, then joins.
    }
    QVERIFY(log->snapshot() == upTo(jobs));
    QCOMPARE(log.use_count(), 1);
}

void tst_WorkerStage::discardDropsQueued()
{
    auto log = std::make_shared<Log>();
    auto gate = std::make_shared<QSemaphore>();
    WorkerStage stage(1000, "tst-discard");
    auto open = qScopeGuard([&] { gate->release(); });
    auto started = std::make_shared<std::atomic<bool>>(false);
    QVERIFY(stage.post(7, [log, gate, started] {
        *started = true;
        gate->acquire();
        log->record(0, 0);
        return Status();
    }));
    auto dropped = std::make_shared<int>(0);
    for (int i = 1; i <= 10; ++i)
        QVERIFY(stage.post(1, [log, dropped, i] {
            log->record(i, 0);
            return Status();
        }));
    // discard() drops the queued jobs at once, then waits for the one running: the first job
    // must be running (not still queued) before discard() is called.
    QTRY_VERIFY(started->load());
    std::atomic<bool> discarded = false;
    std::unique_ptr<QThread> caller(QThread::create([&] {
        stage.discard();
        discarded = true;
    }));
    caller->start();
    QTRY_COMPARE(stage.bytesInFlight(), qint64(7));
    QVERIFY(!discarded);
    gate->release();
    open.dismiss();
    QVERIFY(caller->wait());
    QVERIFY(discarded);
    QCOMPARE(dropped.use_count(), 1);
    QVERIFY(log->snapshot() == std::vector<int>{0});
    // Not an error: the stage goes on.
    QVERIFY(stage.status());
    QVERIFY(stage.post(1, [log] {
        log->record(11, 0);
        return Status();
    }));
    QVERIFY(stage.drain());
    QVERIFY(log->snapshot() == (std::vector<int>{0, 11}));
}

QTEST_GUILESS_MAIN(tst_WorkerStage)
#include "tst_workerstage.moc"
