#include "registrytransport.h"

#include "common/guarded.h"
#include "common/logging.h"
#include "endpointmemory.h"
#include "http/curlpool.h"
#include "http/curltransfers.h"
#include "network/proxyerror.h"
#include "reference/imagereference.h"
#include "registryerror.h"
#include "replytls.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>
#include <algorithm>

namespace Berth {

namespace {

constexpr int MaxRedirects = 10;
constexpr qint64 MaxTokenAnswer = 1024 * 1024;
// Set on a reply that its deadline aborted.
constexpr char DeadlineProperty[] = "berthDeadline";
// Requests that upload at most this much (a manifest) get the whole-request deadline; an upload
// chunk (PATCH) is judged by the inactivity timeout alone.
constexpr qsizetype SmallRequestBody = 4 * 1024 * 1024;
const QByteArray UserAgent = QByteArrayLiteral("Berth/" BERTH_VERSION);

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
           && a.port(a.scheme() == u"https" ? 443 : 80)
                  == b.port(b.scheme() == u"https" ? 443 : 80);
}

// A transport failure (refused, dropped, timed out, TLS, proxy) as opposed to an HTTP status Qt
// also reports as an error code.
bool isTransportError(QNetworkReply::NetworkError e)
{
    // 1–99: network layer; 101–199: proxy. Both are worth a retry; 2xx–4xx codes mirror HTTP
    // statuses.
    return e != QNetworkReply::NoError && int(e) < 200;
}

// The proxy said no (refused, wants a login, is not found): asking again gets the same answer,
// unlike a proxy that dropped a connection, was slow or failed a tunnel.
bool isProxyRefusal(QNetworkReply::NetworkError e)
{
    return e == QNetworkReply::ProxyConnectionRefusedError
           || e == QNetworkReply::ProxyAuthenticationRequiredError
           || e == QNetworkReply::ProxyNotFoundError;
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return true;
    QString bare = host;
    if (bare.startsWith(u'[') && bare.endsWith(u']'))
        bare = bare.mid(1, bare.size() - 2);
    const QHostAddress address(bare);
    return !address.isNull() && address.isLoopback();
}

QString hostOf(const QString &registry)
{
    // "[::1]:5000" and "host:5000": drop the port to classify the host.
    if (registry.startsWith(u'[')) {
        const auto close = registry.indexOf(u']');
        return close < 0 ? registry : registry.left(close + 1);
    }
    const auto colon = registry.lastIndexOf(u':');
    return colon < 0 ? registry : registry.left(colon);
}

// host[:port] of a URL in the form registry names use ("[::1]:5000"), to apply the insecure rules
// to whatever host a request actually reaches.
QString authorityOf(const QUrl &url)
{
    QString host = url.host();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    return url.port() == -1 ? host : host + u':' + QString::number(url.port());
}

QString networkHost(const QString &registry)
{
    return registry == ImageReference::dockerHubDomain() ? ImageReference::dockerHubRegistryHost()
                                                         : registry;
}

QByteArray basicAuthorization(const Credential &c)
{
    return "Basic " + (c.username + u':' + c.secret).toUtf8().toBase64();
}

// RFC 6750 §2.1: a Bearer token is a b64token, 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" /
// "/" ) *"=". Anything else (a CR LF above all) would let the token service write headers of its
// own into every request that carries the token.
bool isB64Token(QByteArrayView token)
{
    qsizetype i = 0;
    const auto isTokenChar = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
               || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    };
    while (i < token.size() && isTokenChar(token.at(i)))
        ++i;
    if (i == 0)
        return false;
    while (i < token.size() && token.at(i) == '=')
        ++i;
    return i == token.size();
}

bool breaksHeaderLine(QByteArrayView value)
{
    return std::any_of(
        value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// The name of the first header whose value could end its line and start another, whatever put
// it there (a token, a media type read from a file, a server's Location).
std::optional<QByteArray> unsafeHeader(const QList<std::pair<QByteArray, QByteArray>> &headers,
                                       const QByteArray &authorization)
{
    if (breaksHeaderLine(authorization))
        return QByteArrayLiteral("Authorization");
    for (const auto &[name, value] : headers) {
        if (breaksHeaderLine(name) || breaksHeaderLine(value))
            return name;
    }
    return std::nullopt;
}

// A token answer is a few KiB: a realm that sends more is cut off rather than buffered.
void cutOffLargeTokenAnswer(QNetworkReply *reply)
{
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [reply] {
        if (reply->bytesAvailable() > MaxTokenAnswer) {
            reply->setProperty("berthTooLarge", true);
            reply->abort();
        }
    });
}

// A large body gets a transfer thread (and connection) of its own: hashing and writing it keeps a
// core busy. Everything else shares the pool's connections.
bool isBulk(const RegistryRequest &r)
{
    if (!r.openBody && !r.onData)
        return false;
    if (!r.mayShareThread)
        return true;
    const qint64 size = r.openBody ? r.bodySize : r.sizeHint;
    return size < 0 || size > SmallRequestBody;
}

// Answers to requests sent side by side (tag look-ups, the manifests of a pull) arrive in any
// order: a higher count than the one stated a moment ago is an older answer overtaking, not pulls
// coming back (they come back over the hours of the window).
void keepLowerRecentCount(PullRateLimit &next, const std::optional<PullRateLimit> &previous)
{
    constexpr qint64 ReorderSeconds = 10;
    if (previous && previous->limit == next.limit && previous->remaining >= 0
        && next.remaining > previous->remaining
        && previous->seen.secsTo(next.seen) < ReorderSeconds)
        next.remaining = previous->remaining;
}

} // namespace

