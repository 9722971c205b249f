#include "contents/indexfile.h"

#include "testhelpers.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Berth;

namespace {

ContentsEntry file(const char *path, qint64 size = 1)
{
    ContentsEntry e;
    e.path = path;
    e.size = size;
    e.mode = 0644;
    return e;
}

ContentsEntry dir(const char *path)
{
    ContentsEntry e;
    e.path = path;
    e.type = ContentsEntry::Type::Directory;
    e.mode = 0755;
    return e;
}

QStringList paths(const IndexFile &index)
{
    QStringList out;
    for (qint64 i = 0; i < index.count(); ++i)
        out << displayPath(index.path(i))
                   + (index.record(i).flags & IndexRecord::Implicit ? u"*"_qs : QString());
    return out;
}

} // namespace

class tst_IndexFile : public QObject
{
    Q_OBJECT

private slots:
    void treeOrder_data();
    void treeOrder();
    void sortedWithImplicitParents_data();
    void sortedWithImplicitParents();
    void childrenAndFind();
    void lastEntryWins();
    void spilledRunsMerge();
    void subtreeEndsAcrossFlushes();
    void damagedFilesRefused_data();
    void damagedFilesRefused();
    void displayPathEscapes_data();
    void displayPathEscapes();
    void modeStrings_data();
    void modeStrings();
};

void tst_IndexFile::treeOrder_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<int>("expected");
    QTest::newRow("parent first") << QByteArray("a/b") << QByteArray("a/b/c") << -1;
    QTest::newRow("subtree before sibling with dash")
        << QByteArray("a/b/c") << QByteArray("a/b-c") << -1;
    QTest::newRow("dash before letter") << QByteArray("a/b-c") << QByteArray("a/bc") << -1;
    QTest::newRow("equal") << QByteArray("x") << QByteArray("x") << 0;
    QTest::newRow("high bytes after ascii") << QByteArray("\xff") << QByteArray("z") << 1;
}

void tst_IndexFile::treeOrder()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(int, expected);
    QCOMPARE(compareTreeOrder(a, b), expected);
    QCOMPARE(compareTreeOrder(b, a), -expected);
}

void tst_IndexFile::sortedWithImplicitParents_data()
{
    QTest::addColumn<QByteArrayList>("input");
    QTest::addColumn<QByteArrayList>("expected"); // '*' marks an implicit directory
    QTest::addColumn<bool>("presorted");
    QTest::newRow("any order") << QByteArrayList{"usr/bin/env", "etc", "usr/bin", "a-b"}
                               << QByteArrayList{"a-b", "etc", "usr*", "usr/bin", "usr/bin/env"}
                               << false;
    QTest::newRow("deep implicit")
        << QByteArrayList{"x/y/z/f"} << QByteArrayList{"x*", "x/y*", "x/y/z*", "x/y/z/f"} << false;
    QTest::newRow("presorted") << QByteArrayList{"a", "a/b/c", "a/d", "b/e"}
                               << QByteArrayList{"a", "a/b*", "a/b/c", "a/d", "b*", "b/e"} << true;
    QTest::newRow("empty") << QByteArrayList{} << QByteArrayList{} << false;
}

void tst_IndexFile::sortedWithImplicitParents()
{
    QFETCH(QByteArrayList, input);
    QFETCH(QByteArrayList, expected);
    QFETCH(bool, presorted);
    QTemporaryDir tmp;
    const QString path = tmp.filePath(u"i.idx"_qs);
    auto writer = IndexWriter::create(
        path, presorted ? IndexWriter::Order::Presorted : IndexWriter::Order::Any);
    VERIFY_OK(writer);
    for (const QByteArray &p : input)
        VERIFY_OK((*writer)->add(p == "a" || p == "etc" || p == "usr/bin" ? dir(p.constData())
                                                                          : file(p.constData())));
    VERIFY_OK((*writer)->finish(QJsonObject{{u"layer"_qs, u"x"_qs}}));
    auto index = IndexFile::open(path);
    VERIFY_OK(index);
    QStringList expectedPaths;
    for (const QByteArray &p : expected)
        expectedPaths << QString::fromUtf8(p);
    QCOMPARE(paths(*index), expectedPaths);
    QCOMPARE(index->meta().value(u"layer"_qs).toString(), u"x"_qs);
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList{u"i.idx"_qs}); // no leftovers
}

