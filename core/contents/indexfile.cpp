#include "contents/indexfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryFile>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace Berth {

namespace {

constexpr char Magic[8] = {'B', 'E', 'R', 'T', 'H', 'I', 'D', 'X'};
constexpr int DigestSize = 32;

struct Header
{
    char magic[8];
    quint32 version = IndexFile::Version;
    quint32 headerSize = sizeof(Header);
    quint64 count = 0;
    quint64 recordsOffset = sizeof(Header);
    quint64 heapOffset = 0;
    quint64 heapSize = 0;
    quint64 metaOffset = 0;
    quint32 metaSize = 0;
    quint32 reserved = 0;
};
static_assert(sizeof(Header) == 64);

Error damaged(const QString &path, const QString &why)
{
    return Error::make(Error::Kind::Io,
                       Berth::tr("The contents index '%1' is damaged: %2.").arg(path, why));
}

Status writeAll(QFile &file, const void *data, qint64 size)
{
    if (file.write(static_cast<const char *>(data), size) == size)
        return {};
    return fail(Error::Kind::Io,
                Berth::tr("Cannot write '%1': %2.").arg(file.fileName(), file.errorString()));
}

IndexRecord recordFor(const ContentsEntry &e, quint64 heapOffset)
{
    IndexRecord r;
    r.heapOffset = heapOffset;
    r.pathLength = quint32(e.path.size());
    r.linkLength = quint32(e.linkTarget.size());
    r.size = e.size;
    r.mtime = e.mtime;
    r.mode = e.mode;
    r.uid = e.uid;
    r.gid = e.gid;
    r.type = quint8(e.type);
    r.flags = (e.opaque ? IndexRecord::Opaque : 0) | (e.implicit ? IndexRecord::Implicit : 0)
              | (e.contentDigest.size() == DigestSize ? IndexRecord::HasDigest : 0);
    r.layer = e.layer;
    r.change = quint8(e.change);
    return r;
}

ContentsEntry implicitDirectory(QByteArrayView path)
{
    ContentsEntry dir;
    dir.path = path.toByteArray();
    dir.type = ContentsEntry::Type::Directory;
    dir.mode = 0755;
    dir.implicit = true;
    return dir;
}

} // namespace

// ---- reading ----

IndexFile::~IndexFile() = default;

QString IndexFile::path() const
{
    return m_file ? m_file->fileName() : QString();
}

Result<IndexFile> IndexFile::open(const QString &path)
{
    IndexFile index;
    index.m_file = std::make_unique<QFile>(path);
    if (!index.m_file->open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io,
                    Berth::tr("Cannot open '%1': %2.").arg(path, index.m_file->errorString()));
    const qint64 fileSize = index.m_file->size();
    if (fileSize < qint64(sizeof(Header)))
        return fail(damaged(path, Berth::tr("it is too short")));
    index.m_map = index.m_file->map(0, fileSize);
    if (!index.m_map)
        return fail(Error::Kind::Io,
                    Berth::tr("Cannot map '%1': %2.").arg(path, index.m_file->errorString()));
    Header h;
    std::memcpy(&h, index.m_map, sizeof h);
    if (std::memcmp(h.magic, Magic, sizeof Magic) != 0 || h.headerSize != sizeof(Header))
        return fail(damaged(path, Berth::tr("it is not a contents index")));
    if (h.version != Version)
        return fail(damaged(
            path, Berth::tr("it has version %1 where %2 is expected").arg(h.version).arg(Version)));
    const quint64 size = quint64(fileSize);
    const bool recordsFit = h.recordsOffset == sizeof(Header)
                            && h.count <= (size - sizeof(Header)) / sizeof(IndexRecord)
                            && h.heapOffset == h.recordsOffset + h.count * sizeof(IndexRecord);
    if (!recordsFit || h.heapSize > size - h.heapOffset || h.metaOffset != h.heapOffset + h.heapSize
        || h.metaSize > size - h.metaOffset)
        return fail(damaged(path, Berth::tr("its offsets point outside the file")));
    index.m_records = reinterpret_cast<const IndexRecord *>(index.m_map + h.recordsOffset);
    index.m_heap = reinterpret_cast<const char *>(index.m_map + h.heapOffset);
    index.m_count = h.count;
    index.m_heapSize = h.heapSize;
    for (quint64 i = 0; i < h.count; ++i) {
        const IndexRecord &r = index.m_records[i];
        const quint64 bytes = quint64(r.pathLength) + r.linkLength
                              + ((r.flags & IndexRecord::HasDigest) ? DigestSize : 0);
        if (r.heapOffset > h.heapSize || bytes > h.heapSize - r.heapOffset || r.subtreeEnd <= i
            || r.subtreeEnd > h.count)
            return fail(damaged(path, Berth::tr("entry %1 points outside the file").arg(i)));
    }
    const auto meta = QJsonDocument::fromJson(QByteArray::fromRawData(
        reinterpret_cast<const char *>(index.m_map + h.metaOffset), qsizetype(h.metaSize)));
    index.m_meta = meta.object();
    return index;
}

