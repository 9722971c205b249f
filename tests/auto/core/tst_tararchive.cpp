// The archive primitives of core/archive: TarWriter → TarReader round trips for every compression,
// compression names, sparse and large entries read in blocks, UTF-8 names beyond ASCII, the
// entry-path rules (normaliseEntryPath, the link resolvers, checkArchiveEntry) and damaged input.
// No services needed; GNU tar writes the sparse archives.

#include "testhelpers.h"

#include "archive/archiveentrycheck.h"
#include "archive/entrypath.h"
#include "archive/tarreader.h"
#include "archive/tarwriter.h"
#include "common/sha256.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Berth::Compression)
Q_DECLARE_METATYPE(Berth::TarEntry::Type)
Q_DECLARE_METATYPE(Berth::ArchiveKind)

namespace {

struct ReadEntry
{
    QString path;
    TarEntry::Type type;
    QString linkTarget;
    qint64 size = 0;
    int mode = 0;
    QByteArray data;
};

// Reads a whole archive, each entry's data by readBlock() (or by read() in `chunk` pieces).
Result<QList<ReadEntry>> readAll(TarReader &reader, qint64 chunk = 0)
{
    QList<ReadEntry> out;
    for (;;) {
        auto more = reader.next();
        if (!more)
            return fail(more.error());
        if (!*more)
            return out;
        const TarEntry &e = reader.entry();
        ReadEntry r{e.path, e.type, e.linkTarget, e.size, e.mode, {}};
        if (chunk > 0) {
            QByteArray buffer(chunk, Qt::Uninitialized);
            for (;;) {
                auto n = reader.read(buffer.data(), chunk);
                if (!n)
                    return fail(n.error());
                if (*n == 0)
                    break;
                r.data.append(buffer.constData(), *n);
            }
        } else {
            for (;;) {
                auto block = reader.readBlock();
                if (!block)
                    return fail(block.error());
                if (block->isEmpty())
                    break;
                r.data.append(*block);
            }
        }
        out << r;
    }
}

struct Content
{
    QString name;
    QByteArray data;
};

// What every round trip writes: an empty file, a small one, one past libarchive's and our block
// sizes, names beyond ASCII, a directory and a symbolic link.
QList<Content> sampleFiles()
{
    return {
        {u"empty"_s, {}},
        {u"hello.txt"_s, "Hello, archive.\n"},
        {u"blobs/sha256/large"_s, randomBytes(3 * 1024 * 1024 + 123, 7)},
        {u"répertoire/fichier-ü-日本語.txt"_s, "UTF-8 beyond ASCII\n"},
        {QString(u"deep/" + QString(u"x"_s).repeated(120) + u"/long-name-past-100-bytes"),
         "a name longer than ustar's 100 bytes\n"},
    };
}

Status writeSample(TarWriter &writer)
{
    if (Status s = writer.addDirectory(u"répertoire"_s); !s)
        return s;
    for (const Content &c : sampleFiles()) {
        if (Status s = writer.addBytes(c.name, c.data); !s)
            return s;
    }
    archive_entry *link = archive_entry_new();
    archive_entry_set_pathname_utf8(link, "lien-ß");
    archive_entry_set_filetype(link, AE_IFLNK);
    archive_entry_set_perm(link, 0777);
    archive_entry_set_symlink_utf8(link, "répertoire/fichier-ü-日本語.txt");
    Status s = writer.writeHeader(link);
    archive_entry_free(link);
    if (!s)
        return s;
    return writer.finish();
}

void checkSample(const QList<ReadEntry> &entries)
{
    const QList<Content> files = sampleFiles();
    QCOMPARE(entries.size(), files.size() + 2);
    QCOMPARE(entries.first().path, u"répertoire/"_s);
    QCOMPARE(entries.first().type, TarEntry::Type::Directory);
    for (qsizetype i = 0; i < files.size(); ++i) {
        const ReadEntry &e = entries.at(i + 1);
        QCOMPARE(e.path, files.at(i).name);
        QCOMPARE(e.type, TarEntry::Type::File);
        QCOMPARE(e.size, files.at(i).data.size());
        QCOMPARE(e.mode, 0644);
        QVERIFY2(e.data == files.at(i).data, qPrintable(e.path));
    }
    const ReadEntry &link = entries.last();
    QCOMPARE(link.path, u"lien-ß"_s);
    QCOMPARE(link.type, TarEntry::Type::Symlink);
    QCOMPARE(link.linkTarget, u"répertoire/fichier-ü-日本語.txt"_s);
}

// A raw ustar header: lets a test declare what libarchive's writer would refuse or pad.
QByteArray ustarHeader(const QByteArray &name, qint64 size, char type = '0', int mode = 0644)
{
    QByteArray h(512, '\0');
    const auto put = [&](int offset, const QByteArray &value) {
        std::copy(value.cbegin(), value.cend(), h.begin() + offset);
    };
    put(0, name.left(100));
    put(100, QByteArray::number(mode, 8).rightJustified(7, '0'));
    put(108, "0000000");
    put(116, "0000000");
    put(124, QByteArray::number(size, 8).rightJustified(11, '0'));
    put(136, "00000000000");
    h[156] = type;
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

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

} // namespace

class TestTarArchive : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTrip_data();
    void roundTrip();
    void roundTripThroughFunctions();
    void compressionForFileName_data();
    void compressionForFileName();
    void compressionFromName_data();
    void compressionFromName();
    void largeEntryInBlocks();
    void skipData();
    void sparseEntries_data();
    void sparseEntries();
    void rawFormat();
    void emptyInput();
    void damagedCompression_data();
    void damagedCompression();
    void overlongData();
    void normaliseEntryPath_data();
    void normaliseEntryPath();
    void resolveHardLinkTarget_data();
    void resolveHardLinkTarget();
    void resolveSymlinkTarget_data();
    void resolveSymlinkTarget();
    void checkArchiveEntry_data();
    void checkArchiveEntry();

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString newPath(const QString &suffix)
    {
        return m_dir.filePath(QString::number(++m_counter) + suffix);
    }
};

