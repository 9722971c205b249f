// The local store of manifest lists being built (core/registryops/manifestliststore.h): one file
// per target, written atomically, a damaged file refused with its name and nothing else lost.

#include "testhelpers.h"

#include "oci/mediatypes.h"
#include "registryops/manifestlist.h"
#include "registryops/manifestliststore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString DigestA = u"sha256:"_s + QString(64, u'a');
const QString DigestB = u"sha256:"_s + QString(64, u'b');

ManifestListEntry entry(const QString &repository, const QString &digest, const QString &platform)
{
    Descriptor d;
    d.mediaType = QLatin1String(MediaType::OciManifest);
    d.digest = parseDigest(digest);
    d.size = 1234;
    d.platform = *Platform::parse(platform);
    ManifestListEntry e;
    e.source = parseReference(repository + u'@' + digest);
    e.descriptor = d;
    return e;
}

ManifestList sampleList(const QString &target)
{
    ManifestList list;
    list.target = parseReference(target);
    list.entries = {entry(u"localhost:5000/a"_s, DigestA, u"linux/amd64"_s),
                    entry(u"localhost:5000/b"_s, DigestB, u"linux/arm/v7"_s)};
    return list;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestManifestListStore : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void targetsWithSimilarNamesKeepTheirOwnFiles();
    void aVeryLongTargetGetsAShortFileName();
    void damagedFilesAreRefusedByName_data();
    void damagedFilesAreRefusedByName();
    void removeWorksOnADamagedFile();
    void theDockerTypeOnlyWhenEverySourceIsDocker();
    void aTargetWithADigestIsRefused();
};

void TestManifestListStore::roundTrip()
{
    QTemporaryDir dir;
    const ManifestListStore store(dir.path() + u"/manifests"_s);
    const ManifestList list = sampleList(u"localhost:5000/app:1.0"_s);
    const auto before = store.load(list.target);
    VERIFY_OK(before);
    QVERIFY(!*before);
    VERIFY_OK(store.save(list));
    const auto loaded = store.load(list.target);
    VERIFY_OK(loaded);
    QVERIFY(*loaded);
    QCOMPARE((*loaded)->target, list.target);
    QCOMPARE((*loaded)->entries.size(), 2);
    QCOMPARE((*loaded)->entries.at(1).source, list.entries.at(1).source);
    QCOMPARE((*loaded)->entries.at(1).descriptor.platform, list.entries.at(1).descriptor.platform);
    QCOMPARE((*loaded)->indexJson(), list.indexJson());
    // Atomic writes leave no temporary file behind.
    QCOMPARE(QDir(store.directory()).entryList(QDir::Files).size(), 1);
}

void TestManifestListStore::targetsWithSimilarNamesKeepTheirOwnFiles()
{
    QTemporaryDir dir;
    const ManifestListStore store(dir.path());
    // docker's file names ("_" for every separator) would make these two one file.
    const ManifestList first = sampleList(u"localhost:5000/a/b:c"_s);
    ManifestList second = sampleList(u"localhost:5000/a_b:c"_s);
    second.entries.removeLast();
    VERIFY_OK(store.save(first));
    VERIFY_OK(store.save(second));
    QVERIFY(store.fileFor(first.target) != store.fileFor(second.target));
    const auto a = store.load(first.target);
    const auto b = store.load(second.target);
    VERIFY_OK(a);
    VERIFY_OK(b);
    QCOMPARE((*a)->entries.size(), 2);
    QCOMPARE((*b)->entries.size(), 1);
}

void TestManifestListStore::aVeryLongTargetGetsAShortFileName()
{
    QTemporaryDir dir;
    const ManifestListStore store(dir.path());
    const ManifestList list = sampleList(u"localhost:5000/"_s + QString(200, u'x') + u'/'
                                         + QString(50, u'y') + u":t"_s);
    QVERIFY(QFileInfo(store.fileFor(list.target)).fileName().size() < 255);
    VERIFY_OK(store.save(list));
    const auto loaded = store.load(list.target);
    VERIFY_OK(loaded);
    QCOMPARE((*loaded)->target, list.target);
}

