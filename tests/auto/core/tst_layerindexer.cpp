// The layer indexer (core/contents/layerindexer): layers built here with libarchive — plain,
// gzip, zstd — are fed in pieces and their index files read back: every header's entry with its
// attributes and its data's sha256, whiteouts and opaque directories, hard links normalised,
// non-UTF-8 names kept as bytes, duplicates resolved as a tar extracts; both digests against
// libarchive's own decompression. Hostile and broken layers are refused naming the layer, and
// leave no index behind. No services.

#include "archive/utf8locale.h"
#include "common/sha256.h"
#include "contents/indexfile.h"
#include "contents/layerindexer.h"

#include "testhelpers.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

enum class Filter { None, Gzip, Zstd };

// One header of a layer to build: 'f' file, 'd' directory, 'l' symlink, 'h' hard link,
// 'c'/'b' devices, 'p' fifo.
struct Spec
{
    QByteArray name;
    char type = 'f';
    QByteArray data;
    QByteArray link;
    int mode = 0644;
    quint32 uid = 0;
    quint32 gid = 0;
    qint64 mtime = 1700000000;
};

Spec file(QByteArray name, QByteArray data, int mode = 0644)
{
    return Spec{std::move(name), 'f', std::move(data), {}, mode};
}
Spec dir(QByteArray name, int mode = 0755)
{
    return Spec{std::move(name), 'd', {}, {}, mode};
}
Spec link(char type, QByteArray name, QByteArray target)
{
    return Spec{std::move(name), type, {}, std::move(target), 0777};
}
Spec node(char type, QByteArray name)
{
    return Spec{std::move(name), type, {}, {}, 0600};
}

int fileType(char type)
{
    switch (type) {
    case 'd':
        return AE_IFDIR;
    case 'l':
        return AE_IFLNK;
    case 'c':
        return AE_IFCHR;
    case 'b':
        return AE_IFBLK;
    case 'p':
        return AE_IFIFO;
    default:
        return AE_IFREG;
    }
}

void writeHeader(archive *a, const Spec &s)
{
    archive_entry *e = archive_entry_new();
    archive_entry_copy_pathname(e, s.name.constData());
    if (s.type == 'h') {
        archive_entry_copy_hardlink(e, s.link.constData());
    } else {
        archive_entry_set_filetype(e, fileType(s.type));
        if (s.type == 'l')
            archive_entry_copy_symlink(e, s.link.constData());
    }
    archive_entry_set_perm(e, s.mode);
    archive_entry_set_uid(e, s.uid);
    archive_entry_set_gid(e, s.gid);
    archive_entry_set_mtime(e, s.mtime, 0);
    if (s.type == 'c' || s.type == 'b')
        archive_entry_set_rdev(e, 0x0103);
    archive_entry_set_size(e, s.type == 'f' ? s.data.size() : 0);
    archive_write_header(a, e);
    if (s.type == 'f' && !s.data.isEmpty())
        archive_write_data(a, s.data.constData(), size_t(s.data.size()));
    archive_entry_free(e);
}

// A layer in memory: GNU tar headers (names as raw bytes, whatever they are), compressed.
QByteArray writeLayer(const QList<Spec> &specs, Filter filter, bool pax = false)
{
    archive *a = archive_write_new();
    if (pax) // names that are not UTF-8 then go in a pax header marked hdrcharset=BINARY
        archive_write_set_format_pax(a);
    else
        archive_write_set_format_gnutar(a);
    if (filter == Filter::Gzip)
        archive_write_add_filter_gzip(a);
    else if (filter == Filter::Zstd)
        archive_write_add_filter_zstd(a);
    QByteArray out(8 << 20, Qt::Uninitialized);
    size_t used = 0;
    archive_write_open_memory(a, out.data(), size_t(out.size()), &used);
    for (const Spec &s : specs)
        writeHeader(a, s);
    archive_write_close(a);
    archive_write_free(a);
    out.truncate(qsizetype(used));
    return out;
}

