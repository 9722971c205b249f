#include "curlexchange.h"

#include "common/curlglobal.h"
#include "common/threadpriority.h"

#include <QElapsedTimer>
#include <QMetaObject>

#include <curl/curl.h>

#include <atomic>
#include <vector>

namespace Berth {

namespace {

// Large enough that a loopback or LAN transfer hands big slices to the hasher and the file
// (curl's default is 16 KiB); libcurl caps it at 10 MiB.
constexpr long ReceiveBuffer = 1024 * 1024;
constexpr long SendBuffer = 1024 * 1024;
constexpr qint64 MaxErrorBody = 64 * 1024;
constexpr qint64 ProgressIntervalMs = 50;
// Idle handles kept for their open connections (one per layer downloading in parallel).
constexpr int MaxIdleHandles = 8;

QNetworkReply::NetworkError networkError(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
        return QNetworkReply::ConnectionRefusedError;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return QNetworkReply::HostNotFoundError;
    case CURLE_OPERATION_TIMEDOUT:
        return QNetworkReply::TimeoutError;
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return QNetworkReply::RemoteHostClosedError;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
        return QNetworkReply::SslHandshakeFailedError;
    case CURLE_ABORTED_BY_CALLBACK:
        return QNetworkReply::OperationCanceledError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

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

    Shared()
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
        if (reusable && int(idle.size()) < MaxIdleHandles)
            idle.push_back(handle);
        else
            curl_easy_cleanup(handle);
    }
};

struct CurlTransfers::Transfer
{
    CurlRequest request;
    CancelToken cancel;
    Progress progress;
    Done done;
    std::atomic<bool> aborted{false};
    bool timedOut = false;
    bool tooSlow = false;

    // Transfer-thread state.
    CurlOutcome outcome;
    bool headDone = false;
    QElapsedTimer lastProgress;
    QElapsedTimer sinceLastByte; // the inactivity timeout, to the millisecond
    curl_off_t bytesSeen = -1;
    QElapsedTimer rateWindow; // the minimum rate: bytes moved since the window began
    curl_off_t rateWindowBytes = 0;
    CurlTransfers *owner = nullptr; // outlives the transfer: its destructor waits for it
    char errorBuffer[CURL_ERROR_SIZE] = {};
    CURL *handle = nullptr;

    bool stopping() const { return aborted.load() || cancel.isCancelled(); }

    bool success() const { return outcome.head.status >= 200 && outcome.head.status < 300; }

