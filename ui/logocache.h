#pragma once

#include <QCache>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace Berth {

// Repository logos for the result rows: downloaded once, kept on disk (QNetworkDiskCache under
// the cache location) and in memory, decoded and scaled once. Has its own network access so its
// disk cache never holds Hub API answers.
class LogoCache final : public QObject
{
    Q_OBJECT

public:
    // cacheDirectory: where logos are kept; empty means <CacheLocation>/logos.
    explicit LogoCache(const QString &cacheDirectory = {}, QObject *parent = nullptr);
    ~LogoCache() override;

    // The logo, scaled to fit LogoSize device-independent pixels; a null pixmap while it loads
    // (logoReady() follows) or when it cannot be had (nothing follows, it is not asked again).
    QPixmap logo(const QUrl &url);
    bool isLoading(const QUrl &url) const { return m_pending.contains(url); }
    bool hasFailed(const QUrl &url) const { return m_failed.contains(url); }
    QString cacheDirectory() const { return m_directory; }

    static constexpr int LogoSize = 128; // decoded size; the delegate paints smaller
    // A logo wider or taller than this is refused unread: a few KiB of PNG can claim a picture
    // of hundreds of MiB, decoded on the GUI thread.
    static constexpr int MaxLogoSide = 4096;

signals:
    void logoReady(const QUrl &url);
    // A logo could not be loaded (network, not an image); rows keep their placeholder.
    void logoFailed(const QUrl &url);

private:
    void finished(QNetworkReply *reply, const QUrl &url);
    void keepOnDisk(QNetworkReply *reply, const QByteArray &bytes);

    QNetworkAccessManager *m_network;
    QString m_directory;
    QCache<QUrl, QPixmap> m_pixmaps;
    QSet<QUrl> m_pending;
    QSet<QUrl> m_failed;
};

} // namespace Berth
