// Loading image archives into the embedded store (core/archive/imageload): what skopeo writes
// (docker-archive and oci-archive, plain and compressed by the real gzip/zstd/xz/bzip2 tools) from
// an OCI image umoci builds over busybox-static, a Docker 25 layout and docker's older
// `<id>/layer.tar` layout written here by hand, and a corpus of hostile archives. skopeo then reads
// the store back (`skopeo copy` verifies every digest). Each hostile archive must fail with its own
// error and leave the store byte for byte as it was. No services needed.

#include "testhelpers.h"

#include "archive/archivelayout.h"
#include "archive/imageload.h"
#include "archive/tarreader.h"
#include "archive/tarwriter.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"
#include "oci/ocilayout.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Berth::Compression)
Q_DECLARE_METATYPE(Berth::Error::Kind)

namespace {

struct ToolResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool ok() const { return exitCode == 0; }
    QByteArray report() const { return "exit " + QByteArray::number(exitCode) + ": " + err; }
};

ToolResult runTool(const QString &program, const QStringList &arguments, int timeoutMs = 120000)
{
    QProcess process;
    process.start(program, arguments);
    ToolResult r;
    if (!process.waitForStarted()) {
        r.err = "cannot start " + program.toUtf8();
        return r;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        r.err = "timed out: " + program.toUtf8();
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QString digestOf(const QByteArray &data)
{
    return Sha256::digestOf(data);
}

QString hexOf(const QString &digest)
{
    return digest.mid(7);
}

QByteArray json(const QJsonValue &value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

// A layer: a small tar of its own, in memory.
QByteArray layerTar(const QList<std::pair<QString, QByteArray>> &files,
                    Compression compression = Compression::None)
{
    QByteArray out;
    auto writer = TarWriter::toFunction(
        [&](const char *data, qint64 size) {
            out.append(data, size);
            return true;
        },
        u"layer"_s,
        compression);
    if (!writer)
        qFatal("cannot write a layer");
    for (const auto &[name, data] : files) {
        if (!(*writer)->addBytes(name, data))
            qFatal("cannot write a layer");
    }
    if (!(*writer)->finish())
        qFatal("cannot write a layer");
    return out;
}

QByteArray imageConfig(const QStringList &diffIds)
{
    return json(QJsonObject{
        {u"architecture"_s, u"amd64"_s},
        {u"os"_s, u"linux"_s},
        {u"created"_s, u"2024-01-02T03:04:05Z"_s},
        {u"config"_s, QJsonObject{{u"Cmd"_s, QJsonArray{u"/bin/sh"_s}}}},
        {u"rootfs"_s,
         QJsonObject{{u"type"_s, u"layers"_s},
                     {u"diff_ids"_s, QJsonArray::fromStringList(diffIds)}}},
    });
}

// Writes archives the way the tools under test would, plus what no tool should ever write: raw
// headers for devices, set-uid files and links that leave the archive.
class ArchiveBuilder
{
public:
    ArchiveBuilder(const QString &path, Compression compression = Compression::None)
        : m_path(path)
    {
        auto writer = TarWriter::toFile(path, compression);
        if (!writer)
            qFatal("cannot create %s", qPrintable(path));
        m_writer = std::move(*writer);
    }

    ArchiveBuilder &file(const QString &name, const QByteArray &data, int mode = 0644)
    {
        archive_entry *e = newEntry(name, AE_IFREG, mode);
        archive_entry_set_size(e, data.size());
        write(e);
        if (!m_writer->writeData(data))
            qFatal("cannot write %s", qPrintable(name));
        return *this;
    }
    ArchiveBuilder &directory(const QString &name)
    {
        write(newEntry(name, AE_IFDIR, 0755));
        return *this;
    }
    ArchiveBuilder &symlink(const QString &name, const QString &target)
    {
        archive_entry *e = newEntry(name, AE_IFLNK, 0777);
        archive_entry_set_symlink_utf8(e, target.toUtf8().constData());
        write(e);
        return *this;
    }
    ArchiveBuilder &hardlink(const QString &name, const QString &target)
    {
        archive_entry *e = newEntry(name, AE_IFREG, 0644);
        archive_entry_set_hardlink_utf8(e, target.toUtf8().constData());
        write(e);
        return *this;
    }
    ArchiveBuilder &special(const QString &name, unsigned type)
    {
        archive_entry *e = newEntry(name, type, 0644);
        archive_entry_set_rdevmajor(e, 1);
        archive_entry_set_rdevminor(e, 3);
        write(e);
        return *this;
    }
    void finish()
    {
        if (!m_writer->finish())
            qFatal("cannot finish %s", qPrintable(m_path));
    }

private:
    static archive_entry *newEntry(const QString &name, unsigned type, int mode)
    {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname_utf8(e, name.toUtf8().constData());
        archive_entry_set_filetype(e, type);
        archive_entry_set_perm(e, mode_t(mode));
        archive_entry_set_mtime(e, 0, 0);
        return e;
    }
    void write(archive_entry *e)
    {
        const QString name = QString::fromUtf8(archive_entry_pathname_utf8(e));
        const bool ok = bool(m_writer->writeHeader(e));
        archive_entry_free(e);
        if (!ok)
            qFatal("cannot write %s", qPrintable(name));
    }

    QString m_path;
    std::unique_ptr<TarWriter> m_writer;
};

// A ustar header by hand, its size in GNU base-256 when octal cannot hold it: what a bomb
// declares without carrying the bytes.
QByteArray rawHeader(const QByteArray &name, qint64 size)
{
    QByteArray h(512, '\0');
    const auto put = [&](int offset, const QByteArray &value) {
        std::copy(value.cbegin(), value.cend(), h.begin() + offset);
    };
    put(0, name);
    put(100, "0000644");
    put(108, "0000000");
    put(116, "0000000");
    if (size < (qint64(1) << 33)) {
        put(124, QByteArray::number(size, 8).rightJustified(11, '0'));
    } else {
        h[124] = char(0x80);
        for (int i = 0; i < 8; ++i)
            h[135 - i] = char((size >> (8 * i)) & 0xff);
    }
    put(136, "00000000000");
    h[156] = '0';
    put(257,
        QByteArray("ustar\0"
                   "00",
                   8));
    put(148, "        ");
    int sum = 0;
    for (char c : h)
        sum += static_cast<unsigned char>(c);
    put(148, QByteArray::number(sum, 8).rightJustified(6, '0') + '\0' + ' ');
    return h;
}

// Everything of a store that a failed load must leave alone.
QByteArray snapshot(const QString &store)
{
    QByteArray out = "index.json=" + readFile(store + u"/index.json") + '\n';
    out += "oci-layout=" + readFile(store + u"/oci-layout") + '\n';
    QStringList blobs;
    QDirIterator it(store + u"/blobs/sha256", QDir::Files | QDir::Hidden);
    while (it.hasNext()) {
        it.next();
        blobs << it.fileName() + u' ' + QString::number(it.fileInfo().size());
    }
    blobs.sort();
    return out + blobs.join(u'\n').toUtf8();
}

QStringList tempFiles(const QString &store)
{
    return QDir(store + u"/blobs/sha256").entryList({u".tmp-*"_s}, QDir::Files | QDir::Hidden);
}

Result<LoadResult> loadFile(const OciStore &store, const QString &path, LoadOptions options = {})
{
    auto reader = TarReader::openFile(path);
    if (!reader)
        return fail(reader.error());
    return loadImageArchive(store, **reader, options);
}

QJsonObject indexEntry(const OciStore &store, const QString &refName)
{
    const QJsonArray manifests = QJsonDocument::fromJson(readFile(store.path() + u"/index.json"))
                                     .object()[u"manifests"]
                                     .toArray();
    for (const QJsonValue &v : manifests) {
        if (v[u"annotations"][QLatin1String(RefNameAnnotation)].toString() == refName)
            return v.toObject();
    }
    return {};
}

int countEntries(const OciStore &store)
{
    return QJsonDocument::fromJson(readFile(store.path() + u"/index.json"))
        .object()[u"manifests"]
        .toArray()
        .size();
}

// An archive of large random layers (what goes through the load's hashing and writing
// stages): what it should load as.
struct BigArchive
{
    QString path;
    QStringList layerDigests; // as stored, in the manifest's order
    QList<QByteArray> layers; // their bytes, by digest order of layerDigests
    QString configDigest;
};

// Loads through a reader that cannot seek and hands libarchive odd amounts, so that the blocks
// it passes on fall anywhere relative to the load's chunks.
Result<LoadResult> loadStream(const OciStore &store, const QString &path, LoadOptions options = {})
{
    QFile input(path);
    if (!input.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io, input.errorString());
    auto reader = TarReader::openFunction(
        [&](char *data, qint64 maxSize) {
            return input.read(data, std::min<qint64>(maxSize, 77777));
        },
        u"standard input"_s);
    if (!reader)
        return fail(reader.error());
    return loadImageArchive(store, **reader, options);
}

// Files of this process larger than `bytes` cannot be written (EFBIG, SIGXFSZ ignored): a real
// write failure, as a full disk gives, without a file system of its own.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(qint64 bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &m_saved);
        m_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = m_saved;
        limit.rlim_cur = rlim_t(bytes);
        m_ok = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_handler);
    }
    Q_DISABLE_COPY_MOVE(FileSizeLimit)
    bool isSet() const { return m_ok; }

private:
    rlimit m_saved{};
    void (*m_handler)(int) = nullptr;
    bool m_ok = false;
};

