// `docker import` into the embedded store (core/archive/filesystemimport): filesystem tars written
// by TarWriter and by GNU tar, plain and gzip/zstd/xz/bzip2, with and without a tag, with
// changes and a message; the stored image read back by skopeo; import then export
// (layerflattener) giving the same files; and hostile or broken input, each refused with its own
// message and leaving the store exactly as it was. No services: skopeo and tar are local tools.

#include "testhelpers.h"

#include "archive/filesystemimport.h"
#include "archive/layerflattener.h"
#include "archive/tarreader.h"
#include "archive/tarwriter.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"
#include "oci/ocilayout.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/sysmacros.h>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Berth::Compression)

namespace {

// A filesystem tar built header by header, so that hostile entries can be written too.
class TarBuilder
{
public:
    TarBuilder &dir(const QString &path, int mode = 0755) { return add(path, AE_IFDIR, mode); }
    TarBuilder &file(const QString &path, const QByteArray &content, int mode = 0644)
    {
        add(path, AE_IFREG, mode);
        m_entries.last().content = content;
        return *this;
    }
    TarBuilder &symlink(const QString &path, const QString &target)
    {
        add(path, AE_IFLNK, 0777);
        m_entries.last().symlink = target;
        return *this;
    }
    TarBuilder &hardlink(const QString &path, const QString &target)
    {
        add(path, AE_IFREG, 0644);
        m_entries.last().hardlink = target;
        return *this;
    }
    TarBuilder &device(const QString &path, unsigned type) { return add(path, type, 0666); }
    TarBuilder &fifo(const QString &path) { return add(path, AE_IFIFO, 0644); }

    QByteArray bytes(Compression compression = Compression::None) const
    {
        QByteArray out;
        auto writer = TarWriter::toFunction(
            [&out](const char *data, qint64 size) {
                out.append(data, size);
                return true;
            },
            u"test"_s,
            compression);
        if (!writer)
            qFatal("%s", qPrintable(writer.error().message));
        for (const Entry &e : m_entries) {
            archive_entry *entry = archive_entry_new();
            archive_entry_set_pathname_utf8(entry, e.path.toUtf8().constData());
            archive_entry_set_filetype(entry, e.type);
            archive_entry_set_perm(entry, mode_t(e.mode));
            archive_entry_set_mtime(entry, 1700000000, 0);
            archive_entry_set_size(entry, e.content.size());
            if (e.type == AE_IFCHR || e.type == AE_IFBLK)
                archive_entry_set_rdev(entry, makedev(1, 3));
            if (!e.symlink.isEmpty())
                archive_entry_set_symlink_utf8(entry, e.symlink.toUtf8().constData());
            if (!e.hardlink.isEmpty()) {
                archive_entry_set_hardlink_utf8(entry, e.hardlink.toUtf8().constData());
                archive_entry_set_size(entry, 0);
            }
            const bool ok = (*writer)->writeHeader(entry).has_value()
                            && (*writer)->writeData(e.content).has_value();
            archive_entry_free(entry);
            if (!ok)
                qFatal("cannot write %s", qPrintable(e.path));
        }
        if (!(*writer)->finish())
            qFatal("cannot finish a tar");
        return out;
    }

private:
    struct Entry
    {
        QString path;
        unsigned type;
        int mode;
        QByteArray content;
        QString symlink;
        QString hardlink;
    };
    TarBuilder &add(const QString &path, unsigned type, int mode)
    {
        m_entries.append(Entry{path, type, mode, {}, {}, {}});
        return *this;
    }
    QList<Entry> m_entries;
};

// The sample filesystem of the round trips.
TarBuilder sampleFilesystem()
{
    TarBuilder t;
    t.dir(u"bin"_s)
        .file(u"bin/busybox"_s, QByteArray(300000, 'b'), 0755)
        .symlink(u"bin/sh"_s, u"/bin/busybox"_s)
        .hardlink(u"bin/ls"_s, u"bin/busybox"_s)
        .file(u"bin/su"_s, "su", 04755)
        .dir(u"etc"_s)
        .file(u"etc/hostname"_s, "berth\n")
        .dir(u"tmp"_s, 01777)
        .fifo(u"tmp/pipe"_s)
        .dir(u"données"_s)
        .file(u"données/éé.txt"_s, "accents");
    return t;
}

struct Node
{
    char type = '?';
    int mode = 0;
    QByteArray content;
    QString link;

