#include "logocache.h"
#include "network/networkaccess.h"

#include <QAbstractNetworkCache>
#include <QBuffer>
#include <QImage>
#include <QImageReader>
#include <QNetworkAccessManager>
#include <QNetworkDiskCache>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QStandardPaths>

namespace Berth {

namespace {

constexpr qint64 MaxLogoBytes = 2 * 1024 * 1024; // the Hub's are a few KiB
constexpr qint64 DiskCacheBytes = 50 * 1024 * 1024;
constexpr int MemoryCacheLogos = 400;
constexpr int TransferTimeoutMs = 30000;
constexpr int KeepDays = 7;

// The image, scaled to fit LogoSize; null when it is none or claims more than MaxLogoSide a side.
QImage decodeLogo(const QByteArray &bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    QImageReader reader(&buffer);
    const QSize size = reader.size();
    if (!size.isValid() || size.width() > LogoCache::MaxLogoSide
        || size.height() > LogoCache::MaxLogoSide)
        return {};
    QImage image = reader.read();
    if (image.width() > LogoCache::LogoSize || image.height() > LogoCache::LogoSize) {
        image = image.scaled(LogoCache::LogoSize,
                             LogoCache::LogoSize,
                             Qt::KeepAspectRatio,
                             Qt::SmoothTransformation);
    }
    return image;
}

} // namespace

LogoCache::LogoCache(const QString &cacheDirectory, QObject *parent)
    : QObject(parent)
    , m_network(new NetworkAccessManager(this))
    , m_directory(cacheDirectory)
    , m_pixmaps(MemoryCacheLogos)
{
    if (m_directory.isEmpty())
        m_directory = QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
                      + QStringLiteral("/logos");
    auto *disk = new QNetworkDiskCache(m_network);
    disk->setCacheDirectory(m_directory);
    disk->setMaximumCacheSize(DiskCacheBytes);
    m_network->setCache(disk);
}

LogoCache::~LogoCache()
{
    // Replies are children of the network access manager; their finished() must not reach a
    // half-destroyed cache.
    m_network->disconnect(this);
    for (QNetworkReply *reply : m_network->findChildren<QNetworkReply *>())
        reply->disconnect(this);
}

QPixmap LogoCache::logo(const QUrl &url)
{
    if (url.isEmpty() || !url.isValid())
        return {};
    if (const QPixmap *cached = m_pixmaps.object(url))
        return *cached;
    if (m_pending.contains(url) || m_failed.contains(url))
        return {};
    if (url.scheme() != u"https" && url.scheme() != u"http") {
        m_failed.insert(url);
        return {};
    }

    QNetworkRequest request(url);
    // A logo changes rarely: an old copy beats a request per row.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::PreferCache);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("Berth/" BERTH_VERSION));
    request.setTransferTimeout(TransferTimeoutMs);
    QNetworkReply *reply = m_network->get(request);
    m_pending.insert(url);
    connect(reply, &QNetworkReply::downloadProgress, this, [reply](qint64 received, qint64 total) {
        if ((received > MaxLogoBytes || total > MaxLogoBytes) && reply->isRunning())
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] { finished(reply, url); });
    return {};
}

void LogoCache::finished(QNetworkReply *reply, const QUrl &url)
{
    reply->deleteLater();
    m_pending.remove(url);
    QImage image;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QByteArray bytes;
    if (reply->error() == QNetworkReply::NoError && (status == 0 || status == 200)) {
        bytes = reply->readAll();
        image = decodeLogo(bytes);
    }
    if (image.isNull()) {
        m_failed.insert(url);
        emit logoFailed(url);
        return;
    }
    if (!reply->attribute(QNetworkRequest::SourceIsFromCacheAttribute).toBool())
        keepOnDisk(reply, bytes);
    m_pixmaps.insert(url, new QPixmap(QPixmap::fromImage(std::move(image))));
    emit logoReady(url);
}

void LogoCache::keepOnDisk(QNetworkReply *reply, const QByteArray &bytes)
{
    // Without freshness headers QNetworkAccessManager would ask again at every start: logos
    // hardly change, so keep them a week unless the server forbade storing them.
    if (reply->rawHeader("Cache-Control").contains("no-store"))
        return;
    QAbstractNetworkCache *cache = m_network->cache();
    const QUrl url = reply->url();
    const QDateTime keepUntil = QDateTime::currentDateTimeUtc().addDays(KeepDays);
    QNetworkCacheMetaData meta = cache->metaData(url);
    if (meta.isValid() && meta.saveToDisk()) {
        if (meta.expirationDate().isValid())
            return; // the server said how long
        meta.setExpirationDate(keepUntil);
        cache->updateMetaData(meta);
        return;
    }
    meta = QNetworkCacheMetaData();
    meta.setUrl(url);
    meta.setSaveToDisk(true);
    meta.setExpirationDate(keepUntil);
    meta.setLastModified(QDateTime::currentDateTimeUtc());
    QNetworkCacheMetaData::RawHeaderList headers;
    const QByteArray type = reply->rawHeader("Content-Type");
    if (!type.isEmpty())
        headers.append({QByteArrayLiteral("Content-Type"), type});
    meta.setRawHeaders(headers);
    if (QIODevice *device = cache->prepare(meta)) {
        device->write(bytes);
        cache->insert(device);
    }
}

} // namespace Berth