struct Fixture
{
    QString layout;         // the OCI layout umoci built
    QString manifestDigest; // of tag "busybox"
    QByteArray manifest;
    QString configDigest;
    QStringList layerDigests; // gzip, as umoci writes them
    QStringList diffIds;
};

} // namespace

class TestImageLoad : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void skopeoArchives_data();
    void skopeoArchives();
    void docker25Layout();
    void legacyLayout_data();
    void legacyLayout();
    void secondLoadSkipsBlobs();
    void loadReplacesTag();
    void progressAndCancel();
    void largeLayers_data();
    void largeLayers();
    void cancelLargeLayer_data();
    void cancelLargeLayer();
    void writeError_data();
    void writeError();
    void hostile_data();
    void hostile();
    void filesystemArchiveStopsEarly();
    void benchmark();

private:
    QString newPath(const QString &suffix)
    {
        return m_dir.filePath(u"f%1"_s.arg(++m_counter) + suffix);
    }
    QString newStore() { return m_dir.filePath(u"store%1"_s.arg(++m_counter)); }
    void skopeoVerify(const QString &store, const QString &refName, const QString &configDigest);
    QString legacyArchive(Compression outer, Compression layerCompression, bool hardLink = false);
    QString buildHostile(const QString &kind);
    QString buildHostileLayer(const QString &kind);
    BigArchive bigArchive(bool oci,
                          Compression outer,
                          Compression layerCompression,
                          const QList<qint64> &sizes,
                          bool duplicate = false);

    QTemporaryDir m_dir;
    int m_counter = 0;
    Fixture m_fixture;
    QString m_dockerArchive; // skopeo's docker-archive of the fixture
    QString m_ociArchive;    // skopeo's oci-archive of the fixture, ref.name "latest"
    QString m_lastCopy;      // where skopeoVerify() copied the image to, tagged "check"
};

void TestImageLoad::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (const char *tool : {"skopeo", "umoci", "busybox", "gzip", "zstd", "xz", "bzip2"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            QSKIP(qPrintable(
                u"%1 is not installed (scripts/setup)"_s.arg(QString::fromLatin1(tool))));
    }
    // The fixture: busybox-static and its applet links in one layer, text files beyond ASCII in a
    // second, as tests/shared/services builds its images.
    Fixture &f = m_fixture;
    f.layout = m_dir.filePath(u"oci"_s);
    const QString image = f.layout + u":busybox";
    const QString bundle = m_dir.filePath(u"bundle"_s);
    auto umoci = [&](const QStringList &args) {
        const ToolResult r = runTool(u"umoci"_s, args);
        QVERIFY2(r.ok(), r.report().constData());
    };
    umoci({u"init"_s, u"--layout"_s, f.layout});
    umoci({u"new"_s, u"--image"_s, image});
    umoci({u"unpack"_s, u"--rootless"_s, u"--image"_s, image, bundle});
    const QString rootfs = bundle + u"/rootfs";
    QVERIFY(QDir().mkpath(rootfs + u"/bin"));
    QVERIFY(QFile::copy(QStandardPaths::findExecutable(u"busybox"_s), rootfs + u"/bin/busybox"));
    for (const char *applet : {"sh", "ls", "cat", "echo"})
        QVERIFY(QFile::link(u"busybox"_s, rootfs + u"/bin/" + QLatin1String(applet)));
    umoci({u"repack"_s, u"--refresh-bundle"_s, u"--image"_s, image, bundle});
    QVERIFY(QDir().mkpath(rootfs + u"/etc"));
    QVERIFY(writeFile(rootfs + u"/etc/berth-release", "NAME=berth-test\n"));
    QVERIFY(writeFile(rootfs + u"/café-ü-日本.txt", "UTF-8 names inside a layer\n"));
    umoci({u"repack"_s, u"--refresh-bundle"_s, u"--image"_s, image, bundle});
    umoci({u"config"_s, u"--image"_s, image, u"--config.cmd"_s, u"/bin/sh"_s});
    umoci({u"gc"_s, u"--layout"_s, f.layout});
    QDir(bundle).removeRecursively();

    const QJsonObject index = QJsonDocument::fromJson(readFile(f.layout + u"/index.json")).object();
    for (const QJsonValue &m : index[u"manifests"].toArray()) {
        if (m[u"annotations"][QLatin1String(RefNameAnnotation)].toString() == u"busybox")
            f.manifestDigest = m[u"digest"].toString();
    }
    QVERIFY(!f.manifestDigest.isEmpty());
    f.manifest = readFile(f.layout + u"/blobs/sha256/" + hexOf(f.manifestDigest));
    const QJsonObject manifest = QJsonDocument::fromJson(f.manifest).object();
    f.configDigest = manifest[u"config"][u"digest"].toString();
    for (const QJsonValue &l : manifest[u"layers"].toArray())
        f.layerDigests << l[u"digest"].toString();
    const QJsonObject config
        = QJsonDocument::fromJson(readFile(f.layout + u"/blobs/sha256/" + hexOf(f.configDigest)))
              .object();
    for (const QJsonValue &d : config[u"rootfs"][u"diff_ids"].toArray())
        f.diffIds << d.toString();
    QCOMPARE(f.layerDigests.size(), 2);
    QCOMPARE(f.diffIds.size(), 2);

    m_dockerArchive = m_dir.filePath(u"skopeo-docker.tar"_s);
    ToolResult r
        = runTool(u"skopeo"_s,
                  {u"--insecure-policy"_s,
                   u"copy"_s,
                   u"--quiet"_s,
                   u"--additional-tag"_s,
                   u"localhost:5000/berth/other:2"_s,
                   u"oci:"_s + image,
                   u"docker-archive:"_s + m_dockerArchive + u":example.com/berth/busybox:1.0"_s});
    QVERIFY2(r.ok(), r.report().constData());
    m_ociArchive = m_dir.filePath(u"skopeo-oci.tar"_s);
    r = runTool(u"skopeo"_s,
                {u"--insecure-policy"_s,
                 u"copy"_s,
                 u"--quiet"_s,
                 u"oci:"_s + image,
                 u"oci-archive:"_s + m_ociArchive + u":latest"_s});
    QVERIFY2(r.ok(), r.report().constData());
}

// skopeo reads the store as an OCI layout: the entry, its manifest and config, and (through a
// copy, which verifies every blob against its digest) the layers.
void TestImageLoad::skopeoVerify(const QString &store,
                                 const QString &refName,
                                 const QString &configDigest)
{
    const QString source = u"oci:"_s + store + u':' + refName;
    ToolResult config = runTool(u"skopeo"_s, {u"inspect"_s, u"--config"_s, u"--raw"_s, source});
    QVERIFY2(config.ok(), config.report().constData());
    QCOMPARE(digestOf(config.out), configDigest);
    const QString copy = newPath(u"-copy"_s);
    ToolResult copied = runTool(
        u"skopeo"_s,
        {u"--insecure-policy"_s, u"copy"_s, u"--quiet"_s, source, u"oci:"_s + copy + u":check"_s});
    QVERIFY2(copied.ok(), copied.report().constData());
    m_lastCopy = copy;
}

void TestImageLoad::skopeoArchives_data()
{
    QTest::addColumn<QString>("archive");
    QTest::addColumn<QString>("compressor"); // a tool run over the archive first, or ""
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("tags");     // familiar, as reported
    QTest::addColumn<QStringList>("refNames"); // in the store's index.json
    QTest::addColumn<bool>("keepsManifest");   // the manifest digest survives
    const QStringList dockerTags{u"example.com/berth/busybox:1.0"_s,
                                 u"localhost:5000/berth/other:2"_s};
    const QString legacy = u"docker-archive (legacy layout)"_s;
    for (const char *tool : {"", "gzip", "zstd", "xz", "bzip2"}) {
        const QString name = QString::fromLatin1(*tool ? tool : "plain");
        QTest::addRow("docker-archive %s", qPrintable(name))
            << u"docker"_s << QString::fromLatin1(tool) << legacy << dockerTags << dockerTags
            << false;
    }
    for (const char *tool : {"", "gzip", "zstd"}) {
        const QString name = QString::fromLatin1(*tool ? tool : "plain");
        QTest::addRow("oci-archive bare tag %s", qPrintable(name))
            << u"oci"_s << QString::fromLatin1(tool) << u"oci-archive"_s << QStringList()
            << QStringList() << true;
    }
    QTest::newRow("oci-archive full name")
        << u"oci-named"_s << QString() << u"oci-archive"_s << QStringList{u"busybox:1.0"_s}
        << QStringList{u"docker.io/library/busybox:1.0"_s} << true;
}

