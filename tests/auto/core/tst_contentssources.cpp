// Where an image's layers come from (core/imagefiles/contentssource.h), against the real test
// registry, archives written by Berth's own save and by skopeo, the embedded store and the real
// engines: what describe() says, and that every fetched layer hashes to its digest.

#include "asynctest.h"
#include "contentsfixture.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "archive/tarwriter.h"
#include "common/sha256.h"
#include "contents/layerextract.h"
#include "imagefiles/contentssource.h"
#include "imagefiles/imagecontents.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"
#include "store/enginebackend.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// Hashes what it is given, keeping nothing.
class HashingSink final : public BlobSink
{
public:
    Status write(QByteArrayView data) override
    {
        m_hash.addData(data);
        m_size += data.size();
        return {};
    }
    Status restart() override
    {
        m_hash.reset();
        m_size = 0;
        return {};
    }
    QString digest() { return m_hash.digest(); }
    qint64 size() const { return m_size; }

private:
    Sha256 m_hash;
    qint64 m_size = 0;
};

// Says "enough" after its first write, as LayerFileExtractor does once its files are out.
class EnoughSink final : public BlobSink
{
public:
    Status write(QByteArrayView) override
    {
        Error e = Error::make(Error::Kind::Cancelled, u"enough"_s);
        e.code = LayerFileExtractor::EnoughCode;
        return fail(e);
    }
    Status restart() override { return {}; }
};

struct Fetched
{
    Status status;
    std::map<int, QString> digests;
    std::map<int, qint64> sizes;
    QList<std::pair<qint64, qint64>> progress;
};

Fetched fetchLayers(ContentsSource &source, const QList<int> &layers)
{
    std::map<int, std::unique_ptr<HashingSink>> sinks;
    for (int position : layers)
        sinks[position] = std::make_unique<HashingSink>();
    Fetched fetched;
    ContentsSource::FetchOptions options;
    options.progress = [&](qint64 done, qint64 total) {
        fetched.progress.append({done, total});
    };
    fetched.status = await<void>(
        [&](auto done) {
            source.fetchLayers(
                layers, [&](int position) { return sinks.at(position).get(); }, options, done);
        },
        300000);
    for (auto &[position, sink] : sinks) {
        fetched.digests[position] = sink->digest();
        fetched.sizes[position] = sink->size();
    }
    return fetched;
}

Result<ContentsImage> describe(ContentsSource &source)
{
    return await<ContentsImage>([&](auto done) { source.describe(done); }, 300000);
}

QString uniqueName(const QString &prefix)
{
    return prefix + u'-' + QString::number(QRandomGenerator::global()->generate64(), 16);
}

int run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted() || !process.waitForFinished(180000)) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    if (process.exitCode() != 0)
        qWarning("%s: %s", qPrintable(program), process.readAllStandardError().constData());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

// The access log of the plain registry the services started.
QString registryLog()
{
    const QFileInfo services(qEnvironmentVariable("BERTH_TEST_SERVICES"));
    return services.dir().filePath(u"logs/registry-plain.log"_s);
}

bool logHasBlobRequest(const QString &repository, const QString &digest)
{
    QFile log(registryLog());
    if (!log.open(QIODevice::ReadOnly))
        return false;
    const QByteArray needle = QString(u"/v2/"_s + repository + u"/blobs/"_s + digest).toUtf8();
    return log.readAll().contains(needle);
}

// How a source holds the fixture's layers: as pushed, uncompressed (a docker-archive, an
// engine), or compressed again by the tool that wrote it (skopeo's oci-archive gzips the plain
// layer).
enum class Stored { AsPushed, Uncompressed, Recompressed };

} // namespace

Q_DECLARE_METATYPE(Stored)

class tst_ContentsSources final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void registryDescribes();
    void registryFetchesEveryLayer();
    void registryFetchesOnlyWhatIsAsked();
    void registryEnoughComesBackUnchanged();
    void registryUnknownTag();
    void registryLoadsThroughCache();

    void archiveLayers_data();
    void archiveLayers();
    void archiveEnoughComesBackUnchanged();
    void archiveWithSeveralImages();
    void archiveDamaged_data();
    void archiveDamaged();

    void embeddedStore();
    void engine_data();
    void engine();

