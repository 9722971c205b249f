#pragma once

#include "httphead.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace BerthTest {

// One HTTP/1.1 message stream (a connection's requests, or its answers) read as it passes, without
// keeping bodies: only heads, chunk-size lines and trailers are buffered, so a 200 MB blob costs
// nothing. Bytes that are not HTTP (a TLS handshake, a head over MaxHttpHead, a bad chunk size)
// turn the stream opaque: it then only counts.
class HttpMessageStream
{
public:
    // Called with each head; answers the framing of the body that follows (None for a 1xx, an
    // answer to HEAD, a 204 or 304), or nullopt when the head is not one it can follow.
    std::function<std::optional<HttpFraming>(const HttpHead &head, qint64 *length)> onHead;
    std::function<void()> onEnd; // the message's last body byte went by

    void feed(QByteArrayView bytes);
    void finish(); // the peer closed: a body framed by the close ends here
    bool opaque() const { return m_state == State::Opaque; }

private:
    enum class State { Head, Length, ChunkSize, ChunkData, Trailer, UntilClose, Opaque };

    QByteArrayView takeHead(QByteArrayView bytes);
    QByteArrayView takeLine(QByteArrayView bytes); // for ChunkSize and Trailer
    QByteArrayView takeCounted(QByteArrayView bytes);
    void startBody(HttpFraming framing, qint64 length);
    void ended();

    State m_state = State::Head;
    QByteArray m_buffer;
    qint64 m_remaining = 0;
};

// One request and its answer, as a proxy in the middle saw them (times in ms on its own clock).
struct HttpExchange
{
    QByteArray method;
    QByteArray target;
    double requested = 0; // the request's head went by
    int status = 0;       // 0: no answer before the connection closed
    double answered = 0;  // the answer's head went by
    double done = 0;      // the answer's last byte went by
};

// A connection's HTTP traffic, both ways: pairs each answer with its request (in order, as HTTP/1.1
// answers them) and reports each exchange once its answer is complete, or unanswered at close.
class HttpFlow
{
public:
    explicit HttpFlow(std::function<void(const HttpExchange &)> report);

    void fromClient(QByteArrayView bytes, double now);
    void fromServer(QByteArrayView bytes, double now);
    void closed(double now); // reports what is still unanswered
    // "http", "tls" (the first byte opened a TLS handshake) or "other"; empty before any byte.
    QByteArray protocol() const { return m_protocol; }

private:
    std::optional<HttpFraming> requestHead(const HttpHead &head, qint64 *length);
    std::optional<HttpFraming> answerHead(const HttpHead &head, qint64 *length);
    void answerEnded();

    std::function<void(const HttpExchange &)> m_report;
    HttpMessageStream m_requests;
    HttpMessageStream m_answers;
    QList<HttpExchange> m_pending;
    QByteArray m_protocol;
    double m_now = 0;
    bool m_interim = false;
};

} // namespace BerthTest
