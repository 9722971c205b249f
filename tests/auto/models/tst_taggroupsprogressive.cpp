// TagGroupsModel on a real registry (berth/many of the test services: 300 tags over 20 images)
// fills as listRegistryTags' batches arrive: images appear before the listing ends, always in
// groupTagsByDigest's order with their tags in order, a tag the user holds (a persistent index,
// through the sorting filter proxy too) stays that tag, and the end result is the one setTags()
// builds from the whole list. QAbstractItemModelTester watches the model and the proxy all along.
#include "asynctest.h"
#include "testhelpers.h"
#include "testservices.h"

#include "reference/versionorder.h"
#include "registry/registryclient.h"
#include "registry/registrytags.h"
#include "registry/taggrouping.h"
#include "tagfilterproxy.h"
#include "taggroupsmodel.h"

#include <QAbstractItemModelTester>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

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

// Images in groupTagsByDigest's order, each image's tags most specific first, and the tag rows
// the tags of the image row.
QString orderProblem(const TagGroupsModel &model)
{
    for (int row = 0; row < model.groupCount(); ++row) {
        const TagGroup &group = model.group(row);
        if (row > 0 && tagGroupBefore(group, model.group(row - 1)))
            return u"image %1 (%2) comes before image %3"_s.arg(row)
                .arg(group.tags.first())
                .arg(row - 1);
        for (int t = 1; t < group.tags.size(); ++t) {
            if (moreSpecificTag(group.tags.at(t), group.tags.at(t - 1)))
                return u"tag %1 of image %2 out of order"_s.arg(group.tags.at(t)).arg(row);
        }
        const QModelIndex parent = model.index(row, 0);
        for (int t = 0; t < model.rowCount(parent); ++t) {
            if (model.index(t, 0, parent).data(TagGroupsModel::TagNameRole) != group.tags.at(t))
                return u"tag row %1 of image %2 is not its tag"_s.arg(t).arg(row);
        }
    }
    return {};
}

} // namespace

class tst_TagGroupsProgressive final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void fillsAsBatchesArrive_data();
    void fillsAsBatchesArrive();

private:
    ImageReference many() const;

    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<TagGroupsModel> m_model;
    std::unique_ptr<TagFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

void tst_TagGroupsProgressive::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    TestServices::instance();
}

void tst_TagGroupsProgressive::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_model = std::make_unique<TagGroupsModel>(nullptr, m_client.get());
    m_proxy = std::make_unique<TagFilterProxy>();
    m_proxy->setSourceModel(m_model.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void tst_TagGroupsProgressive::cleanup()
{
    m_proxyTester.reset();
    m_tester.reset();
    m_proxy.reset();
    m_model.reset();
    m_client.reset();
    m_network.reset();
}

ImageReference tst_TagGroupsProgressive::many() const
{
    const QJsonObject many = TestServices::instance().many();
    const TestRegistry registry
        = TestServices::instance().registry(many.value(u"registry").toString());
    return parseReference(registry.host + u'/' + many.value(u"repository").toString());
}

void tst_TagGroupsProgressive::fillsAsBatchesArrive_data()
{
    QTest::addColumn<int>("sortColumn"); // of the proxy, -1: the model's order
    QTest::addColumn<QString>("filter");
    QTest::newRow("model order") << -1 << QString();
    QTest::newRow("sorted by name") << int(TagGroupsModel::NameColumn) << QString();
    QTest::newRow("sorted by date, filtered") << int(TagGroupsModel::LastPushedColumn) << u"v1"_s;
}

void tst_TagGroupsProgressive::fillsAsBatchesArrive()
{
    QFETCH(int, sortColumn);
    QFETCH(QString, filter);
    m_proxy->sort(sortColumn, Qt::DescendingOrder);
    m_proxy->setFilterText(filter);
    int insertedBeforeLoaded = 0;
    bool loadedYet = false;
    QString problem;
    QPersistentModelIndex held; // a tag row the "user" selected while the list was filling
    QPersistentModelIndex heldInProxy;
    QString heldName;
    connect(m_model.get(), &TagGroupsModel::loaded, this, [&] { loadedYet = true; });
    connect(m_model.get(), &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex &parent) {
        insertedBeforeLoaded += loadedYet ? 0 : 1;
        // A new image comes in once the images before it are in place (a tag added to an image
        // may move it right after its own insertion).
        if (problem.isEmpty() && !parent.isValid())
            problem = orderProblem(*m_model);
        if (held.isValid() || m_model->rowCount() == 0)
            return;
        held = m_model->index(0, 0, m_model->index(0, 0));
        heldName = held.data(TagGroupsModel::TagNameRole).toString();
        heldInProxy = m_proxy->mapFromSource(held);
    });
    QSignalSpy loaded(m_model.get(), &TagGroupsModel::loaded);

    m_model->setRepository(many());
    QVERIFY(m_model->isLoading());
    QVERIFY(loaded.wait(120000));

    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(insertedBeforeLoaded > 0);
    QVERIFY(!m_model->isLoading());
    QCOMPARE(m_model->tagCount(), TestServices::instance().many().value(u"tags").toInt());
    QCOMPARE(m_model->groupCount(), TestServices::instance().many().value(u"digests").toInt());
    QCOMPARE(orderProblem(*m_model), QString());
    QVERIFY(held.isValid());
    QCOMPARE(held.data(TagGroupsModel::TagNameRole).toString(), heldName);
    QCOMPARE(m_model->indexOfTag(heldName), QModelIndex(held));
    if (heldInProxy.isValid())
        QCOMPARE(heldInProxy.data(TagGroupsModel::TagNameRole).toString(), heldName);

    const auto tags
        = await<QList<TagInfo>>([&](auto done) { listRegistryTags(*m_client, many(), done); });
    VERIFY_OK(tags);
    TagGroupsModel whole(nullptr, nullptr);
    whole.setTags(*tags);
    QCOMPARE(dump(*m_model), dump(whole));
}

QTEST_GUILESS_MAIN(tst_TagGroupsProgressive)
#include "tst_taggroupsprogressive.moc"
