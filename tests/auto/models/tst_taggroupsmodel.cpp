#include "asynctest.h"
#include "common/humanize.h"
#include "fakehubserver.h"
#include "registry/hubclient.h"
#include "registry/registrytags.h"
#include "registry/taggrouping.h"
#include "tagfilterproxy.h"
#include "taggroupsmodel.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString NodeTags = u"/v2/namespaces/library/repositories/node/tags"_s;
const QString NodeRepository = u"/v2/namespaces/library/repositories/node"_s;

Digest digestOf(const QByteArray &text)
{
    const QString hex
        = QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex());
    return *Digest::parse(QString(u"sha256:"_s + hex));
}

// `groups` images of `perGroup` tags each, named t0, t1, …; image g is pushed at day g.
QList<TagInfo> generatedTags(int groups, int perGroup)
{
    QList<TagInfo> tags;
    tags.reserve(groups * perGroup);
    const QDateTime start(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
    for (int g = 0; g < groups; ++g) {
        const Digest digest = digestOf("image-" + QByteArray::number(g));
        for (int t = 0; t < perGroup; ++t) {
            TagInfo tag;
            tag.name = u"t"_s + QString::number(g * perGroup + t);
            tag.digest = digest;
            tag.size = 1000 + g;
            tag.lastUpdated = start.addDays(g);
            PlatformImage amd64;
            amd64.platform = {u"linux"_s, u"amd64"_s, {}, {}};
            amd64.size = 1000 + g;
            PlatformImage arm64;
            arm64.platform = {u"linux"_s, u"arm64"_s, u"v8"_s, {}};
            arm64.size = 900 + g;
            tag.images = {amd64, arm64};
            tags.append(tag);
        }
    }
    return tags;
}

QStringList childNames(const QAbstractItemModel &model, const QModelIndex &parent)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(parent); ++row)
        names.append(model.index(row, 0, parent).data(TagGroupsModel::TagNameRole).toString());
    return names;
}

} // namespace

class tst_TagGroupsModel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void fromTheHub();
    void columns_data();
    void columns();
    void hubErrors_data();
    void hubErrors();
    void newRepositoryDropsTheOldAnswer();
    void lookups();
    void filter_data();
    void filter();
    void filterTenThousand();
    void sortsOnRawValues();
    void sortsNamesAsVersions_data();
    void sortsNamesAsVersions();
    void digestsNotLookedUp();

private:
    Result<QList<TagInfo>> hubTags();

    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<FakeHubServer> m_hub;
    std::unique_ptr<HubClient> m_client;
    std::unique_ptr<TagGroupsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_TagGroupsModel::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void tst_TagGroupsModel::init()
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

void tst_TagGroupsModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_client.reset();
    m_hub.reset();
    m_network.reset();
}

Result<QList<TagInfo>> tst_TagGroupsModel::hubTags()
{
    return await<QList<TagInfo>>([&](auto done) { m_client->tags(u"library"_s, u"node"_s, done); });
}

void tst_TagGroupsModel::fromTheHub()
{
    const auto tags = hubTags();
    QVERIFY2(tags, why(tags));
    const QList<TagGroup> expected = groupTagsByDigest(*tags);
    QVERIFY(expected.size() > 1 && expected.size() < tags->size());

    QSignalSpy loaded(m_model.get(), &TagGroupsModel::loaded);
    QSignalSpy progress(m_model.get(), &TagGroupsModel::progressChanged);
    m_model->setRepository(*ImageReference::parseRepository(u"node"_s));
    QVERIFY(m_model->isLoading());
    QTRY_COMPARE(loaded.size(), 1);
    QVERIFY(!m_model->isLoading());
    QVERIFY(!progress.isEmpty());

    QCOMPARE(m_model->rowCount(), int(expected.size()));
    QCOMPARE(m_model->groupCount(), int(expected.size()));
    QCOMPARE(m_model->tagCount(), int(tags->size()));
    int children = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex group = m_model->index(row, 0);
        QVERIFY(group.data(TagGroupsModel::IsGroupRole).toBool());
        QCOMPARE(group.data(TagGroupsModel::DigestRole).toString(),
                 expected.at(row).digest.toString());
        QCOMPARE(group.data(TagGroupsModel::TagNamesRole).toStringList(), expected.at(row).tags);
        QCOMPARE(childNames(*m_model, group), expected.at(row).tags);
        for (int child = 0; child < m_model->rowCount(group); ++child) {
            const QModelIndex tag = m_model->index(child, 0, group);
            QVERIFY(!tag.data(TagGroupsModel::IsGroupRole).toBool());
            QCOMPARE(tag.parent(), group);
            QCOMPARE(m_model->rowCount(tag), 0);
            QCOMPARE(tag.data(TagGroupsModel::DigestRole).toString(),
                     expected.at(row).digest.toString());
        }
        children += m_model->rowCount(group);
    }
    QCOMPARE(children, int(tags->size()));
}

