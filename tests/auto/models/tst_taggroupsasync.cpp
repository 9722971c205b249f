// TagGroupsModel groups a loaded repository's tags on the thread pool: the rows are those
// setTags() builds in place, the model stays loading until they are in, and a repository opened
// meanwhile drops the grouping still under way.
#include "asynctest.h"
#include "fakehubserver.h"
#include "poolblocker.h"
#include "registry/hubclient.h"
#include "taggroupsmodel.h"

#include <QAbstractItemModelTester>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString NodeTags = u"/v2/namespaces/library/repositories/node/tags"_s;

// Every row and child as text, column by column, with the roles the views and filters use.
QStringList dump(const QAbstractItemModel &model)
{
    QStringList lines;
    const auto row = [&](const QModelIndex &parent, int r) {
        QStringList cells;
        for (int column = 0; column < model.columnCount(parent); ++column) {
            const QModelIndex index = model.index(r, column, parent);
            cells << index.data(Qt::DisplayRole).toString()
                  << index.data(TagGroupsModel::RawValueRole).toString();
        }
        const QModelIndex first = model.index(r, 0, parent);
        cells << first.data(TagGroupsModel::TagNamesRole).toStringList().join(u',')
              << first.data(TagGroupsModel::DigestRole).toString()
              << first.data(TagGroupsModel::PlatformsRole).toStringList().join(u',');
        return cells.join(u'|');
    };
    for (int r = 0; r < model.rowCount(); ++r) {
        lines << row({}, r);
        const QModelIndex group = model.index(r, 0);
        for (int child = 0; child < model.rowCount(group); ++child)
            lines << u"  "_s + row(group, child);
    }
    return lines;
}

} // namespace

class tst_TagGroupsAsync final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void sameRowsAsSetTags();
    void loadingUntilGrouped();
    void newRepositoryDropsTheGrouping();

private:
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<FakeHubServer> m_hub;
    std::unique_ptr<HubClient> m_client;
    std::unique_ptr<TagGroupsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_TagGroupsAsync::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void tst_TagGroupsAsync::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_hub = std::make_unique<FakeHubServer>();
    QVERIFY(m_hub->listen());
    m_client = std::make_unique<HubClient>(m_network.get());
    m_client->setBaseUrl(m_hub->url());
    m_client->setRateLimitRetries(0, std::chrono::seconds(0));
    m_hub->route(NodeTags, [](const FakeHubRequest &request) {
        return FakeHubResponse::fixture(
            u"tags-node-page%1.json"_s.arg(request.queryItem(u"page"_s)));
    });
    m_model = std::make_unique<TagGroupsModel>(m_client.get(), nullptr);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void tst_TagGroupsAsync::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_client.reset();
    QThreadPool::globalInstance()->waitForDone();
    m_hub.reset();
    m_network.reset();
}

void tst_TagGroupsAsync::sameRowsAsSetTags()
{
    const auto tags
        = await<QList<TagInfo>>([&](auto done) { m_client->tags(u"library"_s, u"node"_s, done); });
    QVERIFY2(tags, why(tags));
    TagGroupsModel inPlace(nullptr, nullptr);
    inPlace.setTags(*tags);
    QVERIFY(inPlace.groupCount() > 1);

    QSignalSpy loaded(m_model.get(), &TagGroupsModel::loaded);
    m_model->setRepository(*ImageReference::parseRepository(u"node"_s));
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(m_model->groupCount(), inPlace.groupCount());
    QCOMPARE(m_model->tagCount(), inPlace.tagCount());
    QCOMPARE(dump(*m_model), dump(inPlace));
    QCOMPARE(m_model->indexOfTag(u"alpine3.10"_s).data(TagGroupsModel::TagNameRole).toString(),
             u"alpine3.10"_s);
}

void tst_TagGroupsAsync::loadingUntilGrouped()
{
    // Once the last page is in, the pool is held: the tags have arrived, the rows cannot have.
    std::unique_ptr<PoolBlocker> blocker;
    connect(m_model.get(), &TagGroupsModel::progressChanged, this, [&](int done, int total) {
        if (done == total)
            blocker = std::make_unique<PoolBlocker>();
    });
    QSignalSpy loaded(m_model.get(), &TagGroupsModel::loaded);
    QSignalSpy loading(m_model.get(), &TagGroupsModel::loadingChanged);
    m_model->setRepository(*ImageReference::parseRepository(u"node"_s));
    QTRY_VERIFY(blocker);
    QCoreApplication::processEvents(); // the listing's end reaches the model
    QVERIFY(m_model->isLoading());
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(loaded.isEmpty());

    blocker->release();
    QTRY_COMPARE(loaded.size(), 1);
    QVERIFY(!m_model->isLoading());
    QCOMPARE(m_model->tagCount(), 230);
    QCOMPARE(loading.size(), 2); // on, then off once: not off while grouping
    QCOMPARE(loading.constLast().first().toBool(), false);
}

void tst_TagGroupsAsync::newRepositoryDropsTheGrouping()
{
    const QString otherTags = u"/v2/namespaces/jean/repositories/app/tags"_s;
    m_hub->route(otherTags,
                 FakeHubResponse::json(R"({"count":1,"next":null,"results":[{"name":"1.0",
        "digest":"sha256:76c5a0994daab4313754db83b0949a8bbae175e7b3bf36c7d6eb558027b1ef4e",
        "full_size":10,"last_updated":"2024-01-01T00:00:00Z","images":[]}]})"));
    std::unique_ptr<PoolBlocker> blocker;
    const auto connection
        = connect(m_model.get(), &TagGroupsModel::progressChanged, this, [&](int done, int total) {
              if (done == total && !blocker)
                  blocker = std::make_unique<PoolBlocker>();
          });
    QSignalSpy loaded(m_model.get(), &TagGroupsModel::loaded);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->setRepository(*ImageReference::parseRepository(u"node"_s));
    QTRY_VERIFY(blocker);
    QCoreApplication::processEvents(); // node's grouping is queued behind the blocker
    disconnect(connection);

    m_model->setRepository(*ImageReference::parseRepository(u"jean/app"_s));
    blocker->release();
    QTRY_COMPARE(loaded.size(), 1);
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(reset.size(), 1); // node's rows were never shown
    QCOMPARE(m_model->tagCount(), 1);
    QCOMPARE(m_model->index(0, 0).data(TagGroupsModel::TagNameRole).toString(), u"1.0"_s);
}

QTEST_MAIN(tst_TagGroupsAsync)
#include "tst_taggroupsasync.moc"
