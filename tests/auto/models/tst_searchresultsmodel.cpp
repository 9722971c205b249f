#include "fakehubserver.h"
#include "registry/hubclient.h"
#include "searchresultsmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString SearchV4 = QStringLiteral("/api/search/v4");

// A v4 page of generated results "<query>-<n>" for n in [from, from + size) below total.
FakeHubResponse generatedPage(const FakeHubRequest &request, int total)
{
    const QString text = request.queryItem(QStringLiteral("query"));
    const int from = request.queryItem(QStringLiteral("from")).toInt();
    const int size = request.queryItem(QStringLiteral("size")).toInt();
    QJsonArray results;
    for (int n = from; n < std::min(total, from + size); ++n) {
        const QString name = QStringLiteral("%1-%2").arg(text).arg(n);
        results.append(QJsonObject{
            {QStringLiteral("id"), name},
            {QStringLiteral("name"), name},
            {QStringLiteral("publisher"),
             QJsonObject{{QStringLiteral("id"), QStringLiteral("p")},
                         {QStringLiteral("name"), QStringLiteral("Publisher")}}},
            {QStringLiteral("short_description"), QStringLiteral("result %1").arg(n)},
            {QStringLiteral("star_count"), n},
            {QStringLiteral("pull_count"), QString::number(1000 * n)},
        });
    }
    const QJsonObject page{{QStringLiteral("total"), total}, {QStringLiteral("results"), results}};
    return FakeHubResponse::json(QJsonDocument(page).toJson(QJsonDocument::Compact));
}

QStringList names(const QAbstractItemModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, 0).data(SearchResultsModel::NameRole).toString());
    return result;
}

QUrl closedPortUrl()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return {};
    const quint16 port = server.serverPort();
    server.close();
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
}

} // namespace

class tst_SearchResultsModel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void firstPage();
    void columns_data();
    void columns();
    void unknownCountsShowAsUnknown();
    void queryCarriesFiltersAndSort_data();
    void queryCarriesFiltersAndSort();
    void paging();
    void stopsAtTheSearchWindow();
    void oneRequestInFlight();
    void newQueryResets();
    void duplicatesAcrossPagesSkipped();
    void errors_data();
    void errors();
    void errorOnALaterPage();
    void clearDropsTheAnswerInFlight();

private:
    void waitIdle();
    void manualPaging();

    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<FakeHubServer> m_hub;
    std::unique_ptr<HubClient> m_client;
    std::unique_ptr<SearchResultsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_SearchResultsModel::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    // Numbers as an English reader sees them, whatever the machine's locale.
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void tst_SearchResultsModel::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_hub = std::make_unique<FakeHubServer>();
    QVERIFY(m_hub->listen());
    m_client = std::make_unique<HubClient>(m_network.get());
    m_client->setBaseUrl(m_hub->url());
    m_client->setRateLimitRetries(0, std::chrono::seconds(0));
    m_model = std::make_unique<SearchResultsModel>(m_client.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void tst_SearchResultsModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_client.reset();
    m_hub.reset();
    m_network.reset();
}

void tst_SearchResultsModel::waitIdle()
{
    QTRY_VERIFY(!m_model->isLoading());
}

void tst_SearchResultsModel::manualPaging()
{
    // QAbstractItemModelTester calls fetchMore() after every change, as a view scrolled to the
    // end would: tests that page by hand run without it (the others keep it).
    m_tester.reset();
}

