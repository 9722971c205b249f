#include "asynctest.h"
#include "fakehubserver.h"
#include "registry/hubclient.h"
#include "registry/taggrouping.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSet>
#include <QTcpServer>
#include <QTest>

#include <limits>
#include <memory>
#include <numeric>

using namespace Berth;
using namespace BerthTest;

namespace {

// QVERIFY2 builds its message even when the check passes: never touch error() of a value.
const QString SearchV4 = QStringLiteral("/api/search/v4");
const QString SearchV2 = QStringLiteral("/v2/search/repositories/");
const QString NodeRepository = QStringLiteral("/v2/namespaces/library/repositories/node");
const QString NodeTags = QStringLiteral("/v2/namespaces/library/repositories/node/tags");
const QString NodeTagsLegacy = QStringLiteral("/v2/repositories/library/node/tags");

QMap<QString, QString> queryItems(const QUrlQuery &query)
{
    QMap<QString, QString> items;
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded))
        items.insert(key, value);
    return items;
}

QString sha256Of(const QByteArray &text)
{
    return u"sha256:"
           + QString::fromLatin1(
               QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex());
}

QStringList fixtureTagNames(int page)
{
    QStringList names;
    const QJsonObject object
        = QJsonDocument::fromJson(hubFixture(QStringLiteral("tags-node-page%1.json").arg(page)))
              .object();
    for (const QJsonValue &tag : object.value(u"results").toArray())
        names.append(tag.toObject().value(u"name").toString());
    return names;
}

// Pages of generated tags: `count` tags named t0…, ten per digest, two platforms each.
FakeHubResponse generatedTagsPage(const FakeHubRequest &request, int count, int pageSize)
{
    const int page = request.queryItem(QStringLiteral("page")).toInt();
    QJsonArray results;
    for (int i = (page - 1) * pageSize; i < std::min(count, page * pageSize); ++i) {
        const QByteArray group = QByteArray::number(i / 10);
        QJsonArray images;
        for (const auto &[arch, variant] : {std::pair{"amd64", ""}, std::pair{"arm64", "v8"}}) {
            images.append(QJsonObject{
                {QStringLiteral("architecture"), QString::fromLatin1(arch)},
                {QStringLiteral("os"), QStringLiteral("linux")},
                {QStringLiteral("variant"), QString::fromLatin1(variant)},
                {QStringLiteral("digest"), sha256Of("image-" + group + '-' + arch)},
                {QStringLiteral("size"), 1000 + i},
                {QStringLiteral("last_pushed"), QStringLiteral("2024-01-01T00:00:00Z")},
            });
        }
        results.append(QJsonObject{
            {QStringLiteral("name"), QStringLiteral("t%1").arg(i)},
            {QStringLiteral("digest"), sha256Of("index-" + group)},
            {QStringLiteral("full_size"), 2000 + i},
            {QStringLiteral("last_updated"),
             QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC).addSecs(i).toString(Qt::ISODate)},
            {QStringLiteral("tag_status"), QStringLiteral("active")},
            {QStringLiteral("media_type"),
             QStringLiteral("application/vnd.oci.image.index.v1+json")},
            {QStringLiteral("images"), images},
        });
    }
    const QJsonObject object{{QStringLiteral("count"), count},
                             {QStringLiteral("next"), QJsonValue()},
                             {QStringLiteral("results"), results}};
    return FakeHubResponse::json(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

class tst_HubClient final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void searchQuery_data();
    void searchQuery();
    void searchParsesV4();
    void pullCount_data();
    void pullCount();
    void countsInEveryAnswer_data();
    void countsInEveryAnswer();
    void pagesTakeWhatWasAsked_data();
    void pagesTakeWhatWasAsked();
    void searchFallsBackToV2_data();
    void searchFallsBackToV2();
    void searchRemembersMissingV4();
    void searchTakesThePreopenedConnection();

    void repository_data();
    void repository();
    void repositoryNotFound_data();
    void repositoryNotFound();
    void invalidName_data();
    void invalidName();

    void tagsThreePages();
    void tagsLegacyPath();
    void tagsNotFound();
    void tagsFollowNextWithoutCount();
    void tagsSmallerPagesShiftedAndGrown();
    void tagsTenThousand();
    void recentTagsOneRequestNewestFirst();
    void recentTagsLegacyAndNotFound();

    void rateLimitRetryAfter();
    void rateLimitExhausted();
    void rateLimitLongerThanAllowed();
    void rateLimitHeaders_data();
    void rateLimitHeaders();
    void serverErrors_data();
    void serverErrors();
    void invalidAnswers_data();
    void invalidAnswers();
    void networkError();
    void destroyedWhileInFlight();

    void defaultBaseUrl_data();
    void defaultBaseUrl();
    void baseUrlFromEnvironmentAndPrefix();

private:
    Result<HubSearchPage> search(const HubSearchQuery &query);
    Result<HubRepository> repository(const QString &ns, const QString &name);
    Result<QList<TagInfo>>
    tags(const QString &ns, const QString &name, QList<std::pair<int, int>> *progress = nullptr);

    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<FakeHubServer> m_hub;
    std::unique_ptr<HubClient> m_client;
};

void tst_HubClient::initTestCase()
{
    // A proxy from the environment must not catch loopback traffic to the fake Hub.
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

void tst_HubClient::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_hub = std::make_unique<FakeHubServer>();
    QVERIFY(m_hub->listen());
    m_client = std::make_unique<HubClient>(m_network.get());
    m_client->setBaseUrl(m_hub->url());
}

void tst_HubClient::cleanup()
{
    m_client.reset();
    m_hub.reset();
    m_network.reset();
}

Result<HubSearchPage> tst_HubClient::search(const HubSearchQuery &query)
{
    return await<HubSearchPage>([&](auto done) { m_client->search(query, done); });
}

Result<HubRepository> tst_HubClient::repository(const QString &ns, const QString &name)
{
    return await<HubRepository>([&](auto done) { m_client->repository(ns, name, done); });
}

Result<QList<TagInfo>>
tst_HubClient::tags(const QString &ns, const QString &name, QList<std::pair<int, int>> *progress)
{
    return await<QList<TagInfo>>([&](auto done) {
        m_client->tags(ns, name, done, [progress](int pagesDone, int pagesTotal) {
            if (progress)
                progress->append({pagesDone, pagesTotal});
        });
    });
}

