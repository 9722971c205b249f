#pragma once

#include "authchallenge.h"
#include "common/cancel.h"
#include "common/result.h"
#include "credentials/credential.h"
#include "http/responsehead.h"
#include "pullratelimit.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QIODevice>
#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace Berth {
class CurlPool;
class CurlTransfers;
} // namespace Berth

namespace Berth {

// One HTTP exchange with a registry, described so the transport can replay it: after a 401
// challenge, a dropped connection, a 5xx or a 429.
struct RegistryRequest
{
    QString registry; // normalised domain: "docker.io", "127.0.0.1:5000"
    QByteArray verb = "GET";
    QString path;       // "/v2/…", relative to the registry's endpoint
    QUrl absoluteUrl;   // instead of path: an upload Location
    QStringList scopes; // token scopes, "repository:name:pull,push"
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // A streamed body, opened afresh for each attempt; bodySize is its Content-Length.
    std::function<std::unique_ptr<QIODevice>()> openBody;
    qint64 bodySize = -1;
    // A streamed body gets a transfer thread (and connection) of its own, unless its callbacks
    // never wait and do little work (memory, a plain file; never a pipe to another exchange,
    // which would stall the shared thread) and it is small: its size, or for an answer sizeHint.
    bool mayShareThread = false;
    qint64 sizeHint = -1;
    bool idempotent = true;   // retried on 5xx and dropped connections
    int maxAttempts = 0;      // 0: the transport's options; 1: a mirror in a fallback chain
    bool authenticate = true; // false: send no credentials, report a 401 as an error
    QString what;             // the object in the user's terms, for error messages
    qint64 maxBodySize = 16 * 1024 * 1024; // bound on a buffered (non-streamed) answer
    // Streaming: when set, a 2xx body is handed over as it arrives instead of being buffered.
    // onResponse sees the status and headers first. Returning an error aborts the request. Both
    // run on a transfer thread (libcurl's, see CurlTransfers), one call after another: they must
    // touch only state of their own, and report progress through downloadProgress.
    std::function<Status(const ResponseHead &)> onResponse;
    std::function<Status(QByteArrayView)> onData;
    // On the transport's thread, at most every 50 ms: body bytes received by this exchange.
    std::function<void(qint64 received)> downloadProgress;
    std::function<void(qint64 sent, qint64 total)> uploadProgress;
    CancelToken cancel;
};

struct RegistryResponse
{
    int status = 0;
    QUrl url;        // after redirects
    QByteArray body; // empty when streamed
    QList<std::pair<QByteArray, QByteArray>> headers;
    qint64 streamedBytes = 0;

    QByteArray header(QByteArrayView name) const;
};

struct RegistryTransportOptions
{
    int maxAttempts = 4;                      // per request, for retryable failures
    std::chrono::milliseconds retryBase{200}; // backoff: base, 4×base, 16×base…
    std::chrono::seconds maxRetryAfter{60};   // a longer Retry-After fails at once
    int transferTimeoutMs = 60000;            // no byte for this long: the connection is dead
    // A server that sends a byte now and then never looks idle. Streamed bodies (blobs) fail when
    // fewer than minimumRate bytes a second move over a whole rateWindow; small exchanges
    // (manifests, HEADs, tag pages, tokens) fail when not complete within requestDeadline.
    qint64 minimumRate = 1024;
    std::chrono::milliseconds rateWindow{60000};
    std::chrono::milliseconds requestDeadline{120000};
};

// Whether registries.conf (the network policy's) marks the registry insecure, as a location or a
// mirror (registryroutes.cpp).
bool insecureInRegistriesConf(const QString &registry);

// Sends RegistryRequests: picks http or https per registry, answers auth challenges (Basic, Bearer
// with anonymous or credentialed tokens cached per registry and scope until they expire), follows
// redirects without carrying the registry's Authorization to another host, retries idempotent
// requests with backoff and waits out 429s. Everything asynchronous, on libcurl: large bodies
// (blob downloads and uploads) on transfer threads of their own, every other exchange on one
// pool of shared connections (CurlPool); Qt's network access manager only probes an insecure
// registry's endpoint and fetches tokens.
class RegistryTransport final : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(Result<RegistryResponse>)>;

