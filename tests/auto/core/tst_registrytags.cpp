// listRegistryTags against the real plain registry of the test services, through the fault proxy
// for the per-tag problems: its partial batches hand over each tag once, complete (a digest's tags
// only after the digest was described), and together equal the final list, for image manifests
// and indexes alike; a tag or a digest the registry cannot show leaves the others listed.

#include "asynctest.h"
#include "faultproxy.h"
#include "movingtag.h"
#include "pushedimage.h"
#include "registryfaultfixture.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "oci/mediatypes.h"
#include "registry/registryclient.h"
#include "registry/registrytags.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// What the registry holds in a repository: tag -> digest, and which digests are indexes.
struct Expected
{
    QString repository;
    QHash<QString, QString> digestOf;
    QSet<QString> indexes;
};

// What one listing reported.
struct Reported
{
    QList<QList<TagInfo>> batches;
    Result<QList<TagInfo>> final = fail(Error::Kind::Network, u"not run"_s);
    QList<std::pair<int, int>> progress;
    qsizetype headsBeforeFirstBatch = -1;
};

QString platformsOf(const TagInfo &tag)
{
    QStringList names;
    for (const PlatformImage &image : tag.images)
        names << image.platform.toString() + u'@' + image.digest.toString() + u'/'
                     + QString::number(image.size);
    return names.join(u',');
}

// Everything a tag carries, as one line: a partial tag must equal its final self.
QString line(const TagInfo &tag)
{
    return QStringList{tag.name,
                       tag.digest.toString(),
                       tag.mediaType,
                       QString::number(tag.size),
                       tag.lastUpdated.toString(Qt::ISODateWithMs),
                       platformsOf(tag),
                       tag.digestNotLookedUp ? u"unknown"_s : u"looked-up"_s}
        .join(u'|');
}

// Tags whose details must be there (a digest the test did not make fail): each platform from the
// config or the index, the size from the layers. (The small image's config has no date.)
bool described(const TagInfo &tag)
{
    if (!tag.digest.isValid() || tag.images.isEmpty() || tag.size <= 0)
        return false;
    return std::all_of(tag.images.cbegin(), tag.images.cend(), [](const PlatformImage &image) {
        return !image.platform.os.isEmpty() && image.digest.isValid() && image.size > 0;
    });
}

QStringList toStringList(const QJsonArray &array)
{
    QStringList list;
    for (const QJsonValue &value : array)
        list << value.toString();
    return list;
}

} // namespace

class tst_RegistryTags final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void batchesMakeTheList_data();
    void batchesMakeTheList();
    void accessFailureStopsTheBatches();

private:
    Reported list(const QString &repository);
    // A fresh repository: the multiarch index under five tags, a small image under three.
    std::optional<Expected> mixedRepository();
    Expected manyRepository() const;

    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TestCredentials> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<FaultProxy> m_proxy;
    std::optional<Expected> m_mixed;
};

void tst_RegistryTags::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
}

void tst_RegistryTags::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_credentials = std::make_unique<TestCredentials>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_client->setCredentialProvider(m_credentials.get());
    m_client->transport().setOptions(quickRetries(2));
    m_proxy = startFaultProxy(u"plain"_s, *m_credentials);
    QVERIFY(m_proxy);
}

void tst_RegistryTags::cleanup()
{
    m_client.reset();
    m_proxy.reset();
    m_credentials.reset();
    m_network.reset();
}

Reported tst_RegistryTags::list(const QString &repository)
{
    Reported reported;
    const ImageReference reference = parseReference(m_proxy->host() + u'/' + repository);
    reported.final = await<QList<TagInfo>>([&](auto done) {
        TagListing listing;
        listing.done = [&, done](Result<QList<TagInfo>> tags) {
            done(std::move(tags));
        };
        listing.progress = [&](int finished, int total) {
            reported.progress.append({finished, total});
        };
        listing.partial = [&](const QList<TagInfo> &ready) {
            QVERIFY2(!ready.isEmpty(), "an empty batch");
            QVERIFY2(reported.final.error().message == u"not run"_s, "a batch after the end");
            if (reported.batches.isEmpty())
                reported.headsBeforeFirstBatch = reported.progress.size();
            reported.batches.append(ready);
        };
        listRegistryTags(*m_client, reference, listing);
    });
    return reported;
}

Expected tst_RegistryTags::manyRepository() const
{
    const QJsonObject many = TestServices::instance().many();
    Expected expected;
    expected.repository = many.value(u"repository").toString();
    const QJsonObject groups = many.value(u"groups").toObject();
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        for (const QString &tag : toStringList(it.value().toArray()))
            expected.digestOf.insert(tag, it.key());
    }
    return expected;
}

std::optional<Expected> tst_RegistryTags::mixedRepository()
{
    if (m_mixed)
        return m_mixed;
    Expected expected;
    expected.repository = freshRepository(u"tags"_s);
    const QString registry = plainRegistryHost();
    const ImageReference repository = parseReference(registry + u'/' + expected.repository);
    if (!copyInPlainRegistry(u"berth/multiarch:1.0"_s, expected.repository + u":i1"_s))
        return std::nullopt;
    const auto index = await<ManifestResponse>(
        [&](auto done) { m_client->fetchManifest(repository.withTag(u"i1"_s), done); });
    if (!index)
        return std::nullopt;
    for (const QString &tag : {u"i2"_s, u"i3"_s, u"i4"_s, u"i5"_s}) {
        const auto put = await<Digest>([&](auto done) {
            m_client->putManifest(repository.withTag(tag), index->mediaType, index->body, done);
        });
        if (!put)
            return std::nullopt;
    }
    for (int i = 1; i <= 5; ++i)
        expected.digestOf.insert(u"i"_s + QString::number(i), index->digest.toString());
    expected.indexes.insert(index->digest.toString());
    const QStringList small{u"s1"_s, u"s2"_s, u"s3"_s};
    const auto image = pushSmallImage(*m_client, repository, small);
    if (!image)
        return std::nullopt;
    for (const QString &tag : small)
        expected.digestOf.insert(tag, image->toString());
    m_mixed = expected;
    return m_mixed;
}

