// Export of an image's flattened filesystem (core/archive/layerflattener): a four-layer image with
// whiteouts, an opaque directory, hard links (also to a file deleted or replaced above, and across
// layers), symbolic links, a set-uid file, xattrs, owners, non-ASCII names, a directory replaced
// by a file and the other way round, in gzip, zstd and plain layers, built straight into a temp
// store. The export is compared with the list written here and with the rootfs `umoci unpack
// --rootless` makes of the same image; the image tree merged from the same layers' indexes
// (core/contents) lists what the export holds. Broken layers fail naming the entry. No services.

#include "testhelpers.h"

#include "archive/layerflattener.h"
#include "archive/tarreader.h"
#include "archive/tarwriter.h"
#include "common/sha256.h"
#include "contents/imagetree.h"
#include "contents/layerindexer.h"
#include "oci/mediatypes.h"
#include "oci/ocilayout.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 DefaultTime = 1000;

// One layer as a list of tar headers, written in order.
class Layer
{
public:
    Layer &dir(const QString &path, int mode = 0755, qint64 mtime = DefaultTime)
    {
        return add(path, AE_IFDIR, mode, {}, {}, {}, 0, 0, mtime);
    }
    Layer &file(const QString &path,
                const QByteArray &content,
                int mode = 0644,
                int uid = 0,
                int gid = 0,
                QList<std::pair<QByteArray, QByteArray>> xattrs = {})
    {
        Entry &e = addEntry(path, AE_IFREG, mode, content, {}, {}, uid, gid, DefaultTime);
        e.xattrs = std::move(xattrs);
        return *this;
    }
    Layer &symlink(const QString &path, const QString &target)
    {
        return add(path, AE_IFLNK, 0777, {}, target, {}, 0, 0, DefaultTime);
    }
    Layer &hardlink(const QString &path, const QString &target)
    {
        return add(path, AE_IFREG, 0644, {}, {}, target, 0, 0, DefaultTime);
    }
    Layer &whiteout(const QString &path)
    {
        const qsizetype slash = path.lastIndexOf(u'/');
        return file(path.left(slash + 1) + u".wh." + path.mid(slash + 1), {});
    }
    Layer &opaque(const QString &dir) { return file(dir + u"/.wh..wh..opq", {}); }

    // The uncompressed tar.
    QByteArray tar() const
    {
        QByteArray out;
        auto writer = TarWriter::toFunction(
            [&out](const char *data, qint64 size) {
                out.append(data, size);
                return true;
            },
            u"layer"_s,
            Compression::None);
        if (!writer)
            qFatal("cannot write a layer: %s", qPrintable(writer.error().message));
        for (const Entry &e : m_entries) {
            archive_entry *entry = archive_entry_new();
            archive_entry_set_pathname_utf8(entry, e.path.toUtf8().constData());
            archive_entry_set_filetype(entry, e.type);
            archive_entry_set_perm(entry, mode_t(e.mode));
            archive_entry_set_uid(entry, e.uid);
            archive_entry_set_gid(entry, e.gid);
            archive_entry_set_mtime(entry, e.mtime, 0);
            archive_entry_set_size(entry, e.content.size());
            if (!e.symlink.isEmpty())
                archive_entry_set_symlink_utf8(entry, e.symlink.toUtf8().constData());
            if (!e.hardlink.isEmpty()) {
                archive_entry_set_hardlink_utf8(entry, e.hardlink.toUtf8().constData());
                archive_entry_set_size(entry, 0);
            }
            for (const auto &[name, value] : e.xattrs)
                archive_entry_xattr_add_entry(
                    entry, name.constData(), value.constData(), size_t(value.size()));
            const bool ok = (*writer)->writeHeader(entry).has_value()
                            && (*writer)->writeData(e.content).has_value();
            archive_entry_free(entry);
            if (!ok)
                qFatal("cannot write %s", qPrintable(e.path));
        }
        if (!(*writer)->finish())
            qFatal("cannot finish a layer");
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
        int uid;
        int gid;
        qint64 mtime;
        QList<std::pair<QByteArray, QByteArray>> xattrs;
    };
    Entry &addEntry(const QString &path,
                    unsigned type,
                    int mode,
                    const QByteArray &content,
                    const QString &symlink,
                    const QString &hardlink,
                    int uid,
                    int gid,
                    qint64 mtime)
    {
        m_entries.append(Entry{path, type, mode, content, symlink, hardlink, uid, gid, mtime, {}});
        return m_entries.last();
    }
    Layer &add(const QString &path,
               unsigned type,
               int mode,
               const QByteArray &content,
               const QString &symlink,
               const QString &hardlink,
               int uid,
               int gid,
               qint64 mtime)
    {
        addEntry(path, type, mode, content, symlink, hardlink, uid, gid, mtime);
        return *this;
    }
    QList<Entry> m_entries;
};

