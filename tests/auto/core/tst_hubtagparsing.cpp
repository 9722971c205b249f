// The Hub client parses tags pages on the thread pool: the same tags as parsing each page in
// place, callbacks on the client's thread, a bad later page failing the listing once, and nothing
// called back once the client is gone while pages are still being parsed.
#include "asynctest.h"
#include "fakehubserver.h"
#include "poolblocker.h"
#include "registry/hubclient.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString NodeTags = u"/v2/namespaces/library/repositories/node/tags"_s;

QByteArray fixturePage(int page)
{
    return hubFixture(u"tags-node-page%1.json"_s.arg(page));
}

void compareTags(const TagInfo &actual, const TagInfo &expected)
{
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.digest, expected.digest);
    QCOMPARE(actual.mediaType, expected.mediaType);
    QCOMPARE(actual.size, expected.size);
    QCOMPARE(actual.lastUpdated, expected.lastUpdated);
    QCOMPARE(actual.status, expected.status);
    QCOMPARE(actual.images.size(), expected.images.size());
    for (qsizetype i = 0; i < actual.images.size(); ++i) {
        QCOMPARE(actual.images.at(i).platform, expected.images.at(i).platform);
        QCOMPARE(actual.images.at(i).digest, expected.images.at(i).digest);
        QCOMPARE(actual.images.at(i).size, expected.images.at(i).size);
        QCOMPARE(actual.images.at(i).lastPushed, expected.images.at(i).lastPushed);
    }
}

} // namespace

class tst_HubTagParsing final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void sameAsParsingInPlace();
    void callbacksOnTheClientThread();
    void badLaterPage_data();
    void badLaterPage();
    void destroyedWhileParsing();

private:
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<FakeHubServer> m_hub;
    std::unique_ptr<HubClient> m_client;
};

void tst_HubTagParsing::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

void tst_HubTagParsing::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_hub = std::make_unique<FakeHubServer>();
    QVERIFY(m_hub->listen());
    m_client = std::make_unique<HubClient>(m_network.get());
    m_client->setBaseUrl(m_hub->url());
    m_client->setRateLimitRetries(0, std::chrono::seconds(0));
    m_hub->route(NodeTags, [](const FakeHubRequest &request) {
        return FakeHubResponse::json(fixturePage(request.queryItem(u"page"_s).toInt()));
    });
}

void tst_HubTagParsing::cleanup()
{
    m_client.reset();
    QThreadPool::globalInstance()->waitForDone();
    m_hub.reset();
    m_network.reset();
}

void tst_HubTagParsing::sameAsParsingInPlace()
{
    QList<TagInfo> expected;
    for (int page = 1; page <= 3; ++page) {
        const auto parsed = HubJson::parseTagsPage(fixturePage(page), m_hub->url());
        QVERIFY2(parsed, why(parsed));
        expected += parsed->tags;
    }
    QCOMPARE(expected.size(), 230);

    const auto tags
        = await<QList<TagInfo>>([&](auto done) { m_client->tags(u"library"_s, u"node"_s, done); });
    QVERIFY2(tags, why(tags));
    QCOMPARE(tags->size(), expected.size());
    for (qsizetype i = 0; i < tags->size(); ++i) {
        compareTags(tags->at(i), expected.at(i));
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(u"tag %1 (%2) differs"_s.arg(i).arg(expected.at(i).name)));
    }
}

void tst_HubTagParsing::callbacksOnTheClientThread()
{
    QList<std::pair<int, int>> progress;
    bool progressElsewhere = false;
    bool doneElsewhere = false;
    QThread *const clientThread = m_client->thread();
    const auto tags = await<QList<TagInfo>>([&](auto done) {
        m_client->tags(
            u"library"_s,
            u"node"_s,
            [&, done](Result<QList<TagInfo>> result) {
                doneElsewhere = QThread::currentThread() != clientThread;
                done(std::move(result));
            },
            [&](int finished, int total) {
                progressElsewhere = progressElsewhere || QThread::currentThread() != clientThread;
                progress.append({finished, total});
            });
    });
    QVERIFY2(tags, why(tags));
    QVERIFY(!progressElsewhere);
    QVERIFY(!doneElsewhere);
    QCOMPARE(progress,
             (QList<std::pair<int, int>>{{1, 3}, {2, 3}, {3, 3}})); // one step per page, in order
}

void tst_HubTagParsing::badLaterPage_data()
{
    QTest::addColumn<int>("badPage");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    const QByteArray deep = QByteArray(100, '[') + QByteArray(100, ']');
    QTest::newRow("page 2 malformed") << 2 << hubFixture(u"malformed.json"_s) << u"offset"_s;
    QTest::newRow("page 3 malformed") << 3 << hubFixture(u"malformed.json"_s) << u"offset"_s;
    QTest::newRow("page 2 nested too deeply") << 2 << deep << u"nested deeper"_s;
    QTest::newRow("page 3 not an object") << 3 << QByteArray("[1,2]") << u"JSON object"_s;
}

void tst_HubTagParsing::badLaterPage()
{
    QFETCH(int, badPage);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);

    m_hub->route(NodeTags, [badPage, body](const FakeHubRequest &request) {
        const int page = request.queryItem(u"page"_s).toInt();
        return FakeHubResponse::json(page == badPage ? body : fixturePage(page));
    });
    int calls = 0;
    const auto tags = await<QList<TagInfo>>([&](auto done) {
        m_client->tags(u"library"_s, u"node"_s, [&, done](Result<QList<TagInfo>> result) {
            ++calls;
            done(std::move(result));
        });
    });
    QVERIFY(!tags);
    QCOMPARE(tags.error().kind, Error::Kind::Protocol);
    QVERIFY2(tags.error().message.contains(expected), qPrintable(tags.error().message));
    // Pages parsed after the failure are dropped: the listing fails once.
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(calls, 1);
}

void tst_HubTagParsing::destroyedWhileParsing()
{
    // The pool is held once the first page is in, so the later pages wait there to be parsed
    // while the client goes away.
    std::unique_ptr<PoolBlocker> blocker;
    bool called = false;
    m_client->tags(
        u"library"_s,
        u"node"_s,
        [&](Result<QList<TagInfo>>) { called = true; },
        [&](int finished, int) {
            if (finished == 1)
                blocker = std::make_unique<PoolBlocker>();
        });
    QTRY_VERIFY(blocker);
    QTRY_COMPARE(m_hub->requestCount(NodeTags), 3);
    QTRY_COMPARE(m_hub->inFlight(), 0);
    m_client.reset();
    blocker->release();
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QVERIFY(!called);
}

QTEST_GUILESS_MAIN(tst_HubTagParsing)
#include "tst_hubtagparsing.moc"