QByteArrayView IndexFile::path(qint64 i) const
{
    const IndexRecord &r = m_records[i];
    return QByteArrayView(m_heap + r.heapOffset, r.pathLength);
}

QByteArrayView IndexFile::linkTarget(qint64 i) const
{
    const IndexRecord &r = m_records[i];
    return QByteArrayView(m_heap + r.heapOffset + r.pathLength, r.linkLength);
}

QByteArrayView IndexFile::contentDigest(qint64 i) const
{
    const IndexRecord &r = m_records[i];
    if (!(r.flags & IndexRecord::HasDigest))
        return {};
    return QByteArrayView(m_heap + r.heapOffset + r.pathLength + r.linkLength, DigestSize);
}

ContentsEntry IndexFile::entry(qint64 i) const
{
    const IndexRecord &r = m_records[i];
    ContentsEntry e;
    e.path = path(i).toByteArray();
    e.linkTarget = linkTarget(i).toByteArray();
    e.contentDigest = contentDigest(i).toByteArray();
    e.size = r.size;
    e.mtime = r.mtime;
    e.mode = r.mode;
    e.uid = r.uid;
    e.gid = r.gid;
    e.type = r.type <= quint8(ContentsEntry::Type::Other) ? ContentsEntry::Type(r.type)
                                                          : ContentsEntry::Type::Other;
    e.opaque = r.flags & IndexRecord::Opaque;
    e.implicit = r.flags & IndexRecord::Implicit;
    e.layer = r.layer;
    e.change = r.change <= quint8(ContentsEntry::Change::Deleted) ? ContentsEntry::Change(r.change)
                                                                  : ContentsEntry::Change::None;
    return e;
}

