#include "curlexchange.h"

#include "curlexchange_p.h"
#include "curlglobal.h"
#include "curlpolicy.h"
#include "curltlsfailure.h"

namespace Berth {

namespace {

// Large enough that a loopback or LAN transfer hands big slices to the hasher and the file
// (curl's default is 16 KiB); libcurl caps it at 10 MiB.
constexpr long ReceiveBuffer = 1024 * 1024;
constexpr long SendBuffer = 1024 * 1024;
constexpr qint64 MaxErrorBody = 64 * 1024;

QNetworkReply::NetworkError networkError(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
        return QNetworkReply::ConnectionRefusedError;
    case CURLE_COULDNT_RESOLVE_HOST:
        return QNetworkReply::HostNotFoundError;
    case CURLE_COULDNT_RESOLVE_PROXY:
        return QNetworkReply::ProxyNotFoundError;
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

// Through a proxy, curl connects to the proxy only: a refused connection is the proxy's, and
// a CONNECT the proxy answered with an error is its refusal (407: a login). Qt's codes for these
// (101–199) let callers name the proxy instead of the registry. NoError when it is none of them.
QNetworkReply::NetworkError proxyFailure(CURL *curl, CURLcode code)
{
    long connectCode = 0;
    curl_easy_getinfo(curl, CURLINFO_HTTP_CONNECTCODE, &connectCode);
    if (connectCode == 407)
        return QNetworkReply::ProxyAuthenticationRequiredError;
    if (connectCode >= 300)
        return QNetworkReply::UnknownProxyError;
    if (code == CURLE_COULDNT_CONNECT)
        return QNetworkReply::ProxyConnectionRefusedError;
    if (code == CURLE_COULDNT_RESOLVE_PROXY)
        return QNetworkReply::ProxyNotFoundError;
    return QNetworkReply::NoError;
}

} // namespace

void CurlRequest::setBody(std::unique_ptr<QIODevice> device, qint64 size)
{
    std::shared_ptr<QIODevice> body(std::move(device));
    bodySize = size;
    readBody = [body](char *buffer, qint64 room) {
        return body->read(buffer, room);
    };
    bodyError = [body] {
        return Error::make(
            Error::Kind::Io,
            Berth::tr("Could not read the data to upload: %1").arg(body->errorString()));
    };
    rewindBody = [body](qint64 offset) {
        return !body->isSequential() && body->seek(offset);
    };
}

CurlExchange::CurlExchange(CurlRequest request, CancelToken cancel, Progress progress)
    : m_request(std::move(request))
    , m_cancel(std::move(cancel))
    , m_progress(std::move(progress))
{}

CurlOutcome CurlExchange::run(CURL *curl, CURLSH *share)
{
    if (!prepare(curl, share))
        return complete(curl, m_code);
    return complete(curl, curl_easy_perform(curl));
}

bool CurlExchange::prepare(CURL *curl, CURLSH *share)
{
    m_sinceLastByte.start();
    m_rateWindow.start();
    if (!curl || stopping()) {
        // Nothing to carry it, or nobody waiting for it: no connection is opened.
        m_code = curl ? CURLE_ABORTED_BY_CALLBACK : CURLE_FAILED_INIT;
        m_outcome.error
            = curl ? QNetworkReply::OperationCanceledError : QNetworkReply::UnknownNetworkError;
        m_outcome.errorString = QString::fromUtf8(curl_easy_strerror(m_code));
        return false;
    }
    if (Status connection = setConnection(curl, share); !connection) {
        // The host's certs.d material is broken: nothing goes out without it.
        m_code = CURLE_SSL_CERTPROBLEM;
        m_outcome.error = QNetworkReply::SslHandshakeFailedError;
        m_outcome.errorString = connection.error().message;
        m_outcome.abortError = connection.error();
        return false;
    }
    setTimeouts(curl);
    m_headerList = setHeaders(curl);
    setBody(curl);
    setCallbacks(curl);
    m_prepared = true;
    return true;
}

CurlOutcome CurlExchange::complete(CURL *curl, CURLcode code)
{
    if (m_prepared) {
        m_code = code;
        curl_slist_free_all(std::exchange(m_headerList, nullptr));
        collect(curl);
    }
    // An upload's source belongs to the transfer thread until now.
    m_request.readBody = {};
    m_request.bodyError = {};
    m_request.rewindBody = {};
    return std::move(m_outcome);
}

Status CurlExchange::setConnection(CURL *curl, CURLSH *share)
{
    const CurlRequest &r = m_request;
    m_url = r.url.toEncoded();
    curl_easy_setopt(curl, CURLOPT_URL, m_url.constData());
    if (share)
        curl_easy_setopt(curl, CURLOPT_SHARE, share);
    if (!r.unixSocket.isEmpty())
        curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, r.unixSocket.constData());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // Without maxRedirects, redirects come back to the caller, which decides where the
    // Authorization may go.
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, r.maxRedirects > 0 ? 1L : 0L);
    if (r.maxRedirects > 0) {
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, long(r.maxRedirects));
        curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, m_errorBuffer);
    // Large buffers for streamed bodies only: a pool holds a hundred small exchanges at once.
    if (r.onData || r.readBody) {
        curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, ReceiveBuffer);
        curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, SendBuffer);
    }
    // On a multi handle, an HTTPS request waits for the connection being opened to the same host
    // to say whether it speaks HTTP/2 instead of opening one more: all of a command's requests
    // then share it. Plain HTTP is HTTP/1.1 here (no h2c): waiting would only queue requests
    // behind the first.
    if (r.url.scheme() == u"https")
        curl_easy_setopt(curl, CURLOPT_PIPEWAIT, 1L);
    if (!r.verifyTls) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!r.unixSocket.isEmpty())
        return {};
    // One decision per URL, the same Qt's stack makes: API and blobs take the same route.
    const auto policy = currentNetworkPolicy();
    applyCurlProxy(curl, r.url, *policy);
    m_viaProxy = !policy->proxy.choose(r.url).isDirect();
    return r.url.scheme() == u"https" ? applyCurlTls(curl, r.url, *policy) : Status{};
}

