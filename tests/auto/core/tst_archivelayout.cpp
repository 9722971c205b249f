// The early tell of what an archive holds (core/archive/archivelayout): the probe over entry names
// (docker save's layouts, podman's, OCI, root filesystems as docker export and tar write them,
// other files), and the tar-header scanner an engine load feeds its upload through, over archives
// the system's tar writes in every format (gnu, ustar, pax, v7) with long names, fed in pieces of
// every size. No services.

#include "archive/archivelayout.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Berth::ArchiveLayout)

namespace {

const QString ImageId = u"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"_s;

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return QDir().mkpath(QFileInfo(path).absolutePath()) && file.open(QIODevice::WriteOnly)
           && file.write(data) == data.size();
}

} // namespace

class tst_ArchiveLayout final : public QObject
{
    Q_OBJECT

private slots:
    void probe_data();
    void probe();
    void scanner_data();
    void scanner();
    void scannerStopsOnSomethingElse();
    void error();
};

void tst_ArchiveLayout::probe_data()
{
    QTest::addColumn<QStringList>("entries");
    QTest::addColumn<bool>("ended"); // the whole archive was seen
    QTest::addColumn<ArchiveLayout>("expected");
    using L = ArchiveLayout;
    const auto row = [](const char *name, QStringList entries, bool ended, L expected) {
        QTest::newRow(name) << entries << ended << expected;
    };
    row("docker 25", {u"blobs/"_s, u"blobs/sha256/"_s, u"index.json"_s}, false, L::ImageArchive);
    row("docker legacy", {ImageId + u"/"_s, ImageId + u"/layer.tar"_s}, false, L::ImageArchive);
    row("podman layer first", {ImageId + u".tar"_s}, false, L::ImageArchive);
    row("manifest first", {u"manifest.json"_s}, false, L::ImageArchive);
    row("oci layout", {u"oci-layout"_s}, false, L::ImageArchive);
    row("repositories", {u"./repositories"_s}, false, L::ImageArchive);
    row("docker export",
        {u".dockerenv"_s, u"bin/"_s, u"bin/sh"_s, u"dev/"_s},
        false,
        L::Filesystem);
    row("tar of a root, dot slash", {u"./"_s, u"./etc/"_s, u"./usr/"_s}, false, L::Filesystem);
    row("absolute names", {u"/etc/passwd"_s, u"/usr/bin/env"_s}, false, L::Filesystem);
    row("one root name, more to come", {u"etc/"_s, u"etc/hostname"_s}, false, L::Undecided);
    row("one root name, at the end", {u"etc/"_s, u"etc/hostname"_s}, true, L::Filesystem);
    row("root names after a manifest",
        {u"manifest.json"_s, u"etc/"_s, u"usr/"_s},
        false,
        L::ImageArchive);
    row("hand-made image archive", {u"l/layer.tar"_s, u"manifest.json"_s}, false, L::ImageArchive);
    row("other files", {u"readme.txt"_s, u"données/ü.bin"_s}, true, L::Unknown);
    row("many other names",
        {u"a"_s,
         u"b"_s,
         u"c"_s,
         u"d"_s,
         u"e"_s,
         u"f"_s,
         u"g"_s,
         u"h"_s,
         u"i"_s,
         u"etc/"_s,
         u"usr/"_s},
        false,
        L::Unknown);
    row("nothing", {}, true, L::Unknown);
}

void tst_ArchiveLayout::probe()
{
    QFETCH(QStringList, entries);
    QFETCH(bool, ended);
    QFETCH(ArchiveLayout, expected);
    ArchiveLayoutProbe probe;
    for (const QString &entry : entries)
        probe.see(entry);
    QCOMPARE(ended ? probe.finish() : probe.verdict(), expected);
}

void tst_ArchiveLayout::scanner_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<int>("piece");
    QTest::addColumn<ArchiveLayout>("expected");
    const QString longName = u"usr/share/"_s + QString(120, u'x') + u"/"_s + QString(90, u'y');
    const QStringList rootfs{longName, u"etc/hostname"_s, u"bin/sh"_s};
    const QStringList legacy{ImageId + u"/layer.tar"_s, u"manifest.json"_s};
    for (const char *format : {"gnu", "ustar", "pax", "v7"}) {
        for (const int piece : {1, 100, 512, 1 << 20}) {
            const QString f = QString::fromLatin1(format);
            // v7 has no room for the long name: the rest is the same.
            const QStringList files = f == u"v7" ? rootfs.mid(1) : rootfs;
            QTest::addRow("%s rootfs, pieces of %d", format, piece)
                << f << files << piece << ArchiveLayout::Filesystem;
            QTest::addRow("%s image archive, pieces of %d", format, piece)
                << f << legacy << piece << ArchiveLayout::ImageArchive;
        }
    }
}

void tst_ArchiveLayout::scanner()
{
    QFETCH(QString, format);
    QFETCH(QStringList, files);
    QFETCH(int, piece);
    QFETCH(ArchiveLayout, expected);
    // scripts/setup installs tar: its absence is a broken machine, not a reason to pass.
    QVERIFY2(!QStandardPaths::findExecutable(u"tar"_s).isEmpty(),
             "tar is not installed: run scripts/setup");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.filePath(u"root"_s);
    for (const QString &name : files)
        QVERIFY(writeFile(root + u'/' + name, QByteArray(700, 'z')));
    const QString archive = dir.filePath(u"a.tar"_s);
    QProcess tar;
    tar.start(u"tar"_s,
              QStringList{u"--format="_s + format, u"-cf"_s, archive, u"-C"_s, root} + files);
    QVERIFY(tar.waitForFinished(60000));
    QVERIFY2(tar.exitCode() == 0, tar.readAllStandardError().constData());
    QFile file(archive);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray data = file.readAll();

    TarLayoutScanner scanner;
    for (qsizetype at = 0; at < data.size(); at += piece)
        scanner.feed(QByteArrayView(data).sliced(at, std::min<qsizetype>(piece, data.size() - at)));
    QCOMPARE(scanner.verdict(), expected);
}

void tst_ArchiveLayout::scannerStopsOnSomethingElse()
{
    // Not a tar: the checksum does not hold, and the scanner leaves it to the load.
    TarLayoutScanner scanner;
    QByteArray garbage(4096, 'e');
    garbage.replace(0, 4, "etc/");
    QCOMPARE(scanner.feed(garbage), ArchiveLayout::Undecided);
    QCOMPARE(scanner.feed(QByteArray(1024, 'u')), ArchiveLayout::Undecided);
}

void tst_ArchiveLayout::error()
{
    const Error e = filesystemArchiveError(u"/tmp/rootfs.tar"_s);
    QCOMPARE(e.kind, Error::Kind::InvalidArgument);
    QVERIFY(isFilesystemArchiveError(e));
    QVERIFY2(e.message.contains(u"'/tmp/rootfs.tar' is a filesystem archive"),
             qPrintable(e.message));
    QVERIFY(!isFilesystemArchiveError(Error::make(Error::Kind::InvalidArgument, e.message)));
}

QTEST_GUILESS_MAIN(tst_ArchiveLayout)
#include "tst_archivelayout.moc"