// Any blob decompressed by libarchive itself: what the diff_id is the digest of.
QByteArray decompress(const QByteArray &blob)
{
    archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    archive_read_support_format_empty(a);
    archive_read_open_memory(a, blob.constData(), size_t(blob.size()));
    QByteArray out;
    archive_entry *e = nullptr;
    if (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        char buffer[65536];
        la_ssize_t n = 0;
        while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0)
            out.append(buffer, n);
    }
    archive_read_free(a);
    return out;
}

// `tar` with the size field of the header at `header` replaced by `octal` (11 digits), and the
// header's checksum made right again: a header that lies about its data.
QByteArray withDeclaredSize(QByteArray tar, qsizetype header, const char *octal)
{
    char *h = tar.data() + header;
    std::memcpy(h + 124, octal, 12);
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; ++i)
        sum += uchar(h[i]);
    std::snprintf(h + 148, 8, "%06o", sum);
    return tar;
}

QString filterName(Filter filter)
{
    return filter == Filter::Gzip ? u"gzip"_s : filter == Filter::Zstd ? u"zstd"_s : u"none"_s;
}

// An entry as the listing shows it: path, type, and the flags and link that tell entries apart.
QString describeEntry(const ContentsEntry &e)
{
    QString line = displayPath(e.path) + u' ' + e.typeName();
    if (e.opaque)
        line += u" opaque"_s;
    if (e.implicit)
        line += u" implicit"_s;
    if (!e.linkTarget.isEmpty())
        line += u" -> "_s + displayPath(e.linkTarget);
    return line;
}

// A name as a tar extracts it: no empty or "." components.
QByteArray normalised(const QByteArray &name)
{
    QByteArrayList parts;
    for (const QByteArray &part : name.split('/'))
        if (!part.isEmpty() && part != ".")
            parts << part;
    return parts.join('/');
}

QStringList listing(const IndexFile &index)
{
    QStringList out;
    for (qint64 i = 0; i < index.count(); ++i)
        out << describeEntry(index.entry(i));
    return out;
}

const QString Layer = u"Layer 2 (sha256:feed) of test:1"_s;

// Feeds `blob` to an indexer in `piece`-byte pieces; the write that failed, or finish()'s answer.
Result<LayerIndexSummary> index(const QByteArray &blob,
                                const QString &indexPath,
                                LayerIndexer::Expected expected = {},
                                qsizetype piece = 4093,
                                qsizetype runLimit = IndexWriter::DefaultRunLimit)
{
    LayerIndexer indexer(Layer, std::move(expected), indexPath, {{u"layer"_s, 2}});
    indexer.setRunLimit(runLimit);
    for (qsizetype at = 0; at < blob.size(); at += piece) {
        if (Status s
            = indexer.write(QByteArrayView(blob).sliced(at, std::min(piece, blob.size() - at)));
            !s)
            return fail(s.error());
    }
    return indexer.finish();
}

// A layer to build, and the listing its index must show.
struct Case
{
    const char *name;
    QList<Spec> specs;
    QStringList listing;
};

Case filesAndDirectories()
{
    Spec owned = file("etc/hostname", "berth\n");
    owned.uid = 1000;
    owned.gid = 100;
    owned.mtime = 1234567890;
    return {"files and directories",
            {dir("etc"),
             owned,
             file("usr/bin/big", BerthTest::randomBytes(300000, 7), 04755),
             file("empty", {}, 0600)},
            {u"empty file"_s,
             u"etc directory"_s,
             u"etc/hostname file"_s,
             u"usr directory implicit"_s,
             u"usr/bin directory implicit"_s,
             u"usr/bin/big file"_s}};
}