QByteArray compress(const QByteArray &data, Compression compression)
{
    if (compression == Compression::None)
        return data;
    QProcess p;
    const QString tool = compression == Compression::Gzip ? u"gzip"_s : u"zstd"_s;
    p.start(tool,
            compression == Compression::Gzip ? QStringList{u"-n"_s, u"-c"_s}
                                             : QStringList{u"-q"_s, u"-c"_s});
    p.write(data);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qFatal("%s failed", qPrintable(tool));
    return p.readAllStandardOutput();
}

QString mediaTypeFor(Compression compression)
{
    switch (compression) {
    case Compression::Gzip:
        return QLatin1String(MediaType::OciLayerGzip);
    case Compression::Zstd:
        return QLatin1String(MediaType::OciLayerZstd);
    default:
        return QLatin1String(MediaType::OciLayer);
    }
}

Digest digestOf(const QByteArray &data)
{
    return *Digest::parse(Sha256::digestOf(data));
}

// Writes the layers, a config with their diff IDs and a manifest into the store, listed in
// index.json under `refName` (what umoci's --image STORE:REF names).
ImageManifest writeImage(const OciStore &store,
                         const QList<std::pair<Layer, Compression>> &layers,
                         const QString &refName)
{
    ImageManifest manifest;
    manifest.mediaType = QLatin1String(MediaType::OciManifest);
    QJsonArray diffIds;
    for (const auto &[layer, compression] : layers) {
        const QByteArray tar = layer.tar();
        diffIds.append(Sha256::digestOf(tar));
        const QByteArray blob = compress(tar, compression);
        if (!store.writeBlob(blob))
            qFatal("cannot store a layer");
        manifest.layers.append(
            Descriptor{mediaTypeFor(compression), digestOf(blob), blob.size(), {}, {}, {}});
    }
    const QByteArray config
        = QJsonDocument(
              QJsonObject{
                  {u"architecture"_s, u"amd64"_s},
                  {u"os"_s, u"linux"_s},
                  {u"config"_s, QJsonObject()},
                  {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, diffIds}}}})
              .toJson(QJsonDocument::Compact);
    if (!store.writeBlob(config))
        qFatal("cannot store the config");
    manifest.config = Descriptor{
        QLatin1String(MediaType::OciConfig), digestOf(config), config.size(), {}, {}, {}};
    const QByteArray body = toJson(manifest);
    if (!store.writeBlob(body))
        qFatal("cannot store the manifest");
    Descriptor entry{
        QLatin1String(MediaType::OciManifest), digestOf(body), body.size(), {}, {}, {}};
    entry.annotations.insert(QLatin1String(RefNameAnnotation), refName);
    const Status s = store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
        entries.append(OciIndexEntry{entry});
        return {};
    });
    if (!s)
        qFatal("cannot update the index");
    return manifest;
}

// One path of a filesystem, from an exported tar or an unpacked rootfs.
struct Node
{
    char type = '?';    // f file, d directory, l symbolic link, h hard link (to `link`)
    int mode = 0;       // permission bits with set-uid/set-gid/sticky
    QByteArray content; // a file's data; a hard link's is its target's
    QString link;       // symbolic link target, or hard link target
    qint64 uid = 0;
    qint64 gid = 0;
    qint64 mtime = 0;
    QMap<QString, QByteArray> xattrs;
};

struct ExportedTar
{
    QMap<QString, Node> nodes;
    QStringList order; // entry names as written, duplicates included
};