void tst_HubClient::searchQuery_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("official");
    QTest::addColumn<bool>("verified");
    QTest::addColumn<bool>("openSource");
    QTest::addColumn<int>("sort");
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("size");
    QTest::addColumn<QString>("expected");

    const int best = int(HubSearchQuery::Sort::BestMatch);
    const int pulls = int(HubSearchQuery::Sort::PullCount);
    const int updated = int(HubSearchQuery::Sort::Updated);
    QTest::newRow("best match, no filter")
        << QStringLiteral("node") << false << false << false << best << 0 << 25
        << QStringLiteral("query=node&from=0&size=25&type=image");
    QTest::newRow("official") << QStringLiteral("node") << true << false << false << best << 0 << 25
                              << QStringLiteral(
                                     "query=node&from=0&size=25&badges=official&type=image");
    QTest::newRow("verified publisher")
        << QStringLiteral("node") << false << true << false << best << 0 << 25
        << QStringLiteral("query=node&from=0&size=25&badges=verified_publisher&type=image");
    QTest::newRow("open source") << QStringLiteral("node") << false << false << true << best << 0
                                 << 25
                                 << QStringLiteral(
                                        "query=node&from=0&size=25&badges=open_source&type=image");
    QTest::newRow("all badges, most pulled")
        << QStringLiteral("node") << true << true << true << pulls << 0 << 25
        << QStringLiteral("query=node&from=0&size=25&badges=official,verified_publisher,"
                          "open_source&type=image&sort=pull_count&order=desc");
    QTest::newRow("recently updated")
        << QStringLiteral("redis") << false << true << false << updated << 0 << 25
        << QStringLiteral("query=redis&from=0&size=25&badges=verified_publisher&type=image"
                          "&sort=updated_at&order=desc");
    QTest::newRow("second page") << QStringLiteral("node") << false << false << false << best << 25
                                 << 25 << QStringLiteral("query=node&from=25&size=25&type=image");
    QTest::newRow("size capped at 100")
        << QStringLiteral("node") << false << false << false << best << 0 << 500
        << QStringLiteral("query=node&from=0&size=100&type=image");
    QTest::newRow("window ends at 2500")
        << QStringLiteral("node") << false << false << false << best << 2450 << 100
        << QStringLiteral("query=node&from=2450&size=50&type=image");
    QTest::newRow("characters that need encoding")
        << QStringLiteral("c++ & go=1 été") << false << false << false << best << 0 << 10
        << QStringLiteral("query=c%2B%2B%20%26%20go%3D1%20%C3%A9t%C3%A9&from=0&size=10&type=image");
}

void tst_HubClient::searchQuery()
{
    QFETCH(QString, text);
    QFETCH(bool, official);
    QFETCH(bool, verified);
    QFETCH(bool, openSource);
    QFETCH(int, sort);
    QFETCH(int, from);
    QFETCH(int, size);
    QFETCH(QString, expected);

    m_hub->route(SearchV4, FakeHubResponse::fixture(QStringLiteral("search-v4.json")));
    HubSearchQuery query;
    query.text = text;
    query.official = official;
    query.verifiedPublisher = verified;
    query.openSource = openSource;
    query.sort = HubSearchQuery::Sort(sort);
    query.from = from;
    query.size = size;
    const auto page = search(query);
    QVERIFY2(page, why(page));

    const QList<FakeHubRequest> requests = m_hub->requests(SearchV4);
    QCOMPARE(requests.size(), 1);
    QCOMPARE(queryItems(requests.first().query), queryItems(QUrlQuery(expected)));
    // A literal '+' would reach the Hub as a space.
    QVERIFY(!requests.first().target.contains('+'));
    QCOMPARE(requests.first().header("accept"), QByteArray("application/json"));
    QCOMPARE(requests.first().header("user-agent"), QByteArray("Berth/" BERTH_VERSION));
    QCOMPARE(page->from, from);
}

void tst_HubClient::searchParsesV4()
{
    m_hub->route(SearchV4, FakeHubResponse::fixture(QStringLiteral("search-v4.json")));
    const auto page = search({.text = QStringLiteral("node")});
    QVERIFY2(page, why(page));
    QVERIFY(!page->usedLegacyApi);
    QCOMPARE(page->total, 10421);
    QCOMPARE(page->results.size(), 4);

    const HubRepositorySummary &node = page->results.at(0);
    QCOMPARE(node.name, QStringLiteral("node"));
    QCOMPARE(node.namespaceName, QStringLiteral("library"));
    QCOMPARE(node.repositoryName, QStringLiteral("node"));
    QCOMPARE(node.publisher, QStringLiteral("Docker Official Images"));
    QCOMPARE(node.badge, HubBadge::Official);
    QCOMPARE(node.starCount, 13456);
    QCOMPARE(node.pullCount, Q_INT64_C(4728203312)); // a string in v4, past 2^32
    QCOMPARE(node.logoSmall,
             QUrl(QStringLiteral(
                 "https://hub.docker.com/api/media/repos_logo/v1/library%2Fnode/small")));
    QVERIFY(node.logoLarge.isValid());
    QCOMPARE(node.architectures,
             QStringList({QStringLiteral("amd64"),
                          QStringLiteral("arm64"),
                          QStringLiteral("arm"),
                          QStringLiteral("ppc64le"),
                          QStringLiteral("s390x")}));
    QCOMPARE(node.operatingSystems, QStringList{QStringLiteral("linux")});
    QCOMPARE(node.updated, QDateTime(QDate(2024, 5, 14), QTime(2, 7, 33, 123), Qt::UTC));

    const HubRepositorySummary &bitnami = page->results.at(1);
    QCOMPARE(bitnami.name, QStringLiteral("bitnami/node"));
    QCOMPARE(bitnami.namespaceName, QStringLiteral("bitnami"));
    QCOMPARE(bitnami.badge, HubBadge::VerifiedPublisher);
    QCOMPARE(bitnami.architectures,
             QStringList({QStringLiteral("amd64"), QStringLiteral("arm64")}));

    const HubRepositorySummary &nodeRed = page->results.at(2);
    QCOMPARE(nodeRed.badge, HubBadge::OpenSource);
    QCOMPARE(nodeRed.pullCount, 210000000);
    QVERIFY(nodeRed.logoSmall.isEmpty());
    QCOMPARE(nodeRed.architectures, QStringList({QStringLiteral("amd64"), QStringLiteral("arm")}));

    // Every field of the wrong type: defaults, no failure.
    const HubRepositorySummary &odd = page->results.at(3);
    QCOMPARE(odd.name, QStringLiteral("jean/mon-app"));
    QCOMPARE(odd.publisher, QStringLiteral("jean"));
    QCOMPARE(odd.badge, HubBadge::None);
    QCOMPARE(odd.starCount, 3);
    QCOMPARE(odd.pullCount, UnknownCount);
    QVERIFY(odd.shortDescription.isEmpty());
    QVERIFY(odd.logoSmall.isEmpty() && odd.logoLarge.isEmpty());
    QVERIFY(odd.architectures.isEmpty() && odd.operatingSystems.isEmpty());
    QVERIFY(!odd.updated.isValid());
}