Case linksAndDevices()
{
    return {"links and devices",
            {file("bin/busybox", "#!busybox"),
             link('h', "bin/sh", "./bin//busybox"),
             link('l', "bin/ls", "busybox"),
             link('l', "etc/os", "/usr/lib/os-release"),
             node('c', "dev/null"),
             node('b', "dev/sda"),
             node('p', "run/fifo")},
            {u"bin directory implicit"_s,
             u"bin/busybox file"_s,
             u"bin/ls symlink -> busybox"_s,
             u"bin/sh hardlink -> bin/busybox"_s,
             u"dev directory implicit"_s,
             u"dev/null char-device"_s,
             u"dev/sda block-device"_s,
             u"etc directory implicit"_s,
             u"etc/os symlink -> /usr/lib/os-release"_s,
             u"run directory implicit"_s,
             u"run/fifo fifo"_s}};
}

// Whiteouts: a file's, a directory's opaque marker after its header (the usual order), before it
// (the header keeps the mark), and with no header at all (an implicit directory carries it);
// aufs' own files are not the image's.
Case whiteouts()
{
    return {"whiteouts and opaque directories",
            {dir("etc"),
             file("etc/.wh.passwd", {}),
             dir("var/lib/apt", 0700),
             file("var/lib/apt/.wh..wh..opq", {}),
             file("var/lib/apt/lists", "x"),
             file("opt/.wh..wh..opq", {}),
             dir("opt", 0750),
             file("srv/data/.wh..wh..opq", {}),
             file(".wh..wh.plnk/12.34", "aufs"),
             file(".wh.tmp", {})},
            {u"etc directory"_s,
             u"etc/passwd whiteout"_s,
             u"opt directory opaque"_s,
             u"srv directory implicit"_s,
             u"srv/data directory opaque implicit"_s,
             u"tmp whiteout"_s,
             u"var directory implicit"_s,
             u"var/lib directory implicit"_s,
             u"var/lib/apt directory opaque"_s,
             u"var/lib/apt/lists file"_s}};
}

// Names are bytes: not UTF-8 is kept as it is, and shown escaped.
Case nonUtf8Names()
{
    return {"non-UTF-8 names",
            {file("caf\xe9", "latin-1"),
             dir("dir\xff"),
             file("dir\xff/x", "y"),
             link('h', "dir\xff/y", "caf\xe9")},
            {displayPath("caf\xe9") + u" file"_s,
             displayPath("dir\xff") + u" directory"_s,
             displayPath("dir\xff/x") + u" file"_s,
             displayPath("dir\xff/y") + u" hardlink -> "_s + displayPath("caf\xe9")}};
}

QList<Case> cases()
{
    return {filesAndDirectories(),
            linksAndDevices(),
            whiteouts(),
            // A path given twice keeps its last header, as a tar extracts.
            {"duplicates",
             {file("a", "one"), dir("d", 0700), file("a", "two"), dir("d", 0755)},
             {u"a file"_s, u"d directory"_s}},
            nonUtf8Names(),
            // "./" prefixes, repeated slashes and "." components are normalised; the root is
            // no entry.
            {"spelled differently",
             {dir("./"), file("./a//b/./c", "c"), dir("./a/")},
             {u"a directory"_s, u"a/b directory implicit"_s, u"a/b/c file"_s}},
            {"empty", {}, {}}};
}

} // namespace

Q_DECLARE_METATYPE(Filter)
Q_DECLARE_METATYPE(QList<Spec>)

class tst_LayerIndexer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void entries_data();
    void entries();
    void paxNames();
    void piecesOfAnySize_data();
    void piecesOfAnySize();
    void spilledRuns();
    void restartStartsOver();
    void refused_data();
    void refused();

private:
    void checkAttributes(const IndexFile &index, const QList<Spec> &specs);
    QTemporaryDir m_dir;
};

void tst_LayerIndexer::initTestCase()
{
    ensureUtf8Locale(); // libarchive writes non-ASCII names through the C library's locale
    QVERIFY(m_dir.isValid());
}

