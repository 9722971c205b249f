#include "faultproxy.h"
#include "httphead.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace BerthTest {

namespace {

using Headers = HttpHeaders;
using Head = HttpHead;
using Framing = HttpFraming;

constexpr qsizetype NeedMore = HttpNeedMore;
constexpr qsizetype Malformed = HttpMalformed;

bool isHopByHop(QByteArrayView name)
{
    // Framing and connection management are the proxy's own on each side.
    for (const char *hop : {"connection",
                            "keep-alive",
                            "transfer-encoding",
                            "content-length",
                            "te",
                            "trailer",
                            "upgrade",
                            "proxy-connection",
                            "proxy-authorization"}) {
        if (name.compare(QByteArrayView(hop), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// Takes a complete body starting at `from`; answers where it ends, NeedMore or Malformed.
qsizetype
takeBody(const QByteArray &buffer, qsizetype from, Framing framing, qint64 length, QByteArray *body)
{
    switch (framing) {
    case Framing::None:
        body->clear();
        return from;
    case Framing::UntilClose:
        return NeedMore; // complete only when the peer closes
    case Framing::Length:
        if (buffer.size() - from < length)
            return NeedMore;
        *body = buffer.mid(from, length);
        return from + length;
    case Framing::Chunked:
        break;
    }
    QByteArray out;
    qsizetype pos = from;
    for (;;) {
        const qsizetype eol = buffer.indexOf("\r\n", pos);
        if (eol < 0)
            return NeedMore;
        QByteArray sizeText = buffer.mid(pos, eol - pos);
        if (const qsizetype semicolon = sizeText.indexOf(';'); semicolon >= 0)
            sizeText.truncate(semicolon);
        bool ok = false;
        const qint64 size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return Malformed;
        pos = eol + 2;
        if (size == 0) {
            // Trailer fields, then the empty line.
            for (;;) {
                const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
                if (lineEnd < 0)
                    return NeedMore;
                const bool empty = lineEnd == pos;
                pos = lineEnd + 2;
                if (empty) {
                    *body = out;
                    return pos;
                }
            }
        }
        if (buffer.size() - pos < size + 2)
            return NeedMore;
        out.append(buffer.constData() + pos, size);
        if (buffer.mid(pos + size, 2) != "\r\n")
            return Malformed;
        pos += size + 2;
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 206:
        return "Partial Content";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 416:
        return "Range Not Satisfiable";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

QByteArray serializeHead(int status, const QByteArray &reason, const Headers &headers)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    return out;
}

QHostAddress loopback()
{
    return QHostAddress(QHostAddress::LocalHost);
}

} // namespace

// One client connection to the proxy: reads requests one at a time (clients do not pipeline),
// answers each from a rule or from upstream.
class ProxyConnection final : public QObject
{
public:
    ProxyConnection(FaultProxy *proxy, QTcpSocket *client)
        : QObject(proxy)
        , m_proxy(proxy)
        , m_client(client)
    {
        client->setParent(this);
        connect(client, &QTcpSocket::readyRead, this, [this] { readClient(); });
        connect(client, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        readClient();
    }

    ~ProxyConnection() override
    {
        // The client went away mid-exchange (it cancelled, or Qt re-sent the request on another
        // connection): the fault it had taken goes back to the rule.
        releaseRule();
    }

private:
    void confirmRule()
    {
        if (m_rulePending)
            m_proxy->confirmApplied(m_rule);
        m_rulePending = false;
    }

    void releaseRule()
    {
        if (m_rulePending)
            m_proxy->releaseRule(m_rule);
        m_rulePending = false;
    }

    void readClient()
    {
        m_in += m_client->readAll();
        if (!m_busy)
            nextRequest();
    }

    void nextRequest()
    {
        if (m_in.isEmpty() || m_closing)
            return;
        // A TLS ClientHello (the client probing for HTTPS first): refuse it the way a plain HTTP
        // server does, by closing, so the client falls back to http:// at once.
        if (quint8(m_in.at(0)) == 0x16) {
            m_closing = true;
            m_client->abort();
            return;
        }
        Head head;
        const qsizetype headEnd = parseHttpHead(m_in, &head);
        if (headEnd == NeedMore)
            return;
        qint64 length = 0;
        const auto framing = headEnd == Malformed
                                 ? std::nullopt
                                 : httpFramingOf(head.headers, &length, Framing::None);
        QByteArray body;
        const qsizetype end
            = framing ? takeBody(m_in, headEnd, *framing, length, &body) : Malformed;
        const QList<QByteArray> parts = head.firstLine.split(' ');
        if (end == Malformed || parts.size() != 3) {
            m_closing = true;
            m_client->write(serializeHead(
                400, reasonPhrase(400), {{"Content-Length", "0"}, {"Connection", "close"}}));
            m_client->disconnectFromHost();
            return;
        }
        if (end == NeedMore) {
            // A client uploading: the drop must come while it is still sending.
            qint64 dropAt = 0;
            if (m_proxy->wouldDropRequest(parts.at(0), parts.at(1), &dropAt)
                && m_in.size() - headEnd >= dropAt)
                dropRequest(parts.at(0), parts.at(1), head.headers);
            return;
        }
        m_in.remove(0, end);
        m_busy = true;
        m_method = parts.at(0);
        m_target = parts.at(1);
        m_keepAlive = parts.at(2) == "HTTP/1.1"
                      && headerIn(head.headers, "Connection").toLower() != "close";
        m_requestHeaders = head.headers;
        m_requestBody = body;
        m_log = m_proxy->logRequest({m_method, m_target, head.headers, -1, 0});
        m_rule = m_proxy->takeRule(m_method, m_target);
        m_rulePending = m_rule >= 0;
        if (m_rule >= 0 && m_proxy->rule(m_rule).action == FaultRule::Action::Status)
            return answerStatus();
        if (m_rule >= 0 && m_proxy->rule(m_rule).action == FaultRule::Action::DropRequest) {
            // The whole body came before the drop offset: drop after it, still unanswered.
            confirmRule();
            m_proxy->setAnswer(m_log, 0, m_rule);
            m_closing = true;
            m_client->abort();
            return;
        }
        if (m_rule >= 0 && m_proxy->rule(m_rule).action == FaultRule::Action::Hang) {
            // Busy for good: the client's timeout (or cancellation) is the only way out.
            confirmRule();
            m_proxy->setAnswer(m_log, 0, m_rule);
            return;
        }
        forward();
    }

    void dropRequest(const QByteArray &method, const QByteArray &target, const Headers &headers)
    {
        const int log = m_proxy->logRequest({method, target, headers, -1, 0});
        const int rule = m_proxy->takeRule(method, target);
        m_proxy->confirmApplied(rule);
        m_proxy->setAnswer(log, 0, rule);
        m_closing = true;
        m_client->abort();
    }

    void answerStatus()
    {
        const FaultRule &rule = m_proxy->rule(m_rule);
        confirmRule();
        const QByteArray body
            = R"({"errors":[{"code":"UNKNOWN","message":"injected by the fault proxy","detail":null}]})";
        Headers headers{{"Content-Type", "application/json; charset=utf-8"},
                        {"Content-Length", QByteArray::number(body.size())}};
        if (!rule.retryAfter.isEmpty())
            headers.emplaceBack("Retry-After", rule.retryAfter);
        send(rule.status,
             reasonPhrase(rule.status),
             headers,
             m_method == "HEAD" ? QByteArray() : body);
        m_proxy->setAnswer(m_log, rule.status, m_rule);
        finishExchange(m_keepAlive);
    }

    void forward()
    {
        m_upstream = new QTcpSocket(this);
        m_upIn.clear();
        m_upstreamDone = false;
        const QString upstream = m_proxy->upstream();
        const qsizetype colon = upstream.lastIndexOf(u':');
        connect(m_upstream, &QTcpSocket::connected, this, [this] {
            QByteArray out = m_method + ' ' + m_target + " HTTP/1.1\r\n";
            const bool dropRange
                = m_rule >= 0 && m_proxy->rule(m_rule).action == FaultRule::Action::IgnoreRange;
            for (const auto &[name, value] : std::as_const(m_requestHeaders)) {
                // The client's Host (the proxy) is kept, so the registry's Locations point here.
                if (isHopByHop(name)
                    || QByteArrayView(name).compare("Accept-Encoding", Qt::CaseInsensitive) == 0)
                    continue;
                if (dropRange && QByteArrayView(name).compare("Range", Qt::CaseInsensitive) == 0)
                    continue;
                out += name + ": " + value + "\r\n";
            }
            // Identity encoding keeps the bytes the client hashes the registry's own.
            out += "Accept-Encoding: identity\r\nConnection: close\r\n";
            if (!m_requestBody.isEmpty() || m_method == "POST" || m_method == "PUT"
                || m_method == "PATCH")
                out += "Content-Length: " + QByteArray::number(m_requestBody.size()) + "\r\n";
            out += "\r\n";
            m_upstream->write(out);
            m_upstream->write(m_requestBody);
        });
        connect(m_upstream, &QTcpSocket::readyRead, this, [this] {
            m_upIn += m_upstream->readAll();
            parseUpstream(false);
        });
        connect(m_upstream, &QTcpSocket::disconnected, this, [this] {
            m_upIn += m_upstream->readAll();
            parseUpstream(true);
        });
        connect(m_upstream,
                &QTcpSocket::errorOccurred,
                this,
                [this](QAbstractSocket::SocketError error) {
                    if (error != QAbstractSocket::RemoteHostClosedError)
                        parseUpstream(true);
                });
        m_upstream->connectToHost(loopback(), upstream.mid(colon + 1).toUShort());
    }

    void parseUpstream(bool closed)
    {
        if (m_upstreamDone)
            return;
        Head head;
        qsizetype headEnd = parseHttpHead(m_upIn, &head);
        // 1xx answers are interim: drop them and read on.
        while (headEnd > 0 && head.firstLine.mid(9, 1) == "1") {
            m_upIn.remove(0, headEnd);
            headEnd = parseHttpHead(m_upIn, &head);
        }
        if (headEnd == NeedMore && !closed)
            return;
        const QList<QByteArray> parts = head.firstLine.split(' ');
        bool statusOk = false;
        const int status = parts.size() >= 2 ? parts.at(1).toInt(&statusOk) : 0;
        if (headEnd < 0 || !statusOk)
            return upstreamFailed();
        const bool noBody = m_method == "HEAD" || status == 204 || status == 304;
        qint64 length = 0;
        const auto framing = noBody ? std::optional(Framing::None)
                                    : httpFramingOf(head.headers, &length, Framing::UntilClose);
        if (!framing)
            return upstreamFailed();
        QByteArray body;
        qsizetype end = takeBody(m_upIn, headEnd, *framing, length, &body);
        if (end == NeedMore && closed && *framing == Framing::UntilClose) {
            body = m_upIn.mid(headEnd);
            end = m_upIn.size();
        }
        if (end == NeedMore && !closed)
            return;
        if (end == NeedMore)
            return passTruncated(head, m_upIn.mid(headEnd));
        if (end < 0)
            return upstreamFailed();
        releaseUpstream();
        answerFromUpstream(status, parts.mid(2).join(' '), head.headers, body, noBody);
    }

    // Upstream closed before the body it announced was complete (distribution does this with a
    // 416, whose Content-Length is the blob's): the client gets the same truncated answer, framing
    // headers included, and then the close.
    void passTruncated(const Head &head, const QByteArray &partial)
    {
        releaseUpstream();
        releaseRule();
        QByteArray out = "HTTP/1.1 " + head.firstLine.mid(9) + "\r\n";
        for (const auto &[name, value] : head.headers) {
            const QByteArrayView n(name);
            if (!isHopByHop(n) || n.compare("Content-Length", Qt::CaseInsensitive) == 0
                || n.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
                out += name + ": " + value + "\r\n";
        }
        out += "\r\n";
        m_client->write(out);
        m_client->write(partial);
        m_proxy->setAnswer(m_log, head.firstLine.mid(9, 3).toInt(), -1);
        finishExchange(false);
    }

    void releaseUpstream()
    {
        m_upstreamDone = true;
        if (m_upstream) {
            m_upstream->disconnect(this);
            m_upstream->abort();
            m_upstream->deleteLater();
            m_upstream = nullptr;
        }
    }

    void upstreamFailed()
    {
        releaseUpstream();
        releaseRule();
        send(502, reasonPhrase(502), {{"Content-Length", "0"}}, {});
        m_proxy->setAnswer(m_log, 502, -1);
        finishExchange(m_keepAlive);
    }

    void answerFromUpstream(int status,
                            const QByteArray &reason,
                            const Headers &upstreamHeaders,
                            QByteArray body,
                            bool noBody)
    {
        Headers headers;
        const QByteArray upstreamOrigin = "http://" + m_proxy->upstream().toLatin1();
        const QByteArray proxyOrigin = "http://" + m_proxy->host().toLatin1();
        for (const auto &[name, value] : upstreamHeaders) {
            if (isHopByHop(name))
                continue;
            QByteArray v = value;
            if (QByteArrayView(name).compare("Location", Qt::CaseInsensitive) == 0
                && v.startsWith(upstreamOrigin))
                v = proxyOrigin + v.mid(upstreamOrigin.size());
            headers.append({name, v});
        }
        // A HEAD answer declares the length of the body it does not send.
        const QByteArray length = noBody ? headerIn(upstreamHeaders, "Content-Length")
                                         : QByteArray::number(body.size());

        bool faultable = status >= 200 && status < 300 && !noBody && !body.isEmpty();
        const FaultRule *rule = m_rule >= 0 ? &m_proxy->rule(m_rule) : nullptr;
        if (rule && rule->action == FaultRule::Action::IgnoreRange)
            faultable = faultable && hasHeaderIn(m_requestHeaders, "Range");
        // An upload's answer has no body: losing it is the fault.
        if (rule && rule->action == FaultRule::Action::DropAnswer)
            faultable = status >= 200 && status < 300;
        const bool redirect = rule
                              && (rule->action == FaultRule::Action::Redirect
                                  || rule->action == FaultRule::Action::RedirectCorrupt);
        if (rule && faultable && (!redirect || m_method == "GET")) {
            confirmRule();
        } else {
            releaseRule();
            rule = nullptr;
        }
        const int ruleId = rule ? m_rule : -1;
        if (!length.isEmpty())
            headers.emplaceBack("Content-Length", length);

        if (!rule) {
            send(status, reason, headers, noBody ? QByteArray() : body);
            m_proxy->setAnswer(m_log, status, -1);
            return finishExchange(m_keepAlive);
        }

        switch (rule->action) {
        case FaultRule::Action::Status: // answered before going upstream
        case FaultRule::Action::Hang:
        case FaultRule::Action::DropRequest:
            break;
        case FaultRule::Action::DropAnswer:
            m_proxy->setAnswer(m_log, 0, ruleId);
            m_closing = true;
            m_busy = false;
            m_client->abort();
            return;
        case FaultRule::Action::ShortContentLength:
            headers.removeLast();
            headers.append({"Content-Length",
                            QByteArray::number(std::max<qint64>(
                                0, body.size() - std::max<qint64>(1, rule->bytes)))});
            send(status, reason, headers, body);
            m_proxy->setAnswer(m_log, status, ruleId);
            return finishExchange(false);
        case FaultRule::Action::ReplaceBody:
            headers.removeLast();
            headers.append({"Content-Length", QByteArray::number(rule->replacement.size())});
            send(status, reason, headers, rule->replacement);
            m_proxy->setAnswer(m_log, status, ruleId);
            return finishExchange(m_keepAlive);
        case FaultRule::Action::IgnoreRange: // applied on the way upstream
            send(status, reason, headers, body);
            m_proxy->setAnswer(m_log, status, ruleId);
            return finishExchange(m_keepAlive);
        case FaultRule::Action::CorruptByte: {
            const qsizetype at = std::min<qsizetype>(rule->bytes, body.size() - 1);
            body[at] = char(body.at(at) ^ 0x20);
            send(status, reason, headers, body);
            m_proxy->setAnswer(m_log, status, ruleId);
            return finishExchange(m_keepAlive);
        }
        case FaultRule::Action::DropAfter:
            send(status, reason, headers, body.left(rule->bytes));
            m_proxy->setAnswer(m_log, status, ruleId);
            return finishExchange(false);
        case FaultRule::Action::WrongContentLength:
            headers.removeLast();
            headers.append({"Content-Length",
                            QByteArray::number(body.size() + std::max<qint64>(1, rule->bytes))});
            send(status, reason, headers, body);
            m_proxy->setAnswer(m_log, status, ruleId);
            return finishExchange(false);
        case FaultRule::Action::Stall: {
            send(status, reason, headers, body.left(rule->bytes));
            m_proxy->setAnswer(m_log, status, ruleId);
            const QByteArray rest = body.mid(rule->bytes);
            // The connection may be gone by then (a cancelled client): `this` dies with it.
            QTimer::singleShot(rule->stallMs, this, [this, rest] {
                m_client->write(rest);
                finishExchange(m_keepAlive);
            });
            return;
        }
        case FaultRule::Action::Redirect:
        case FaultRule::Action::RedirectCorrupt: {
            const qint64 corruptAt
                = rule->action == FaultRule::Action::RedirectCorrupt ? rule->bytes : -1;
            const QByteArray location
                = "http://" + m_proxy->redirectHost().toLatin1() + "/redirected/"
                  + m_proxy->storeRedirected(body, upstreamHeaders, corruptAt);
            send(307, reasonPhrase(307), {{"Location", location}, {"Content-Length", "0"}}, {});
            m_proxy->setAnswer(m_log, 307, ruleId);
            return finishExchange(m_keepAlive);
        }
        }
    }

    void send(int status, const QByteArray &reason, Headers headers, const QByteArray &body)
    {
        if (!m_keepAlive)
            headers.emplaceBack("Connection", "close");
        m_client->write(serializeHead(status, reason, headers));
        m_client->write(body);
    }

    void finishExchange(bool keepAlive)
    {
        m_busy = false;
        m_rule = -1;
        if (!keepAlive) {
            // Graceful: what was written still reaches the client, then it sees the close.
            m_closing = true;
            m_client->disconnectFromHost();
            return;
        }
        nextRequest();
    }

    FaultProxy *m_proxy;
    QTcpSocket *m_client;
    QByteArray m_in;
    bool m_busy = false;
    bool m_closing = false;

    QByteArray m_method;
    QByteArray m_target;
    Headers m_requestHeaders;
    QByteArray m_requestBody;
    bool m_keepAlive = true;
    int m_log = -1;
    int m_rule = -1;
    bool m_rulePending = false; // taken from the rule, neither confirmed nor released yet

    QTcpSocket *m_upstream = nullptr;
    QByteArray m_upIn;
    bool m_upstreamDone = false;
};

// The "other host" of Redirect rules: serves what the proxy stored, records every request.
class RedirectConnection final : public QObject
{
public:
    RedirectConnection(FaultProxy *proxy, QTcpSocket *client)
        : QObject(proxy)
        , m_proxy(proxy)
        , m_client(client)
    {
        client->setParent(this);
        connect(client, &QTcpSocket::readyRead, this, [this] { read(); });
        connect(client, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        read();
    }

private:
    void read()
    {
        if (m_answered)
            return;
        m_in += m_client->readAll();
        Head head;
        const qsizetype end = parseHttpHead(m_in, &head);
        if (end == NeedMore)
            return;
        m_answered = true;
        const QList<QByteArray> parts = head.firstLine.split(' ');
        if (end == Malformed || parts.size() != 3)
            return reply(400, {}, {});
        const int log = m_proxy->m_redirected.size();
        m_proxy->m_redirected.append({parts.at(0), parts.at(1), head.headers, -1, 0});
        const QByteArray id = parts.at(1).mid(qsizetype(sizeof("/redirected/") - 1));
        const auto stored = m_proxy->m_stored.constFind(id);
        int status = 404;
        if (stored == m_proxy->m_stored.constEnd() || !parts.at(1).startsWith("/redirected/")) {
            reply(status, {}, {});
        } else {
            QByteArray body = stored->body;
            Headers headers;
            if (!stored->contentType.isEmpty())
                headers.append({"Content-Type", stored->contentType});
            status = 200;
            // "bytes=N-" or "bytes=N-M": what a resuming client sends.
            const QByteArray range = headerIn(head.headers, "Range");
            if (range.startsWith("bytes=")) {
                const QList<QByteArray> bounds = range.mid(6).split('-');
                const qint64 first = bounds.value(0).toLongLong();
                const qint64 last
                    = bounds.value(1).isEmpty() ? body.size() - 1 : bounds.value(1).toLongLong();
                if (first >= body.size() || last < first) {
                    status = 416;
                    body.clear();
                } else {
                    status = 206;
                    headers.append({"Content-Range",
                                    "bytes " + QByteArray::number(first) + '-'
                                        + QByteArray::number(last) + '/'
                                        + QByteArray::number(body.size())});
                    body = body.mid(first, last - first + 1);
                }
            }
            reply(status,
                  headers,
                  parts.at(0) == "HEAD" ? QByteArray() : body,
                  QByteArray::number(body.size()));
        }
        if (log < m_proxy->m_redirected.size())
            m_proxy->m_redirected[log].status = status;
    }

    void reply(int status, Headers headers, const QByteArray &body, const QByteArray &length = "0")
    {
        headers.emplaceBack("Content-Length", length);
        headers.emplaceBack("Connection", "close");
        m_client->write(serializeHead(status, reasonPhrase(status), headers));
        m_client->write(body);
        m_client->disconnectFromHost();
    }

    FaultProxy *m_proxy;
    QTcpSocket *m_client;
    QByteArray m_in;
    bool m_answered = false;
};

FaultRule FaultRule::answer(const QByteArray &method, const QString &path, int status, int times)
{
    FaultRule r;
    r.action = Action::Status;
    r.method = method;
    r.path = QRegularExpression(path);
    r.status = status;
    r.times = times;
    return r;
}

FaultRule FaultRule::rateLimit(const QByteArray &method,
                               const QString &path,
                               const QByteArray &retryAfter,
                               int times)
{
    FaultRule r = answer(method, path, 429, times);
    r.retryAfter = retryAfter;
    return r;
}

FaultRule
FaultRule::dropAfter(const QByteArray &method, const QString &path, qint64 bytes, int times)
{
    FaultRule r;
    r.action = Action::DropAfter;
    r.method = method;
    r.path = QRegularExpression(path);
    r.bytes = bytes;
    r.times = times;
    return r;
}

FaultRule
FaultRule::corruptByte(const QByteArray &method, const QString &path, qint64 offset, int times)
{
    FaultRule r = dropAfter(method, path, offset, times);
    r.action = Action::CorruptByte;
    return r;
}

FaultRule FaultRule::wrongContentLength(const QByteArray &method,
                                        const QString &path,
                                        qint64 extra,
                                        int times)
{
    FaultRule r = dropAfter(method, path, extra, times);
    r.action = Action::WrongContentLength;
    return r;
}

FaultRule FaultRule::stall(
    const QByteArray &method, const QString &path, qint64 bytes, int stallMs, int times)
{
    FaultRule r = dropAfter(method, path, bytes, times);
    r.action = Action::Stall;
    r.stallMs = stallMs;
    return r;
}

FaultRule FaultRule::redirect(const QByteArray &method, const QString &path, int times)
{
    FaultRule r = dropAfter(method, path, 0, times);
    r.action = Action::Redirect;
    return r;
}

FaultRule FaultRule::ignoreRange(const QByteArray &method, const QString &path, int times)
{
    FaultRule r = dropAfter(method, path, 0, times);
    r.action = Action::IgnoreRange;
    return r;
}

FaultRule FaultRule::hang(const QByteArray &method, const QString &path, int times)
{
    FaultRule r = dropAfter(method, path, 0, times);
    r.action = Action::Hang;
    return r;
}

FaultRule
FaultRule::dropRequest(const QByteArray &method, const QString &path, qint64 bytes, int times)
{
    FaultRule r = dropAfter(method, path, bytes, times);
    r.action = Action::DropRequest;
    return r;
}

FaultRule FaultRule::dropAnswer(const QByteArray &method, const QString &path, int times)
{
    FaultRule r = dropAfter(method, path, 0, times);
    r.action = Action::DropAnswer;
    return r;
}

FaultRule FaultRule::shortContentLength(const QByteArray &method,
                                        const QString &path,
                                        qint64 fewer,
                                        int times)
{
    FaultRule r = dropAfter(method, path, fewer, times);
    r.action = Action::ShortContentLength;
    return r;
}

FaultRule FaultRule::replaceBody(const QByteArray &method,
                                 const QString &path,
                                 const QByteArray &replacement,
                                 int times)
{
    FaultRule r = dropAfter(method, path, 0, times);
    r.action = Action::ReplaceBody;
    r.replacement = replacement;
    return r;
}

FaultRule
FaultRule::redirectCorrupt(const QByteArray &method, const QString &path, qint64 offset, int times)
{
    FaultRule r = dropAfter(method, path, offset, times);
    r.action = Action::RedirectCorrupt;
    return r;
}

QByteArray SeenRequest::header(QByteArrayView name) const
{
    return headerIn(headers, name);
}

bool SeenRequest::hasHeader(QByteArrayView name) const
{
    return hasHeaderIn(headers, name);
}

FaultProxy::FaultProxy(const QString &upstream, QObject *parent)
    : QObject(parent)
    , m_upstream(upstream)
    , m_server(new QTcpServer(this))
    , m_redirectServer(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection())
            new ProxyConnection(this, socket);
    });
    connect(m_redirectServer, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_redirectServer->nextPendingConnection())
            new RedirectConnection(this, socket);
    });
}

FaultProxy::~FaultProxy()
{
    // A connection still open (a stalled answer its client gave up on) hands its rule back to the
    // proxy as it goes: close it while the proxy is still whole, not in ~QObject.
    // (ProxyConnection has no meta-object of its own: findChildren would take every child.)
    const QObjectList children = this->children();
    for (QObject *child : children) {
        if (auto *connection = dynamic_cast<ProxyConnection *>(child))
            delete connection;
    }
}

bool FaultProxy::listen()
{
    return m_server->listen(loopback(), 0) && m_redirectServer->listen(loopback(), 0);
}

QString FaultProxy::host() const
{
    return u"127.0.0.1:" + QString::number(m_server->serverPort());
}

QString FaultProxy::redirectHost() const
{
    return u"127.0.0.1:" + QString::number(m_redirectServer->serverPort());
}

int FaultProxy::addRule(const FaultRule &rule)
{
    m_rules.append({rule, 0, 0});
    return int(m_rules.size() - 1);
}

void FaultProxy::clearRules()
{
    // Rules in flight keep their ids valid: they are disabled, not removed.
    for (RuleState &state : m_rules)
        state.enabled = false;
}

int FaultProxy::matched(int rule) const
{
    return rule >= 0 && rule < m_rules.size() ? m_rules.at(rule).matched : 0;
}

int FaultProxy::applied(int rule) const
{
    return rule >= 0 && rule < m_rules.size() ? m_rules.at(rule).applied : 0;
}

void FaultProxy::clearLog()
{
    m_requests.clear();
    m_redirected.clear();
}

bool FaultProxy::wouldDropRequest(const QByteArray &method,
                                  const QByteArray &target,
                                  qint64 *bytes) const
{
    const qsizetype query = target.indexOf('?');
    const QString path = QString::fromLatin1(query < 0 ? target : target.left(query));
    for (const RuleState &state : m_rules) {
        if (!state.enabled || (!state.rule.method.isEmpty() && state.rule.method != method)
            || !state.rule.path.match(path).hasMatch())
            continue;
        if (state.rule.times >= 0 && state.applied + state.pending >= state.rule.times)
            continue;
        // The rule takeRule would pick.
        *bytes = state.rule.bytes;
        return state.rule.action == FaultRule::Action::DropRequest;
    }
    return false;
}

int FaultProxy::takeRule(const QByteArray &method, const QByteArray &target)
{
    const qsizetype query = target.indexOf('?');
    const QString path = QString::fromLatin1(query < 0 ? target : target.left(query));
    int taken = -1;
    for (int i = 0; i < m_rules.size(); ++i) {
        RuleState &state = m_rules[i];
        if (!state.enabled)
            continue;
        if (!state.rule.method.isEmpty() && state.rule.method != method)
            continue;
        if (!state.rule.path.match(path).hasMatch())
            continue;
        ++state.matched;
        // `pending` faults are taken but not yet confirmed by the upstream answer; counting them
        // keeps two concurrent requests from both getting the last one.
        if (taken < 0
            && (state.rule.times < 0 || state.applied + state.pending < state.rule.times)) {
            ++state.pending;
            taken = i;
        }
    }
    return taken;
}

void FaultProxy::confirmApplied(int rule)
{
    RuleState &state = m_rules[rule];
    --state.pending;
    ++state.applied;
}

void FaultProxy::releaseRule(int rule)
{
    --m_rules[rule].pending;
}

int FaultProxy::logRequest(SeenRequest request)
{
    m_requests.append(std::move(request));
    return int(m_requests.size() - 1);
}

void FaultProxy::setAnswer(int logIndex, int status, int rule)
{
    if (logIndex < 0 || logIndex >= m_requests.size())
        return;
    m_requests[logIndex].status = status;
    m_requests[logIndex].rule = rule;
}

QByteArray FaultProxy::storeRedirected(const QByteArray &body,
                                       const QList<std::pair<QByteArray, QByteArray>> &headers,
                                       qint64 corruptAt)
{
    const QByteArray id = QByteArray::number(++m_nextStored);
    QByteArray served = body;
    if (corruptAt >= 0 && !served.isEmpty()) {
        const qsizetype at = std::min<qsizetype>(corruptAt, served.size() - 1);
        served[at] = char(served.at(at) ^ 0x20);
    }
    m_stored.insert(id, {served, headerIn(headers, "Content-Type")});
    return id;
}

} // namespace BerthTest