    explicit RegistryTransport(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~RegistryTransport() override;

    void setCredentialProvider(CredentialProvider *provider) { m_credentials = provider; }
    // The logins in use (Docker Hub's account API needs the docker.io one too).
    CredentialProvider *credentialProvider() const { return m_credentials; }
    void setInsecureRegistries(const QStringList &registries);
    // Plain HTTP (and unverified TLS) is allowed for localhost, 127.0.0.0/8, [::1] and the
    // registries marked insecure, as docker does; never for anything else.
    bool isInsecure(const QString &registry) const;
    QStringList insecureRegistries() const { return m_insecure; }
    void setOptions(const RegistryTransportOptions &options) { m_options = options; }
    const RegistryTransportOptions &options() const { return m_options; }

    void send(RegistryRequest request, Done done);

    // Uses these credentials for the registry instead of asking the provider (login checks).
    void setCredentialOverride(const QString &registry, std::optional<Credential> credential);
    // Forgets tokens, challenges and cached credentials (after logout, or a login change).
    void forgetRegistry(const QString &registry);
    // The endpoint in use ("https://host"), once known.
    QUrl endpoint(const QString &registry) const { return m_endpoints.value(registry); }
    // The registry's challenge once seen (empty before the first 401).
    std::optional<AuthChallenge> challenge(const QString &registry) const;
    // The pull limit the registry's last answer stated, if any answer did.
    std::optional<PullRateLimit> pullRateLimit(const QString &registry) const;

    // Requests a Bearer token for scopes with the given credentials (the login check uses this).
    void fetchToken(const QString &registry,
                    const AuthChallenge &challenge,
                    const QStringList &scopes,
                    const std::optional<Credential> &credential,
                    std::function<void(Result<QByteArray>)> done);

signals:
    // An answer stated the registry's pull limit (Docker Hub's manifest answers do).
    void pullRateLimitSeen(const QString &registry, const Berth::PullRateLimit &limit);

private:
    struct Call;
    struct Token
    {
        QByteArray value;
        QDateTime expires;
    };

    void attempt(std::shared_ptr<Call> call);
    void resolveEndpoint(const QString &registry, std::function<void(Result<QUrl>)> done);
    std::optional<QUrl> recallEndpoint(const QString &registry) const;
    void authorize(std::shared_ptr<Call> call, std::function<void(Result<QByteArray>)> done);
    void lookupCredential(const QString &registry,
                          std::function<void(Result<std::optional<Credential>>)> done);
    struct Outcome;
    bool wrongScheme(const Call &call, const Outcome &outcome) const;
    static bool confirmsScheme(const Outcome &outcome);
    void probeAgain(std::shared_ptr<Call> call);

    void dispatch(std::shared_ptr<Call> call, const QUrl &url, const QByteArray &authorization);
    void dispatchCurl(std::shared_ptr<Call> call,
                      const QUrl &url,
                      const QByteArray &authorization,
                      bool sendAuthorization,
                      bool verifyTls);
    void
    conclude(std::shared_ptr<Call> call, const Outcome &outcome, const QByteArray &authorization);
    bool canRetry(const Call &call) const;
    std::chrono::milliseconds backoff(const Call &call) const;
    static bool isTruncated(const Call &call, const Outcome &outcome);
    void transportFailed(std::shared_ptr<Call> call,
                         QNetworkReply::NetworkError code,
                         const Outcome &outcome);
    void followRedirect(std::shared_ptr<Call> call,
                        const QUrl &location,
                        const QByteArray &authorization);
    bool
    challenged(std::shared_ptr<Call> call, const Outcome &outcome, const QByteArray &authorization);
    void rateLimited(std::shared_ptr<Call> call, const Outcome &outcome);
    Error refusal(const Call &call, int status, const QByteArray &authorization) const;
    void retryLater(std::shared_ptr<Call> call, std::chrono::milliseconds delay);
    void allowInsecureTls(QNetworkReply *reply, const QString &registry);
    Status tokenRealmAllowed(const QString &registry,
                             const QUrl &realm,
                             const AuthChallenge &challenge,
                             const std::optional<Credential> &credential) const;
    QNetworkReply *requestToken(QUrl realm,
                                const AuthChallenge &challenge,
                                const QStringList &scopes,
                                const std::optional<Credential> &credential);
    Result<Token>
    tokenAnswer(QNetworkReply *reply, const QString &registry, bool withCredential) const;
    void armDeadline(QNetworkReply *reply);
    Error deadlineError(const QString &registry, const QString &what) const;
    Error tooSlowError(const RegistryRequest &request) const;
    QString tokenKey(const QString &registry, const QStringList &scopes) const;
    void forgetRefusedToken(const RegistryRequest &request, const QByteArray &authorization);

    QPointer<QNetworkAccessManager> m_network;
    CredentialProvider *m_credentials = nullptr;
    RegistryTransportOptions m_options;
    QStringList m_insecure;
    QHash<QString, QUrl> m_endpoints;
    QHash<QString, QList<std::function<void(Result<QUrl>)>>> m_endpointWaiters;
    QSet<QString> m_recalled; // endpoints remembered from an earlier run, not yet confirmed
    QHash<QString, AuthChallenge> m_challenges;
    QHash<QString, PullRateLimit> m_pullRateLimits;
    QHash<QString, Token> m_tokens;
    QHash<QString, std::optional<Credential>> m_credentialCache;
    QHash<QString, std::optional<Credential>> m_overrides;
    // "generation#registry" and "generation#token key" → callers waiting for the one question
    // in flight.
    QHash<QString, QList<std::function<void(Result<std::optional<Credential>>)>>>
        m_credentialWaiters;
    QHash<QString, QList<std::function<void(Result<QByteArray>)>>> m_tokenWaiters;
    QHash<QString, int> m_generations; // bumped by forgetRegistry: late answers are dropped
    CurlTransfers *m_curl = nullptr;   // large bodies, a thread each
    CurlPool *m_pool = nullptr;        // everything else, on shared connections
    QHash<quint64, std::shared_ptr<Call>> m_curlInFlight;
    quint64 m_nextCurlId = 0;
    bool m_destroying = false;
};

} // namespace Berth