    // Ends the head at the blank line; a 1xx (100 Continue) head is followed by the real one.
    size_t onHeader(const char *data, size_t size)
    {
        const QByteArray line = QByteArray(data, qsizetype(size)).trimmed();
        if (line.startsWith("HTTP/")) {
            outcome.head = {};
            headDone = false;
            const QList<QByteArray> parts = line.split(' ');
            outcome.head.status = parts.size() > 1 ? parts.at(1).toInt() : 0;
            return size;
        }
        if (line.isEmpty()) {
            if (outcome.head.status >= 200)
                headDone = true;
            if (headDone && success() && request.onResponse) {
                if (Status s = request.onResponse(outcome.head); !s) {
                    outcome.abortError = s.error();
                    return 0; // aborts the transfer
                }
            }
            return size;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            outcome.head.headers.append(
                {line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        return size;
    }

    size_t onBody(const char *data, size_t size)
    {
        if (stopping())
            return 0;
        if (success() && request.onData) {
            if (Status s = request.onData(QByteArrayView(data, qsizetype(size))); !s) {
                outcome.abortError = s.error();
                return 0;
            }
            outcome.streamed += qint64(size);
            return size;
        }
        const qint64 bound = success() ? request.maxBufferedBody : MaxErrorBody;
        const qint64 room = bound - outcome.body.size();
        if (room < qint64(size) && success()) {
            outcome.abortError = Error::make(
                Error::Kind::Protocol,
                Berth::tr("The answer is larger than the %1 bytes allowed.").arg(bound));
            return 0;
        }
        // An error body past the bound is read and dropped: only its start makes the message.
        outcome.body.append(data, qsizetype(std::min<qint64>(room, qint64(size))));
        return size;
    }

    size_t onSend(char *buffer, size_t size)
    {
        if (stopping())
            return CURL_READFUNC_ABORT;
        const qint64 n = request.body->read(buffer, qint64(size));
        if (n < 0) {
            outcome.abortError = Error::make(Error::Kind::Io,
                                             Berth::tr("Could not read the data to upload: %1")
                                                 .arg(request.body->errorString()));
            return CURL_READFUNC_ABORT;
        }
        return size_t(n);
    }

    // Judged per whole window, so a slow start (a TLS handshake, a registry thinking) is not
    // held against a transfer that then moves.
    bool belowMinimumRate(curl_off_t moved)
    {
        if (request.minimumRate <= 0 || !rateWindow.hasExpired(request.rateWindowMs))
            return false;
        const qint64 wanted = request.minimumRate * request.rateWindowMs / 1000;
        if (moved - rateWindowBytes < wanted)
            return true;
        rateWindowBytes = moved;
        rateWindow.restart();
        return false;
    }

    int onProgress(curl_off_t received, curl_off_t sendTotal, curl_off_t sent)
    {
        if (stopping())
            return 1;
        if (received + sent != bytesSeen) {
            bytesSeen = received + sent;
            sinceLastByte.restart();
        } else if (sinceLastByte.hasExpired(request.timeoutMs)) {
            timedOut = true;
            return 1;
        }
        if (belowMinimumRate(received + sent)) {
            tooSlow = true;
            return 1;
        }
        if (progress && lastProgress.hasExpired(ProgressIntervalMs)) {
            lastProgress.restart();
            QMetaObject::invokeMethod(
                owner,
                [p = progress, received, sent, sendTotal] { p(received, sent, sendTotal); },
                Qt::QueuedConnection);
        }
        return 0;
    }
};

CurlTransfers::CurlTransfers(QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
{
    // Layers transfer in parallel (bounded by the callers); a thread each, blocked on its socket.
    m_pool.setMaxThreadCount(16);
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
                transfer->aborted = true;
        }
    }
    m_pool.waitForDone();
}

void CurlTransfers::start(CurlRequest request, CancelToken cancel, Progress progress, Done done)
{
    auto transfer = std::make_shared<Transfer>();
    transfer->request = std::move(request);
    transfer->cancel = std::move(cancel);
    transfer->progress = std::move(progress);
    transfer->done = std::move(done);
    transfer->owner = this;
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
    if (transfersYieldToMainThread())
        lowerCurrentThreadPriority();
    Transfer &t = *transfer;
    const CurlRequest &r = t.request;
    CURL *curl = m_shared->take();
    t.handle = curl;
    t.lastProgress.start();
    t.sinceLastByte.start();
    t.rateWindow.start();

    const QByteArray url = r.url.toEncoded();
    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_SHARE, m_shared->share);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // Redirects come back to the transport, which decides where the Authorization may go.
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, t.errorBuffer);
    curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, ReceiveBuffer);
    curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, SendBuffer);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(r.timeoutMs));
    // The progress callback times out an idle transfer to the millisecond; this is the backstop.
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, long(r.timeoutMs / 1000 + 1));
    // Qt's stack, which carries the rest of the registry traffic, uses no proxy unless told to;
    // blob traffic must not take a different route from the manifests and tokens beside it.
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    if (!r.verifyTls) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }

    curl_slist *headers = nullptr;
    for (const auto &[name, value] : r.headers)
        headers = curl_slist_append(headers, QByteArray(name + ": " + value).constData());
    // Registries answer at once; waiting for a 100 Continue costs a round trip per upload.
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    if (r.verb == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (r.body) {
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, r.verb.constData());
        if (r.bodySize >= 0)
            curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(r.bodySize));
        curl_easy_setopt(
            curl,
            CURLOPT_READFUNCTION,
            +[](char *buffer, size_t size, size_t n, void *self) -> size_t {
                return static_cast<Transfer *>(self)->onSend(buffer, size * n);
            });
        curl_easy_setopt(curl, CURLOPT_READDATA, &t);
        // curl rewinds the body when it resends the request, e.g. on a fresh connection after a
        // kept-alive one turned out closed.
        curl_easy_setopt(
            curl, CURLOPT_SEEKFUNCTION, +[](void *self, curl_off_t offset, int origin) -> int {
                QIODevice *body = static_cast<Transfer *>(self)->request.body.get();
                if (origin != SEEK_SET || body->isSequential() || !body->seek(offset))
                    return CURL_SEEKFUNC_CANTSEEK;
                return CURL_SEEKFUNC_OK;
            });
        curl_easy_setopt(curl, CURLOPT_SEEKDATA, &t);
    } else {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, r.verb.constData());
    }
    curl_easy_setopt(
        curl, CURLOPT_HEADERFUNCTION, +[](char *data, size_t size, size_t n, void *self) -> size_t {
            return static_cast<Transfer *>(self)->onHeader(data, size * n);
        });
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(
        curl, CURLOPT_WRITEFUNCTION, +[](char *data, size_t size, size_t n, void *self) -> size_t {
            return static_cast<Transfer *>(self)->onBody(data, size * n);
        });
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(
        curl,
        CURLOPT_XFERINFOFUNCTION,
        +[](void *self, curl_off_t, curl_off_t received, curl_off_t sendTotal, curl_off_t sent) {
            return static_cast<Transfer *>(self)->onProgress(received, sendTotal, sent);
        });
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);

    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);

    CurlOutcome &outcome = t.outcome;
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    outcome.head.status = int(status);
    if (status >= 300 && status < 400) {
        char *location = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location)
            outcome.redirect = QUrl::fromEncoded(location);
    }
    if (rc != CURLE_OK && !outcome.abortError) {
        outcome.tooSlow = t.tooSlow;
        outcome.error = t.timedOut || t.tooSlow ? QNetworkReply::TimeoutError
                        : t.stopping()          ? QNetworkReply::OperationCanceledError
                                                : networkError(rc);
        const QString detail = QString::fromUtf8(t.errorBuffer).trimmed();
        outcome.errorString = detail.isEmpty() ? QString::fromUtf8(curl_easy_strerror(rc)) : detail;
    }
    // A handle whose transfer ended early may hold a connection in an unknown state.
    m_shared->give(curl, rc == CURLE_OK);
    t.request.body.reset(); // the device belongs to the transfer thread until now

    QMetaObject::invokeMethod(
        t.owner,
        [transfer] {
            auto done = std::move(transfer->done);
            done(std::move(transfer->outcome));
        },
        Qt::QueuedConnection);
}

} // namespace Berth
