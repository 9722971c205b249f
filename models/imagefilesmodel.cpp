#include "imagefilesmodel.h"

#include "common/background.h"
#include "common/humanize.h"

#include <QFont>

#include <algorithm>

namespace Berth {

namespace {

using Type = ContentsEntry::Type;
using Change = ContentsEntry::Change;

// Trees up to this many records are filtered at once on the GUI thread (a few milliseconds); a
// larger one on the thread pool, the previous rows staying until the answer comes.
constexpr qint64 SynchronousFilterLimit = 20'000;

Type typeOf(const IndexFile &tree, qint64 record)
{
    return Type(tree.record(record).type);
}

} // namespace

// A directory whose children the view asked for. The index of a row points at the Node of the
// directory that lists it; a Node is made only for a directory used as a parent.
struct ImageFilesModel::Node
{
    qint64 record = -1; // -1: the root
    Node *parent = nullptr;
    int row = 0;
    bool listed = false;
    std::vector<qint64> children; // records, in tree order (ascending)
    std::map<int, std::unique_ptr<Node>> nodes;
};

ImageFilesModel::ImageFilesModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{}

ImageFilesModel::~ImageFilesModel()
{
    m_filterCancel.cancel();
}

void ImageFilesModel::setTree(std::shared_ptr<const IndexFile> tree)
{
    beginResetModel();
    m_tree = std::move(tree);
    m_directorySizes.clear();
    m_visible = {};
    m_matches = m_tree ? m_tree->count() : 0;
    if (m_tree && m_filter.isActive() && m_tree->count() > SynchronousFilterLimit)
        m_visible.visible.assign(size_t(m_tree->count()), false); // until the filter answers
    resetNodes();
    endResetModel();
    if (m_filter.isActive())
        applyFilter();
}

void ImageFilesModel::setFilter(const FilesFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    if (m_filter.isActive()) {
        applyFilter();
        return;
    }
    m_filterCancel.cancel();
    ++m_filterGeneration;
    beginResetModel();
    m_visible = {};
    m_matches = m_tree ? m_tree->count() : 0;
    resetNodes();
    endResetModel();
    if (std::exchange(m_filtering, false))
        emit filteringChanged(false);
    emit filterApplied();
}

void ImageFilesModel::applyFilter()
{
    m_filterCancel.cancel();
    m_filterCancel = CancelToken();
    const int generation = ++m_filterGeneration;
    const auto show = [this, generation](FilesFilterResult result) {
        if (generation != m_filterGeneration)
            return;
        beginResetModel();
        m_matches = result.matches;
        m_visible = std::move(result);
        resetNodes();
        endResetModel();
        if (std::exchange(m_filtering, false))
            emit filteringChanged(false);
        emit filterApplied();
    };
    if (!m_tree) {
        show({});
        return;
    }
    if (m_tree->count() <= SynchronousFilterLimit) {
        show(filterTree(*m_tree, m_filter));
        return;
    }
    if (!std::exchange(m_filtering, true))
        emit filteringChanged(true);
    runInBackground(
        this,
        [tree = m_tree, filter = m_filter, cancel = m_filterCancel] {
            return filterTree(*tree, filter, cancel);
        },
        show);
}

void ImageFilesModel::setChangeColours(const QHash<int, QColor> &byChange)
{
    m_changeColours = byChange;
    if (m_root->listed && !m_root->children.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::ForegroundRole});
}

void ImageFilesModel::resetNodes()
{
    m_root = std::make_unique<Node>();
}

bool ImageFilesModel::isShown(qint64 record) const
{
    return m_visible.visible.empty() || m_visible.visible[size_t(record)];
}

const std::vector<qint64> &ImageFilesModel::childrenOf(Node *node) const
{
    if (!node->listed) {
        node->listed = true;
        if (m_tree) {
            node->children = m_tree->children(node->record);
            if (!m_visible.visible.empty())
                std::erase_if(node->children, [this](qint64 r) { return !isShown(r); });
        }
    }
    return node->children;
}

ImageFilesModel::Node *ImageFilesModel::childNode(Node *parent, int row) const
{
    auto it = parent->nodes.find(row);
    if (it != parent->nodes.end())
        return it->second.get();
    auto node = std::make_unique<Node>();
    node->record = childrenOf(parent).at(size_t(row));
    node->parent = parent;
    node->row = row;
    return parent->nodes.emplace(row, std::move(node)).first->second.get();
}