Result<ExportedTar> readExport(const QString &path)
{
    auto reader = TarReader::openFile(path);
    if (!reader)
        return fail(reader.error());
    ExportedTar out;
    for (;;) {
        auto more = (*reader)->next();
        if (!more)
            return fail(more.error());
        if (!*more)
            break;
        const TarEntry &e = (*reader)->entry();
        QString name = e.path;
        if (name.endsWith(u'/'))
            name.chop(1);
        out.order << name;
        Node n;
        n.mode = e.mode;
        n.uid = archive_entry_uid(e.raw);
        n.gid = archive_entry_gid(e.raw);
        n.mtime = archive_entry_mtime(e.raw);
        archive_entry_xattr_reset(e.raw);
        const char *xname = nullptr;
        const void *xvalue = nullptr;
        size_t xsize = 0;
        while (archive_entry_xattr_next(e.raw, &xname, &xvalue, &xsize) == ARCHIVE_OK)
            n.xattrs.insert(QString::fromUtf8(xname),
                            QByteArray(static_cast<const char *>(xvalue), qsizetype(xsize)));
        switch (e.type) {
        case TarEntry::Type::Directory:
            n.type = 'd';
            break;
        case TarEntry::Type::Symlink:
            n.type = 'l';
            n.link = e.linkTarget;
            break;
        case TarEntry::Type::HardLink:
            n.type = 'h';
            n.link = e.linkTarget;
            n.content = out.nodes.value(e.linkTarget).content;
            break;
        default:
            n.type = 'f';
            break;
        }
        for (;;) {
            auto block = (*reader)->readBlock();
            if (!block)
                return fail(block.error());
            if (block->isEmpty())
                break;
            n.content.append(*block);
        }
        out.nodes.insert(name, n);
    }
    return out;
}

Result<ExportedTar> exportToFile(const OciStore &store,
                                 const ImageManifest &manifest,
                                 const QString &path,
                                 const ExportOptions &options = {})
{
    auto writer = TarWriter::toFile(path, Compression::None);
    if (!writer)
        return fail(writer.error());
    auto result = exportImageFilesystem(store, manifest, **writer, options);
    if (!result)
        return fail(result.error());
    auto read = readExport(path);
    if (read && read->order.size() != result->entries)
        return fail(Error::Kind::Protocol,
                    u"the export says %1 entries, the tar has %2"_s.arg(result->entries)
                        .arg(read->order.size()));
    return read;
}

// The rootfs umoci unpacks, walked: paths relative to it.
QMap<QString, Node> walkRootfs(const QString &rootfs, QHash<QString, quint64> *inodes)
{
    QMap<QString, Node> out;
    QDirIterator it(rootfs,
                    QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = path.mid(rootfs.size() + 1);
        struct stat st;
        if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
            continue;
        Node n;
        n.mode = int(st.st_mode & 07777);
        if (S_ISDIR(st.st_mode)) {
            n.type = 'd';
        } else if (S_ISLNK(st.st_mode)) {
            n.type = 'l';
            char buffer[4096];
            const ssize_t len
                = ::readlink(QFile::encodeName(path).constData(), buffer, sizeof buffer);
            n.link = QString::fromUtf8(buffer, len < 0 ? 0 : len);
        } else {
            n.type = 'f';
            QFile f(path);
            if (f.open(QIODevice::ReadOnly))
                n.content = f.readAll();
            if (inodes)
                inodes->insert(relative, quint64(st.st_ino));
        }
        out.insert(relative, n);
    }
    return out;
}

