#include "httpflow.h"

namespace BerthTest {

namespace {

// A chunk-size line or a trailer field longer than this is not HTTP the proxy follows.
constexpr qsizetype MaxLine = 4096;

} // namespace

void HttpMessageStream::feed(QByteArrayView bytes)
{
    while (!bytes.isEmpty()) {
        switch (m_state) {
        case State::Opaque:
            return;
        case State::Head:
            bytes = takeHead(bytes);
            break;
        case State::ChunkSize:
        case State::Trailer:
            bytes = takeLine(bytes);
            break;
        case State::Length:
        case State::ChunkData:
        case State::UntilClose:
            bytes = takeCounted(bytes);
            break;
        }
    }
}

void HttpMessageStream::finish()
{
    if (m_state == State::UntilClose)
        ended();
}

// Answers what follows the head in `bytes` (empty while the head is incomplete); the views stay in
// the caller's memory, only the head's own bytes are copied.
QByteArrayView HttpMessageStream::takeHead(QByteArrayView bytes)
{
    // Blank lines between messages are tolerated (RFC 9112, 2.2).
    while (m_buffer.isEmpty() && !bytes.isEmpty()
           && (bytes.front() == '\r' || bytes.front() == '\n'))
        bytes = bytes.sliced(1);
    if (bytes.isEmpty())
        return bytes;
    if (m_buffer.isEmpty() && !(bytes.front() >= 'A' && bytes.front() <= 'Z')) {
        m_state = State::Opaque;
        return {};
    }
    const qsizetype before = m_buffer.size();
    m_buffer.append(bytes);
    // Only the new bytes can end the head: a head arriving a byte at a time stays linear.
    if (m_buffer.indexOf("\r\n\r\n", std::max<qsizetype>(0, before - 3)) < 0) {
        if (m_buffer.size() > MaxHttpHead)
            m_state = State::Opaque;
        return {};
    }
    HttpHead head;
    const qsizetype took = parseHttpHead(m_buffer, &head);
    m_buffer.clear();
    qint64 length = 0;
    const std::optional<HttpFraming> framing
        = took == HttpMalformed || !onHead ? std::nullopt : onHead(head, &length);
    if (!framing) {
        m_state = State::Opaque;
        return {};
    }
    startBody(*framing, length);
    return bytes.sliced(took - before);
}

QByteArrayView HttpMessageStream::takeLine(QByteArrayView bytes)
{
    const qsizetype before = m_buffer.size();
    m_buffer.append(bytes);
    const qsizetype end = m_buffer.indexOf("\r\n", std::max<qsizetype>(0, before - 1));
    if (end < 0) {
        if (m_buffer.size() > MaxLine)
            m_state = State::Opaque;
        return {};
    }
    QByteArray line = m_buffer.left(end);
    m_buffer.clear();
    const QByteArrayView rest = bytes.sliced(end + 2 - before);
    if (m_state == State::Trailer) {
        if (line.isEmpty())
            ended();
        return rest;
    }
    if (const qsizetype semicolon = line.indexOf(';'); semicolon >= 0)
        line.truncate(semicolon);
    bool ok = false;
    const qint64 size = line.trimmed().toLongLong(&ok, 16);
    if (!ok || size < 0) {
        m_state = State::Opaque;
        return {};
    }
    m_state = size == 0 ? State::Trailer : State::ChunkData;
    m_remaining = size + 2; // the data and its CRLF
    return rest;
}

QByteArrayView HttpMessageStream::takeCounted(QByteArrayView bytes)
{
    if (m_state == State::UntilClose)
        return {};
    const qsizetype n = qsizetype(std::min<qint64>(m_remaining, bytes.size()));
    m_remaining -= n;
    if (m_remaining == 0) {
        if (m_state == State::Length)
            ended();
        else
            m_state = State::ChunkSize;
    }
    return bytes.sliced(n);
}

void HttpMessageStream::startBody(HttpFraming framing, qint64 length)
{
    switch (framing) {
    case HttpFraming::None:
        return ended();
    case HttpFraming::Length:
        if (length == 0)
            return ended();
        m_remaining = length;
        m_state = State::Length;
        return;
    case HttpFraming::Chunked:
        m_state = State::ChunkSize;
        return;
    case HttpFraming::UntilClose:
        m_state = State::UntilClose;
        return;
    }
}

void HttpMessageStream::ended()
{
    m_state = State::Head;
    if (onEnd)
        onEnd();
}

HttpFlow::HttpFlow(std::function<void(const HttpExchange &)> report)
    : m_report(std::move(report))
{
    m_requests.onHead = [this](const HttpHead &head, qint64 *length) {
        return requestHead(head, length);
    };
    m_answers.onHead = [this](const HttpHead &head, qint64 *length) {
        return answerHead(head, length);
    };
    m_answers.onEnd = [this] {
        answerEnded();
    };
}

void HttpFlow::fromClient(QByteArrayView bytes, double now)
{
    if (bytes.isEmpty())
        return;
    if (m_protocol.isEmpty()) {
        const char first = bytes.front();
        m_protocol = first == 0x16 ? "tls" : first >= 'A' && first <= 'Z' ? "http" : "other";
    }
    m_now = now;
    m_requests.feed(bytes);
}

void HttpFlow::fromServer(QByteArrayView bytes, double now)
{
    m_now = now;
    m_answers.feed(bytes);
}

void HttpFlow::closed(double now)
{
    m_now = now;
    m_answers.finish();
    for (const HttpExchange &unanswered : std::as_const(m_pending))
        m_report(unanswered);
    m_pending.clear();
}

std::optional<HttpFraming> HttpFlow::requestHead(const HttpHead &head, qint64 *length)
{
    const QList<QByteArray> parts = head.firstLine.split(' ');
    if (parts.size() != 3 || !parts.at(2).startsWith("HTTP/1."))
        return std::nullopt;
    m_pending.append({parts.at(0), parts.at(1), m_now});
    return httpFramingOf(head.headers, length, HttpFraming::None);
}

std::optional<HttpFraming> HttpFlow::answerHead(const HttpHead &head, qint64 *length)
{
    bool ok = false;
    const int status = head.firstLine.mid(9, 3).toInt(&ok);
    if (m_pending.isEmpty() || !head.firstLine.startsWith("HTTP/1.") || !ok)
        return std::nullopt;
    if (status >= 100 && status < 200) {
        // 100 Continue and the like come before the answer; 101 leaves HTTP.
        m_interim = true;
        return status == 101 ? std::nullopt : std::optional(HttpFraming::None);
    }
    HttpExchange &exchange = m_pending.first();
    exchange.status = status;
    exchange.answered = m_now;
    if (exchange.method == "HEAD" || status == 204 || status == 304)
        return HttpFraming::None;
    return httpFramingOf(head.headers, length, HttpFraming::UntilClose);
}

void HttpFlow::answerEnded()
{
    if (std::exchange(m_interim, false))
        return;
    HttpExchange exchange = m_pending.takeFirst();
    exchange.done = m_now;
    m_report(exchange);
}

} // namespace BerthTest