private:
    QString pushFixture(const ContentsFixture &fixture, const QString &repository);
    void checkLayers(ContentsSource &source, const ContentsFixture &fixture, Stored stored);
    void checkDescribed(const ContentsImage &image, const ContentsFixture &fixture);
    QString saveArchive(const QStringList &images, const QString &name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_store;
    TestCredentials m_credentials;
    TestRegistry m_registry;
    QString m_repository;
    ContentsFixture m_first;
    ContentsFixture m_second;
    QString m_firstRef;  // "127.0.0.1:PORT/berth/contents-…:first"
    QString m_secondRef; // the same repository, tag second
};

QString tst_ContentsSources::pushFixture(const ContentsFixture &fixture, const QString &reference)
{
    const Status pushed = pushContentsFixture(*m_client, parseReference(reference), fixture);
    if (!pushed)
        qWarning(
            "push of %s failed: %s", qPrintable(reference), qPrintable(describe(pushed.error())));
    return pushed ? reference : QString();
}

void tst_ContentsSources::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    m_registry = TestServices::instance().registry(u"plain"_s);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(!m_dir->path().contains(u':')); // skopeo's transports split at ':'
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_client->setCredentialProvider(&m_credentials);
    m_repository = uniqueName(u"berth/contents"_s);
    const quint32 seed = QRandomGenerator::global()->generate();
    m_first = makeContentsFixture(seed);
    m_second = makeContentsFixture(seed + 7);
    m_firstRef = pushFixture(m_first, m_registry.host + u'/' + m_repository + u":first"_s);
    m_secondRef = pushFixture(m_second, m_registry.host + u'/' + m_repository + u":second"_s);
    QVERIFY(!m_firstRef.isEmpty() && !m_secondRef.isEmpty());
    m_store = std::make_unique<EmbeddedBackend>(m_dir->filePath(u"store"_s), m_client.get());
    for (const QString &ref : {m_firstRef, m_secondRef})
        VERIFY_OK(await<PullResult>(
            [&](auto done) { m_store->pull(parseReference(ref), {}, done); }, 300000));
}

void tst_ContentsSources::cleanupTestCase()
{
    m_store.reset();
    m_client.reset();
    m_network.reset();
    m_dir.reset();
}

void tst_ContentsSources::checkDescribed(const ContentsImage &image, const ContentsFixture &fixture)
{
    QCOMPARE(image.configDigest.toString(), fixture.configDigest);
    QCOMPARE(image.layers.size(), fixture.layers.size());
    for (qsizetype i = 0; i < image.layers.size(); ++i) {
        QCOMPARE(image.layers.at(i).diffId.toString(), fixture.layers.at(i).diffId);
        // The empty-layer ENV step between the first and second layers belongs to no layer.
        QCOMPARE(image.layers.at(i).createdBy, fixture.layers.at(i).createdBy);
    }
    QCOMPARE(image.config.diffIds.size(), fixture.layers.size());
}

// Every layer fetched at once: each hashes to its blob digest, or (uncompressed as an archive
// keeps them) to its diff_id.
void tst_ContentsSources::checkLayers(ContentsSource &source,
                                      const ContentsFixture &fixture,
                                      Stored stored)
{
    auto image = describe(source);
    VERIFY_OK(image);
    checkDescribed(*image, fixture);
    QList<int> all;
    for (int i = 0; i < int(image->layers.size()); ++i)
        all << i;
    const Fetched fetched = fetchLayers(source, all);
    VERIFY_OK(fetched.status);
    for (int i : all) {
        const FixtureLayer &layer = fixture.layers.at(i);
        if (stored != Stored::Recompressed)
            QCOMPARE(fetched.digests.at(i),
                     stored == Stored::Uncompressed ? layer.diffId : layer.digest);
        QCOMPARE(fetched.digests.at(i), image->layers.at(i).blob.digest.toString());
    }
    QVERIFY(!fetched.progress.isEmpty());
    for (qsizetype i = 1; i < fetched.progress.size(); ++i)
        QVERIFY(fetched.progress.at(i).first >= fetched.progress.at(i - 1).first);
}

void tst_ContentsSources::registryDescribes()
{
    auto source = registryContentsSource(*m_client, parseReference(m_firstRef));
    auto image = describe(*source);
    VERIFY_OK(image);
    checkDescribed(*image, m_first);
    QCOMPARE(image->manifestDigest.toString(), m_first.manifestDigest);
    for (qsizetype i = 0; i < image->layers.size(); ++i) {
        QCOMPARE(image->layers.at(i).blob.digest.toString(), m_first.layers.at(i).digest);
        QCOMPARE(image->layers.at(i).blob.size, m_first.layers.at(i).blob.size());
    }
    QVERIFY(source->displayName().contains(m_registry.host));
}