void CurlExchange::setTimeouts(CURL *curl)
{
    const CurlRequest &r = m_request;
    if (r.connectTimeoutMs > 0)
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(r.connectTimeoutMs));
    // The progress callback times out an idle transfer to the millisecond; this is the backstop.
    const long stall = r.stallSeconds > 0 ? r.stallSeconds
                       : r.timeoutMs > 0  ? r.timeoutMs / 1000 + 1
                                          : 0;
    if (stall > 0) {
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, stall);
    }
    if (r.deadlineMs > 0)
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(r.deadlineMs));
}

curl_slist *CurlExchange::setHeaders(CURL *curl)
{
    curl_slist *headers = nullptr;
    bool contentType = false;
    for (const auto &[name, value] : m_request.headers) {
        headers = curl_slist_append(headers, QByteArray(name + ": " + value).constData());
        contentType = contentType || name.compare("Content-Type", Qt::CaseInsensitive) == 0;
    }
    // A body sent from memory is not a web form: no made-up Content-Type.
    if (!contentType)
        headers = curl_slist_append(headers, "Content-Type:");
    // Registries and engines answer at once; waiting for a 100 Continue costs a round trip (a
    // second, for an engine that never sends one) per upload.
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    return headers;
}

void CurlExchange::setBody(CURL *curl)
{
    const CurlRequest &r = m_request;
    if (r.readBody) {
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, r.verb.constData());
        if (r.bodySize >= 0)
            curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(r.bodySize));
        curl_easy_setopt(
            curl,
            CURLOPT_READFUNCTION,
            +[](char *buffer, size_t size, size_t n, void *self) -> size_t {
                return static_cast<CurlExchange *>(self)->onSend(buffer, size * n);
            });
        curl_easy_setopt(curl, CURLOPT_READDATA, this);
        // curl rewinds the body when it resends the request, e.g. on a fresh connection after a
        // kept-alive one turned out closed.
        curl_easy_setopt(
            curl, CURLOPT_SEEKFUNCTION, +[](void *self, curl_off_t offset, int origin) -> int {
                return static_cast<CurlExchange *>(self)->onSeek(offset, origin);
            });
        curl_easy_setopt(curl, CURLOPT_SEEKDATA, this);
    } else if (!r.postFields.isEmpty() || r.verb == "POST" || r.verb == "PUT"
               || r.verb == "PATCH") {
        // An empty PUT (an upload's last step) still says Content-Length: 0.
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(r.postFields.size()));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, r.postFields.constData());
        if (r.verb != "POST")
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, r.verb.constData());
    } else if (r.verb == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (r.verb == "HEAD") {
        // A custom "HEAD" would wait for the body the answer's Content-Length announces.
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, r.verb.constData());
    }
}

