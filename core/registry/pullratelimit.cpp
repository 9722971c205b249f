#include "pullratelimit.h"

#include <limits>

namespace Berth {

namespace {

// An address or an account id; anything longer is not worth showing.
constexpr qsizetype MaxRateLimitSourceLength = 256;

struct RateLimitQuota
{
    std::optional<int> count;
    std::optional<int> windowSeconds;
};

// A non-negative decimal that fits an int; nullopt for anything else (a sign, a fraction, 20
// digits).
std::optional<int> rateLimitCount(QByteArrayView text)
{
    const QByteArrayView trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 10)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : trimmed) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(value);
}

// `100;w=21600`: the quota, then parameters of which only the window counts. A list (the IETF
// draft's `100, 100;w=21600`, or a header sent twice and joined) is read by its first item.
RateLimitQuota rateLimitQuota(QByteArrayView value)
{
    const qsizetype comma = value.indexOf(',');
    const QByteArrayView item = comma >= 0 ? value.first(comma) : value;
    const QList<QByteArray> parts = item.toByteArray().split(';');
    RateLimitQuota q;
    q.count = rateLimitCount(parts.first());
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArray parameter = parts.at(i).trimmed();
        const qsizetype equals = parameter.indexOf('=');
        if (equals < 0 || parameter.first(equals).trimmed().toLower() != "w")
            continue;
        QByteArray window = parameter.mid(equals + 1).trimmed();
        if (window.size() >= 2 && window.startsWith('"') && window.endsWith('"'))
            window = window.mid(1, window.size() - 2);
        if (const auto seconds = rateLimitCount(window);
            seconds && *seconds > 0 && !q.windowSeconds)
            q.windowSeconds = seconds;
    }
    return q;
}

// Printable ASCII only: the value is shown in a terminal and in tooltips as it is.
QString rateLimitSource(QByteArrayView value)
{
    const QByteArrayView trimmed = value.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > MaxRateLimitSourceLength)
        return {};
    for (const char c : trimmed) {
        if (c < 0x20 || c > 0x7e)
            return {};
    }
    return QString::fromLatin1(trimmed);
}

bool isRateLimitHeader(QByteArrayView name, QByteArrayView wanted)
{
    return name.trimmed().compare(wanted, Qt::CaseInsensitive) == 0;
}

} // namespace

std::optional<PullRateLimit>
parsePullRateLimit(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    PullRateLimit limit;
    for (const auto &[name, value] : headers) {
        if (isRateLimitHeader(name, "ratelimit-limit") && limit.limit < 0) {
            const RateLimitQuota q = rateLimitQuota(value);
            limit.limit = q.count.value_or(-1);
            if (q.windowSeconds)
                limit.windowSeconds = *q.windowSeconds;
        } else if (isRateLimitHeader(name, "ratelimit-remaining") && limit.remaining < 0) {
            const RateLimitQuota q = rateLimitQuota(value);
            limit.remaining = q.count.value_or(-1);
            if (q.windowSeconds && limit.windowSeconds < 0)
                limit.windowSeconds = *q.windowSeconds;
        } else if (isRateLimitHeader(name, "docker-ratelimit-source") && limit.source.isEmpty()) {
            limit.source = rateLimitSource(value);
        }
    }
    if (!limit.isKnown() && limit.source.isEmpty())
        return std::nullopt;
    return limit;
}

} // namespace Berth
