#include "workerstage.h"

#include <system_error>
#include <utility>

#ifdef Q_OS_LINUX
#include <pthread.h>
#endif

namespace Berth {

WorkerStage::WorkerStage(qint64 maxBytesInFlight, const char *name)
    : m_maxBytes(maxBytesInFlight)
    , m_name(name)
{}

WorkerStage::~WorkerStage()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_workAvailable.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

Status WorkerStage::post(qint64 bytes, Job job)
{
    std::unique_lock lock(m_mutex);
    if (m_error)
        return statusLocked();
    if (!m_thread.joinable() && !m_inline) {
        // std::thread reports a thread it cannot start (a process limit) only by throwing.
        try {
            m_thread = std::thread([this] { run(); });
        } catch (const std::system_error &) {
            m_inline = true;
        }
    }
    if (m_inline) {
        // No thread: the job runs here, one at a time still, which keeps the order and the
        // results, only not the overlap.
        m_progressed.wait(lock, [&] { return !m_running; });
        if (m_error)
            return statusLocked();
        m_running = true;
        lock.unlock();
        Status s = job();
        job = nullptr;
        lock.lock();
        m_running = false;
        if (!s && !m_error)
            m_error = s.error();
        m_progressed.notify_all();
        return s;
    }
    ++m_waiting;
    m_progressed.wait(
        lock, [&] { return m_error || m_inFlight == 0 || m_inFlight + bytes <= m_maxBytes; });
    --m_waiting;
    if (m_error)
        return statusLocked(); // `job` is destroyed here, on the poster's thread
    m_queue.push_back(Queued{std::move(job), bytes});
    m_inFlight += bytes;
    lock.unlock();
    m_workAvailable.notify_one();
    return {};
}

Status WorkerStage::drain()
{
    std::unique_lock lock(m_mutex);
    m_progressed.wait(lock, [&] { return m_queue.empty() && !m_running; });
    return statusLocked();
}

void WorkerStage::discard()
{
    std::deque<Queued> dropped;
    {
        std::unique_lock lock(m_mutex);
        dropped.swap(m_queue);
        for (const Queued &q : dropped)
            m_inFlight -= q.bytes;
        m_progressed.notify_all();
        m_progressed.wait(lock, [&] { return !m_running; });
    }
    // Outside the lock: dropping a job may run destructors (a writer removing its temp file).
    dropped.clear();
}

Status WorkerStage::status() const
{
    std::lock_guard lock(m_mutex);
    return statusLocked();
}

Status WorkerStage::statusLocked() const
{
    if (m_error)
        return fail(*m_error);
    return {};
}

qint64 WorkerStage::bytesInFlight() const
{
    std::lock_guard lock(m_mutex);
    return m_inFlight;
}

int WorkerStage::waitingPosters() const
{
    std::lock_guard lock(m_mutex);
    return m_waiting;
}

void WorkerStage::run()
{
#ifdef Q_OS_LINUX
    if (m_name)
        ::pthread_setname_np(::pthread_self(), m_name);
#endif
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_workAvailable.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopping, and everything posted has run
        Queued next = std::move(m_queue.front());
        m_queue.pop_front();
        m_running = true;
        lock.unlock();
        Status s = next.job();
        // The job's captures (a buffer, a file) go before its bytes count as free, so that the
        // bound holds for memory, not just for the queue.
        next.job = nullptr;
        lock.lock();
        m_inFlight -= next.bytes;
        if (!s && !m_error) {
            m_error = s.error();
            std::deque<Queued> dropped;
            dropped.swap(m_queue);
            for (const Queued &q : dropped)
                m_inFlight -= q.bytes;
            // Still running until the dropped jobs are gone: drain() returns after their
            // destructors (a writer removing its temp file) ran, not while they run.
            lock.unlock();
            dropped.clear();
            lock.lock();
        }
        m_running = false;
        m_progressed.notify_all();
    }
}

} // namespace Berth