void tst_IndexFile::childrenAndFind()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(u"i.idx"_qs);
    auto writer = IndexWriter::create(path, IndexWriter::Order::Any);
    VERIFY_OK(writer);
    for (const char *p :
         {"bin/sh", "bin/ls", "etc/passwd", "etc/ssl/certs/ca.pem", "etc/ssl/x", "root"})
        VERIFY_OK((*writer)->add(file(p, 7)));
    VERIFY_OK((*writer)->finish({}));
    auto index = IndexFile::open(path);
    VERIFY_OK(index);
    QStringList top;
    for (qint64 i : index->children(-1))
        top << QString::fromUtf8(index->path(i));
    QCOMPARE(top, (QStringList{u"bin"_qs, u"etc"_qs, u"root"_qs}));
    const qint64 etc = index->find("etc");
    QVERIFY(etc >= 0);
    QStringList inEtc;
    for (qint64 i : index->children(etc))
        inEtc << QString::fromUtf8(index->path(i));
    QCOMPARE(inEtc, (QStringList{u"etc/passwd"_qs, u"etc/ssl"_qs}));
    QCOMPARE(index->find("etc/ssl/certs/ca.pem") >= 0, true);
    QCOMPARE(index->find("etc/nothing"), -1);
    QCOMPARE(index->entry(index->find("root")).size, 7);
}

void tst_IndexFile::lastEntryWins()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(u"i.idx"_qs);
    auto writer = IndexWriter::create(path, IndexWriter::Order::Any);
    VERIFY_OK(writer);
    VERIFY_OK((*writer)->add(file("f", 1)));
    VERIFY_OK((*writer)->add(file("d/g", 1)));
    VERIFY_OK((*writer)->add(file("f", 2)));
    ContentsEntry d = dir("d");
    d.mode = 0700;
    VERIFY_OK((*writer)->add(d)); // after its child: the real header replaces the implied one
    VERIFY_OK((*writer)->finish({}));
    auto index = IndexFile::open(path);
    VERIFY_OK(index);
    QCOMPARE(paths(*index), (QStringList{u"d"_qs, u"d/g"_qs, u"f"_qs}));
    QCOMPARE(index->entry(index->find("f")).size, 2);
    QCOMPARE(index->entry(index->find("d")).mode, 0700u);
}

void tst_IndexFile::spilledRunsMerge()
{
    // More entries than one in-memory run holds: the runs go to disk and merge; the later
    // duplicate still wins and no temporary file stays.
    QTemporaryDir tmp;
    const QString path = tmp.filePath(u"big.idx"_qs);
    auto writer = IndexWriter::create(path, IndexWriter::Order::Any, 1000);
    VERIFY_OK(writer);
    constexpr int Count = 6500;
    for (int i = Count - 1; i >= 0; --i) {
        const QByteArray p = "d" + QByteArray::number(i % 100) + "/f" + QByteArray::number(i);
        VERIFY_OK((*writer)->add(file(p.constData(), i)));
    }
    VERIFY_OK((*writer)->add(file("d7/f7", 42)));
    VERIFY_OK((*writer)->finish({}));
    auto index = IndexFile::open(path);
    VERIFY_OK(index);
    QCOMPARE(index->count(), Count + 100);
    for (qint64 i = 1; i < index->count(); ++i)
        QVERIFY(compareTreeOrder(index->path(i - 1), index->path(i)) < 0);
    QCOMPARE(index->entry(index->find("d7/f7")).size, 42);
    QCOMPARE(index->children(-1).size(), size_t(100));
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList{u"big.idx"_qs});
}

void tst_IndexFile::subtreeEndsAcrossFlushes()
{
    // More records than the writer buffers: the directories open across a flush get their
    // subtree ends patched in the file.
    QTemporaryDir tmp;
    const QString path = tmp.filePath(u"deep.idx"_qs);
    auto writer = IndexWriter::create(path, IndexWriter::Order::Presorted);
    VERIFY_OK(writer);
    constexpr int PerDirectory = 15000;
    for (const char *top : {"a", "b", "c"}) {
        for (int i = 0; i < PerDirectory; ++i) {
            const QByteArray p = QByteArray(top) + "/d/f" + QByteArray::number(100000 + i);
            VERIFY_OK((*writer)->add(file(p.constData())));
        }
    }
    VERIFY_OK((*writer)->finish({}));
    auto index = IndexFile::open(path);
    VERIFY_OK(index);
    QCOMPARE(index->count(), 3 * (PerDirectory + 2));
    QCOMPARE(index->children(-1).size(), size_t(3));
    for (const char *top : {"a/d", "b/d", "c/d"}) {
        const qint64 dirIndex = index->find(top);
        QVERIFY(dirIndex >= 0);
        QCOMPARE(index->children(dirIndex).size(), size_t(PerDirectory));
        QCOMPARE(index->children(index->find(parentPath(top))).size(), size_t(1));
    }
    QVERIFY(index->children(index->find("b/d/f100007")).empty());
}