// The image every test here exports. umoci 0.4.7 reads no zstd layer: its copy is gzip instead.
QList<std::pair<Layer, Compression>> sampleLayers(Compression third = Compression::Zstd)
{
    Layer base;
    base.dir(u"bin"_s)
        .file(u"bin/busybox"_s, "busybox-binary", 0755)
        .symlink(u"bin/sh"_s, u"busybox"_s)
        .file(u"bin/su"_s, "su", 04755)
        .file(u"bin/tool"_s, "tool v1", 0755)
        .hardlink(u"bin/tool-link"_s, u"bin/tool"_s)
        .hardlink(u"./bin/tool-link2"_s, u"./bin/tool"_s)
        .file(u"bin/cap"_s, "capable", 0755, 0, 0, {{"user.note", "hello"}})
        .dir(u"etc"_s)
        .file(u"etc/conf"_s, "conf as a file")
        .file(u"etc/passwd"_s, "root:x:0:0")
        .dir(u"var"_s)
        .dir(u"var/cache"_s)
        .file(u"var/cache/old1"_s, "old1")
        .file(u"var/cache/old2"_s, "old2")
        .dir(u"tmp"_s, 01777)
        .dir(u"tmp/junk"_s)
        .file(u"tmp/junk/f"_s, "junk")
        .dir(u"srv"_s)
        .dir(u"srv/data"_s)
        .file(u"srv/data/a.txt"_s, "a")
        .dir(u"opt"_s)
        .file(u"opt/orig"_s, "original")
        .dir(u"données"_s)
        .file(u"données/café.txt"_s, "crème brûlée")
        .dir(u"home"_s)
        .dir(u"home/user"_s, 0700)
        .file(u"home/user/notes"_s, "private", 0600, 1000, 1000)
        .dir(u"lib"_s)
        .file(u"lib/real"_s, "ld")
        .symlink(u"lib/ld"_s, u"/lib/real"_s);

    Layer changes;
    changes.dir(u"bin"_s, 0755, 2000)
        .whiteout(u"bin/tool"_s)
        .dir(u"etc"_s, 0750, 2000)
        .dir(u"etc/conf"_s)
        .file(u"etc/conf/x"_s, "x")
        .file(u"etc/passwd"_s, "root:x:0:0\nuser:x:1000")
        .dir(u"var/cache"_s)
        .opaque(u"var/cache"_s)
        .file(u"var/cache/new"_s, "new")
        .dir(u"tmp"_s, 01777)
        .whiteout(u"tmp/junk"_s)
        .dir(u"srv"_s)
        .file(u"srv/data"_s, "now a file");

    Layer links;
    links.dir(u"opt"_s)
        .hardlink(u"opt/alias"_s, u"opt/orig"_s)
        .dir(u"bin"_s, 0755, 2000)
        .hardlink(u"bin/cross"_s, u"bin/busybox"_s)
        .dir(u"usr"_s)
        .dir(u"usr/local"_s)
        .dir(u"usr/local/bin"_s)
        .file(u"usr/local/bin/app"_s, "app", 0755);

    Layer top;
    top.dir(u"opt"_s, 0755, 3000).file(u"opt/orig"_s, "replaced");

    return {{base, Compression::Gzip},
            {changes, Compression::None},
            {links, third},
            {top, Compression::Gzip}};
}

} // namespace

class tst_LayerFlattener : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void matchesExpectedList();
    void keepsMetadata();
    void matchesUmociUnpack();
    void treeListsTheExport();
    void singleLayerIsCopiedAsIs();
    void refuse_data();
    void refuse();
    void progressAndCancel();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OciStore> m_store;
};

void tst_LayerFlattener::initTestCase()
{
    for (const char *tool : {"gzip", "zstd", "umoci"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            QFAIL(
                qPrintable(u"%1 is needed (scripts/setup installs it)"_s.arg(QLatin1String(tool))));
    }
}

void tst_LayerFlattener::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<OciStore>(m_dir->filePath(u"store"_s));
    VERIFY_OK(m_store->init());
}