void tst_HubClient::pullCount_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("numeric string past 2^31")
        << QByteArray("\"4728203312\"") << Q_INT64_C(4728203312);
    QTest::newRow("number past 2^31") << QByteArray("4728203312") << Q_INT64_C(4728203312);
    QTest::newRow("2^53") << QByteArray("9007199254740992") << Q_INT64_C(9007199254740992);
    QTest::newRow("exponent") << QByteArray("3.7e9") << Q_INT64_C(3700000000);
    QTest::newRow("zero") << QByteArray("0") << Q_INT64_C(0);
    QTest::newRow("short form 1.2B+") << QByteArray("\"1.2B+\"") << Q_INT64_C(1200000000);
    QTest::newRow("short form 10K+") << QByteArray("\"10K+\"") << Q_INT64_C(10000);
    QTest::newRow("thousands separators") << QByteArray("\"1,234,567\"") << Q_INT64_C(1234567);
    // No count anyone counted: unknown, never 0 nor the largest number.
    QTest::newRow("largest 64-bit string") << QByteArray("\"9223372036854775807\"") << UnknownCount;
    QTest::newRow("2^64") << QByteArray("18446744073709551616") << UnknownCount;
    QTest::newRow("2^64 string") << QByteArray("\"18446744073709551616\"") << UnknownCount;
    QTest::newRow("1e300") << QByteArray("1e300") << UnknownCount;
    QTest::newRow("1e400 string") << QByteArray("\"1e400\"") << UnknownCount;
    QTest::newRow("-Infinity string") << QByteArray("\"-Infinity\"") << UnknownCount;
    QTest::newRow("Infinity string") << QByteArray("\"Infinity\"") << UnknownCount;
    QTest::newRow("inf string") << QByteArray("\"inf\"") << UnknownCount;
    QTest::newRow("NaN string") << QByteArray("\"NaN\"") << UnknownCount;
    QTest::newRow("huge short form") << QByteArray("\"1e300B+\"") << UnknownCount;
    QTest::newRow("negative") << QByteArray("-5") << UnknownCount;
    QTest::newRow("negative string") << QByteArray("\"-5\"") << UnknownCount;
    QTest::newRow("not a number") << QByteArray("\"lots\"") << UnknownCount;
    QTest::newRow("null") << QByteArray("null") << UnknownCount;
    QTest::newRow("object") << QByteArray("{}") << UnknownCount;
}

void tst_HubClient::pullCount()
{
    QFETCH(QByteArray, json);
    QFETCH(qint64, expected);

    m_hub->route(
        SearchV4,
        FakeHubResponse::json(R"({"total":1,"results":[{"id":"x/y","name":"x/y","pull_count":)"
                              + json + "}]}"));
    const auto page = search({.text = QStringLiteral("y")});
    QVERIFY2(page, why(page));
    QCOMPARE(page->results.size(), 1);
    QCOMPARE(page->results.first().pullCount, expected);
}

// The same hostile numbers in every answer that has counts: repository pages, v2 search, tags.
void tst_HubClient::countsInEveryAnswer_data()
{
    pullCount_data();
}

void tst_HubClient::countsInEveryAnswer()
{
    QFETCH(QByteArray, json);
    QFETCH(qint64, expected);
    const QUrl url(QStringLiteral("https://hub.example/v2/test"));

    const auto repository = HubJson::parseRepository(R"({"name":"y","star_count":)" + json
                                                         + R"(,"pull_count":)" + json + "}",
                                                     url,
                                                     QStringLiteral("x"),
                                                     QStringLiteral("y"));
    QVERIFY2(repository, why(repository));
    QCOMPARE(repository->starCount, expected);
    QCOMPARE(repository->pullCount, expected);

    const auto v4 = HubJson::parseSearchV4(
        R"({"total":)" + json + R"(,"results":[{"id":"x/y","star_count":)" + json + "}]}", url, {});
    QVERIFY2(v4, why(v4));
    QCOMPARE(v4->results.first().starCount, expected);
    // Without a usable total, the listing ends with this page.
    QCOMPARE(v4->total, expected == UnknownCount ? 1 : expected);

    const auto v2 = HubJson::parseSearchV2(
        R"({"count":)" + json + R"(,"results":[{"repo_name":"x/y","pull_count":)" + json + "}]}",
        url,
        {},
        0);
    QVERIFY2(v2, why(v2));
    QCOMPARE(v2->results.first().pullCount, expected);
    QCOMPARE(v2->total, expected == UnknownCount ? 1 : expected);

    const auto tags = HubJson::parseTagsPage(
        R"({"count":)" + json + R"(,"results":[{"name":"t","full_size":)" + json
            + R"(,"images":[{"os":"linux","architecture":"amd64","size":)" + json + "}]}]}",
        url);
    QVERIFY2(tags, why(tags));
    QCOMPARE(tags->count, expected == UnknownCount ? std::nullopt : std::optional(expected));
    // A size nobody knows is 0, which every view shows as blank.
    const qint64 size = expected == UnknownCount ? 0 : expected;
    QCOMPARE(tags->tags.first().size, size);
    QCOMPARE(tags->tags.first().images.first().size, size);
}

void tst_HubClient::pagesTakeWhatWasAsked_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("skip");
    QTest::addColumn<int>("sent");
    QTest::addColumn<int>("expected");

    QTest::newRow("v4, 25 asked, 100,000 sent") << QStringLiteral("v4") << 25 << 0 << 100000 << 25;
    QTest::newRow("v4, 100 asked, 101 sent") << QStringLiteral("v4") << 100 << 0 << 101 << 100;
    QTest::newRow("v4, past the v4 limit") << QStringLiteral("v4") << 1000 << 0 << 1000 << 100;
    QTest::newRow("v4, fewer sent") << QStringLiteral("v4") << 25 << 0 << 3 << 3;
    QTest::newRow("v2, 25 asked, 100,000 sent") << QStringLiteral("v2") << 25 << 0 << 100000 << 25;
    QTest::newRow("v2, 10 asked from 3 in") << QStringLiteral("v2") << 10 << 3 << 100000 << 7;
    QTest::newRow("tags, 100,000 sent") << QStringLiteral("tags") << 100 << 0 << 100000 << 100;
    QTest::newRow("tags, fewer sent") << QStringLiteral("tags") << 100 << 0 << 42 << 42;
}

void tst_HubClient::pagesTakeWhatWasAsked()
{
    QFETCH(QString, answer);
    QFETCH(int, size);
    QFETCH(int, skip);
    QFETCH(int, sent);
    QFETCH(int, expected);

    QByteArray body = R"({"count":1,"total":1,"results":[)";
    for (int i = 0; i < sent; ++i) {
        body += (i ? "," : "") + QByteArray(R"({"id":"x/r)") + QByteArray::number(i)
                + R"(","repo_name":"x/r)" + QByteArray::number(i) + R"(","name":"t)"
                + QByteArray::number(i) + R"("})";
    }
    body += "]}";
    const QUrl url(QStringLiteral("https://hub.example/v2/test"));
    HubSearchQuery query;
    query.size = size;
    qsizetype taken = -1;
    if (answer == u"v4") {
        const auto page = HubJson::parseSearchV4(body, url, query);
        QVERIFY2(page, why(page));
        taken = page->results.size();
    } else if (answer == u"v2") {
        const auto page = HubJson::parseSearchV2(body, url, query, skip);
        QVERIFY2(page, why(page));
        taken = page->results.size();
        if (taken > 0)
            QCOMPARE(page->results.first().repositoryName, QStringLiteral("r%1").arg(skip));
    } else {
        const auto page = HubJson::parseTagsPage(body, url);
        QVERIFY2(page, why(page));
        taken = page->tags.size();
    }
    QCOMPARE(taken, qsizetype(expected));
}