    friend bool operator==(const Node &, const Node &) = default;
};

// A tar's entries (names normalised, the root left out), read after any decompression.
QMap<QString, Node> readTar(const QString &path)
{
    QMap<QString, Node> out;
    auto reader = TarReader::openFile(path);
    if (!reader)
        qFatal("%s", qPrintable(reader.error().message));
    for (;;) {
        auto more = (*reader)->next();
        if (!more)
            qFatal("%s", qPrintable(more.error().message));
        if (!*more)
            break;
        const TarEntry &e = (*reader)->entry();
        QString name = QDir::cleanPath(e.path);
        if (name.startsWith(u"./"))
            name = name.mid(2);
        if (name == u"." || name.isEmpty())
            continue;
        Node n;
        n.mode = e.mode;
        switch (e.type) {
        case TarEntry::Type::Directory:
            n.type = 'd';
            break;
        case TarEntry::Type::Symlink:
            n.type = 'l';
            n.link = e.linkTarget;
            break;
        case TarEntry::Type::Fifo:
            n.type = 'p';
            break;
        default:
            n.type = 'f';
            break;
        }
        if (e.type == TarEntry::Type::HardLink) {
            // Compared by content: which of the names carries the data is the writer's choice.
            QString target = QDir::cleanPath(e.linkTarget);
            if (target.startsWith(u"./"))
                target = target.mid(2);
            n.content = out.value(target).content;
            n.mode = out.value(target).mode;
        }
        for (;;) {
            auto block = (*reader)->readBlock();
            if (!block)
                qFatal("%s", qPrintable(block.error().message));
            if (block->isEmpty())
                break;
            n.content.append(*block);
        }
        out.insert(name, n);
    }
    return out;
}

// index.json and every file of the blob directory (temp files included), with their sizes.
QString storeSnapshot(const OciStore &store)
{
    QStringList lines;
    QFile index(store.path() + u"/index.json");
    if (index.open(QIODevice::ReadOnly))
        lines << QString::fromUtf8(index.readAll());
    QDirIterator it(store.path(),
                    QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.endsWith(u"/.lock"))
            continue;
        lines << path.mid(store.path().size()) + u' ' + QString::number(it.fileInfo().size());
    }
    lines.sort();
    return lines.join(u'\n');
}

QByteArray runTool(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(program, args);
    if (!input.isNull())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        qFatal("%s %s failed: %s",
               qPrintable(program),
               qPrintable(args.join(u' ')),
               p.readAllStandardError().constData());
    return p.readAllStandardOutput();
}

QByteArray compressWith(const QByteArray &data, const QString &tool)
{
    return runTool(tool, {u"-c"_s}, data);
}

// The image an index entry names: manifest and config JSON.
struct StoredImage
{
    QJsonObject manifest;
    QJsonObject config;
    Descriptor entry;
};

std::optional<StoredImage> findImage(const OciStore &store, const Digest &imageId)
{
    auto entries = store.readIndex();
    if (!entries)
        return std::nullopt;
    for (const OciIndexEntry &e : std::as_const(*entries)) {
        auto body = store.readBlob(e.descriptor.digest, MaxManifestSize);
        if (!body)
            continue;
        const QJsonObject manifest = QJsonDocument::fromJson(*body).object();
        if (manifest.value(u"config").toObject().value(u"digest").toString() != imageId.toString())
            continue;
        auto config = store.readBlob(imageId, MaxConfigSize);
        if (!config)
            return std::nullopt;
        return StoredImage{manifest, QJsonDocument::fromJson(*config).object(), e.descriptor};
    }
    return std::nullopt;
}

} // namespace

