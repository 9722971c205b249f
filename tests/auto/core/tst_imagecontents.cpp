// Loading an image's contents through the layer index cache (core/imagefiles/imagecontents.h):
// a first look indexes every layer, a second fetches none; a layer evicted is fetched alone;
// progress only moves forward; cancelling answers Cancelled; a layer that lies about its digest is
// refused naming it; the merged tree, a layer's view and a diff of two images. The image is the
// multi-layer fixture written as an OCI archive in the test, read through the real archive source
// wrapped in one that counts what it is asked to fetch.

#include "asynctest.h"
#include "contentsfixture.h"
#include "testhelpers.h"

#include "archive/tarwriter.h"
#include "common/sha256.h"
#include "imagefiles/imagecontents.h"
#include "oci/mediatypes.h"

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

// The real source, counting the layers it is asked for.
class CountingSource final : public ContentsSource
{
public:
    explicit CountingSource(std::unique_ptr<ContentsSource> inner)
        : m_inner(std::move(inner))
    {}
    QString displayName() const override { return m_inner->displayName(); }
    void describe(Callback<ContentsImage> done) override { m_inner->describe(std::move(done)); }
    void fetchLayers(const QList<int> &layers,
                     std::function<BlobSink *(int)> sinkFor,
                     FetchOptions options,
                     std::function<void(Status)> done) override
    {
        fetched << layers;
        m_inner->fetchLayers(layers, std::move(sinkFor), std::move(options), std::move(done));
    }

    QList<QList<int>> fetched;

private:
    std::unique_ptr<ContentsSource> m_inner;
};

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// The fixture as an OCI archive, as skopeo's oci-archive lays it out. `lie` swaps the bytes of
// the last layer for another tar while keeping the digests the manifest and config declare.
void writeOciArchive(const QString &path, const ContentsFixture &fixture, bool lie = false)
{
    auto writer = TarWriter::toFile(path, Compression::None);
    if (!writer)
        qFatal("cannot write %s", qPrintable(path));
    const auto add = [&](const QString &name, const QByteArray &bytes) {
        if (!(*writer)->addBytes(name, bytes))
            qFatal("cannot write %s", qPrintable(name));
    };
    add(u"oci-layout"_s, R"({"imageLayoutVersion":"1.0.0"})");
    const QJsonObject manifest{
        {u"mediaType"_s, QLatin1String(MediaType::OciManifest)},
        {u"digest"_s, fixture.manifestDigest},
        {u"size"_s, qint64(fixture.manifest.size())},
        {u"annotations"_s, QJsonObject{{u"org.opencontainers.image.ref.name"_s, u"fixture"_s}}}};
    add(u"index.json"_s, json({{u"schemaVersion"_s, 2}, {u"manifests"_s, QJsonArray{manifest}}}));
    const auto blob = [&](const QString &digest, const QByteArray &bytes) {
        add(u"blobs/sha256/"_s + digest.mid(7), bytes);
    };
    blob(fixture.manifestDigest, fixture.manifest);
    blob(fixture.configDigest, fixture.config);
    for (qsizetype i = 0; i < fixture.layers.size(); ++i) {
        const FixtureLayer &layer = fixture.layers.at(i);
        QByteArray bytes = layer.blob;
        if (lie && i == fixture.layers.size() - 1)
            bytes = makeContentsFixture(99).layers.at(i).blob.left(bytes.size());
        blob(layer.digest, bytes);
    }
    if (!(*writer)->finish())
        qFatal("cannot finish %s", qPrintable(path));
}

struct Load
{
    Result<std::shared_ptr<LoadedContents>> result = std::unexpected(Error());
    QList<ContentsProgress> progress;
};

} // namespace

class tst_ImageContents final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void secondLookFetchesNothing();
    void evictedLayerIsFetchedAlone();
    void treeFileGoesWithLastReference();
    void cancelled_data();
    void cancelled();
    void lyingLayerIsRefused();
    void layerViewAndDiff();

private:
    Load load(std::function<void(const ContentsProgress &, CancelToken &)> onProgress = {});
    std::shared_ptr<CountingSource> source(const QString &archive);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<LayerIndexCache> m_cache;
    ContentsFixture m_fixture;
    QString m_archive;
    std::shared_ptr<CountingSource> m_source;
};

