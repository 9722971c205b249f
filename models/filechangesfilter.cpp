#include "filechangesfilter.h"

#include "common/humanize.h"
#include "imagefilesmodel.h"
#include "tagfilescomparer.h"

namespace Berth {

quint8 changeKindBit(ContentsEntry::Change change)
{
    switch (change) {
    case ContentsEntry::Change::Added:
        return AddedKind;
    case ContentsEntry::Change::Changed:
        return ChangedKind;
    case ContentsEntry::Change::Deleted:
        return DeletedKind;
    case ContentsEntry::Change::None:
        break;
    }
    return 0;
}

FileChangesFilter::FileChangesFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(false);
}

int FileChangesFilter::sizeColumn()
{
    return ImageFilesModel::SizeColumn;
}

int FileChangesFilter::changeColumn()
{
    return ImageFilesModel::LayerColumn;
}

int FileChangesFilter::recordRole()
{
    return ImageFilesModel::RecordRole;
}

void FileChangesFilter::setComparison(std::shared_ptr<const FilesComparison> comparison)
{
    m_comparison = std::move(comparison);
    invalidateFilter();
}

void FileChangesFilter::setKinds(quint8 kinds)
{
    kinds &= AllChangeKinds;
    if (kinds == m_kinds)
        return;
    m_kinds = kinds;
    invalidateFilter();
}

qint64 FileChangesFilter::recordOf(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid())
        return -1;
    bool ok = false;
    const qint64 record = sourceIndex.data(recordRole()).toLongLong(&ok);
    return ok ? record : -1;
}

bool FileChangesFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_comparison || !m_comparison->subtreeKinds)
        return true;
    const qint64 record = recordOf(sourceModel()->index(sourceRow, 0, sourceParent));
    const std::vector<quint8> &kinds = *m_comparison->subtreeKinds;
    if (record < 0 || record >= qint64(kinds.size()))
        return true;
    return (kinds[size_t(record)] & m_kinds) != 0;
}

QString FileChangesFilter::sizeText(qint64 record) const
{
    const IndexFile &tree = *m_comparison->diff.tree;
    const IndexRecord &entry = tree.record(record);
    if (ContentsEntry::Change(entry.change) != ContentsEntry::Change::Changed
        || ContentsEntry::Type(entry.type) != ContentsEntry::Type::File || !m_comparison->from)
        return {};
    const IndexFile &from = *m_comparison->from->tree;
    const qint64 old = from.find(tree.path(record));
    if (old < 0)
        return {};
    //: A changed file's size: before → after
    return tr("%1 → %2").arg(formatSize(from.record(old).size), formatSize(entry.size));
}

QVariant FileChangesFilter::data(const QModelIndex &index, int role) const
{
    const bool display = role == Qt::DisplayRole || role == Qt::ToolTipRole;
    if (!display || !m_comparison || !m_comparison->diff.tree
        || (index.column() != sizeColumn() && index.column() != changeColumn()))
        return QSortFilterProxyModel::data(index, role);
    const qint64 record = recordOf(mapToSource(index));
    if (record < 0 || record >= m_comparison->diff.tree->count())
        return {};
    if (index.column() == changeColumn())
        return ImageFilesModel::changeName(m_comparison->diff.tree->record(record).change);
    if (const QString text = sizeText(record); !text.isEmpty())
        return text;
    return QSortFilterProxyModel::data(index, role);
}

QVariant FileChangesFilter::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && section == changeColumn() && role == Qt::DisplayRole)
        return tr("Change");
    return QSortFilterProxyModel::headerData(section, orientation, role);
}

Result<std::vector<quint8>> FileChangesFilter::subtreeKinds(const IndexFile &tree,
                                                            const CancelToken &cancel)
{
    const qint64 count = tree.count();
    std::vector<quint8> kinds(size_t(count), 0);
    std::vector<qint64> open; // the records whose subtree holds the one being read
    const auto close = [&] {
        const qint64 done = open.back();
        open.pop_back();
        if (!open.empty())
            kinds[size_t(open.back())] |= kinds[size_t(done)];
    };
    for (qint64 i = 0; i < count; ++i) {
        if ((i & 0xffff) == 0 && cancel.isCancelled())
            return fail(Error::Kind::Cancelled, tr("Cancelled"));
        while (!open.empty() && qint64(tree.record(open.back()).subtreeEnd) <= i)
            close();
        kinds[size_t(i)] = changeKindBit(ContentsEntry::Change(tree.record(i).change));
        open.push_back(i);
    }
    while (!open.empty())
        close();
    return kinds;
}

} // namespace Berth
