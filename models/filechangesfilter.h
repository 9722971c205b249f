#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "contents/indexfile.h"

#include <QSortFilterProxyModel>

#include <memory>
#include <vector>

namespace Berth {

struct FilesComparison;

// The kinds of change a diff tree's row can stand for, as bits: a folder's bits are those of its
// whole subtree.
enum ChangeKind : quint8 {
    AddedKind = 1,
    ChangedKind = 2,
    DeletedKind = 4,
    AllChangeKinds = AddedKind | ChangedKind | DeletedKind,
};
quint8 changeKindBit(ContentsEntry::Change change);

// Over an ImageFilesModel showing a diff tree: keeps the rows whose subtree holds a change of the
// kinds asked for (a folder stays while anything under it is kept), without opening a folder to
// know it; shows a changed file's size as "old → new" (the old one read from the first image's
// tree) and, in place of the layer (which means nothing in a diff), the change in words, so that
// colour is not the only sign of it. Sorting is the source's (tree order).
class FileChangesFilter final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit FileChangesFilter(QObject *parent = nullptr);

    static int sizeColumn();
    static int changeColumn();
    static int recordRole();
    void setComparison(std::shared_ptr<const FilesComparison> comparison);
    quint8 kinds() const { return m_kinds; }
    void setKinds(quint8 kinds);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // One pass over a diff tree (its records' subtreeEnd make a subtree contiguous): for each
    // record the ChangeKind bits of its subtree, itself included.
    static Result<std::vector<quint8>> subtreeKinds(const IndexFile &tree,
                                                    const CancelToken &cancel = {});

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    qint64 recordOf(const QModelIndex &sourceIndex) const;
    QString sizeText(qint64 record) const;

    std::shared_ptr<const FilesComparison> m_comparison;
    quint8 m_kinds = AllChangeKinds;
};

} // namespace Berth
