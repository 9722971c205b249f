#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace Berth {

// A cancellation flag shared between whoever started an operation and the operation itself.
// Copies share state. Thread-safe: disk work on QtConcurrent polls isCancelled(); network work
// registers a handler that aborts its reply.
class CancelToken
{
public:
    CancelToken()
        : m_state(std::make_shared<State>())
    {}

    void cancel() const
    {
        std::vector<std::function<void()>> handlers;
        {
            std::lock_guard lock(m_state->mutex);
            if (m_state->cancelled.exchange(true))
                return;
            handlers.swap(m_state->handlers);
        }
        for (auto &h : handlers)
            h();
    }

    bool isCancelled() const { return m_state->cancelled.load(std::memory_order_relaxed); }

    // Runs handler at cancel() (at once if already cancelled). Handlers run on the cancelling
    // thread: network code passes a handler that queues the abort to its own thread.
    void onCancel(std::function<void()> handler) const
    {
        {
            std::lock_guard lock(m_state->mutex);
            if (!m_state->cancelled) {
                m_state->handlers.push_back(std::move(handler));
                return;
            }
        }
        handler();
    }

private:
    struct State
    {
        std::atomic<bool> cancelled{false};
        std::mutex mutex;
        std::vector<std::function<void()>> handlers;
    };
    std::shared_ptr<State> m_state;
};

} // namespace Berth