void TestImageLoad::skopeoArchives()
{
    QFETCH(QString, archive);
    QFETCH(QString, compressor);
    QFETCH(QString, format);
    QFETCH(QStringList, tags);
    QFETCH(QStringList, refNames);
    QFETCH(bool, keepsManifest);
    QString path = archive == u"docker" ? m_dockerArchive : m_ociArchive;
    if (archive == u"oci-named") {
        path = newPath(u".tar"_s);
        ToolResult r = runTool(u"skopeo"_s,
                               {u"--insecure-policy"_s,
                                u"copy"_s,
                                u"--quiet"_s,
                                u"oci:"_s + m_fixture.layout + u":busybox"_s,
                                u"oci-archive:"_s + path + u":docker.io/library/busybox:1.0"_s});
        QVERIFY2(r.ok(), r.report().constData());
    }
    if (!compressor.isEmpty()) {
        // The tool's own output, named .tar: load recognises compression by content.
        const QString copy = newPath(u".tar"_s);
        QVERIFY(QFile::copy(path, copy));
        ToolResult r = runTool(compressor, {u"-q"_s, u"-f"_s, copy});
        QVERIFY2(r.ok(), r.report().constData());
        const QString compressed = copy
                                   + (compressor == u"gzip"   ? u".gz"_s
                                      : compressor == u"zstd" ? u".zst"_s
                                      : compressor == u"xz"   ? u".xz"_s
                                                              : u".bz2"_s);
        path = newPath(u".tar"_s);
        QVERIFY(QFile::rename(compressed, path));
    }
    const OciStore store(newStore());
    auto result = loadFile(store, path);
    VERIFY_OK(result);
    QCOMPARE(result->format, format);
    QCOMPARE(result->loadedTags, tags);
    QCOMPARE(result->bytesRead, QFileInfo(path).size());
    const Digest imageId = *Digest::parse(m_fixture.configDigest);
    if (tags.isEmpty())
        QCOMPARE(result->untagged, QList<Digest>{imageId});
    else
        QVERIFY(result->untagged.isEmpty());
    // config + two layers (+ the manifest)
    QCOMPARE(result->blobsWritten, 4);
    QCOMPARE(result->blobsSkipped, 0);
    QVERIFY(tempFiles(store.path()).isEmpty());

    auto entries = store.readIndex();
    VERIFY_OK(entries);
    QCOMPARE(entries->size(), std::max<qsizetype>(1, refNames.size()));
    for (const OciIndexEntry &e : *entries) {
        if (keepsManifest)
            QCOMPARE(e.descriptor.digest.toString(), m_fixture.manifestDigest);
        if (refNames.isEmpty())
            QVERIFY(e.descriptor.annotations.isEmpty());
    }
    for (const QString &refName : refNames) {
        const QJsonObject entry = indexEntry(store, refName);
        QVERIFY2(!entry.isEmpty(), qPrintable(refName));
        QCOMPARE(entry.value(u"annotations")[QLatin1String(ContainerdNameAnnotation)].toString(),
                 refName);
        skopeoVerify(store.path(), refName, m_fixture.configDigest);
    }
    // A docker-archive carries uncompressed layers: their digests are the diff_ids.
    const Descriptor root = entries->first().descriptor;
    auto body = store.readBlob(root.digest, MaxManifestSize);
    VERIFY_OK(body);
    auto manifest = parseImageManifest(*body, root.mediaType);
    VERIFY_OK(manifest);
    QCOMPARE(manifest->config.digest.toString(), m_fixture.configDigest);
    QStringList layers;
    for (const Descriptor &l : manifest->layers)
        layers << l.digest.toString();
    QCOMPARE(layers, keepsManifest ? m_fixture.layerDigests : m_fixture.diffIds);
    if (!keepsManifest) {
        for (const Descriptor &l : manifest->layers)
            QCOMPARE(l.mediaType, QLatin1String(MediaType::OciLayer));
    }
    // fsck agrees: every blob whole, nothing missing.
    auto report = store.fsck();
    VERIFY_OK(report);
    QVERIFY2(report->isClean(), qPrintable(report->problems.join(u'\n')));
}

void TestImageLoad::docker25Layout()
{
    // What `docker save` writes since Docker 25: the OCI layout, plus manifest.json and
    // repositories for older loaders; index.json names the image with containerd's annotation
    // and a bare ref.name. manifest.json's RepoTags win.
    const Fixture &f = m_fixture;
    const QString path = newPath(u".tar"_s);
    ArchiveBuilder b(path);
    b.directory(u"blobs"_s).directory(u"blobs/sha256"_s);
    QStringList layerPaths;
    for (const QString &l : f.layerDigests)
        layerPaths << u"blobs/sha256/"_s + hexOf(l);
    // The config twice: a name given again with the same bytes is harmless.
    for (const QString &d :
         QStringList{f.manifestDigest, f.configDigest, f.configDigest} + f.layerDigests)
        b.file(u"blobs/sha256/"_s + hexOf(d), readFile(f.layout + u"/blobs/sha256/" + hexOf(d)));
    const QJsonObject annotations{
        {QLatin1String(ContainerdNameAnnotation), u"docker.io/berth/fixture:25"_s},
        {QLatin1String(RefNameAnnotation), u"25"_s}};
    b.file(u"index.json"_s,
           json(QJsonObject{
               {u"schemaVersion"_s, 2},
               {u"mediaType"_s, QLatin1String(MediaType::OciIndex)},
               {u"manifests"_s,
                QJsonArray{QJsonObject{{u"mediaType"_s, QLatin1String(MediaType::OciManifest)},
                                       {u"digest"_s, f.manifestDigest},
                                       {u"size"_s, f.manifest.size()},
                                       {u"annotations"_s, annotations}}}}}));
    b.file(u"manifest.json"_s,
           json(QJsonArray{QJsonObject{
               {u"Config"_s, QString(u"blobs/sha256/"_s + hexOf(f.configDigest))},
               {u"RepoTags"_s, QJsonArray{u"berth/fixture:25"_s, u"berth/fixture:latest"_s}},
               {u"Layers"_s, QJsonArray::fromStringList(layerPaths)}}}));
    b.file(u"oci-layout"_s, R"({"imageLayoutVersion":"1.0.0"})");
    b.file(u"repositories"_s,
           json(QJsonObject{{u"berth/fixture"_s, QJsonObject{{u"25"_s, hexOf(f.configDigest)}}}}));
    b.finish();

    const OciStore store(newStore());
    auto result = loadFile(store, path);
    VERIFY_OK(result);
    QCOMPARE(result->format, u"docker-archive"_s);
    QCOMPARE(result->loadedTags, (QStringList{u"berth/fixture:25"_s, u"berth/fixture:latest"_s}));
    QCOMPARE(result->blobsWritten, 4);
    QCOMPARE(countEntries(store), 2);
    for (const QString &ref :
         {u"docker.io/berth/fixture:25"_s, u"docker.io/berth/fixture:latest"_s}) {
        const QJsonObject entry = indexEntry(store, ref);
        QCOMPARE(entry.value(u"digest").toString(), f.manifestDigest);
        skopeoVerify(store.path(), ref, f.configDigest);
    }
}

// docker 20.10's `docker save`: `<id>/layer.tar`, `<id>/json`, `<id>/VERSION`, `<config hex>.json`,
// manifest.json and repositories; an identical layer appears once and is linked from the other
// layer directory. Here the third layer is compressed (docker load accepts that) and lives in a
// directory named beyond ASCII.
QString TestImageLoad::legacyArchive(Compression outer, Compression layerCompression, bool hardLink)
{
    const QByteArray base = layerTar({{u"etc/os-release"_s, "NAME=legacy\n"}});
    const QByteArray third = layerTar({{u"données/café.txt"_s, randomBytes(300000, 21)}});
    const QByteArray thirdStored
        = layerTar({{u"données/café.txt"_s, randomBytes(300000, 21)}}, layerCompression);
    const QString d1 = digestOf(base);
    const QString d3 = digestOf(third);
    const QByteArray config = imageConfig({d1, d1, d3});
    const QString id1 = hexOf(digestOf("layer one"));
    const QString id2 = hexOf(digestOf("layer two"));
    const QString id3 = u"répertoire-é"_s;
    const QString path = newPath(u".tar"_s);
    ArchiveBuilder b(path, outer);
    for (const QString &id : {id1, id2, id3}) {
        b.directory(id);
        b.file(id + u"/VERSION", "1.0");
        b.file(id + u"/json", json(QJsonObject{{u"id"_s, id}}));
    }
    b.file(id1 + u"/layer.tar", base);
    if (hardLink)
        b.hardlink(id2 + u"/layer.tar", id1 + u"/layer.tar");
    else
        b.symlink(id2 + u"/layer.tar", u"../"_s + id1 + u"/layer.tar");
    b.file(id3 + u"/layer.tar", thirdStored);
    b.file(hexOf(digestOf(config)) + u".json", config);
    b.file(u"manifest.json"_s,
           json(QJsonArray{QJsonObject{
               {u"Config"_s, QString(hexOf(digestOf(config)) + u".json")},
               {u"RepoTags"_s, QJsonArray{u"berth/legacy:1"_s, u"localhost:5000/x/y:2"_s}},
               {u"Layers"_s,
                QJsonArray{QString(id1 + u"/layer.tar"),
                           QString(id2 + u"/layer.tar"),
                           QString(id3 + u"/layer.tar")}}}}));
    b.file(u"repositories"_s, json(QJsonObject{{u"berth/legacy"_s, QJsonObject{{u"1"_s, id3}}}}));
    b.finish();
    return path;
}

