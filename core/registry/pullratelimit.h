#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace Berth {

// A registry's pull limit as its answers state it (Docker Hub: `ratelimit-limit: 100;w=21600`,
// `ratelimit-remaining: 76;w=21600`, `docker-ratelimit-source: 192.0.2.1`). A manifest GET
// counts as a pull, a HEAD does not.
struct PullRateLimit
{
    int limit = -1;
    int remaining = -1;
    int windowSeconds = -1; // the `w=` parameter
    QString source;         // the address or account the limit applies to
    QDateTime seen;         // when the answer carrying it arrived (UTC)

    bool isKnown() const { return limit >= 0 || remaining >= 0; }
};

// Reads the headers of one answer; nullopt when it carries none of them. Malformed values are
// ignored field by field (a limit without a remaining count is still a limit).
std::optional<PullRateLimit>
parsePullRateLimit(const QList<std::pair<QByteArray, QByteArray>> &headers);

} // namespace Berth