void TestTarArchive::roundTrip_data()
{
    QTest::addColumn<Compression>("compression");
    QTest::addColumn<QString>("filterName");
    QTest::addColumn<QByteArray>("magic");
    QTest::newRow("none") << Compression::None << u"none"_s << QByteArray();
    QTest::newRow("gzip") << Compression::Gzip << u"gzip"_s << QByteArray("\x1f\x8b");
    QTest::newRow("zstd") << Compression::Zstd << u"zstd"_s << QByteArray("\x28\xb5\x2f\xfd");
    QTest::newRow("xz") << Compression::Xz << u"xz"_s
                        << QByteArray("\xfd"
                                      "7zXZ");
    QTest::newRow("bzip2") << Compression::Bzip2 << u"bzip2"_s << QByteArray("BZh");
}

void TestTarArchive::roundTrip()
{
    QFETCH(Compression, compression);
    QFETCH(QString, filterName);
    QFETCH(QByteArray, magic);
    const QString path = newPath(u".tar"_s);
    {
        auto writer = TarWriter::toFile(path, compression);
        VERIFY_OK(writer);
        VERIFY_OK(writeSample(**writer));
        QVERIFY((*writer)->bytesWritten() > 0);
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY2(bytes.startsWith(magic), bytes.left(8).toHex().constData());
    if (compression == Compression::None)
        QCOMPARE(bytes.size() % 512, 0);

    // Whole blocks, then small reads: the same entries either way.
    for (qint64 chunk : {qint64(0), qint64(1000)}) {
        auto reader = TarReader::openFile(path);
        VERIFY_OK(reader);
        auto entries = readAll(**reader, chunk);
        VERIFY_OK(entries);
        checkSample(*entries);
        QCOMPARE((*reader)->compression(), filterName);
        QCOMPARE((*reader)->sourcePosition(), file.size());
    }
}

void TestTarArchive::roundTripThroughFunctions()
{
    QByteArray archive;
    {
        auto writer = TarWriter::toFunction(
            [&](const char *data, qint64 size) {
                archive.append(data, size);
                return true;
            },
            u"memory"_s,
            Compression::Zstd);
        VERIFY_OK(writer);
        VERIFY_OK(writeSample(**writer));
        QCOMPARE((*writer)->bytesWritten(), archive.size());
    }
    qint64 offset = 0;
    auto reader = TarReader::openFunction(
        [&](char *data, qint64 maxSize) {
            // Odd-sized pieces: nothing may depend on the source's block boundaries.
            const qint64 n = std::min<qint64>({maxSize, 4099, archive.size() - offset});
            std::memcpy(data, archive.constData() + offset, n);
            offset += n;
            return n;
        },
        u"memory"_s);
    VERIFY_OK(reader);
    auto entries = readAll(**reader);
    VERIFY_OK(entries);
    checkSample(*entries);
    QCOMPARE((*reader)->displayName(), u"memory"_s);

    // A writer whose destination fails reports it.
    auto failing = TarWriter::toFunction(
        [](const char *, qint64) { return false; }, u"a closed pipe"_s, Compression::None);
    VERIFY_OK(failing);
    Status s = (*failing)->addBytes(u"big"_s, randomBytes(3 * 1024 * 1024, 1));
    if (s)
        s = (*failing)->finish();
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::Io);
}