QByteArray RegistryResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// How an exchange ended, whether Qt's stack or libcurl carried it.
struct RegistryTransport::Outcome
{
    ResponseHead head;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    QUrl redirect; // a 3xx answer's target, relative or absolute
};

struct RegistryTransport::Call
{
    RegistryRequest request;
    Done done;
    int attempts = 1;
    int redirects = 0;
    bool authRetried = false;
    bool finishedCalled = false;
    QUrl url; // the URL of the current exchange (changes with redirects)
    std::optional<Error> abortError;
    qint64 streamed = 0;
    QByteArray buffer;
    bool streaming = false;
    QUrl recalledEndpoint; // the endpoint remembered from an earlier run this exchange went to

    void finish(Result<RegistryResponse> result)
    {
        if (finishedCalled)
            return;
        finishedCalled = true;
        auto cb = std::move(done);
        cb(std::move(result));
    }
};

RegistryTransport::RegistryTransport(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_curl(new CurlTransfers(this))
    , m_pool(new CurlPool(this))
{}

RegistryTransport::~RegistryTransport()
{
    // Requests in flight end now, as cancelled, so their callers' state is released.
    m_destroying = true;
    // The transfer threads stop touching their callers' sinks before the callers hear of it.
    m_curl->shutdown();
    m_pool->shutdown();
    for (const auto &call : std::exchange(m_curlInFlight, {}))
        call->finish(fail(Error::Kind::Cancelled, tr("Cancelled.")));
}

void RegistryTransport::setInsecureRegistries(const QStringList &registries)
{
    m_insecure.clear();
    for (const QString &r : registries)
        m_insecure.append(ImageReference::normalizeRegistry(r));
}

bool RegistryTransport::isInsecure(const QString &registry) const
{
    return isLoopbackHost(hostOf(registry)) || m_insecure.contains(registry)
           || insecureInRegistriesConf(registry);
}

void RegistryTransport::setCredentialOverride(const QString &registry,
                                              std::optional<Credential> credential)
{
    forgetRegistry(registry);
    m_overrides.insert(registry, std::move(credential));
}

void RegistryTransport::forgetRegistry(const QString &registry)
{
    ++m_generations[registry];
    m_challenges.remove(registry);
    m_overrides.remove(registry);
    m_credentialCache.remove(registry);
    const QString prefix = registry + u'|';
    for (auto it = m_tokens.begin(); it != m_tokens.end();) {
        if (it.key().startsWith(prefix))
            it = m_tokens.erase(it);
        else
            ++it;
    }
}

std::optional<AuthChallenge> RegistryTransport::challenge(const QString &registry) const
{
    const auto it = m_challenges.constFind(registry);
    if (it == m_challenges.constEnd())
        return std::nullopt;
    return *it;
}

std::optional<PullRateLimit> RegistryTransport::pullRateLimit(const QString &registry) const
{
    const auto it = m_pullRateLimits.constFind(registry);
    if (it == m_pullRateLimits.constEnd())
        return std::nullopt;
    return *it;
}

QString RegistryTransport::tokenKey(const QString &registry, const QStringList &scopes) const
{
    QStringList sorted = scopes;
    sorted.sort();
    return registry + u'|' + sorted.join(u' ');
}

void RegistryTransport::send(RegistryRequest request, Done done)
{
    auto call = std::make_shared<Call>();
    call->request = std::move(request);
    call->done = std::move(done);
    call->streaming = bool(call->request.onData);
    attempt(call);
}

void RegistryTransport::attempt(std::shared_ptr<Call> call)
{
    if (m_destroying || call->request.cancel.isCancelled())
        return call->finish(fail(Error::Kind::Cancelled, tr("Cancelled.")));
    const QString registry = call->request.registry;
    // A push always needs the user's credential: reading it (a D-Bus round trip to the keychain)
    // overlaps the endpoint probe and the first contact's 401 instead of following them.
    if (call->request.authenticate && !m_challenges.contains(registry)
        && std::any_of(
            call->request.scopes.cbegin(), call->request.scopes.cend(), [](const QString &scope) {
                return scope.endsWith(u":push") || scope.endsWith(u",push");
            }))
        lookupCredential(registry, [](const Result<std::optional<Credential>> &) {});
    resolveEndpoint(registry, [this, call, registry](Result<QUrl> base) {
        if (!base)
            return call->finish(fail(base.error()));
        call->url = call->request.absoluteUrl.isValid()
                        ? base->resolved(call->request.absoluteUrl)
                        : base->resolved(QUrl(call->request.path, QUrl::TolerantMode));
        call->recalledEndpoint = m_recalled.contains(registry) ? *base : QUrl();
        call->redirects = 0;
        if (!call->request.authenticate)
            return dispatch(call, call->url, QByteArray());
        authorize(call, [this, call](Result<QByteArray> authorization) {
            if (!authorization)
                return call->finish(fail(authorization.error()));
            dispatch(call, call->url, *authorization);
        });
    });
}

void RegistryTransport::resolveEndpoint(const QString &registry,
                                        std::function<void(Result<QUrl>)> done)
{
    if (const auto it = m_endpoints.constFind(registry); it != m_endpoints.constEnd())
        return done(*it);
    const QString host = networkHost(registry);
    if (!isInsecure(registry)) {
        const QUrl url(u"https://" + host);
        m_endpoints.insert(registry, url);
        return done(url);
    }
    if (const auto remembered = recallEndpoint(registry)) {
        m_endpoints.insert(registry, *remembered);
        m_recalled.insert(registry);
        return done(*remembered);
    }
    // An insecure registry may speak TLS (self-signed) or plain HTTP: ask over HTTPS first, as
    // docker does, and fall back to HTTP when no TLS answer comes.
    auto &waiters = m_endpointWaiters[registry];
    waiters.append(std::move(done));
    if (waiters.size() > 1)
        return;
    if (!m_network)
        return;
    QNetworkRequest probe(QUrl(u"https://" + host + u"/v2/"));
    probe.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                       QNetworkRequest::ManualRedirectPolicy);
    probe.setHeader(QNetworkRequest::UserAgentHeader, UserAgent);
    probe.setTransferTimeout(5000);
    QNetworkReply *reply = m_network->get(probe);
    allowInsecureTls(reply, registry);
    armDeadline(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, registry, host] {
        reply->deleteLater();
        const bool answered = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid();
        const auto e = reply->error();
        // Only a failed TLS conversation means "plain HTTP here"; a registry that is down or slow
        // is reported, and asked again next time rather than pinned to http://.
        const bool speaksPlainHttp = e == QNetworkReply::SslHandshakeFailedError
                                     || e == QNetworkReply::RemoteHostClosedError
                                     || e == QNetworkReply::ProtocolFailure
                                     || e == QNetworkReply::UnknownNetworkError;
        const auto waiters = m_endpointWaiters.take(registry);
        if (!answered && !speaksPlainHttp) {
            const Error error
                = registryNetworkError(e, reply->errorString(), registry, reply->url());
            for (const auto &w : waiters)
                w(fail(error));
            return;
        }
        const QUrl url((answered ? u"https://" : u"http://") + host);
        qCDebug(lcRegistry) << "endpoint for" << registry << "is" << url.toString();
        m_endpoints.insert(registry, url);
        EndpointMemory::remember(registry, url);
        for (const auto &w : waiters)
            w(url);
    });
}