qint64 IndexFile::lowerBound(QByteArrayView wanted) const
{
    qint64 low = 0;
    qint64 high = count();
    while (low < high) {
        const qint64 mid = low + (high - low) / 2;
        if (compareTreeOrder(path(mid), wanted) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

qint64 IndexFile::find(QByteArrayView wanted) const
{
    const qint64 at = lowerBound(wanted);
    return at < count() && path(at) == wanted ? at : -1;
}

std::vector<qint64> IndexFile::children(qint64 i) const
{
    std::vector<qint64> out;
    const qint64 end = i < 0 ? count() : qint64(m_records[i].subtreeEnd);
    for (qint64 child = i + 1; child < end; child = qint64(m_records[child].subtreeEnd))
        out.push_back(child);
    return out;
}

// ---- writing ----

// A presorted stream of entries into one file: records straight after a placeholder header,
// the heap in a temporary file appended at the end, subtree ends patched in a last pass.
class SortedFileWriter
{
public:
    Status open(const QString &target)
    {
        m_target = target;
        const QString dir = QFileInfo(target).absolutePath();
        if (!QDir().mkpath(dir))
            return fail(Error::Kind::Io, Berth::tr("Cannot create the folder '%1'.").arg(dir));
        m_out.setFileTemplate(target + QStringLiteral(".XXXXXX.part"));
        m_heap.setFileTemplate(target + QStringLiteral(".XXXXXX.heap"));
        if (!m_out.open() || !m_heap.open())
            return fail(Error::Kind::Io,
                        Berth::tr("Cannot write in '%1': %2.").arg(dir, m_out.errorString()));
        const Header placeholder{};
        return writeAll(m_out, &placeholder, sizeof placeholder);
    }

    // Adds one entry in tree order; a repeated path replaces the pending one unless only implicit.
    Status add(const ContentsEntry &e)
    {
        if (m_pending && m_pending->path == e.path) {
            if (!e.implicit || m_pending->implicit)
                m_pending = e;
            return {};
        }
        if (Status s = flushPending(); !s)
            return s;
        if (Status s = addMissingParents(e.path); !s)
            return s;
        m_pending = e;
        return {};
    }

    qint64 count() const { return m_count + (m_pending ? 1 : 0); }

    Status finish(const QJsonObject &meta)
    {
        if (Status s = flushPending(); !s)
            return s;
        if (Status s = closeSubtrees(); !s)
            return s;
        Header h;
        std::memcpy(h.magic, Magic, sizeof Magic);
        h.count = m_count;
        h.heapOffset = sizeof(Header) + m_count * sizeof(IndexRecord);
        h.heapSize = m_heapSize;
        const QByteArray json = QJsonDocument(meta).toJson(QJsonDocument::Compact);
        h.metaOffset = h.heapOffset + h.heapSize;
        h.metaSize = quint32(json.size());
        if (Status s = appendHeap(); !s)
            return s;
        if (Status s = writeAll(m_out, json.constData(), json.size()); !s)
            return s;
        if (!m_out.seek(0))
            return fail(Error::Kind::Io, Berth::tr("Cannot write '%1'.").arg(m_target));
        if (Status s = writeAll(m_out, &h, sizeof h); !s)
            return s;
        return commit();
    }

private:
    struct OpenPath
    {
        QByteArray path;
        quint64 index;
    };

    // Closes the subtrees `path` is not in (they end at the next record), then writes the
    // directories `path` implies that are not written yet.
    Status addMissingParents(QByteArrayView path)
    {
        while (!m_open.empty()
               && !(isWithin(path, m_open.back().path) && path != m_open.back().path)) {
            setSubtreeEnd(m_open.back().index, m_count);
            m_open.pop_back();
        }
        const QByteArrayView parent = parentPath(path);
        std::vector<QByteArrayView> missing;
        for (QByteArrayView p = parent;
             !p.isEmpty() && (m_open.empty() || p.size() > m_open.back().path.size());
             p = parentPath(p))
            missing.push_back(p);
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            m_open.push_back({it->toByteArray(), m_count});
            if (Status s = writeRecord(implicitDirectory(*it)); !s)
                return s;
        }
        m_open.push_back({path.toByteArray(), m_count});
        return {};
    }

    Status flushPending()
    {
        if (!m_pending)
            return {};
        Status s = writeRecord(*m_pending);
        m_pending.reset();
        return s;
    }

    // Records and heap bytes gather in memory and go out in large writes; a record's subtree end
    // is set while it is still buffered, or patched later for the few directories that stay open
    // across a flush.
    Status writeRecord(const ContentsEntry &e)
    {
        IndexRecord r = recordFor(e, m_heapSize);
        r.subtreeEnd = m_count + 1;
        m_records.push_back(r);
        m_heapBuffer.append(e.path);
        m_heapBuffer.append(e.linkTarget);
        m_heapSize += quint64(e.path.size() + e.linkTarget.size());
        if (r.flags & IndexRecord::HasDigest) {
            m_heapBuffer.append(e.contentDigest);
            m_heapSize += DigestSize;
        }
        ++m_count;
        if (m_records.size() >= BufferedRecords || m_heapBuffer.size() >= BufferedHeapBytes)
            return flushBuffers();
        return {};
    }

    void setSubtreeEnd(quint64 index, quint64 end)
    {
        if (index >= m_recordsStart)
            m_records[index - m_recordsStart].subtreeEnd = end;
        else
            m_patches.push_back({index, end});
    }

    Status flushBuffers()
    {
        const qint64 bytes = qint64(m_records.size() * sizeof(IndexRecord));
        if (Status s = writeAll(m_out, m_records.data(), bytes); !s)
            return s;
        if (Status s = writeAll(m_heap, m_heapBuffer.constData(), m_heapBuffer.size()); !s)
            return s;
        m_recordsStart += m_records.size();
        m_records.clear();
        m_heapBuffer.clear();
        return {};
    }

    Status appendHeap()
    {
        if (!m_heap.flush() || !m_heap.seek(0))
            return fail(Error::Kind::Io,
                        Berth::tr("Cannot read back '%1'.").arg(m_heap.fileName()));
        QByteArray buffer(1 << 20, Qt::Uninitialized);
        for (;;) {
            const qint64 n = m_heap.read(buffer.data(), buffer.size());
            if (n < 0)
                return fail(Error::Kind::Io,
                            Berth::tr("Cannot read back '%1'.").arg(m_heap.fileName()));
            if (n == 0)
                return {};
            if (Status s = writeAll(m_out, buffer.constData(), n); !s)
                return s;
        }
    }

    // The subtrees still open end with the file; those whose records already went out are
    // patched in place.
    Status closeSubtrees()
    {
        for (const OpenPath &open : m_open)
            setSubtreeEnd(open.index, m_count);
        m_open.clear();
        if (Status s = flushBuffers(); !s)
            return s;
        for (const auto &[index, end] : m_patches) {
            const qint64 at = qint64(sizeof(Header) + index * sizeof(IndexRecord)
                                     + offsetof(IndexRecord, subtreeEnd));
            if (!m_out.seek(at))
                return fail(Error::Kind::Io, Berth::tr("Cannot write '%1'.").arg(m_target));
            if (Status s = writeAll(m_out, &end, sizeof end); !s)
                return s;
        }
        m_patches.clear();
        return m_out.seek(m_out.size())
                   ? Status()
                   : fail(Error::Kind::Io, Berth::tr("Cannot write '%1'.").arg(m_target));
    }

    Status commit()
    {
        if (!m_out.flush())
            return fail(Error::Kind::Io, Berth::tr("Cannot write '%1'.").arg(m_target));
        // POSIX rename() replaces the target in one step. Qt's rename() refuses an existing
        // target, so another process indexing the same layer between a remove and the rename
        // failed this one; now the last writer wins with an index as whole as the first.
        const QByteArray from = QFile::encodeName(m_out.fileName());
        if (::rename(from.constData(), QFile::encodeName(m_target).constData()) != 0) {
            const int error = errno;
            return fail(Error::Kind::Io,
                        Berth::tr("Cannot write '%1': %2.")
                            .arg(m_target, QString::fromLocal8Bit(std::strerror(error))));
        }
        m_out.setAutoRemove(false);
        return {};
    }

    QString m_target;
    QTemporaryFile m_out;
    QTemporaryFile m_heap;
    quint64 m_count = 0;
    quint64 m_heapSize = 0;
    std::optional<ContentsEntry> m_pending;
    std::vector<OpenPath> m_open;       // the last path and its ancestors
    std::vector<IndexRecord> m_records; // buffered, starting at record m_recordsStart
    quint64 m_recordsStart = 0;
    QByteArray m_heapBuffer;
    std::vector<std::pair<quint64, quint64>> m_patches; // record, subtree end
    static constexpr size_t BufferedRecords = 16384;
    static constexpr qsizetype BufferedHeapBytes = 1 << 20;
};

struct IndexWriter::State
{
    QString path;
    Order order = Order::Any;
    qsizetype runLimit = DefaultRunLimit;
    SortedFileWriter sorted;          // Presorted: the output itself
    std::vector<ContentsEntry> batch; // Any: the run being gathered
    std::vector<QString> runs;        // Any: sorted runs already on disk
    qint64 added = 0;

    // Sorts the batch by path; a path given twice keeps its last entry (stable sort, last wins).
    void sortBatch()
    {
        std::stable_sort(batch.begin(), batch.end(), [](const auto &a, const auto &b) {
            return compareTreeOrder(a.path, b.path) < 0;
        });
    }

    Status writeBatch(SortedFileWriter &out)
    {
        sortBatch();
        for (const ContentsEntry &e : batch)
            if (Status s = out.add(e); !s)
                return s;
        batch.clear();
        return {};
    }

    Status spillRun()
    {
        const QString run = path + QStringLiteral(".run%1").arg(runs.size());
        SortedFileWriter out;
        if (Status s = out.open(run); !s)
            return s;
        if (Status s = writeBatch(out); !s)
            return s;
        runs.push_back(run);
        return out.finish({});
    }

    // The runs merged in one pass; on equal paths the later run (later in the tar) wins.
    Status mergeRuns(SortedFileWriter &out)
    {
        std::vector<IndexFile> files;
        for (const QString &run : runs) {
            auto file = IndexFile::open(run);
            if (!file)
                return fail(file.error());
            files.push_back(std::move(*file));
        }
        std::vector<qint64> at(files.size(), 0);
        for (;;) {
            qsizetype best = -1;
            for (size_t k = 0; k < files.size(); ++k) {
                if (at[k] >= files[k].count())
                    continue;
                if (best < 0
                    || compareTreeOrder(files[k].path(at[k]), files[best].path(at[best])) < 0)
                    best = qsizetype(k);
            }
            if (best < 0)
                return {};
            const QByteArray p = files[best].path(at[best]).toByteArray();
            for (size_t k = 0; k < files.size(); ++k) {
                if (at[k] < files[k].count() && files[k].path(at[k]) == p) {
                    if (Status s = out.add(files[k].entry(at[k])); !s)
                        return s;
                    ++at[k];
                }
            }
        }
    }

    void removeRuns()
    {
        for (const QString &run : runs)
            QFile::remove(run);
        runs.clear();
    }
};

Result<std::unique_ptr<IndexWriter>>
IndexWriter::create(const QString &path, Order order, qsizetype runLimit)
{
    std::unique_ptr<IndexWriter> writer(new IndexWriter);
    writer->m_state = std::make_unique<State>();
    writer->m_state->path = path;
    writer->m_state->order = order;
    writer->m_state->runLimit = std::max<qsizetype>(runLimit, 1);
    if (order == Order::Presorted)
        if (Status s = writer->m_state->sorted.open(path); !s)
            return fail(s.error());
    return writer;
}

IndexWriter::~IndexWriter()
{
    if (m_state)
        m_state->removeRuns();
}

Status IndexWriter::add(const ContentsEntry &entry)
{
    State &s = *m_state;
    ++s.added;
    if (s.order == Order::Presorted)
        return s.sorted.add(entry);
    s.batch.push_back(entry);
    if (qsizetype(s.batch.size()) >= s.runLimit)
        return s.spillRun();
    return {};
}

qint64 IndexWriter::count() const
{
    return m_state->added;
}

Status IndexWriter::finish(const QJsonObject &meta)
{
    State &s = *m_state;
    if (s.order == Order::Any) {
        if (Status st = s.sorted.open(s.path); !st)
            return st;
        if (s.runs.empty()) {
            if (Status st = s.writeBatch(s.sorted); !st)
                return st;
        } else {
            if (!s.batch.empty())
                if (Status st = s.spillRun(); !st)
                    return st;
            Status merged = s.mergeRuns(s.sorted);
            s.removeRuns();
            if (!merged)
                return merged;
        }
    }
    return s.sorted.finish(meta);
}

} // namespace Berth