void TestTarArchive::compressionForFileName_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<Compression>("expected");
    QTest::newRow("tar") << u"image.tar"_s << Compression::None;
    QTest::newRow("no extension") << u"image"_s << Compression::None;
    QTest::newRow("tar.gz") << u"image.tar.gz"_s << Compression::Gzip;
    QTest::newRow("tgz") << u"image.tgz"_s << Compression::Gzip;
    QTest::newRow("upper case") << u"IMAGE.TAR.GZ"_s << Compression::Gzip;
    QTest::newRow("tar.zst") << u"/tmp/x/image.tar.zst"_s << Compression::Zstd;
    QTest::newRow("tzst") << u"image.tzst"_s << Compression::Zstd;
    QTest::newRow("tar.xz") << u"image.tar.xz"_s << Compression::Xz;
    QTest::newRow("txz") << u"image.txz"_s << Compression::Xz;
    QTest::newRow("tar.bz2") << u"image.tar.bz2"_s << Compression::Bzip2;
    QTest::newRow("tbz2") << u"image.tbz2"_s << Compression::Bzip2;
    QTest::newRow("gz in the middle") << u"image.gz.tar"_s << Compression::None;
    QTest::newRow("non-ASCII") << u"образ.tar.zst"_s << Compression::Zstd;
}

void TestTarArchive::compressionForFileName()
{
    QFETCH(QString, fileName);
    QFETCH(Compression, expected);
    QCOMPARE(Berth::compressionForFileName(fileName), expected);
}

void TestTarArchive::compressionFromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Compression>("expected");
    QTest::newRow("empty") << QString() << true << Compression::None;
    QTest::newRow("none") << u"none"_s << true << Compression::None;
    QTest::newRow("gzip") << u"gzip"_s << true << Compression::Gzip;
    QTest::newRow("gz") << u"gz"_s << true << Compression::Gzip;
    QTest::newRow("ZSTD spaced") << u" ZSTD "_s << true << Compression::Zstd;
    QTest::newRow("zst") << u"zst"_s << true << Compression::Zstd;
    QTest::newRow("xz") << u"xz"_s << true << Compression::Xz;
    QTest::newRow("bzip2") << u"bzip2"_s << true << Compression::Bzip2;
    QTest::newRow("bz2") << u"bz2"_s << true << Compression::Bzip2;
    QTest::newRow("lz4") << u"lz4"_s << false << Compression::None;
    QTest::newRow("typo") << u"gzipp"_s << false << Compression::None;
}

void TestTarArchive::compressionFromName()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QFETCH(Compression, expected);
    auto result = Berth::compressionFromName(name);
    QCOMPARE(bool(result), valid);
    if (valid) {
        QCOMPARE(*result, expected);
        QCOMPARE(Berth::compressionFromName(compressionName(expected)).value(), expected);
    } else {
        QCOMPARE(result.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(result.error().message.contains(name), qPrintable(result.error().message));
    }
}