void tst_LayerIndexer::entries_data()
{
    QTest::addColumn<QList<Spec>>("specs");
    QTest::addColumn<Filter>("filter");
    QTest::addColumn<QStringList>("expected");
    const QList<Case> all = cases();
    for (Filter filter : {Filter::None, Filter::Gzip, Filter::Zstd})
        for (const Case &c : all)
            QTest::addRow("%s, %s", c.name, qPrintable(filterName(filter)))
                << c.specs << filter << c.listing;
}

void tst_LayerIndexer::entries()
{
    QFETCH(QList<Spec>, specs);
    QFETCH(Filter, filter);
    QFETCH(QStringList, expected);

    const QByteArray blob = writeLayer(specs, filter);
    const QByteArray tar = decompress(blob);
    const QString path = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + u".idx"_s);
    auto summary = index(blob, path);
    VERIFY_OK(summary);
    QCOMPARE(summary->blobDigest.toString(), Sha256::digestOf(blob));
    QCOMPARE(summary->diffId.toString(), Sha256::digestOf(tar));
    QCOMPARE(summary->blobSize, blob.size());
    QCOMPARE(summary->tarSize, tar.size());
    QCOMPARE(summary->compression, filterName(filter));

    auto index = IndexFile::open(path);
    VERIFY_OK(index);
    QCOMPARE(listing(*index), expected);
    checkAttributes(*index, specs);
    const QJsonObject meta = index->meta();
    QCOMPARE(meta.value(u"diffId"_s).toString(), summary->diffId.toString());
    QCOMPARE(meta.value(u"blobDigest"_s).toString(), summary->blobDigest.toString());
    QCOMPARE(meta.value(u"compression"_s).toString(), summary->compression);
    QCOMPARE(meta.value(u"tarSize"_s).toInteger(), summary->tarSize);
    QCOMPARE(meta.value(u"blobSize"_s).toInteger(), summary->blobSize);
    QCOMPARE(meta.value(u"entries"_s).toInteger(), summary->entries);
    QCOMPARE(meta.value(u"fileBytes"_s).toInteger(), summary->fileBytes);
    QCOMPARE(meta.value(u"layer"_s).toInt(), 2); // the caller's own keys are kept
}

// Every regular header's entry carries the header's attributes and its data's digest; the last
// header of a path is the one that counts.
void tst_LayerIndexer::checkAttributes(const IndexFile &index, const QList<Spec> &specs)
{
    QHash<QByteArray, Spec> last;
    for (const Spec &s : specs) {
        const QByteArray name = normalised(s.name);
        if (!name.isEmpty() && !name.contains(".wh."))
            last.insert(name, s);
    }
    for (auto it = last.cbegin(); it != last.cend(); ++it) {
        const Spec &s = it.value();
        const qint64 i = index.find(it.key());
        QVERIFY2(i >= 0, s.name.constData());
        const ContentsEntry e = index.entry(i);
        QCOMPARE(e.mode, quint32(s.mode));
        QCOMPARE(e.uid, s.uid);
        QCOMPARE(e.gid, s.gid);
        QCOMPARE(e.mtime, s.mtime);
        QCOMPARE(e.implicit, false);
        if (s.type == 'f') {
            QCOMPARE(e.size, s.data.size());
            QCOMPARE(e.contentDigest, Sha256::hash(s.data));
        } else {
            QCOMPARE(e.size, 0);
            QVERIFY(e.contentDigest.isEmpty());
        }
    }
}

// In a pax archive too, a name that is not UTF-8 keeps its bytes.
void tst_LayerIndexer::paxNames()
{
    const Case bytes = nonUtf8Names();
    const QByteArray blob = writeLayer(bytes.specs, Filter::Gzip, true);
    const QString path = m_dir.filePath(u"pax.idx"_s);
    VERIFY_OK(index(blob, path));
    auto index = IndexFile::open(path);
    VERIFY_OK(index);
    QCOMPARE(listing(*index), bytes.listing);
    checkAttributes(*index, bytes.specs);
}

