#include "registryerror.h"

#include "http/httpstatus.h"
#include "network/proxyerror.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace Berth {

namespace {

struct RegistryErrorBody
{
    QString code;
    QString message;
};

RegistryErrorBody firstError(const QByteArray &body)
{
    if (body.isEmpty() || body.size() > 64 * 1024)
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonArray errors = doc.object().value(u"errors").toArray();
    if (errors.isEmpty())
        return {};
    const QJsonObject first = errors.first().toObject();
    return {first.value(u"code").toString(), first.value(u"message").toString()};
}

// A registry's 400 is a request the distribution spec calls invalid (MANIFEST_INVALID,
// NAME_INVALID…): Berth's request was wrong, not the user's input. 410 and 422 are no statuses of
// the spec: a registry that sends them does not follow it.
constexpr HttpStatusKind RegistryReading[] = {
    {400, Error::Kind::Protocol},
    {410, Error::Kind::Protocol},
    {422, Error::Kind::Protocol},
};

Error::Kind kindForCode(const QString &code, int status)
{
    if (code == u"UNAUTHORIZED")
        return Error::Kind::Unauthorized;
    if (code == u"DENIED")
        return Error::Kind::Denied;
    if (code == u"NAME_UNKNOWN" || code == u"MANIFEST_UNKNOWN" || code == u"BLOB_UNKNOWN"
        || code == u"BLOB_UPLOAD_UNKNOWN")
        return Error::Kind::NotFound;
    if (code == u"TOOMANYREQUESTS")
        return Error::Kind::RateLimited;
    if (code == u"DIGEST_INVALID")
        return Error::Kind::DigestMismatch;
    if (code == u"NAME_INVALID" || code == u"TAG_INVALID" || code == u"MANIFEST_INVALID"
        || code == u"MANIFEST_BLOB_UNKNOWN" || code == u"SIZE_INVALID"
        || code == u"BLOB_UPLOAD_INVALID")
        return Error::Kind::Protocol;
    if (code == u"UNSUPPORTED")
        return Error::Kind::Unsupported;
    return errorKindForHttpStatus(status, RegistryReading);
}

} // namespace

Error registryHttpError(int status,
                        const QByteArray &body,
                        const QString &what,
                        const QString &registry)
{
    const RegistryErrorBody detail = firstError(body);
    Error e;
    e.kind = kindForCode(detail.code, status);
    e.httpStatus = status;
    e.code = detail.code;
    QString message;
    switch (e.kind) {
    case Error::Kind::Unauthorized:
        message = tr("%1 requires authentication for %2; log in to %1 first.").arg(registry, what);
        break;
    case Error::Kind::Denied:
        message = tr("Access to %1 was denied by %2.").arg(what, registry);
        break;
    case Error::Kind::NotFound:
        message = tr("%1 was not found on %2.").arg(what, registry);
        break;
    case Error::Kind::RateLimited:
        message = tr("%1 is rate limiting requests; try again later.").arg(registry);
        break;
    case Error::Kind::Server:
        message = tr("%1 failed with a server error (HTTP %2) while reading %3.")
                      .arg(registry)
                      .arg(status)
                      .arg(what);
        break;
    case Error::Kind::Unsupported:
        message = tr("%1 does not support this operation on %2 (HTTP %3).")
                      .arg(registry, what)
                      .arg(status);
        break;
    default:
        message = tr("%1 refused the request for %2 (HTTP %3).").arg(registry, what).arg(status);
        break;
    }
    if (!detail.message.isEmpty())
        message += u' ' + tr("The registry said: %1").arg(detail.message.left(300));
    e.message = message;
    return e;
}

Error registryNetworkError(QNetworkReply::NetworkError code,
                           const QString &detail,
                           const QString &registry,
                           const QUrl &url)
{
    if (url.isValid())
        code = attributeToProxy(code, url);
    if (isProxyError(code) && url.isValid())
        return proxyError(code, detail, url);
    Error e;
    switch (code) {
    case QNetworkReply::SslHandshakeFailedError:
        e.kind = Error::Kind::Tls;
        e.message
            = tr("The TLS connection to %1 failed: %2. Berth never ignores certificate errors "
                 "unless the registry is marked insecure in the settings.")
                  .arg(registry, detail);
        return e;
    case QNetworkReply::ConnectionRefusedError:
        e.message = tr("Could not connect to %1: the connection was refused.").arg(registry);
        break;
    case QNetworkReply::HostNotFoundError:
        e.message = tr("Could not find the host of %1.").arg(registry);
        break;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        e.message = tr("The connection to %1 timed out.").arg(registry);
        break;
    case QNetworkReply::RemoteHostClosedError:
        e.message = tr("%1 closed the connection before the answer was complete.").arg(registry);
        break;
    default:
        e.message = tr("Network error talking to %1: %2").arg(registry, detail);
        break;
    }
    e.kind = Error::Kind::Network;
    return e;
}

std::optional<std::chrono::seconds> parseRetryAfter(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional(std::chrono::seconds(seconds));
    // IMF-fixdate ("Wed, 21 Oct 2026 07:28:00 GMT"), which Qt::RFC2822Date refuses for its "GMT".
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(v),
                                             QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
    if (when.isValid())
        when.setTimeSpec(Qt::UTC);
    else
        when = QDateTime::fromString(QString::fromLatin1(v), Qt::RFC2822Date);
    if (!when.isValid())
        return std::nullopt;
    return std::chrono::seconds(std::max<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(when)));
}

} // namespace Berth