void tst_HubClient::searchFallsBackToV2_data()
{
    QTest::addColumn<int>("v4Status");
    QTest::addColumn<bool>("official");
    QTest::addColumn<bool>("verified");
    QTest::addColumn<bool>("openSource");
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("size");
    QTest::addColumn<QString>("expectedPage");
    QTest::addColumn<QStringList>("expectedNames");
    QTest::addColumn<qint64>("expectedTotal");

    const QStringList all{QStringLiteral("node"),
                          QStringLiteral("bitnami/node"),
                          QStringLiteral("nodered/node-red"),
                          QStringLiteral("jean/mon-app")};
    QTest::newRow("no filter") << 404 << false << false << false << 0 << 25 << QStringLiteral("1")
                               << all << Q_INT64_C(4);
    QTest::newRow("v4 gone (410)")
        << 410 << false << false << false << 0 << 25 << QStringLiteral("1") << all << Q_INT64_C(4);
    QTest::newRow("official") << 404 << true << false << false << 0 << 25 << QStringLiteral("1")
                              << QStringList{QStringLiteral("node")} << Q_INT64_C(4);
    // v2 cannot tell verified or open-source repositories: those filters find nothing there.
    QTest::newRow("verified only") << 404 << false << true << false << 0 << 25
                                   << QStringLiteral("1") << QStringList() << Q_INT64_C(0);
    QTest::newRow("open source only") << 404 << false << false << true << 0 << 25
                                      << QStringLiteral("1") << QStringList() << Q_INT64_C(0);
    QTest::newRow("official or verified")
        << 404 << true << true << false << 0 << 25 << QStringLiteral("1")
        << QStringList{QStringLiteral("node")} << Q_INT64_C(4);
    QTest::newRow("offset inside a page") << 404 << false << false << false << 2 << 25
                                          << QStringLiteral("1") << all.mid(2) << Q_INT64_C(4);
    QTest::newRow("second page") << 404 << false << false << false << 50 << 25
                                 << QStringLiteral("3") << all << Q_INT64_C(4);
}

void tst_HubClient::searchFallsBackToV2()
{
    QFETCH(int, v4Status);
    QFETCH(bool, official);
    QFETCH(bool, verified);
    QFETCH(bool, openSource);
    QFETCH(int, from);
    QFETCH(int, size);
    QFETCH(QString, expectedPage);
    QFETCH(QStringList, expectedNames);
    QFETCH(qint64, expectedTotal);

    m_hub->route(SearchV4, FakeHubResponse::json("{\"detail\":\"Not found\"}", v4Status));
    m_hub->route(SearchV2, FakeHubResponse::fixture(QStringLiteral("search-v2.json")));
    const auto page = search({.text = QStringLiteral("node"),
                              .official = official,
                              .verifiedPublisher = verified,
                              .openSource = openSource,
                              .from = from,
                              .size = size});
    QVERIFY2(page, why(page));
    QVERIFY(page->usedLegacyApi);
    QCOMPARE(m_hub->requestCount(SearchV4), 1);
    const QList<FakeHubRequest> requests = m_hub->requests(SearchV2);
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().queryItem(QStringLiteral("query")), QStringLiteral("node"));
    QCOMPARE(requests.first().queryItem(QStringLiteral("page")), expectedPage);
    QCOMPARE(requests.first().queryItem(QStringLiteral("page_size")), QString::number(size));

    QStringList names;
    for (const HubRepositorySummary &result : page->results)
        names.append(result.name);
    QCOMPARE(names, expectedNames);
    QCOMPARE(page->total, expectedTotal);
    QCOMPARE(page->from, from);
    if (!expectedNames.isEmpty() && expectedNames.first() == u"node") {
        const HubRepositorySummary &node = page->results.first();
        QCOMPARE(node.namespaceName, QStringLiteral("library"));
        QCOMPARE(node.badge, HubBadge::Official);
        QCOMPARE(node.pullCount, Q_INT64_C(4728203312));
    }
}

void tst_HubClient::searchRemembersMissingV4()
{
    m_hub->route(SearchV4, FakeHubResponse::notFound());
    m_hub->route(SearchV2, FakeHubResponse::fixture(QStringLiteral("search-v2.json")));
    QVERIFY(search({.text = QStringLiteral("node")}));
    const auto second = search({.text = QStringLiteral("redis")});
    QVERIFY(second);
    QVERIFY(second->usedLegacyApi);
    QCOMPARE(m_hub->requestCount(SearchV4), 1);
    QCOMPARE(m_hub->requestCount(SearchV2), 2);
    const HubRepositorySummary &jean = second->results.last();
    QCOMPARE(jean.publisher, QStringLiteral("jean"));
    QCOMPARE(jean.badge, HubBadge::None);
}

// preconnect() opens the connection while the user types; the search after the pause takes it
// instead of opening another.
void tst_HubClient::searchTakesThePreopenedConnection()
{
    m_hub->route(SearchV4, FakeHubResponse::fixture(QStringLiteral("search-v4.json")));
    m_client->preconnect();
    QTRY_COMPARE(m_hub->connectionsAccepted(), 1);
    QCOMPARE(m_hub->requestCount(), 0);
    QVERIFY(search({.text = QStringLiteral("node")}));
    QCOMPARE(m_hub->requestCount(), 1);
    QCOMPARE(m_hub->connectionsAccepted(), 1);
}

void tst_HubClient::repository_data()
{
    QTest::addColumn<QString>("ns");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("namespacesApi");
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<qint64>("stars");
    QTest::addColumn<qint64>("pulls");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("markdown");
    QTest::addColumn<QDateTime>("lastUpdated");

    QTest::newRow("namespaces API, official image")
        << QStringLiteral("library") << QStringLiteral("node") << true
        << QStringLiteral("repository-node.json") << Q_INT64_C(13456) << Q_INT64_C(4728203312)
        << QStringLiteral("active") << QStringLiteral("```dockerfile\nFROM node:20")
        << QDateTime(QDate(2024, 5, 14), QTime(2, 7, 33, 123), Qt::UTC);
    QTest::newRow("legacy API, user repository")
        << QStringLiteral("jean") << QStringLiteral("mon-app") << false
        << QStringLiteral("repository-legacy.json") << Q_INT64_C(3) << Q_INT64_C(1234)
        << QStringLiteral("active") << QStringLiteral("Une application *rapide* et **légère**.")
        << QDateTime(QDate(2023, 11, 2), QTime(8, 15), Qt::UTC);
}

void tst_HubClient::repository()
{
    QFETCH(QString, ns);
    QFETCH(QString, name);
    QFETCH(bool, namespacesApi);
    QFETCH(QString, fixture);
    QFETCH(qint64, stars);
    QFETCH(qint64, pulls);
    QFETCH(QString, status);
    QFETCH(QString, markdown);
    QFETCH(QDateTime, lastUpdated);

    const QString current = u"/v2/namespaces/" + ns + u"/repositories/" + name;
    const QString legacy = u"/v2/repositories/" + ns + u'/' + name + u'/';
    if (namespacesApi)
        m_hub->route(current, FakeHubResponse::fixture(fixture));
    else
        m_hub->route(legacy, FakeHubResponse::fixture(fixture));

    const auto repo = repository(ns, name);
    QVERIFY2(repo, why(repo));
    QCOMPARE(repo->namespaceName, ns);
    QCOMPARE(repo->name, name);
    QCOMPARE(repo->starCount, stars);
    QCOMPARE(repo->pullCount, pulls);
    QCOMPARE(repo->status, status);
    QVERIFY(!repo->description.isEmpty());
    QVERIFY2(repo->fullDescription.contains(markdown), qPrintable(repo->fullDescription));
    QCOMPARE(repo->lastUpdated, lastUpdated);
    QVERIFY(repo->dateRegistered.isValid());
    QVERIFY(!repo->isPrivate);
    QCOMPARE(m_hub->requestCount(current), 1);
    QCOMPARE(m_hub->requestCount(legacy), namespacesApi ? 0 : 1);
}