class tst_FilesystemImport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void importFormats_data();
    void importFormats();
    void gnuTarRoundTrip_data();
    void gnuTarRoundTrip();
    void changesAndMessage();
    void skopeoReadsTheImage();
    void tagMovesUntaggedStays();
    void compressedTwice();
    void hostile_data();
    void hostile();
    void failedIndexUpdateIsReported();
    void cancelLeavesNothing();

private:
    Result<ImportResult> importFile(const QString &path, const ImportOptions &options = {});
    QString writeFile(const QString &name, const QByteArray &data);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OciStore> m_store;
};

void tst_FilesystemImport::initTestCase()
{
    for (const char *tool : {"tar", "gzip", "zstd", "xz", "skopeo"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            QFAIL(
                qPrintable(u"%1 is needed (scripts/setup installs it)"_s.arg(QLatin1String(tool))));
    }
}

void tst_FilesystemImport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<OciStore>(m_dir->filePath(u"store"_s));
    VERIFY_OK(m_store->init());
}

QString tst_FilesystemImport::writeFile(const QString &name, const QByteArray &data)
{
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

Result<ImportResult> tst_FilesystemImport::importFile(const QString &path,
                                                      const ImportOptions &options)
{
    auto reader = TarReader::openFile(path, TarReader::Format::Raw);
    if (!reader)
        return fail(reader.error());
    return importFilesystem(*m_store, **reader, options);
}

void tst_FilesystemImport::importFormats_data()
{
    QTest::addColumn<Compression>("compression");
    QTest::newRow("plain") << Compression::None;
    QTest::newRow("gzip") << Compression::Gzip;
    QTest::newRow("zstd") << Compression::Zstd;
    QTest::newRow("xz") << Compression::Xz;
    QTest::newRow("bzip2") << Compression::Bzip2;
}

// TarWriter's tars in every compression: one uncompressed layer whose digest is its diff ID, and
// the export of the image gives the files back.
void tst_FilesystemImport::importFormats()
{
    QFETCH(Compression, compression);
    const QByteArray plain = sampleFilesystem().bytes();
    const QString input = writeFile(u"fs.tar"_s, sampleFilesystem().bytes(compression));
    auto result = importFile(input);
    VERIFY_OK(result);
    QCOMPARE(result->layerSize, plain.size());
    QVERIFY(!result->reference);

    auto image = findImage(*m_store, result->imageId);
    QVERIFY(image);
    const QJsonArray layers = image->manifest.value(u"layers").toArray();
    QCOMPARE(layers.size(), 1);
    const QJsonObject layer = layers.first().toObject();
    QCOMPARE(layer.value(u"mediaType").toString(), QLatin1String(MediaType::OciLayer));
    QCOMPARE(layer.value(u"digest").toString(), Sha256::digestOf(plain));
    QCOMPARE(image->config.value(u"rootfs").toObject().value(u"diff_ids").toArray(),
             QJsonArray{Sha256::digestOf(plain)});
    QCOMPARE(image->manifest.value(u"mediaType").toString(), QLatin1String(MediaType::OciManifest));
    // Untagged, like docker without a reference.
    QVERIFY(image->entry.annotations.isEmpty());
    const Platform host = Platform::host();
    QCOMPARE(image->config.value(u"architecture").toString(), host.architecture);
    QCOMPARE(image->config.value(u"os").toString(), host.os);
    // docker's comment when no message is given.
    const QJsonArray history = image->config.value(u"history").toArray();
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().toObject().value(u"comment").toString(), u"Imported from -"_s);
    QVERIFY(!history.first().toObject().contains(u"created_by"));
    QVERIFY(QDateTime::fromString(image->config.value(u"created").toString(), Qt::ISODateWithMs)
                .isValid());

    // Import then export: the same files, modes, links and contents.
    ImageManifest manifest;
    manifest.mediaType = QLatin1String(MediaType::OciManifest);
    manifest.layers = {Descriptor{QLatin1String(MediaType::OciLayer),
                                  *Digest::parse(Sha256::digestOf(plain)),
                                  plain.size(),
                                  {},
                                  {},
                                  {}}};
    const QString exported = m_dir->filePath(u"export.tar"_s);
    auto writer = TarWriter::toFile(exported, Compression::None);
    VERIFY_OK(writer);
    VERIFY_OK(exportImageFilesystem(*m_store, manifest, **writer, {}));
    const QString original = writeFile(u"original.tar"_s, plain);
    QCOMPARE(readTar(exported), readTar(original));
    QCOMPARE(readTar(exported).value(u"bin/su"_s).mode, 04755); // set-uid kept
}

