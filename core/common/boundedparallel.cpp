#include "boundedparallel.h"

#include <algorithm>
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
               int budget,
               std::function<int(int)> weight,
               std::function<void(int, StepDone)> step,
               std::function<void(Status)> done)
        : m_count(count)
        , m_budget(budget)
        , m_weight(std::move(weight))
        , m_step(std::move(step))
        , m_done(std::move(done))
    {}

    // Starts steps while their weight fits the budget. Re-entered when a step finishes at once.
    void launch()
    {
        while (!m_error && m_next < m_count) {
            const int index = m_next;
            const int weight = std::max(1, m_weight(index));
            if (m_running > 0 && m_used + weight > m_budget)
                break;
            ++m_next;
            ++m_running;
            m_used += weight;
            m_step(index, [self = shared_from_this(), weight](Status s) {
                self->finished(weight, std::move(s));
            });
        }
    }

private:
    void finished(int weight, Status s)
    {
        --m_running;
        m_used -= weight;
        if (!s && !m_error)
            m_error = s.error();
        if (m_running > 0 || (!m_error && m_next < m_count))
            return launch();
        if (auto done = std::exchange(m_done, nullptr))
            done(m_error ? Status(std::unexpected(*m_error)) : Status());
    }

    const int m_count;
    const int m_budget;
    std::function<int(int)> m_weight;
    int m_next = 0;
    int m_running = 0;
    int m_used = 0;
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
    runBudgeted(
        count, parallel, [](int) { return 1; }, std::move(step), std::move(done));
}

void runBudgeted(int count,
                 int budget,
                 std::function<int(int)> weight,
                 std::function<void(int, StepDone)> step,
                 std::function<void(Status)> done)
{
    if (count == 0)
        return done(Status());
    std::make_shared<BoundedRun>(count, budget, std::move(weight), std::move(step), std::move(done))
        ->launch();
}

} // namespace Berth