void tst_LayerFlattener::matchesExpectedList()
{
    const ImageManifest manifest = writeImage(*m_store, sampleLayers(), u"flat"_s);
    auto exported = exportToFile(*m_store, manifest, m_dir->filePath(u"export.tar"_s));
    VERIFY_OK(exported);

    struct Expected
    {
        const char *path;
        char type;
        int mode;
        QByteArray content; // or link target
    };
    const QList<Expected> expected{
        {"bin", 'd', 0755, {}},
        {"bin/busybox", 'f', 0755, "busybox-binary"},
        {"bin/sh", 'l', 0777, "busybox"},
        {"bin/su", 'f', 04755, "su"},
        // bin/tool was deleted above; its links keep the content, the first one as the file.
        {"bin/tool-link", 'f', 0755, "tool v1"},
        {"bin/tool-link2", 'h', 0644, "tool v1"},
        {"bin/cap", 'f', 0755, "capable"},
        {"bin/cross", 'h', 0644, "busybox-binary"},
        {"etc", 'd', 0750, {}},
        {"etc/conf", 'd', 0755, {}},
        {"etc/conf/x", 'f', 0644, "x"},
        {"etc/passwd", 'f', 0644, "root:x:0:0\nuser:x:1000"},
        {"var", 'd', 0755, {}},
        {"var/cache", 'd', 0755, {}},
        {"var/cache/new", 'f', 0644, "new"},
        {"tmp", 'd', 01777, {}},
        {"srv", 'd', 0755, {}},
        {"srv/data", 'f', 0644, "now a file"},
        {"opt", 'd', 0755, {}},
        {"opt/orig", 'f', 0644, "replaced"},
        // Linked to the original in a lower layer, which the top layer replaced: it keeps the
        // original content, written here as a file.
        {"opt/alias", 'f', 0644, "original"},
        {"données", 'd', 0755, {}},
        {"données/café.txt", 'f', 0644, "crème brûlée"},
        {"home", 'd', 0755, {}},
        {"home/user", 'd', 0700, {}},
        {"home/user/notes", 'f', 0600, "private"},
        {"lib", 'd', 0755, {}},
        {"lib/real", 'f', 0644, "ld"},
        {"lib/ld", 'l', 0777, "/lib/real"},
        {"usr", 'd', 0755, {}},
        {"usr/local", 'd', 0755, {}},
        {"usr/local/bin", 'd', 0755, {}},
        {"usr/local/bin/app", 'f', 0755, "app"},
    };
    QStringList expectedPaths;
    for (const Expected &e : expected)
        expectedPaths << QString::fromUtf8(e.path);
    QStringList got = exported->nodes.keys();
    expectedPaths.sort();
    QCOMPARE(got, expectedPaths);
    // Each path once, no whiteout ever.
    QCOMPARE(exported->order.size(), exported->nodes.size());
    for (const QString &name : std::as_const(exported->order))
        QVERIFY2(!name.contains(u".wh."), qPrintable(name));

    for (const Expected &e : expected) {
        const QString path = QString::fromUtf8(e.path);
        const Node n = exported->nodes.value(path);
        QVERIFY2(n.type == e.type,
                 qPrintable(u"%1: type %2, expected %3"_s.arg(path).arg(n.type).arg(e.type)));
        QVERIFY2(n.mode == e.mode,
                 qPrintable(
                     u"%1: mode %2, expected %3"_s.arg(path).arg(n.mode, 0, 8).arg(e.mode, 0, 8)));
        if (e.type == 'l')
            QCOMPARE(n.link, QString::fromUtf8(e.content));
        else
            QVERIFY2(n.content == e.content,
                     qPrintable(path + u": " + QString::fromUtf8(n.content)));
        // A hard link names an entry written before it.
        if (e.type == 'h') {
            QVERIFY(exported->order.indexOf(n.link) >= 0);
            QVERIFY(exported->order.indexOf(n.link) < exported->order.indexOf(path));
        }
    }
    QCOMPARE(exported->nodes.value(u"bin/tool-link2"_s).link, u"bin/tool-link"_s);
    QCOMPARE(exported->nodes.value(u"bin/cross"_s).link, u"bin/busybox"_s);
}

void tst_LayerFlattener::keepsMetadata()
{
    const ImageManifest manifest = writeImage(*m_store, sampleLayers(), u"flat"_s);
    auto exported = exportToFile(*m_store, manifest, m_dir->filePath(u"export.tar"_s));
    VERIFY_OK(exported);
    const Node notes = exported->nodes.value(u"home/user/notes"_s);
    QCOMPARE(notes.uid, 1000);
    QCOMPARE(notes.gid, 1000);
    QCOMPARE(exported->nodes.value(u"bin/cap"_s).xattrs.value(u"user.note"_s), "hello");
    // The topmost header of a directory wins, times included.
    QCOMPARE(exported->nodes.value(u"bin"_s).mtime, 2000);
    QCOMPARE(exported->nodes.value(u"opt"_s).mtime, 3000);
    QCOMPARE(exported->nodes.value(u"lib/real"_s).mtime, DefaultTime);
}

