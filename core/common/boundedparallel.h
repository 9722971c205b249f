#pragma once

#include "result.h"

#include <QList>

#include <functional>
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
