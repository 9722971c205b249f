#pragma once

#include "curlexchange.h"

#include <QList>
#include <QObject>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <mutex>

namespace Berth {

struct CurlTransfersOptions
{
    // Transfers in parallel (bounded by the callers); a thread each, blocked on its socket.
    int maxThreads = 32;
    // Handles kept with their open connections for the next transfer (one per layer downloading
    // in parallel); 0: a connection per transfer, for a body that cannot be resent.
    int idleHandles = 8;
    // Whether the threads yield to the GUI thread (see transfersYieldToMainThread) while they
    // receive, hash and write; an engine's threads mostly wait for the engine.
    bool lowerPriority = true;
};

// Runs CurlRequests on transfer threads of its own (never the global pool, which disk work
// shares). DNS answers and TLS sessions are shared between transfers, and idle handles keep their
// connections, so the next blob of a pull reuses the connection the last one opened.
class CurlTransfers final : public QObject
{
    Q_OBJECT

public:
    // At most every 50 ms.
    using Progress = std::function<void(const CurlProgress &)>;
    using Done = std::function<void(CurlOutcome)>;

    explicit CurlTransfers(QObject *parent = nullptr);
    explicit CurlTransfers(const CurlTransfersOptions &options, QObject *parent = nullptr);
    // Aborts what runs and waits for the transfer threads: no callback runs afterwards.
    ~CurlTransfers() override;

    // progress and done run on this object's thread, done exactly once unless this object is
    // destroyed first; the request's callbacks run on a transfer thread. Cancelling the token
    // aborts the transfer (done then reports OperationCanceledError).
    void start(CurlRequest request, CancelToken cancel, Progress progress, Done done);

    // Aborts every transfer and waits until the threads are done with them.
    void shutdown();

private:
    struct Shared;
    struct Transfer;

    void run(const std::shared_ptr<Transfer> &transfer);

    CurlTransfersOptions m_options;
    QThreadPool m_pool;
    std::shared_ptr<Shared> m_shared;
    std::mutex m_mutex;
    QList<std::weak_ptr<Transfer>> m_running;
};

} // namespace Berth
