#include "httphead.h"

namespace BerthTest {

QByteArray headerIn(const HttpHeaders &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool hasHeaderIn(const HttpHeaders &headers, QByteArrayView name)
{
    for (const auto &pair : headers) {
        if (QByteArrayView(pair.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

qsizetype parseHttpHead(const QByteArray &buffer, HttpHead *head)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return buffer.size() > MaxHttpHead ? HttpMalformed : HttpNeedMore;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    head->firstLine = lines.first().trimmed();
    head->headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return HttpMalformed;
        head->headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return end + 4;
}

std::optional<HttpFraming>
httpFramingOf(const HttpHeaders &headers, qint64 *length, HttpFraming otherwise)
{
    if (headerIn(headers, "Transfer-Encoding").toLower().contains("chunked"))
        return HttpFraming::Chunked;
    if (hasHeaderIn(headers, "Content-Length")) {
        bool ok = false;
        *length = headerIn(headers, "Content-Length").toLongLong(&ok);
        if (!ok || *length < 0)
            return std::nullopt;
        return HttpFraming::Length;
    }
    return otherwise;
}

} // namespace BerthTest