void tst_TagGroupsModel::columns_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("group");

    for (int column = 0; column < TagGroupsModel::ColumnCount; ++column) {
        const QByteArray name = QMetaEnum::fromType<TagGroupsModel::Column>().valueToKey(column);
        QTest::addRow("%s, image row", name.constData()) << column << true;
        QTest::addRow("%s, tag row", name.constData()) << column << false;
    }
}

void tst_TagGroupsModel::columns()
{
    QFETCH(int, column);
    QFETCH(bool, group);

    const QList<TagInfo> tags = generatedTags(3, 4);
    m_model->setTags(tags);
    // Newest image first: image 2 holds t8…t11, most specific (longest) name first.
    const QModelIndex image = m_model->index(0, 0);
    const QModelIndex index = group ? m_model->index(0, column) : m_model->index(0, column, image);
    QCOMPARE(m_model->rowCount(image), 4);
    const TagInfo &tag = tags.at(10); // "t10", sorted before t11 (same length, lower)
    const QVariant raw = index.data(TagGroupsModel::RawValueRole);
    const QString display = index.data(Qt::DisplayRole).toString();
    switch (TagGroupsModel::Column(column)) {
    case TagGroupsModel::NameColumn:
        QCOMPARE(raw.toString(), u"t10"_s);
        QCOMPARE(display, group ? u"t10, t11, t8, t9"_s : u"t10"_s);
        break;
    case TagGroupsModel::PlatformsColumn:
        QCOMPARE(display, u"linux/amd64, linux/arm64/v8"_s);
        QCOMPARE(index.data(TagGroupsModel::PlatformsRole).toStringList(),
                 QStringList({u"linux/amd64"_s, u"linux/arm64/v8"_s}));
        break;
    case TagGroupsModel::SizeColumn:
        QCOMPARE(raw.toLongLong(), 1002);
        QCOMPARE(display, formatSize(1002));
        break;
    case TagGroupsModel::LastPushedColumn:
        QCOMPARE(raw.toDateTime(), tag.lastUpdated);
        QVERIFY(display.contains(u"ago"_s));
        break;
    case TagGroupsModel::DigestColumn:
        QCOMPARE(raw.toString(), tag.digest.toString());
        QCOMPARE(display, u"sha256:"_s + tag.digest.shortId());
        break;
    case TagGroupsModel::ColumnCount:
        QFAIL("no such column");
    }
    QVERIFY(!m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString().isEmpty());
}

void tst_TagGroupsModel::hubErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("kind");

    QTest::newRow("repository not found") << 404 << int(Error::Kind::NotFound);
    QTest::newRow("rate limited") << 429 << int(Error::Kind::RateLimited);
    QTest::newRow("server error") << 500 << int(Error::Kind::Server);
}

void tst_TagGroupsModel::hubErrors()
{
    QFETCH(int, status);
    QFETCH(int, kind);

    const QString path = u"/v2/namespaces/jean/repositories/absent/tags"_s;
    if (status == 404) {
        m_hub->route(path, FakeHubResponse::notFound());
        m_hub->route(u"/v2/repositories/jean/absent/tags"_s, FakeHubResponse::notFound());
    } else if (status == 429) {
        m_hub->route(path, FakeHubResponse::tooManyRequests(600));
    } else {
        m_hub->route(path, FakeHubResponse::serverError(status));
    }
    m_model->setTags(generatedTags(2, 2));
    QSignalSpy failed(m_model.get(), &TagGroupsModel::errorOccurred);
    m_model->setRepository(*ImageReference::parseRepository(u"jean/absent"_s));
    QCOMPARE(m_model->rowCount(), 0); // the previous repository's tags are gone at once
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(!m_model->isLoading());
    QCOMPARE(int(failed.first().first().value<Error>().kind), kind);
    QCOMPARE(m_model->rowCount(), 0);
}