// What an earlier run learnt of an insecure registry, if it still names this host.
std::optional<QUrl> RegistryTransport::recallEndpoint(const QString &registry) const
{
    const auto remembered = EndpointMemory::recall(registry);
    const QString host = networkHost(registry);
    if (!remembered
        || (*remembered != QUrl(u"http://" + host) && *remembered != QUrl(u"https://" + host)))
        return std::nullopt;
    return remembered;
}

// A remembered endpoint that answers in the other scheme's terms: a TLS port answering plain
// HTTP with a 400 ("Client sent an HTTP request to an HTTPS server", nginx's "The plain HTTP
// request was sent to HTTPS port"; a HEAD's 400 has no body to say it), or a plain port failing
// the TLS handshake.
bool RegistryTransport::wrongScheme(const Call &call, const Outcome &outcome) const
{
    if (!call.recalledEndpoint.isValid() || !sameOrigin(call.url, call.recalledEndpoint))
        return false;
    const auto e = outcome.error;
    const bool garbled
        = e == QNetworkReply::SslHandshakeFailedError || e == QNetworkReply::RemoteHostClosedError
          || e == QNetworkReply::ProtocolFailure || e == QNetworkReply::UnknownNetworkError;
    if (outcome.head.status == 0)
        return garbled;
    if (call.url.scheme() != u"http" || outcome.head.status != 400)
        return false;
    return (call.request.verb == "HEAD" && call.buffer.isEmpty())
           || call.buffer.contains("HTTP request to an HTTPS server")
           || call.buffer.contains("plain HTTP request was sent to HTTPS port");
}

// Answers only a server speaking this scheme gives: a registry's own statuses, not a 400 a TLS
// port makes of a plain request.
bool RegistryTransport::confirmsScheme(const Outcome &outcome)
{
    const int status = outcome.head.status;
    return (status >= 200 && status < 400) || status == 401 || status == 403 || status == 404;
}

// Forgets the remembered endpoint (once, for all the exchanges that went there) and sends the
// exchange again after a fresh probe.
void RegistryTransport::probeAgain(std::shared_ptr<Call> call)
{
    const QString &registry = call->request.registry;
    qCInfo(lcRegistry) << "the remembered endpoint" << call->recalledEndpoint.toString() << "of"
                       << registry << "no longer answers; probing again";
    if (m_endpoints.value(registry) == call->recalledEndpoint) {
        m_recalled.remove(registry);
        m_endpoints.remove(registry);
        EndpointMemory::forget(registry);
    }
    call->recalledEndpoint = QUrl();
    call->abortError.reset();
    attempt(call);
}