void tst_SearchResultsModel::firstPage()
{
    manualPaging();
    m_hub->route(SearchV4, FakeHubResponse::fixture(QStringLiteral("search-v4.json")));
    QSignalSpy loading(m_model.get(), &SearchResultsModel::loadingChanged);
    m_model->setQuery({.text = QStringLiteral("node")});
    QVERIFY(m_model->isLoading());
    QTRY_COMPARE(m_model->rowCount(), 4);
    QVERIFY(!m_model->isLoading());
    QCOMPARE(loading.size(), 2);
    QCOMPARE(m_model->totalCount(), 10421);
    QVERIFY(m_model->errorString().isEmpty());
    QCOMPARE(names(*m_model),
             QStringList({QStringLiteral("node"),
                          QStringLiteral("bitnami/node"),
                          QStringLiteral("nodered/node-red"),
                          QStringLiteral("jean/mon-app")}));

    const QModelIndex node = m_model->index(0, 0);
    QCOMPARE(node.data(SearchResultsModel::BadgeRole).toInt(), int(HubBadge::Official));
    QCOMPARE(node.data(SearchResultsModel::BadgeTextRole).toString(), QStringLiteral("Official"));
    QCOMPARE(node.data(SearchResultsModel::StarsRole).toLongLong(), 13456);
    QCOMPARE(node.data(SearchResultsModel::PullsRole).toLongLong(), Q_INT64_C(4728203312));
    QCOMPARE(node.data(SearchResultsModel::LogoUrlRole).toUrl(),
             QUrl(QStringLiteral(
                 "https://hub.docker.com/api/media/repos_logo/v1/library%2Fnode/small")));
    QVERIFY(node.data(SearchResultsModel::DescriptionRole).toString().startsWith(u"Node.js"));
    QCOMPARE(node.data(SearchResultsModel::PublisherRole).toString(),
             QStringLiteral("Docker Official Images"));
    QCOMPARE(m_model->index(1, 0).data(SearchResultsModel::BadgeTextRole).toString(),
             QStringLiteral("Verified publisher"));
    QCOMPARE(m_model->index(2, 0).data(SearchResultsModel::BadgeTextRole).toString(),
             QStringLiteral("Open source"));
    QVERIFY(m_model->index(3, 0).data(SearchResultsModel::BadgeTextRole).toString().isEmpty());
    // Four results of 10,421: the next page may be asked for.
    QVERIFY(m_model->canFetchMore({}));
    QCOMPARE(m_hub->requestCount(SearchV4), 1);
}

void tst_SearchResultsModel::columns_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QVariant>("display");
    QTest::addColumn<QVariant>("raw");

    QTest::newRow("name") << int(SearchResultsModel::NameColumn) << QVariant(u"node"_s)
                          << QVariant(u"node"_s);
    QTest::newRow("publisher") << int(SearchResultsModel::PublisherColumn)
                               << QVariant(u"Docker Official Images"_s)
                               << QVariant(u"Docker Official Images"_s);
    QTest::newRow("badge") << int(SearchResultsModel::BadgeColumn) << QVariant(u"Official"_s)
                           << QVariant(int(HubBadge::Official));
    QTest::newRow("stars") << int(SearchResultsModel::StarsColumn) << QVariant(u"13,456"_s)
                           << QVariant(qint64(13456));
    // The short form in English (initTestCase sets the locale).
    QTest::newRow("pulls") << int(SearchResultsModel::PullsColumn) << QVariant(u"4.7B"_s)
                           << QVariant(Q_INT64_C(4728203312));
    QTest::newRow("updated") << int(SearchResultsModel::UpdatedColumn) << QVariant()
                             << QVariant(
                                    QDateTime(QDate(2024, 5, 14), QTime(2, 7, 33, 123), Qt::UTC));
}

void tst_SearchResultsModel::columns()
{
    QFETCH(int, column);
    QFETCH(QVariant, display);
    QFETCH(QVariant, raw);

    m_hub->route(SearchV4, FakeHubResponse::fixture(QStringLiteral("search-v4.json")));
    m_model->setQuery({.text = QStringLiteral("node")});
    QTRY_COMPARE(m_model->rowCount(), 4);
    QCOMPARE(m_model->columnCount(), int(SearchResultsModel::ColumnCount));
    const QModelIndex index = m_model->index(0, column);
    if (display.isValid())
        QCOMPARE(index.data(Qt::DisplayRole), display);
    else
        QVERIFY(!index.data(Qt::DisplayRole).toString().isEmpty());
    QCOMPARE(index.data(SearchResultsModel::RawValueRole), raw);
    QVERIFY(!m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString().isEmpty());
}