void TestImageLoad::legacyLayout_data()
{
    QTest::addColumn<Compression>("outer");
    QTest::addColumn<Compression>("layerCompression");
    QTest::addColumn<QString>("thirdMediaType");
    QTest::addColumn<bool>("umociReads"); // umoci 0.4.7 knows no zstd layer
    QTest::addColumn<bool>("hardLink");   // the duplicate layer: a hard link, not a symlink
    QTest::newRow("plain") << Compression::None << Compression::None
                           << QString::fromLatin1(MediaType::OciLayer) << true << false;
    QTest::newRow("gzip archive") << Compression::Gzip << Compression::None
                                  << QString::fromLatin1(MediaType::OciLayer) << true << false;
    QTest::newRow("zstd archive, gzip layer")
        << Compression::Zstd << Compression::Gzip << QString::fromLatin1(MediaType::OciLayerGzip)
        << true << false;
    QTest::newRow("zstd layer") << Compression::None << Compression::Zstd
                                << QString::fromLatin1(MediaType::OciLayerZstd) << false << false;
    // No OCI media type for xz: the layer is stored decompressed.
    QTest::newRow("xz archive, xz layer")
        << Compression::Xz << Compression::Xz << QString::fromLatin1(MediaType::OciLayer) << true
        << false;
    QTest::newRow("bzip2 archive") << Compression::Bzip2 << Compression::None
                                   << QString::fromLatin1(MediaType::OciLayer) << true << false;
    QTest::newRow("hard-linked duplicate")
        << Compression::Gzip << Compression::None << QString::fromLatin1(MediaType::OciLayer)
        << true << true;
}

void TestImageLoad::legacyLayout()
{
    QFETCH(Compression, outer);
    QFETCH(Compression, layerCompression);
    QFETCH(QString, thirdMediaType);
    QFETCH(bool, umociReads);
    QFETCH(bool, hardLink);
    const QString path = legacyArchive(outer, layerCompression, hardLink);
    const OciStore store(newStore());
    auto result = loadFile(store, path);
    VERIFY_OK(result);
    QCOMPARE(result->format, u"docker-archive (legacy layout)"_s);
    QCOMPARE(result->loadedTags, (QStringList{u"berth/legacy:1"_s, u"localhost:5000/x/y:2"_s}));
    // config, two distinct layers, the manifest Berth wrote
    QCOMPARE(result->blobsWritten, 4);
    QVERIFY(tempFiles(store.path()).isEmpty());

    const QJsonObject entry = indexEntry(store, u"docker.io/berth/legacy:1"_s);
    QVERIFY(!entry.isEmpty());
    QCOMPARE(entry, [&] {
        QJsonObject other = indexEntry(store, u"localhost:5000/x/y:2"_s);
        QJsonObject annotations = other.value(u"annotations").toObject();
        annotations[QLatin1String(RefNameAnnotation)] = u"docker.io/berth/legacy:1"_s;
        annotations[QLatin1String(ContainerdNameAnnotation)] = u"docker.io/berth/legacy:1"_s;
        other[u"annotations"] = annotations;
        return other;
    }());
    auto body = store.readBlob(*Digest::parse(entry.value(u"digest").toString()), MaxManifestSize);
    VERIFY_OK(body);
    auto manifest = parseImageManifest(*body);
    VERIFY_OK(manifest);
    QCOMPARE(manifest->mediaType, QLatin1String(MediaType::OciManifest));
    QCOMPARE(manifest->layers.size(), 3);
    QCOMPARE(manifest->layers.at(0).digest, manifest->layers.at(1).digest);
    QCOMPARE(manifest->layers.at(0).mediaType, QLatin1String(MediaType::OciLayer));
    QCOMPARE(manifest->layers.at(2).mediaType, thirdMediaType);
    skopeoVerify(store.path(), u"docker.io/berth/legacy:1"_s, manifest->config.digest.toString());

    // umoci unpacks it: the layers are whole tars, in order, the third one's name intact.
    if (!umociReads)
        return;
    const QString bundle = newPath(u"-bundle"_s);
    ToolResult r = runTool(
        u"umoci"_s, {u"unpack"_s, u"--rootless"_s, u"--image"_s, m_lastCopy + u":check", bundle});
    QVERIFY2(r.ok(), r.report().constData());
    QCOMPARE(readFile(bundle + u"/rootfs/etc/os-release"), QByteArray("NAME=legacy\n"));
    QCOMPARE(readFile(bundle + u"/rootfs/données/café.txt"), randomBytes(300000, 21));
}

void TestImageLoad::secondLoadSkipsBlobs()
{
    const OciStore store(newStore());
    auto first = loadFile(store, m_dockerArchive);
    VERIFY_OK(first);
    const QByteArray before = snapshot(store.path());
    auto second = loadFile(store, m_dockerArchive);
    VERIFY_OK(second);
    QCOMPARE(second->blobsWritten, 0);
    QCOMPARE(second->blobsSkipped, 4);
    QCOMPARE(second->loadedTags, first->loadedTags);
    // The same entries (rewritten in place), the same blobs, no temp file.
    QCOMPARE(snapshot(store.path()), before);

    // The OCI archive holds the blobs under their digests: known ones are skipped unread. It
    // shares the config with the docker-archive, so only its manifest and layers are new.
    auto oci = loadFile(store, m_ociArchive);
    VERIFY_OK(oci);
    QCOMPARE(oci->blobsWritten, 3);
    QCOMPARE(oci->blobsSkipped, 1);
    // Again, through a stream that cannot seek (standard input): the known blobs are read past.
    QFile input(m_ociArchive);
    QVERIFY(input.open(QIODevice::ReadOnly));
    auto stream = TarReader::openFunction(
        [&](char *data, qint64 maxSize) {
            return input.read(data, std::min<qint64>(maxSize, 65536));
        },
        u"standard input"_s);
    VERIFY_OK(stream);
    auto again = loadImageArchive(store, **stream, {});
    VERIFY_OK(again);
    QCOMPARE(again->bytesRead, input.size());
    QCOMPARE(again->blobsWritten, 0);
    QCOMPARE(again->blobsSkipped, 4);
    QCOMPARE(again->untagged, QList<Digest>{*Digest::parse(m_fixture.configDigest)});
    // An untagged image already listed gets no second entry.
    QCOMPARE(countEntries(store), 3);
}

void TestImageLoad::loadReplacesTag()
{
    // Like docker, a tag moves to the image loaded last; the store keeps one entry per tag.
    const OciStore store(newStore());
    VERIFY_OK(loadFile(store, m_dockerArchive));
    const QString other = legacyArchive(Compression::None, Compression::None);
    // Retag the handmade archive's image as the skopeo archive's tag by loading a copy whose
    // manifest.json says so.
    const QString retagged = newPath(u".tar"_s);
    {
        auto reader = TarReader::openFile(other);
        VERIFY_OK(reader);
        ArchiveBuilder b(retagged);
        for (;;) {
            auto more = (*reader)->next();
            VERIFY_OK(more);
            if (!*more)
                break;
            const TarEntry e = (*reader)->entry();
            QByteArray data;
            for (;;) {
                auto block = (*reader)->readBlock();
                VERIFY_OK(block);
                if (block->isEmpty())
                    break;
                data.append(*block);
            }
            if (e.type == TarEntry::Type::Directory)
                b.directory(e.path);
            else if (e.type == TarEntry::Type::Symlink)
                b.symlink(e.path, e.linkTarget);
            else if (e.path == u"manifest.json")
                b.file(e.path, data.replace("berth/legacy:1", "example.com/berth/busybox:1.0"));
            else
                b.file(e.path, data);
        }
        b.finish();
    }
    auto result = loadFile(store, retagged);
    VERIFY_OK(result);
    QCOMPARE(result->loadedTags,
             (QStringList{u"example.com/berth/busybox:1.0"_s, u"localhost:5000/x/y:2"_s}));
    // busybox:1.0 and other:2 from the first load, x/y:2 from the second: three tags, three
    // entries, and busybox:1.0 now names the legacy image.
    QCOMPARE(countEntries(store), 3);
    const QJsonObject moved = indexEntry(store, u"example.com/berth/busybox:1.0"_s);
    QCOMPARE(moved.value(u"digest"), indexEntry(store, u"localhost:5000/x/y:2"_s).value(u"digest"));
    QVERIFY(moved.value(u"digest")
            != indexEntry(store, u"localhost:5000/berth/other:2"_s).value(u"digest"));
}