void tst_HubClient::repositoryNotFound_data()
{
    QTest::addColumn<QString>("ns");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("message");

    QTest::newRow("official") << QStringLiteral("library") << QStringLiteral("nope")
                              << QStringLiteral("repository 'nope' was not found on Docker Hub");
    QTest::newRow("user") << QStringLiteral("someone") << QStringLiteral("nope")
                          << QStringLiteral(
                                 "repository 'someone/nope' was not found on Docker Hub");
}

void tst_HubClient::repositoryNotFound()
{
    QFETCH(QString, ns);
    QFETCH(QString, name);
    QFETCH(QString, message);

    const auto repo = repository(ns, name);
    QVERIFY(!repo);
    QCOMPARE(repo.error().kind, Error::Kind::NotFound);
    QCOMPARE(repo.error().message, message);
    QCOMPARE(repo.error().httpStatus, 404);
    QCOMPARE(m_hub->requestCount(u"/v2/namespaces/" + ns + u"/repositories/" + name), 1);
    QCOMPARE(m_hub->requestCount(u"/v2/repositories/" + ns + u'/' + name + u'/'), 1);
}

void tst_HubClient::invalidName_data()
{
    QTest::addColumn<QString>("ns");
    QTest::addColumn<QString>("name");

    QTest::newRow("uppercase") << QStringLiteral("Library") << QStringLiteral("node");
    QTest::newRow("nested path") << QStringLiteral("library") << QStringLiteral("no/de");
    QTest::newRow("empty namespace") << QString() << QStringLiteral("node");
    QTest::newRow("path traversal") << QStringLiteral("..") << QStringLiteral("node");
}

void tst_HubClient::invalidName()
{
    QFETCH(QString, ns);
    QFETCH(QString, name);

    const auto repo = repository(ns, name);
    QVERIFY(!repo);
    QCOMPARE(repo.error().kind, Error::Kind::InvalidArgument);
    const auto list = tags(ns, name);
    QVERIFY(!list);
    QCOMPARE(list.error().kind, Error::Kind::InvalidArgument);
    QCOMPARE(m_hub->requestCount(), 0);
}