void TestManifestListStore::damagedFilesAreRefusedByName_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("reason");

    const QByteArray good = manifestListToJson(sampleList(u"localhost:5000/app:1.0"_s));
    QTest::newRow("empty") << QByteArray() << u"not JSON"_s;
    QTest::newRow("truncated") << good.left(good.size() / 2) << u"not JSON"_s;
    QTest::newRow("array") << QByteArray("[]") << u"not a JSON object"_s;
    QTest::newRow("deep") << QByteArray(100, '[') << u"nests too deeply"_s;

    QJsonObject root = QJsonDocument::fromJson(good).object();
    QJsonArray sources = root.value(u"sources").toArray();
    sources.removeLast();
    QJsonObject fewer = root;
    fewer.insert(u"sources"_s, sources);
    QTest::newRow("fewer sources") << QJsonDocument(fewer).toJson() << u"2 image(s)"_s;

    QJsonObject swapped = root;
    swapped.insert(
        u"sources"_s,
        QJsonArray{root.value(u"sources").toArray().at(1), root.value(u"sources").toArray().at(0)});
    QTest::newRow("source digest") << QJsonDocument(swapped).toJson() << DigestB;

    QJsonObject otherTarget = root;
    otherTarget.insert(u"target"_s, u"localhost:5000/other:1.0"_s);
    QTest::newRow("other target") << QJsonDocument(otherTarget).toJson()
                                  << u"localhost:5000/other:1.0"_s;

    QJsonObject badIndex = root;
    badIndex.insert(u"index"_s, QJsonObject{{u"schemaVersion"_s, 1}});
    QTest::newRow("bad index") << QJsonDocument(badIndex).toJson() << u"schema 1"_s;
}

void TestManifestListStore::damagedFilesAreRefusedByName()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const ManifestListStore store(dir.path());
    const ManifestList other = sampleList(u"localhost:5000/other:2.0"_s);
    VERIFY_OK(store.save(other));
    const ImageReference target = parseReference(u"localhost:5000/app:1.0"_s);
    writeFile(store.fileFor(target), content);

    const auto loaded = store.load(target);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().kind, Error::Kind::Io);
    QVERIFY2(loaded.error().message.contains(QDir::toNativeSeparators(store.fileFor(target))),
             qPrintable(loaded.error().message));
    QVERIFY2(loaded.error().message.contains(reason), qPrintable(loaded.error().message));
    // Another target's list is untouched.
    const auto kept = store.load(other.target);
    VERIFY_OK(kept);
    QCOMPARE((*kept)->entries.size(), 2);
}

void TestManifestListStore::removeWorksOnADamagedFile()
{
    QTemporaryDir dir;
    const ManifestListStore store(dir.path());
    const ImageReference target = parseReference(u"localhost:5000/app:1.0"_s);
    writeFile(store.fileFor(target), "{broken");
    const auto removed = store.remove(target);
    VERIFY_OK(removed);
    QVERIFY(*removed);
    const auto again = store.remove(target);
    VERIFY_OK(again);
    QVERIFY(!*again);
    QVERIFY(!QFile::exists(store.fileFor(target)));
}

void TestManifestListStore::theDockerTypeOnlyWhenEverySourceIsDocker()
{
    ManifestList list = sampleList(u"localhost:5000/app:1.0"_s);
    QCOMPARE(list.mediaType(), QLatin1String(MediaType::OciIndex));
    for (ManifestListEntry &e : list.entries)
        e.descriptor.mediaType = QLatin1String(MediaType::DockerManifest);
    QCOMPARE(list.mediaType(), QLatin1String(MediaType::DockerManifestList));
    const auto index = parseImageIndex(list.indexJson());
    VERIFY_OK(index);
    QCOMPARE(index->mediaType, QLatin1String(MediaType::DockerManifestList));
    QCOMPARE(index->manifests.size(), 2);
    list.entries.first().descriptor.mediaType = QLatin1String(MediaType::OciManifest);
    QCOMPARE(list.mediaType(), QLatin1String(MediaType::OciIndex));
}

void TestManifestListStore::aTargetWithADigestIsRefused()
{
    const auto target = manifestListTarget(u"localhost:5000/app@"_s + DigestA);
    QVERIFY(!target);
    QCOMPARE(target.error().kind, Error::Kind::InvalidArgument);
    VERIFY_OK(manifestListTarget(u"localhost:5000/app"_s));
    QCOMPARE(manifestListTarget(u"localhost:5000/app"_s)->tag(), u"latest"_s);
}

QTEST_GUILESS_MAIN(TestManifestListStore)
#include "tst_manifestliststore.moc"
