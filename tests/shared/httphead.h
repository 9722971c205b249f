#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>
#include <utility>

namespace BerthTest {

// The head of an HTTP/1.1 message as the test proxies read it off the wire: the request or status
// line and the header fields in the order sent.
using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

struct HttpHead
{
    QByteArray firstLine;
    HttpHeaders headers;
};

constexpr qsizetype MaxHttpHead = 64 * 1024;
constexpr qsizetype HttpNeedMore = -1;
constexpr qsizetype HttpMalformed = -2;

enum class HttpFraming { None, Length, Chunked, UntilClose };

QByteArray headerIn(const HttpHeaders &headers, QByteArrayView name);
bool hasHeaderIn(const HttpHeaders &headers, QByteArrayView name);

// Parses "first line CRLF (name: value CRLF)* CRLF" at the start of buffer; answers the bytes it
// took, HttpNeedMore or HttpMalformed (a field without a colon, or no end within MaxHttpHead).
qsizetype parseHttpHead(const QByteArray &buffer, HttpHead *head);

// The framing of a message's body by its headers (`length` gets the Content-Length); `otherwise`
// when neither Transfer-Encoding: chunked nor Content-Length says; nullopt for a bad length.
std::optional<HttpFraming>
httpFramingOf(const HttpHeaders &headers, qint64 *length, HttpFraming otherwise);

} // namespace BerthTest