void TestImageLoad::progressAndCancel()
{
    // Progress follows the input and ends at its size.
    const OciStore store(newStore());
    QList<qint64> positions;
    QStringList items;
    LoadOptions options;
    options.progress = [&](const ArchiveProgress &p) {
        positions << p.current;
        if (!p.item.isEmpty() && !items.contains(p.item))
            items << p.item;
    };
    VERIFY_OK(loadFile(store, m_dockerArchive, options));
    QVERIFY(positions.size() > 3);
    QVERIFY(std::is_sorted(positions.cbegin(), positions.cend()));
    QCOMPARE(positions.last(), QFileInfo(m_dockerArchive).size());
    QVERIFY(items.contains(u"manifest.json"_s));

    // Cancelled half-way through a layer: nothing stays behind.
    const OciStore fresh(newStore());
    VERIFY_OK(fresh.init());
    const QByteArray before = snapshot(fresh.path());
    LoadOptions cancelling;
    cancelling.progress = [&](const ArchiveProgress &p) {
        if (p.current > QFileInfo(m_dockerArchive).size() / 3)
            cancelling.cancel.cancel();
    };
    auto cancelled = loadFile(fresh, m_dockerArchive, cancelling);
    QVERIFY(!cancelled);
    QCOMPARE(cancelled.error().kind, Error::Kind::Cancelled);
    QCOMPARE(snapshot(fresh.path()), before);
}

// Layers of random bytes, each one file in a tar of its own: a docker-archive in the legacy layout
// (`<n>/layer.tar`, found through manifest.json) or an oci-archive (blobs named by digest). With
// `duplicate`, the first layer comes twice under two names (legacy) and twice in the manifest.
BigArchive TestImageLoad::bigArchive(bool oci,
                                     Compression outer,
                                     Compression layerCompression,
                                     const QList<qint64> &sizes,
                                     bool duplicate)
{
    BigArchive a;
    a.path = newPath(u".tar"_s);
    QStringList diffIds;
    QList<QByteArray> stored;
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        const QByteArray payload = randomBytes(sizes.at(i), quint32(100 + i));
        const QByteArray tar = layerTar({{u"data/layer-%1.bin"_s.arg(i), payload}});
        const QByteArray blob
            = layerCompression == Compression::None
                  ? tar
                  : layerTar({{u"data/layer-%1.bin"_s.arg(i), payload}}, layerCompression);
        diffIds << digestOf(tar);
        stored << blob;
    }
    if (duplicate) {
        diffIds.insert(1, diffIds.first());
        stored.insert(1, stored.first());
    }
    const QByteArray config = imageConfig(diffIds);
    a.configDigest = digestOf(config);
    for (const QByteArray &blob : std::as_const(stored)) {
        a.layerDigests << digestOf(blob);
        a.layers << blob;
    }
    ArchiveBuilder b(a.path, outer);
    if (oci) {
        const QString layerType = QLatin1String(
            layerCompression == Compression::Gzip ? MediaType::OciLayerGzip : MediaType::OciLayer);
        QJsonArray layers;
        for (const QByteArray &blob : std::as_const(stored))
            layers << QJsonObject{{u"mediaType"_s, layerType},
                                  {u"digest"_s, digestOf(blob)},
                                  {u"size"_s, blob.size()}};
        const QByteArray manifest
            = json(QJsonObject{{u"schemaVersion"_s, 2},
                               {u"mediaType"_s, QLatin1String(MediaType::OciManifest)},
                               {u"config"_s,
                                QJsonObject{{u"mediaType"_s, QLatin1String(MediaType::OciConfig)},
                                            {u"digest"_s, a.configDigest},
                                            {u"size"_s, config.size()}}},
                               {u"layers"_s, layers}});
        b.file(u"oci-layout"_s, R"({"imageLayoutVersion":"1.0.0"})");
        QSet<QString> written;
        for (const QByteArray &blob : QList<QByteArray>{config, manifest} + stored) {
            if (!written.contains(digestOf(blob)))
                b.file(u"blobs/sha256/"_s + hexOf(digestOf(blob)), blob);
            written << digestOf(blob);
        }
        b.file(u"index.json"_s,
               json(QJsonObject{
                   {u"schemaVersion"_s, 2},
                   {u"manifests"_s,
                    QJsonArray{QJsonObject{{u"mediaType"_s, QLatin1String(MediaType::OciManifest)},
                                           {u"digest"_s, digestOf(manifest)},
                                           {u"size"_s, manifest.size()},
                                           {u"annotations"_s,
                                            QJsonObject{{QLatin1String(RefNameAnnotation),
                                                         u"example.com/berth/big:1"_s}}}}}}}));
    } else {
        QStringList names;
        for (qsizetype i = 0; i < stored.size(); ++i) {
            names << u"%1/layer.tar"_s.arg(i);
            b.file(names.last(), stored.at(i));
        }
        b.file(hexOf(a.configDigest) + u".json", config);
        b.file(
            u"manifest.json"_s,
            json(QJsonArray{QJsonObject{{u"Config"_s, QString(hexOf(a.configDigest) + u".json")},
                                        {u"RepoTags"_s, QJsonArray{u"example.com/berth/big:1"_s}},
                                        {u"Layers"_s, QJsonArray::fromStringList(names)}}}));
    }
    b.finish();
    return a;
}

void TestImageLoad::largeLayers_data()
{
    QTest::addColumn<bool>("oci");
    QTest::addColumn<Compression>("outer");
    QTest::addColumn<Compression>("layerCompression");
    QTest::addColumn<QList<qint64>>("sizes"); // random bytes per layer
    QTest::addColumn<bool>("duplicate");
    QTest::addColumn<bool>("stream");
    constexpr qint64 MiB = 1 << 20;
    // Around the 1 MiB chunk, across several 8 MiB stage bounds and writeback windows, and a
    // small layer hashed and written on the reading thread between large ones.
    const QList<qint64> mixed{3 * MiB + 7, 1000, MiB - 2048, MiB + 1, 20 * MiB + 12345, 2 * MiB};
    QTest::newRow("docker, mixed sizes")
        << false << Compression::None << Compression::None << mixed << false << false;
    QTest::newRow("oci, mixed sizes")
        << true << Compression::None << Compression::None << mixed << false << false;
    QTest::newRow("docker, odd reads")
        << false << Compression::None << Compression::None << mixed << false << true;
    QTest::newRow("oci, gzip archive, odd reads")
        << true << Compression::Gzip << Compression::None << QList<qint64>{5 * MiB, 3 * MiB}
        << false << true;
    // A gzip layer without a manifest is decompressed from its temp file: written whole first.
    QTest::newRow("docker, gzip layers read back")
        << false << Compression::None << Compression::Gzip
        << QList<qint64>{12 * MiB, 3 * MiB, 500000} << false << false;
    QTest::newRow("oci, gzip layers") << true << Compression::None << Compression::Gzip
                                      << QList<qint64>{6 * MiB, 2 * MiB} << false << false;
    // The same large layer twice under two names: one copy kept, the other dropped while its
    // writes may still be in flight.
    QTest::newRow("docker, duplicate layer") << false << Compression::None << Compression::None
                                             << QList<qint64>{9 * MiB, 2 * MiB} << true << false;
    QTest::newRow("many layers") << false << Compression::None << Compression::None
                                 << QList<qint64>{2 * MiB,
                                                  2 * MiB + 1,
                                                  2 * MiB + 2,
                                                  2 * MiB + 3,
                                                  2 * MiB + 4,
                                                  2 * MiB + 5,
                                                  2 * MiB + 6,
                                                  2 * MiB + 7,
                                                  2 * MiB + 8,
                                                  2 * MiB + 9}
                                 << false << false;
}