void RegistryTransport::lookupCredential(
    const QString &registry, std::function<void(Result<std::optional<Credential>>)> done)
{
    if (const auto it = m_overrides.constFind(registry); it != m_overrides.constEnd())
        return done(*it);
    if (const auto it = m_credentialCache.constFind(registry); it != m_credentialCache.constEnd())
        return done(*it);
    if (!m_credentials)
        return done(std::optional<Credential>());
    // Requests that start together (a push's blobs) ask once: each keychain read is a D-Bus
    // round trip, and a locked keychain would otherwise prompt once per request.
    const int generation = m_generations.value(registry);
    const QString waitKey = QString::number(generation) + u'#' + registry;
    auto &waiters = m_credentialWaiters[waitKey];
    waiters.append(std::move(done));
    if (waiters.size() > 1)
        return;
    // The provider may answer after the transport is gone (a keychain prompt, a slow helper).
    m_credentials->lookup(
        registry,
        guarded(this, [this, registry, generation, waitKey](Result<std::optional<Credential>> r) {
            // A logout or login since the question was asked makes this answer stale: don't
            // cache it.
            if (r && m_generations.value(registry) == generation)
                m_credentialCache.insert(registry, *r);
            const auto waiters = m_credentialWaiters.take(waitKey);
            for (const auto &w : waiters)
                w(r);
        }));
}

void RegistryTransport::authorize(std::shared_ptr<Call> call,
                                  std::function<void(Result<QByteArray>)> done)
{
    const QString registry = call->request.registry;
    const auto it = m_challenges.constFind(registry);
    if (it == m_challenges.constEnd())
        return done(QByteArray()); // first contact: learn the challenge from the 401
    const AuthChallenge challenge = *it;
    if (challenge.scheme == AuthChallenge::Scheme::Basic) {
        return lookupCredential(registry, [done](Result<std::optional<Credential>> c) {
            if (!c)
                return done(fail(c.error()));
            done(*c ? basicAuthorization(**c) : QByteArray());
        });
    }
    const QString key = tokenKey(registry, call->request.scopes);
    if (const auto t = m_tokens.constFind(key);
        t != m_tokens.constEnd() && t->expires > QDateTime::currentDateTimeUtc().addSecs(10))
        return done("Bearer " + t->value);
    // Requests for the same scopes that meet the same 401 (a push's blob HEADs) share one token
    // fetch instead of each asking the token service.
    const QString waitKey = QString::number(m_generations.value(registry)) + u'#' + key;
    auto &waiters = m_tokenWaiters[waitKey];
    waiters.append(std::move(done));
    if (waiters.size() > 1)
        return;
    const auto answer = [this, waitKey](Result<QByteArray> authorization) {
        const auto waiters = m_tokenWaiters.take(waitKey);
        for (const auto &w : waiters)
            w(authorization);
    };
    lookupCredential(registry,
                     [this, call, challenge, answer](Result<std::optional<Credential>> c) {
                         if (!c)
                             return answer(fail(c.error()));
                         fetchToken(call->request.registry,
                                    challenge,
                                    call->request.scopes,
                                    *c,
                                    [answer](Result<QByteArray> token) {
                                        if (!token)
                                            return answer(fail(token.error()));
                                        answer("Bearer " + *token);
                                    });
                     });
}

void RegistryTransport::fetchToken(const QString &registry,
                                   const AuthChallenge &challenge,
                                   const QStringList &scopes,
                                   const std::optional<Credential> &credential,
                                   std::function<void(Result<QByteArray>)> done)
{
    const QUrl realm(challenge.realm());
    if (Status allowed = tokenRealmAllowed(registry, realm, challenge, credential); !allowed)
        return done(fail(allowed.error()));
    if (!m_network)
        return done(fail(Error::Kind::Network, tr("No network.")));
    if (const auto problem = hostTlsProblem(realm))
        return done(fail(*problem));
    QNetworkReply *reply = requestToken(realm, challenge, scopes, credential);
    recordTlsErrors(reply);
    // Certificate errors are tolerated only where the realm's own host is insecure, never because
    // the registry that sent us there is.
    if (realm.scheme() == u"https" && isInsecure(authorityOf(realm)))
        allowInsecureTls(reply, registry);
    armDeadline(reply);
    cutOffLargeTokenAnswer(reply);
    const QString key = tokenKey(registry, scopes);
    const bool withCredential = credential.has_value();
    const int generation = m_generations.value(registry);
    connect(reply,
            &QNetworkReply::finished,
            this,
            [this, reply, registry, key, withCredential, generation, done] {
                reply->deleteLater();
                auto token = tokenAnswer(reply, registry, withCredential);
                if (!token)
                    return done(fail(token.error()));
                if (m_generations.value(registry) == generation)
                    m_tokens.insert(key, *token);
                qCDebug(lcAuth) << "token for" << key << "valid until" << token->expires;
                done(token->value);
            });
}