void tst_HubClient::tagsThreePages()
{
    m_hub->route(NodeTags, [](const FakeHubRequest &request) {
        return FakeHubResponse::fixture(
            QStringLiteral("tags-node-page%1.json").arg(request.queryItem(QStringLiteral("page"))));
    });
    QList<std::pair<int, int>> progress;
    const auto list = tags(QStringLiteral("library"), QStringLiteral("node"), &progress);
    QVERIFY2(list, why(list));

    // In page order, every tag once, each page asked for once.
    QStringList names;
    for (const TagInfo &tag : *list)
        names.append(tag.name);
    QCOMPARE(names, fixtureTagNames(1) + fixtureTagNames(2) + fixtureTagNames(3));
    QCOMPARE(list->size(), 230);
    QStringList pages;
    for (const FakeHubRequest &request : m_hub->requests(NodeTags)) {
        pages.append(request.queryItem(QStringLiteral("page")));
        QCOMPARE(request.queryItem(QStringLiteral("page_size")), QStringLiteral("100"));
    }
    pages.sort();
    QCOMPARE(pages, QStringList({QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
    QCOMPARE(progress.constLast(), std::pair(3, 3));

    const auto byName = [&](const QString &name) {
        return *std::find_if(
            list->begin(), list->end(), [&](const TagInfo &t) { return t.name == name; });
    };
    const TagInfo alpine = byName(QStringLiteral("15.0.1-alpine3.10"));
    QCOMPARE(alpine.digest.toString(), sha256Of("node-15.0.1-alpine3.10"));
    QCOMPARE(alpine.mediaType, QStringLiteral("application/vnd.oci.image.index.v1+json"));
    QCOMPARE(alpine.status, QStringLiteral("active"));
    QCOMPARE(alpine.lastUpdated, QDateTime(QDate(2020, 10, 21), QTime(0, 4, 11, 500), Qt::UTC));
    QCOMPARE(alpine.images.size(), 2);
    QCOMPARE(alpine.images.at(1).platform.os, QStringLiteral("linux"));
    QCOMPARE(alpine.images.at(1).platform.architecture, QStringLiteral("arm64"));
    QCOMPARE(alpine.images.at(1).platform.variant, QStringLiteral("v8"));
    QCOMPARE(alpine.images.at(1).digest.toString(),
             sha256Of("node-15.0.1-alpine3.10/linux/arm64/v8"));
    QVERIFY(alpine.images.at(0).size > 0);
    QCOMPARE(alpine.size, std::max(alpine.images.at(0).size, alpine.images.at(1).size));

    const TagInfo broken = byName(QStringLiteral("broken-push"));
    QVERIFY(!broken.digest.isValid());
    QCOMPARE(broken.status, QStringLiteral("inactive"));
    const TagInfo legacy = byName(QStringLiteral("legacy-status"));
    QCOMPARE(legacy.status, QStringLiteral("active"));
    QCOMPARE(legacy.mediaType,
             QStringLiteral("application/vnd.docker.distribution.manifest.v2+json"));

    // Tags of one image, spread over the three pages, end up in one group.
    const QList<TagGroup> groups = groupTagsByDigest(*list);
    QCOMPARE(groups.size(), 172);
    const auto group = std::find_if(groups.begin(), groups.end(), [](const TagGroup &g) {
        return g.tags.contains(u"alpine3.10");
    });
    QVERIFY(group != groups.end());
    QCOMPARE(group->tags,
             QStringList({QStringLiteral("15.0.1-alpine3.10"),
                          QStringLiteral("15.0-alpine3.10"),
                          QStringLiteral("15-alpine3.10"),
                          QStringLiteral("alpine3.10")}));
    QCOMPARE(group->platforms().size(), 2);
    QCOMPARE(group->platforms().at(0).toString(), QStringLiteral("linux/amd64"));
    QCOMPARE(group->platforms().at(1).toString(), QStringLiteral("linux/arm64/v8"));
    QCOMPARE(groups.constFirst().tags.constLast(), QStringLiteral("18.0.0")); // newest first
}

void tst_HubClient::tagsLegacyPath()
{
    m_hub->route(NodeTagsLegacy, [](const FakeHubRequest &request) {
        return FakeHubResponse::fixture(
            QStringLiteral("tags-node-page%1.json").arg(request.queryItem(QStringLiteral("page"))));
    });
    const auto list = tags(QStringLiteral("library"), QStringLiteral("node"));
    QVERIFY2(list, why(list));
    QCOMPARE(list->size(), 230);
    QCOMPARE(m_hub->requestCount(NodeTags), 1);
    QCOMPARE(m_hub->requestCount(NodeTagsLegacy), 3);
}

void tst_HubClient::tagsNotFound()
{
    const auto list = tags(QStringLiteral("library"), QStringLiteral("nope"));
    QVERIFY(!list);
    QCOMPARE(list.error().kind, Error::Kind::NotFound);
    QCOMPARE(list.error().message, QStringLiteral("repository 'nope' was not found on Docker Hub"));
}

void tst_HubClient::tagsFollowNextWithoutCount()
{
    // No count: the pages can only be walked one after the other. The links name the public
    // Hub, as a mirror's answers would; the client must stay on the Hub it was given.
    m_hub->route(NodeTags, [](const FakeHubRequest &request) {
        const int page = request.queryItem(QStringLiteral("page")).toInt();
        QJsonArray results;
        for (int i = 0; i < 10; ++i)
            results.append(
                QJsonObject{{QStringLiteral("name"), QStringLiteral("p%1-%2").arg(page).arg(i)}});
        QJsonObject object{{QStringLiteral("results"), results}};
        object.insert(
            QStringLiteral("next"),
            page < 4 ? QJsonValue(QStringLiteral("https://hub.docker.com%1?page=%2&page_size=100")
                                      .arg(NodeTags)
                                      .arg(page + 1))
                     : QJsonValue());
        return FakeHubResponse::json(QJsonDocument(object).toJson()).withDelay(5);
    });
    QList<std::pair<int, int>> progress;
    const auto list = tags(QStringLiteral("library"), QStringLiteral("node"), &progress);
    QVERIFY2(list, why(list));
    QCOMPARE(list->size(), 40);
    QCOMPARE(list->constLast().name, QStringLiteral("p4-9"));
    QCOMPARE(m_hub->requestCount(NodeTags), 4);
    QCOMPARE(m_hub->maxInFlight(), 1);
    QCOMPARE(progress.constLast(), std::pair(4, 0)); // total unknown
}

void tst_HubClient::tagsSmallerPagesShiftedAndGrown()
{
    // The server pages by 2 whatever we ask, a tag pushed meanwhile shifts page 2 by one, and
    // the count (4) is already stale: dedupe, and follow page 2's `next` to the fifth tag.
    m_hub->route(NodeTags, [](const FakeHubRequest &request) {
        const int page = request.queryItem(QStringLiteral("page")).toInt();
        const QList<QStringList> pages{{QStringLiteral("a"), QStringLiteral("b")},
                                       {QStringLiteral("b"), QStringLiteral("c")},
                                       {QStringLiteral("d"), QStringLiteral("e")}};
        QJsonArray results;
        for (const QString &name : pages.value(page - 1))
            results.append(QJsonObject{{QStringLiteral("name"), name}});
        QJsonObject object{{QStringLiteral("count"), 4}, {QStringLiteral("results"), results}};
        if (page < 3)
            object.insert(QStringLiteral("next"),
                          QStringLiteral("%1?page=%2&page_size=2").arg(NodeTags).arg(page + 1));
        return FakeHubResponse::json(QJsonDocument(object).toJson());
    });
    const auto list = tags(QStringLiteral("library"), QStringLiteral("node"));
    QVERIFY2(list, why(list));
    QStringList names;
    for (const TagInfo &tag : *list)
        names.append(tag.name);
    QCOMPARE(names,
             QStringList({QStringLiteral("a"),
                          QStringLiteral("b"),
                          QStringLiteral("c"),
                          QStringLiteral("d"),
                          QStringLiteral("e")}));
    QCOMPARE(m_hub->requestCount(NodeTags), 3);
}

void tst_HubClient::tagsTenThousand()
{
    constexpr int count = 10000;
    constexpr int pageSize = 100;
    m_hub->route(NodeTags, [](const FakeHubRequest &request) {
        // A little latency lets the pages pile up, so the test sees how many were in flight.
        return generatedTagsPage(request, count, pageSize).withDelay(10);
    });
    QList<std::pair<int, int>> progress;
    const auto list = tags(QStringLiteral("library"), QStringLiteral("node"), &progress);
    QVERIFY2(list, why(list));
    QCOMPARE(list->size(), count);

    QSet<QString> names;
    for (const TagInfo &tag : *list)
        names.insert(tag.name);
    QCOMPARE(names.size(), count);
    QCOMPARE(list->at(4321).name, QStringLiteral("t4321")); // page order kept

    QList<int> pages;
    for (const FakeHubRequest &request : m_hub->requests(NodeTags))
        pages.append(request.queryItem(QStringLiteral("page")).toInt());
    std::sort(pages.begin(), pages.end());
    QList<int> everyPageOnce(count / pageSize);
    std::iota(everyPageOnce.begin(), everyPageOnce.end(), 1);
    QCOMPARE(pages, everyPageOnce);
    QVERIFY2(m_hub->maxInFlight() > 1, "pages after the first must be fetched concurrently");
    QVERIFY2(m_hub->maxInFlight() <= 6, qPrintable(QString::number(m_hub->maxInFlight())));

    QCOMPARE(progress.constFirst(), std::pair(1, 100));
    QCOMPARE(progress.constLast(), std::pair(100, 100));
    for (qsizetype i = 1; i < progress.size(); ++i)
        QVERIFY(progress.at(i).first > progress.at(i - 1).first);

    // The best of a few runs: on a shared machine one run mostly measures the neighbours.
    QList<TagGroup> groups;
    qint64 best = std::numeric_limits<qint64>::max();
    for (int run = 0; run < 3; ++run) {
        QElapsedTimer timer;
        timer.start();
        groups = groupTagsByDigest(*list);
        best = std::min(best, timer.nsecsElapsed());
    }
    qDebug("grouped %lld tags into %lld groups in %.2f ms (best of 3)",
           qlonglong(list->size()),
           qlonglong(groups.size()),
           double(best) / 1e6);
    QCOMPARE(groups.size(), count / 10);
    for (const TagGroup &group : groups) {
        QCOMPARE(group.tags.size(), 10);
        QCOMPARE(group.images.size(), 2);
    }
}

// The pull dialog's choice of tags: one page, asked for by last update, newest first whatever
// order the answer kept, no more than asked.
void tst_HubClient::recentTagsOneRequestNewestFirst()
{
    m_hub->route(NodeTags, FakeHubResponse::fixture(QStringLiteral("tags-node-page1.json")));
    const auto list = await<QList<TagInfo>>([&](auto done) {
        m_client->recentTags(QStringLiteral("library"), QStringLiteral("node"), 20, done);
    });
    QVERIFY2(list, why(list));
    QCOMPARE(list->size(), 20);
    for (qsizetype i = 1; i < list->size(); ++i)
        QVERIFY(list->at(i - 1).lastUpdated >= list->at(i).lastUpdated);

    // The newest of the whole page leads, even though the page was not in that order.
    const auto page
        = HubJson::parseTagsPage(hubFixture(QStringLiteral("tags-node-page1.json")), QUrl());
    QVERIFY(page);
    const auto newest = std::max_element(
        page->tags.cbegin(), page->tags.cend(), [](const TagInfo &a, const TagInfo &b) {
            return a.lastUpdated < b.lastUpdated;
        });
    QCOMPARE(list->first().lastUpdated, newest->lastUpdated);

    QCOMPARE(m_hub->requestCount(), 1);
    const FakeHubRequest request = m_hub->requests(NodeTags).first();
    QCOMPARE(request.queryItem(QStringLiteral("page_size")), QStringLiteral("20"));
    QCOMPARE(request.queryItem(QStringLiteral("page")), QStringLiteral("1"));
    QCOMPARE(request.queryItem(QStringLiteral("ordering")), QStringLiteral("last_updated"));
}

void tst_HubClient::recentTagsLegacyAndNotFound()
{
    m_hub->route(NodeTagsLegacy, FakeHubResponse::fixture(QStringLiteral("tags-node-page1.json")));
    const auto legacy = await<QList<TagInfo>>([&](auto done) {
        m_client->recentTags(QStringLiteral("library"), QStringLiteral("node"), 500, done);
    });
    QVERIFY2(legacy, why(legacy));
    QCOMPARE(legacy->size(), 100); // at most one page of 100
    QCOMPARE(m_hub->requests(NodeTagsLegacy).first().queryItem(QStringLiteral("page_size")),
             QStringLiteral("100"));

    const auto missing = await<QList<TagInfo>>([&](auto done) {
        m_client->recentTags(QStringLiteral("library"), QStringLiteral("nope"), 10, done);
    });
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
    QCOMPARE(missing.error().message,
             QStringLiteral("repository 'nope' was not found on Docker Hub"));
}

void tst_HubClient::rateLimitRetryAfter()
{
    m_hub->routeSequence(NodeRepository,
                         {FakeHubResponse::tooManyRequests(1),
                          FakeHubResponse::fixture(QStringLiteral("repository-node.json"))});
    const auto repo = repository(QStringLiteral("library"), QStringLiteral("node"));
    QVERIFY2(repo, why(repo));
    QCOMPARE(repo->name, QStringLiteral("node"));
    QCOMPARE(m_hub->requestCount(NodeRepository), 2);
}

void tst_HubClient::rateLimitExhausted()
{
    m_client->setRateLimitRetries(1, std::chrono::seconds(5));
    m_hub->route(NodeRepository, FakeHubResponse::tooManyRequests(1));
    const auto repo = repository(QStringLiteral("library"), QStringLiteral("node"));
    QVERIFY(!repo);
    QCOMPARE(repo.error().kind, Error::Kind::RateLimited);
    QCOMPARE(repo.error().httpStatus, 429);
    QCOMPARE(repo.error().retryAfter, std::optional(std::chrono::seconds(1)));
    QVERIFY2(repo.error().message.startsWith(u"Docker Hub rate limit reached; try again in 1 "),
             qPrintable(repo.error().message));
    QCOMPARE(m_hub->requestCount(NodeRepository), 2);
}

void tst_HubClient::rateLimitLongerThanAllowed()
{
    // Waiting less than the Hub asked would only burn another request: fail at once.
    m_client->setRateLimitRetries(3, std::chrono::seconds(30));
    m_hub->route(NodeRepository, FakeHubResponse::tooManyRequests(3600));
    const auto repo = repository(QStringLiteral("library"), QStringLiteral("node"));
    QVERIFY(!repo);
    QCOMPARE(repo.error().kind, Error::Kind::RateLimited);
    QCOMPARE(repo.error().retryAfter, std::optional(std::chrono::seconds(3600)));
    QCOMPARE(repo.error().message,
             QStringLiteral("Docker Hub rate limit reached; try again in 3600 seconds"));
    QCOMPARE(m_hub->requestCount(NodeRepository), 1);
}

void tst_HubClient::rateLimitHeaders_data()
{
    QTest::addColumn<QByteArray>("limit");
    QTest::addColumn<QByteArray>("remaining");
    QTest::addColumn<QByteArray>("reset");
    QTest::addColumn<int>("expectedLimit");
    QTest::addColumn<int>("expectedRemaining");
    QTest::addColumn<QDateTime>("expectedReset");

    QTest::newRow("Hub API") << QByteArray("180") << QByteArray("179") << QByteArray("1715652453")
                             << 180 << 179 << QDateTime::fromSecsSinceEpoch(1715652453, Qt::UTC);
    QTest::newRow("registry style with window")
        << QByteArray("100;w=21600") << QByteArray("76;w=21600") << QByteArray() << 100 << 76
        << QDateTime();
    QTest::newRow("absent") << QByteArray() << QByteArray() << QByteArray() << -1 << -1
                            << QDateTime();
}

void tst_HubClient::rateLimitHeaders()
{
    QFETCH(QByteArray, limit);
    QFETCH(QByteArray, remaining);
    QFETCH(QByteArray, reset);
    QFETCH(int, expectedLimit);
    QFETCH(int, expectedRemaining);
    QFETCH(QDateTime, expectedReset);

    FakeHubResponse response = FakeHubResponse::fixture(QStringLiteral("repository-node.json"));
    if (!limit.isEmpty())
        response.withHeader("X-RateLimit-Limit", limit);
    if (!remaining.isEmpty())
        response.withHeader("X-RateLimit-Remaining", remaining);
    if (!reset.isEmpty())
        response.withHeader("X-RateLimit-Reset", reset);
    m_hub->route(NodeRepository, response);

    QList<HubRateLimit> signalled;
    connect(m_client.get(), &HubClient::rateLimitChanged, this, [&](const HubRateLimit &l) {
        signalled.append(l);
    });
    QVERIFY(repository(QStringLiteral("library"), QStringLiteral("node")));

    const HubRateLimit known = m_client->lastRateLimit();
    QCOMPARE(known.limit, expectedLimit);
    QCOMPARE(known.remaining, expectedRemaining);
    QCOMPARE(known.reset, expectedReset);
    QCOMPARE(known.isKnown(), expectedLimit >= 0);
    QCOMPARE(signalled.size(), expectedLimit >= 0 ? 1 : 0);
    if (!signalled.isEmpty())
        QCOMPARE(signalled.first().remaining, expectedRemaining);
}

void tst_HubClient::serverErrors_data()
{
    QTest::addColumn<QList<int>>("statuses");
    QTest::addColumn<bool>("succeeds");

    QTest::newRow("500 then 200") << QList<int>{500} << true;
    QTest::newRow("502, 503 then 200") << QList<int>{502, 503} << true;
    QTest::newRow("500 three times") << QList<int>{500, 500, 500} << false;
}

void tst_HubClient::serverErrors()
{
    QFETCH(QList<int>, statuses);
    QFETCH(bool, succeeds);

    QList<FakeHubResponse> answers;
    for (int status : statuses)
        answers.append(FakeHubResponse::serverError(status));
    if (succeeds)
        answers.append(FakeHubResponse::fixture(QStringLiteral("repository-node.json")));
    m_hub->routeSequence(NodeRepository, answers);

    const auto repo = repository(QStringLiteral("library"), QStringLiteral("node"));
    QCOMPARE(m_hub->requestCount(NodeRepository), succeeds ? int(statuses.size()) + 1 : 3);
    if (succeeds) {
        QVERIFY2(repo, why(repo));
        QCOMPARE(repo->pullCount, Q_INT64_C(4728203312));
        return;
    }
    QVERIFY(!repo);
    QCOMPARE(repo.error().kind, Error::Kind::Server);
    QCOMPARE(repo.error().httpStatus, 500);
}

void tst_HubClient::invalidAnswers_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    const QByteArray malformed = hubFixture(QStringLiteral("malformed.json"));
    QTest::newRow("search, malformed")
        << QStringLiteral("search") << SearchV4 << malformed
        << QStringLiteral("Docker Hub sent an invalid answer for /api/search/v4: ");
    QTest::newRow("repository, malformed")
        << QStringLiteral("repository") << NodeRepository << malformed
        << QStringLiteral(
               "Docker Hub sent an invalid answer for /v2/namespaces/library/repositories/node: ");
    QTest::newRow("tags, malformed")
        << QStringLiteral("tags") << NodeTags << malformed
        << QStringLiteral("Docker Hub sent an invalid answer for "
                          "/v2/namespaces/library/repositories/node/tags: ");
    QTest::newRow("search, an array")
        << QStringLiteral("search") << SearchV4 << QByteArray("[1, 2]")
        << QStringLiteral("/api/search/v4: expected a JSON object");
    QTest::newRow("search, results not a list")
        << QStringLiteral("search") << SearchV4 << QByteArray(R"({"total": 1, "results": 5})")
        << QStringLiteral("/api/search/v4: no \"results\" list");
    QTest::newRow("tags, an error object with 200")
        << QStringLiteral("tags") << NodeTags << QByteArray(R"({"message": "maintenance"})")
        << QStringLiteral("/tags: no \"results\" list");
    QTest::newRow("tags, nested too deep")
        << QStringLiteral("tags") << NodeTags
        << QByteArray("{\"results\": " + QByteArray(200, '[') + QByteArray(200, ']') + "}")
        << QStringLiteral("nested deeper than 64 levels");
    QTest::newRow("repository, larger than 32 MiB")
        << QStringLiteral("repository") << NodeRepository
        << QByteArray("{\"full_description\": \"" + QByteArray(33 * 1024 * 1024, 'x') + "\"}")
        << QStringLiteral("larger than 32 MiB");
}

void tst_HubClient::invalidAnswers()
{
    QFETCH(QString, what);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);

    m_hub->route(path, FakeHubResponse::json(body));
    Error error;
    if (what == u"search") {
        const auto page = search({.text = QStringLiteral("node")});
        QVERIFY(!page);
        error = page.error();
    } else if (what == u"repository") {
        const auto repo = repository(QStringLiteral("library"), QStringLiteral("node"));
        QVERIFY(!repo);
        error = repo.error();
    } else {
        const auto list = tags(QStringLiteral("library"), QStringLiteral("node"));
        QVERIFY(!list);
        error = list.error();
    }
    QCOMPARE(error.kind, Error::Kind::Protocol);
    QVERIFY2(error.message.contains(expected), qPrintable(error.message));
    QCOMPARE(m_hub->requestCount(path), 1); // an invalid answer is not retried
}

void tst_HubClient::networkError()
{
    // A port that was just free: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    QUrl closed = m_hub->url();
    closed.setPort(probe.serverPort());
    probe.close();
    m_client->setBaseUrl(closed);

    const auto repo = repository(QStringLiteral("library"), QStringLiteral("node"));
    QVERIFY(!repo);
    QCOMPARE(repo.error().kind, Error::Kind::Network);
    QVERIFY2(repo.error().message.contains(u"127.0.0.1"), qPrintable(repo.error().message));
}

void tst_HubClient::destroyedWhileInFlight()
{
    m_hub->route(NodeRepository,
                 FakeHubResponse::fixture(QStringLiteral("repository-node.json")).withDelay(60000));
    bool called = false;
    m_client->repository(
        QStringLiteral("library"), QStringLiteral("node"), [&](auto) { called = true; });
    QTRY_COMPARE(m_hub->inFlight(), 1);
    m_client.reset();
    // The client hung up: the server sees the connection drop, and nobody is called back.
    QTRY_COMPARE(m_hub->inFlight(), 0);
    QVERIFY(!called);
}

void tst_HubClient::defaultBaseUrl_data()
{
    QTest::addColumn<QByteArray>("environment"); // null: unset
    QTest::addColumn<QUrl>("expected");

    const QUrl hub(QStringLiteral("https://hub.docker.com"));
    QTest::newRow("unset") << QByteArray() << hub;
    QTest::newRow("empty") << QByteArray("") << hub;
    QTest::newRow("local server") << QByteArray("http://127.0.0.1:5555")
                                  << QUrl(QStringLiteral("http://127.0.0.1:5555"));
    QTest::newRow("with a path") << QByteArray("https://hub.example.org/mirror/")
                                 << QUrl(QStringLiteral("https://hub.example.org/mirror/"));
    QTest::newRow("not http") << QByteArray("ftp://hub.example.org") << hub;
    QTest::newRow("no host") << QByteArray("http://") << hub;
    QTest::newRow("not a URL") << QByteArray("::: nope") << hub;
}

void tst_HubClient::defaultBaseUrl()
{
    QFETCH(QByteArray, environment);
    QFETCH(QUrl, expected);

    const QByteArray saved = qgetenv("BERTH_HUB_URL");
    const bool wasSet = qEnvironmentVariableIsSet("BERTH_HUB_URL");
    if (environment.isNull())
        qunsetenv("BERTH_HUB_URL");
    else
        qputenv("BERTH_HUB_URL", environment);
    const QUrl actual = HubClient::defaultBaseUrl();
    const QUrl fromClient = HubClient(m_network.get()).baseUrl();
    if (wasSet)
        qputenv("BERTH_HUB_URL", saved);
    else
        qunsetenv("BERTH_HUB_URL");

    QCOMPARE(actual, expected);
    QCOMPARE(fromClient, expected);
}

void tst_HubClient::baseUrlFromEnvironmentAndPrefix()
{
    QUrl prefixed = m_hub->url();
    prefixed.setPath(QStringLiteral("/hub/"));
    qputenv("BERTH_HUB_URL", prefixed.toEncoded());
    HubClient client(m_network.get());
    qunsetenv("BERTH_HUB_URL");

    m_hub->route(u"/hub" + SearchV4, FakeHubResponse::fixture(QStringLiteral("search-v4.json")));
    const auto page = await<HubSearchPage>(
        [&](auto done) { client.search({.text = QStringLiteral("node")}, done); });
    QVERIFY2(page, why(page));
    QCOMPARE(page->results.size(), 4);
    QCOMPARE(m_hub->requestCount(u"/hub" + SearchV4), 1);
}

QTEST_GUILESS_MAIN(tst_HubClient)
#include "tst_hubclient.moc"