void TestImageLoad::largeLayers()
{
    QFETCH(bool, oci);
    QFETCH(Compression, outer);
    QFETCH(Compression, layerCompression);
    QFETCH(QList<qint64>, sizes);
    QFETCH(bool, duplicate);
    QFETCH(bool, stream);
    const BigArchive a = bigArchive(oci, outer, layerCompression, sizes, duplicate);
    const OciStore store(newStore());
    auto result = stream ? loadStream(store, a.path) : loadFile(store, a.path);
    VERIFY_OK(result);
    QCOMPARE(result->loadedTags, QStringList{u"example.com/berth/big:1"_s});
    // Each layer once, the config, the manifest.
    QCOMPARE(result->blobsWritten, sizes.size() + 2);
    QVERIFY(tempFiles(store.path()).isEmpty());

    // The manifest lists the layers in order, and each one is in the store, whole.
    const QJsonObject entry = indexEntry(store, u"example.com/berth/big:1"_s);
    auto body = store.readBlob(*Digest::parse(entry.value(u"digest").toString()), MaxManifestSize);
    VERIFY_OK(body);
    auto manifest = parseImageManifest(*body);
    VERIFY_OK(manifest);
    QCOMPARE(manifest->config.digest.toString(), a.configDigest);
    QCOMPARE(manifest->layers.size(), a.layerDigests.size());
    for (qsizetype i = 0; i < a.layerDigests.size(); ++i) {
        const Digest digest = manifest->layers.at(i).digest;
        QCOMPARE(digest.toString(), a.layerDigests.at(i));
        QCOMPARE(manifest->layers.at(i).size, a.layers.at(i).size());
        const QByteArray stored = readFile(store.blobPath(digest));
        QCOMPARE(stored.size(), a.layers.at(i).size());
        QVERIFY(stored == a.layers.at(i));
    }
    // What commit stored is durable and names its content: fsck agrees.
    auto fsck = store.fsck();
    VERIFY_OK(fsck);
    QVERIFY2(fsck->isClean(), qPrintable(fsck->problems.join(u"; ")));
}

void TestImageLoad::cancelLargeLayer_data()
{
    QTest::addColumn<double>("at"); // the fraction of the archive read when the user cancels
    QTest::newRow("first layer") << 0.1;
    QTest::newRow("half-way") << 0.5;
    QTest::newRow("last layer") << 0.9;
}

void TestImageLoad::cancelLargeLayer()
{
    // Cancelled with chunks queued for hashing and writing and blobs waiting for their fsync:
    // the store is as it was, no temp file left.
    QFETCH(double, at);
    constexpr qint64 MiB = 1 << 20;
    const BigArchive a
        = bigArchive(false, Compression::None, Compression::None, {10 * MiB, 10 * MiB, 10 * MiB});
    const OciStore store(newStore());
    VERIFY_OK(store.init());
    const QByteArray before = snapshot(store.path());
    const qint64 size = QFileInfo(a.path).size();
    LoadOptions options;
    options.progress = [&](const ArchiveProgress &p) {
        if (p.current > qint64(double(size) * at))
            options.cancel.cancel();
    };
    auto result = loadFile(store, a.path, options);
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::Cancelled);
    QCOMPARE(snapshot(store.path()), before);
    QVERIFY(tempFiles(store.path()).isEmpty());
}

void TestImageLoad::writeError_data()
{
    QTest::addColumn<QList<qint64>>("sizes");
    QTest::addColumn<qint64>("limit"); // the largest file the load may write
    constexpr qint64 MiB = 1 << 20;
    QTest::newRow("first layer, pipelined") << QList<qint64>{12 * MiB} << 4 * MiB;
    QTest::newRow("after good layers, pipelined")
        << QList<qint64>{2 * MiB, 3 * MiB, 30 * MiB, 2 * MiB} << 4 * MiB;
    QTest::newRow("small layer, written inline") << QList<qint64>{700 * 1024} << qint64(256 * 1024);
}

void TestImageLoad::writeError()
{
    // A write the file system refuses (here a file-size limit, as a full disk would) fails the
    // load with the message a failed write always gave, whichever thread wrote, and leaves
    // nothing behind.
    QFETCH(QList<qint64>, sizes);
    QFETCH(qint64, limit);
    const BigArchive a = bigArchive(false, Compression::None, Compression::None, sizes);
    const OciStore store(newStore());
    VERIFY_OK(store.init());
    const QByteArray before = snapshot(store.path());
    Result<LoadResult> result;
    {
        FileSizeLimit limited(limit);
        QVERIFY(limited.isSet());
        result = loadFile(store, a.path);
    }
    QVERIFY2(!result, "loaded past the file-size limit");
    QVERIFY2(result.error().kind == Error::Kind::Io, qPrintable(describe(result.error())));
    QVERIFY2(result.error().message.startsWith(u"Could not write to the image store: "_s),
             qPrintable(result.error().message));
    QCOMPARE(snapshot(store.path()), before);
    QVERIFY(tempFiles(store.path()).isEmpty());
    // Without the limit the same archive loads.
    VERIFY_OK(loadFile(store, a.path));
}

