#pragma once

#include "common/result.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace Berth {

// One stage of a pipeline on a thread of its own: hashing or writing what the posting thread
// reads, so that the two overlap on two cores. Jobs run one at a time, in the order they were
// posted. What is in flight (queued or running) is bounded in bytes, as each job declares them:
// post() waits while the bound would be exceeded, so memory stays flat however far the poster
// runs ahead. The first job that fails stops the stage: the jobs after it are dropped unrun, and
// post() and drain() return its error from then on.
//
// A job must own what it touches (shared pointers, implicitly shared buffers): the poster may
// return early and take its stack with it while the job waits. The thread starts with the first
// post(), so a stage that is never used costs nothing; when none can be started, post() runs
// each job itself.
class WorkerStage final
{
public:
    using Job = std::function<Status()>;

    // `name` names the thread (at most 15 characters on Linux), for profilers and debuggers.
    WorkerStage(qint64 maxBytesInFlight, const char *name);
    // Runs the jobs still queued (unless discard()ed first), then ends the thread.
    ~WorkerStage();
    Q_DISABLE_COPY_MOVE(WorkerStage)

    // Queues `job`, accounting `bytes` against the bound: waits until the jobs in flight and this
    // one fit (a job larger than the bound alone waits for an empty stage). Returns the error of
    // an earlier job that failed, in which case `job` is dropped.
    Status post(qint64 bytes, Job job);
    // Waits until every job posted so far has run; the first failure, if any.
    Status drain();
    // Drops the jobs not started yet and waits for the one running: for a caller that gives up.
    // The stage stays usable.
    void discard();

    // The first failure so far, without waiting.
    Status status() const;
    // For monitoring and the tests: bytes queued or running, posters waiting for room.
    qint64 bytesInFlight() const;
    int waitingPosters() const;

private:
    struct Queued
    {
        Job job;
        qint64 bytes = 0;
    };

    void run();
    Status statusLocked() const;

    const qint64 m_maxBytes;
    const char *const m_name;
    mutable std::mutex m_mutex;
    std::condition_variable m_workAvailable; // the worker waits for jobs (or the end)
    std::condition_variable m_progressed;    // posters and drain() wait for jobs to finish
    std::deque<Queued> m_queue;
    qint64 m_inFlight = 0;
    int m_waiting = 0;
    bool m_running = false; // a job is running now
    bool m_stopping = false;
    bool m_inline = false; // no thread could be started: post() runs jobs itself
    std::optional<Error> m_error;
    std::thread m_thread;
};

} // namespace Berth