void tst_TagGroupsModel::newRepositoryDropsTheOldAnswer()
{
    // node answers at once, jean/app later: node's answer comes first and must be dropped.
    m_hub->route(u"/v2/namespaces/jean/repositories/app/tags"_s,
                 FakeHubResponse::json(R"({"count":1,"next":null,"results":[{"name":"1.0",
                     "digest":"sha256:76c5a0994daab4313754db83b0949a8bbae175e7b3bf36c7d6eb558027b1ef4e",
                     "full_size":10,"last_updated":"2024-01-01T00:00:00Z","images":[]}]})")
                     .withDelay(1000));
    QSignalSpy loaded(m_model.get(), &TagGroupsModel::loaded);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->setRepository(*ImageReference::parseRepository(u"node"_s));
    m_model->setRepository(*ImageReference::parseRepository(u"jean/app"_s));
    QTRY_COMPARE(loaded.size(), 1);
    QCOMPARE(m_hub->requestCount(NodeTags), 3); // node's pages were all answered before
    QCOMPARE(reset.size(), 1);                  // only jean/app's tags were ever shown
    QCOMPARE(m_model->tagCount(), 1);
    QCOMPARE(m_model->index(0, 0).data(TagGroupsModel::TagNameRole).toString(), u"1.0"_s);
    QCOMPARE(m_model->repository().path(), u"jean/app"_s);
}

void tst_TagGroupsModel::lookups()
{
    m_model->setTags(generatedTags(5, 3));
    const QModelIndex t7 = m_model->indexOfTag(u"t7"_s);
    QVERIFY(t7.isValid());
    QCOMPARE(t7.data(TagGroupsModel::TagNameRole).toString(), u"t7"_s);
    QCOMPARE(m_model->tagAt(t7)->name, u"t7"_s);
    QCOMPARE(m_model->groupOf(t7)->tags, QStringList({u"t6"_s, u"t7"_s, u"t8"_s}));
    QCOMPARE(m_model->tagAt(t7.parent())->name, u"t6"_s); // an image stands for its first tag
    QVERIFY(!m_model->indexOfTag(u"absent"_s).isValid());
    m_model->clear();
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(!m_model->indexOfTag(u"t7"_s).isValid());
}

void tst_TagGroupsModel::filter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("groups");     // first tag of each image kept
    QTest::addColumn<QList<int>>("childCounts"); // tags kept under each

    // 4 images of 3 tags: t0-t2, t3-t5, t6-t8, t9-t11; newest (t9…) first.
    QTest::newRow("everything") << QString() << QStringList({u"t10"_s, u"t6"_s, u"t3"_s, u"t0"_s})
                                << QList<int>({3, 3, 3, 3});
    QTest::newRow("one tag") << u"t4"_s << QStringList({u"t3"_s}) << QList<int>({1});
    QTest::newRow("any child keeps the image")
        << u"t1"_s << QStringList({u"t10"_s, u"t0"_s}) << QList<int>({2, 1});
    QTest::newRow("case-insensitive, trimmed")
        << u"  T1 "_s << QStringList({u"t10"_s, u"t0"_s}) << QList<int>({2, 1});
    QTest::newRow("nothing") << u"alpine"_s << QStringList() << QList<int>();
}

void tst_TagGroupsModel::filter()
{
    QFETCH(QString, text);
    QFETCH(QStringList, groups);
    QFETCH(QList<int>, childCounts);

    TagFilterProxy proxy;
    proxy.setSourceModel(m_model.get());
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_model->setTags(generatedTags(4, 3));
    proxy.setFilterText(text);

    QStringList kept;
    QList<int> counts;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const QModelIndex group = proxy.index(row, 0);
        kept.append(group.data(TagGroupsModel::TagNameRole).toString());
        counts.append(proxy.rowCount(group));
        for (const QString &name : childNames(proxy, group))
            QVERIFY(name.contains(text.trimmed(), Qt::CaseInsensitive));
    }
    QCOMPARE(kept, groups);
    QCOMPARE(counts, childCounts);

    proxy.setFilterText(QString());
    QCOMPARE(proxy.rowCount(), 4);
}

