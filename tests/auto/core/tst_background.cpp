// runInBackground (core/common/background): the work runs on the thread pool, its result comes
// back moved to a callback on the context's thread; nothing comes back once the context is gone.

#include "common/background.h"
#include "common/result.h"

#include <QSemaphore>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <atomic>
#include <memory>

using namespace Berth;

class TestBackground : public QObject
{
    Q_OBJECT

private slots:
    void answersOnTheContextsThread_data()
    {
        QTest::addColumn<int>("input");
        QTest::addColumn<bool>("failing");
        QTest::newRow("a value") << 21 << false;
        QTest::newRow("zero") << 0 << false;
        QTest::newRow("an error") << 5 << true;
    }
    void answersOnTheContextsThread()
    {
        QFETCH(int, input);
        QFETCH(bool, failing);
        QObject context;
        QThread *const owner = QThread::currentThread();
        std::atomic<QThread *> workThread{nullptr};
        std::optional<Result<int>> answer;
        QThread *answerThread = nullptr;
        runInBackground(
            &context,
            [input, failing, &workThread]() -> Result<int> {
                workThread = QThread::currentThread();
                if (failing)
                    return fail(Error::Kind::Io, QStringLiteral("failed %1").arg(input));
                return input * 2;
            },
            [&](Result<int> r) {
                answerThread = QThread::currentThread();
                answer = std::move(r);
            });
        QVERIFY(!answer); // never inside the call
        QTRY_VERIFY(answer.has_value());
        QCOMPARE(answerThread, owner);
        QVERIFY(workThread.load() != owner);
        QCOMPARE(answer->has_value(), !failing);
        if (failing)
            QCOMPARE(answer->error().message, QStringLiteral("failed %1").arg(input));
        else
            QCOMPARE(**answer, input * 2);
    }

    void movesAMoveOnlyResult()
    {
        QObject context;
        std::unique_ptr<QString> received;
        bool answered = false;
        runInBackground(
            &context,
            [] { return std::make_unique<QString>(QStringLiteral("moved")); },
            [&](std::unique_ptr<QString> r) {
                received = std::move(r);
                answered = true;
            });
        QTRY_VERIFY(answered);
        QVERIFY(received);
        QCOMPARE(*received, QStringLiteral("moved"));
    }

    void runsVoidWork()
    {
        QObject context;
        std::atomic<int> ran{0};
        int answered = 0;
        runInBackground(
            &context, [&ran] { ++ran; }, [&answered] { ++answered; });
        QTRY_COMPARE(answered, 1);
        QCOMPARE(ran.load(), 1);
    }

    void dropsTheAnswerOfADeadContext_data()
    {
        QTest::addColumn<bool>("destroy");
        QTest::addColumn<int>("answers");
        QTest::newRow("alive") << false << 1;
        QTest::newRow("destroyed while working") << true << 0;
    }
    void dropsTheAnswerOfADeadContext()
    {
        QFETCH(bool, destroy);
        QFETCH(int, answers);
        auto context = std::make_unique<QObject>();
        QSemaphore started;
        QSemaphore release;
        auto owned = std::make_shared<int>(3); // what the work owns outlives the context
        int answered = 0;
        runInBackground(
            context.get(),
            [&started, &release, owned] {
                started.release();
                release.acquire();
                return *owned;
            },
            [&answered](int) { ++answered; });
        started.acquire();
        if (destroy)
            context.reset();
        release.release();
        QVERIFY(QThreadPool::globalInstance()->waitForDone(60000));
        // A marker posted once the work is over: the answer, if any, was posted before it.
        QObject marker;
        bool markerRan = false;
        QMetaObject::invokeMethod(
            &marker, [&markerRan] { markerRan = true; }, Qt::QueuedConnection);
        QTRY_VERIFY(markerRan);
        QCOMPARE(answered, answers);
    }
};

QTEST_GUILESS_MAIN(TestBackground)
#include "tst_background.moc"
