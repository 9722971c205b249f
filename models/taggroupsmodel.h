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
// for any other registry; setTags() takes a list from elsewhere.
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
    int groupCount() const { return int(m_groups.size()); }

    // The image row `row` (a top-level row).
    const TagGroup &group(int row) const { return m_groups.at(row).group; }
    // The image an index belongs to (its own row for an image, its parent's for a tag).
    const TagGroup *groupOf(const QModelIndex &index) const;
    // A tag row's tag; an image row's first tag.
    std::optional<TagInfo> tagAt(const QModelIndex &index) const;
    // The tag row of `name`, invalid when there is none.
    QModelIndex indexOfTag(const QString &name, int column = NameColumn) const;
    // Tag names of image row `row`, most specific first (no copy, for filters).
    const QStringList &tagNames(int row) const { return m_groups.at(row).group.tags; }

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
    struct Rows
    {
        QList<Row> groups;
        QHash<QString, std::pair<int, int>> positions;
    };

    // Pure, so that a long list can be grouped on the thread pool.
    static Rows buildRows(const QList<TagInfo> &tags);
    void setRows(Rows rows);
    void tagsArrived(int generation, Result<QList<TagInfo>> tags);
    void setLoading(bool loading);
    QVariant groupData(const Row &row, int column, int role) const;
    QVariant tagData(const Row &row, const TagInfo &tag, int column, int role) const;

    QPointer<HubClient> m_hub;
    QPointer<RegistryClient> m_registry;
    ImageReference m_repository;
    QList<Row> m_groups;
    QHash<QString, std::pair<int, int>> m_tagPositions; // tag name -> (group row, child row)
    int m_tagCount = 0;
    int m_generation = 0;
    bool m_loading = false;
};

} // namespace Berth