// Whether a token may be asked for there: not from an address that is none, nor with credentials
// over plain HTTP to a host that is not insecure.
Status RegistryTransport::tokenRealmAllowed(const QString &registry,
                                            const QUrl &realm,
                                            const AuthChallenge &challenge,
                                            const std::optional<Credential> &credential) const
{
    if (!realm.isValid() || (realm.scheme() != u"https" && realm.scheme() != u"http"))
        return fail(Error::Kind::Protocol,
                    tr("%1 asked for a token from an invalid address: '%2'.")
                        .arg(registry, challenge.realm()));
    if (realm.scheme() == u"http" && credential && !isInsecure(registry)
        && !isLoopbackHost(realm.host()))
        return fail(Error::Kind::Tls,
                    tr("%1 asked to send your credentials over plain HTTP to %2; Berth refused. "
                       "Mark the registry insecure in the settings if you trust this network.")
                        .arg(registry, realm.host()));
    return {};
}

QNetworkReply *RegistryTransport::requestToken(QUrl realm,
                                               const AuthChallenge &challenge,
                                               const QStringList &scopes,
                                               const std::optional<Credential> &credential)
{
    QNetworkRequest request;
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setHeader(QNetworkRequest::UserAgentHeader, UserAgent);
    request.setTransferTimeout(m_options.transferTimeoutMs);
    if (credential && credential->identityToken) {
        // An identity token is an OAuth2 refresh token: docker exchanges it with a POST.
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("refresh_token"), credential->secret);
        form.addQueryItem(QStringLiteral("service"), challenge.service());
        form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("berth"));
        if (!scopes.isEmpty())
            form.addQueryItem(QStringLiteral("scope"), scopes.join(u' '));
        request.setUrl(realm);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
        return m_network->post(request, form.toString(QUrl::FullyEncoded).toUtf8());
    }
    QUrlQuery query(realm);
    if (!challenge.service().isEmpty())
        query.addQueryItem(QStringLiteral("service"), challenge.service());
    for (const QString &scope : scopes)
        query.addQueryItem(QStringLiteral("scope"), scope);
    if (credential && !credential->username.isEmpty())
        query.addQueryItem(QStringLiteral("account"), credential->username);
    realm.setQuery(query);
    request.setUrl(realm);
    if (credential)
        request.setRawHeader("Authorization", basicAuthorization(*credential));
    return m_network->get(request);
}

// What the token service answered: a token, or why there is none.
Result<RegistryTransport::Token> RegistryTransport::tokenAnswer(QNetworkReply *reply,
                                                                const QString &registry,
                                                                bool withCredential) const
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->property(DeadlineProperty).toBool())
        return fail(deadlineError(registry, tr("a token")));
    if (reply->property("berthTooLarge").toBool())
        return fail(Error::Kind::Protocol,
                    tr("The token service of %1 sent an answer larger than %2 bytes.")
                        .arg(registry)
                        .arg(MaxTokenAnswer));
    if (auto tls = replyTlsFailure(reply))
        return fail(*tls);
    if (status == 0 || isTransportError(reply->error()))
        return fail(
            registryNetworkError(reply->error(), reply->errorString(), registry, reply->url()));
    const QByteArray body = reply->read(MaxTokenAnswer);
    if (status == 401 || status == 403) {
        Error e = Error::make(
            Error::Kind::Unauthorized,
            withCredential ? tr("%1 refused the user name or password. Check them, or use an "
                                "access token if the account requires one.")
                                 .arg(registry)
                           : tr("%1 refused anonymous access; log in first.").arg(registry));
        e.httpStatus = status;
        return fail(std::move(e));
    }
    if (status == 429) {
        Error e = registryHttpError(status, body, tr("a token"), registry);
        e.retryAfter = parseRetryAfter(reply->rawHeader("Retry-After"));
        return fail(std::move(e));
    }
    if (status < 200 || status >= 300)
        return fail(registryHttpError(status, body, tr("a token"), registry));
    QJsonParseError parseError;
    const QJsonObject object = QJsonDocument::fromJson(body, &parseError).object();
    QString token = object.value(u"token").toString();
    if (token.isEmpty())
        token = object.value(u"access_token").toString();
    if (token.isEmpty())
        return fail(Error::Kind::Protocol,
                    tr("The token service of %1 answered without a token.").arg(registry));
    if (!isB64Token(token.toUtf8()))
        return fail(Error::Kind::Protocol,
                    tr("The token service of %1 sent a token with characters a token may not "
                       "contain; Berth did not use it. The registry's token service is "
                       "misconfigured or not to be trusted.")
                        .arg(registry));
    // The spec's minimum lifetime is 60 s when the service says nothing.
    const int expiresIn = std::max(60, object.value(u"expires_in").toInt(60));
    return Token{token.toUtf8(), QDateTime::currentDateTimeUtc().addSecs(expiresIn)};
}

// Only the token this request sent, refused by the registry, is dropped. A request that went out
// before the challenge was known carried none: its 401 must not discard the token that the
// requests started with it have just fetched (each would then fetch its own).
void RegistryTransport::forgetRefusedToken(const RegistryRequest &request,
                                           const QByteArray &authorization)
{
    const QString key = tokenKey(request.registry, request.scopes);
    if (const auto t = m_tokens.constFind(key); t != m_tokens.constEnd() && !authorization.isEmpty()
                                                && "Bearer " + t->value == authorization)
        m_tokens.erase(t);
}