// Counts no Hub could mean are neither 0 nor the largest number: unknown, "—".
void tst_SearchResultsModel::unknownCountsShowAsUnknown()
{
    m_hub->route(
        SearchV4,
        FakeHubResponse::json(R"({"total":1,"results":[{"id":"x/y","name":"x/y",)"
                              R"("star_count":"NaN","pull_count":18446744073709551616}]})"));
    m_model->setQuery({.text = QStringLiteral("y")});
    QTRY_COMPARE(m_model->rowCount(), 1);
    for (const int column :
         {int(SearchResultsModel::StarsColumn), int(SearchResultsModel::PullsColumn)}) {
        const QModelIndex index = m_model->index(0, column);
        QCOMPARE(index.data(Qt::DisplayRole), QVariant(u"—"_s));
        QCOMPARE(index.data(SearchResultsModel::RawValueRole), QVariant(UnknownCount));
    }
}

void tst_SearchResultsModel::queryCarriesFiltersAndSort_data()
{
    QTest::addColumn<bool>("official");
    QTest::addColumn<bool>("verified");
    QTest::addColumn<bool>("openSource");
    QTest::addColumn<int>("sort");
    QTest::addColumn<QString>("badges");
    QTest::addColumn<QString>("sortItem");

    const int best = int(HubSearchQuery::Sort::BestMatch);
    QTest::newRow("no filter") << false << false << false << best << QString() << QString();
    QTest::newRow("official") << true << false << false << best << u"official"_s << QString();
    QTest::newRow("verified") << false << true << false << best << u"verified_publisher"_s
                              << QString();
    QTest::newRow("open source") << false << false << true << best << u"open_source"_s << QString();
    QTest::newRow("most pulled") << false << false << false << int(HubSearchQuery::Sort::PullCount)
                                 << QString() << u"pull_count"_s;
    QTest::newRow("updated, official")
        << true << false << false << int(HubSearchQuery::Sort::Updated) << u"official"_s
        << u"updated_at"_s;
}

void tst_SearchResultsModel::queryCarriesFiltersAndSort()
{
    QFETCH(bool, official);
    QFETCH(bool, verified);
    QFETCH(bool, openSource);
    QFETCH(int, sort);
    QFETCH(QString, badges);
    QFETCH(QString, sortItem);

    m_hub->route(SearchV4, [](const FakeHubRequest &r) { return generatedPage(r, 3); });
    m_model->setQuery({.text = QStringLiteral("redis"),
                       .official = official,
                       .verifiedPublisher = verified,
                       .openSource = openSource,
                       .sort = HubSearchQuery::Sort(sort)});
    QTRY_COMPARE(m_model->rowCount(), 3);
    const FakeHubRequest request = m_hub->requests(SearchV4).constFirst();
    QCOMPARE(request.queryItem(QStringLiteral("query")), QStringLiteral("redis"));
    QCOMPARE(request.queryItem(QStringLiteral("badges")), badges);
    QCOMPARE(request.queryItem(QStringLiteral("sort")), sortItem);
    QCOMPARE(m_model->query().official, official);
}

void tst_SearchResultsModel::paging()
{
    manualPaging();
    m_hub->route(SearchV4, [](const FakeHubRequest &r) { return generatedPage(r, 60); });
    m_model->setPageSize(25);
    m_model->setQuery({.text = QStringLiteral("app")});
    QTRY_COMPARE(m_model->rowCount(), 25);
    waitIdle();
    QVERIFY(m_model->canFetchMore({}));

    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->fetchMore({});
    QVERIFY(m_model->isLoading());
    QVERIFY(!m_model->canFetchMore({})); // one page at a time
    QTRY_COMPARE(m_model->rowCount(), 50);
    waitIdle();
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 25);
    QCOMPARE(inserted.first().at(2).toInt(), 49);

    m_model->fetchMore({});
    QTRY_COMPARE(m_model->rowCount(), 60);
    waitIdle();
    QVERIFY(!m_model->canFetchMore({}));
    m_model->fetchMore({}); // nothing more: no request
    QCOMPARE(m_hub->requestCount(SearchV4), 3);

    QStringList froms;
    for (const FakeHubRequest &request : m_hub->requests(SearchV4))
        froms.append(request.queryItem(QStringLiteral("from")) + u'+'
                     + request.queryItem(QStringLiteral("size")));
    QCOMPARE(froms, QStringList({u"0+25"_s, u"25+25"_s, u"50+25"_s}));
    QCOMPARE(m_model->index(59, 0).data(SearchResultsModel::NameRole).toString(),
             QStringLiteral("app-59"));
}

