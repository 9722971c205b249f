// Taking chosen files out of a layer as it streams (core/contents/layerextract): gzip, zstd and
// plain layers fed in pieces; the stream stopped once the files are out; hard links; hostile
// names and links that must never write outside the destination; a destination whose names are
// already symbolic links; names that are not UTF-8; devices skipped; missing files, truncated and
// corrupt layers named. The tar target is read back with the project's TarReader. No services.

#include "archive/tarreader.h"
#include "contents/layerextract.h"
#include "testhelpers.h"
#include "testlayers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

using Wanted = QHash<QByteArray, QByteArray>;

Q_DECLARE_METATYPE(BerthTest::LayerFilter)

namespace {

const QString LayerName = u"Layer 1 (sha256:feedface) of test:1"_s;

struct Fed
{
    Status write;        // the last write's answer
    qint64 bytes = 0;    // bytes the extractor accepted
    Result<qint64> done; // finish()
};

// Feeds `blob` in `piece`-byte pieces until the extractor refuses more, then finishes it.
Fed feed(LayerFileExtractor &extractor, const QByteArray &blob, qsizetype piece = 65536)
{
    Fed fed;
    for (qsizetype at = 0; at < blob.size(); at += piece) {
        const QByteArrayView part
            = QByteArrayView(blob).sliced(at, std::min(piece, blob.size() - at));
        fed.write = extractor.write(part);
        if (!fed.write)
            break;
        fed.bytes += part.size();
    }
    fed.done = extractor.finish();
    return fed;
}

Fed extract(const QByteArray &blob,
            const Wanted &wanted,
            ExtractTarget *target,
            qsizetype piece = 65536)
{
    LayerFileExtractor extractor(LayerName, wanted, target);
    return feed(extractor, blob, piece);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

struct stat lstatOf(const QString &path)
{
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        st.st_mode = 0;
    return st;
}

QList<LayerItem> sampleLayer(const QByteArray &big)
{
    return {dirItem("etc"),
            fileItem("etc/hostname", "berth\n"),
            dirItem("usr/bin", 0555),
            fileItem("./usr/bin/big", big, 04755),
            fileItem("usr/bin/other", "not wanted")};
}

ContentsEntry fileEntry(qint64 size = 0)
{
    ContentsEntry e;
    e.type = ContentsEntry::Type::File;
    e.mode = 0644;
    e.size = size;
    return e;
}

} // namespace

class TestLayerExtract : public QObject
{
    Q_OBJECT

private slots:
    void extractFiles_data();
    void extractFiles();
    void stopsEarly_data();
    void stopsEarly();
    void hardLinks();
    void hostileRelativePaths_data();
    void hostileRelativePaths();
    void linksInTheImageNeverLeadOut_data();
    void linksInTheImageNeverLeadOut();
    void existingLinksInDestinationReplaced();
    void nonUtf8Names();
    void devicesSkipped();
    void missingFileNamed();
    void brokenLayerNamed_data();
    void brokenLayerNamed();
    void tarTargetReadsBack();
    void streamTargetLimit();
};

void TestLayerExtract::extractFiles_data()
{
    QTest::addColumn<LayerFilter>("filter");
    QTest::addColumn<int>("piece");
    QTest::newRow("plain, 64 KiB pieces") << LayerFilter::None << 65536;
    QTest::newRow("plain, 7-byte pieces") << LayerFilter::None << 7;
    QTest::newRow("gzip, 64 KiB pieces") << LayerFilter::Gzip << 65536;
    QTest::newRow("gzip, 5-byte pieces") << LayerFilter::Gzip << 5;
    QTest::newRow("zstd, 64 KiB pieces") << LayerFilter::Zstd << 65536;
    QTest::newRow("zstd, 13-byte pieces") << LayerFilter::Zstd << 13;
}

void TestLayerExtract::extractFiles()
{
    QFETCH(LayerFilter, filter);
    QFETCH(int, piece);
    const QByteArray big = randomBytes(300000, 7);
    const QByteArray blob = layerBlob(sampleLayer(big), filter);
    QTemporaryDir dest;
    auto target = directoryTarget(dest.path());
    VERIFY_OK(target);
    const Fed fed = extract(
        blob, {{"usr/bin/big", "big"}, {"etc/hostname", "etc/hostname"}}, target->get(), piece);
    VERIFY_OK(fed.done);
    VERIFY_OK((*target)->finish());
    QCOMPARE(*fed.done, qint64(big.size() + 6));
    QCOMPARE(readAll(dest.filePath(u"big"_s)), big);
    QCOMPARE(readAll(dest.filePath(u"etc/hostname"_s)), "berth\n");
    QVERIFY(!QFile::exists(dest.filePath(u"usr/bin/other"_s)));
    const struct stat st = lstatOf(dest.filePath(u"big"_s));
    QCOMPARE(st.st_mode & 07777, 0755u); // set-uid dropped
    QCOMPARE(qint64(st.st_mtime), qint64(1700000000));
}

void TestLayerExtract::stopsEarly_data()
{
    QTest::addColumn<LayerFilter>("filter");
    QTest::newRow("plain") << LayerFilter::None;
    QTest::newRow("gzip") << LayerFilter::Gzip;
    QTest::newRow("zstd") << LayerFilter::Zstd;
}

// The wanted file comes first, 24 MiB that nobody wants after it: the extractor says it has
// enough long before the end, so the source stops sending.
void TestLayerExtract::stopsEarly()
{
    QFETCH(LayerFilter, filter);
    const QByteArray blob = layerBlob(
        {fileItem("first", "wanted bytes"), fileItem("filler", randomBytes(24 << 20, 3))}, filter);
    QTemporaryDir dest;
    auto target = directoryTarget(dest.path());
    VERIFY_OK(target);
    LayerFileExtractor extractor(LayerName, {{"first", "first"}}, target->get());
    const Fed fed = feed(extractor, blob);
    QVERIFY(!fed.write);
    QCOMPARE(fed.write.error().kind, Error::Kind::Cancelled);
    QCOMPARE(fed.write.error().code, LayerFileExtractor::EnoughCode);
    QVERIFY2(fed.bytes < blob.size() / 2,
             qPrintable(u"fed %1 of %2 bytes"_s.arg(fed.bytes).arg(blob.size())));
    QVERIFY(extractor.complete());
    VERIFY_OK(fed.done);
    QCOMPARE(*fed.done, qint64(12));
    QCOMPARE(readAll(dest.filePath(u"first"_s)), "wanted bytes");
}

void TestLayerExtract::hardLinks()
{
    const QByteArray blob = layerBlob(
        {fileItem("a", "shared content"), hardLinkItem("b", "a"), hardLinkItem("./c", "./a")},
        LayerFilter::Gzip);
    {
        // Both wanted: the link is a link in the copy.
        QTemporaryDir dest;
        auto target = directoryTarget(dest.path());
        VERIFY_OK(target);
        VERIFY_OK(extract(blob, {{"a", "x/a"}, {"b", "y/b"}}, target->get()).done);
        const struct stat a = lstatOf(dest.filePath(u"x/a"_s));
        const struct stat b = lstatOf(dest.filePath(u"y/b"_s));
        QCOMPARE(b.st_ino, a.st_ino);
        QCOMPARE(readAll(dest.filePath(u"y/b"_s)), "shared content");
    }
    {
        // Only the links wanted: the caller asks for their target under the first link's name.
        QTemporaryDir dest;
        auto target = directoryTarget(dest.path());
        VERIFY_OK(target);
        VERIFY_OK(extract(blob, {{"a", "b"}, {"c", "c"}}, target->get()).done);
        QCOMPARE(readAll(dest.filePath(u"b"_s)), "shared content");
        QCOMPARE(lstatOf(dest.filePath(u"c"_s)).st_ino, lstatOf(dest.filePath(u"b"_s)).st_ino);
    }
    {
        QTemporaryDir dest;
        auto target = directoryTarget(dest.path());
        VERIFY_OK(target);
        const Fed fed = extract(blob, {{"b", "b"}}, target->get());
        QVERIFY(!fed.done);
        QVERIFY2(fed.done.error().message.contains(u"'b'"_s), qPrintable(fed.done.error().message));
        QVERIFY(fed.done.error().message.contains(LayerName));
    }
}

void TestLayerExtract::hostileRelativePaths_data()
{
    QTest::addColumn<QByteArray>("relative");
    QTest::newRow("parent") << QByteArray("../escaped");
    QTest::newRow("parent inside") << QByteArray("a/../../escaped");
    QTest::newRow("absolute") << QByteArray("/tmp/escaped");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("dot") << QByteArray(".");
    QTest::newRow("empty component") << QByteArray("a//escaped");
}

// Relative paths that are not below the destination are refused naming the path, for every kind
// of entry.
void TestLayerExtract::hostileRelativePaths()
{
    QFETCH(QByteArray, relative);
    QTemporaryDir root;
    const QString destPath = root.filePath(u"dest/inner"_s);
    auto target = directoryTarget(destPath);
    VERIFY_OK(target);
    ContentsEntry dir = fileEntry();
    dir.type = ContentsEntry::Type::Directory;
    ContentsEntry link = fileEntry();
    link.type = ContentsEntry::Type::Symlink;
    link.linkTarget = "/etc";
    const QList<Status> answers = {(*target)->beginFile(fileEntry(), relative),
                                   (*target)->directory(dir, relative),
                                   (*target)->symlink(link, relative)};
    for (const Status &s : answers) {
        QVERIFY(!s);
        QCOMPARE(s.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(s.error().message.contains(u"'%1'"_s.arg(displayPath(relative))),
                 qPrintable(s.error().message));
    }
    VERIFY_OK((*target)->finish());
    QCOMPARE(QDir(root.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList{u"dest"_s});
    QCOMPARE(QDir(root.filePath(u"dest"_s)).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList{u"inner"_s});
    QVERIFY(!QFile::exists(u"/tmp/escaped"_s));
}

void TestLayerExtract::linksInTheImageNeverLeadOut_data()
{
    QTest::addColumn<QByteArray>("link"); // "OUTSIDE" stands for the absolute outside folder
    QTest::newRow("absolute, to a folder outside") << QByteArray("OUTSIDE");
    QTest::newRow("relative, climbing out") << QByteArray("../../outside");
    QTest::newRow("relative, chained through another link") << QByteArray("hop/../outside");
}

// A symbolic link in the image (to /etc, or ../../) followed by a file written "through" it: the
// link is created as it is, the file is refused, nothing appears outside the destination.
void TestLayerExtract::linksInTheImageNeverLeadOut()
{
    QFETCH(QByteArray, link);
    QTemporaryDir root;
    const QString outside = root.filePath(u"outside"_s);
    QVERIFY(QDir().mkpath(outside));
    const QString destPath = root.filePath(u"dest/inner"_s);
    link.replace("OUTSIDE", QFile::encodeName(outside));
    const QByteArray blob = layerBlob({symlinkItem("hop", "../../"),
                                       symlinkItem("evil", link),
                                       fileItem("evil/passwd", "owned"),
                                       fileItem("hop/outside/passwd", "owned")},
                                      LayerFilter::None);
    auto target = directoryTarget(destPath);
    VERIFY_OK(target);
    const Fed fed = extract(
        blob, {{"hop", "hop"}, {"evil", "evil"}, {"evil/passwd", "evil/passwd"}}, target->get());
    QVERIFY(!fed.done);
    QVERIFY2(fed.done.error().message.contains(u"'evil/passwd'"_s),
             qPrintable(fed.done.error().message));
    auto second = directoryTarget(destPath);
    VERIFY_OK(second);
    QVERIFY(!extract(blob, {{"hop/outside/passwd", "hop/outside/passwd"}}, second->get()).done);
    QVERIFY(QDir(outside).isEmpty());
    QVERIFY(S_ISLNK(lstatOf(QDir(destPath).filePath(u"evil"_s)).st_mode));
}

// The destination already holds symbolic links (planted, or from an earlier copy) where the
// image has a file and a folder: they are replaced, their targets untouched.
void TestLayerExtract::existingLinksInDestinationReplaced()
{
    QTemporaryDir root;
    const QString victim = root.filePath(u"victim"_s);
    QFile v(victim);
    QVERIFY(v.open(QIODevice::WriteOnly));
    v.write("precious");
    v.close();
    const QString victimDir = root.filePath(u"victimdir"_s);
    QVERIFY(QDir().mkpath(victimDir));
    const QString dest = root.filePath(u"dest"_s);
    QVERIFY(QDir().mkpath(dest));
    QVERIFY(QFile::link(victim, dest + u"/file"_s));
    QVERIFY(QFile::link(victimDir, dest + u"/dir"_s));
    const QByteArray blob = layerBlob(
        {fileItem("file", "new"), dirItem("dir", 0700), fileItem("dir/inside", "new too")},
        LayerFilter::Gzip);
    auto target = directoryTarget(dest);
    VERIFY_OK(target);
    VERIFY_OK(extract(blob,
                      {{"file", "file"}, {"dir", "dir"}, {"dir/inside", "dir/inside"}},
                      target->get())
                  .done);
    VERIFY_OK((*target)->finish());
    QCOMPARE(readAll(victim), "precious");
    QVERIFY(QDir(victimDir).isEmpty());
    QVERIFY(S_ISREG(lstatOf(dest + u"/file"_s).st_mode));
    QVERIFY(S_ISDIR(lstatOf(dest + u"/dir"_s).st_mode));
    QCOMPARE(readAll(dest + u"/file"_s), "new");
    QCOMPARE(readAll(dest + u"/dir/inside"_s), "new too");
}

void TestLayerExtract::nonUtf8Names()
{
    const QByteArray name("caf\xe9/\xff\xfe-name");
    const QByteArray blob = layerBlob({fileItem(name, "latin-1")}, LayerFilter::Zstd);
    QTemporaryDir dest;
    auto target = directoryTarget(dest.path());
    VERIFY_OK(target);
    VERIFY_OK(extract(blob, {{name, name}}, target->get()).done);
    const QByteArray raw = QFile::encodeName(dest.path()) + '/' + name;
    struct stat st
    {
    };
    QCOMPARE(::lstat(raw.constData(), &st), 0);
    QCOMPARE(qint64(st.st_size), qint64(7));
    // QTemporaryDir cannot remove names it cannot decode.
    QCOMPARE(::unlink(raw.constData()), 0);
    QCOMPARE(::rmdir(QByteArray(QFile::encodeName(dest.path()) + "/caf\xe9").constData()), 0);
}

void TestLayerExtract::devicesSkipped()
{
    const QByteArray blob
        = layerBlob({deviceItem("dev/null"), fileItem("dev/real", "x")}, LayerFilter::None);
    QTemporaryDir dest;
    auto target = directoryTarget(dest.path());
    VERIFY_OK(target);
    VERIFY_OK(
        extract(blob, {{"dev/null", "dev/null"}, {"dev/real", "dev/real"}}, target->get()).done);
    QCOMPARE((*target)->skipped(), qint64(1));
    QVERIFY(!QFileInfo::exists(dest.filePath(u"dev/null"_s)));
    QCOMPARE(readAll(dest.filePath(u"dev/real"_s)), "x");
}

void TestLayerExtract::missingFileNamed()
{
    const QByteArray blob = layerBlob(sampleLayer("big"), LayerFilter::Gzip);
    QTemporaryDir dest;
    auto target = directoryTarget(dest.path());
    VERIFY_OK(target);
    const Fed fed
        = extract(blob, {{"etc/hostname", "hostname"}, {"etc/shadow", "shadow"}}, target->get());
    QVERIFY(!fed.done);
    QCOMPARE(fed.done.error().kind, Error::Kind::NotFound);
    QVERIFY2(fed.done.error().message.contains(u"etc/shadow"_s),
             qPrintable(fed.done.error().message));
    QVERIFY(fed.done.error().message.contains(LayerName));
}

void TestLayerExtract::brokenLayerNamed_data()
{
    QTest::addColumn<QByteArray>("blob");
    const QList<LayerItem> items
        = {fileItem("a", randomBytes(200000, 1)), fileItem("wanted", randomBytes(200000, 2))};
    const QByteArray plain = layerBlob(items, LayerFilter::None);
    const QByteArray gz = layerBlob(items, LayerFilter::Gzip);
    const QByteArray zst = layerBlob(items, LayerFilter::Zstd);
    QByteArray corruptGz = gz;
    for (qsizetype i = 1000; i < 1100; ++i)
        corruptGz[i] = char(corruptGz[i] ^ 0x5a);
    QTest::newRow("plain, truncated in the file") << plain.first(300000);
    QTest::newRow("gzip, truncated") << gz.first(gz.size() * 3 / 4);
    QTest::newRow("gzip, corrupt") << corruptGz;
    QTest::newRow("zstd, truncated") << zst.first(zst.size() * 3 / 4);
    QTest::newRow("not a layer") << QByteArray(4096, 'x');
}

void TestLayerExtract::brokenLayerNamed()
{
    QFETCH(QByteArray, blob);
    QTemporaryDir dest;
    auto target = directoryTarget(dest.path());
    VERIFY_OK(target);
    const Fed fed = extract(blob, {{"wanted", "wanted"}}, target->get());
    QVERIFY(!fed.done);
    QVERIFY2(fed.done.error().message.contains(LayerName), qPrintable(fed.done.error().message));
}

void TestLayerExtract::tarTargetReadsBack()
{
    const QByteArray name("caf\xe9");
    const QByteArray blob = layerBlob({dirItem("etc"),
                                       fileItem("etc/hostname", "berth\n", 0600),
                                       hardLinkItem("etc/again", "etc/hostname"),
                                       fileItem(name, "raw"),
                                       deviceItem("dev/null")},
                                      LayerFilter::Gzip);
    QTemporaryDir dest;
    const QString tarPath = dest.filePath(u"out.tar"_s);
    auto target = tarTarget(ArchiveTarget::file(tarPath), Compression::Gzip);
    VERIFY_OK(target);
    VERIFY_OK(extract(blob,
                      {{"etc", "etc"},
                       {"etc/hostname", "etc/hostname"},
                       {"etc/again", "etc/again"},
                       {name, name},
                       {"dev/null", "dev/null"}},
                      target->get())
                  .done);
    QVERIFY(!QFile::exists(tarPath)); // written under a temporary name until finished
    VERIFY_OK((*target)->finish());
    auto reader = TarReader::openFile(tarPath);
    VERIFY_OK(reader);
    QStringList seen;
    for (;;) {
        auto next = (*reader)->next();
        VERIFY_OK(next);
        if (!*next)
            break;
        const TarEntry &e = (*reader)->entry();
        auto data = (*reader)->readBlock();
        VERIFY_OK(data);
        seen << u"%1 %2 %3 %4"_s.arg(
            QString::fromLatin1(archive_entry_pathname(e.raw)),
            e.typeName(),
            QString::number(e.mode, 8),
            QString::fromLatin1(data->toByteArray() + e.linkTarget.toUtf8()));
    }
    QCOMPARE(seen,
             (QStringList{u"etc/ directory 755 "_s,
                          u"etc/hostname regular file 600 berth\n"_s,
                          u"etc/again hard link 644 etc/hostname"_s,
                          u"caf\u00e9 regular file 644 raw"_s,
                          u"dev/null character device 666 "_s}));
}

void TestLayerExtract::streamTargetLimit()
{
    const QByteArray content = randomBytes(100000, 9);
    const QByteArray blob = layerBlob(
        {fileItem("f", content), fileItem("g", randomBytes(12 << 20, 4))}, LayerFilter::Gzip);
    for (const qint64 limit : {qint64(1000), qint64(-1)}) {
        QByteArray out;
        auto target = streamTarget(
            [&out](QByteArrayView data) {
                out.append(data);
                return Status();
            },
            limit);
        LayerFileExtractor extractor(LayerName, {{"f", "f"}}, target.get());
        const Fed fed = feed(extractor, blob);
        VERIFY_OK(fed.done);
        QVERIFY(extractor.complete());
        QCOMPARE(out, limit < 0 ? content : content.first(limit));
        QVERIFY(fed.bytes < blob.size());
    }
}

QTEST_GUILESS_MAIN(TestLayerExtract)
#include "tst_layerextract.moc"
