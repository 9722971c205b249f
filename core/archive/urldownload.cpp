#include "archive/urldownload.h"

#include "common/curlglobal.h"

#include <QFile>

#include <curl/curl.h>

namespace Berth {

namespace {

struct Download
{
    QFile *file = nullptr;
    const CancelToken *cancel = nullptr;
    const ArchiveProgressFunction *progress = nullptr;
    QString item;
    bool writeFailed = false;
};

size_t writeCallback(char *data, size_t size, size_t count, void *user)
{
    auto *d = static_cast<Download *>(user);
    const qint64 n = qint64(size * count);
    if (d->file->write(data, n) != n) {
        d->writeFailed = true;
        return 0;
    }
    return size_t(n);
}

int progressCallback(void *user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t)
{
    auto *d = static_cast<Download *>(user);
    if (d->cancel->isCancelled())
        return 1;
    if (*d->progress)
        (*d->progress)({d->item, qint64(now), total > 0 ? qint64(total) : -1});
    return 0;
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

    initCurl();
    CURL *curl = curl_easy_init();
    if (!curl)
        return fail(Error::Kind::Io, tr("Cannot start a download."));
    Download d{&file, &cancel, &progress, shown};
    const QByteArray encoded = url.toEncoded();
    char errorBuffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, encoded.constData());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    // A stalled server: under 1 byte/s for 60 s ends the download.
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "Berth");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &writeCallback);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &progressCallback);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &d);
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);

    if (rc == CURLE_OK && file.flush())
        return {};
    if (rc == CURLE_ABORTED_BY_CALLBACK && cancel.isCancelled())
        return fail(Error::Kind::Cancelled, tr("Cancelled."));
    if (d.writeFailed)
        return fail(Error::Kind::Io, tr("Cannot write '%1': %2").arg(path, file.errorString()));
    if (rc == CURLE_HTTP_RETURNED_ERROR)
        return fail(
            Error::Kind::NotFound,
            tr("Cannot download '%1': the server answered HTTP %2.").arg(shown).arg(status));
    const QString detail = errorBuffer[0] ? QString::fromUtf8(errorBuffer)
                                          : QString::fromUtf8(curl_easy_strerror(rc));
    const Error::Kind kind = (rc == CURLE_SSL_CACERT || rc == CURLE_PEER_FAILED_VERIFICATION
                              || rc == CURLE_SSL_CONNECT_ERROR)
                                 ? Error::Kind::Tls
                                 : Error::Kind::Network;
    return fail(kind, tr("Cannot download '%1': %2").arg(shown, detail));
}

} // namespace Berth
