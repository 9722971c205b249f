// TagGroupsModel while a registry's tags arrive in batches: images inserted where
// groupTagsByDigest would put them, tags inserted in their image's order, an image moved when a
// new tag changes its place, and the whole list settling what ties left open.
#include "taggroupsmodel.h"

#include "reference/versionorder.h"

#include <algorithm>
#include <numeric>

namespace Berth {

namespace {

QString platformsLine(const TagGroup &group)
{
    QStringList names;
    for (const Platform &p : group.platforms())
        names.append(p.toString());
    return names.join(QStringLiteral(", "));
}

} // namespace

void TagGroupsModel::addTags(int generation, const QList<TagInfo> &ready)
{
    if (generation != m_generation)
        return;
    // The tags of an image new to the view come in together: one row inserted, not one a tag.
    QList<QList<TagInfo>> fresh;
    QHash<QString, qsizetype> freshByKey;
    for (const TagInfo &tag : ready) {
        if (m_slotOfTag.contains(tag.name))
            continue; // told twice: the first stays
        const QString key = tagGroupKey(tag);
        const int slot = key.isEmpty() ? -1 : m_slotOfGroup.value(key, -1);
        if (slot >= 0) {
            addToGroup(slot, tag);
            continue;
        }
        const qsizetype at = key.isEmpty() ? -1 : freshByKey.value(key, -1);
        if (at >= 0) {
            fresh[at].append(tag);
            continue;
        }
        if (!key.isEmpty())
            freshByKey.insert(key, fresh.size());
        fresh.append({tag});
    }
    for (const QList<TagInfo> &tags : std::as_const(fresh))
        addGroup(tags);
}

void TagGroupsModel::addGroup(const QList<TagInfo> &tags)
{
    Row row;
    row.group = startTagGroup(tags.constFirst());
    row.tags = tags;
    std::sort(row.tags.begin(), row.tags.end(), [](const TagInfo &a, const TagInfo &b) {
        return moreSpecificTag(a.name, b.name);
    });
    for (const TagInfo &tag : std::as_const(row.tags)) {
        row.group.tags.append(tag.name);
        mergeIntoTagGroup(row.group, tag);
    }
    row.platformsText = platformsLine(row.group);

    const int slot = int(m_slots.size());
    const auto after = std::upper_bound(
        m_order.cbegin(), m_order.cend(), row.group, [this](const TagGroup &group, int other) {
            return tagGroupBefore(group, m_slots.at(other).group);
        });
    const int at = int(after - m_order.cbegin());
    beginInsertRows({}, at, at);
    const QString key = tagGroupKey(tags.constFirst());
    if (!key.isEmpty())
        m_slotOfGroup.insert(key, slot);
    for (const TagInfo &tag : tags)
        m_slotOfTag.insert(tag.name, slot);
    m_tagCount = int(m_slotOfTag.size());
    m_slots.append(std::move(row));
    m_rowOfSlot.append(at);
    m_order.insert(at, slot);
    renumberRows(at);
    endInsertRows();
}

void TagGroupsModel::addToGroup(int slot, const TagInfo &tag)
{
    const int parentRow = m_rowOfSlot.at(slot);
    const QStringList &names = m_slots.at(slot).group.tags;
    const int at = int(std::lower_bound(names.cbegin(), names.cend(), tag.name, moreSpecificTag)
                       - names.cbegin());
    beginInsertRows(index(parentRow, 0), at, at);
    Row &row = m_slots[slot];
    row.group.tags.insert(at, tag.name);
    row.tags.insert(at, tag);
    mergeIntoTagGroup(row.group, tag);
    row.platformsText = platformsLine(row.group);
    m_slotOfTag.insert(tag.name, slot);
    m_tagCount = int(m_slotOfTag.size());
    endInsertRows();
    emit dataChanged(index(parentRow, 0), index(parentRow, ColumnCount - 1));
    keepInOrder(slot);
}

// A new tag may change its image's first tag, and so its place among images of the same date.
void TagGroupsModel::keepInOrder(int slot)
{
    const int row = m_rowOfSlot.at(slot);
    const TagGroup &group = m_slots.at(slot).group;
    const bool afterPrevious = row == 0 || !tagGroupBefore(group, rowAt(row - 1).group);
    const bool beforeNext
        = row + 1 == m_order.size() || !tagGroupBefore(rowAt(row + 1).group, group);
    if (afterPrevious && beforeNext)
        return;
    const int to = rowForGroup(group, slot);
    // beginMoveRows counts the destination in the rows before the move.
    if (!beginMoveRows({}, row, row, {}, to > row ? to + 1 : to))
        return;
    m_order.removeAt(row);
    m_order.insert(to, slot);
    renumberRows(std::min(row, to));
    endMoveRows();
}

// Where `group` goes among the other images (skipSlot left out), after those it ties with.
int TagGroupsModel::rowForGroup(const TagGroup &group, int skipSlot) const
{
    int row = 0;
    for (int slot : m_order) {
        if (slot == skipSlot)
            continue;
        if (tagGroupBefore(group, m_slots.at(slot).group))
            break;
        ++row;
    }
    return row;
}

void TagGroupsModel::renumberRows(int from)
{
    for (int row = from; row < m_order.size(); ++row)
        m_rowOfSlot[m_order.at(row)] = row;
}

bool TagGroupsModel::sameTags(const Rows &rows) const
{
    if (rows.slotOfTag.size() != m_slotOfTag.size())
        return false;
    for (auto it = rows.slotOfTag.cbegin(); it != rows.slotOfTag.cend(); ++it) {
        if (!m_slotOfTag.contains(it.key()))
            return false;
    }
    return true;
}

// The whole list, grouped: when the batches already showed every tag, only images that tie may
// change places, so a layout change moves them and keeps the user's selection and scroll; a
// reset otherwise (the Hub, which sends no batches).
void TagGroupsModel::settle(Rows rows)
{
    if (m_slots.isEmpty() || !sameTags(rows))
        return setRows(std::move(rows));
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &old : before) {
        const Row &was = m_slots.at(slotOf(old));
        const bool isGroup = old.internalId() == GroupId;
        const QString &name = was.tags.at(isGroup ? 0 : old.row()).name;
        const int slot = rows.slotOfTag.value(name); // built rows: the slot is the row
        if (isGroup)
            after.append(createIndex(slot, old.column(), GroupId));
        else
            after.append(createIndex(int(rows.groups.at(slot).group.tags.indexOf(name)),
                                     old.column(),
                                     quintptr(slot + 1)));
    }
    m_slots = std::move(rows.groups);
    m_slotOfTag = std::move(rows.slotOfTag);
    m_slotOfGroup = std::move(rows.slotOfGroup);
    m_order.resize(m_slots.size());
    std::iota(m_order.begin(), m_order.end(), 0);
    m_rowOfSlot = m_order;
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    if (!m_order.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_order.size()) - 1, ColumnCount - 1));
}

} // namespace Berth
