#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace Berth {

// One challenge of a WWW-Authenticate header (RFC 7235): a scheme and its auth-params.
struct AuthChallenge
{
    enum class Scheme { Basic, Bearer, Other };

    Scheme scheme = Scheme::Other;
    QString schemeName;            // as sent, e.g. "Bearer"
    QMap<QString, QString> params; // keys lowercased; quoted-string values unescaped

    QString realm() const { return params.value(QStringLiteral("realm")); }
    QString service() const { return params.value(QStringLiteral("service")); }
    QString scope() const { return params.value(QStringLiteral("scope")); }
    QString error() const { return params.value(QStringLiteral("error")); }
};

// Parses a WWW-Authenticate value, which may hold several comma-separated challenges
// (`Basic realm="x", Bearer realm="y",service="z"`). Malformed input is an error, never a crash;
// the value is bounded (64 KiB) and the count of challenges too.
Result<QList<AuthChallenge>> parseAuthChallenges(QByteArrayView header);

// The challenge Berth acts on: Bearer if offered, else Basic; nullopt when neither is.
std::optional<AuthChallenge> preferredChallenge(const QList<AuthChallenge> &challenges);

} // namespace Berth