void CurlExchange::setCallbacks(CURL *curl)
{
    curl_easy_setopt(
        curl, CURLOPT_HEADERFUNCTION, +[](char *data, size_t size, size_t n, void *self) -> size_t {
            return static_cast<CurlExchange *>(self)->onHeader(data, size * n);
        });
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(
        curl, CURLOPT_WRITEFUNCTION, +[](char *data, size_t size, size_t n, void *self) -> size_t {
            return static_cast<CurlExchange *>(self)->onBody(data, size * n);
        });
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(
        curl,
        CURLOPT_XFERINFOFUNCTION,
        +[](void *self,
            curl_off_t receiveTotal,
            curl_off_t received,
            curl_off_t sendTotal,
            curl_off_t sent) {
            return static_cast<CurlExchange *>(self)->onProgress(
                {qint64(received),
                 receiveTotal > 0 ? qint64(receiveTotal) : -1,
                 qint64(sent),
                 sendTotal > 0 ? qint64(sendTotal) : -1});
        });
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
}

void CurlExchange::collect(CURL *curl)
{
    CurlOutcome &outcome = m_outcome;
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    outcome.head.status = int(status);
    if (status >= 300 && status < 400) {
        char *location = nullptr;
        if (curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location)
            outcome.redirect = QUrl::fromEncoded(location);
    }
    // A plain-HTTP request through a proxy gets the proxy's 407 as its answer.
    if (m_viaProxy && m_code == CURLE_OK && status == 407) {
        outcome.error = QNetworkReply::ProxyAuthenticationRequiredError;
        outcome.errorString = QStringLiteral("HTTP 407 Proxy Authentication Required");
        return;
    }
    if (m_code == CURLE_OK || outcome.abortError)
        return;
    outcome.tooSlow = m_tooSlow;
    // curl says "timed out" for its connect timeout and its low-speed backstop too.
    curl_off_t elapsedUs = 0;
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &elapsedUs);
    outcome.pastDeadline = m_code == CURLE_OPERATION_TIMEDOUT && !m_timedOut && !m_tooSlow
                           && m_request.deadlineMs > 0
                           && elapsedUs / 1000 >= m_request.deadlineMs - 100;
    const auto viaProxy = m_viaProxy ? proxyFailure(curl, m_code) : QNetworkReply::NoError;
    outcome.error = m_timedOut || m_tooSlow              ? QNetworkReply::TimeoutError
                    : stopping()                         ? QNetworkReply::OperationCanceledError
                    : viaProxy != QNetworkReply::NoError ? viaProxy
                                                         : networkError(m_code);
    const QString detail = QString::fromUtf8(m_errorBuffer).trimmed();
    outcome.errorString = detail.isEmpty() ? QString::fromUtf8(curl_easy_strerror(m_code)) : detail;
    // A certificate or client-certificate failure, told the way the user can act on it.
    if (!m_timedOut && !m_tooSlow && !stopping())
        outcome.abortError = curlTlsFailure(curl, m_code, m_request.url, outcome.errorString);
}