void TestTarArchive::largeEntryInBlocks()
{
    // 40 MiB: many of the reader's blocks, none holding the whole entry.
    const qsizetype size = 40 * 1024 * 1024 + 17;
    const QByteArray data = randomBytes(size, 11);
    const QString path = newPath(u".tar.gz"_s);
    {
        auto writer = TarWriter::toFile(path, Compression::Gzip);
        VERIFY_OK(writer);
        VERIFY_OK((*writer)->addBytes(u"layer.tar"_s, data));
        VERIFY_OK((*writer)->finish());
    }
    auto reader = TarReader::openFile(path);
    VERIFY_OK(reader);
    auto more = (*reader)->next();
    VERIFY_OK(more);
    QVERIFY(*more);
    QCOMPARE((*reader)->entry().size, size);
    Sha256 hash;
    qint64 total = 0;
    int blocks = 0;
    qsizetype largest = 0;
    qint64 lastPosition = 0;
    bool positionGrew = false;
    for (;;) {
        auto block = (*reader)->readBlock();
        VERIFY_OK(block);
        if (block->isEmpty())
            break;
        ++blocks;
        largest = std::max(largest, block->size());
        total += block->size();
        hash.addData(*block);
        positionGrew = positionGrew || (*reader)->sourcePosition() > lastPosition;
        lastPosition = (*reader)->sourcePosition();
    }
    QCOMPARE(total, size);
    QCOMPARE(hash.digest(), Sha256::digestOf(data));
    QVERIFY(blocks > 1);
    QVERIFY(largest < size);
    QVERIFY(positionGrew); // progress can follow the compressed input
    auto end = (*reader)->next();
    VERIFY_OK(end);
    QVERIFY(!*end);
}

void TestTarArchive::skipData()
{
    const QString path = newPath(u".tar"_s);
    {
        auto writer = TarWriter::toFile(path, Compression::None);
        VERIFY_OK(writer);
        VERIFY_OK((*writer)->addBytes(u"first"_s, randomBytes(5 * 1024 * 1024, 3)));
        VERIFY_OK((*writer)->addBytes(u"second"_s, "after the skipped one"));
        VERIFY_OK((*writer)->finish());
    }
    auto reader = TarReader::openFile(path);
    VERIFY_OK(reader);
    VERIFY_OK((*reader)->next());
    QCOMPARE((*reader)->entry().path, u"first"_s);
    // Half read, then skipped: the next entry starts where it should.
    char buffer[1000];
    VERIFY_OK((*reader)->read(buffer, sizeof buffer));
    VERIFY_OK((*reader)->skipData());
    auto more = (*reader)->next();
    VERIFY_OK(more);
    QVERIFY(*more);
    QCOMPARE((*reader)->entry().path, u"second"_s);
    auto n = (*reader)->read(buffer, sizeof buffer);
    VERIFY_OK(n);
    QCOMPARE(QByteArray(buffer, *n), QByteArray("after the skipped one"));
}

void TestTarArchive::sparseEntries_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("posix (pax GNU.sparse 1.0)") << u"posix"_s;
    QTest::newRow("gnu (old GNU sparse)") << u"gnu"_s;
}

void TestTarArchive::sparseEntries()
{
    QFETCH(QString, format);
    const QString tar = QStandardPaths::findExecutable(u"tar"_s);
    if (tar.isEmpty())
        QSKIP("GNU tar is not installed");
    // 9 MiB with data at 0 and in the middle, and a trailing hole: holes come back as zeros.
    const QString dir = m_dir.filePath(u"sparse-"_s + format);
    QVERIFY(QDir().mkpath(dir));
    const QString source = dir + u"/sparse.img";
    const QByteArray head = randomBytes(4096, 5);
    const QByteArray middle = randomBytes(8192, 6);
    const qint64 size = 9 * 1024 * 1024;
    {
        const int fd = ::open(QFile::encodeName(source).constData(), O_CREAT | O_WRONLY, 0644);
        QVERIFY(fd >= 0);
        QCOMPARE(::pwrite(fd, head.constData(), head.size(), 0), head.size());
        QCOMPARE(::pwrite(fd, middle.constData(), middle.size(), 4 * 1024 * 1024), middle.size());
        QCOMPARE(::ftruncate(fd, size), 0);
        ::close(fd);
    }
    QByteArray expected(size, '\0');
    std::copy(head.cbegin(), head.cend(), expected.begin());
    std::copy(middle.cbegin(), middle.cend(), expected.begin() + 4 * 1024 * 1024);

    const QString archive = dir + u"/sparse.tar";
    QProcess process;
    process.start(
        tar,
        {u"--sparse"_s, u"--format="_s + format, u"-cf"_s, archive, u"-C"_s, dir, u"sparse.img"_s});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(QFileInfo(archive).size() < 1024 * 1024, "tar did not store the file sparse");

    for (qint64 chunk : {qint64(0), qint64(100000)}) {
        auto reader = TarReader::openFile(archive);
        VERIFY_OK(reader);
        auto entries = readAll(**reader, chunk);
        VERIFY_OK(entries);
        QCOMPARE(entries->size(), 1);
        QCOMPARE(entries->first().path, u"sparse.img"_s);
        QCOMPARE(entries->first().size, size);
        QCOMPARE(entries->first().data.size(), size);
        QVERIFY(entries->first().data == expected);
    }
}

