#include "contents/treediff.h"

#include <vector>

namespace Berth {

namespace {

using Type = ContentsEntry::Type;
using Change = ContentsEntry::Change;

constexpr qint64 CancelCheckInterval = 4096;

// What the comparison finds, path by path in tree order.
class DiffVisitor
{
public:
    virtual ~DiffVisitor() = default;
    // `fromRecord` / `toRecord`: the path's record in each tree, -1 where it is absent.
    virtual Status changed(const FileChange &change, qint64 fromRecord, qint64 toRecord) = 0;
    virtual void unchanged(qint64 toRecord) = 0;
};

// A layer's view marks what its layer deleted: those records are not part of the tree.
qint64 nextPresent(const IndexFile &tree, qint64 i)
{
    while (i < tree.count() && tree.record(i).change == quint8(Change::Deleted))
        ++i;
    return i;
}

qint64 fileBytes(const IndexRecord &r)
{
    return r.type == quint8(Type::File) ? r.size : 0;
}

class TreeDiffer
{
public:
    TreeDiffer(const IndexFile &from, const IndexFile &to, const CancelToken &cancel)
        : m_from(from)
        , m_to(to)
        , m_cancel(cancel)
    {}

    Result<DiffSummary> run(DiffVisitor &visitor);

private:
    Status deleted(qint64 i, DiffVisitor &visitor);
    Status added(qint64 j, DiffVisitor &visitor);
    Status compared(qint64 i, qint64 j, DiffVisitor &visitor);
    bool differs(qint64 i, qint64 j, bool &contentChanged) const;

    const IndexFile &m_from;
    const IndexFile &m_to;
    CancelToken m_cancel;
    DiffSummary m_summary;
};

// One merge of the two sorted trees: a path only in `from` is deleted, only in `to` added.
Result<DiffSummary> TreeDiffer::run(DiffVisitor &visitor)
{
    qint64 i = nextPresent(m_from, 0);
    qint64 j = nextPresent(m_to, 0);
    for (qint64 n = 0; i < m_from.count() || j < m_to.count(); ++n) {
        if (n % CancelCheckInterval == 0 && m_cancel.isCancelled())
            return fail(Error::Kind::Cancelled, Berth::tr("Cancelled."));
        const int c = i >= m_from.count() ? 1
                      : j >= m_to.count() ? -1
                                          : compareTreeOrder(m_from.path(i), m_to.path(j));
        const Status s
            = c < 0 ? deleted(i, visitor) : (c > 0 ? added(j, visitor) : compared(i, j, visitor));
        if (!s)
            return fail(s.error());
        if (c <= 0)
            i = nextPresent(m_from, i + 1);
        if (c >= 0)
            j = nextPresent(m_to, j + 1);
    }
    return m_summary;
}

Status TreeDiffer::deleted(qint64 i, DiffVisitor &visitor)
{
    const IndexRecord &r = m_from.record(i);
    FileChange change;
    change.path = m_from.path(i).toByteArray();
    change.kind = Change::Deleted;
    change.type = Type(r.type);
    change.oldSize = r.size;
    change.oldMode = r.mode;
    ++m_summary.deleted;
    m_summary.deletedBytes += fileBytes(r);
    return visitor.changed(change, i, -1);
}

Status TreeDiffer::added(qint64 j, DiffVisitor &visitor)
{
    const IndexRecord &r = m_to.record(j);
    FileChange change;
    change.path = m_to.path(j).toByteArray();
    change.kind = Change::Added;
    change.type = Type(r.type);
    change.newSize = r.size;
    change.newMode = r.mode;
    ++m_summary.added;
    m_summary.addedBytes += fileBytes(r);
    return visitor.changed(change, -1, j);
}

Status TreeDiffer::compared(qint64 i, qint64 j, DiffVisitor &visitor)
{
    bool contentChanged = false;
    if (!differs(i, j, contentChanged)) {
        visitor.unchanged(j);
        return {};
    }
    const IndexRecord &a = m_from.record(i);
    const IndexRecord &b = m_to.record(j);
    FileChange change;
    change.path = m_to.path(j).toByteArray();
    change.kind = Change::Changed;
    change.type = Type(b.type);
    change.oldSize = a.size;
    change.newSize = b.size;
    change.oldMode = a.mode;
    change.newMode = b.mode;
    change.contentChanged = contentChanged;
    ++m_summary.changed;
    m_summary.changedBytes += fileBytes(b);
    return visitor.changed(change, i, j);
}

// Type, mode and owner for every path; for what is not a directory (whose children speak for
// themselves) also size, link target and, where both trees know it, the content's digest.
bool TreeDiffer::differs(qint64 i, qint64 j, bool &contentChanged) const
{
    const IndexRecord &a = m_from.record(i);
    const IndexRecord &b = m_to.record(j);
    if (a.type != b.type || a.mode != b.mode || a.uid != b.uid || a.gid != b.gid)
        return true;
    if (a.type == quint8(Type::Directory))
        return false;
    const QByteArrayView da = m_from.contentDigest(i);
    const QByteArrayView db = m_to.contentDigest(j);
    contentChanged = !da.isEmpty() && !db.isEmpty() && da != db;
    return contentChanged || a.size != b.size || m_from.linkTarget(i) != m_to.linkTarget(j);
}

class CallbackVisitor final : public DiffVisitor
{
public:
    explicit CallbackVisitor(const std::function<void(const FileChange &)> &each)
        : m_each(each)
    {}
    Status changed(const FileChange &change, qint64, qint64) override
    {
        if (m_each)
            m_each(change);
        return {};
    }
    void unchanged(qint64) override {}

private:
    const std::function<void(const FileChange &)> &m_each;
};

// Writes the changes as a tree. The unchanged directories around a change are written too,
// with their own metadata and no change, so that the tree shows where each change is.
class TreeWriterVisitor final : public DiffVisitor
{
public:
    TreeWriterVisitor(const IndexFile &from, const IndexFile &to, IndexWriter &writer)
        : m_from(from)
        , m_to(to)
        , m_writer(writer)
    {}

