#include "taggroupsmodel.h"

#include "common/guarded.h"
#include "common/humanize.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registry/registrytags.h"

#include <QFutureWatcher>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <numeric>

namespace Berth {

namespace {

QString platformsText(const QList<Platform> &platforms)
{
    QStringList names;
    names.reserve(platforms.size());
    for (const Platform &p : platforms)
        names.append(p.toString());
    return names.join(QStringLiteral(", "));
}

QList<Platform> tagPlatforms(const TagInfo &tag)
{
    QList<Platform> platforms;
    for (const PlatformImage &image : tag.images) {
        if (!image.platform.isUnknown() && !image.platform.os.isEmpty())
            platforms.append(image.platform);
    }
    return platforms;
}

QStringList platformNames(const QList<Platform> &platforms)
{
    QStringList names;
    names.reserve(platforms.size());
    for (const Platform &p : platforms)
        names.append(p.toString());
    return names;
}

QString shortDigest(const Digest &digest)
{
    // "sha256:" and twelve hex digits, as docker shows an image ID.
    return digest.isValid() ? digest.algorithm() + u':' + digest.shortId() : QString();
}

QString dateTooltip(const QDateTime &when)
{
    return when.isValid() ? QLocale().toString(when.toLocalTime(), QLocale::LongFormat) : QString();
}

} // namespace

TagGroupsModel::TagGroupsModel(HubClient *hub, RegistryClient *registry, QObject *parent)
    : QAbstractItemModel(parent)
    , m_hub(hub)
    , m_registry(registry)
{}

void TagGroupsModel::setRepository(const ImageReference &repository)
{
    m_repository = repository;
    reload();
}

void TagGroupsModel::reload()
{
    clear();
    if (!m_repository.isValid())
        return;
    const int generation = m_generation;
    auto done = guarded(this, [this, generation](Result<QList<TagInfo>> tags) {
        tagsArrived(generation, std::move(tags));
    });
    auto progress = guarded(this, [this, generation](int finished, int total) {
        if (m_generation == generation)
            emit progressChanged(finished, total);
    });
    auto partial = guarded(
        this, [this, generation](const QList<TagInfo> &ready) { addTags(generation, ready); });

    setLoading(true);
    if (m_repository.isDockerHub() && m_hub) {
        const QString path = m_repository.path();
        m_hub->tags(path.section(u'/', 0, 0), path.section(u'/', 1), done, progress);
    } else if (m_registry) {
        listRegistryTags(*m_registry, m_repository, TagListing{done, progress, {}, partial});
    } else {
        tagsArrived(generation,
                    fail(Error::Kind::Unsupported,
                         tr("Berth cannot list the tags of %1 here.")
                             .arg(m_repository.familiarRepository())));
    }
}

void TagGroupsModel::tagsArrived(int generation, Result<QList<TagInfo>> tags)
{
    if (generation != m_generation)
        return; // another repository (or a reload) took over meanwhile
    if (!tags) {
        setLoading(false);
        if (!tags.error().isCancelled())
            emit errorOccurred(tags.error());
        return;
    }
    // Grouping a large repository's tags (10,000 on some Hub images) takes tens of ms: on the
    // thread pool, still loading meanwhile, so the GUI thread only swaps the rows in.
    auto *watcher = new QFutureWatcher<Rows>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        setLoading(false);
        settle(watcher->result());
        emit loaded();
    });
    watcher->setFuture(QtConcurrent::run([tags = std::move(*tags)] { return buildRows(tags); }));
}

void TagGroupsModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void TagGroupsModel::setTags(const QList<TagInfo> &tags)
{
    setRows(buildRows(tags));
}