void TestTarArchive::rawFormat()
{
    // Format::Raw undoes compression only: what import and load use for a compressed layer.
    const QByteArray data = randomBytes(2 * 1024 * 1024 + 5, 9);
    const QString path = newPath(u".zst"_s);
    QProcess zstd;
    zstd.start(u"zstd"_s, {u"-q"_s, u"-o"_s, path});
    QVERIFY(zstd.waitForStarted());
    zstd.write(data);
    zstd.closeWriteChannel();
    QVERIFY(zstd.waitForFinished());
    QCOMPARE(zstd.exitCode(), 0);
    auto reader = TarReader::openFile(path, TarReader::Format::Raw);
    VERIFY_OK(reader);
    auto entries = readAll(**reader);
    VERIFY_OK(entries);
    QCOMPARE(entries->size(), 1);
    QVERIFY(entries->first().data == data);
    QCOMPARE((*reader)->compression(), u"zstd"_s);
}

void TestTarArchive::emptyInput()
{
    // An empty file is an empty archive (docker load then says there is no image).
    const QString path = newPath(u".tar"_s);
    QVERIFY(writeFile(path, {}));
    auto reader = TarReader::openFile(path);
    VERIFY_OK(reader);
    auto more = (*reader)->next();
    VERIFY_OK(more);
    QVERIFY(!*more);

    // Not an archive at all.
    const QString text = newPath(u".txt"_s);
    QVERIFY(writeFile(text, QByteArray("just some text, not a tar archive\n").repeated(40)));
    auto notTar = TarReader::openFile(text);
    Result<bool> next = notTar ? (*notTar)->next() : Result<bool>(fail(notTar.error()));
    QVERIFY(!next);
    QCOMPARE(next.error().kind, Error::Kind::InvalidArgument);
    QVERIFY2(next.error().message.contains(text), qPrintable(next.error().message));

    // A missing file is the disk's problem, not the input's.
    auto missing = TarReader::openFile(m_dir.filePath(u"does-not-exist.tar"_s));
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, Error::Kind::Io);
}

void TestTarArchive::damagedCompression_data()
{
    QTest::addColumn<Compression>("compression");
    QTest::addColumn<bool>("truncate"); // else: bytes in the middle overwritten
    QTest::newRow("truncated gzip") << Compression::Gzip << true;
    QTest::newRow("truncated zstd") << Compression::Zstd << true;
    QTest::newRow("truncated xz") << Compression::Xz << true;
    QTest::newRow("truncated bzip2") << Compression::Bzip2 << true;
    QTest::newRow("truncated plain tar") << Compression::None << true;
    QTest::newRow("corrupt gzip") << Compression::Gzip << false;
    // libarchive 3.6.2 writes zstd frames without a checksum, so damage to stored (incompressible)
    // data goes unseen; the zstd tool writes checksums, and the reader checks them.
    QTest::newRow("corrupt zstd (zstd tool)") << Compression::Zstd << false;
    QTest::newRow("corrupt xz") << Compression::Xz << false;
}

