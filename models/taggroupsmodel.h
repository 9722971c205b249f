#pragma once

#include "common/result.h"
#include "reference/imagereference.h"
#include "registry/taggrouping.h"
#include "registry/taginfo.h"

#include <QAbstractItemModel>
#include <QPointer>

#include <optional>

namespace Berth {

class HubClient;
class RegistryClient;

// A repository's tags as a tree: one top-level row per image (the digest its tags share), its
// tags as children. Loads from the Hub API for Docker Hub repositories and from manifest HEADs
// for any other registry; setTags() takes a list from elsewhere. A registry's images appear as
// soon as each is described and grow as their other tags answer (rows inserted, in
// groupTagsByDigest's order, persistent indexes kept); the whole list then settles the order of
// any images that tie.
class TagGroupsModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)

public:
    enum Column {
        NameColumn,
        PlatformsColumn,
        SizeColumn,
        LastPushedColumn,
        DigestColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        RawValueRole = Qt::UserRole + 1, // the column's value unformatted (qint64, QDateTime, …)
        IsGroupRole,                     // true on image rows, false on tag rows
        TagNameRole,   // a tag row's name; an image row's first (most specific) tag
        TagNamesRole,  // QStringList: every tag of the image
        DigestRole,    // "sha256:…"
        PlatformsRole, // QStringList of "os/arch[/variant]"
    };
    Q_ENUM(Role)

    // Either client may be null when that kind of repository is never shown.
    TagGroupsModel(HubClient *hub, RegistryClient *registry, QObject *parent = nullptr);

    // Clears, then loads the tags of `repository` (its tag and digest are ignored).
    void setRepository(const ImageReference &repository);
    ImageReference repository() const { return m_repository; }
    void reload();
    // Replaces the rows with these tags, grouped by digest.
    void setTags(const QList<TagInfo> &tags);
    void clear();

    bool isLoading() const { return m_loading; }
    int tagCount() const { return m_tagCount; }
    int groupCount() const { return int(m_order.size()); }

    // The image row `row` (a top-level row).
    const TagGroup &group(int row) const { return rowAt(row).group; }
    // The image an index belongs to (its own row for an image, its parent's for a tag).
    const TagGroup *groupOf(const QModelIndex &index) const;
    // A tag row's tag; an image row's first tag.
    std::optional<TagInfo> tagAt(const QModelIndex &index) const;
    // The tag row of `name`, invalid when there is none.
    QModelIndex indexOfTag(const QString &name, int column = NameColumn) const;
    // Tag names of image row `row`, most specific first (no copy, for filters).
    const QStringList &tagNames(int row) const { return rowAt(row).group.tags; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void loadingChanged(bool loading);
    // Pages (Hub) or manifests (registry) done out of total, while loading.
    void progressChanged(int done, int total);
    void loaded();
    void errorOccurred(const Berth::Error &error);

private:
    struct Row
    {
        TagGroup group;
        QList<TagInfo> tags; // in group.tags order
        QString platformsText;
    };
    // Image rows carry GroupId as internal id, tag rows their image's slot + 1.
    static constexpr quintptr GroupId = 0;
    // Images are kept in slots that never move, so that a tag row's internal id (its image's
    // slot + 1) stays valid while images are inserted and reordered; m_order maps rows to slots.
    struct Rows
    {
        QList<Row> groups;               // in row order when built
        QHash<QString, int> slotOfTag;   // tag name -> slot
        QHash<QString, int> slotOfGroup; // tagGroupKey() -> slot
    };

    // Pure, so that a long list can be grouped on the thread pool.
    static Rows buildRows(const QList<TagInfo> &tags);
    void setRows(Rows rows);
    void tagsArrived(int generation, Result<QList<TagInfo>> tags);
    void settle(Rows rows);
    void setLoading(bool loading);
    QVariant groupData(const Row &row, int column, int role) const;
    QVariant tagData(const Row &row, const TagInfo &tag, int column, int role) const;
    const Row &rowAt(int row) const { return m_slots.at(m_order.at(row)); }
    int slotOf(const QModelIndex &index) const;

    // Growing while a registry's tags arrive (taggroupsmodelgrowth.cpp).
    void addTags(int generation, const QList<TagInfo> &ready);
    void addGroup(const QList<TagInfo> &tags);
    void addToGroup(int slot, const TagInfo &tag);
    void keepInOrder(int slot);
    int rowForGroup(const TagGroup &group, int skipSlot) const;
    void renumberRows(int from);
    bool sameTags(const Rows &rows) const;

    QPointer<HubClient> m_hub;
    QPointer<RegistryClient> m_registry;
    ImageReference m_repository;
    QList<Row> m_slots;
    QList<int> m_order;     // row -> slot
    QList<int> m_rowOfSlot; // slot -> row
    QHash<QString, int> m_slotOfTag;
    QHash<QString, int> m_slotOfGroup;
    int m_tagCount = 0;
    int m_generation = 0;
    bool m_loading = false;
};

} // namespace Berth
