#pragma once

#include "result.h"

#include <QList>

#include <functional>
#include <memory>
#include <utility>

namespace Berth {

// How an asynchronous step says it is over.
using StepDone = std::function<void(Status)>;

// Runs step(i, finished) for i in [0, count) with at most `parallel` steps in flight, on the
// caller's thread (steps are asynchronous, e.g. network requests). The first failure stops new
// steps from starting and is reported once the ones in flight have finished; done(Status{}) when
// all succeeded. A step may call finished before it returns.
void runBounded(int count,
                int parallel,
                std::function<void(int, StepDone)> step,
                std::function<void(Status)> done);

// As runBounded, with a budget instead of a count: step i holds weight(i) units of it while in
// flight, and steps start in order while their weight fits (the first always starts).
void runBudgeted(int count,
                 int budget,
                 std::function<int(int)> weight,
                 std::function<void(int, StepDone)> step,
                 std::function<void(Status)> done);

// Blob transfers in flight. A small blob's time is round trips, so many go at once; a large
// one's is the link and the disk, so a few (TransferBudget / LargeTransferWeight) share them.
inline constexpr int TransferBudget = 32;
inline constexpr int LargeTransferWeight = 8;
inline constexpr qint64 SmallTransferSize = 4 * 1024 * 1024;
inline int transferWeight(qint64 size)
{
    return size >= 0 && size <= SmallTransferSize ? 1 : LargeTransferWeight;
}

// forEachBounded for blob transfers: the budget above, each item weighing by its size.
template<typename Item>
void forEachTransfer(QList<Item> items,
                     std::function<qint64(const Item &)> size,
                     std::function<void(const Item &, StepDone)> step,
                     std::function<void(Status)> done)
{
    const int count = int(items.size());
    auto shared = std::make_shared<const QList<Item>>(std::move(items));
    runBudgeted(
        count,
        TransferBudget,
        [shared, size = std::move(size)](int i) { return transferWeight(size(shared->at(i))); },
        [shared, step = std::move(step)](int i, StepDone finished) {
            step(shared->at(i), std::move(finished));
        },
        std::move(done));
}

// The bounded step runner over a list: step(item, finished) for each item, at most `parallel` at
// once, the first failure stopping the rest (runBounded's rules). The list is shared, not copied.
template<typename Item>
void forEachBounded(QList<Item> items,
                    int parallel,
                    std::function<void(const Item &, StepDone)> step,
                    std::function<void(Status)> done)
{
    const int count = int(items.size());
    runBounded(
        count,
        parallel,
        [items = std::move(items), step = std::move(step)](int i, StepDone finished) {
            step(items.at(i), std::move(finished));
        },
        std::move(done));
}

} // namespace Berth
