// Transfer threads yield the CPU to the GUI thread: lowerCurrentThreadPriority() on a thread of
// its own, and the transfer threads of CurlTransfers, which call it, against a loopback server.
#include "asynctest.h"
#include "fakehubserver.h"

#include "common/threadpriority.h"
#include "http/curltransfers.h"

#include <QScopeGuard>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>

using namespace Berth;
using namespace BerthTest;

namespace {

// The niceness `work` leaves its own fresh thread with.
int niceAfter(const std::function<void()> &work)
{
    int nice = -100;
    QThread *thread = QThread::create([&] {
        work();
        nice = currentThreadNiceness();
    });
    thread->start();
    thread->wait();
    delete thread;
    return nice;
}

} // namespace

class tst_ThreadPriority final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void lowers_data();
    void lowers();
    void neverRaises();
    void transferThreadsKeepPriorityUnlessAsked();
    void transferThreadsRunLower();

private:
    int niceWhileReceiving(bool yield);
    int m_mainNice = 0;
};

void tst_ThreadPriority::initTestCase()
{
#ifndef Q_OS_LINUX
    QSKIP("thread nice values are a Linux notion");
#endif
    m_mainNice = currentThreadNiceness();
    if (m_mainNice >= 19)
        QSKIP("the test runs at the lowest priority already: nothing left to lower");
}

void tst_ThreadPriority::lowers_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("times");

    QTest::newRow("default") << TransferThreadNiceness << 1;
    QTest::newRow("default, twice: the same, not twice as low") << TransferThreadNiceness << 2;
    QTest::newRow("one step") << 1 << 1;
    QTest::newRow("past the lowest: clamped") << 40 << 1;
    QTest::newRow("negative: nothing") << -5 << 1;
}

void tst_ThreadPriority::lowers()
{
    QFETCH(int, steps);
    QFETCH(int, times);
    const int nice = niceAfter([&] {
        for (int i = 0; i < times; ++i)
            lowerCurrentThreadPriority(steps);
    });
    QCOMPARE(nice, std::clamp(m_mainNice + steps, m_mainNice, 19));
    // Only the calling thread: the main (GUI) thread keeps its priority.
    QCOMPARE(currentThreadNiceness(), m_mainNice);
}

void tst_ThreadPriority::neverRaises()
{
    // A thread already lower than asked stays where it is (raising it would need privileges).
    const int nice = niceAfter([] {
        lowerCurrentThreadPriority(15);
        lowerCurrentThreadPriority(2);
    });
    QCOMPARE(nice, std::min(m_mainNice + 15, 19));
}

// The nice value a CurlTransfers' thread has while it receives a body, with transfers yielding to
// the main thread or not (a fresh CurlTransfers: its pool's threads have never been lowered).
int tst_ThreadPriority::niceWhileReceiving(bool yield)
{
    setTransfersYieldToMainThread(yield);
    const auto restore = qScopeGuard([] { setTransfersYieldToMainThread(false); });
    FakeHubServer server;
    if (!server.listen())
        return -200;
    server.route(QStringLiteral("/blob"), FakeHubResponse::json(QByteArray(256 * 1024, 'x')));

    CurlTransfers transfers;
    std::atomic<int> niceOnData = -100;
    std::atomic<qint64> received = 0;
    CurlRequest request;
    request.url = server.url().resolved(QUrl(QStringLiteral("/blob")));
    request.onData = [&](QByteArrayView data) -> Status {
        niceOnData = currentThreadNiceness();
        received += data.size();
        return {};
    };
    const auto outcome = await<CurlOutcome>([&](auto done) {
        transfers.start(
            std::move(request), CancelToken(), {}, [done](CurlOutcome o) { done(std::move(o)); });
    });
    if (!outcome || outcome->error != QNetworkReply::NoError || received.load() != 256 * 1024)
        return -100;
    return niceOnData.load();
}

void tst_ThreadPriority::transferThreadsKeepPriorityUnlessAsked()
{
    // berthctl: nothing to keep responsive, the transfer keeps the process's priority.
    QCOMPARE(niceWhileReceiving(false), m_mainNice);
}

void tst_ThreadPriority::transferThreadsRunLower()
{
    // The GUI: the body arrives (and is hashed and written) on a thread below the GUI thread.
    QCOMPARE(niceWhileReceiving(true), std::min(m_mainNice + TransferThreadNiceness, 19));
    QCOMPARE(currentThreadNiceness(), m_mainNice);
}

QTEST_GUILESS_MAIN(tst_ThreadPriority)
#include "tst_threadpriority.moc"
