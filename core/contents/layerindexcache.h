#pragma once

#include "common/result.h"
#include "contents/indexfile.h"
#include "reference/imagereference.h"

#include <QString>

#include <optional>

namespace Berth {

// Layer indexes on disk, one file per layer diff_id (the uncompressed digest, the same whichever
// source the layer came from: a registry, the embedded store, an engine, an archive), under
// $XDG_CACHE_HOME/berth/layer-index. Bounded: past maxBytes the least recently used files go
// first (a hit touches its file's time). Safe with several processes at once (the GUI and
// berthctl): files appear by rename, and a file another process evicts while open stays
// readable through its mapping. A damaged file is removed and reported as a miss.
class LayerIndexCache final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    static constexpr qint64 DefaultMaxBytes = 1024LL * 1024 * 1024;

    explicit LayerIndexCache(QString directory = defaultDirectory(),
                             qint64 maxBytes = DefaultMaxBytes);
    // QStandardPaths::GenericCacheLocation + "/berth/layer-index" ($XDG_CACHE_HOME honoured).
    static QString defaultDirectory();

    QString directory() const { return m_directory; }
    qint64 maxBytes() const { return m_maxBytes; }
    // Where the index of `diffId` lives (whether or not it exists yet): what LayerIndexer writes.
    QString pathFor(const Digest &diffId) const;
    // A hit (touched for LRU), or nullopt.
    std::optional<IndexFile> open(const Digest &diffId) const;
    bool contains(const Digest &diffId) const;
    // Evicts least recently used files until the cache is within maxBytes; `keep` are spared
    // (the layers of the image being looked at).
    void trim(const QList<Digest> &keep = {}) const;
    qint64 sizeOnDisk() const;

private:
    QString m_directory;
    qint64 m_maxBytes;
};

} // namespace Berth