void tst_ContentsSources::registryFetchesEveryLayer()
{
    auto source = registryContentsSource(*m_client, parseReference(m_secondRef));
    checkLayers(*source, m_second, Stored::AsPushed);
}

void tst_ContentsSources::registryFetchesOnlyWhatIsAsked()
{
    // A repository of its own, so that no other test's request can be in the log for it.
    const ContentsFixture fixture = makeContentsFixture(QRandomGenerator::global()->generate());
    const QString repository = uniqueName(u"berth/contents-one"_s);
    const QString ref = pushFixture(fixture, m_registry.host + u'/' + repository + u":1"_s);
    QVERIFY(!ref.isEmpty());
    auto source = registryContentsSource(*m_client, parseReference(ref));
    VERIFY_OK(describe(*source));
    const Fetched fetched = fetchLayers(*source, {1});
    VERIFY_OK(fetched.status);
    QCOMPARE(fetched.digests.size(), size_t(1));
    QCOMPARE(fetched.digests.at(1), fixture.layers.at(1).digest);
    QCOMPARE(fetched.progress.last().first, fixture.layers.at(1).blob.size());
    // The registry logs each request as it ends: the one asked for shows up, the others never.
    QTRY_VERIFY(logHasBlobRequest(repository, fixture.layers.at(1).digest));
    QVERIFY(!logHasBlobRequest(repository, fixture.layers.at(0).digest));
    QVERIFY(!logHasBlobRequest(repository, fixture.layers.at(2).digest));
}

void tst_ContentsSources::registryEnoughComesBackUnchanged()
{
    auto source = registryContentsSource(*m_client, parseReference(m_firstRef));
    EnoughSink sink;
    const Status s = await<void>([&](auto done) {
        source->fetchLayers(
            {2}, [&](int) { return &sink; }, {}, done);
    });
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::Cancelled);
    QCOMPARE(s.error().code, LayerFileExtractor::EnoughCode);
}

void tst_ContentsSources::registryUnknownTag()
{
    auto source = registryContentsSource(
        *m_client, parseReference(m_registry.host + u'/' + m_repository + u":missing"_s));
    auto image = describe(*source);
    QVERIFY(!image);
    QCOMPARE(image.error().kind, Error::Kind::NotFound);
}

// The whole path from a registry: a first look downloads and indexes every layer, a second asks
// the registry for no blob at all.
void tst_ContentsSources::registryLoadsThroughCache()
{
    const ContentsFixture fixture = makeContentsFixture(QRandomGenerator::global()->generate());
    const QString repository = uniqueName(u"berth/contents-cache"_s);
    const QString ref = pushFixture(fixture, m_registry.host + u'/' + repository + u":1"_s);
    QVERIFY(!ref.isEmpty());
    auto cache = std::make_shared<LayerIndexCache>(
        m_dir->filePath(u"cache-"_s + repository.section(u'-', -1)));
    const auto look = [&] {
        std::shared_ptr<ContentsSource> source
            = registryContentsSource(*m_client, parseReference(ref));
        return await<std::shared_ptr<LoadedContents>>(
            [&](auto done) { loadContents(source, cache, {}, done); }, 300000);
    };
    auto first = look();
    VERIFY_OK(first);
    QCOMPARE((*first)->layersFromCache, 0);
    QVERIFY((*first)->tree->find("data/big") >= 0);
    for (const FixtureLayer &layer : fixture.layers)
        QTRY_VERIFY(logHasBlobRequest(repository, layer.digest));
    // A fresh log position: the second look's requests are what comes after this.
    QFile log(registryLog());
    QVERIFY(log.open(QIODevice::ReadOnly));
    const qint64 before = log.size();
    auto second = look();
    VERIFY_OK(second);
    QCOMPARE((*second)->layersFromCache, int(fixture.layers.size()));
    QCOMPARE((*second)->bytesDownloaded, qint64(0));
    // The configuration is read again by describe(); once its request is in the log, no layer's
    // request is.
    const auto logSince = [&] {
        QFile again(registryLog());
        return again.open(QIODevice::ReadOnly) && again.seek(before) ? again.readAll()
                                                                     : QByteArray();
    };
    QTRY_VERIFY(logSince().contains(fixture.configDigest.toUtf8()));
    const QByteArray after = logSince();
    for (const FixtureLayer &layer : fixture.layers)
        QVERIFY2(!after.contains(layer.digest.toUtf8()), after.constData());
}