void tst_FilesystemImport::gnuTarRoundTrip_data()
{
    QTest::addColumn<QString>("flag");
    QTest::newRow("plain") << QString();
    QTest::newRow("gzip") << u"-z"_s;
    QTest::newRow("zstd") << u"--zstd"_s;
    QTest::newRow("xz") << u"-J"_s;
}

// A rootfs tarred by GNU tar ("./" names, its own header dialect) imports and exports back.
void tst_FilesystemImport::gnuTarRoundTrip()
{
    QFETCH(QString, flag);
    const QString root = m_dir->filePath(u"rootfs"_s);
    QVERIFY(QDir().mkpath(root + u"/usr/bin"));
    QVERIFY(QDir().mkpath(root + u"/var/empty"));
    QVERIFY(QDir().mkpath(root + u"/naïve"));
    writeFile(u"rootfs/usr/bin/tool"_s, QByteArray(2 << 20, 't'));
    writeFile(u"rootfs/naïve/fichier"_s, "contenu");
    QVERIFY(QFile::setPermissions(root + u"/usr/bin/tool",
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                      | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
                                      | QFile::ExeOther));
    QVERIFY(QFile::link(u"tool"_s, root + u"/usr/bin/alias"));
    QCOMPARE(::link(QFile::encodeName(root + u"/usr/bin/tool").constData(),
                    QFile::encodeName(root + u"/usr/bin/hard").constData()),
             0);
    const QString input = m_dir->filePath(u"gnu.tar"_s);
    QStringList args{u"-C"_s, root, u"-cf"_s, input};
    if (!flag.isEmpty())
        args.prepend(flag);
    args << u"."_s;
    runTool(u"tar"_s, args);

    auto result = importFile(input);
    VERIFY_OK(result);
    auto image = findImage(*m_store, result->imageId);
    QVERIFY(image);
    const QJsonObject layer = image->manifest.value(u"layers").toArray().first().toObject();
    ImageManifest manifest;
    manifest.mediaType = QLatin1String(MediaType::OciManifest);
    manifest.layers = {Descriptor{layer.value(u"mediaType").toString(),
                                  *Digest::parse(layer.value(u"digest").toString()),
                                  qint64(layer.value(u"size").toDouble()),
                                  {},
                                  {},
                                  {}}};
    const QString exported = m_dir->filePath(u"export.tar"_s);
    auto writer = TarWriter::toFile(exported, Compression::None);
    VERIFY_OK(writer);
    VERIFY_OK(exportImageFilesystem(*m_store, manifest, **writer, {}));
    const QMap<QString, Node> got = readTar(exported);
    QCOMPARE(got, readTar(input));
    QCOMPARE(got.value(u"usr/bin/tool"_s).content.size(), 2 << 20);
    QCOMPARE(got.value(u"usr/bin/alias"_s).link, u"tool"_s);
    QCOMPARE(got.value(u"naïve/fichier"_s).content, "contenu");
}

