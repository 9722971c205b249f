#pragma once

#include "result.h"

#include <functional>
#include <memory>
#include <utility>

namespace Berth {

// Runs step(i, finished) for i in [0, count) with at most `parallel` steps in flight, on the
// caller's thread (steps are asynchronous, e.g. network requests). The first failure stops new
// steps from starting and is reported once the ones in flight have finished; done(Status{}) when
// all succeeded.
inline void runBounded(int count,
                       int parallel,
                       std::function<void(int, std::function<void(Status)>)> step,
                       std::function<void(Status)> done)
{
    struct State
    {
        int count = 0;
        int next = 0;
        int running = 0;
        std::optional<Error> error;
        std::function<void(int, std::function<void(Status)>)> step;
        std::function<void(Status)> done;
    };
    auto state = std::make_shared<State>();
    state->count = count;
    state->step = std::move(step);
    state->done = std::move(done);
    // In-flight steps hold the launcher; it holds itself only weakly, so nothing cycles and it is
    // never destroyed while running (a step may finish synchronously, re-entering it).
    auto launch = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakLaunch = launch;
    *launch = [state, parallel, weakLaunch] {
        auto self = weakLaunch.lock();
        while (self && !state->error && state->next < state->count && state->running < parallel) {
            const int index = state->next++;
            ++state->running;
            state->step(index, [state, self](Status s) {
                --state->running;
                if (!s && !state->error)
                    state->error = s.error();
                if (state->running == 0 && (state->error || state->next >= state->count)) {
                    if (auto finish = std::exchange(state->done, nullptr))
                        finish(state->error ? Status(std::unexpected(*state->error)) : Status());
                    return;
                }
                (*self)();
            });
        }
    };
    if (count == 0)
        return state->done(Status());
    (*launch)();
}

} // namespace Berth