void TestTarArchive::damagedCompression()
{
    QFETCH(Compression, compression);
    QFETCH(bool, truncate);
    QString path = newPath(u".tar"_s);
    const bool tool = compression == Compression::Zstd && !truncate;
    {
        auto writer = TarWriter::toFile(path, tool ? Compression::None : compression);
        VERIFY_OK(writer);
        VERIFY_OK((*writer)->addBytes(u"layer.tar"_s, randomBytes(2 * 1024 * 1024, 13)));
        VERIFY_OK((*writer)->addBytes(u"after"_s, "x"));
        VERIFY_OK((*writer)->finish());
    }
    if (tool) {
        QProcess zstd;
        zstd.start(u"zstd"_s, {u"-q"_s, u"--rm"_s, path});
        QVERIFY(zstd.waitForFinished());
        QCOMPARE(zstd.exitCode(), 0);
        path += u".zst"_s;
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    const qint64 size = file.size();
    if (truncate) {
        QVERIFY(file.resize(size / 2));
    } else {
        QVERIFY(file.seek(size / 2));
        file.write(randomBytes(4096, 17));
    }
    file.close();

    auto reader = TarReader::openFile(path);
    VERIFY_OK(reader);
    // The damage shows while reading: an error, never a silently short entry.
    auto entries = readAll(**reader);
    QVERIFY2(!entries, "a damaged archive read without error");
    QCOMPARE(entries.error().kind, Error::Kind::InvalidArgument);
    QVERIFY2(entries.error().message.contains(path), qPrintable(entries.error().message));
}

void TestTarArchive::overlongData()
{
    // The writer refuses more data than the header declared.
    const QString path = newPath(u".tar"_s);
    auto writer = TarWriter::toFile(path, Compression::None);
    VERIFY_OK(writer);
    archive_entry *e = archive_entry_new();
    archive_entry_set_pathname_utf8(e, "short");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, 4);
    VERIFY_OK((*writer)->writeHeader(e));
    archive_entry_free(e);
    Status s = (*writer)->writeData("more than four bytes");
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::Io);

    // A raw header declaring more data than the archive holds: the reader reports the damage.
    const QString truncated = newPath(u".tar"_s);
    QVERIFY(writeFile(truncated, ustarHeader("big", 1024 * 1024) + QByteArray(1000, 'x')));
    auto reader = TarReader::openFile(truncated);
    VERIFY_OK(reader);
    auto entries = readAll(**reader);
    QVERIFY(!entries);
    QCOMPARE(entries.error().kind, Error::Kind::InvalidArgument);
}

void TestTarArchive::normaliseEntryPath_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected"); // empty with a fragment: refused
    QTest::addColumn<QString>("errorFragment");
    QTest::newRow("plain") << u"manifest.json"_s << u"manifest.json"_s << QString();
    QTest::newRow("dot slash") << u"./manifest.json"_s << u"manifest.json"_s << QString();
    QTest::newRow("root") << u"./"_s << QString() << QString();
    QTest::newRow("dot") << u"."_s << QString() << QString();
    QTest::newRow("trailing slash") << u"blobs/sha256/"_s << u"blobs/sha256"_s << QString();
    QTest::newRow("repeated slashes") << u"blobs//sha256///x"_s << u"blobs/sha256/x"_s << QString();
    QTest::newRow("inner dot") << u"a/./b"_s << u"a/b"_s << QString();
    QTest::newRow("dots in a name") << u"a/..b/c..."_s << u"a/..b/c..."_s << QString();
    QTest::newRow("non-ASCII") << u"./répertoire/日本語"_s << u"répertoire/日本語"_s << QString();
    QTest::newRow("dot dot") << u"../x"_s << QString() << u"contains '..'"_s;
    QTest::newRow("inner dot dot") << u"a/../b"_s << QString() << u"contains '..'"_s;
    QTest::newRow("trailing dot dot") << u"a/.."_s << QString() << u"contains '..'"_s;
    QTest::newRow("absolute") << u"/etc/passwd"_s << QString() << u"absolute path"_s;
    QTest::newRow("NUL") << QString(u"a"_s + QChar(0) + u"b"_s) << QString() << u"NUL"_s;
}

void TestTarArchive::normaliseEntryPath()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QFETCH(QString, errorFragment);
    auto result = Berth::normaliseEntryPath(name);
    if (errorFragment.isEmpty()) {
        VERIFY_OK(result);
        QCOMPARE(*result, expected);
    } else {
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(result.error().message.contains(errorFragment),
                 qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(name), qPrintable(result.error().message));
    }
}