void tst_FilesystemImport::changesAndMessage()
{
    const QString input = writeFile(u"fs.tar.gz"_s, sampleFilesystem().bytes(Compression::Gzip));
    ImportOptions options;
    options.reference = *ImageReference::parse(u"berth/imported:1.0"_s);
    options.message = u"Nightly rootfs"_s;
    options.changes = {u"CMD [\"/bin/sh\"]"_s,
                       u"ENV A=b C=\"d e\""_s,
                       u"EXPOSE 80/tcp 443"_s,
                       u"WORKDIR /srv"_s,
                       u"LABEL origin=test"_s};
    options.platform = Platform{u"linux"_s, u"arm64"_s, u"v8"_s, {}};
    auto result = importFile(input, options);
    VERIFY_OK(result);
    QVERIFY(result->reference);
    QCOMPARE(result->reference->toString(), u"docker.io/berth/imported:1.0"_s);

    auto image = findImage(*m_store, result->imageId);
    QVERIFY(image);
    QCOMPARE(image->entry.annotations.value(QLatin1String(RefNameAnnotation)),
             u"docker.io/berth/imported:1.0"_s);
    QCOMPARE(image->config.value(u"architecture").toString(), u"arm64"_s);
    QCOMPARE(image->config.value(u"variant").toString(), u"v8"_s);
    QCOMPARE(image->config.value(u"history").toArray().first().toObject().value(u"comment"),
             u"Nightly rootfs"_s);
    const QJsonObject c = image->config.value(u"config").toObject();
    QCOMPARE(c.value(u"Cmd").toArray(), QJsonArray{u"/bin/sh"_s});
    QCOMPARE(c.value(u"Env").toArray(), (QJsonArray{u"A=b"_s, u"C=d e"_s}));
    QCOMPARE(c.value(u"ExposedPorts").toObject().keys(), (QStringList{u"443/tcp"_s, u"80/tcp"_s}));
    QCOMPARE(c.value(u"WorkingDir").toString(), u"/srv"_s);
    QCOMPARE(c.value(u"Labels").toObject().value(u"origin").toString(), u"test"_s);

    // A bad change fails before anything is read or stored.
    const QString before = storeSnapshot(*m_store);
    options.changes = {u"RUN rm -rf /"_s};
    auto refused = importFile(input, options);
    QVERIFY(!refused);
    QVERIFY(refused.error().message.contains(u"RUN is not supported by import"));
    QCOMPARE(storeSnapshot(*m_store), before);
}

// skopeo reads the stored image through the OCI layout, by its full reference.
void tst_FilesystemImport::skopeoReadsTheImage()
{
    const QString input = writeFile(u"fs.tar.zst"_s, sampleFilesystem().bytes(Compression::Zstd));
    ImportOptions options;
    options.reference = *ImageReference::parse(u"localhost:5000/tools/box:latest"_s);
    options.changes = {u"ENTRYPOINT [\"/bin/busybox\"]"_s, u"USER 1000:1000"_s};
    options.message = u"from a test"_s;
    auto result = importFile(input, options);
    VERIFY_OK(result);
    const QString image = u"oci:"_s + m_store->path() + u":localhost:5000/tools/box:latest"_s;
    const QJsonObject config
        = QJsonDocument::fromJson(runTool(u"skopeo"_s, {u"inspect"_s, u"--config"_s, image}))
              .object();
    QCOMPARE(config.value(u"config").toObject().value(u"Entrypoint").toArray(),
             QJsonArray{u"/bin/busybox"_s});
    QCOMPARE(config.value(u"config").toObject().value(u"User").toString(), u"1000:1000"_s);
    QCOMPARE(config.value(u"history").toArray().first().toObject().value(u"comment").toString(),
             u"from a test"_s);
    // skopeo computes the image ID (config digest) the same way.
    const QJsonObject inspect
        = QJsonDocument::fromJson(runTool(u"skopeo"_s, {u"inspect"_s, image})).object();
    QCOMPARE(inspect.value(u"Layers").toArray().size(), 1);
    QCOMPARE(
        Sha256::digestOf(runTool(u"skopeo"_s, {u"inspect"_s, u"--raw"_s, u"--config"_s, image})),
        result->imageId.toString());
}