TagGroupsModel::Rows TagGroupsModel::buildRows(const QList<TagInfo> &tags)
{
    // Linear: one hash of names, one pass to attach each tag to its image.
    QHash<QString, qsizetype> byName;
    byName.reserve(tags.size());
    for (qsizetype i = 0; i < tags.size(); ++i)
        byName.insert(tags.at(i).name, i);

    Rows rows;
    rows.slotOfTag.reserve(tags.size());
    const QList<TagGroup> groups = groupTagsByDigest(tags);
    rows.groups.reserve(groups.size());
    for (const TagGroup &group : groups) {
        Row row;
        row.group = group;
        row.platformsText = platformsText(group.platforms());
        row.tags.reserve(group.tags.size());
        for (const QString &name : group.tags) {
            const qsizetype at = byName.value(name, -1);
            TagInfo tag = at >= 0 ? tags.at(at) : TagInfo{};
            tag.name = name;
            rows.slotOfTag.insert(name, int(rows.groups.size()));
            row.tags.append(std::move(tag));
        }
        if (!row.tags.isEmpty()) {
            const QString key = tagGroupKey(row.tags.constFirst());
            if (!key.isEmpty())
                rows.slotOfGroup.insert(key, int(rows.groups.size()));
        }
        rows.groups.append(std::move(row));
    }
    return rows;
}

void TagGroupsModel::setRows(Rows rows)
{
    beginResetModel();
    m_slots = std::move(rows.groups);
    m_slotOfTag = std::move(rows.slotOfTag);
    m_slotOfGroup = std::move(rows.slotOfGroup);
    m_order.resize(m_slots.size());
    std::iota(m_order.begin(), m_order.end(), 0);
    m_rowOfSlot = m_order;
    m_tagCount = int(m_slotOfTag.size());
    endResetModel();
}

void TagGroupsModel::clear()
{
    ++m_generation;
    setLoading(false);
    if (m_slots.isEmpty())
        return;
    beginResetModel();
    m_slots.clear();
    m_order.clear();
    m_rowOfSlot.clear();
    m_slotOfTag.clear();
    m_slotOfGroup.clear();
    m_tagCount = 0;
    endResetModel();
}

int TagGroupsModel::slotOf(const QModelIndex &index) const
{
    return index.internalId() == GroupId ? m_order.at(index.row()) : int(index.internalId() - 1);
}

const TagGroup *TagGroupsModel::groupOf(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const int slot = slotOf(index);
    return slot < m_slots.size() ? &m_slots.at(slot).group : nullptr;
}

std::optional<TagInfo> TagGroupsModel::tagAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return std::nullopt;
    const Row &row = m_slots.at(slotOf(index));
    if (index.internalId() != GroupId)
        return row.tags.at(index.row());
    if (row.tags.isEmpty())
        return std::nullopt;
    return row.tags.first();
}

QModelIndex TagGroupsModel::indexOfTag(const QString &name, int column) const
{
    const int slot = m_slotOfTag.value(name, -1);
    if (slot < 0)
        return {};
    const int row = int(m_slots.at(slot).group.tags.indexOf(name));
    return row < 0 ? QModelIndex() : createIndex(row, column, quintptr(slot + 1));
}

QModelIndex TagGroupsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_order.size() ? createIndex(row, column, GroupId) : QModelIndex();
    if (parent.column() != 0 || parent.internalId() != GroupId || parent.row() >= m_order.size())
        return {};
    const int slot = m_order.at(parent.row());
    if (row >= m_slots.at(slot).tags.size())
        return {};
    return createIndex(row, column, quintptr(slot + 1));
}

QModelIndex TagGroupsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == GroupId)
        return {};
    return createIndex(m_rowOfSlot.at(int(child.internalId() - 1)), 0, GroupId);
}

int TagGroupsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_order.size());
    if (parent.column() != 0 || parent.internalId() != GroupId)
        return 0;
    return int(rowAt(parent.row()).tags.size());
}

int TagGroupsModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool TagGroupsModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant TagGroupsModel::groupData(const Row &row, int column, int role) const
{
    const TagGroup &g = row.group;
    const bool raw = role == RawValueRole;
    const bool tip = role == Qt::ToolTipRole;
    switch (Column(column)) {
    case NameColumn:
        if (raw)
            return g.tags.isEmpty() ? QString() : g.tags.first();
        if (tip)
            return g.tags.join(u'\n');
        return g.tags.join(QStringLiteral(", "));
    case PlatformsColumn:
        return row.platformsText;
    case SizeColumn:
        if (raw)
            return g.size;
        if (tip)
            return QVariant();
        return g.size > 0 ? formatSize(g.size) : QString();
    case LastPushedColumn:
        if (raw)
            return g.lastPushed;
        return tip ? dateTooltip(g.lastPushed) : formatAge(g.lastPushed);
    case DigestColumn:
        if (g.digestUnknown && !raw)
            return tip ? tr("Berth looked up the digests of the first %1 tags only; these tags "
                            "may point at any image.")
                             .arg(MaxDigestLookups)
                       : tr("Digest unknown");
        return raw || tip ? g.digest.toString() : shortDigest(g.digest);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TagGroupsModel::tagData(const Row &row, const TagInfo &tag, int column, int role) const
{
    const bool raw = role == RawValueRole;
    const bool tip = role == Qt::ToolTipRole;
    switch (Column(column)) {
    case NameColumn:
        return tag.name;
    case PlatformsColumn:
        // The Hub lists platforms per tag; a registry's tags share their image's.
        return tag.images.isEmpty() ? row.platformsText : platformsText(tagPlatforms(tag));
    case SizeColumn:
        if (raw)
            return tag.size;
        if (tip)
            return QVariant();
        return tag.size > 0 ? formatSize(tag.size) : QString();
    case LastPushedColumn:
        if (raw)
            return tag.lastUpdated;
        return tip ? dateTooltip(tag.lastUpdated) : formatAge(tag.lastUpdated);
    case DigestColumn:
        return raw || tip ? tag.digest.toString() : shortDigest(tag.digest);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TagGroupsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const bool isGroup = index.internalId() == GroupId;
    const Row &row = m_slots.at(slotOf(index));
    const TagInfo *tag = isGroup ? nullptr : &row.tags.at(index.row());

    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case RawValueRole:
        return isGroup ? groupData(row, index.column(), role)
                       : tagData(row, *tag, index.column(), role);
    case Qt::AccessibleTextRole:
        if (isGroup && index.column() == NameColumn)
            return tr("Image with tags %1").arg(row.group.tags.join(QStringLiteral(", ")));
        return isGroup ? groupData(row, index.column(), Qt::DisplayRole)
                       : tagData(row, *tag, index.column(), Qt::DisplayRole);
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case IsGroupRole:
        return isGroup;
    case TagNameRole:
        if (tag)
            return tag->name;
        return row.group.tags.isEmpty() ? QString() : row.group.tags.first();
    case TagNamesRole:
        return isGroup ? row.group.tags : QStringList{tag->name};
    case DigestRole:
        return tag ? tag->digest.toString() : row.group.digest.toString();
    case PlatformsRole:
        if (tag && !tag->images.isEmpty())
            return platformNames(tagPlatforms(*tag));
        return platformNames(row.group.platforms());
    default:
        return {};
    }
}

QVariant TagGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case NameColumn:
        return tr("Tags");
    case PlatformsColumn:
        return tr("Platforms");
    case SizeColumn:
        return tr("Compressed size");
    case LastPushedColumn:
        return tr("Last pushed");
    case DigestColumn:
        return tr("Digest");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> TagGroupsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(RawValueRole, "rawValue");
    names.insert(IsGroupRole, "isGroup");
    names.insert(TagNameRole, "tagName");
    names.insert(TagNamesRole, "tagNames");
    names.insert(DigestRole, "digest");
    names.insert(PlatformsRole, "platforms");
    return names;
}

} // namespace Berth
