// guarded / postGuarded (core/common/guarded): a guarded callback runs, with its arguments, only
// while its context object lives; a posted one runs later on the context's thread, never inside
// the call that posts it, and not at all once the context is gone.

#include "common/guarded.h"

#include <QTest>

#include <functional>
#include <memory>

using namespace Berth;

class TestGuarded : public QObject
{
    Q_OBJECT

private slots:
    void callsOnlyWhileContextLives_data()
    {
        QTest::addColumn<bool>("destroyFirst");
        QTest::addColumn<int>("calls");
        QTest::addColumn<QString>("expected");
        QTest::newRow("alive, once") << false << 1 << QStringLiteral("a1");
        QTest::newRow("alive, twice") << false << 2 << QStringLiteral("a1a2");
        QTest::newRow("destroyed") << true << 2 << QString();
    }
    void callsOnlyWhileContextLives()
    {
        QFETCH(bool, destroyFirst);
        QFETCH(int, calls);
        QFETCH(QString, expected);
        auto context = std::make_unique<QObject>();
        QString seen;
        std::function<void(QString, int)> callback = guarded(
            context.get(), [&seen](const QString &s, int n) { seen += s + QString::number(n); });
        if (destroyFirst)
            context.reset();
        for (int i = 1; i <= calls; ++i)
            callback(QStringLiteral("a"), i);
        QCOMPARE(seen, expected);
    }

    void movesItsArguments()
    {
        QObject context;
        std::unique_ptr<int> received;
        auto callback
            = guarded(&context, [&received](std::unique_ptr<int> p) { received = std::move(p); });
        callback(std::make_unique<int>(7));
        QVERIFY(received);
        QCOMPARE(*received, 7);
    }

    void postsToALaterTurn_data()
    {
        QTest::addColumn<bool>("destroyBeforeLoop");
        QTest::addColumn<bool>("expectRun");
        QTest::newRow("alive") << false << true;
        QTest::newRow("destroyed before the loop runs") << true << false;
    }
    void postsToALaterTurn()
    {
        QFETCH(bool, destroyBeforeLoop);
        QFETCH(bool, expectRun);
        auto context = std::make_unique<QObject>();
        bool ran = false;
        postGuarded(context.get(), [&ran] { ran = true; });
        QVERIFY(!ran); // never inside the call that posts
        if (destroyBeforeLoop)
            context.reset();
        // A marker posted after it, to the same thread: once it ran, the first had its turn.
        QObject marker;
        bool markerRan = false;
        QMetaObject::invokeMethod(
            &marker, [&markerRan] { markerRan = true; }, Qt::QueuedConnection);
        QTRY_VERIFY(markerRan);
        QCOMPARE(ran, expectRun);
    }

    void postsNothingForADeadContext()
    {
        QPointer<QObject> none;
        bool ran = false;
        postGuarded(none.data(), [&ran] { ran = true; });
        QObject marker;
        bool markerRan = false;
        QMetaObject::invokeMethod(
            &marker, [&markerRan] { markerRan = true; }, Qt::QueuedConnection);
        QTRY_VERIFY(markerRan);
        QVERIFY(!ran);
    }
};

QTEST_GUILESS_MAIN(TestGuarded)
#include "tst_guarded.moc"