QString tst_ContentsSources::saveArchive(const QStringList &images, const QString &name)
{
    const QString path = m_dir->filePath(name);
    if (QFile::exists(path))
        return path;
    SaveOptions options;
    options.compression = compressionForFileName(name);
    auto saved = await<SaveResult>(
        [&](auto done) { m_store->save(images, ArchiveTarget::file(path), options, done); },
        300000);
    if (!saved)
        qWarning("save failed: %s", qPrintable(describe(saved.error())));
    return saved ? path : QString();
}

void tst_ContentsSources::archiveLayers_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<Stored>("stored");
    QTest::newRow("berth save") << u"berth"_s << Stored::AsPushed;
    QTest::newRow("berth save, gzip") << u"berth-gz"_s << Stored::AsPushed;
    QTest::newRow("skopeo docker-archive") << u"docker-archive"_s << Stored::Uncompressed;
    QTest::newRow("skopeo docker-archive, gzip") << u"docker-archive-gz"_s << Stored::Uncompressed;
    QTest::newRow("skopeo oci-archive") << u"oci-archive"_s << Stored::Recompressed;
}

void tst_ContentsSources::archiveLayers()
{
    QFETCH(QString, kind);
    QFETCH(Stored, stored);
    QString path;
    QString image;
    const QString from = u"docker://"_s + m_firstRef;
    if (kind == u"berth") {
        path = saveArchive({m_firstRef}, u"first.tar"_s);
    } else if (kind == u"berth-gz") {
        path = saveArchive({m_firstRef}, u"first.tar.gz"_s);
    } else if (kind.startsWith(u"docker-archive")) {
        path = m_dir->filePath(kind + u".tar"_s);
        QCOMPARE(run(u"skopeo"_s,
                     {u"copy"_s,
                      u"--src-tls-verify=false"_s,
                      from,
                      u"docker-archive:"_s + path + u":contents/first:1"_s}),
                 0);
        if (kind.endsWith(u"-gz")) {
            QCOMPARE(run(u"gzip"_s, {path}), 0);
            path += u".gz"_s;
        }
        image = u"contents/first:1"_s;
    } else {
        path = m_dir->filePath(u"oci.tar"_s);
        QCOMPARE(run(u"skopeo"_s,
                     {u"copy"_s,
                      u"--src-tls-verify=false"_s,
                      from,
                      u"oci-archive:"_s + path + u":first"_s}),
                 0);
    }
    QVERIFY(!path.isEmpty());
    auto source = archiveContentsSource(path, image);
    checkLayers(*source, m_first, stored);
    QVERIFY(source->displayName().contains(QFileInfo(path).fileName()));
}

void tst_ContentsSources::archiveEnoughComesBackUnchanged()
{
    const QString path = saveArchive({m_firstRef}, u"first.tar"_s);
    auto source = archiveContentsSource(path);
    EnoughSink sink;
    const Status s = await<void>([&](auto done) {
        source->fetchLayers(
            {0}, [&](int) { return &sink; }, {}, done);
    });
    QVERIFY(!s);
    QCOMPARE(s.error().code, LayerFileExtractor::EnoughCode);
}

void tst_ContentsSources::archiveWithSeveralImages()
{
    const QString path = saveArchive({m_firstRef, m_secondRef}, u"both.tar"_s);
    QVERIFY(!path.isEmpty());

    auto unnamed = archiveContentsSource(path);
    auto ambiguous = describe(*unnamed);
    QVERIFY(!ambiguous);
    QCOMPARE(ambiguous.error().kind, Error::Kind::InvalidArgument);
    QVERIFY2(ambiguous.error().message.contains(u":first"_s)
                 && ambiguous.error().message.contains(u":second"_s),
             qPrintable(ambiguous.error().message));

    auto byTag = archiveContentsSource(path, m_secondRef);
    checkLayers(*byTag, m_second, Stored::AsPushed);

    auto byId = archiveContentsSource(path, m_first.configDigest.mid(7, 12));
    auto first = describe(*byId);
    VERIFY_OK(first);
    QCOMPARE(first->configDigest.toString(), m_first.configDigest);

    auto missing = archiveContentsSource(path, u"nothing/here:1"_s);
    auto notThere = describe(*missing);
    QVERIFY(!notThere);
    QCOMPARE(notThere.error().kind, Error::Kind::NotFound);
    QVERIFY2(notThere.error().message.contains(u"nothing/here:1"_s)
                 && notThere.error().message.contains(u":first"_s),
             qPrintable(notThere.error().message));
}