void tst_ImageContents::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_cache = std::make_shared<LayerIndexCache>(m_dir->filePath(u"cache"_s));
    m_fixture = makeContentsFixture(42);
    m_archive = m_dir->filePath(u"fixture.tar"_s);
    writeOciArchive(m_archive, m_fixture);
    m_source = source(m_archive);
}

void tst_ImageContents::cleanup()
{
    m_source.reset();
    m_cache.reset();
    m_dir.reset();
}

std::shared_ptr<CountingSource> tst_ImageContents::source(const QString &archive)
{
    return std::make_shared<CountingSource>(archiveContentsSource(archive));
}

Load tst_ImageContents::load(
    std::function<void(const ContentsProgress &, CancelToken &)> onProgress)
{
    Load out;
    LoadContentsOptions options;
    CancelToken cancel = options.cancel;
    options.progress = [&out, onProgress, cancel](const ContentsProgress &p) mutable {
        out.progress << p;
        if (onProgress)
            onProgress(p, cancel);
    };
    out.result = await<std::shared_ptr<LoadedContents>>(
        [&](auto done) { loadContents(m_source, m_cache, options, done); });
    return out;
}

void tst_ImageContents::secondLookFetchesNothing()
{
    const Load first = load();
    VERIFY_OK(first.result);
    const LoadedContents &contents = **first.result;
    QCOMPARE(contents.layersFromCache, 0);
    QCOMPARE(m_source->fetched, (QList<QList<int>>{{0, 1, 2}}));
    qint64 blobBytes = 0;
    for (const FixtureLayer &layer : std::as_const(m_fixture.layers))
        blobBytes += layer.blob.size();
    QCOMPARE(contents.bytesDownloaded, blobBytes);
    QCOMPARE(contents.layers.size(), size_t(3));
    QCOMPARE(contents.summary.layers.size(), 3);

    // The steps come in order, and the bytes indexed never go back.
    QCOMPARE(first.progress.first().step, ContentsProgress::Step::Describing);
    QCOMPARE(first.progress.last().step, ContentsProgress::Step::Merging);
    for (qsizetype i = 1; i < first.progress.size(); ++i) {
        QVERIFY(first.progress.at(i).step >= first.progress.at(i - 1).step);
        if (first.progress.at(i).step == first.progress.at(i - 1).step)
            QVERIFY(first.progress.at(i).done >= first.progress.at(i - 1).done);
    }
    const auto indexing = std::find_if(
        first.progress.crbegin(), first.progress.crend(), [](const ContentsProgress &p) {
            return p.step == ContentsProgress::Step::Indexing;
        });
    QVERIFY(indexing != first.progress.crend());
    QCOMPARE(indexing->total, blobBytes);
    QCOMPARE(indexing->done, blobBytes);

    // What the tree holds: the second layer's hello, the whited-out tool gone.
    const IndexFile &tree = *contents.tree;
    const qint64 hello = tree.find("etc/hello");
    QVERIFY(hello >= 0);
    QCOMPARE(tree.entry(hello).layer, quint16(1));
    QCOMPARE(tree.entry(hello).size,
             qint64(m_fixture.layers.at(1).files.value("etc/hello").size()));
    QCOMPARE(tree.find("bin/tool"), qint64(-1));
    QVERIFY(tree.find("data/big") >= 0);
    QVERIFY(tree.find("usr/share/readme") >= 0);
    QCOMPARE(contents.image.layers.at(1).createdBy, m_fixture.layers.at(1).createdBy);

    m_source->fetched.clear();
    const Load second = load();
    VERIFY_OK(second.result);
    QCOMPARE((*second.result)->layersFromCache, 3);
    QCOMPARE((*second.result)->bytesDownloaded, qint64(0));
    QVERIFY(m_source->fetched.isEmpty());
    QCOMPARE((*second.result)->tree->count(), tree.count());
}

