#include "result.h"

namespace Berth {

QString errorKindName(Error::Kind kind)
{
    switch (kind) {
    case Error::Kind::InvalidArgument:
        return QStringLiteral("invalid-argument");
    case Error::Kind::Unauthorized:
        return QStringLiteral("unauthorized");
    case Error::Kind::Denied:
        return QStringLiteral("denied");
    case Error::Kind::NotFound:
        return QStringLiteral("not-found");
    case Error::Kind::RateLimited:
        return QStringLiteral("rate-limited");
    case Error::Kind::Tls:
        return QStringLiteral("tls");
    case Error::Kind::Network:
        return QStringLiteral("network");
    case Error::Kind::Server:
        return QStringLiteral("server");
    case Error::Kind::Protocol:
        return QStringLiteral("protocol");
    case Error::Kind::DigestMismatch:
        return QStringLiteral("digest-mismatch");
    case Error::Kind::Io:
        return QStringLiteral("io");
    case Error::Kind::Keychain:
        return QStringLiteral("keychain");
    case Error::Kind::Unsupported:
        return QStringLiteral("unsupported");
    case Error::Kind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

} // namespace Berth