void tst_ContentsSources::archiveDamaged_data()
{
    QTest::addColumn<QString>("damage");
    QTest::newRow("truncated") << u"truncated"_s;
    QTest::newRow("not an archive") << u"garbage"_s;
    QTest::newRow("a filesystem tar") << u"filesystem"_s;
    QTest::newRow("missing file") << u"missing"_s;
}

void tst_ContentsSources::archiveDamaged()
{
    QFETCH(QString, damage);
    const QString path = m_dir->filePath(u"damaged-"_s + damage + u".tar"_s);
    if (damage == u"truncated") {
        QFile whole(saveArchive({m_firstRef}, u"first.tar"_s));
        QVERIFY(whole.open(QIODevice::ReadOnly));
        // Cut inside the first blob, where the layers' JSON files are not yet.
        QByteArray bytes = whole.readAll();
        bytes.truncate(bytes.size() / 3 + 100);
        QFile cut(path);
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(bytes);
    } else if (damage == u"garbage") {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(randomBytes(10000, 3));
    } else if (damage == u"filesystem") {
        auto writer = TarWriter::toFile(path, Compression::None);
        VERIFY_OK(writer);
        VERIFY_OK((*writer)->addBytes(u"etc/passwd"_s, "root:x:0:0::/root:/bin/sh\n"));
        VERIFY_OK((*writer)->finish());
    }
    auto source
        = archiveContentsSource(damage == u"missing" ? m_dir->filePath(u"nope.tar"_s) : path);
    auto image = describe(*source);
    QVERIFY(!image);
    const QString name = damage == u"missing" ? u"nope.tar"_s : QFileInfo(path).fileName();
    QVERIFY2(image.error().message.contains(name), qPrintable(image.error().message));
}

void tst_ContentsSources::embeddedStore()
{
    auto source = backendContentsSource(*m_store, m_firstRef);
    checkLayers(*source, m_first, Stored::AsPushed);
    auto image = describe(*source);
    VERIFY_OK(image);
    QCOMPARE(image->manifestDigest.toString(), m_first.manifestDigest);

    auto missing = backendContentsSource(*m_store, u"nothing/here:1"_s);
    auto notThere = describe(*missing);
    QVERIFY(!notThere);
    QCOMPARE(notThere.error().kind, Error::Kind::NotFound);
}

void tst_ContentsSources::engine_data()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("docker") << u"docker"_s;
    QTest::newRow("podman") << u"podman"_s;
}

// The engines' saves name layers differently (Docker 20's `<id>/layer.tar`, podman's
// `<diff_id>.tar`): both give every layer, uncompressed.
void tst_ContentsSources::engine()
{
    QFETCH(QString, engine);
    const QString socket = TestServices::instance().engineSocket(engine);
    QVERIFY2(!socket.isEmpty(), "the test services were started without this engine");
    const QByteArray saved = qgetenv("DOCKER_HOST");
    qputenv("DOCKER_HOST", (u"unix://"_s + socket).toUtf8());
    auto found = await<std::unique_ptr<EngineBackend>>(
        [&](auto done) { EngineBackend::discover(&m_credentials, std::nullopt, done); });
    qputenv("DOCKER_HOST", saved);
    VERIFY_OK(found);
    EngineBackend &backend = **found;
    VERIFY_OK(await<PullResult>(
        [&](auto done) { backend.pull(parseReference(m_firstRef), {}, done); }, 300000));
    auto source = backendContentsSource(backend, m_firstRef);
    checkLayers(*source, m_first, Stored::Uncompressed);
    // A sink that has enough stops the read: the save is cancelled, the pipe drained, and the
    // sink's own error comes back.
    EnoughSink enough;
    const Status stopped = await<void>([&](auto done) {
        source->fetchLayers(
            {1}, [&](int) { return &enough; }, {}, done);
    });
    QVERIFY(!stopped);
    QCOMPARE(stopped.error().code, LayerFileExtractor::EnoughCode);
    (void)await<RemoveResult>([&](auto done) { backend.remove(m_firstRef, true, done); });
}

QTEST_MAIN(tst_ContentsSources)
#include "tst_contentssources.moc"
