#include "endpointmemory.h"

#include "common/logging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

#include <mutex>

namespace Berth::EndpointMemory {

namespace {

constexpr qint64 KeepSeconds = 7 * 24 * 3600;
constexpr qint64 MaxFileSize = 256 * 1024; // a few thousand registries; anything larger is junk

std::mutex &fileMutex()
{
    static std::mutex mutex;
    return mutex;
}

// A missing, unreadable or malformed file is an empty memory: it only saves round trips.
QJsonObject load()
{
    QFile file(path());
    if (file.size() > MaxFileSize || !file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

void save(const QJsonObject &entries)
{
    QDir().mkpath(QFileInfo(path()).absolutePath());
    QSaveFile file(path());
    if (!file.open(QIODevice::WriteOnly)
        || file.write(QJsonDocument(entries).toJson(QJsonDocument::Compact)) < 0 || !file.commit())
        qCInfo(lcRegistry) << "could not keep the registry endpoints in" << path() << ":"
                           << file.errorString();
}

bool isEndpoint(const QUrl &url)
{
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https")
           && !url.host().isEmpty() && url.path().isEmpty() && !url.hasQuery();
}

} // namespace

QString path()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
           + QStringLiteral("/berth/registry-endpoints.json");
}

std::optional<QUrl> recall(const QString &registry)
{
    std::lock_guard lock(fileMutex());
    const QJsonObject entry = load().value(registry).toObject();
    const QUrl endpoint(entry.value(u"endpoint").toString(), QUrl::StrictMode);
    const qint64 seen = qint64(entry.value(u"seen").toDouble());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (!isEndpoint(endpoint) || seen > now || now - seen > KeepSeconds)
        return std::nullopt;
    return endpoint;
}

void remember(const QString &registry, const QUrl &endpoint)
{
    if (!isEndpoint(endpoint))
        return;
    std::lock_guard lock(fileMutex());
    QJsonObject entries = load();
    entries.insert(
        registry,
        QJsonObject{{QStringLiteral("endpoint"), endpoint.toString()},
                    {QStringLiteral("seen"), double(QDateTime::currentSecsSinceEpoch())}});
    save(entries);
}

void forget(const QString &registry)
{
    std::lock_guard lock(fileMutex());
    QJsonObject entries = load();
    if (entries.contains(registry)) {
        entries.remove(registry);
        save(entries);
    }
}

} // namespace Berth::EndpointMemory
