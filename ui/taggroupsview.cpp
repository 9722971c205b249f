#include "taggroupsview.h"

#include "tagfilterproxy.h"
#include "taggroupsmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace Berth {

TagGroupsView::TagGroupsView(TagGroupsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new TagFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_tree(new QTreeView(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("tagGroupsView"));
    m_proxy->setObjectName(QStringLiteral("tagFilterProxy"));
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(QStringLiteral("tagFilter"));
    m_filter->setPlaceholderText(tr("Filter tags"));
    m_filter->setAccessibleName(tr("Filter tags"));
    m_filter->setClearButtonEnabled(true);
    // Instant: the proxy filters 10,000 tags in milliseconds, no debounce needed.
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &TagFilterProxy::setFilterText);
    connect(m_filter, &QLineEdit::textChanged, this, &TagGroupsView::updateStatus);

    m_tree->setObjectName(QStringLiteral("tagTree"));
    m_tree->setAccessibleName(tr("Tags grouped by image"));
    m_tree->setModel(m_proxy);
    m_tree->setUniformRowHeights(true); // keeps 10,000 rows cheap to lay out
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setSortIndicator(-1, Qt::AscendingOrder);
    m_tree->setSortingEnabled(true);
    // An image's tags can be many: its label keeps both ends ("3.19.1, 3.19, …, latest") and
    // the tooltip lists them all.
    m_tree->setTextElideMode(Qt::ElideMiddle);
    QHeaderView *header = m_tree->header();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(TagGroupsModel::NameColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(TagGroupsModel::PlatformsColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(TagGroupsModel::SizeColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(TagGroupsModel::LastPushedColumn, QHeaderView::ResizeToContents);

    m_status->setObjectName(QStringLiteral("tagStatus"));
    m_status->setAccessibleName(tr("Tag count"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_status);

    connect(m_tree->selectionModel(),
            &QItemSelectionModel::currentRowChanged,
            this,
            &TagGroupsView::currentTagChanged);
    connect(m_tree->selectionModel(),
            &QItemSelectionModel::selectionChanged,
            this,
            &TagGroupsView::selectionChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TagGroupsView::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TagGroupsView::fitColumns);
    connect(m_model, &TagGroupsModel::loadingChanged, this, &TagGroupsView::updateStatus);
    connect(m_model, &TagGroupsModel::progressChanged, this, [this](int done, int total) {
        m_status->setText(tr("Loading tags… (%1 of %2)").arg(done).arg(total));
    });
    followArrivingRows();
    updateStatus();
    fitColumns();
}

// A registry's images arrive in batches while the user reads.
void TagGroupsView::followArrivingRows()
{
    // The columns fit the first image, then the whole list.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent) {
        if (!parent.isValid() && m_model->groupCount() == 1)
            fitColumns();
    });
    connect(m_model, &TagGroupsModel::loaded, this, &TagGroupsView::fitColumns);
    // Rows inserted or moved above the first one shown must not push it out of sight.
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, &TagGroupsView::holdTopRow);
    connect(m_proxy, &QAbstractItemModel::layoutAboutToBeChanged, this, &TagGroupsView::holdTopRow);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &TagGroupsView::keepTopRow);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &TagGroupsView::keepTopRow);
}

void TagGroupsView::fitColumns()
{
    // Tags and platforms fit their contents up to a share of the width, so that one image with
    // forty tags does not push the other columns out of sight; the user may widen them.
    const int width = std::max(m_tree->viewport()->width(), 600);
    const std::pair<int, double> shares[]
        = {{TagGroupsModel::NameColumn, 0.4}, {TagGroupsModel::PlatformsColumn, 0.3}};
    for (const auto &[column, share] : shares) {
        // Public in QAbstractItemView; QTreeView's override reads the rows laid out.
        const int fitted
            = std::max(static_cast<QAbstractItemView *>(m_tree)->sizeHintForColumn(column),
                       m_tree->header()->sectionSizeHint(column));
        m_tree->header()->resizeSection(column, std::min(fitted, int(width * share)));
    }
}

void TagGroupsView::holdTopRow()
{
    // At the top, rows arriving above are what the user expects to see.
    if (m_tree->verticalScrollBar()->value() > 0)
        m_topRow = m_tree->indexAt(QPoint(0, 0));
}

void TagGroupsView::keepTopRow()
{
    if (m_topRow.isValid())
        m_tree->scrollTo(m_topRow, QAbstractItemView::PositionAtTop);
    m_topRow = QPersistentModelIndex();
}

void TagGroupsView::updateStatus()
{
    if (m_model->isLoading()) {
        m_status->setText(tr("Loading tags…"));
        return;
    }
    const QString counts = tr("%n tag(s)", nullptr, m_model->tagCount()) + u", "
                           + tr("%n image(s)", nullptr, m_model->groupCount());
    if (m_proxy->filterText().isEmpty())
        m_status->setText(counts);
    else
        m_status->setText(tr("%n image(s) match, of %1", nullptr, m_proxy->rowCount()).arg(counts));
}

std::optional<TagInfo> TagGroupsView::currentTag() const
{
    return m_model->tagAt(m_proxy->mapToSource(m_tree->currentIndex()));
}

const TagGroup *TagGroupsView::currentGroup() const
{
    return m_model->groupOf(m_proxy->mapToSource(m_tree->currentIndex()));
}

QStringList TagGroupsView::selectedTags() const
{
    QStringList names;
    for (const QModelIndex &index : m_tree->selectionModel()->selectedRows()) {
        const auto tag = m_model->tagAt(m_proxy->mapToSource(index));
        if (tag && !names.contains(tag->name))
            names.append(tag->name);
    }
    return names;
}

bool TagGroupsView::selectTag(const QString &name)
{
    const QModelIndex index = m_proxy->mapFromSource(m_model->indexOfTag(name));
    if (!index.isValid())
        return false;
    m_tree->expand(index.parent());
    m_tree->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_tree->scrollTo(index);
    return true;
}

void TagGroupsView::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

} // namespace Berth