// The hostile corpus. Each archive is built by name so that a row reads as what it holds.
QString TestImageLoad::buildHostile(const QString &kind)
{
    const QString path = newPath(u".tar"_s);
    const QByteArray layer = layerTar({{u"hello.txt"_s, "hello\n"}});
    const QString diffId = digestOf(layer);
    const QByteArray config = imageConfig({diffId});
    const QString configName = hexOf(digestOf(config)) + u".json";
    // A valid legacy image around whatever the row adds.
    const auto legacy = [&](ArchiveBuilder &b,
                            const QStringList &layers,
                            const QString &configFile) {
        b.file(configName, config);
        b.file(u"manifest.json"_s,
               json(QJsonArray{QJsonObject{{u"Config"_s, configFile},
                                           {u"RepoTags"_s, QJsonArray{u"berth/hostile:1"_s}},
                                           {u"Layers"_s, QJsonArray::fromStringList(layers)}}}));
    };
    const auto ociLayout = [&](ArchiveBuilder &b, const QByteArray &manifest, qint64 declaredSize) {
        b.file(u"index.json"_s,
               json(QJsonObject{
                   {u"schemaVersion"_s, 2},
                   {u"manifests"_s,
                    QJsonArray{QJsonObject{{u"mediaType"_s, QLatin1String(MediaType::OciManifest)},
                                           {u"digest"_s, digestOf(manifest)},
                                           {u"size"_s, declaredSize}}}}}));
        b.file(u"oci-layout"_s, R"({"imageLayoutVersion":"1.0.0"})");
    };
    const QByteArray ociManifest = json(
        QJsonObject{{u"schemaVersion"_s, 2},
                    {u"mediaType"_s, QLatin1String(MediaType::OciManifest)},
                    {u"config"_s,
                     QJsonObject{{u"mediaType"_s, QLatin1String(MediaType::OciConfig)},
                                 {u"digest"_s, digestOf(config)},
                                 {u"size"_s, config.size()}}},
                    {u"layers"_s,
                     QJsonArray{QJsonObject{{u"mediaType"_s, QLatin1String(MediaType::OciLayer)},
                                            {u"digest"_s, diffId},
                                            {u"size"_s, layer.size()}}}}});
    const auto blob = [](const QByteArray &data) -> QString {
        return u"blobs/sha256/"_s + hexOf(digestOf(data));
    };

    if (kind == u"truncated gzip" || kind == u"corrupt zstd") {
        const bool gzip = kind == u"truncated gzip";
        {
            // zstd by the tool: libarchive 3.6.2 writes frames without the checksum that shows
            // damage to incompressible data.
            ArchiveBuilder b(path, gzip ? Compression::Gzip : Compression::None);
            b.file(u"l/layer.tar"_s, randomBytes(2 * 1024 * 1024, 5));
            legacy(b, {u"l/layer.tar"_s}, configName);
            b.finish();
        }
        if (!gzip) {
            const ToolResult r
                = runTool(u"zstd"_s, {u"-q"_s, u"-f"_s, path, u"-o"_s, path + u".zst"});
            if (!r.ok() || !QFile::remove(path) || !QFile::rename(path + u".zst", path))
                qFatal("zstd failed");
        }
        QFile file(path);
        if (!file.open(QIODevice::ReadWrite))
            qFatal("cannot damage %s", qPrintable(path));
        if (kind == u"truncated gzip") {
            file.resize(file.size() * 2 / 3);
        } else {
            file.seek(file.size() / 2);
            file.write(randomBytes(1000, 3));
        }
        return path;
    }
    if (kind == u"huge declared size" || kind == u"huge manifest.json") {
        const bool manifest = kind == u"huge manifest.json";
        QByteArray data = rawHeader(manifest ? "manifest.json" : "l/layer.tar",
                                    manifest ? 17 * 1024 * 1024 : qint64(1) << 50);
        data += QByteArray(64 * 1024, 'x');
        writeFile(path, data);
        return path;
    }
    if (kind == u"empty") {
        writeFile(path, {});
        return path;
    }
    ArchiveBuilder b(path);
    if (kind == u"dot dot") {
        b.file(u"../evil"_s, "x");
    } else if (kind == u"inner dot dot") {
        b.file(u"blobs/../../evil"_s, "x");
    } else if (kind == u"absolute") {
        b.file(u"/etc/evil"_s, "x");
    } else if (kind == u"symlink escapes") {
        b.symlink(u"l/layer.tar"_s, u"../../etc/passwd"_s);
    } else if (kind == u"absolute symlink") {
        b.symlink(u"l/layer.tar"_s, u"/etc/passwd"_s);
    } else if (kind == u"hard link escapes") {
        b.hardlink(u"l/layer.tar"_s, u"../outside"_s);
    } else if (kind == u"char device") {
        b.special(u"dev/mem"_s, AE_IFCHR);
    } else if (kind == u"block device") {
        b.special(u"dev/sda"_s, AE_IFBLK);
    } else if (kind == u"fifo") {
        b.special(u"pipe"_s, AE_IFIFO);
    } else if (kind == u"setuid") {
        b.file(u"l/layer.tar"_s, layer, 04755);
    } else if (kind == u"setgid") {
        b.file(u"l/layer.tar"_s, layer, 02755);
    } else if (kind == u"missing layer") {
        legacy(b, {u"missing/layer.tar"_s}, configName);
    } else if (kind == u"missing config") {
        b.file(u"l/layer.tar"_s, layer);
        b.file(u"manifest.json"_s,
               json(QJsonArray{QJsonObject{{u"Config"_s, u"nowhere.json"_s},
                                           {u"RepoTags"_s, QJsonArray{u"berth/hostile:1"_s}},
                                           {u"Layers"_s, QJsonArray{u"l/layer.tar"_s}}}}));
    } else if (kind == u"manifest names outside") {
        b.file(u"l/layer.tar"_s, layer);
        legacy(b, {u"../l/layer.tar"_s}, configName);
    } else if (kind == u"dangling symlink") {
        b.symlink(u"l/layer.tar"_s, u"gone.tar"_s);
        legacy(b, {u"l/layer.tar"_s}, configName);
    } else if (kind == u"symlink loop") {
        b.symlink(u"a/layer.tar"_s, u"../b/layer.tar"_s);
        b.symlink(u"b/layer.tar"_s, u"../a/layer.tar"_s);
        legacy(b, {u"a/layer.tar"_s}, configName);
    } else if (kind == u"layer does not match diff_id") {
        b.file(u"l/layer.tar"_s, layerTar({{u"hello.txt"_s, "altered\n"}}));
        legacy(b, {u"l/layer.tar"_s}, configName);
    } else if (kind == u"gzip layer does not match diff_id") {
        b.file(u"l/layer.tar"_s, layerTar({{u"hello.txt"_s, "altered\n"}}, Compression::Gzip));
        legacy(b, {u"l/layer.tar"_s}, configName);
    } else if (kind == u"config does not match its name") {
        b.file(u"l/layer.tar"_s, layer);
        b.file(hexOf(digestOf("something else")) + u".json", config);
        legacy(b, {u"l/layer.tar"_s}, hexOf(digestOf("something else")) + u".json");
    } else if (kind == u"layer count") {
        b.file(u"l/layer.tar"_s, layer);
        legacy(b, {u"l/layer.tar"_s, u"l/layer.tar"_s}, configName);
    } else if (kind == u"blob does not match its digest") {
        b.file(blob(config), config);
        b.file(blob(layer), layerTar({{u"hello.txt"_s, "altered\n"}}));
        b.file(blob(ociManifest), ociManifest);
        ociLayout(b, ociManifest, ociManifest.size());
    } else if (kind == u"descriptor size") {
        b.file(blob(config), config);
        b.file(blob(layer), layer);
        b.file(blob(ociManifest), ociManifest);
        ociLayout(b, ociManifest, ociManifest.size() + 10);
    } else if (kind == u"index names missing manifest") {
        b.file(blob(config), config);
        b.file(blob(layer), layer);
        ociLayout(b, ociManifest, ociManifest.size());
    } else if (kind == u"manifest names missing layer") {
        b.file(blob(config), config);
        b.file(blob(ociManifest), ociManifest);
        ociLayout(b, ociManifest, ociManifest.size());
    } else if (kind == u"duplicate entry") {
        b.file(u"l/layer.tar"_s, layer);
        b.file(u"./l/layer.tar"_s, layerTar({{u"hello.txt"_s, "altered\n"}}));
        legacy(b, {u"l/layer.tar"_s}, configName);
    } else if (kind == u"invalid manifest.json") {
        b.file(u"manifest.json"_s, R"([{"Config": 42}])");
    } else if (kind == u"invalid tag") {
        b.file(u"l/layer.tar"_s, layer);
        b.file(configName, config);
        b.file(u"manifest.json"_s,
               json(QJsonArray{QJsonObject{{u"Config"_s, configName},
                                           {u"RepoTags"_s, QJsonArray{u"Not A Valid/Name:1"_s}},
                                           {u"Layers"_s, QJsonArray{u"l/layer.tar"_s}}}}));
    } else if (kind == u"not an image archive") {
        b.file(u"readme.txt"_s, "just files");
        b.file(u"données/ü.bin"_s, randomBytes(1000, 1));
    } else if (kind == u"filesystem archive") {
        // What `docker export` writes: its device nodes must not be what the user hears about.
        b.file(u".dockerenv"_s, {});
        b.directory(u"bin"_s).file(u"bin/sh"_s, "#!/bin/busybox\n", 0755);
        b.directory(u"dev"_s).special(u"dev/console"_s, AE_IFCHR);
        b.directory(u"etc"_s).file(u"etc/hostname"_s, "berth\n");
    } else if (kind == u"filesystem archive of one folder") {
        b.directory(u"./etc"_s).file(u"./etc/hostname"_s, "berth\n");
    } else {
        qFatal("unknown hostile row %s", qPrintable(kind));
    }
    b.finish();
    return path;
}

// Archives whose layers, not the archive itself, are hostile (issue 19): read as layers while
// they stream, and refused before anything is tagged.
QString TestImageLoad::buildHostileLayer(const QString &kind)
{
    const bool oci = kind.contains(u"oci"_s);
    const Compression compression
        = kind.contains(u"gzip"_s) ? Compression::Gzip : Compression::None;
    QByteArray layer;
    QString diffId;
    if (kind.contains(u"not a tar"_s)) {
        layer = randomBytes(8192, 7);
        diffId = digestOf(layer);
    } else {
        const QString layerPath = newPath(u".layer"_s);
        ArchiveBuilder l(layerPath, compression);
        l.file(u"hello.txt"_s, "hello\n");
        if (kind.contains(u"dot dot"_s))
            l.file(u"../../etc/cron.d/evil"_s, "x");
        else if (kind.contains(u"absolute"_s))
            l.file(u"/etc/evil"_s, "x");
        else if (kind.contains(u"hard link"_s))
            l.hardlink(u"x"_s, u"../../outside"_s);
        l.finish();
        layer = readFile(layerPath);
        // What the layer unpacks to, as the configuration should list it; or something else.
        auto reader = TarReader::openFile(layerPath, TarReader::Format::Raw);
        QByteArray plain;
        if (reader && (*reader)->next()) {
            for (auto block = (*reader)->readBlock(); block && !block->isEmpty();
                 block = (*reader)->readBlock())
                plain.append(*block);
        }
        diffId = digestOf(kind.contains(u"diff_id"_s) ? QByteArray("other") : plain);
    }
    const QByteArray config = imageConfig({diffId});
    const QString path = newPath(u".tar"_s);
    ArchiveBuilder b(path);
    if (!oci) {
        const QString configName = hexOf(digestOf(config)) + u".json";
        b.file(u"l/layer.tar"_s, layer);
        b.file(configName, config);
        b.file(u"manifest.json"_s,
               json(QJsonArray{QJsonObject{{u"Config"_s, configName},
                                           {u"RepoTags"_s, QJsonArray{u"berth/hostile:1"_s}},
                                           {u"Layers"_s, QJsonArray{u"l/layer.tar"_s}}}}));
        b.finish();
        return path;
    }
    const auto descriptor = [](const char *mediaType, const QByteArray &data) {
        return QJsonObject{{u"mediaType"_s, QLatin1String(mediaType)},
                           {u"digest"_s, digestOf(data)},
                           {u"size"_s, data.size()}};
    };
    const char *layerType
        = compression == Compression::Gzip ? MediaType::OciLayerGzip : MediaType::OciLayer;
    const QByteArray manifest
        = json(QJsonObject{{u"schemaVersion"_s, 2},
                           {u"mediaType"_s, QLatin1String(MediaType::OciManifest)},
                           {u"config"_s, descriptor(MediaType::OciConfig, config)},
                           {u"layers"_s, QJsonArray{descriptor(layerType, layer)}}});
    for (const QByteArray &blob : {config, layer, manifest})
        b.file(u"blobs/sha256/"_s + hexOf(digestOf(blob)), blob);
    QJsonObject entry = descriptor(MediaType::OciManifest, manifest);
    entry.insert(u"annotations"_s,
                 QJsonObject{{u"io.containerd.image.name"_s, u"docker.io/berth/hostile:1"_s}});
    b.file(u"index.json"_s,
           json(QJsonObject{{u"schemaVersion"_s, 2}, {u"manifests"_s, QJsonArray{entry}}}));
    b.file(u"oci-layout"_s, R"({"imageLayoutVersion":"1.0.0"})");
    b.finish();
    return path;
}

