#include "endpointmemory.h"

#include "common/logging.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <cstdio>
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

// A whole new file renamed over the old one: readers never see half of it. No fsync: it is a
// cache (a lost write costs a probe), and this runs on the thread that sends the request.
void save(const QJsonObject &entries)
{
    const QString target = path();
    QDir().mkpath(QFileInfo(target).absolutePath());
    const QString temporary
        = target + u".new-" + QString::number(QCoreApplication::applicationPid());
    QFile file(temporary);
    const bool written = file.open(QIODevice::WriteOnly | QIODevice::Truncate)
                         && file.write(QJsonDocument(entries).toJson(QJsonDocument::Compact)) >= 0
                         && file.flush();
    file.close();
    if (!written
        || std::rename(QFile::encodeName(temporary).constData(),
                       QFile::encodeName(target).constData())
               != 0) {
        qCInfo(lcRegistry) << "could not keep the registry endpoints in" << target;
        QFile::remove(temporary);
    }
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
