#include "localimagesmodel.h"
#include "updatechecker.h"

#include "common/humanize.h"
#include "store/imageinuse.h"

#include <QHash>
#include <QLocale>

namespace Berth {

namespace {

QStringList sortedTags(const LocalImage &image)
{
    QStringList tags = image.repoTags;
    tags.removeAll(QString());
    tags.sort();
    tags.removeDuplicates();
    return tags;
}

// "node:15" and "docker.io/library/node:15" name the same tag.
QString familiar(const QString &name)
{
    const auto parsed = ImageReference::parse(name);
    return parsed ? parsed->familiarString() : name;
}

// "Used by the containers web (running), db (stopped)".
QString usedByText(const QList<LocalContainer> &containers)
{
    if (containers.isEmpty())
        return {};
    QStringList described;
    for (const LocalContainer &c : containers) {
        QString name = c.names.value(0);
        if (name.startsWith(u'/'))
            name.remove(0, 1);
        described.append(LocalImagesModel::tr("%1 (%2)").arg(name.isEmpty() ? c.id.left(12) : name,
                                                             containerStateWord(c.state)));
    }
    return LocalImagesModel::tr("Used by the container(s) %1", nullptr, int(containers.size()))
        .arg(described.join(u", "));
}

} // namespace

LocalImagesModel::LocalImagesModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

LocalImagesModel::~LocalImagesModel() = default;

struct LocalImagesModel::Listing
{
    quint64 generation = 0;
    int waiting = 0;
    std::optional<Result<QList<LocalImage>>> images;
    QList<LocalContainer> containers; // empty when the backend has none or they failed
};

void LocalImagesModel::setBackend(ImageBackend *backend)
{
    if (m_backend == backend)
        return;
    ++m_generation; // an answer from the previous backend is dropped
    if (m_backend)
        disconnect(m_backend, nullptr, this, nullptr);
    m_backend = backend;
    beginResetModel();
    m_images.clear();
    m_users.clear();
    endResetModel();
    m_error.clear();
    setLoading(false);
    if (backend) {
        connect(backend, &ImageBackend::imagesChanged, this, &LocalImagesModel::refresh);
        connect(backend, &ImageBackend::containersChanged, this, &LocalImagesModel::refresh);
        backend->startWatching();
    }
}

void LocalImagesModel::refresh()
{
    if (!m_backend) {
        m_error = tr("No image store is open.");
        emit refreshFailed(m_error);
        return;
    }
    auto listing = std::make_shared<Listing>();
    listing->generation = ++m_generation;
    listing->waiting = m_backend->hasContainers() ? 2 : 1;
    setLoading(true);
    QPointer<LocalImagesModel> self(this);
    // Both lists at once: the In use column costs no extra wait.
    m_backend->listImages([self, listing](Result<QList<LocalImage>> images) {
        listing->images = std::move(images);
        if (self)
            self->listed(listing);
    });
    if (!m_backend->hasContainers())
        return;
    m_backend->listContainers([self, listing](Result<QList<LocalContainer>> containers) {
        // Without the containers the images are still worth showing, only not marked in use.
        if (containers)
            listing->containers = std::move(*containers);
        if (self)
            self->listed(listing);
    });
}

void LocalImagesModel::listed(const std::shared_ptr<Listing> &listing)
{
    if (--listing->waiting > 0 || listing->generation != m_generation)
        return;
    setLoading(false);
    Result<QList<LocalImage>> &images = *listing->images;
    if (!images) {
        m_error = images.error().message;
        emit refreshFailed(m_error);
        return;
    }
    m_error.clear();
    applyUsers(listing->containers);
    apply(std::move(*images));
    emit refreshed();
}

void LocalImagesModel::applyUsers(const QList<LocalContainer> &containers)
{
    m_users.clear();
    for (const LocalContainer &c : containers) {
        if (c.imageId.isValid())
            m_users[c.imageId.toString()].append(c);
    }
}

QStringList LocalImagesModel::usersOf(const LocalImage &image) const
{
    QStringList names;
    for (const LocalContainer &c : m_users.value(image.id.toString())) {
        QString name = c.names.value(0);
        if (name.startsWith(u'/'))
            name.remove(0, 1);
        names.append(name.isEmpty() ? c.id.left(12) : name);
    }
    return names;
}

void LocalImagesModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void LocalImagesModel::apply(QList<LocalImage> images)
{
    // Newest first, as docker lists them; a proxy may sort otherwise.
    std::stable_sort(images.begin(), images.end(), [](const LocalImage &a, const LocalImage &b) {
        return a.created > b.created;
    });
    QHash<QString, qsizetype> incoming;
    for (qsizetype i = 0; i < images.size(); ++i)
        incoming.insert(images.at(i).id.toString(), i);

    // Gone: removed from the bottom up so the rows still to visit keep their numbers.
    for (int row = int(m_images.size()) - 1; row >= 0; --row) {
        if (incoming.contains(m_images[size_t(row)]->image.id.toString()))
            continue;
        beginRemoveRows({}, row, row);
        m_images.erase(m_images.begin() + row);
        endRemoveRows();
    }

    // Still there: tags may have come or gone, sizes changed.
    QSet<QString> known;
    for (int row = 0; row < int(m_images.size()); ++row) {
        Entry &entry = *m_images[size_t(row)];
        const QString id = entry.image.id.toString();
        known.insert(id);
        const LocalImage &fresh = images.at(incoming.value(id));
        const QStringList tags = sortedTags(fresh);
        const QModelIndex parent = createIndex(row, 0, nullptr);
        if (tags != entry.tags) {
            if (!entry.children.isEmpty()) {
                beginRemoveRows(parent, 0, int(entry.children.size()) - 1);
                entry.children.clear();
                endRemoveRows();
            }
            entry.tags = tags;
            if (tags.size() > 1) {
                beginInsertRows(parent, 0, int(tags.size()) - 1);
                entry.children = tags;
                endInsertRows();
            }
        }
        entry.image = fresh;
        emit dataChanged(parent, createIndex(row, ColumnCount - 1, nullptr));
    }

    // New.
    std::vector<std::unique_ptr<Entry>> added;
    for (const LocalImage &image : std::as_const(images)) {
        if (known.contains(image.id.toString()))
            continue;
        auto entry = std::make_unique<Entry>();
        entry->image = image;
        entry->tags = sortedTags(image);
        if (entry->tags.size() > 1)
            entry->children = entry->tags;
        added.push_back(std::move(entry));
    }
    if (!added.empty()) {
        const int first = int(m_images.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (auto &entry : added)
            m_images.push_back(std::move(entry));
        endInsertRows();
    }
}

int LocalImagesModel::rowOf(const Entry *entry) const
{
    for (size_t i = 0; i < m_images.size(); ++i) {
        if (m_images[i].get() == entry)
            return int(i);
    }
    return -1;
}

LocalImage LocalImagesModel::image(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    if (const auto *entry = static_cast<const Entry *>(index.internalPointer()))
        return entry->image;
    return m_images[size_t(index.row())]->image;
}

QModelIndex LocalImagesModel::find(const QString &idOrTag) const
{
    const QString wanted = idOrTag.trimmed();
    if (wanted.isEmpty())
        return {};
    const QString hex = wanted.startsWith(u"sha256:") ? wanted.mid(7) : wanted;
    const QString tag = familiar(wanted);
    for (size_t row = 0; row < m_images.size(); ++row) {
        const Entry &entry = *m_images[row];
        if (entry.image.id.toString() == wanted
            || (hex.size() >= 4 && entry.image.id.encoded().startsWith(hex)))
            return createIndex(int(row), 0, nullptr);
        for (qsizetype t = 0; t < entry.tags.size(); ++t) {
            if (entry.tags.at(t) != tag && entry.tags.at(t) != wanted)
                continue;
            if (entry.children.isEmpty())
                return createIndex(int(row), 0, nullptr);
            return createIndex(int(t), 0, const_cast<Entry *>(&entry));
        }
    }
    return {};
}

QModelIndex LocalImagesModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, nullptr);
    return createIndex(row, column, m_images[size_t(parent.row())].get());
}

