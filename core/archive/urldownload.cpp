#include "archive/urldownload.h"

#include "http/curlexchange.h"
#include "network/proxyerror.h"

#include <QFile>

namespace Berth {

namespace {

// Followed here rather than by curl, so that every hop gets its own proxy decision: a redirect
// to another host (a CDN) may be direct where the first was proxied, or the reverse.
constexpr int MaxRedirects = 10;

CurlRequest downloadRequest(const QUrl &url, QFile &file)
{
    CurlRequest request;
    request.url = url;
    request.headers.append({QByteArrayLiteral("User-Agent"), QByteArrayLiteral("Berth")});
    // An address the user typed: redirects are followed, one exchange per hop.
    request.maxRedirects = 0;
    request.connectTimeoutMs = 30000;
    // A stalled server: under 1 byte/s for 60 s ends the download.
    request.stallSeconds = 60;
    request.onData = [&file](QByteArrayView data) -> Status {
        if (file.write(data.data(), data.size()) != data.size())
            return fail(Error::Kind::Io,
                        tr("Cannot write '%1': %2").arg(file.fileName(), file.errorString()));
        return {};
    };
    return request;
}

Status downloadResult(const CurlOutcome &outcome,
                      const QUrl &url,
                      const QString &shown,
                      QFile &file,
                      const CancelToken &cancel)
{
    if (outcome.error == QNetworkReply::OperationCanceledError && cancel.isCancelled())
        return fail(Error::Kind::Cancelled, tr("Cancelled."));
    if (outcome.abortError)
        return fail(*outcome.abortError);
    if (isProxyError(outcome.error))
        return fail(proxyError(outcome.error, outcome.errorString, url));
    if (outcome.error != QNetworkReply::NoError)
        return fail(outcome.error == QNetworkReply::SslHandshakeFailedError ? Error::Kind::Tls
                                                                            : Error::Kind::Network,
                    tr("Cannot download '%1': %2").arg(shown, outcome.errorString));
    if (!outcome.isSuccess())
        return fail(Error::Kind::NotFound,
                    tr("Cannot download '%1': the server answered HTTP %2.")
                        .arg(shown)
                        .arg(outcome.head.status));
    if (!file.flush())
        return fail(Error::Kind::Io,
                    tr("Cannot write '%1': %2").arg(file.fileName(), file.errorString()));
    return {};
}

// The next hop of a redirect answer; empty when the answer is no redirect to follow.
QUrl redirectTarget(const CurlOutcome &outcome, const QUrl &from)
{
    const int status = outcome.head.status;
    if (outcome.error != QNetworkReply::NoError || outcome.abortError || status < 300
        || status >= 400 || status == 304 || !outcome.redirect.isValid())
        return {};
    return from.resolved(outcome.redirect);
}

} // namespace

Status downloadUrlToFile(const QUrl &url,
                         const QString &path,
                         const CancelToken &cancel,
                         const ArchiveProgressFunction &progress)
{
    const QString scheme = url.scheme().toLower();
    const QString shown = url.toDisplayString(QUrl::RemoveUserInfo);
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return fail(
            Error::Kind::InvalidArgument,
            tr("Cannot import from '%1': only http and https URLs are supported.").arg(shown));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(Error::Kind::Io, tr("Cannot write '%1': %2").arg(path, file.errorString()));

    QUrl hop = url;
    for (int redirects = 0;; ++redirects) {
        const CurlOutcome outcome
            = performCurl(downloadRequest(hop, file), cancel, [&](const CurlProgress &now) {
                  if (progress)
                      progress({shown, now.received, now.receiveTotal});
              });
        const QUrl next = redirectTarget(outcome, hop);
        if (next.isEmpty())
            return downloadResult(outcome, hop, shown, file, cancel);
        const QString nextScheme = next.scheme().toLower();
        if (redirects >= MaxRedirects
            || (nextScheme != QLatin1String("http") && nextScheme != QLatin1String("https")))
            return fail(Error::Kind::Protocol,
                        tr("Cannot download '%1': it redirects too many times or to an address "
                           "that is not http or https.")
                            .arg(shown));
        hop = next;
    }
}

} // namespace Berth