void tst_FilesystemImport::tagMovesUntaggedStays()
{
    const QString input = writeFile(u"fs.tar"_s, sampleFilesystem().bytes());
    ImportOptions tagged;
    tagged.reference = *ImageReference::parse(u"app:dev"_s);
    auto first = importFile(input, tagged);
    VERIFY_OK(first);
    tagged.message = u"second"_s; // another config, another image ID
    auto second = importFile(input, tagged);
    VERIFY_OK(second);
    QVERIFY(first->imageId != second->imageId);
    auto untagged = importFile(input);
    VERIFY_OK(untagged);

    auto entries = m_store->readIndex();
    VERIFY_OK(entries);
    QCOMPARE(entries->size(), 2);
    int taggedCount = 0;
    for (const OciIndexEntry &e : std::as_const(*entries)) {
        if (e.refName() == u"docker.io/library/app:dev") {
            ++taggedCount;
            QVERIFY(findImage(*m_store, second->imageId)->entry.digest == e.descriptor.digest);
        } else {
            QVERIFY(e.refName().isEmpty());
        }
    }
    QCOMPARE(taggedCount, 1);
    // The tag moved, as a pull's does: the first image is no longer listed.
    QVERIFY(!findImage(*m_store, first->imageId));
    // One layer blob shared: same content, same digest.
    QVERIFY(findImage(*m_store, untagged->imageId));
    QCOMPARE(findImage(*m_store, second->imageId)->manifest.value(u"layers"),
             findImage(*m_store, untagged->imageId)->manifest.value(u"layers"));
}

// The decompression undoes every layer of compression it recognises (docker's only one): a tar
// gzipped twice imports as the same layer as the plain one.
void tst_FilesystemImport::compressedTwice()
{
    const QByteArray plain = sampleFilesystem().bytes();
    const QByteArray twice = compressWith(sampleFilesystem().bytes(Compression::Gzip), u"zstd"_s);
    auto result = importFile(writeFile(u"twice.tar.gz.zst"_s, twice));
    VERIFY_OK(result);
    QCOMPARE(result->layerSize, plain.size());
    QVERIFY(m_store->hasBlob(*Digest::parse(Sha256::digestOf(plain))));
}

void tst_FilesystemImport::hostile_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("fragment");

    QTest::newRow("dot-dot") << TarBuilder().file(u"ok"_s, "x").file(u"../x"_s, "x").bytes()
                             << u"Archive entry '../x' contains '..'"_s;
    QTest::newRow("dot-dot inside")
        << TarBuilder().file(u"a/../../x"_s, "x").bytes(Compression::Gzip)
        << u"Archive entry 'a/../../x' contains '..'"_s;
    QTest::newRow("absolute") << TarBuilder().file(u"/abs"_s, "x").bytes()
                              << u"Archive entry '/abs' has an absolute path"_s;
    QTest::newRow("hard link outside")
        << TarBuilder().file(u"a"_s, "x").hardlink(u"l"_s, u"../../etc/passwd"_s).bytes()
        << u"Hard link 'l' points outside the archive"_s;
    QTest::newRow("hard link absolute") << TarBuilder().hardlink(u"l"_s, u"/etc/passwd"_s).bytes()
                                        << u"Hard link 'l' points to an absolute path"_s;
    QTest::newRow("hard link forward")
        << TarBuilder().hardlink(u"l"_s, u"b"_s).file(u"b"_s, "x").bytes(Compression::Zstd)
        << u"Hard link 'l' points to 'b', which is not an earlier entry"_s;
    QTest::newRow("hard link to directory")
        << TarBuilder().dir(u"d"_s).hardlink(u"l"_s, u"d"_s).bytes()
        << u"Hard link 'l' points to the directory 'd'"_s;
    QTest::newRow("char device")
        << TarBuilder().dir(u"dev"_s).device(u"dev/null"_s, AE_IFCHR).bytes()
        << u"Archive entry 'dev/null' is a character device"_s;
    QTest::newRow("block device") << TarBuilder().device(u"sda"_s, AE_IFBLK).bytes(Compression::Xz)
                                  << u"Archive entry 'sda' is a block device"_s;
    QTest::newRow("empty") << QByteArray() << u"is not a tar archive: it is empty"_s;
    QTest::newRow("empty gzip") << compressWith(QByteArray(), u"gzip"_s)
                                << u"is not a tar archive: it is empty"_s;
    QTest::newRow("text") << QByteArray("hello, this is not a tar archive at all\n").repeated(40)
                          << u"is not a tar archive"_s;
    QTest::newRow("random bytes") << QByteArray(4096, '\x7f') << u"is not a tar archive"_s;
    const QByteArray gz = sampleFilesystem().bytes(Compression::Gzip);
    QTest::newRow("truncated gzip") << gz.left(gz.size() / 2) << u"truncated"_s;
    const QByteArray tar = sampleFilesystem().bytes();
    QTest::newRow("truncated tar") << tar.left(tar.size() / 2 + 100) << u"Truncated input"_s;
    QByteArray corrupt = tar;
    corrupt.replace(512 + 148, 8, "garbage!"); // the second header's checksum
    QTest::newRow("corrupt header") << corrupt << u"Damaged tar archive"_s;
}