void tst_SearchResultsModel::stopsAtTheSearchWindow()
{
    // The Hub counts 10,000 matches but serves only the first 2,500.
    m_hub->route(SearchV4, [](const FakeHubRequest &r) { return generatedPage(r, 10000); });
    m_model->setPageSize(100);
    m_model->setQuery({.text = QStringLiteral("x")});
    QTRY_COMPARE(m_model->rowCount(), 100);
    waitIdle();
    while (m_model->canFetchMore({})) {
        const int before = m_model->rowCount();
        m_model->fetchMore({});
        QTRY_COMPARE(m_model->rowCount(), before + 100);
        waitIdle();
    }
    QCOMPARE(m_model->rowCount(), 2500);
    QCOMPARE(m_model->totalCount(), 10000);
    QCOMPARE(m_hub->requestCount(SearchV4), 25);
    QCOMPARE(m_hub->requests(SearchV4).constLast().queryItem(QStringLiteral("from")),
             QStringLiteral("2400"));
}

void tst_SearchResultsModel::oneRequestInFlight()
{
    m_hub->route(SearchV4,
                 [](const FakeHubRequest &r) { return generatedPage(r, 40).withDelay(150); });
    m_model->setPageSize(20);
    m_model->setQuery({.text = QStringLiteral("a")});
    // While the first page is out, views asking for more get nothing, and two more queries
    // typed meanwhile collapse into the last one.
    m_model->fetchMore({});
    m_model->fetchMore({});
    m_model->setQuery({.text = QStringLiteral("b")});
    m_model->fetchMore({});
    m_model->setQuery({.text = QStringLiteral("c")});
    QVERIFY(m_model->isLoading());
    QCOMPARE(m_model->rowCount(), 0);

    QTRY_COMPARE(m_model->rowCount(), 20);
    waitIdle();
    QCOMPARE(m_model->index(0, 0).data(SearchResultsModel::NameRole).toString(),
             QStringLiteral("c-0"));
    m_model->fetchMore({});
    m_model->fetchMore({});
    QTRY_COMPARE(m_model->rowCount(), 40);
    waitIdle();

    QStringList asked;
    for (const FakeHubRequest &request : m_hub->requests(SearchV4))
        asked.append(request.queryItem(QStringLiteral("query")) + u'@'
                     + request.queryItem(QStringLiteral("from")));
    QCOMPARE(asked, QStringList({u"a@0"_s, u"c@0"_s, u"c@20"_s}));
    QCOMPARE(m_hub->maxInFlight(), 1);
}

void tst_SearchResultsModel::newQueryResets()
{
    m_hub->route(SearchV4, [](const FakeHubRequest &r) { return generatedPage(r, 5); });
    m_model->setQuery({.text = QStringLiteral("node")});
    QTRY_COMPARE(m_model->rowCount(), 5);
    waitIdle();

    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy total(m_model.get(), &SearchResultsModel::totalCountChanged);
    m_model->setQuery({.text = QStringLiteral("redis")});
    QCOMPARE(reset.size(), 1);
    QCOMPARE(m_model->rowCount(), 0); // at once, before the Hub answers
    QCOMPARE(m_model->totalCount(), -1);
    QTRY_COMPARE(m_model->rowCount(), 5);
    QCOMPARE(names(*m_model).first(), QStringLiteral("redis-0"));
    QCOMPARE(total.size(), 2); // unknown, then 5
    QCOMPARE(m_model->totalCount(), 5);
}

void tst_SearchResultsModel::duplicatesAcrossPagesSkipped()
{
    manualPaging();
    // The ranking moved between two requests: page 2 repeats the last result of page 1.
    m_hub->route(SearchV4, [](const FakeHubRequest &r) {
        FakeHubRequest shifted = r;
        const int from = r.queryItem(QStringLiteral("from")).toInt();
        if (from > 0) {
            shifted.query.removeQueryItem(QStringLiteral("from"));
            shifted.query.addQueryItem(QStringLiteral("from"), QString::number(from - 1));
        }
        return generatedPage(shifted, 40);
    });
    m_model->setPageSize(10);
    m_model->setQuery({.text = QStringLiteral("d")});
    QTRY_COMPARE(m_model->rowCount(), 10);
    waitIdle();
    m_model->fetchMore({});
    QTRY_COMPARE(m_model->rowCount(), 19);
    waitIdle();
    const QStringList shown = names(*m_model);
    QCOMPARE(QSet<QString>(shown.begin(), shown.end()).size(), shown.size());
    QVERIFY(m_model->canFetchMore({}));
}