QModelIndex LocalImagesModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const auto *entry = static_cast<const Entry *>(child.internalPointer());
    if (!entry)
        return {};
    const int row = rowOf(entry);
    return row < 0 ? QModelIndex() : createIndex(row, 0, nullptr);
}

int LocalImagesModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_images.size());
    if (parent.column() != 0 || parent.internalPointer())
        return 0;
    return int(m_images[size_t(parent.row())]->children.size());
}

int LocalImagesModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

Qt::ItemFlags LocalImagesModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.internalPointer())
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant LocalImagesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const auto *entry = static_cast<const Entry *>(index.internalPointer());
    QVariant value = entry ? tagData(*entry, index.row(), index.column(), role)
                           : imageData(*m_images[size_t(index.row())], index.column(), role);
    // A screen reader hears the chip the name column shows.
    if (role == Qt::AccessibleTextRole && index.column() == NameColumn
        && UpdateState(data(index, UpdateStateRole).toInt()) == UpdateState::UpdateAvailable)
        return tr("%1, update available").arg(value.toString());
    return value;
}

QVariant LocalImagesModel::imageData(const Entry &entry, int column, int role) const
{
    const LocalImage &image = entry.image;
    switch (role) {
    case IdRole:
        return image.id.toString();
    case TagsRole:
        return entry.tags;
    case ReferenceRole:
        return entry.tags.size() == 1 ? entry.tags.first() : image.id.toString();
    case IsTagRole:
        return false;
    case InUseRole:
        return m_users.contains(image.id.toString());
    case UsersRole:
        return usersOf(image);
    case UpdateStateRole:
    case UpdateTextRole:
    case OutdatedTagsRole:
        return updateData(entry.tags, role);
    case Qt::ToolTipRole:
        if (column == InUseColumn)
            return usedByText(m_users.value(image.id.toString()));
        if (column == IdColumn)
            return image.id.toString();
        if (column == CreatedColumn)
            return QLocale().toString(image.created.toLocalTime(), QLocale::LongFormat);
        return entry.tags.isEmpty() ? tr("Untagged image %1").arg(image.id.shortId())
                                    : entry.tags.join(u'\n');
    case Qt::TextAlignmentRole:
        if (column == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (Column(column)) {
        case NameColumn:
            return entry.tags.isEmpty() ? tr("<none>") : entry.tags.join(u", ");
        case InUseColumn:
            return m_users.contains(image.id.toString()) ? tr("In use") : QString();
        case IdColumn:
            return image.id.shortId();
        case CreatedColumn:
            return formatAge(image.created);
        case SizeColumn:
            return formatSize(image.size);
        case PlatformColumn:
            return image.platform.os.isEmpty() ? QString() : image.platform.toString();
        case ColumnCount:
            break;
        }
        return {};
    case RawValueRole:
        switch (Column(column)) {
        case NameColumn:
            return entry.tags.value(0);
        case InUseColumn:
            return int(m_users.value(image.id.toString()).size());
        case IdColumn:
            return image.id.toString();
        case CreatedColumn:
            return image.created;
        case SizeColumn:
            return image.size;
        case PlatformColumn:
            return image.platform.os.isEmpty() ? QString() : image.platform.toString();
        case ColumnCount:
            break;
        }
        return {};
    default:
        return {};
    }
}

QVariant LocalImagesModel::tagData(const Entry &entry, int row, int column, int role) const
{
    const QString tag = entry.children.value(row);
    switch (role) {
    case IdRole:
        return entry.image.id.toString();
    case TagsRole:
        return QStringList{tag};
    case ReferenceRole:
        return tag;
    case IsTagRole:
        return true;
    case InUseRole:
    case UsersRole:
        return imageData(entry, column, role);
    case UpdateStateRole:
    case UpdateTextRole:
    case OutdatedTagsRole:
        return updateData({tag}, role);
    case Qt::ToolTipRole:
        return tr("%1, image %2").arg(tag, entry.image.id.shortId());
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return column == NameColumn ? QVariant(tag) : QVariant();
    case RawValueRole:
        // Tag rows sort among themselves by name; the other columns are their image's.
        return column == NameColumn ? QVariant(tag) : imageData(entry, column, RawValueRole);
    default:
        return {};
    }
}

QVariant LocalImagesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Repository:tag");
    case InUseColumn:
        return tr("In use");
    case IdColumn:
        return tr("Image ID");
    case CreatedColumn:
        return tr("Created");
    case SizeColumn:
        return tr("Size");
    case PlatformColumn:
        return tr("Platform");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> LocalImagesModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(RawValueRole, "rawValue");
    names.insert(IdRole, "imageId");
    names.insert(TagsRole, "tags");
    names.insert(ReferenceRole, "reference");
    names.insert(IsTagRole, "isTag");
    names.insert(InUseRole, "inUse");
    names.insert(UsersRole, "usedBy");
    names.insert(UpdateStateRole, "updateState");
    names.insert(UpdateTextRole, "updateText");
    names.insert(OutdatedTagsRole, "outdatedTags");
    return names;
}