void RegistryTransport::allowInsecureTls(QNetworkReply *reply, const QString &registry)
{
    // Only reached for registries the user (or the loopback rule) marked insecure.
    connect(
        reply, &QNetworkReply::sslErrors, reply, [reply, registry](const QList<QSslError> &errors) {
            qCInfo(lcRegistry) << "ignoring" << errors.size() << "TLS errors for insecure registry"
                               << registry;
            reply->ignoreSslErrors(errors);
        });
}

// A reply still running at the deadline is aborted, however steadily its bytes trickle in.
void RegistryTransport::armDeadline(QNetworkReply *reply)
{
    QTimer::singleShot(m_options.requestDeadline, reply, [reply] {
        if (reply->isFinished())
            return;
        reply->setProperty(DeadlineProperty, true);
        reply->abort();
    });
}

Error RegistryTransport::deadlineError(const QString &registry, const QString &what) const
{
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(m_options.requestDeadline);
    return Error::make(Error::Kind::Network,
                       tr("%1 did not finish answering the request for %2 within %n second(s); "
                          "Berth gave up. The registry or the network is too slow: try again "
                          "later.",
                          nullptr,
                          int(seconds.count()))
                           .arg(registry, what));
}

Error RegistryTransport::tooSlowError(const RegistryRequest &request) const
{
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(m_options.rateWindow);
    return Error::make(Error::Kind::Network,
                       tr("The transfer of %2 with %1 moved less than %3 bytes a second for "
                          "%n second(s); Berth gave up. The registry or the network is too slow: "
                          "try again later.",
                          nullptr,
                          int(seconds.count()))
                           .arg(request.registry, request.what)
                           .arg(m_options.minimumRate));
}

void RegistryTransport::dispatch(std::shared_ptr<Call> call,
                                 const QUrl &url,
                                 const QByteArray &authorization)
{
    if (!m_network)
        return call->finish(fail(Error::Kind::Network, tr("No network.")));
    const RegistryRequest &r = call->request;
    // Server-supplied URLs (upload locations, links, redirects) obey the same plain-HTTP policy as
    // the registry itself: layers never leave in clear text for a secure registry.
    if (url.scheme() != u"https" && !(url.scheme() == u"http" && isInsecure(r.registry)))
        return call->finish(
            fail(Error::Kind::Tls,
                 tr("%1 sent Berth to '%2' for %3, which is not HTTPS; Berth refused.")
                     .arg(r.registry,
                          url.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo),
                          r.what)));
    if (const auto header = unsafeHeader(r.headers, authorization))
        return call->finish(fail(
            Error::Kind::Protocol,
            tr("Berth did not send the request for %1 to %2: its %3 header would contain a line "
               "break, which could smuggle other headers in. The registry or its token service "
               "sent a value Berth cannot use.")
                .arg(r.what, r.registry, QString::fromLatin1(*header))));
    // Broken certs.d files for the host: nothing goes out without what the user put there.
    if (const auto problem = hostTlsProblem(url))
        return call->finish(fail(*problem));
    call->url = url;
    call->buffer.clear();
    call->abortError.reset();
    // The registry's Authorization never follows a redirect to another host (S3, a CDN, an
    // attacker).
    const QUrl endpoint = m_endpoints.value(r.registry);
    const bool atRegistry = sameOrigin(url, endpoint);
    const bool sendAuthorization = !authorization.isEmpty() && atRegistry;
    const bool insecureTls
        = url.scheme() == u"https"
          && (atRegistry ? isInsecure(r.registry) : isInsecure(authorityOf(url)));
    dispatchCurl(call, url, authorization, sendAuthorization, !insecureTls);
}

