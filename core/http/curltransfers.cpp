#include "curltransfers.h"

#include "common/threadpriority.h"
#include "curlexchange_p.h"
#include "curlglobal.h"

#include <QElapsedTimer>
#include <QMetaObject>

#include <vector>

namespace Berth {

namespace {

constexpr qint64 ProgressIntervalMs = 50;

} // namespace

// What the transfer threads share: the DNS and TLS session caches, and idle handles whose
// connections stay open for the next transfer (libcurl does not support sharing a connection
// cache between concurrent threads; a handle reused whole keeps its own).
struct CurlTransfers::Shared
{
    CURLSH *share = nullptr;
    std::mutex locks[CURL_LOCK_DATA_LAST];
    std::mutex idleMutex;
    std::vector<CURL *> idle;
    int maxIdle = 0;

    explicit Shared(int maxIdleHandles)
        : maxIdle(maxIdleHandles)
    {
        initCurl();
        share = curl_share_init();
        curl_share_setopt(share, CURLSHOPT_USERDATA, this);
        curl_share_setopt(
            share,
            CURLSHOPT_LOCKFUNC,
            +[](CURL *, curl_lock_data data, curl_lock_access, void *self) {
                static_cast<Shared *>(self)->locks[data].lock();
            });
        curl_share_setopt(
            share, CURLSHOPT_UNLOCKFUNC, +[](CURL *, curl_lock_data data, void *self) {
                static_cast<Shared *>(self)->locks[data].unlock();
            });
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }

    ~Shared()
    {
        for (CURL *handle : idle)
            curl_easy_cleanup(handle);
        curl_share_cleanup(share);
    }

    CURL *take()
    {
        {
            std::lock_guard lock(idleMutex);
            if (!idle.empty()) {
                CURL *handle = idle.back();
                idle.pop_back();
                curl_easy_reset(handle); // keeps the live connections
                return handle;
            }
        }
        return curl_easy_init();
    }

    void give(CURL *handle, bool reusable)
    {
        std::lock_guard lock(idleMutex);
        if (reusable && int(idle.size()) < maxIdle)
            idle.push_back(handle);
        else
            curl_easy_cleanup(handle);
    }
};

struct CurlTransfers::Transfer
{
    Transfer(CurlRequest request, CancelToken cancel, Progress progress, Done done)
        : exchange(std::move(request), std::move(cancel), std::move(progress))
        , done(std::move(done))
    {}

    CurlExchange exchange;
    Done done;
    CurlOutcome outcome;
};

CurlTransfers::CurlTransfers(QObject *parent)
    : CurlTransfers(CurlTransfersOptions(), parent)
{}

CurlTransfers::CurlTransfers(const CurlTransfersOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_shared(std::make_shared<Shared>(options.idleHandles))
{
    m_pool.setMaxThreadCount(options.maxThreads);
    m_pool.setExpiryTimeout(30000);
}

CurlTransfers::~CurlTransfers()
{
    shutdown();
}

void CurlTransfers::shutdown()
{
    {
        std::lock_guard lock(m_mutex);
        for (const auto &weak : std::as_const(m_running)) {
            if (auto transfer = weak.lock())
                transfer->exchange.abort();
        }
    }
    m_pool.waitForDone();
}

std::function<void(const CurlProgress &)>
throttledProgress(QObject *receiver, std::function<void(const CurlProgress &)> progress)
{
    if (!progress)
        return {};
    QElapsedTimer sinceLast;
    sinceLast.start();
    return [receiver, progress = std::move(progress), sinceLast](const CurlProgress &now) mutable {
        if (!sinceLast.hasExpired(ProgressIntervalMs))
            return;
        sinceLast.restart();
        QMetaObject::invokeMethod(
            receiver, [progress, now] { progress(now); }, Qt::QueuedConnection);
    };
}

void CurlTransfers::start(CurlRequest request, CancelToken cancel, Progress progress, Done done)
{
    auto transfer = std::make_shared<Transfer>(std::move(request),
                                               std::move(cancel),
                                               throttledProgress(this, std::move(progress)),
                                               std::move(done));
    {
        std::lock_guard lock(m_mutex);
        m_running.removeIf([](const std::weak_ptr<Transfer> &w) { return w.expired(); });
        m_running.append(transfer);
    }
    m_pool.start([this, transfer] { run(transfer); });
}

void CurlTransfers::run(const std::shared_ptr<Transfer> &transfer)
{
    // Receiving, hashing and writing keep a core busy per transfer: below the GUI thread.
    if (m_options.lowerPriority && transfersYieldToMainThread())
        lowerCurrentThreadPriority();
    CURL *curl = m_shared->take();
    transfer->outcome = transfer->exchange.run(curl, m_shared->share);
    m_shared->give(curl, transfer->exchange.leftHandleReusable());
    QMetaObject::invokeMethod(
        this,
        [transfer] {
            auto done = std::move(transfer->done);
            done(std::move(transfer->outcome));
        },
        Qt::QueuedConnection);
}

} // namespace Berth