void tst_RegistryTags::batchesMakeTheList_data()
{
    QTest::addColumn<bool>("mixed");
    QTest::addColumn<QString>("fault"); // "", "head" (one tag's HEAD), "manifest" (one digest)
    QTest::addColumn<QString>("faultTag");
    QTest::newRow("300 tags over 20 images") << false << QString() << QString();
    QTest::newRow("an index and an image") << true << QString() << QString();
    QTest::newRow("a tag gone before its HEAD") << false << u"head"_s << u"v7.0"_s;
    QTest::newRow("an index gone before its tags") << true << u"head"_s << u"i3"_s;
    QTest::newRow("an image that cannot be read") << false << u"manifest"_s << u"12.0.0"_s;
    QTest::newRow("an index that cannot be read") << true << u"manifest"_s << u"i1"_s;
}

void tst_RegistryTags::batchesMakeTheList()
{
    QFETCH(bool, mixed);
    QFETCH(QString, fault);
    QFETCH(QString, faultTag);
    const std::optional<Expected> expected = mixed ? mixedRepository() : manyRepository();
    QVERIFY2(expected, "the mixed repository could not be pushed");
    const QString failingDigest
        = fault == u"manifest" ? expected->digestOf.value(faultTag) : QString();
    const QString path
        = u"^/v2/"_s + QRegularExpression::escape(expected->repository) + u"/manifests/"_s;
    if (fault == u"head")
        m_proxy->addRule(
            FaultRule::answer("HEAD", path + QRegularExpression::escape(faultTag) + u'$', 404, -1));
    else if (fault == u"manifest")
        m_proxy->addRule(FaultRule::answer("GET", path + failingDigest + u'$', 404, -1));

    const Reported reported = list(expected->repository);

    VERIFY_OK(reported.final);
    const QList<TagInfo> &tags = *reported.final;
    QCOMPARE(tags.size(), expected->digestOf.size());
    QCOMPARE(reported.progress.constLast(), std::pair(int(tags.size()), int(tags.size())));
    QHash<QString, QString> finalLines;
    for (const TagInfo &tag : tags) {
        finalLines.insert(tag.name, line(tag));
        const bool gone = fault == u"head" && tag.name == faultTag;
        const bool unreadable = tag.digest.toString() == failingDigest;
        QCOMPARE(tag.digest.toString(), gone ? QString() : expected->digestOf.value(tag.name));
        QVERIFY2(gone || unreadable || described(tag), qPrintable(line(tag)));
        if (unreadable)
            QVERIFY2(tag.images.isEmpty(), qPrintable(line(tag)));
        const bool index = expected->indexes.contains(tag.digest.toString());
        QCOMPARE(MediaType::isIndex(tag.mediaType), index);
        if (index && !unreadable)
            QCOMPARE(tag.images.size(), 2);
    }

    // Each tag once across the batches, exactly as the final list has it.
    QHash<QString, QString> partialLines;
    for (const QList<TagInfo> &batch : reported.batches) {
        for (const TagInfo &tag : batch) {
            QVERIFY2(!partialLines.contains(tag.name), qPrintable(tag.name));
            partialLines.insert(tag.name, line(tag));
        }
    }
    QCOMPARE(partialLines, finalLines);
    QVERIFY(reported.batches.size() > 1 || tags.size() < 2);
    // Images are described while the HEADs go on: with 300 tags, 32 HEADs in flight, the first
    // image's batch comes long before the last HEAD (an order, not a time).
    if (tags.size() >= 300)
        QVERIFY2(reported.headsBeforeFirstBatch < tags.size(),
                 qPrintable(QString::number(reported.headsBeforeFirstBatch)));
}

// A HEAD refused for lack of access fails the listing, and no batch comes after the failure; the
// batches before it held complete tags only.
void tst_RegistryTags::accessFailureStopsTheBatches()
{
    const Expected expected = manyRepository();
    m_proxy->addRule(FaultRule::answer("HEAD",
                                       u"^/v2/"_s + QRegularExpression::escape(expected.repository)
                                           + u"/manifests/v9\\.0$"_s,
                                       403,
                                       -1));

    const Reported reported = list(expected.repository);

    QVERIFY(!reported.final);
    QCOMPARE(reported.final.error().kind, Error::Kind::Denied);
    QSet<QString> seen;
    for (const QList<TagInfo> &batch : reported.batches) {
        for (const TagInfo &tag : batch) {
            QVERIFY2(!seen.contains(tag.name), qPrintable(tag.name));
            seen.insert(tag.name);
            QVERIFY2(described(tag), qPrintable(line(tag)));
            QCOMPARE(tag.digest.toString(), expected.digestOf.value(tag.name));
        }
    }
    QVERIFY(!seen.contains(u"v9.0"_s));
}

QTEST_GUILESS_MAIN(tst_RegistryTags)
#include "tst_registrytags.moc"