void TestTarArchive::resolveHardLinkTarget_data()
{
    QTest::addColumn<QString>("entry");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("errorFragment");
    // Hard-link targets name another entry from the archive root, not from the link's directory.
    QTest::newRow("sibling") << u"a/b"_s << u"a/c"_s << u"a/c"_s << QString();
    QTest::newRow("dot slash") << u"a/b"_s << u"./x/y"_s << u"x/y"_s << QString();
    QTest::newRow("non-ASCII") << u"ü"_s << u"répertoire/é"_s << u"répertoire/é"_s << QString();
    QTest::newRow("absolute") << u"a"_s << u"/etc/shadow"_s << QString() << u"absolute path"_s;
    QTest::newRow("dot dot") << u"a/b"_s << u"../x"_s << QString() << u"outside the archive"_s;
    QTest::newRow("inner dot dot")
        << u"a/b"_s << u"a/../../x"_s << QString() << u"outside the archive"_s;
    QTest::newRow("empty") << u"a"_s << QString() << QString() << u"no target"_s;
    QTest::newRow("root") << u"a"_s << u"./"_s << QString() << u"no target"_s;
}

void TestTarArchive::resolveHardLinkTarget()
{
    QFETCH(QString, entry);
    QFETCH(QString, target);
    QFETCH(QString, expected);
    QFETCH(QString, errorFragment);
    auto result = Berth::resolveHardLinkTarget(entry, target);
    if (errorFragment.isEmpty()) {
        VERIFY_OK(result);
        QCOMPARE(*result, expected);
    } else {
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(result.error().message.contains(errorFragment),
                 qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(entry), qPrintable(result.error().message));
    }
}

void TestTarArchive::resolveSymlinkTarget_data()
{
    QTest::addColumn<QString>("entry");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("errorFragment");
    // Symbolic links resolve from the link's own directory.
    QTest::newRow("sibling") << u"a/b"_s << u"c"_s << u"a/c"_s << QString();
    QTest::newRow("skopeo layer link")
        << u"0123/layer.tar"_s << u"../abcd.tar"_s << u"abcd.tar"_s << QString();
    QTest::newRow("docker legacy duplicate")
        << u"1111/layer.tar"_s << u"../2222/layer.tar"_s << u"2222/layer.tar"_s << QString();
    QTest::newRow("top level") << u"link"_s << u"target"_s << u"target"_s << QString();
    QTest::newRow("down and up") << u"a/b/c"_s << u"../../x/./y"_s << u"x/y"_s << QString();
    QTest::newRow("to the root") << u"a/b"_s << u".."_s << QString() << QString();
    QTest::newRow("non-ASCII") << u"répertoire/lien"_s << u"../ü/日本"_s << u"ü/日本"_s
                               << QString();
    QTest::newRow("escapes") << u"a/b"_s << u"../../etc/passwd"_s << QString()
                             << u"outside the archive"_s;
    QTest::newRow("escapes from the top")
        << u"link"_s << u"../x"_s << QString() << u"outside the archive"_s;
    QTest::newRow("climbs out and back")
        << u"a/b"_s << u"../../a/c"_s << QString() << u"outside the archive"_s;
    QTest::newRow("absolute") << u"a"_s << u"/etc/passwd"_s << QString() << u"absolute path"_s;
}

void TestTarArchive::resolveSymlinkTarget()
{
    QFETCH(QString, entry);
    QFETCH(QString, target);
    QFETCH(QString, expected);
    QFETCH(QString, errorFragment);
    auto result = Berth::resolveSymlinkTarget(entry, target);
    if (errorFragment.isEmpty()) {
        VERIFY_OK(result);
        QCOMPARE(*result, expected);
    } else {
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(result.error().message.contains(errorFragment),
                 qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(entry), qPrintable(result.error().message));
    }
}