// Ends the head at the blank line; a 1xx (100 Continue) head is followed by the real one, and a
// redirect curl follows by the next answer's.
size_t CurlExchange::onHeader(const char *data, size_t size)
{
    const QByteArray line = QByteArray(data, qsizetype(size)).trimmed();
    if (line.startsWith("HTTP/")) {
        m_outcome.head = {};
        m_headDone = false;
        const QList<QByteArray> parts = line.split(' ');
        m_outcome.head.status = parts.size() > 1 ? parts.at(1).toInt() : 0;
        return size;
    }
    if (line.isEmpty()) {
        if (m_outcome.head.status >= 200)
            m_headDone = true;
        if (m_headDone && success() && m_request.onResponse) {
            if (Status s = m_request.onResponse(m_outcome.head); !s) {
                m_outcome.abortError = s.error();
                return 0; // aborts the transfer
            }
        }
        return size;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon > 0)
        m_outcome.head.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    return size;
}

size_t CurlExchange::onBody(const char *data, size_t size)
{
    if (stopping())
        return 0;
    if (success() && m_request.onData) {
        if (Status s = m_request.onData(QByteArrayView(data, qsizetype(size))); !s) {
            m_outcome.abortError = s.error();
            return 0;
        }
        m_outcome.streamed += qint64(size);
        return size;
    }
    const qint64 bound = success() ? m_request.maxBufferedBody : MaxErrorBody;
    const qint64 room = bound - m_outcome.body.size();
    if (room < qint64(size) && success()) {
        m_outcome.abortError
            = Error::make(Error::Kind::Protocol,
                          Berth::tr("The answer is larger than the %1 bytes allowed.").arg(bound));
        return 0;
    }
    // An error body past the bound is read and dropped: only its start makes the message.
    m_outcome.body.append(data, qsizetype(std::min<qint64>(room, qint64(size))));
    return size;
}

size_t CurlExchange::onSend(char *buffer, size_t size)
{
    if (stopping())
        return CURL_READFUNC_ABORT;
    const qint64 n = m_request.readBody(buffer, qint64(size));
    if (n < 0) {
        if (m_request.bodyError)
            m_outcome.abortError = m_request.bodyError();
        return CURL_READFUNC_ABORT;
    }
    return size_t(n);
}

int CurlExchange::onSeek(curl_off_t offset, int origin)
{
    if (origin != SEEK_SET || !m_request.rewindBody || !m_request.rewindBody(qint64(offset)))
        return CURL_SEEKFUNC_CANTSEEK;
    return CURL_SEEKFUNC_OK;
}

// Judged per whole window, so a slow start (a TLS handshake, a registry thinking) is not held
// against a transfer that then moves.
bool CurlExchange::belowMinimumRate(curl_off_t moved)
{
    const CurlRequest &r = m_request;
    if (r.minimumRate <= 0 || !m_rateWindow.hasExpired(r.rateWindowMs))
        return false;
    const qint64 wanted = r.minimumRate * r.rateWindowMs / 1000;
    if (moved - m_rateWindowBytes < wanted)
        return true;
    m_rateWindowBytes = moved;
    m_rateWindow.restart();
    return false;
}

int CurlExchange::onProgress(const CurlProgress &now)
{
    if (stopping())
        return 1;
    const curl_off_t moved = now.received + now.sent;
    if (moved != m_bytesSeen) {
        m_bytesSeen = moved;
        m_sinceLastByte.restart();
    } else if (m_request.timeoutMs > 0 && m_sinceLastByte.hasExpired(m_request.timeoutMs)) {
        m_timedOut = true;
        return 1;
    }
    if (belowMinimumRate(moved)) {
        m_tooSlow = true;
        return 1;
    }
    if (m_progress)
        m_progress(now);
    return 0;
}

CurlOutcome performCurl(CurlRequest request,
                        const CancelToken &cancel,
                        const std::function<void(const CurlProgress &)> &progress)
{
    initCurl();
    CURL *curl = curl_easy_init();
    CurlExchange exchange(std::move(request), cancel, progress);
    CurlOutcome outcome = exchange.run(curl, nullptr);
    curl_easy_cleanup(curl);
    return outcome;
}

} // namespace Berth
