// Multi-platform images (core/registryops/manifestlist.h) against the real registries of the test
// services: sources read with their platforms from each image's config, the list kept locally,
// pushed, and read back from the registry as an independent check.

#include "asynctest.h"
#include "platformimage.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "common/sha256.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"
#include "registryops/manifestlist.h"
#include "registryops/manifestliststore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// A repository name no other run used: the registries live as long as the ctest run.
QString uniqueRepository(const QString &prefix)
{
    return u"manifest/"_s + prefix + u'-'
           + QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
}

struct Fixture
{
    Fixture() { client.setCredentialProvider(&credentials); }

    Result<Digest> pushImage(const ImageReference &reference, const QString &platform, bool docker)
    {
        return pushPlatformImage(client, reference, platform, docker);
    }

    Result<QList<ManifestListEntry>> resolve(const QList<ImageReference> &sources)
    {
        return await<QList<ManifestListEntry>>(
            [&](auto done) { resolveManifestListSources(client, sources, CancelToken(), done); });
    }

    Result<ManifestPushResult> push(const ManifestList &list)
    {
        return await<ManifestPushResult>(
            [&](auto done) { pushManifestList(client, list, ManifestPushOptions(), done); });
    }

    Result<ManifestResponse> fetch(const ImageReference &reference)
    {
        return await<ManifestResponse>([&](auto done) { client.fetchManifest(reference, done); });
    }

    QNetworkAccessManager network;
    TestCredentials credentials;
    RegistryClient client{&network};
};

QString host()
{
    return TestServices::instance().registry(u"plain"_s).host;
}

QStringList platformsOf(const ImageIndex &index)
{
    QStringList platforms;
    for (const Descriptor &d : index.manifests)
        platforms.append(d.platform ? d.platform->toString() : QString());
    return platforms;
}

} // namespace

class TestManifestList : public QObject
{
    Q_OBJECT

private slots:
    void anIndexSourceGivesEachOfItsPlatformImages();
    void allDockerSourcesMakeADockerManifestList();
    void mixedSourcesMakeAnOciIndex();
    void twoSourcesForOnePlatformAreRefused();
    void sourcesInAnotherRepositoryAreCopiedFirst();
    void aNonImageSourceIsRefused();
    void anEmptyListIsNotPushed();
};

void TestManifestList::anIndexSourceGivesEachOfItsPlatformImages()
{
    Fixture f;
    const ImageReference source = parseReference(host() + u"/berth/multiarch:1.0"_s);
    const auto served = f.fetch(source);
    VERIFY_OK(served);
    const auto index = parseImageIndex(served->body, served->mediaType);
    VERIFY_OK(index);

    const auto entries = f.resolve({source});
    VERIFY_OK(entries);
    QCOMPARE(entries->size(), index->manifests.size());
    for (qsizetype i = 0; i < entries->size(); ++i) {
        const ManifestListEntry &entry = entries->at(i);
        QCOMPARE(entry.descriptor.digest, index->manifests.at(i).digest);
        QCOMPARE(entry.descriptor.size, index->manifests.at(i).size);
        QCOMPARE(entry.descriptor.mediaType, index->manifests.at(i).mediaType);
        QVERIFY2(entry.descriptor.platform->satisfies(*index->manifests.at(i).platform),
                 qPrintable(entry.descriptor.platform->toString()));
        QCOMPARE(entry.source, source.withTag(QString()).withDigest(entry.descriptor.digest));
        QCOMPARE(entry.givenAs, source);
    }
    QStringList architectures;
    for (const ManifestListEntry &entry : *entries)
        architectures.append(entry.descriptor.platform->architecture);
    QCOMPARE(architectures, (QStringList{u"amd64"_s, u"arm64"_s}));
}

void TestManifestList::allDockerSourcesMakeADockerManifestList()
{
    Fixture f;
    const QString repository = host() + u'/' + uniqueRepository(u"docker"_s);
    const ImageReference amd64 = parseReference(repository + u":amd64"_s);
    const ImageReference arm = parseReference(repository + u":arm"_s);
    VERIFY_OK(f.pushImage(amd64, u"linux/amd64"_s, true));
    VERIFY_OK(f.pushImage(arm, u"linux/arm/v7"_s, true));
    const auto entries = f.resolve({amd64, arm});
    VERIFY_OK(entries);

    ManifestList list;
    list.target = parseReference(repository + u":1.0"_s);
    VERIFY_OK(list.add(*entries));
    QCOMPARE(list.mediaType(), QLatin1String(MediaType::DockerManifestList));
    const auto pushed = f.push(list);
    VERIFY_OK(pushed);
    QCOMPARE(pushed->imagesCopied, 0);
    QCOMPARE(pushed->digest, list.indexDigest());

    const auto served = f.fetch(list.target);
    VERIFY_OK(served);
    QCOMPARE(served->digest, pushed->digest);
    QCOMPARE(served->mediaType, QLatin1String(MediaType::DockerManifestList));
    const auto index = parseImageIndex(served->body, served->mediaType);
    VERIFY_OK(index);
    QCOMPARE(platformsOf(*index), (QStringList{u"linux/amd64"_s, u"linux/arm/v7"_s}));
    QCOMPARE(index->manifests.at(0).digest, entries->at(0).descriptor.digest);
    QCOMPARE(index->manifests.at(1).mediaType, QLatin1String(MediaType::DockerManifest));
}

