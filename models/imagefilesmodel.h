#pragma once

#include "imagefilesfilter.h"

#include "common/cancel.h"
#include "contents/indexfile.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QHash>
#include <QIcon>

#include <map>
#include <memory>
#include <vector>

namespace Berth {

// An image's files as a tree over an IndexFile (a merged tree, a layer's view of it, or a diff
// tree), lazily: a directory's children are listed from the index (each record's subtreeEnd skips
// the grandchildren) when the view first asks for them, and only those lists are kept, so memory
// follows what the user opened, not the image. The name filter and "only this layer's changes"
// run over the whole index on the thread pool (filterTree) and show the matches with their
// directories; filteringChanged() says when they are ready.
class ImageFilesModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_PROPERTY(bool filtering READ isFiltering NOTIFY filteringChanged)

public:
    enum Column { NameColumn, SizeColumn, ModeColumn, OwnerColumn, LayerColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        PathRole = Qt::UserRole + 1, // QByteArray: the path's own bytes
        DisplayPathRole,             // QString: the whole path, escaped (displayPath)
        NameRole,                    // QString: the base name, escaped, without a link's target
        RecordRole,                  // qint64: the record in the index
        TypeRole,                    // int: ContentsEntry::Type
        ChangeRole,                  // int: ContentsEntry::Change
        SizeBytesRole,               // qint64: a file's size, a directory's subtree total (or -1)
        LayerRole,                   // int: the layer, 1-based
        LinkTargetRole,              // QString: a link's target, escaped
    };
    Q_ENUM(Role)

    // A directory's subtree size is summed when it has at most this many records below it; a
    // larger one (a million-file /usr) would cost a visible pause, and its size shows empty.
    static constexpr qint64 DirectorySizeLimit = 250'000;

    explicit ImageFilesModel(QObject *parent = nullptr);
    ~ImageFilesModel() override;

    // Shows `tree` (null: nothing); the filter stays and is applied to the new tree.
    void setTree(std::shared_ptr<const IndexFile> tree);
    std::shared_ptr<const IndexFile> tree() const { return m_tree; }

    void setFilter(const FilesFilter &filter);
    FilesFilter filter() const { return m_filter; }
    // A filter is being applied in the background: the rows shown are the previous ones.
    bool isFiltering() const { return m_filtering; }
    // Records the filter matched (the whole tree without a filter).
    qint64 matchCount() const { return m_matches; }

    // The colours that mark added, changed and deleted entries (the UI picks them to fit its
    // palette); none by default.
    void setChangeColours(const QHash<int, QColor> &byChange);

    // The record's row (in the Name column), listing the directories above it as needed;
    // invalid when the record is not shown (filtered out, or no such record).
    QModelIndex indexForRecord(qint64 record) const;
    QModelIndex indexForPath(QByteArrayView path) const;
    qint64 recordAt(const QModelIndex &index) const; // -1 for an invalid index

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString changeName(int change); // "Added", "Changed", "Deleted", or empty

signals:
    void filteringChanged(bool filtering);
    // The rows now follow the filter asked last (after a reset).
    void filterApplied();

private:
    struct Node;
    Node *nodeOf(const QModelIndex &parent) const; // the directory whose children `parent` lists
    Node *childNode(Node *parent, int row) const;
    const std::vector<qint64> &childrenOf(Node *node) const;
    bool isShown(qint64 record) const;
    QVariant display(qint64 record, int column) const;
    QVariant decoration(qint64 record) const;
    QString toolTip(qint64 record) const;
    qint64 directorySize(qint64 record) const;
    void applyFilter();
    void resetNodes();

    std::shared_ptr<const IndexFile> m_tree;
    std::unique_ptr<Node> m_root;
    FilesFilter m_filter;
    FilesFilterResult m_visible; // empty visible: everything shown
    qint64 m_matches = 0;
    bool m_filtering = false;
    int m_filterGeneration = 0;
    CancelToken m_filterCancel;
    QHash<int, QColor> m_changeColours;
    mutable QHash<qint64, qint64> m_directorySizes; // of directories shown so far
    mutable QIcon m_folderIcon;
    mutable QIcon m_fileIcon;
    mutable QIcon m_linkIcon;
    mutable QIcon m_executableIcon;
    mutable QIcon m_otherIcon;
};

} // namespace Berth