void tst_TagGroupsModel::filterTenThousand()
{
    // 10,000 images of two tags each: t0…t19999.
    TagFilterProxy proxy;
    proxy.setSourceModel(m_model.get());
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_model->setTags(generatedTags(10000, 2));
    QCOMPARE(proxy.rowCount(), 10000);
    QCOMPARE(m_model->tagCount(), 20000);

    // "t1999": t1999 and t19990…t19999 — images 999 and 9995…9999, one or two tags each.
    proxy.setFilterText(u"t1999"_s);
    QCOMPARE(proxy.rowCount(), 6);
    int tags = 0;
    for (int row = 0; row < proxy.rowCount(); ++row)
        tags += proxy.rowCount(proxy.index(row, 0));
    QCOMPARE(tags, 11);

    // Narrowing and widening again, as typing does.
    proxy.setFilterText(u"t19999"_s);
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(childNames(proxy, proxy.index(0, 0)), QStringList{u"t19999"_s});
    proxy.setFilterText(u"t"_s);
    QCOMPARE(proxy.rowCount(), 10000);
    proxy.setFilterText(QString());
    QCOMPARE(proxy.rowCount(), 10000);
    QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 2);
}

void tst_TagGroupsModel::sortsOnRawValues()
{
    TagFilterProxy proxy;
    proxy.setSourceModel(m_model.get());
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_model->setTags(generatedTags(12, 1));
    // Sizes 1000…1011: numerically, not as text ("1010" < "1002" would be wrong either way, but
    // display strings like "1,011 bytes" are not what to compare).
    proxy.sort(TagGroupsModel::SizeColumn, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data(TagGroupsModel::TagNameRole).toString(), u"t0"_s);
    QCOMPARE(proxy.index(11, 0).data(TagGroupsModel::TagNameRole).toString(), u"t11"_s);
    proxy.sort(TagGroupsModel::LastPushedColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, 0).data(TagGroupsModel::TagNameRole).toString(), u"t11"_s);
    proxy.sort(-1); // back to the model's order: newest first
    QCOMPARE(proxy.index(0, 0).data(TagGroupsModel::TagNameRole).toString(), u"t11"_s);
    QCOMPARE(proxy.index(11, 0).data(TagGroupsModel::TagNameRole).toString(), u"t0"_s);
}

void tst_TagGroupsModel::sortsNamesAsVersions_data()
{
    QTest::addColumn<QStringList>("ascending");

    QTest::newRow("numbers") << QStringList{u"1"_s, u"2"_s, u"10"_s, u"20"_s};
    QTest::newRow("minor versions") << QStringList{u"1.9"_s, u"1.10"_s, u"2"_s, u"10"_s};
    QTest::newRow("patch and suffix")
        << QStringList{u"3.19"_s, u"3.19-alpine"_s, u"3.19.1"_s, u"latest"_s};
}

void tst_TagGroupsModel::sortsNamesAsVersions()
{
    // One image per tag, all pushed the same day, listed out of order.
    QFETCH(QStringList, ascending);
    QList<TagInfo> tags;
    for (const QString &name : ascending) {
        TagInfo tag;
        tag.name = name;
        tag.digest = digestOf(name.toUtf8());
        tags.prepend(tag);
    }
    std::rotate(tags.begin(), tags.begin() + 1, tags.end());
    m_model->setTags(tags);

    TagFilterProxy proxy;
    proxy.setSourceModel(m_model.get());
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    proxy.sort(TagGroupsModel::NameColumn, Qt::AscendingOrder);
    QCOMPARE(childNames(proxy, {}), ascending);
    proxy.sort(TagGroupsModel::NameColumn, Qt::DescendingOrder);
    QStringList descending = ascending;
    std::reverse(descending.begin(), descending.end());
    QCOMPARE(childNames(proxy, {}), descending);
}

void tst_TagGroupsModel::digestsNotLookedUp()
{
    // A registry's tags past the cap of digest look-ups: one last row that says so.
    QList<TagInfo> tags = generatedTags(2, 2);
    for (const QString &name : {u"late-1"_s, u"late-2"_s}) {
        TagInfo tag;
        tag.name = name;
        tag.digestNotLookedUp = true;
        tags.append(tag);
    }
    m_model->setTags(tags);
    QCOMPARE(m_model->rowCount(), 3);
    const QModelIndex last = m_model->index(2, TagGroupsModel::DigestColumn);
    QCOMPARE(last.data().toString(), u"Digest unknown"_s);
    QVERIFY(last.data(Qt::ToolTipRole).toString().contains(QString::number(MaxDigestLookups)));
    QCOMPARE(m_model->rowCount(m_model->index(2, 0)), 2);
    QCOMPARE(m_model->index(0, TagGroupsModel::DigestColumn).data().toString().left(7),
             u"sha256:"_s);
}

QTEST_GUILESS_MAIN(tst_TagGroupsModel)
#include "tst_taggroupsmodel.moc"
