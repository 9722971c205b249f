#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QRegularExpression>
#include <QString>

#include <utility>

class QTcpServer;

namespace BerthTest {

// One fault the proxy injects into the requests it matches (method and a regular expression on the
// path, query excluded), for the first `times` of them; the others pass through untouched.
struct FaultRule
{
    enum class Action {
        Status,             // answer `status` (with Retry-After when set) without asking upstream
        DropAfter,          // send the head and `bytes` body bytes of a 2xx answer, then close
        CorruptByte,        // flip the body byte at offset `bytes` (or the last) of a 2xx answer
        WrongContentLength, // declare `bytes` more than the 2xx body holds, send it, then close
        Stall,              // send the head and `bytes` body bytes, wait `stallMs`, send the rest
        Redirect,           // answer a 2xx GET with a 307 to the proxy's second port, which serves
                            // the same bytes and records the headers it received
        IgnoreRange,        // forward without the Range header, as a server without range support
        Hang,               // read the request, never answer (until the client gives up)
        DropRequest,        // close once `bytes` of the request body arrived; nothing goes upstream
        DropAnswer,         // forward (the registry acts on it), then close without answering
        ShortContentLength, // declare `bytes` fewer than the 2xx body holds, send it all, close
        ReplaceBody,        // send `replacement` instead of the 2xx body (a well-framed wrong body)
        RedirectCorrupt,    // as Redirect, but the other host flips the body byte at `bytes`
    };

    Action action = Action::Status;
    QByteArray method; // empty: any
    QRegularExpression path;
    int times = 1; // -1: every matching request
    qint64 bytes = 0;
    int status = 500;
    QByteArray retryAfter;
    int stallMs = 0;
    QByteArray replacement;

    static FaultRule answer(const QByteArray &method, const QString &path, int status, int times);
    static FaultRule rateLimit(const QByteArray &method,
                               const QString &path,
                               const QByteArray &retryAfter,
                               int times);
    static FaultRule
    dropAfter(const QByteArray &method, const QString &path, qint64 bytes, int times = 1);
    static FaultRule
    corruptByte(const QByteArray &method, const QString &path, qint64 offset, int times = -1);
    static FaultRule
    wrongContentLength(const QByteArray &method, const QString &path, qint64 extra, int times = 1);
    static FaultRule
    stall(const QByteArray &method, const QString &path, qint64 bytes, int stallMs, int times = 1);
    static FaultRule redirect(const QByteArray &method, const QString &path, int times = -1);
    static FaultRule ignoreRange(const QByteArray &method, const QString &path, int times = -1);
    static FaultRule hang(const QByteArray &method, const QString &path, int times = 1);
    static FaultRule
    dropRequest(const QByteArray &method, const QString &path, qint64 bytes, int times = 1);
    static FaultRule dropAnswer(const QByteArray &method, const QString &path, int times = 1);
    static FaultRule
    shortContentLength(const QByteArray &method, const QString &path, qint64 fewer, int times = 1);
    static FaultRule replaceBody(const QByteArray &method,
                                 const QString &path,
                                 const QByteArray &replacement,
                                 int times = 1);
    static FaultRule
    redirectCorrupt(const QByteArray &method, const QString &path, qint64 offset, int times = -1);
};

// A request as the proxy (or its redirect target) received it.
struct SeenRequest
{
    QByteArray method;
    QByteArray target; // path and query as sent
    QList<std::pair<QByteArray, QByteArray>> headers;
    int rule = -1;  // the rule applied to it, -1 when it passed through
    int status = 0; // what the client was answered (0: nothing, dropped)

    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    QByteArray path() const
    {
        return target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'));
    }
};

// An in-process HTTP/1.1 reverse proxy on 127.0.0.1 in front of a real registry, for failure-path
// tests. Clients talk to host() as if it were the registry; the Host header is forwarded as sent,
// so the registry builds upload Locations that point back at the proxy. Each request goes upstream
// on a fresh connection (Connection: close); the answer is read whole (Content-Length, chunked or
// until close), faulted if a rule says so, and sent back with a Content-Length. An answer upstream
// cut short is passed on cut short, then the connection closes. Everything runs on the thread that
// made the proxy, so tests drive it with their own event loop.
class FaultProxy final : public QObject
{
    Q_OBJECT

public:
    explicit FaultProxy(const QString &upstream, QObject *parent = nullptr); // "127.0.0.1:PORT"
    ~FaultProxy() override;

    // Listens on 127.0.0.1:0 for the proxy and for the redirect target.
    bool listen();
    QString host() const;         // "127.0.0.1:PORT": give this to the client as the registry
    QString redirectHost() const; // where Redirect rules send clients
    QString upstream() const { return m_upstream; }

    int addRule(const FaultRule &rule); // answers the rule's id for matched()/applied()
    void clearRules();
    int matched(int rule) const; // requests the rule matched, faulted or not
    int applied(int rule) const; // requests the rule faulted

    QList<SeenRequest> requests() const { return m_requests; }
    QList<SeenRequest> redirectedRequests() const { return m_redirected; }
    void clearLog();

private:
    friend class ProxyConnection;
    friend class RedirectConnection;

    struct RuleState
    {
        FaultRule rule;
        int matched = 0;
        int applied = 0;
        int pending = 0; // taken by a request whose upstream answer is still awaited
        bool enabled = true;
    };

    // The rule to apply to this request, counting it; -1 when none applies.
    int takeRule(const QByteArray &method, const QByteArray &target);
    // Whether takeRule would answer a DropRequest rule for this request (counting nothing): the
    // proxy must know before the whole body has arrived.
    bool wouldDropRequest(const QByteArray &method, const QByteArray &target, qint64 *bytes) const;
    // Whether a rule taken for a request is still to be applied once the upstream answer is known
    // (body faults only apply to 2xx answers with a body; the others pass through and do not
    // count).
    void confirmApplied(int rule);
    void releaseRule(int rule);
    const FaultRule &rule(int id) const { return m_rules.at(id).rule; }
    int logRequest(SeenRequest request);
    void setAnswer(int logIndex, int status, int rule);
    QByteArray storeRedirected(const QByteArray &body,
                               const QList<std::pair<QByteArray, QByteArray>> &headers,
                               qint64 corruptAt = -1);

    QString m_upstream;
    QTcpServer *m_server = nullptr;
    QTcpServer *m_redirectServer = nullptr;
    QList<RuleState> m_rules;
    QList<SeenRequest> m_requests;
    QList<SeenRequest> m_redirected;
    struct Stored
    {
        QByteArray body;
        QByteArray contentType;
    };
    QHash<QByteArray, Stored> m_stored;
    int m_nextStored = 0;
};

} // namespace BerthTest