ImageFilesModel::Node *ImageFilesModel::nodeOf(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_root.get();
    return childNode(static_cast<Node *>(parent.internalPointer()), parent.row());
}

qint64 ImageFilesModel::recordAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return -1;
    const auto &children = childrenOf(static_cast<Node *>(index.internalPointer()));
    return size_t(index.row()) < children.size() ? children[size_t(index.row())] : -1;
}

QModelIndex ImageFilesModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, nodeOf(parent));
}

QModelIndex ImageFilesModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *node = static_cast<Node *>(child.internalPointer());
    if (node == m_root.get())
        return {};
    return createIndex(node->row, 0, node->parent);
}

int ImageFilesModel::rowCount(const QModelIndex &parent) const
{
    if (!m_tree || (parent.isValid() && parent.column() != NameColumn))
        return 0;
    if (parent.isValid() && typeOf(*m_tree, recordAt(parent)) != Type::Directory)
        return 0; // no Node for a file
    return int(childrenOf(nodeOf(parent)).size());
}

int ImageFilesModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool ImageFilesModel::hasChildren(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return rowCount() > 0;
    if (!m_tree || parent.column() != NameColumn)
        return false;
    const qint64 record = recordAt(parent);
    if (typeOf(*m_tree, record) != Type::Directory
        || qint64(m_tree->record(record).subtreeEnd) <= record + 1)
        return false;
    // Unfiltered, a directory with records below it has children: no list needed for the arrow.
    return m_visible.visible.empty() || rowCount(parent) > 0;
}

QVariant ImageFilesModel::data(const QModelIndex &index, int role) const
{
    const qint64 record = recordAt(index);
    if (record < 0 || !m_tree)
        return {};
    const IndexRecord &r = m_tree->record(record);
    switch (role) {
    case Qt::DisplayRole:
        return display(record, index.column());
    case Qt::DecorationRole:
        return index.column() == NameColumn ? decoration(record) : QVariant();
    case Qt::ToolTipRole:
        return toolTip(record);
    case Qt::AccessibleDescriptionRole:
        return changeName(r.change);
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == LayerColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole: {
        const auto it = m_changeColours.constFind(r.change);
        return it == m_changeColours.cend() ? QVariant() : QVariant(*it);
    }
    case Qt::FontRole:
        if (Change(r.change) != Change::Deleted)
            return {};
        {
            QFont font;
            font.setStrikeOut(true);
            return font;
        }
    case PathRole:
        return m_tree->path(record).toByteArray();
    case DisplayPathRole:
        return displayPath(m_tree->path(record));
    case NameRole:
        return displayPath(baseName(m_tree->path(record)));
    case RecordRole:
        return record;
    case TypeRole:
        return int(r.type);
    case ChangeRole:
        return int(r.change);
    case SizeBytesRole:
        return Type(r.type) == Type::Directory ? directorySize(record) : r.size;
    case LayerRole:
        return int(r.layer) + 1;
    case LinkTargetRole:
        return displayPath(m_tree->linkTarget(record));
    default:
        return {};
    }
}

QVariant ImageFilesModel::display(qint64 record, int column) const
{
    const IndexRecord &r = m_tree->record(record);
    switch (column) {
    case NameColumn: {
        const QString name = displayPath(baseName(m_tree->path(record)));
        if (Type(r.type) == Type::Symlink)
            return tr("%1 → %2").arg(name, displayPath(m_tree->linkTarget(record)));
        return name;
    }
    case SizeColumn: {
        const qint64 size = Type(r.type) == Type::Directory ? directorySize(record) : r.size;
        const bool hasSize = Type(r.type) == Type::File || Type(r.type) == Type::Directory;
        return hasSize && size >= 0 ? formatSize(size) : QString();
    }
    case ModeColumn:
        return modeString(Type(r.type), r.mode);
    case OwnerColumn:
        return QStringLiteral("%1:%2").arg(r.uid).arg(r.gid);
    case LayerColumn:
        return QString::number(r.layer + 1);
    default:
        return {};
    }
}