void tst_LayerFlattener::matchesUmociUnpack()
{
    const ImageManifest manifest = writeImage(*m_store, sampleLayers(Compression::Gzip), u"flat"_s);
    auto exported = exportToFile(*m_store, manifest, m_dir->filePath(u"export.tar"_s));
    VERIFY_OK(exported);

    const QString bundle = m_dir->filePath(u"bundle"_s);
    QProcess umoci;
    umoci.setProcessChannelMode(QProcess::MergedChannels);
    umoci.start(u"umoci"_s,
                {u"unpack"_s, u"--rootless"_s, u"--image"_s, m_store->path() + u":flat"_s, bundle});
    QVERIFY(umoci.waitForFinished(120000));
    QVERIFY2(umoci.exitCode() == 0, umoci.readAll().constData());

    QHash<QString, quint64> inodes;
    const QMap<QString, Node> rootfs = walkRootfs(bundle + u"/rootfs", &inodes);
    QCOMPARE(exported->nodes.keys(), rootfs.keys());
    for (auto it = rootfs.cbegin(); it != rootfs.cend(); ++it) {
        const Node &ours = exported->nodes.value(it.key());
        const Node &theirs = it.value();
        const char ourType = ours.type == 'h' ? 'f' : ours.type;
        QVERIFY2(ourType == theirs.type, qPrintable(it.key()));
        QVERIFY2(ours.content == theirs.content, qPrintable(it.key()));
        QCOMPARE(ours.link.isEmpty() || ours.type == 'h' ? QString() : ours.link, theirs.link);
        // umoci --rootless keeps the permission bits of files and directories; it owns
        // everything itself, so owners are not compared. A hard link's mode is its target's.
        if (ours.type == 'f' || ours.type == 'd')
            QVERIFY2(
                ours.mode == theirs.mode,
                qPrintable(
                    u"%1: %2 vs %3"_s.arg(it.key()).arg(ours.mode, 0, 8).arg(theirs.mode, 0, 8)));
        // Our hard links are umoci's: the same inode.
        if (ours.type == 'h')
            QVERIFY2(inodes.value(it.key()) == inodes.value(ours.link), qPrintable(it.key()));
    }
}

void tst_LayerFlattener::treeListsTheExport()
{
    const QList<std::pair<Layer, Compression>> layers = sampleLayers();
    const ImageManifest manifest = writeImage(*m_store, layers, u"flat"_s);
    auto exported = exportToFile(*m_store, manifest, m_dir->filePath(u"export.tar"_s));
    VERIFY_OK(exported);

    std::vector<IndexFile> indexes;
    QList<const IndexFile *> pointers;
    for (qsizetype n = 0; n < layers.size(); ++n) {
        const QString path = m_dir->filePath(u"layer%1.idx"_s.arg(n));
        LayerIndexer indexer(u"layer %1"_s.arg(n), {}, path);
        VERIFY_OK(indexer.write(compress(layers[n].first.tar(), layers[n].second)));
        VERIFY_OK(indexer.finish());
        auto index = IndexFile::open(path);
        VERIFY_OK(index);
        indexes.push_back(std::move(*index));
    }
    for (const IndexFile &index : indexes)
        pointers << &index;
    VERIFY_OK(mergeLayers(pointers, m_dir->filePath(u"tree.idx"_s)));
    auto tree = IndexFile::open(m_dir->filePath(u"tree.idx"_s));
    VERIFY_OK(tree);

    QMap<QString, ContentsEntry> ours;
    for (qint64 i = 0; i < tree->count(); ++i)
        ours.insert(QString::fromUtf8(tree->path(i)), tree->entry(i));
    QCOMPARE(ours.keys(), exported->nodes.keys());
    for (auto it = ours.cbegin(); it != ours.cend(); ++it) {
        const Node &theirs = exported->nodes.value(it.key());
        const ContentsEntry &e = it.value();
        // The tree keeps a hard link as its layer wrote it; the export may have to write the
        // first visible link to content a layer above deleted as the file itself.
        if (e.type == ContentsEntry::Type::HardLink) {
            QVERIFY2(theirs.type == 'h' || theirs.type == 'f', qPrintable(it.key()));
            continue;
        }
        const char type = e.type == ContentsEntry::Type::Directory ? 'd'
                          : e.type == ContentsEntry::Type::Symlink ? 'l'
                                                                   : 'f';
        QVERIFY2(type == theirs.type, qPrintable(it.key()));
        QVERIFY2(int(e.mode) == theirs.mode, qPrintable(it.key()));
        QVERIFY2(e.uid == theirs.uid && e.gid == theirs.gid, qPrintable(it.key()));
        if (type == 'f')
            QVERIFY2(e.size == theirs.content.size(), qPrintable(it.key()));
        if (type == 'l')
            QCOMPARE(QString::fromUtf8(e.linkTarget), theirs.link);
    }
}

void tst_LayerFlattener::singleLayerIsCopiedAsIs()
{
    Layer only;
    only.dir(u"a"_s).file(u"a/b"_s, "b").hardlink(u"a/c"_s, u"a/b"_s).symlink(u"d"_s, u"a/b"_s);
    const ImageManifest manifest = writeImage(*m_store, {{only, Compression::Zstd}}, u"one"_s);
    auto exported = exportToFile(*m_store, manifest, m_dir->filePath(u"export.tar"_s));
    VERIFY_OK(exported);
    QCOMPARE(exported->order, (QStringList{u"a"_s, u"a/b"_s, u"a/c"_s, u"d"_s}));
    QCOMPARE(exported->nodes.value(u"a/c"_s).type, 'h');
    QCOMPARE(exported->nodes.value(u"a/c"_s).content, "b");
}