    Status changed(const FileChange &change, qint64 fromRecord, qint64 toRecord) override
    {
        if (Status s = writeAncestors(change.path); !s)
            return s;
        ContentsEntry e
            = change.kind == Change::Deleted ? m_from.entry(fromRecord) : m_to.entry(toRecord);
        e.change = change.kind;
        return m_writer.add(e);
    }

    void unchanged(qint64 toRecord) override
    {
        if (m_to.record(toRecord).type != quint8(Type::Directory))
            return;
        closeOutside(m_to.path(toRecord));
        m_open.push_back(Open{toRecord, false});
    }

private:
    struct Open
    {
        qint64 record = 0;
        bool written = false;
    };

    void closeOutside(QByteArrayView path)
    {
        while (!m_open.empty() && !isWithin(path, m_to.path(m_open.back().record)))
            m_open.pop_back();
    }

    Status writeAncestors(QByteArrayView path)
    {
        closeOutside(path);
        for (Open &open : m_open) {
            if (open.written)
                continue;
            ContentsEntry e = m_to.entry(open.record);
            e.change = Change::None;
            if (Status s = m_writer.add(e); !s)
                return s;
            open.written = true;
        }
        return {};
    }

    const IndexFile &m_from;
    const IndexFile &m_to;
    IndexWriter &m_writer;
    std::vector<Open> m_open; // the unchanged directories the current path is in
};

} // namespace

QString FileChange::kindLetter() const
{
    return changeLetter(kind);
}

Result<DiffSummary> diffTrees(const IndexFile &from,
                              const IndexFile &to,
                              const std::function<void(const FileChange &)> &each,
                              const CancelToken &cancel)
{
    CallbackVisitor visitor(each);
    return TreeDiffer(from, to, cancel).run(visitor);
}

Result<DiffSummary> writeDiffTree(const IndexFile &from,
                                  const IndexFile &to,
                                  const QString &outputPath,
                                  const CancelToken &cancel)
{
    auto writer = IndexWriter::create(outputPath, IndexWriter::Order::Presorted);
    if (!writer)
        return fail(writer.error());
    TreeWriterVisitor visitor(from, to, **writer);
    auto summary = TreeDiffer(from, to, cancel).run(visitor);
    if (!summary)
        return summary;
    const QJsonObject meta{
        {QStringLiteral("diff"),
         QJsonObject{
             {QStringLiteral("added"), double(summary->added)},
             {QStringLiteral("changed"), double(summary->changed)},
             {QStringLiteral("deleted"), double(summary->deleted)},
             {QStringLiteral("addedBytes"), double(summary->addedBytes)},
             {QStringLiteral("changedBytes"), double(summary->changedBytes)},
             {QStringLiteral("deletedBytes"), double(summary->deletedBytes)},
         }},
    };
    if (Status s = (*writer)->finish(meta); !s)
        return fail(s.error());
    return summary;
}

} // namespace Berth