void tst_LayerIndexer::piecesOfAnySize_data()
{
    QTest::addColumn<Filter>("filter");
    QTest::addColumn<qsizetype>("piece");
    for (Filter filter : {Filter::None, Filter::Gzip, Filter::Zstd})
        for (qsizetype piece : {1, 7, 512, 65536, 16 << 20})
            QTest::addRow("%s, %lld", qPrintable(filterName(filter)), qlonglong(piece))
                << filter << piece;
}

// The first bytes, which choose how the layer is read, may arrive split anywhere.
void tst_LayerIndexer::piecesOfAnySize()
{
    QFETCH(Filter, filter);
    QFETCH(qsizetype, piece);
    const QByteArray content = BerthTest::randomBytes(20000, 3);
    const QByteArray blob = writeLayer({dir("etc"), file("etc/a", content)}, filter);
    const QString path = m_dir.filePath(u"pieces.idx"_s);
    auto summary = index(blob, path, {}, piece);
    VERIFY_OK(summary);
    QCOMPARE(summary->diffId.toString(), Sha256::digestOf(decompress(blob)));
    QCOMPARE(summary->entries, 2);
    QCOMPARE(summary->fileBytes, content.size());
    auto index = IndexFile::open(path);
    VERIFY_OK(index);
    QCOMPARE(index->entry(index->find("etc/a")).contentDigest, Sha256::hash(content));
}

// More entries than the writer sorts in memory: runs go to disk and merge, nothing is lost.
void tst_LayerIndexer::spilledRuns()
{
    QList<Spec> specs;
    for (int i = 0; i < 2500; ++i)
        specs << file(QByteArray("d") + QByteArray::number(i % 17) + "/f" + QByteArray::number(i),
                      QByteArray::number(i));
    const QByteArray blob = writeLayer(specs, Filter::Gzip);
    const QString path = m_dir.filePath(u"spilled.idx"_s);
    auto summary = index(blob, path, {}, 65536, 100);
    VERIFY_OK(summary);
    QCOMPARE(summary->entries, 2500);
    auto index = IndexFile::open(path);
    VERIFY_OK(index);
    QCOMPARE(index->count(), 2500 + 17);
    for (qint64 i = 1; i < index->count(); ++i)
        QVERIFY(compareTreeOrder(index->path(i - 1), index->path(i)) < 0);
    for (int i = 0; i < 2500; i += 499) {
        const qint64 at = index->find(specs.at(i).name);
        QVERIFY(at >= 0);
        QCOMPARE(index->contentDigest(at), Sha256::hash(specs.at(i).data));
    }
    QStringList left = QDir(m_dir.path()).entryList({u"spilled.idx.*"_s}, QDir::Files);
    QCOMPARE(left, QStringList());
}

// A source that starts again from the first byte (a server that ignored a Range request).
void tst_LayerIndexer::restartStartsOver()
{
    const QByteArray blob = writeLayer({file("a", BerthTest::randomBytes(50000, 9))}, Filter::Gzip);
    const QString path = m_dir.filePath(u"restart.idx"_s);
    LayerIndexer indexer(Layer, {}, path);
    VERIFY_OK(indexer.write(QByteArrayView(blob).first(blob.size() / 2)));
    VERIFY_OK(indexer.restart());
    VERIFY_OK(indexer.write(blob));
    auto summary = indexer.finish();
    VERIFY_OK(summary);
    QCOMPARE(summary->blobDigest.toString(), Sha256::digestOf(blob));
    QCOMPARE(summary->blobSize, blob.size());
    QCOMPARE(summary->entries, 1);
}