void TestImageLoad::hostile_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<Error::Kind>("errorKind");
    QTest::addColumn<QStringList>("fragments"); // each must appear in the message
    using K = Error::Kind;
    const auto row = [](const char *kind, K errorKind, const QStringList &fragments) {
        QTest::newRow(kind) << QString::fromUtf8(kind) << errorKind << fragments;
    };
    row("dot dot", K::InvalidArgument, {u"'../evil'"_s, u"contains '..'"_s});
    row("inner dot dot", K::InvalidArgument, {u"'blobs/../../evil'"_s, u"contains '..'"_s});
    row("absolute", K::InvalidArgument, {u"'/etc/evil'"_s, u"absolute path"_s});
    row("symlink escapes", K::InvalidArgument, {u"'l/layer.tar'"_s, u"outside the archive"_s});
    row("absolute symlink", K::InvalidArgument, {u"'l/layer.tar'"_s, u"absolute path"_s});
    row("hard link escapes", K::InvalidArgument, {u"'l/layer.tar'"_s, u"outside the archive"_s});
    row("char device", K::InvalidArgument, {u"'dev/mem'"_s, u"character device"_s});
    row("block device", K::InvalidArgument, {u"'dev/sda'"_s, u"block device"_s});
    row("fifo", K::InvalidArgument, {u"'pipe'"_s, u"named pipe"_s});
    row("setuid", K::InvalidArgument, {u"'l/layer.tar'"_s, u"set-user-ID"_s});
    row("setgid", K::InvalidArgument, {u"'l/layer.tar'"_s, u"set-group-ID"_s});
    row("truncated gzip", K::InvalidArgument, {u".tar'"_s, u"runcated"_s});
    row("corrupt zstd", K::InvalidArgument, {u".tar'"_s});
    row("missing layer", K::InvalidArgument, {u"'missing/layer.tar'"_s, u"not in the archive"_s});
    row("missing config", K::InvalidArgument, {u"'nowhere.json'"_s, u"not in the archive"_s});
    row("manifest names outside", K::InvalidArgument, {u"'../l/layer.tar'"_s});
    row("dangling symlink", K::InvalidArgument, {u"'l/layer.tar'"_s, u"not in the archive"_s});
    row("symlink loop", K::InvalidArgument, {u"'a/layer.tar'"_s, u"more than 16 links"_s});
    row("layer does not match diff_id",
        K::DigestMismatch,
        {u"'l/layer.tar'"_s, u"does not match the image configuration"_s});
    row("gzip layer does not match diff_id",
        K::DigestMismatch,
        {u"'l/layer.tar'"_s, u"its decompressed content hashes to"_s});
    row("config does not match its name",
        K::DigestMismatch,
        {u".json'"_s, u"damaged or was altered"_s});
    row("layer count", K::InvalidArgument, {u"2 layers"_s, u"lists 1"_s});
    row("blob does not match its digest",
        K::DigestMismatch,
        {u"'blobs/sha256/"_s, u"damaged or was altered"_s});
    row("descriptor size", K::DigestMismatch, {u"'blobs/sha256/"_s, u"index.json declares"_s});
    row("index names missing manifest",
        K::InvalidArgument,
        {u"index.json names 'blobs/sha256/"_s, u"not in the archive"_s});
    row("manifest names missing layer",
        K::InvalidArgument,
        {u"names 'blobs/sha256/"_s, u"not in the archive"_s});
    row("huge declared size",
        K::InvalidArgument,
        {u"'l/layer.tar'"_s, u"1125899906842624 bytes"_s, u"free"_s});
    row("huge manifest.json", K::InvalidArgument, {u"'manifest.json'"_s, u"too large"_s});
    row("duplicate entry",
        K::InvalidArgument,
        {u"'./l/layer.tar'"_s, u"more than once, with different contents"_s});
    row("invalid manifest.json", K::InvalidArgument, {u"manifest.json in"_s, u"Config"_s});
    row("invalid tag", K::InvalidArgument, {u"'Not A Valid/Name:1'"_s});
    row("not an image archive", K::InvalidArgument, {u"neither manifest.json nor index.json"_s});
    row("empty", K::InvalidArgument, {u"is empty"_s});
    row("filesystem archive",
        K::InvalidArgument,
        {u".tar' is a filesystem archive"_s, u"not an image archive"_s, u"import it"_s});
    row("filesystem archive of one folder",
        K::InvalidArgument,
        {u".tar' is a filesystem archive"_s, u"not an image archive"_s});
    // Layers: their entries and diff_ids, judged as they stream.
    row("layer: dot dot",
        K::InvalidArgument,
        {u"Layer 'l/layer.tar' is refused"_s, u"'../../etc/cron.d/evil'"_s, u"contains '..'"_s});
    row("layer: oci gzip absolute",
        K::InvalidArgument,
        {u"Layer 'blobs/sha256/"_s, u"'/etc/evil'"_s, u"absolute path"_s});
    row("layer: gzip hard link",
        K::InvalidArgument,
        {u"Layer 'l/layer.tar' is refused"_s, u"'x'"_s, u"outside the archive"_s});
    row("layer: oci hard link",
        K::InvalidArgument,
        {u"Layer 'blobs/sha256/"_s, u"'x'"_s, u"outside the archive"_s});
    row("layer: not a tar", K::InvalidArgument, {u"Layer 'l/layer.tar' is refused"_s});
    row("layer: oci not a tar", K::InvalidArgument, {u"Layer 'blobs/sha256/"_s, u"is refused"_s});
    row("layer: oci gzip diff_id",
        K::DigestMismatch,
        {u"Layer 'blobs/sha256/"_s, u"does not match the image configuration"_s});
}

void TestImageLoad::hostile()
{
    QFETCH(QString, kind);
    QFETCH(Error::Kind, errorKind);
    QFETCH(QStringList, fragments);
    // A store holding an image already: its index.json and blobs must not change.
    const OciStore store(newStore());
    VERIFY_OK(loadFile(store, m_ociArchive));
    const QByteArray before = snapshot(store.path());

    const QString path
        = kind.startsWith(u"layer: "_s) ? buildHostileLayer(kind) : buildHostile(kind);
    auto result = loadFile(store, path);
    QVERIFY2(!result, "a hostile archive loaded");
    const QString message = result.error().message;
    QVERIFY2(result.error().kind == errorKind, qPrintable(describe(result.error())));
    for (const QString &fragment : fragments)
        QVERIFY2(message.contains(fragment),
                 qPrintable(u"'"_s + fragment + u"' not in: " + message));
    QCOMPARE(snapshot(store.path()), before);
    QVERIFY(tempFiles(store.path()).isEmpty());
}

void TestImageLoad::filesystemArchiveStopsEarly()
{
    // A root filesystem whose tail is damaged: a load that read on would report the damage, one
    // that stops at its first entries says what the archive is.
    const QString path = newPath(u".tar"_s);
    {
        ArchiveBuilder b(path);
        b.directory(u"bin"_s).file(u"bin/sh"_s, "#!/bin/busybox\n", 0755);
        b.directory(u"etc"_s).file(u"etc/hostname"_s, "berth\n");
        b.file(u"usr/big"_s, randomBytes(4 * 1024 * 1024, 9));
        b.finish();
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.resize(file.size() / 2));
    file.close();
    const OciStore store(newStore());
    auto result = loadFile(store, path);
    QVERIFY2(!result, "a filesystem tar loaded");
    QVERIFY2(isFilesystemArchiveError(result.error()), qPrintable(describe(result.error())));
    QCOMPARE(result.error().code, QString::fromLatin1(FilesystemArchiveCode));
    QVERIFY(tempFiles(store.path()).isEmpty());
}

void TestImageLoad::benchmark()
{
    // BERTH_LOAD_BENCH=archive.tar: loads it into a fresh store and prints the throughput. A
    // measurement, not a test: no assertion on time.
    const QString archive = qEnvironmentVariable("BERTH_LOAD_BENCH");
    if (archive.isEmpty())
        QSKIP("set BERTH_LOAD_BENCH to an archive to measure load throughput");
    const OciStore store(qEnvironmentVariable("BERTH_LOAD_BENCH_STORE", newStore()));
    QElapsedTimer timer;
    timer.start();
    auto result = loadFile(store, archive);
    const qint64 ms = timer.elapsed();
    VERIFY_OK(result);
    const double mb = QFileInfo(archive).size() / 1e6;
    qInfo("loaded %.1f MB in %lld ms: %.1f MB/s (%d blobs written, %d skipped, %s)",
          mb,
          ms,
          mb * 1000.0 / std::max<qint64>(ms, 1),
          result->blobsWritten,
          result->blobsSkipped,
          qPrintable(result->format));
}

QTEST_GUILESS_MAIN(TestImageLoad)
#include "tst_imageload.moc"
