#include "searchresultsmodel.h"

#include "common/guarded.h"
#include "common/humanize.h"

#include <QLocale>

#include <algorithm>

namespace Berth {

namespace {

// The v4 search refuses to page past this offset (from + size <= 2500).
constexpr int SearchWindow = 2500;

} // namespace

SearchResultsModel::SearchResultsModel(HubClient *hub, QObject *parent)
    : QAbstractTableModel(parent)
    , m_hub(hub)
{}

QString SearchResultsModel::badgeText(HubBadge badge)
{
    switch (badge) {
    case HubBadge::Official:
        return tr("Official");
    case HubBadge::VerifiedPublisher:
        return tr("Verified publisher");
    case HubBadge::OpenSource:
        return tr("Open source");
    case HubBadge::None:
        break;
    }
    return QString();
}

void SearchResultsModel::setQuery(const HubSearchQuery &query)
{
    beginResetModel();
    ++m_generation;
    m_query = query;
    m_query.from = 0;
    m_active = true;
    m_rows.clear();
    m_names.clear();
    m_nextFrom = 0;
    m_exhausted = false;
    endResetModel();
    setError(std::nullopt);
    if (m_total != -1) {
        m_total = -1;
        emit totalCountChanged(m_total);
    }

    if (m_inFlight) {
        // The running request cannot be recalled: its answer is dropped when it comes, and the
        // first page of this query is asked for then (intermediate queries are never sent).
        m_firstPagePending = true;
        return;
    }
    requestPage(0);
}

void SearchResultsModel::clear()
{
    beginResetModel();
    ++m_generation;
    m_active = false;
    m_firstPagePending = false;
    m_rows.clear();
    m_names.clear();
    m_nextFrom = 0;
    m_exhausted = false;
    endResetModel();
    setError(std::nullopt);
    if (m_total != -1) {
        m_total = -1;
        emit totalCountChanged(m_total);
    }
}

void SearchResultsModel::retry()
{
    if (!m_active || !m_error)
        return;
    setError(std::nullopt);
    if (m_inFlight) {
        m_firstPagePending = m_rows.isEmpty();
        return;
    }
    requestPage(m_nextFrom);
}

void SearchResultsModel::setPageSize(int size)
{
    m_pageSize = std::clamp(size, 1, 100);
}

void SearchResultsModel::requestPage(int from)
{
    if (!m_hub) {
        setError(Error::make(Error::Kind::Network, tr("Docker Hub is not available.")));
        return;
    }
    HubSearchQuery asked = m_query;
    asked.from = from;
    asked.size = std::min(m_pageSize, SearchWindow - from);
    const int generation = m_generation;
    const bool wasLoading = m_inFlight;
    m_inFlight = true;
    m_firstPagePending = false;
    if (!wasLoading)
        emit loadingChanged(true);

    m_hub->search(asked, guarded(this, [this, generation, asked](Result<HubSearchPage> page) {
                      pageArrived(generation, asked, std::move(page));
                  }));
}

void SearchResultsModel::pageArrived(int generation,
                                     const HubSearchQuery &asked,
                                     Result<HubSearchPage> page)
{
    m_inFlight = false;
    if (generation != m_generation) {
        if (m_firstPagePending && m_active) {
            requestPage(0);
            return;
        }
        emit loadingChanged(false);
        return;
    }
    emit loadingChanged(false);

    if (!page) {
        if (!page.error().isCancelled())
            setError(page.error());
        return;
    }

    QList<HubRepositorySummary> fresh;
    fresh.reserve(page->results.size());
    for (HubRepositorySummary &summary : page->results) {
        if (summary.name.isEmpty() || m_names.contains(summary.name))
            continue;
        m_names.insert(summary.name);
        fresh.append(std::move(summary));
    }

    m_nextFrom = asked.from + asked.size;
    const qint64 reachable = std::min<qint64>(page->total, SearchWindow);
    m_exhausted = page->results.isEmpty() || m_nextFrom >= reachable;
    if (m_total != page->total) {
        m_total = page->total;
        emit totalCountChanged(m_total);
    }

    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_rows.append(std::move(fresh));
        endInsertRows();
    }
    emit pageLoaded(asked.from, int(m_rows.size()));
}

void SearchResultsModel::setError(std::optional<Error> error)
{
    const bool had = m_error.has_value();
    m_error = std::move(error);
    if (!had && !m_error)
        return;
    emit errorChanged();
    if (m_error)
        emit errorOccurred(*m_error);
}

int SearchResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SearchResultsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant
SearchResultsModel::columnValue(const HubRepositorySummary &row, int column, int role) const
{
    const bool raw = role == RawValueRole;
    switch (Column(column)) {
    case NameColumn:
        return row.name;
    case PublisherColumn:
        return row.publisher;
    case BadgeColumn:
        return raw ? QVariant(int(row.badge)) : QVariant(badgeText(row.badge));
    case DescriptionColumn:
        return row.shortDescription;
    case StarsColumn:
        return raw ? QVariant(row.starCount)
                   : QVariant(row.starCount < 0 ? formatCount(row.starCount)
                                                : QLocale().toString(row.starCount));
    case PullsColumn:
        return raw ? QVariant(row.pullCount) : QVariant(formatCount(row.pullCount));
    case UpdatedColumn:
        return raw ? QVariant(row.updated) : QVariant(formatAge(row.updated));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HubRepositorySummary &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case RawValueRole:
        return columnValue(row, index.column(), role);
    case Qt::ToolTipRole:
        return row.shortDescription.isEmpty() ? row.name : row.name + u'\n' + row.shortDescription;
    case Qt::TextAlignmentRole:
        if (index.column() == StarsColumn || index.column() == PullsColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case Qt::AccessibleTextRole: {
        QString text = row.name;
        if (row.badge != HubBadge::None)
            text += u", " + badgeText(row.badge);
        if (!row.shortDescription.isEmpty())
            text += u", " + row.shortDescription;
        return text;
    }
    case NameRole:
        return row.name;
    case LogoUrlRole:
        return row.logoSmall.isEmpty() ? row.logoLarge : row.logoSmall;
    case BadgeRole:
        return int(row.badge);
    case BadgeTextRole:
        return badgeText(row.badge);
    case StarsRole:
        return row.starCount;
    case PullsRole:
        return row.pullCount;
    case DescriptionRole:
        return row.shortDescription;
    case PublisherRole:
        return row.publisher;
    default:
        return {};
    }
}

QVariant SearchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case PublisherColumn:
        return tr("Publisher");
    case BadgeColumn:
        return tr("Badge");
    case DescriptionColumn:
        return tr("Description");
    case StarsColumn:
        return tr("Stars");
    case PullsColumn:
        return tr("Pulls");
    case UpdatedColumn:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> SearchResultsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(RawValueRole, "rawValue");
    names.insert(NameRole, "name");
    names.insert(LogoUrlRole, "logoUrl");
    names.insert(BadgeRole, "badge");
    names.insert(BadgeTextRole, "badgeText");
    names.insert(StarsRole, "stars");
    names.insert(PullsRole, "pulls");
    names.insert(DescriptionRole, "description");
    names.insert(PublisherRole, "publisher");
    return names;
}

bool SearchResultsModel::canFetchMore(const QModelIndex &parent) const
{
    // After a failure the view would ask again at once, and again: only retry() asks again.
    return !parent.isValid() && m_active && !m_inFlight && !m_firstPagePending && !m_error
           && !m_exhausted && m_nextFrom > 0 && m_nextFrom < SearchWindow;
}

void SearchResultsModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestPage(m_nextFrom);
}

} // namespace Berth
