#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <chrono>
#include <expected>
#include <optional>

namespace Berth {

// One error type for all of core: a kind the caller can branch on, and a message for the user.
// Messages are translated (tr-context "Berth") and name what is wrong in the user's terms.
struct Error
{
    enum class Kind {
        InvalidArgument, // bad user input: a malformed reference, an unknown flag value
        Unauthorized,    // credentials missing or wrong (HTTP 401, UNAUTHORIZED)
        Denied,          // authenticated but not allowed (HTTP 403, DENIED)
        NotFound,        // repository, tag, manifest or blob unknown (HTTP 404, *_UNKNOWN)
        RateLimited,     // HTTP 429 / TOOMANYREQUESTS; see retryAfter
        Tls,             // certificate or handshake failure; never ignored silently
        Network,         // connection refused, dropped, DNS, timeout
        Server,          // 5xx that survived the retries
        Protocol,        // the peer answered something that does not follow the spec
        DigestMismatch,  // content does not hash to the digest it was asked for
        Io,              // local file system
        Keychain,        // secret store unavailable, locked or refusing
        Unsupported,     // valid input Berth does not handle (unknown media type, platform)
        Cancelled,       // the user cancelled: not a failure to report
    };

    Kind kind = Kind::Protocol;
    QString message;
    int httpStatus = 0; // when the error came from an HTTP answer
    QString code;       // registry error code ("MANIFEST_UNKNOWN") when there was one
    std::optional<std::chrono::seconds> retryAfter; // with RateLimited, when the server said
    // An image removal refused because containers use the image (Denied, HTTP 409): their
    // names as the user knows them ("web"), so that the UI can offer to show them.
    QStringList containers;

    static Error make(Kind kind, QString message)
    {
        Error e;
        e.kind = kind;
        e.message = std::move(message);
        return e;
    }
    bool isCancelled() const { return kind == Kind::Cancelled; }
};

template<typename T>
using Result = std::expected<T, Error>;

// Result<void> reads better as a name of its own.
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(Error::Kind kind, QString message)
{
    return std::unexpected(Error::make(kind, std::move(message)));
}

inline std::unexpected<Error> fail(Error error)
{
    return std::unexpected(std::move(error));
}

// A stable machine-readable name for the kind, used by `--format json` and logs.
QString errorKindName(Error::Kind kind);

// The translation context used by core strings; core has no QObject to hang tr() on everywhere.
inline QString tr(const char *source, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("Berth", source, disambiguation, n);
}

} // namespace Berth
