#include "boundedparallel.h"

#include <memory>
#include <optional>

namespace Berth {

namespace {

// One runBounded call. Each step in flight holds the run through its `finished` callback and
// nothing else does, so the run lives exactly as long as it has work out, and holds no callback
// that holds it back.
class BoundedRun : public std::enable_shared_from_this<BoundedRun>
{
public:
    BoundedRun(int count,
               int parallel,
               std::function<void(int, StepDone)> step,
               std::function<void(Status)> done)
        : m_count(count)
        , m_parallel(parallel)
        , m_step(std::move(step))
        , m_done(std::move(done))
    {}

    // Starts steps until `parallel` are in flight. Re-entered when a step finishes at once.
    void launch()
    {
        while (!m_error && m_next < m_count && m_running < m_parallel) {
            const int index = m_next++;
            ++m_running;
            m_step(index, [self = shared_from_this()](Status s) { self->finished(std::move(s)); });
        }
    }

private:
    void finished(Status s)
    {
        --m_running;
        if (!s && !m_error)
            m_error = s.error();
        if (m_running > 0 || (!m_error && m_next < m_count))
            return launch();
        if (auto done = std::exchange(m_done, nullptr))
            done(m_error ? Status(std::unexpected(*m_error)) : Status());
    }

    const int m_count;
    const int m_parallel;
    int m_next = 0;
    int m_running = 0;
    std::optional<Error> m_error;
    std::function<void(int, StepDone)> m_step;
    std::function<void(Status)> m_done;
};

} // namespace

void runBounded(int count,
                int parallel,
                std::function<void(int, StepDone)> step,
                std::function<void(Status)> done)
{
    if (count == 0)
        return done(Status());
    std::make_shared<BoundedRun>(count, parallel, std::move(step), std::move(done))->launch();
}

} // namespace Berth
