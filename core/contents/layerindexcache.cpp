#include "contents/layerindexcache.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>

namespace Berth {

namespace {

const QString IndexSuffix = QStringLiteral(".idx");
// A writer's temporary files (IndexWriter: ".part", ".heap", ".runN") that no process has touched
// for this long were left by one that died: trim() removes them.
constexpr qint64 StaleTemporarySeconds = 6 * 3600;

struct CachedFile
{
    QString path;
    qint64 size = 0;
    QDateTime used;
};

bool isIndexFile(const QString &name)
{
    return name.endsWith(IndexSuffix) && !name.contains(QLatin1Char('/'));
}

// Every finished index under `directory`; the temporary files of dead writers are removed.
std::vector<CachedFile> cachedFiles(const QString &directory)
{
    std::vector<CachedFile> out;
    const QDateTime stale = QDateTime::currentDateTimeUtc().addSecs(-StaleTemporarySeconds);
    QDirIterator it(directory, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        if (isIndexFile(info.fileName()))
            out.push_back({info.filePath(), info.size(), info.lastModified()});
        else if (info.lastModified() < stale)
            QFile::remove(info.filePath());
    }
    return out;
}

} // namespace

LayerIndexCache::LayerIndexCache(QString directory, qint64 maxBytes)
    : m_directory(std::move(directory))
    , m_maxBytes(maxBytes)
{}

QString LayerIndexCache::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
           + QStringLiteral("/berth/layer-index");
}

QString LayerIndexCache::pathFor(const Digest &diffId) const
{
    return m_directory + u'/' + diffId.algorithm() + u'/' + diffId.encoded() + IndexSuffix;
}

std::optional<IndexFile> LayerIndexCache::open(const Digest &diffId) const
{
    if (!diffId.isValid())
        return std::nullopt;
    const QString path = pathFor(diffId);
    if (!QFileInfo::exists(path))
        return std::nullopt;
    auto index = IndexFile::open(path);
    if (!index) {
        // Damaged (a full disk, a crash, another version): gone, so the next look rebuilds it.
        QFile::remove(path);
        return std::nullopt;
    }
    // The time trim() goes by: a hit is recently used. A file evicted meanwhile stays readable
    // through the mapping, and the failed touch is of no consequence.
    ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), nullptr, 0);
    return std::move(*index);
}

bool LayerIndexCache::contains(const Digest &diffId) const
{
    return diffId.isValid() && QFileInfo::exists(pathFor(diffId));
}

void LayerIndexCache::trim(const QList<Digest> &keep) const
{
    std::vector<CachedFile> files = cachedFiles(m_directory);
    qint64 total = 0;
    for (const CachedFile &f : files)
        total += f.size;
    if (total <= m_maxBytes)
        return;
    QSet<QString> spared;
    for (const Digest &d : keep)
        spared.insert(QFileInfo(pathFor(d)).absoluteFilePath());
    std::sort(files.begin(), files.end(), [](const CachedFile &a, const CachedFile &b) {
        return a.used < b.used;
    });
    for (const CachedFile &f : files) {
        if (total <= m_maxBytes)
            break;
        if (spared.contains(QFileInfo(f.path).absoluteFilePath()))
            continue;
        // Another process may have evicted it first: either way it no longer counts.
        QFile::remove(f.path);
        total -= f.size;
    }
}

qint64 LayerIndexCache::sizeOnDisk() const
{
    qint64 total = 0;
    QDirIterator it(m_directory, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        if (isIndexFile(it.fileName()))
            total += it.fileInfo().size();
    }
    return total;
}

} // namespace Berth
