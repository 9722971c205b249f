#pragma once

#include "common/result.h"
#include "contents/contentsentry.h"

#include <QFile>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace Berth {

// The on-disk form of a layer's index and of an image's merged tree: a header, fixed-size
// records in tree order (compareTreeOrder), then the bytes of every path, link target and
// content digest. The file is mapped, never read whole: a look at an image with a million files
// costs pages the view touches, not a million allocations.
//
//   header  "BERTHIDX" · version · record count · offsets · a small JSON object (`meta`)
//   records one IndexRecord per path, sorted, each with the index past its subtree
//   heap    path bytes, link bytes, 32-byte sha256 of file data
struct IndexRecord
{
    quint64 heapOffset = 0; // path, then link target, then digest (when hasDigest)
    quint32 pathLength = 0;
    quint32 linkLength = 0;
    qint64 size = 0;
    qint64 mtime = 0;
    quint32 mode = 0;
    quint32 uid = 0;
    quint32 gid = 0;
    quint8 type = 0;        // ContentsEntry::Type
    quint8 flags = 0;       // Flag bits
    quint16 layer = 0;      // image trees: the layer whose entry this is
    quint64 subtreeEnd = 0; // the first record past this path's subtree
    quint8 change = 0;      // ContentsEntry::Change
    quint8 reserved[7] = {};

    enum Flag : quint8 { Opaque = 1, Implicit = 2, HasDigest = 4 };
};
static_assert(sizeof(IndexRecord) == 64);

// Reads an index file through a memory map. Cheap to move; entries are decoded on demand.
// A file that is not an index, from another version, truncated or with offsets that point
// outside it is refused by open() naming the file: the cache then rebuilds it.
class IndexFile final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    static constexpr quint32 Version = 1;

    static Result<IndexFile> open(const QString &path);
    IndexFile(IndexFile &&) noexcept = default;
    IndexFile &operator=(IndexFile &&) noexcept = default;
    ~IndexFile();

    QString path() const;
    // What the writer recorded beside the entries (digests, sizes, per-layer statistics).
    const QJsonObject &meta() const { return m_meta; }

    qint64 count() const { return qint64(m_count); }
    const IndexRecord &record(qint64 i) const { return m_records[i]; }
    QByteArrayView path(qint64 i) const;
    QByteArrayView linkTarget(qint64 i) const;
    QByteArrayView contentDigest(qint64 i) const; // 32 bytes, or empty
    ContentsEntry entry(qint64 i) const;

    // The record of `path` (binary search), or -1.
    qint64 find(QByteArrayView path) const;
    // The first record in tree order that is not before `path` (count() when none).
    qint64 lowerBound(QByteArrayView path) const;
    // The direct children of the directory at record `i` (-1: the top-level entries), in order:
    // each child's subtreeEnd skips its descendants, so this costs the number of children.
    std::vector<qint64> children(qint64 i) const;

private:
    IndexFile() = default;
    std::unique_ptr<QFile> m_file;
    const uchar *m_map = nullptr;
    const IndexRecord *m_records = nullptr;
    const char *m_heap = nullptr;
    quint64 m_count = 0;
    quint64 m_heapSize = 0;
    QJsonObject m_meta;
};

// Writes an index file: to a temporary name beside `path`, renamed into place by finish(), so a
// reader never sees half a file. Entries may come in any order (they are sorted at finish();
// a path given twice keeps its last entry, as a tar extracts) or already sorted (`Presorted`:
// written as they come, for merges). Memory is bounded: past a few hundred thousand entries the
// sorted runs go to temporary files and are merged at finish().
class IndexWriter final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    enum class Order { Any, Presorted };
    // Entries sorted in memory before a run goes to disk: about 40 MB with typical path lengths.
    static constexpr qsizetype DefaultRunLimit = 256 * 1024;
    static Result<std::unique_ptr<IndexWriter>>
    create(const QString &path, Order order, qsizetype runLimit = DefaultRunLimit);
    ~IndexWriter(); // an unfinished writer removes its temporary files

    // Records `entry`. Directories a path implies but nothing added get an implicit entry
    // (mode 0755, `implicit`) at finish(), so every path's parent is in the file.
    Status add(const ContentsEntry &entry);
    qint64 count() const;
    Status finish(const QJsonObject &meta);

private:
    IndexWriter() = default;
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace Berth