void TestTarArchive::checkArchiveEntry_data()
{
    QTest::addColumn<ArchiveKind>("kind");
    QTest::addColumn<QString>("path");
    QTest::addColumn<TarEntry::Type>("type");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("linkTarget");
    QTest::addColumn<QString>("expectedPath");
    QTest::addColumn<QString>("expectedTarget");
    QTest::addColumn<QString>("errorFragment");
    using T = TarEntry::Type;
    const auto image = ArchiveKind::ImageArchive;
    const auto fs = ArchiveKind::Filesystem;
    QTest::newRow("image: file") << image << u"./manifest.json"_s << T::File << 0644 << QString()
                                 << u"manifest.json"_s << QString() << QString();
    QTest::newRow("image: setgid directory") << image << u"blobs/"_s << T::Directory << 02755
                                             << QString() << u"blobs"_s << QString() << QString();
    QTest::newRow("image: symlink inside")
        << image << u"id/layer.tar"_s << T::Symlink << 0777 << u"../x.tar"_s << u"id/layer.tar"_s
        << u"x.tar"_s << QString();
    QTest::newRow("image: hard link inside")
        << image << u"b"_s << T::HardLink << 0644 << u"./a"_s << u"b"_s << u"a"_s << QString();
    QTest::newRow("image: dot dot") << image << u"../evil"_s << T::File << 0644 << QString()
                                    << QString() << QString() << u"contains '..'"_s;
    QTest::newRow("image: absolute") << image << u"/evil"_s << T::File << 0644 << QString()
                                     << QString() << QString() << u"absolute path"_s;
    QTest::newRow("image: char device")
        << image << u"dev/null"_s << T::CharDevice << 0666 << QString() << QString() << QString()
        << u"character device"_s;
    QTest::newRow("image: block device") << image << u"sda"_s << T::BlockDevice << 0660 << QString()
                                         << QString() << QString() << u"block device"_s;
    QTest::newRow("image: fifo") << image << u"pipe"_s << T::Fifo << 0644 << QString() << QString()
                                 << QString() << u"named pipe"_s;
    QTest::newRow("image: socket") << image << u"sock"_s << T::Socket << 0755 << QString()
                                   << QString() << QString() << u"socket"_s;
    QTest::newRow("image: setuid file") << image << u"su"_s << T::File << 04755 << QString()
                                        << QString() << QString() << u"set-user-ID"_s;
    QTest::newRow("image: setgid file") << image << u"sg"_s << T::File << 02755 << QString()
                                        << QString() << QString() << u"set-group-ID"_s;
    QTest::newRow("image: symlink escapes")
        << image << u"a/link"_s << T::Symlink << 0777 << u"../../etc/passwd"_s << QString()
        << QString() << u"outside the archive"_s;
    QTest::newRow("image: absolute symlink")
        << image << u"link"_s << T::Symlink << 0777 << u"/etc/passwd"_s << QString() << QString()
        << u"absolute path"_s;
    QTest::newRow("image: hard link escapes")
        << image << u"link"_s << T::HardLink << 0644 << u"../x"_s << QString() << QString()
        << u"outside the archive"_s;
    QTest::newRow("filesystem: device") << fs << u"dev/null"_s << T::CharDevice << 0666 << QString()
                                        << u"dev/null"_s << QString() << QString();
    QTest::newRow("filesystem: setuid") << fs << u"bin/su"_s << T::File << 04755 << QString()
                                        << u"bin/su"_s << QString() << QString();
    QTest::newRow("filesystem: absolute symlink")
        << fs << u"bin/sh"_s << T::Symlink << 0777 << u"/bin/busybox"_s << u"bin/sh"_s
        << u"/bin/busybox"_s << QString();
    QTest::newRow("filesystem: dot dot") << fs << u"../x"_s << T::File << 0644 << QString()
                                         << QString() << QString() << u"contains '..'"_s;
    QTest::newRow("filesystem: hard link escapes")
        << fs << u"x"_s << T::HardLink << 0644 << u"/etc/shadow"_s << QString() << QString()
        << u"absolute path"_s;
}

void TestTarArchive::checkArchiveEntry()
{
    QFETCH(ArchiveKind, kind);
    QFETCH(QString, path);
    QFETCH(TarEntry::Type, type);
    QFETCH(int, mode);
    QFETCH(QString, linkTarget);
    QFETCH(QString, expectedPath);
    QFETCH(QString, expectedTarget);
    QFETCH(QString, errorFragment);
    TarEntry entry;
    entry.path = path;
    entry.type = type;
    entry.mode = mode;
    entry.linkTarget = linkTarget;
    auto result = Berth::checkArchiveEntry(entry, kind);
    if (errorFragment.isEmpty()) {
        VERIFY_OK(result);
        QCOMPARE(result->path, expectedPath);
        QCOMPARE(result->linkTarget, expectedTarget);
    } else {
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(result.error().message.contains(errorFragment),
                 qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(path), qPrintable(result.error().message));
    }
}

QTEST_GUILESS_MAIN(TestTarArchive)
#include "tst_tararchive.moc"
