#include "archive/urldownload.h"

#include "http/curlexchange.h"

#include <QFile>

namespace Berth {

namespace {

CurlRequest downloadRequest(const QUrl &url, QFile &file)
{
    CurlRequest request;
    request.url = url;
    request.headers.append({QByteArrayLiteral("User-Agent"), QByteArrayLiteral("Berth")});
    // An address the user typed: redirects followed.
    request.maxRedirects = 10;
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
                      const QString &shown,
                      QFile &file,
                      const CancelToken &cancel)
{
    if (outcome.error == QNetworkReply::OperationCanceledError && cancel.isCancelled())
        return fail(Error::Kind::Cancelled, tr("Cancelled."));
    if (outcome.abortError)
        return fail(*outcome.abortError);
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

    const CurlOutcome outcome
        = performCurl(downloadRequest(url, file), cancel, [&](const CurlProgress &now) {
              if (progress)
                  progress({shown, now.received, now.receiveTotal});
          });
    return downloadResult(outcome, shown, file, cancel);
}

} // namespace Berth