void tst_ImageContents::evictedLayerIsFetchedAlone()
{
    VERIFY_OK(load().result);
    QVERIFY(QFile::remove(m_cache->pathFor(parseDigest(m_fixture.layers.at(1).diffId))));
    m_source->fetched.clear();
    const Load again = load();
    VERIFY_OK(again.result);
    QCOMPARE((*again.result)->layersFromCache, 2);
    QCOMPARE(m_source->fetched, (QList<QList<int>>{{1}}));
    QCOMPARE((*again.result)->bytesDownloaded, qint64(m_fixture.layers.at(1).blob.size()));
}

void tst_ImageContents::treeFileGoesWithLastReference()
{
    Load loaded = load();
    VERIFY_OK(loaded.result);
    std::shared_ptr<const IndexFile> tree = (*loaded.result)->tree;
    const QString path = tree->path();
    QVERIFY(QFile::exists(path));
    QVERIFY(!path.startsWith(m_cache->directory()));
    loaded.result = std::unexpected(Error());
    QVERIFY(QFile::exists(path)); // still read here
    tree.reset();
    QVERIFY(!QFile::exists(path));
}

void tst_ImageContents::cancelled_data()
{
    QTest::addColumn<int>("step");
    QTest::newRow("describing") << int(ContentsProgress::Step::Describing);
    QTest::newRow("indexing") << int(ContentsProgress::Step::Indexing);
}

void tst_ImageContents::cancelled()
{
    QFETCH(int, step);
    const Load loaded = load([step](const ContentsProgress &p, CancelToken &cancel) {
        if (int(p.step) == step)
            cancel.cancel();
    });
    QVERIFY(!loaded.result);
    QCOMPARE(loaded.result.error().kind, Error::Kind::Cancelled);
    // Nothing half-made is left in the cache.
    for (const FixtureLayer &layer : std::as_const(m_fixture.layers))
        QVERIFY(!m_cache->contains(parseDigest(layer.diffId)));
}

void tst_ImageContents::lyingLayerIsRefused()
{
    const QString lying = m_dir->filePath(u"lying.tar"_s);
    writeOciArchive(lying, m_fixture, true);
    m_source = source(lying);
    const Load loaded = load();
    QVERIFY(!loaded.result);
    const QString message = loaded.result.error().message;
    QVERIFY2(message.contains(m_fixture.layers.at(2).digest.left(19)), qPrintable(message));
    QVERIFY(!m_cache->contains(parseDigest(m_fixture.layers.at(2).diffId)));
}

void tst_ImageContents::layerViewAndDiff()
{
    const Load loaded = load();
    VERIFY_OK(loaded.result);
    std::shared_ptr<const LoadedContents> contents = *loaded.result;

    auto view = await<std::shared_ptr<const IndexFile>>(
        [&](auto done) { layerView(contents, 1, {}, done); });
    VERIFY_OK(view);
    const qint64 tool = (*view)->find("bin/tool");
    QVERIFY(tool >= 0);
    QCOMPARE((*view)->entry(tool).change, ContentsEntry::Change::Deleted);
    QCOMPARE((*view)->find("data/big"), qint64(-1)); // layer 2 is above the view

    auto noSuchLayer = await<std::shared_ptr<const IndexFile>>(
        [&](auto done) { layerView(contents, 7, {}, done); });
    QVERIFY(!noSuchLayer);
    QCOMPARE(noSuchLayer.error().kind, Error::Kind::InvalidArgument);

    const ContentsFixture other = makeContentsFixture(43);
    const QString otherArchive = m_dir->filePath(u"other.tar"_s);
    writeOciArchive(otherArchive, other);
    m_source = source(otherArchive);
    const Load otherLoad = load();
    VERIFY_OK(otherLoad.result);
    auto diff = await<ContentsDiff>(
        [&](auto done) { diffContents(contents, *otherLoad.result, {}, done); });
    VERIFY_OK(diff);
    // Different seeds: hello, the tool's absence aside, big and hello differ; nothing added.
    QCOMPARE(diff->summary.added, qint64(0));
    QCOMPARE(diff->summary.deleted, qint64(0));
    QVERIFY(diff->summary.changed >= 2);
    const qint64 big = diff->tree->find("data/big");
    QVERIFY(big >= 0);
    QCOMPARE(diff->tree->entry(big).change, ContentsEntry::Change::Changed);
}

QTEST_MAIN(tst_ImageContents)
#include "tst_imagecontents.moc"