void RegistryTransport::dispatchCurl(std::shared_ptr<Call> call,
                                     const QUrl &url,
                                     const QByteArray &authorization,
                                     bool sendAuthorization,
                                     bool verifyTls)
{
    const RegistryRequest &r = call->request;
    CurlRequest c;
    c.url = url;
    c.verb = r.verb;
    c.headers = r.headers;
    c.headers.append({QByteArrayLiteral("User-Agent"), UserAgent});
    if (sendAuthorization)
        c.headers.append({QByteArrayLiteral("Authorization"), authorization});
    if (r.openBody && call->redirects == 0) {
        auto body = r.openBody();
        if (!body)
            return call->finish(fail(Error::Kind::Io, tr("Could not open the data to upload.")));
        c.setBody(std::move(body), r.bodySize);
    } else {
        c.postFields = r.body;
    }
    c.verifyTls = verifyTls;
    c.connectTimeoutMs = m_options.transferTimeoutMs;
    c.timeoutMs = m_options.transferTimeoutMs;
    c.maxBufferedBody = r.maxBodySize;
    const bool pooled = !isBulk(r);
    // A small exchange must be over by the deadline however steadily its bytes trickle in; a
    // streamed body (a blob up or down, whatever its size: 32 small ones may share a slow link)
    // must keep moving at the minimum rate instead (a small exchange moves too few bytes to say).
    if (!r.openBody && !r.onData && r.body.size() <= SmallRequestBody) {
        c.deadlineMs = int(m_options.requestDeadline.count());
    } else {
        c.minimumRate = m_options.minimumRate;
        c.rateWindowMs = int(m_options.rateWindow.count());
    }
    c.onResponse = r.onResponse;
    c.onData = r.onData;
    if (!verifyTls)
        qCInfo(lcRegistry) << "not verifying TLS for insecure registry" << r.registry;

    const quint64 id = ++m_nextCurlId;
    m_curlInFlight.insert(id, call);
    auto progress = [call](const CurlProgress &now) {
        if (call->request.downloadProgress && now.received > 0)
            call->request.downloadProgress(now.received);
        if (call->request.uploadProgress && now.sendTotal > 0)
            call->request.uploadProgress(now.sent, now.sendTotal);
    };
    auto done = [this, call, id, authorization](CurlOutcome o) {
        if (!m_curlInFlight.remove(id))
            return;
        call->streamed = o.streamed;
        call->buffer = std::move(o.body);
        call->abortError = std::move(o.abortError);
        if (o.tooSlow && !call->abortError)
            call->abortError = tooSlowError(call->request);
        if (o.pastDeadline && !call->abortError)
            call->abortError = deadlineError(call->request.registry, call->request.what);
        if (call->request.downloadProgress && o.streamed > 0)
            call->request.downloadProgress(o.streamed);
        conclude(
            call, Outcome{std::move(o.head), o.error, o.errorString, o.redirect}, authorization);
    };
    if (pooled)
        m_pool->start(std::move(c), r.cancel, std::move(progress), std::move(done));
    else
        m_curl->start(std::move(c), r.cancel, std::move(progress), std::move(done));
}

void RegistryTransport::retryLater(std::shared_ptr<Call> call, std::chrono::milliseconds delay)
{
    ++call->attempts;
    qCInfo(lcRegistry) << "retrying" << call->request.verb << call->request.what << "in"
                       << delay.count() << "ms, attempt" << call->attempts;
    QTimer::singleShot(delay, this, [this, call] { attempt(call); });
}

void RegistryTransport::conclude(std::shared_ptr<Call> call,
                                 const Outcome &outcome,
                                 const QByteArray &authorization)
{
    const RegistryRequest &r = call->request;
    if (wrongScheme(*call, outcome) && !r.cancel.isCancelled())
        return probeAgain(call);
    // A registry's own answer from a remembered endpoint confirms it.
    if (call->recalledEndpoint.isValid() && confirmsScheme(outcome)
        && m_endpoints.value(r.registry) == call->recalledEndpoint)
        m_recalled.remove(r.registry);
    if (call->abortError)
        return call->finish(fail(*call->abortError));
    if (r.cancel.isCancelled())
        return call->finish(fail(Error::Kind::Cancelled, tr("Cancelled.")));
    const int status = outcome.head.status;
    // Docker Hub states the pull limit on manifest answers, a 429 included; a CDN a blob
    // redirects to does not speak for the registry.
    if (status != 0 && sameOrigin(call->url, m_endpoints.value(r.registry))) {
        if (auto limit = parsePullRateLimit(outcome.head.headers); limit && limit->isKnown()) {
            limit->seen = QDateTime::currentDateTimeUtc();
            keepLowerRecentCount(*limit, pullRateLimit(r.registry));
            m_pullRateLimits.insert(r.registry, *limit);
            emit pullRateLimitSeen(r.registry, *limit);
        }
    }
    const bool truncated = isTruncated(*call, outcome);
    if (status == 0 || truncated || isTransportError(outcome.error))
        return transportFailed(
            call, truncated ? QNetworkReply::RemoteHostClosedError : outcome.error, outcome);
    if (status >= 300 && status < 400 && status != 304)
        return followRedirect(call, outcome.redirect, authorization);
    if (status == 401 && challenged(call, outcome, authorization))
        return;
    if (status == 429)
        return rateLimited(call, outcome);
    if ((status == 500 || status == 502 || status == 503 || status == 504) && canRetry(*call))
        return retryLater(call, backoff(*call));
    if (status < 200 || status >= 300)
        return call->finish(fail(refusal(*call, status, authorization)));

    RegistryResponse response;
    response.status = status;
    response.url = call->url;
    response.body = std::move(call->buffer);
    response.streamedBytes = call->streamed;
    response.headers = outcome.head.headers;
    call->finish(std::move(response));
}

bool RegistryTransport::canRetry(const Call &call) const
{
    const int maxAttempts
        = call.request.maxAttempts > 0 ? call.request.maxAttempts : m_options.maxAttempts;
    return call.request.idempotent && call.streamed == 0 && call.attempts < maxAttempts;
}

// base, 4×base, 16×base…, at most 10 s.
std::chrono::milliseconds RegistryTransport::backoff(const Call &call) const
{
    return std::min<std::chrono::milliseconds>(
        m_options.retryBase * (1 << (2 * (call.attempts - 1))), std::chrono::milliseconds(10000));
}

