#include "tagfilterproxy.h"

#include "reference/versionorder.h"
#include "taggroupsmodel.h"

namespace Berth {

TagFilterProxy::TagFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TagGroupsModel::RawValueRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
}

void TagFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_tags = qobject_cast<TagGroupsModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void TagFilterProxy::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool TagFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    if (sourceParent.isValid()) {
        // A tag row: its own name.
        if (m_tags)
            return matches(m_tags->tagNames(sourceParent.row()).at(sourceRow));
        const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
        return matches(index.data(TagGroupsModel::TagNameRole).toString());
    }
    // An image row: any of its tags.
    if (m_tags) {
        for (const QString &name : m_tags->tagNames(sourceRow)) {
            if (matches(name))
                return true;
        }
        return false;
    }
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    for (const QString &name : index.data(TagGroupsModel::TagNamesRole).toStringList()) {
        if (matches(name))
            return true;
    }
    return false;
}

bool TagFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (left.column() != TagGroupsModel::NameColumn)
        return QSortFilterProxyModel::lessThan(left, right);
    // 1, 2, 10 and 1.9 before 1.10: as people read versions, not as text.
    return tagVersionLess(left.data(TagGroupsModel::TagNameRole).toString(),
                          right.data(TagGroupsModel::TagNameRole).toString());
}

} // namespace Berth