void LocalImagesModel::setUpdateChecker(UpdateChecker *checker)
{
    if (m_checker)
        disconnect(m_checker, nullptr, this, nullptr);
    m_checker = checker;
    if (m_checker)
        connect(
            m_checker, &UpdateChecker::statusChanged, this, &LocalImagesModel::updateStatusChanged);
    if (!m_images.empty())
        emit dataChanged(index(0, 0), index(int(m_images.size()) - 1, ColumnCount - 1));
}

UpdateChecker *LocalImagesModel::updateChecker() const
{
    return m_checker;
}

void LocalImagesModel::updateStatusChanged(const QString &tag)
{
    const QModelIndex row = find(tag);
    if (!row.isValid())
        return;
    const QList<int> roles{UpdateStateRole, UpdateTextRole, OutdatedTagsRole};
    emit dataChanged(row.siblingAtColumn(0), row.siblingAtColumn(ColumnCount - 1), roles);
    // The image row sums up its tags.
    if (const QModelIndex image = row.parent(); image.isValid())
        emit dataChanged(image.siblingAtColumn(0), image.siblingAtColumn(ColumnCount - 1), roles);
}

namespace {

// Which of a row's tag states the image row shows: an update first, then what needs attention.
int updatePriority(UpdateState state)
{
    switch (state) {
    case UpdateState::UpdateAvailable:
        return 5;
    case UpdateState::NotInRegistry:
        return 4;
    case UpdateState::Failed:
        return 3;
    case UpdateState::UpToDate:
        return 2;
    case UpdateState::LocalOnly:
        return 1;
    case UpdateState::Unknown:
        break;
    }
    return 0;
}

QString updateLine(const UpdateStatus &s)
{
    switch (s.state) {
    case UpdateState::UpdateAvailable:
        return tr("%1: the registry has %2, this image came from %3.")
            .arg(s.name, s.remote.toString(), s.local.toString());
    case UpdateState::UpToDate:
        return tr("%1: up to date (%2).").arg(s.name, s.remote.toString());
    case UpdateState::NotInRegistry:
    case UpdateState::LocalOnly:
    case UpdateState::Failed:
        return s.message;
    case UpdateState::Unknown:
        break;
    }
    return {};
}

} // namespace

QVariant LocalImagesModel::updateData(const QStringList &tags, int role) const
{
    UpdateState state = UpdateState::Unknown;
    QStringList lines;
    QStringList outdated;
    for (const QString &tag : tags) {
        const UpdateStatus s = m_checker ? m_checker->status(tag) : UpdateStatus{};
        if (updatePriority(s.state) > updatePriority(state))
            state = s.state;
        if (const QString line = updateLine(s); !line.isEmpty())
            lines << line;
        if (s.state == UpdateState::UpdateAvailable)
            outdated << tag;
    }
    if (role == UpdateStateRole)
        return int(state);
    if (role == OutdatedTagsRole)
        return outdated;
    return lines.join(u'\n');
}

} // namespace Berth