void tst_SearchResultsModel::errors_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("Hub unreachable")
        << u"closed"_s << int(Error::Kind::Network) << u"could not reach Docker Hub"_s;
    QTest::newRow("rate limited") << u"429"_s << int(Error::Kind::RateLimited) << u"rate limit"_s;
    QTest::newRow("server error") << u"503"_s << int(Error::Kind::Server) << u"HTTP 503"_s;
    QTest::newRow("not JSON") << u"malformed"_s << int(Error::Kind::Protocol)
                              << u"invalid answer"_s;
}

void tst_SearchResultsModel::errors()
{
    QFETCH(QString, scenario);
    QFETCH(int, kind);
    QFETCH(QString, messagePart);

    if (scenario == u"closed")
        m_client->setBaseUrl(closedPortUrl());
    else if (scenario == u"429")
        m_hub->route(SearchV4, FakeHubResponse::tooManyRequests(120));
    else if (scenario == u"503")
        m_hub->route(SearchV4, FakeHubResponse::serverError(503));
    else
        m_hub->route(SearchV4, FakeHubResponse::malformedJson());

    QSignalSpy failed(m_model.get(), &SearchResultsModel::errorOccurred);
    m_model->setQuery({.text = QStringLiteral("node")});
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(!m_model->isLoading());
    const Error error = failed.first().first().value<Error>();
    QCOMPARE(int(error.kind), kind);
    QVERIFY2(error.message.contains(messagePart, Qt::CaseInsensitive), qPrintable(error.message));
    QCOMPARE(m_model->errorString(), error.message);
    QCOMPARE(m_model->rowCount(), 0);
    // A failure is not retried behind the user's back.
    QVERIFY(!m_model->canFetchMore({}));

    // The Hub is back: retry() asks again.
    m_client->setBaseUrl(m_hub->url());
    m_hub->route(SearchV4, FakeHubResponse::fixture(QStringLiteral("search-v4.json")));
    QSignalSpy changed(m_model.get(), &SearchResultsModel::errorChanged);
    m_model->retry();
    QCOMPARE(changed.size(), 1);
    QVERIFY(m_model->errorString().isEmpty());
    QTRY_COMPARE(m_model->rowCount(), 4);
}

void tst_SearchResultsModel::errorOnALaterPage()
{
    manualPaging();
    m_hub->route(SearchV4, [](const FakeHubRequest &r) {
        if (r.queryItem(QStringLiteral("from")) == u"10")
            return FakeHubResponse::tooManyRequests(300);
        return generatedPage(r, 30);
    });
    m_model->setPageSize(10);
    m_model->setQuery({.text = QStringLiteral("e")});
    QTRY_COMPARE(m_model->rowCount(), 10);
    waitIdle();
    QSignalSpy failed(m_model.get(), &SearchResultsModel::errorOccurred);
    m_model->fetchMore({});
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(m_model->rowCount(), 10); // what was there stays
    QVERIFY(!m_model->canFetchMore({}));

    m_hub->route(SearchV4, [](const FakeHubRequest &r) { return generatedPage(r, 30); });
    m_model->retry();
    QTRY_COMPARE(m_model->rowCount(), 20);
    QCOMPARE(m_hub->requests(SearchV4).constLast().queryItem(QStringLiteral("from")),
             QStringLiteral("10"));
}

void tst_SearchResultsModel::clearDropsTheAnswerInFlight()
{
    m_hub->route(SearchV4,
                 [](const FakeHubRequest &r) { return generatedPage(r, 5).withDelay(100); });
    m_model->setQuery({.text = QStringLiteral("late")});
    m_model->clear();
    QVERIFY(!m_model->hasQuery());
    QTRY_COMPARE(m_hub->requestCount(SearchV4), 1);
    waitIdle();
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(!m_model->canFetchMore({}));
    QCOMPARE(m_hub->requestCount(SearchV4), 1);
}

QTEST_GUILESS_MAIN(tst_SearchResultsModel)
#include "tst_searchresultsmodel.moc"