void TestManifestList::mixedSourcesMakeAnOciIndex()
{
    Fixture f;
    const QString repository = host() + u'/' + uniqueRepository(u"mixed"_s);
    const ImageReference amd64 = parseReference(repository + u":amd64"_s);
    const ImageReference arm64 = parseReference(repository + u":arm64"_s);
    VERIFY_OK(f.pushImage(amd64, u"linux/amd64"_s, true));
    VERIFY_OK(f.pushImage(arm64, u"linux/arm64/v8"_s, false));
    const auto entries = f.resolve({amd64, arm64});
    VERIFY_OK(entries);
    ManifestList list;
    list.target = parseReference(repository + u":multi"_s);
    VERIFY_OK(list.add(*entries));
    const auto pushed = f.push(list);
    VERIFY_OK(pushed);

    const auto served = f.fetch(list.target);
    VERIFY_OK(served);
    QCOMPARE(served->mediaType, QLatin1String(MediaType::OciIndex));
    QCOMPARE(served->digest, pushed->digest);
    QCOMPARE(served->body, list.indexJson());
    const auto index = parseImageIndex(served->body, served->mediaType);
    VERIFY_OK(index);
    QCOMPARE(platformsOf(*index), (QStringList{u"linux/amd64"_s, u"linux/arm64/v8"_s}));
    QCOMPARE(index->manifests.at(0).mediaType, QLatin1String(MediaType::DockerManifest));
    QCOMPARE(index->manifests.at(1).mediaType, QLatin1String(MediaType::OciManifest));
}

void TestManifestList::twoSourcesForOnePlatformAreRefused()
{
    Fixture f;
    const QString repository = host() + u'/' + uniqueRepository(u"twice"_s);
    const ImageReference first = parseReference(repository + u":a"_s);
    const ImageReference second = parseReference(repository + u":b"_s);
    VERIFY_OK(f.pushImage(first, u"linux/amd64"_s, false));
    VERIFY_OK(f.pushImage(second, u"linux/amd64"_s, false));
    const auto entries = f.resolve({first, second});
    VERIFY_OK(entries);
    ManifestList list;
    list.target = parseReference(repository + u":1"_s);
    const Status added = list.add(*entries);
    QVERIFY(!added);
    QCOMPARE(added.error().kind, Error::Kind::InvalidArgument);
    // Named as the user gave them.
    QVERIFY2(added.error().message.contains(first.toString())
                 && added.error().message.contains(second.toString())
                 && added.error().message.contains(u"linux/amd64"_s),
             qPrintable(added.error().message));
    QVERIFY(list.entries.isEmpty());

    // The same image twice is one entry, not a conflict (an --amend repeating a source).
    VERIFY_OK(list.add({entries->at(0)}));
    VERIFY_OK(list.add({entries->at(0)}));
    QCOMPARE(list.entries.size(), 1);
}

void TestManifestList::sourcesInAnotherRepositoryAreCopiedFirst()
{
    Fixture f;
    const QString target = host() + u'/' + uniqueRepository(u"copied"_s);
    const ImageReference own = parseReference(target + u":riscv"_s);
    VERIFY_OK(f.pushImage(own, u"linux/riscv64"_s, false));
    const auto entries = f.resolve({parseReference(host() + u"/berth/multiarch:1.0"_s), own});
    VERIFY_OK(entries);
    QCOMPARE(entries->size(), 3);
    ManifestList list;
    list.target = parseReference(target + u":all"_s);
    VERIFY_OK(list.add(*entries));
    const auto pushed = f.push(list);
    VERIFY_OK(pushed);
    QCOMPARE(pushed->imagesCopied, 2);
    // Same registry: the layers come by mount, not by upload.
    QVERIFY(pushed->blobsMounted > 0);
    QCOMPARE(pushed->blobsCopied, 0);

    const auto served = f.fetch(list.target);
    VERIFY_OK(served);
    QCOMPARE(served->digest, pushed->digest);
    for (const ManifestListEntry &entry : *entries) {
        const auto inTarget
            = f.fetch(list.target.withTag(QString()).withDigest(entry.descriptor.digest));
        VERIFY_OK(inTarget);
        QCOMPARE(inTarget->size, entry.descriptor.size);
    }
}

void TestManifestList::aNonImageSourceIsRefused()
{
    Fixture f;
    const auto entries
        = f.resolve({parseReference(host() + u"/"_s + uniqueRepository(u"absent"_s) + u":1"_s)});
    QVERIFY(!entries);
    QCOMPARE(entries.error().kind, Error::Kind::NotFound);
}

void TestManifestList::anEmptyListIsNotPushed()
{
    Fixture f;
    ManifestList list;
    list.target = parseReference(host() + u"/"_s + uniqueRepository(u"empty"_s) + u":1"_s);
    const auto pushed = f.push(list);
    QVERIFY(!pushed);
    QVERIFY2(pushed.error().message.contains(list.target.toString()),
             qPrintable(pushed.error().message));
}

QTEST_GUILESS_MAIN(TestManifestList)
#include "tst_manifestlist.moc"