void tst_IndexFile::damagedFilesRefused_data()
{
    QTest::addColumn<int>("cutAt");  // truncate to this size (-1: keep)
    QTest::addColumn<int>("flipAt"); // overwrite 8 bytes here with 0xff (-1: none)
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << 0 << -1 << u"too short"_qs;
    QTest::newRow("not an index") << -1 << 0 << u"not a contents index"_qs;
    QTest::newRow("truncated") << 100 << -1 << u"outside the file"_qs;
    QTest::newRow("count lies") << -1 << 16 << u"outside the file"_qs;
    QTest::newRow("record heap offset lies") << -1 << 64 << u"outside the file"_qs;
}

void tst_IndexFile::damagedFilesRefused()
{
    QFETCH(int, cutAt);
    QFETCH(int, flipAt);
    QFETCH(QString, expected);
    QTemporaryDir tmp;
    const QString path = tmp.filePath(u"i.idx"_qs);
    auto writer = IndexWriter::create(path, IndexWriter::Order::Any);
    VERIFY_OK(writer);
    VERIFY_OK((*writer)->add(file("a/b")));
    VERIFY_OK((*writer)->finish({}));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    if (cutAt >= 0)
        QVERIFY(f.resize(cutAt));
    if (flipAt >= 0) {
        QVERIFY(f.seek(flipAt));
        f.write(QByteArray(8, '\xff'));
    }
    f.close();
    auto index = IndexFile::open(path);
    QVERIFY(!index);
    QVERIFY2(index.error().message.contains(expected), qPrintable(index.error().message));
    QVERIFY(index.error().message.contains(path));
}

void tst_IndexFile::displayPathEscapes_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << QByteArray("usr/bin/env") << u"usr/bin/env"_qs;
    QTest::newRow("utf-8") << QByteArray("caf\xc3\xa9") << u"café"_qs;
    QTest::newRow("latin-1 byte") << QByteArray("caf\xe9") << u"caf\\xe9"_qs;
    QTest::newRow("newline") << QByteArray("a\nb") << u"a\\x0ab"_qs;
    QTest::newRow("escape sequence") << QByteArray("\x1b[2J") << u"\\x1b[2J"_qs;
    QTest::newRow("backslash") << QByteArray("a\\x41") << u"a\\\\x41"_qs;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << u"\\xc0\\xaf"_qs;
    QTest::newRow("C1 control") << QByteArray("\xc2\x9b") << u"\\xc2\\x9b"_qs;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << u"\\xed\\xa0\\x80"_qs;
}

void tst_IndexFile::displayPathEscapes()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, shown);
    QCOMPARE(displayPath(raw), shown);
}

void tst_IndexFile::modeStrings_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("dir") << int(ContentsEntry::Type::Directory) << 0755 << u"drwxr-xr-x"_qs;
    QTest::newRow("setuid") << int(ContentsEntry::Type::File) << 04755 << u"-rwsr-xr-x"_qs;
    QTest::newRow("setgid no x") << int(ContentsEntry::Type::File) << 02644 << u"-rw-r-Sr--"_qs;
    QTest::newRow("sticky") << int(ContentsEntry::Type::Directory) << 01777 << u"drwxrwxrwt"_qs;
    QTest::newRow("symlink") << int(ContentsEntry::Type::Symlink) << 0777 << u"lrwxrwxrwx"_qs;
}

void tst_IndexFile::modeStrings()
{
    QFETCH(int, type);
    QFETCH(int, mode);
    QFETCH(QString, expected);
    QCOMPARE(modeString(ContentsEntry::Type(type), quint32(mode)), expected);
}

QTEST_GUILESS_MAIN(tst_IndexFile)
#include "tst_indexfile.moc"