void tst_LayerFlattener::refuse_data()
{
    QTest::addColumn<QList<Layer>>("layers");
    QTest::addColumn<QString>("fragment");

    QTest::newRow("dot-dot") << QList<Layer>{Layer().file(u"ok"_s, "x"),
                                             Layer().file(u"a/../../evil"_s, "x")}
                             << u"'a/../../evil' contains '..'"_s;
    QTest::newRow("absolute") << QList<Layer>{Layer().file(u"/etc/shadow"_s, "x")}
                              << u"'/etc/shadow' has an absolute path"_s;
    QTest::newRow("hard link outside")
        << QList<Layer>{Layer().file(u"a"_s, "x").hardlink(u"b"_s, u"../a"_s)}
        << u"Hard link 'b' points outside the archive"_s;
    QTest::newRow("hard link to nothing")
        << QList<Layer>{Layer().file(u"a"_s, "x"), Layer().hardlink(u"b"_s, u"missing"_s)}
        << u"points to 'missing', which the layers below it do not hold"_s;
    QTest::newRow("hard link to a deleted file") << QList<Layer>{Layer().file(u"a"_s, "x"),
                                                                 Layer().whiteout(u"a"_s),
                                                                 Layer().hardlink(u"b"_s, u"a"_s)}
                                                 << u"Hard link 'b' of layer sha256:"_s;
    QTest::newRow("hard link to a directory")
        << QList<Layer>{Layer().dir(u"d"_s), Layer().hardlink(u"b"_s, u"d"_s)}
        << u"hard link 'b' points to the directory 'd'"_s;
}

void tst_LayerFlattener::refuse()
{
    QFETCH(QList<Layer>, layers);
    QFETCH(QString, fragment);
    QList<std::pair<Layer, Compression>> withCompression;
    for (const Layer &l : layers)
        withCompression.append({l, Compression::Gzip});
    const ImageManifest manifest = writeImage(*m_store, withCompression, u"bad"_s);
    auto writer = TarWriter::toFile(m_dir->filePath(u"export.tar"_s), Compression::None);
    VERIFY_OK(writer);
    auto result = exportImageFilesystem(*m_store, manifest, **writer, {});
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::InvalidArgument);
    QVERIFY2(result.error().message.contains(fragment), qPrintable(result.error().message));
}

void tst_LayerFlattener::progressAndCancel()
{
    const ImageManifest manifest = writeImage(*m_store, sampleLayers(), u"flat"_s);
    QList<ArchiveProgress> seen;
    ExportOptions options;
    options.progress = [&seen](const ArchiveProgress &p) {
        seen << p;
    };
    VERIFY_OK(exportToFile(*m_store, manifest, m_dir->filePath(u"export.tar"_s), options));
    QVERIFY(!seen.isEmpty());
    QCOMPARE(seen.last().current, manifest.layersSize());
    QCOMPARE(seen.last().total, manifest.layersSize());
    for (qsizetype i = 1; i < seen.size(); ++i)
        QVERIFY(seen.at(i).current >= seen.at(i - 1).current);

    ExportOptions cancelled;
    cancelled.cancel.cancel();
    auto writer = TarWriter::toFile(m_dir->filePath(u"cancelled.tar"_s), Compression::None);
    VERIFY_OK(writer);
    auto result = exportImageFilesystem(*m_store, manifest, **writer, cancelled);
    QVERIFY(!result);
    QVERIFY(result.error().isCancelled());

    // A layer missing from the store is named.
    ImageManifest broken = manifest;
    broken.layers[1].digest = digestOf("not stored");
    auto writer2 = TarWriter::toFile(m_dir->filePath(u"missing.tar"_s), Compression::None);
    VERIFY_OK(writer2);
    result = exportImageFilesystem(*m_store, broken, **writer2, {});
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::NotFound);
    QVERIFY(result.error().message.contains(digestOf("not stored").toString()));
}

QTEST_GUILESS_MAIN(tst_LayerFlattener)
#include "tst_layerflattener.moc"
