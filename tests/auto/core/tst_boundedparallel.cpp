// runBounded / forEachBounded (core/common/boundedparallel): at most `parallel` steps in flight,
// steps start in order, the first failure stops new steps and is reported once the steps in
// flight are over, done runs exactly once, and the run frees itself when it is over (whether its
// steps finish later or before they return).

#include "common/boundedparallel.h"

#include <QTest>

#include <deque>
#include <memory>

using namespace Berth;

class TestBoundedParallel : public QObject
{
    Q_OBJECT

private slots:
    void runsWithinTheBound_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("parallel");
        QTest::addColumn<int>("failAt"); // -1: none fails
        QTest::addColumn<bool>("synchronous");
        QTest::addColumn<int>("started");
        QTest::addColumn<int>("maxInFlight");

        QTest::newRow("nothing") << 0 << 4 << -1 << false << 0 << 0;
        QTest::newRow("fewer than the bound") << 3 << 4 << -1 << false << 3 << 3;
        QTest::newRow("more than the bound") << 10 << 4 << -1 << false << 10 << 4;
        QTest::newRow("one at a time") << 5 << 1 << -1 << false << 5 << 1;
        QTest::newRow("first fails") << 10 << 4 << 0 << false << 4 << 4;
        QTest::newRow("middle fails") << 10 << 3 << 5 << false << 8 << 3;
        QTest::newRow("last fails") << 6 << 2 << 5 << false << 6 << 2;
        QTest::newRow("synchronous steps") << 7 << 3 << -1 << true << 7 << 1;
        QTest::newRow("synchronous failure") << 7 << 3 << 2 << true << 3 << 1;
    }
    void runsWithinTheBound()
    {
        QFETCH(int, count);
        QFETCH(int, parallel);
        QFETCH(int, failAt);
        QFETCH(bool, synchronous);
        QFETCH(int, started);
        QFETCH(int, maxInFlight);

        std::deque<std::pair<int, StepDone>> pending;
        QList<int> order;
        int inFlight = 0;
        int highest = 0;
        int doneCalls = 0;
        std::optional<Status> result;
        auto alive = std::make_shared<int>(0);
        std::weak_ptr<int> watch = alive;
        auto outcome = [failAt](int i) {
            return i == failAt ? Status(fail(Error::Kind::Io, QStringLiteral("step %1").arg(i)))
                               : Status();
        };
        runBounded(
            count,
            parallel,
            [&, alive, outcome](int i, StepDone finished) {
                order << i;
                highest = std::max(highest, ++inFlight);
                if (synchronous) {
                    --inFlight;
                    return finished(outcome(i));
                }
                pending.emplace_back(i, std::move(finished));
            },
            [&, alive](Status s) {
                ++doneCalls;
                result = std::move(s);
            });
        alive.reset();
        // The test is the event loop: it finishes the oldest step in flight, one at a time.
        while (!pending.empty()) {
            auto [i, finished] = std::move(pending.front());
            pending.pop_front();
            --inFlight;
            finished(outcome(i));
        }

        QList<int> expectedOrder;
        for (int i = 0; i < started; ++i)
            expectedOrder << i;
        QCOMPARE(order, expectedOrder);
        QCOMPARE(highest, maxInFlight);
        QCOMPARE(doneCalls, 1);
        QVERIFY(result.has_value());
        QCOMPARE(result->has_value(), failAt < 0);
        if (failAt >= 0)
            QCOMPARE(result->error().message, QStringLiteral("step %1").arg(failAt));
        QVERIFY(watch.expired()); // neither step nor done outlives the run
    }

    void reportsTheFirstFailureOnly()
    {
        std::vector<StepDone> pending;
        std::optional<Status> result;
        runBounded(
            3,
            3,
            [&](int, StepDone finished) { pending.push_back(std::move(finished)); },
            [&](Status s) { result = std::move(s); });
        QCOMPARE(pending.size(), size_t(3));
        pending[1](fail(Error::Kind::Network, QStringLiteral("first")));
        QVERIFY(!result); // steps 0 and 2 are still in flight
        pending[0](fail(Error::Kind::Io, QStringLiteral("second")));
        pending[2](Status());
        QVERIFY(result);
        QVERIFY(!result->has_value());
        QCOMPARE(result->error().message, QStringLiteral("first"));
    }

    void forEachVisitsTheItems_data()
    {
        QTest::addColumn<QStringList>("items");
        QTest::addColumn<int>("parallel");
        QTest::newRow("none") << QStringList() << 2;
        QTest::newRow("one") << QStringList{QStringLiteral("a")} << 2;
        QTest::newRow("several") << QStringList{QStringLiteral("a"),
                                                QStringLiteral("b"),
                                                QStringLiteral("c"),
                                                QStringLiteral("d")}
                                 << 2;
    }
    void forEachVisitsTheItems()
    {
        QFETCH(QStringList, items);
        QFETCH(int, parallel);
        QStringList visited;
        std::optional<Status> result;
        forEachBounded<QString>(
            items,
            parallel,
            [&visited](const QString &item, StepDone finished) {
                visited << item;
                finished({});
            },
            [&result](Status s) { result = std::move(s); });
        QCOMPARE(visited, items);
        QVERIFY(result && result->has_value());
    }

    // runBudgeted / forEachTransfer: steps start in order while their weight fits the budget
    // (the first always does); the most weight in flight never passes it.
    void keepsWithinTheBudget_data()
    {
        QTest::addColumn<QList<int>>("weights");
        QTest::addColumn<int>("budget");
        QTest::addColumn<int>("maxInFlight");
        QTest::addColumn<int>("maxWeight");
        QTest::newRow("all light") << QList<int>(40, 1) << 32 << 32 << 32;
        QTest::newRow("all heavy") << QList<int>(10, 4) << 16 << 4 << 16;
        QTest::newRow("heavier than the budget") << QList<int>{20, 20, 1} << 16 << 1 << 20;
        QTest::newRow("heavy among light") << QList<int>{4, 1, 1, 4, 4, 4, 1, 1} << 16 << 7 << 16;
        QTest::newRow("zero weighs one") << QList<int>(5, 0) << 3 << 3 << 3;
    }
    void keepsWithinTheBudget()
    {
        QFETCH(QList<int>, weights);
        QFETCH(int, budget);
        QFETCH(int, maxInFlight);
        QFETCH(int, maxWeight);
        std::deque<std::pair<int, StepDone>> pending;
        QList<int> order;
        int inFlight = 0, weight = 0, highest = 0, heaviest = 0;
        std::optional<Status> result;
        runBudgeted(
            int(weights.size()),
            budget,
            [&](int i) { return weights.at(i); },
            [&](int i, StepDone finished) {
                order << i;
                highest = std::max(highest, ++inFlight);
                weight += std::max(1, weights.at(i));
                heaviest = std::max(heaviest, weight);
                pending.emplace_back(i, std::move(finished));
            },
            [&](Status s) { result = std::move(s); });
        while (!pending.empty()) {
            auto [i, finished] = std::move(pending.front());
            pending.pop_front();
            --inFlight;
            weight -= std::max(1, weights.at(i));
            finished({});
        }
        QList<int> expectedOrder;
        for (int i = 0; i < weights.size(); ++i)
            expectedOrder << i;
        QCOMPARE(order, expectedOrder);
        QCOMPARE(highest, maxInFlight);
        QCOMPARE(heaviest, maxWeight);
        QVERIFY(result && result->has_value());
    }

    void transfersWeighBySize_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<int>("weight");
        QTest::newRow("empty") << qint64(0) << 1;
        QTest::newRow("small") << qint64(2 * 1024 * 1024) << 1;
        QTest::newRow("at the limit") << SmallTransferSize << 1;
        QTest::newRow("past it") << SmallTransferSize + 1 << LargeTransferWeight;
        QTest::newRow("unknown") << qint64(-1) << LargeTransferWeight;
    }
    void transfersWeighBySize()
    {
        QFETCH(qint64, size);
        QFETCH(int, weight);
        QCOMPARE(transferWeight(size), weight);
    }
};

QTEST_GUILESS_MAIN(TestBoundedParallel)
#include "tst_boundedparallel.moc"
