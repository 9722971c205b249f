#pragma once

#include <QSemaphore>
#include <QThreadPool>

namespace BerthTest {

// Occupies every thread of a pool (the global one by default) until released or destroyed: work
// queued meanwhile waits, so a test can act while a result is known to be still on its way.
class PoolBlocker final
{
public:
    explicit PoolBlocker(QThreadPool *pool = QThreadPool::globalInstance())
        : m_count(pool->maxThreadCount())
    {
        for (int i = 0; i < m_count; ++i) {
            pool->start([this] {
                m_started.release();
                m_release.acquire();
            });
        }
        m_started.acquire(m_count); // every thread is held, none is left for queued work
    }
    ~PoolBlocker() { release(); }
    PoolBlocker(const PoolBlocker &) = delete;
    PoolBlocker &operator=(const PoolBlocker &) = delete;

    void release()
    {
        m_release.release(m_count - m_released);
        m_released = m_count;
    }

private:
    int m_count;
    int m_released = 0;
    QSemaphore m_started;
    QSemaphore m_release;
};

} // namespace BerthTest