QVariant ImageFilesModel::decoration(qint64 record) const
{
    // Made on first use: a model may live where no icon is ever painted (tests, berthctl).
    if (m_folderIcon.isNull()) {
        m_folderIcon = QIcon::fromTheme(QStringLiteral("folder"));
        m_fileIcon = QIcon::fromTheme(QStringLiteral("text-plain"));
        m_linkIcon = QIcon::fromTheme(QStringLiteral("emblem-symbolic-link"));
        m_executableIcon = QIcon::fromTheme(QStringLiteral("application-x-executable"));
        m_otherIcon = QIcon::fromTheme(QStringLiteral("unknown"));
    }
    const IndexRecord &r = m_tree->record(record);
    switch (Type(r.type)) {
    case Type::Directory:
        return m_folderIcon;
    case Type::Symlink:
    case Type::HardLink:
        return m_linkIcon;
    case Type::File:
        return (r.mode & 0111) ? m_executableIcon : m_fileIcon;
    default:
        return m_otherIcon;
    }
}

QString ImageFilesModel::toolTip(qint64 record) const
{
    const IndexRecord &r = m_tree->record(record);
    QString tip = u'/' + displayPath(m_tree->path(record));
    if (Type(r.type) == Type::Symlink)
        tip += u'\n' + tr("Symbolic link to %1").arg(displayPath(m_tree->linkTarget(record)));
    else if (Type(r.type) == Type::HardLink)
        tip += u'\n' + tr("Hard link to /%1").arg(displayPath(m_tree->linkTarget(record)));
    const QString change = changeName(r.change);
    if (!change.isEmpty())
        tip += u'\n' + tr("%1 in layer %2").arg(change).arg(r.layer + 1);
    return tip;
}

qint64 ImageFilesModel::directorySize(qint64 record) const
{
    const auto cached = m_directorySizes.constFind(record);
    if (cached != m_directorySizes.cend())
        return *cached;
    const qint64 end = qint64(m_tree->record(record).subtreeEnd);
    qint64 total = -1;
    if (end - record <= DirectorySizeLimit) {
        total = 0;
        for (qint64 i = record + 1; i < end; ++i) {
            const IndexRecord &r = m_tree->record(i);
            if (Type(r.type) == Type::File && Change(r.change) != Change::Deleted)
                total += r.size;
        }
    }
    m_directorySizes.insert(record, total);
    return total;
}

QModelIndex ImageFilesModel::indexForRecord(qint64 record) const
{
    if (!m_tree || record < 0 || record >= m_tree->count() || !isShown(record))
        return {};
    // The directories above, outermost first, each found by its path (every parent has a record).
    std::vector<qint64> chain;
    for (QByteArrayView path = parentPath(m_tree->path(record)); !path.isEmpty();
         path = parentPath(path)) {
        const qint64 found = m_tree->find(path);
        if (found < 0)
            return {};
        chain.push_back(found);
    }
    Node *node = m_root.get();
    const auto rowIn = [this](Node *n, qint64 r) {
        const auto &children = childrenOf(n);
        const auto it = std::lower_bound(children.begin(), children.end(), r);
        return it != children.end() && *it == r ? int(it - children.begin()) : -1;
    };
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const int row = rowIn(node, *it);
        if (row < 0)
            return {};
        node = childNode(node, row);
    }
    const int row = rowIn(node, record);
    return row < 0 ? QModelIndex() : createIndex(row, NameColumn, node);
}

QModelIndex ImageFilesModel::indexForPath(QByteArrayView path) const
{
    return m_tree ? indexForRecord(m_tree->find(path)) : QModelIndex();
}

QVariant ImageFilesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SizeColumn:
        return tr("Size");
    case ModeColumn:
        return tr("Mode");
    case OwnerColumn:
        return tr("Owner");
    case LayerColumn:
        return tr("Layer");
    default:
        return {};
    }
}

QHash<int, QByteArray> ImageFilesModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(PathRole, "path");
    names.insert(DisplayPathRole, "displayPath");
    names.insert(NameRole, "name");
    names.insert(RecordRole, "record");
    names.insert(TypeRole, "type");
    names.insert(ChangeRole, "change");
    names.insert(SizeBytesRole, "sizeBytes");
    names.insert(LayerRole, "layer");
    names.insert(LinkTargetRole, "linkTarget");
    return names;
}

QString ImageFilesModel::changeName(int change)
{
    switch (Change(change)) {
    case Change::Added:
        return tr("Added");
    case Change::Changed:
        return tr("Changed");
    case Change::Deleted:
        return tr("Deleted");
    case Change::None:
        break;
    }
    return {};
}

} // namespace Berth