void tst_LayerIndexer::refused_data()
{
    QTest::addColumn<QByteArray>("blob");
    QTest::addColumn<QString>("blobDigest");
    QTest::addColumn<QString>("diffId");
    QTest::addColumn<QString>("message");

    const QList<Spec> good{dir("etc"), file("etc/a", BerthTest::randomBytes(100000, 5))};
    const QByteArray gz = writeLayer(good, Filter::Gzip);
    const QByteArray tar = writeLayer(good, Filter::None);

    QTest::newRow("'..' in a name") << writeLayer({file("a/../../etc/passwd", "x")}, Filter::Gzip)
                                    << QString() << QString() << u"contains '..'"_s;
    QTest::newRow("absolute name") << writeLayer({file("/etc/passwd", "x")}, Filter::None)
                                   << QString() << QString() << u"absolute path"_s;
    QTest::newRow("hard link out of the layer")
        << writeLayer({link('h', "evil", "../../etc/shadow")}, Filter::Zstd) << QString()
        << QString() << u"points outside the archive"_s;
    QTest::newRow("whiteout of '..'") << writeLayer({file("a/.wh...", {})}, Filter::None)
                                      << QString() << QString() << u"names no file"_s;
    QTest::newRow("truncated gzip")
        << gz.first(gz.size() / 2) << QString() << QString() << u"ends early"_s;
    QByteArray corrupt = gz;
    for (qsizetype i = corrupt.size() / 2; i < corrupt.size() / 2 + 64; ++i)
        corrupt[i] = char(corrupt[i] ^ 0x5a);
    QTest::newRow("corrupt gzip") << corrupt << QString() << QString() << u"gzip"_s;
    QTest::newRow("truncated tar")
        << tar.first(1024 + 3000) << QString() << QString() << u"Truncated"_s;
    // etc/a's header (after etc's) says 10 MiB: its data swallows the rest, the input ends
    // first. Saying 19531 bytes, the next header is read from the middle of its data.
    QTest::newRow("header larger than its data")
        << withDeclaredSize(tar, 512, "00050000000") << QString() << QString() << u"Truncated"_s;
    QTest::newRow("header smaller than its data")
        << withDeclaredSize(tar, 512, "00000046113") << QString() << QString() << u"Damaged"_s;
    QTest::newRow("no tar") << QByteArray("just some text\n").repeated(200) << QString()
                            << QString() << u"refused"_s;
    QTest::newRow("wrong blob digest")
        << gz << Sha256::digestOf("other") << QString() << Sha256::digestOf(gz);
    QTest::newRow("wrong diff_id")
        << gz << QString() << Sha256::digestOf("other") << Sha256::digestOf(decompress(gz));
    QTest::newRow("wrong diff_id, plain tar")
        << tar << Sha256::digestOf(tar) << Sha256::digestOf("other") << Sha256::digestOf(tar);
}

void tst_LayerIndexer::refused()
{
    QFETCH(QByteArray, blob);
    QFETCH(QString, blobDigest);
    QFETCH(QString, diffId);
    QFETCH(QString, message);

    QTemporaryDir dir;
    const QString path = dir.filePath(u"sha256/refused.idx"_s);
    LayerIndexer::Expected expected;
    if (!blobDigest.isEmpty())
        expected.blobDigest = BerthTest::parseDigest(blobDigest);
    if (!diffId.isEmpty())
        expected.diffId = BerthTest::parseDigest(diffId);
    auto summary = index(blob, path, expected);
    QVERIFY(!summary);
    QVERIFY2(summary.error().message.contains(Layer), qPrintable(summary.error().message));
    QVERIFY2(summary.error().message.contains(message), qPrintable(summary.error().message));
    if (!blobDigest.isEmpty() || !diffId.isEmpty())
        QCOMPARE(summary.error().kind, Error::Kind::DigestMismatch);
    QVERIFY(!QFileInfo::exists(path));
    QStringList left = QDir(dir.filePath(u"sha256"_s)).entryList(QDir::Files);
    QCOMPARE(left, QStringList());
}

QTEST_GUILESS_MAIN(tst_LayerIndexer)
#include "tst_layerindexer.moc"
