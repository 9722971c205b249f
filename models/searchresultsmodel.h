#pragma once

#include "common/result.h"
#include "registry/hubclient.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>

#include <optional>

namespace Berth {

// Docker Hub search results, one row per repository, fetched page by page as a view scrolls
// (canFetchMore/fetchMore). Filtering and sorting are the Hub's (the query's badges and sort);
// at most one search request is in flight at any time: a new query while one is running waits
// for it, drops its answer, then asks for the newest query only.
class SearchResultsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY totalCountChanged)

public:
    enum Column {
        NameColumn,
        PublisherColumn,
        BadgeColumn,
        DescriptionColumn,
        StarsColumn,
        PullsColumn,
        UpdatedColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        RawValueRole = Qt::UserRole + 1, // the column's value unformatted (qint64, QDateTime, …)
        NameRole,                        // "node", "bitnami/node"
        LogoUrlRole,                     // QUrl, the small logo, empty when the Hub has none
        BadgeRole,                       // int(HubBadge)
        BadgeTextRole,                   // "Official", empty without a badge
        StarsRole,                       // qint64
        PullsRole,                       // qint64
        DescriptionRole,
        PublisherRole,
    };
    Q_ENUM(Role)

    explicit SearchResultsModel(HubClient *hub, QObject *parent = nullptr);

    // Resets the rows and asks for the first page; query.from and query.size are ignored.
    void setQuery(const HubSearchQuery &query);
    HubSearchQuery query() const { return m_query; }
    bool hasQuery() const { return m_active; }
    // Forgets the query and the rows.
    void clear();
    // Asks again for the page that failed (the first one, or the next one).
    void retry();

    void setPageSize(int size);
    int pageSize() const { return m_pageSize; }

    bool isLoading() const { return m_inFlight; }
    // The Hub's count of matches, -1 before the first page arrived.
    qint64 totalCount() const { return m_total; }
    std::optional<Error> error() const { return m_error; }
    QString errorString() const { return m_error ? m_error->message : QString(); }

    const HubRepositorySummary &summary(int row) const { return m_rows.at(row); }
    static QString badgeText(HubBadge badge);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadingChanged(bool loading);
    void errorChanged();
    void errorOccurred(const Berth::Error &error);
    void totalCountChanged(qint64 total);
    // A page was added (or the first page arrived with no match).
    void pageLoaded(int from, int added);

private:
    void requestPage(int from);
    void pageArrived(int generation, const HubSearchQuery &asked, Result<HubSearchPage> page);
    void setError(std::optional<Error> error);
    QVariant columnValue(const HubRepositorySummary &row, int column, int role) const;

    QPointer<HubClient> m_hub;
    HubSearchQuery m_query;
    bool m_active = false;
    int m_pageSize = 25;

    QList<HubRepositorySummary> m_rows;
    QSet<QString> m_names; // pages can shift between requests: never list a repository twice
    qint64 m_total = -1;
    int m_nextFrom = 0; // the Hub offset the next page starts at
    bool m_exhausted = false;
    std::optional<Error> m_error;

    int m_generation = 0;            // bumped by every reset: answers of older ones are dropped
    bool m_inFlight = false;         // a search request is out (possibly for an older generation)
    bool m_firstPagePending = false; // the current generation still has to ask for its first page
};

} // namespace Berth
