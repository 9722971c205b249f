#include "curlpool.h"

#include "curlexchange_p.h"
#include "curlglobal.h"

#include <QMetaObject>

#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace Berth {

namespace {

// How long the pool's thread sleeps when no socket wakes it: the longest a cancelled exchange
// that waits for a free connection goes unnoticed. Idle, it sleeps until new work wakes it.
constexpr int PollMs = 100;
constexpr int IdlePollMs = 60000;

} // namespace

// The multi handle and the thread that drives it. Everything but the queue of new exchanges and
// the stop flag belongs to that thread.
struct CurlPool::Engine
{
    struct Transfer
    {
        Transfer(CurlRequest request, CancelToken cancel, Progress progress, Done done)
            : exchange(std::move(request), std::move(cancel), std::move(progress))
            , done(std::move(done))
        {}

        CurlExchange exchange;
        Done done;
    };

    Engine(QObject *owner, const CurlPoolOptions &options);
    ~Engine();

    void submit(std::unique_ptr<Transfer> transfer);
    void stop();

private:
    void loop();
    void adopt();
    void dropCancelled();
    void harvest();
    void finish(CURL *handle, CURLcode code);
    void abandonAll();

    QObject *m_owner;
    CURLM *m_multi = nullptr;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Transfer>> m_queue;
    bool m_stopping = false;
    std::unordered_map<CURL *, std::unique_ptr<Transfer>> m_running;
    std::thread m_thread;
};

CurlPool::Engine::Engine(QObject *owner, const CurlPoolOptions &options)
    : m_owner(owner)
{
    initCurl();
    m_multi = curl_multi_init();
    curl_multi_setopt(m_multi, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
    curl_multi_setopt(m_multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(options.maxHostConnections));
    curl_multi_setopt(m_multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, long(options.maxTotalConnections));
    // Every connection a burst opened stays for the next burst (curl keeps 4 per handle added).
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, long(options.maxTotalConnections));
    m_thread = std::thread([this] { loop(); });
}

CurlPool::Engine::~Engine()
{
    stop();
    curl_multi_cleanup(m_multi);
}

void CurlPool::Engine::submit(std::unique_ptr<Transfer> transfer)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return; // shut down: nobody hears of it, as with an exchange in flight
        m_queue.push_back(std::move(transfer));
    }
    curl_multi_wakeup(m_multi);
}

void CurlPool::Engine::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    curl_multi_wakeup(m_multi);
    if (m_thread.joinable())
        m_thread.join();
}

void CurlPool::Engine::loop()
{
    for (;;) {
        adopt();
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                break;
        }
        dropCancelled();
        int running = 0;
        curl_multi_perform(m_multi, &running);
        harvest();
        curl_multi_poll(m_multi, nullptr, 0, m_running.empty() ? IdlePollMs : PollMs, nullptr);
    }
    abandonAll();
}

// New exchanges join the multi handle; one that ends before it begins (cancelled, broken certs.d
// material) is answered at once.
void CurlPool::Engine::adopt()
{
    std::vector<std::unique_ptr<Transfer>> fresh;
    {
        std::lock_guard lock(m_mutex);
        fresh.swap(m_queue);
    }
    for (auto &transfer : fresh) {
        CURL *handle = curl_easy_init();
        if (!transfer->exchange.prepare(handle, nullptr)) {
            m_running.emplace(handle, std::move(transfer));
            finish(handle, CURLE_OK);
            continue;
        }
        curl_multi_add_handle(m_multi, handle);
        m_running.emplace(handle, std::move(transfer));
    }
}

// An exchange still waiting for a connection makes no progress call that could end it.
void CurlPool::Engine::dropCancelled()
{
    std::vector<CURL *> cancelled;
    for (const auto &[handle, transfer] : m_running) {
        if (transfer->exchange.stopping())
            cancelled.push_back(handle);
    }
    for (CURL *handle : cancelled) {
        curl_multi_remove_handle(m_multi, handle);
        finish(handle, CURLE_ABORTED_BY_CALLBACK);
    }
}

void CurlPool::Engine::harvest()
{
    int left = 0;
    while (CURLMsg *message = curl_multi_info_read(m_multi, &left)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL *handle = message->easy_handle;
        const CURLcode code = message->data.result;
        curl_multi_remove_handle(m_multi, handle);
        finish(handle, code);
    }
}

void CurlPool::Engine::finish(CURL *handle, CURLcode code)
{
    auto node = m_running.extract(handle);
    if (node.empty())
        return;
    std::shared_ptr<Transfer> transfer(std::move(node.mapped()));
    auto outcome = std::make_shared<CurlOutcome>(transfer->exchange.complete(handle, code));
    curl_easy_cleanup(handle);
    QMetaObject::invokeMethod(
        m_owner,
        [transfer, outcome] {
            auto done = std::move(transfer->done);
            done(std::move(*outcome));
        },
        Qt::QueuedConnection);
}

// At shutdown nobody waits for an answer any more; the bodies and callbacks are released on this
// thread, which is safe because the transport holds each exchange's caller state itself
// (RegistryTransport's in-flight calls) and finishes it on its own thread.
void CurlPool::Engine::abandonAll()
{
    for (auto &[handle, transfer] : m_running) {
        curl_multi_remove_handle(m_multi, handle);
        transfer->exchange.complete(handle, CURLE_ABORTED_BY_CALLBACK);
        curl_easy_cleanup(handle);
    }
    m_running.clear();
    std::lock_guard lock(m_mutex);
    m_queue.clear();
}

CurlPool::CurlPool(QObject *parent)
    : CurlPool(CurlPoolOptions(), parent)
{}

CurlPool::CurlPool(const CurlPoolOptions &options, QObject *parent)
    : QObject(parent)
    , m_engine(std::make_shared<Engine>(this, options))
{}

CurlPool::~CurlPool()
{
    shutdown();
}

void CurlPool::shutdown()
{
    m_engine->stop();
}

void CurlPool::start(CurlRequest request, CancelToken cancel, Progress progress, Done done)
{
    m_engine->submit(
        std::make_unique<Engine::Transfer>(std::move(request),
                                           std::move(cancel),
                                           throttledProgress(this, std::move(progress)),
                                           std::move(done)));
}

} // namespace Berth