// Qt 6.4 now and then reports a connection closed mid-body as a success: a 2xx body shorter than
// its Content-Length is a dropped connection (retried, or resumed by the caller), whatever the
// reply says. A decoded Content-Encoding makes the lengths incomparable; registries send none.
bool RegistryTransport::isTruncated(const Call &call, const Outcome &outcome)
{
    const int status = outcome.head.status;
    if (status < 200 || status >= 300 || call.request.verb == "HEAD"
        || isTransportError(outcome.error) || !outcome.head.header("Content-Encoding").isEmpty())
        return false;
    bool ok = false;
    const qint64 declared = outcome.head.header("Content-Length").toLongLong(&ok);
    const qint64 received = call.streaming ? call.streamed : call.buffer.size();
    return ok && received < declared;
}

void RegistryTransport::transportFailed(std::shared_ptr<Call> call,
                                        QNetworkReply::NetworkError code,
                                        const Outcome &outcome)
{
    code = attributeToProxy(code, call->url);
    const QString &registry = call->request.registry;
    if (code != QNetworkReply::SslHandshakeFailedError && !isProxyRefusal(code) && canRetry(*call))
        return retryLater(call, backoff(*call));
    call->finish(fail(registryNetworkError(code, outcome.errorString, registry, call->url)));
}

void RegistryTransport::followRedirect(std::shared_ptr<Call> call,
                                       const QUrl &location,
                                       const QByteArray &authorization)
{
    const RegistryRequest &r = call->request;
    if (!location.isValid() || (r.verb != "GET" && r.verb != "HEAD")
        || call->redirects >= MaxRedirects)
        return call->finish(
            fail(Error::Kind::Protocol,
                 tr("%1 answered the request for %2 with a redirect Berth cannot follow.")
                     .arg(r.registry, r.what)));
    const QUrl next = call->url.resolved(location);
    if (call->url.scheme() == u"https" && next.scheme() != u"https" && !isInsecure(r.registry))
        return call->finish(fail(Error::Kind::Tls,
                                 tr("%1 redirected %2 from HTTPS to plain HTTP; Berth refused.")
                                     .arg(r.registry, r.what)));
    ++call->redirects;
    dispatch(call, next, authorization);
}

// Learns the registry's challenge from a 401, even when not answering it (ping), so callers can
// read it; answers it once, when the request authenticates. True when the request goes again.
bool RegistryTransport::challenged(std::shared_ptr<Call> call,
                                   const Outcome &outcome,
                                   const QByteArray &authorization)
{
    const RegistryRequest &r = call->request;
    if (!sameOrigin(call->url, m_endpoints.value(r.registry)))
        return false;
    const auto challenges = parseAuthChallenges(outcome.head.header("WWW-Authenticate"));
    if (const auto chosen = challenges ? preferredChallenge(*challenges) : std::nullopt)
        m_challenges.insert(r.registry, *chosen);
    if (!r.authenticate || call->authRetried || !m_challenges.contains(r.registry))
        return false;
    call->authRetried = true;
    forgetRefusedToken(r, authorization);
    attempt(call);
    return true;
}

void RegistryTransport::rateLimited(std::shared_ptr<Call> call, const Outcome &outcome)
{
    const RegistryRequest &r = call->request;
    const auto wait = parseRetryAfter(outcome.head.header("Retry-After"));
    if (call->attempts < m_options.maxAttempts
        && wait.value_or(std::chrono::seconds(0)) <= m_options.maxRetryAfter)
        return retryLater(call, wait ? std::chrono::milliseconds(*wait) : backoff(*call));
    Error e = registryHttpError(outcome.head.status, call->buffer, r.what, r.registry);
    e.kind = Error::Kind::RateLimited;
    e.retryAfter = wait;
    if (wait)
        e.message = tr("%1 is rate limiting requests; try again in %n second(s).",
                       nullptr,
                       int(wait->count()))
                        .arg(r.registry);
    call->finish(fail(std::move(e)));
}

// A refusal in the registry's words, and a 401 in the user's: which login was refused, or that
// one is needed.
Error RegistryTransport::refusal(const Call &call,
                                 int status,
                                 const QByteArray &authorization) const
{
    const RegistryRequest &r = call.request;
    Error e = registryHttpError(status, call.buffer, r.what, r.registry);
    if (e.kind != Error::Kind::Unauthorized)
        return e;
    if (authorization.startsWith("Basic ")) {
        // Basic auth is all or nothing in a registry (a login without access is a 403): a 401 to
        // a request that carried the user name and password means they were refused.
        e.message = tr("%1 refused the user name or password. Check them, or use an access "
                       "token if the account requires one.")
                        .arg(r.registry);
        return e;
    }
    const bool hadCredential = m_overrides.value(r.registry).has_value()
                               || m_credentialCache.value(r.registry).has_value();
    e.message = hadCredential
                    ? tr("%1 refused access to %2 with the stored login: the repository does "
                         "not exist or the account may not use it.")
                          .arg(r.registry, r.what)
                    : tr("Access to %1 was refused: the repository does not exist or needs a "
                         "login (berthctl login %2).")
                          .arg(r.what, r.registry);
    return e;
}

} // namespace Berth