void tst_FilesystemImport::hostile()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, fragment);
    // A store with an image in it already: nothing of it may change either.
    ImportOptions tagged;
    tagged.reference = *ImageReference::parse(u"keep:me"_s);
    VERIFY_OK(importFile(writeFile(u"good.tar"_s, TarBuilder().file(u"f"_s, "f").bytes()), tagged));
    const QString before = storeSnapshot(*m_store);

    ImportOptions options;
    options.reference = *ImageReference::parse(u"keep:me"_s);
    auto result = importFile(writeFile(u"bad.tar"_s, input), options);
    QVERIFY(!result);
    QVERIFY2(result.error().message.contains(fragment), qPrintable(describe(result.error())));
    QCOMPARE(result.error().kind, Error::Kind::InvalidArgument);
    QCOMPARE(storeSnapshot(*m_store), before);
}

// The last step failing (index.json unreadable here) is reported as such, with no temp file left.
// The blobs already stored stay, since with no index nobody can tell whether another image uses
// them; they are garbage that prune collects.
void tst_FilesystemImport::failedIndexUpdateIsReported()
{
    VERIFY_OK(importFile(writeFile(u"first.tar"_s, TarBuilder().file(u"f"_s, "f").bytes())));
    const QString index = m_store->path() + u"/index.json";
    QVERIFY(QFile::remove(index));
    QVERIFY(QDir().mkdir(index));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"could not remove what a failed import stored"_s));
    auto result = importFile(writeFile(u"fs.tar"_s, sampleFilesystem().bytes()));
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::Io);
    QVERIFY2(result.error().message.contains(u"index.json"), qPrintable(result.error().message));
    QVERIFY(QDir(m_store->path() + u"/blobs/sha256"_s)
                .entryList({u".tmp-*"_s}, QDir::Files | QDir::Hidden)
                .isEmpty());
}

void tst_FilesystemImport::cancelLeavesNothing()
{
    const QString before = storeSnapshot(*m_store);
    const QString input = writeFile(u"fs.tar"_s, sampleFilesystem().bytes(Compression::Gzip));
    ImportOptions options;
    int calls = 0;
    // Cancelled from the progress callback, as the GUI's button would between two blocks.
    options.progress = [&](const ArchiveProgress &p) {
        QVERIFY(p.current > 0);
        if (++calls == 1)
            options.cancel.cancel();
    };
    auto result = importFile(input, options);
    QVERIFY(!result);
    QVERIFY(result.error().isCancelled());
    QVERIFY(calls >= 1);
    QCOMPARE(storeSnapshot(*m_store), before);
}

QTEST_GUILESS_MAIN(tst_FilesystemImport)
#include "tst_filesystemimport.moc"
