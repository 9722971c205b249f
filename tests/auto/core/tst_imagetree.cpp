#include "contents/imagetree.h"

#include "contentsspec.h"
#include "testhelpers.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <vector>

using namespace Berth;
using namespace BerthTest;

namespace {

// "entries/added/changed/deleted fileBytes/addedBytes/changedBytes/wastedBytes"
QString describeStats(const LayerStats &s)
{
    return u"%1/%2/%3/%4 %5/%6/%7/%8"_qs.arg(s.entries)
        .arg(s.added)
        .arg(s.changed)
        .arg(s.deleted)
        .arg(s.fileBytes)
        .arg(s.addedBytes)
        .arg(s.changedBytes)
        .arg(s.wastedBytes);
}

QByteArrayList describeLayers(const ImageTreeSummary &summary)
{
    QByteArrayList out;
    for (const LayerStats &s : summary.layers)
        out << describeStats(s).toUtf8();
    return out;
}

} // namespace

class tst_ImageTree : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void merge_data();
    void merge();
    void efficiency();
    void largest_data();
    void largest();
    void resolve_data();
    void resolve();
    void refusesLayerOutOfRange();
    void cancelled();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ImageTree::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_ImageTree::merge_data()
{
    QTest::addColumn<QList<LayerSpec>>("layers");
    QTest::addColumn<int>("topLayer");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addColumn<QByteArrayList>("stats");

    QTest::newRow("one layer")
        << QList<LayerSpec>{{"d etc", "f etc/passwd 10", "s etc/link passwd"}} << -1
        << QByteArrayList{"etc d 755 0 A",
                          "etc/link l 777 0 A -> passwd",
                          "etc/passwd f 644 0 A 10"}
        << QByteArrayList{"3/3/0/0 10/10/0/0"};
    QTest::newRow("whiteout of a file")
        << QList<LayerSpec>{{"d a", "f a/x 5", "f a/y 3"}, {"w a/x"}} << -1
        << QByteArrayList{"a d 755 0 A", "a/y f 644 0 A 3"}
        << QByteArrayList{"3/3/0/0 8/8/0/5", "1/0/0/1 0/0/0/0"};
    QTest::newRow("whiteout of a directory hides its subtree")
        << QList<LayerSpec>{{"d a", "d a/b", "f a/b/c 4", "f a/d 2"}, {"w a/b"}} << -1
        << QByteArrayList{"a d 755 0 A", "a/d f 644 0 A 2"}
        << QByteArrayList{"4/4/0/0 6/6/0/4", "1/0/0/2 0/0/0/0"};
    QTest::newRow("whiteout of nothing")
        << QList<LayerSpec>{{"f a 1"}, {"w b"}} << -1 << QByteArrayList{"a f 644 0 A 1"}
        << QByteArrayList{"1/1/0/0 1/1/0/0", "1/0/0/0 0/0/0/0"};
    QTest::newRow("opaque directory hides the lower children, not itself")
        << QList<LayerSpec>{{"d a", "f a/x 5", "d a/s", "f a/s/t 1"}, {"o a m=0700", "f a/y 2"}}
        << -1 << QByteArrayList{"a d 700 1 C", "a/y f 644 1 A 2"}
        << QByteArrayList{"4/4/0/0 6/6/0/6", "2/1/1/3 2/2/0/0"};
    QTest::newRow("opaque marker without a header keeps the directory below")
        << QList<LayerSpec>{{"d a m=0700", "f a/x 5"}, {"io a", "f a/y 2"}} << -1
        << QByteArrayList{"a d 700 0 A", "a/y f 644 1 A 2"}
        << QByteArrayList{"2/2/0/0 5/5/0/5", "1/1/0/1 2/2/0/0"};
    QTest::newRow("whiteout with entries below it in its own layer")
        << QList<LayerSpec>{{"d a m=0700", "f a/x 5"}, {"w a", "f a/y 2"}} << -1
        << QByteArrayList{"a d* 755 1 C", "a/y f 644 1 A 2"}
        << QByteArrayList{"2/2/0/0 5/5/0/5", "2/1/1/1 2/2/0/0"};
    QTest::newRow("opaque root") << QList<LayerSpec>{{"f a 1", "f b 2"}, {"o .", "f c 3"}} << -1
                                 << QByteArrayList{"c f 644 1 A 3"}
                                 << QByteArrayList{"2/2/0/0 3/3/0/3", "1/1/0/2 3/3/0/0"};
    QTest::newRow("file replaces a directory")
        << QList<LayerSpec>{{"d a", "f a/x 5"}, {"f a 3"}} << -1 << QByteArrayList{"a f 644 1 C 3"}
        << QByteArrayList{"2/2/0/0 5/5/0/5", "1/0/1/1 3/0/3/0"};
    QTest::newRow("directory replaces a file")
        << QList<LayerSpec>{{"f a 3"}, {"d a", "f a/x 5"}} << -1
        << QByteArrayList{"a d 755 1 C", "a/x f 644 1 A 5"}
        << QByteArrayList{"1/1/0/0 3/3/0/3", "2/1/1/0 5/5/0/0"};
    QTest::newRow("directory over a file over a directory starts afresh")
        << QList<LayerSpec>{{"d a", "f a/x 1"}, {"f a 2"}, {"d a", "f a/y 3"}} << -1
        << QByteArrayList{"a d 755 2 C", "a/y f 644 2 A 3"}
        << QByteArrayList{"2/2/0/0 1/1/0/1", "1/0/1/1 2/0/2/2", "2/1/1/0 3/3/0/0"};
    QTest::newRow("implicit parents")
        << QList<LayerSpec>{{"f usr/bin/x 4"}} << -1
        << QByteArrayList{"usr d* 755 0 A", "usr/bin d* 755 0 A", "usr/bin/x f 644 0 A 4"}
        << QByteArrayList{"1/1/0/0 4/4/0/0"};
    QTest::newRow("implicit directory never replaces a real one")
        << QList<LayerSpec>{{"d usr m=0700 u=5"}, {"f usr/y 1"}} << -1
        << QByteArrayList{"usr d 700 0 A", "usr/y f 644 1 A 1"}
        << QByteArrayList{"1/1/0/0 0/0/0/0", "1/1/0/0 1/1/0/0"};
    QTest::newRow("real directory replaces an implicit one")
        << QList<LayerSpec>{{"f usr/y 1"}, {"d usr m=0700"}} << -1
        << QByteArrayList{"usr d 700 1 C", "usr/y f 644 0 A 1"}
        << QByteArrayList{"1/1/0/0 1/1/0/0", "1/0/1/0 0/0/0/0"};
    QTest::newRow("implicit directory over a file")
        << QList<LayerSpec>{{"f a 3"}, {"f a/x 1"}} << -1
        << QByteArrayList{"a d* 755 1 C", "a/x f 644 1 A 1"}
        << QByteArrayList{"1/1/0/0 3/3/0/3", "1/1/0/0 1/1/0/0"};
    QTest::newRow("hard link keeps its target")
        << QList<LayerSpec>{{"f bin/a 7", "h bin/b bin/a"}} << -1
        << QByteArrayList{"bin d* 755 0 A", "bin/a f 644 0 A 7", "bin/b h 644 0 A -> bin/a"}
        << QByteArrayList{"2/2/0/0 7/7/0/0"};
    QTest::newRow("re-adding a deleted path")
        << QList<LayerSpec>{{"f a 3"}, {"w a"}, {"f a 4"}} << -1 << QByteArrayList{"a f 644 2 A 4"}
        << QByteArrayList{"1/1/0/0 3/3/0/3", "1/0/0/1 0/0/0/0", "1/1/0/0 4/4/0/0"};
    QTest::newRow("changed in place")
        << QList<LayerSpec>{{"f a 3"}, {"f a 5 m=0600"}} << -1 << QByteArrayList{"a f 600 1 C 5"}
        << QByteArrayList{"1/1/0/0 3/3/0/3", "1/0/1/0 5/0/5/0"};
    QTest::newRow("whiteout above hides what the layer between changed")
        << QList<LayerSpec>{{"d a", "f a/x 1"}, {"f a/x 2"}, {"w a"}} << -1 << QByteArrayList{}
        << QByteArrayList{"2/2/0/0 1/1/0/1", "1/0/1/0 2/0/2/2", "1/0/0/2 0/0/0/0"};

    const QList<LayerSpec> viewed{{"d a", "f a/x 5", "f a/y 3", "d b", "f b/z 1"},
                                  {"f a/x 6", "w a/y", "f a/n 2", "w b"},
                                  {"f c 1"}};
    const QByteArrayList viewOfLayer1{"a d 755 0 A",
                                      "a/n f 644 1 A 2",
                                      "a/x f 644 1 C 6",
                                      "a/y f 644 1 D 3",
                                      "b d 755 1 D",
                                      "b/z f 644 1 D 1"};
    const QByteArrayList statsOfLayer1{"5/5/0/0 9/9/0/9", "4/1/1/3 8/2/6/0"};
    QTest::newRow("layer view: added, changed, deleted")
        << viewed.mid(0, 2) << 1 << viewOfLayer1 << statsOfLayer1;
    QTest::newRow("layer view of a middle layer") << viewed << 1 << viewOfLayer1 << statsOfLayer1;
    QTest::newRow("layer view of the bottom layer") << viewed << 0
                                                    << QByteArrayList{"a d 755 0 A",
                                                                      "a/x f 644 0 A 5",
                                                                      "a/y f 644 0 A 3",
                                                                      "b d 755 0 A",
                                                                      "b/z f 644 0 A 1"}
                                                    << QByteArrayList{"5/5/0/0 9/9/0/0"};
    QTest::newRow("all layers: no deleted entries")
        << viewed << -1
        << QByteArrayList{"a d 755 0 A", "a/n f 644 1 A 2", "a/x f 644 1 C 6", "c f 644 2 A 1"}
        << QByteArrayList{"5/5/0/0 9/9/0/9", "4/1/1/3 8/2/6/0", "1/1/0/0 1/1/0/0"};
    QTest::newRow("layer view of an opaque directory")
        << QList<LayerSpec>{{"d a", "f a/x 1"}, {"o a", "f a/y 2"}} << 1
        << QByteArrayList{"a d 755 1 C", "a/x f 644 1 D 1", "a/y f 644 1 A 2"}
        << QByteArrayList{"2/2/0/0 1/1/0/1", "2/1/1/1 2/2/0/0"};
    QTest::newRow("layer view of a file replacing a directory")
        << QList<LayerSpec>{{"d a", "f a/x 1"}, {"f a 2"}} << 1 << QByteArrayList{"a f 644 1 C 2"}
        << QByteArrayList{"2/2/0/0 1/1/0/1", "1/0/1/1 2/0/2/0"};
    QTest::newRow("no layers") << QList<LayerSpec>{} << -1 << QByteArrayList{} << QByteArrayList{};
}

void tst_ImageTree::merge()
{
    QFETCH(QList<LayerSpec>, layers);
    QFETCH(int, topLayer);
    QFETCH(QByteArrayList, expected);
    QFETCH(QByteArrayList, stats);

    const Layers built(m_dir->path(), layers);
    const QString output = m_dir->filePath(u"tree.idx"_qs);
    TreeOptions options;
    options.topLayer = topLayer;
    auto summary = mergeLayers(built.pointers(), output, options);
    VERIFY_OK(summary);
    auto tree = IndexFile::open(output);
    VERIFY_OK(tree);
    QCOMPARE(describeTree(*tree), expected);
    QCOMPARE(describeLayers(*summary), stats);

    // The summary comes back from the tree's meta as it was returned.
    const ImageTreeSummary stored = treeSummary(*tree);
    QCOMPARE(describeLayers(stored), stats);
    QCOMPARE(stored.entries, summary->entries);
    QCOMPARE(stored.visibleBytes, summary->visibleBytes);
    QCOMPARE(stored.totalBytes, summary->totalBytes);
    QCOMPARE(stored.wastedBytes, summary->wastedBytes);

    // The image's totals are the layers' sums; visible paths are those not deleted.
    qint64 fileBytes = 0;
    qint64 wasted = 0;
    for (const LayerStats &s : summary->layers) {
        fileBytes += s.fileBytes;
        wasted += s.wastedBytes;
    }
    QCOMPARE(summary->totalBytes, fileBytes);
    QCOMPARE(summary->wastedBytes, wasted);
    QCOMPARE(summary->visibleBytes + summary->wastedBytes, summary->totalBytes);
    const qint64 shown = std::count_if(expected.cbegin(),
                                       expected.cend(),
                                       [](const QByteArray &row) { return !row.contains(" D"); });
    QCOMPARE(summary->entries, shown);
}

void tst_ImageTree::efficiency()
{
    const Layers built(m_dir->path(), {{"f a 30", "f b 10"}, {"f a 20"}, {"w b"}});
    auto summary = mergeLayers(built.pointers(), m_dir->filePath(u"tree.idx"_qs));
    VERIFY_OK(summary);
    QCOMPARE(summary->totalBytes, 60);
    QCOMPARE(summary->visibleBytes, 20);
    QCOMPARE(summary->wastedBytes, 40);
    QCOMPARE(summary->efficiency(), 20.0 / 60.0);
    QCOMPARE(summary->layers.at(0).wastedBytes, 40);

    const Layers directories(m_dir->filePath(u"empty"_qs), {{"d a", "s a/l x"}});
    auto none = mergeLayers(directories.pointers(), m_dir->filePath(u"none.idx"_qs));
    VERIFY_OK(none);
    QCOMPARE(none->totalBytes, 0);
    QCOMPARE(none->efficiency(), 1.0);
}

void tst_ImageTree::largest_data()
{
    QTest::addColumn<QList<LayerSpec>>("layers");
    QTest::addColumn<int>("topLayer");
    QTest::addColumn<int>("count");
    QTest::addColumn<QByteArrayList>("expected"); // "path size layer"

    const QList<LayerSpec> image{{"f a 50", "f b 10", "f c 40", "d d", "f d/e 30", "s big a"},
                                 {"f b 70", "w c", "f d/f 30", "f d/g 5"}};
    QTest::newRow("top three") << image << -1 << 3
                               << QByteArrayList{"b 70 1", "a 50 0", "d/e 30 0"};
    QTest::newRow("ties keep tree order")
        << image << -1 << 4 << QByteArrayList{"b 70 1", "a 50 0", "d/e 30 0", "d/f 30 1"};
    QTest::newRow("more than there are")
        << image << -1 << 10
        << QByteArrayList{"b 70 1", "a 50 0", "d/e 30 0", "d/f 30 1", "d/g 5 1"};
    QTest::newRow("deleted entries of a layer view are not files")
        << image << 1 << 2 << QByteArrayList{"b 70 1", "a 50 0"};
    QTest::newRow("none asked") << image << -1 << 0 << QByteArrayList{};
}

void tst_ImageTree::largest()
{
    QFETCH(QList<LayerSpec>, layers);
    QFETCH(int, topLayer);
    QFETCH(int, count);
    QFETCH(QByteArrayList, expected);

    const Layers built(m_dir->path(), layers);
    TreeOptions options;
    options.topLayer = topLayer;
    VERIFY_OK(mergeLayers(built.pointers(), m_dir->filePath(u"tree.idx"_qs), options));
    auto tree = IndexFile::open(m_dir->filePath(u"tree.idx"_qs));
    VERIFY_OK(tree);
    QByteArrayList got;
    for (const LargestFile &f : largestFiles(*tree, count))
        got << u"%1 %2 %3"_qs.arg(displayPath(f.path)).arg(f.size).arg(f.layer).toUtf8();
    QCOMPARE(got, expected);
}

void tst_ImageTree::resolve_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("followLast");
    QTest::addColumn<QByteArray>("expected"); // the record's path ("" the root)
    QTest::addColumn<QString>("error");       // what the message names, when it fails

    QTest::newRow("plain") << QByteArray("etc/passwd") << true << QByteArray("etc/passwd")
                           << QString();
    QTest::newRow("absolute, dots")
        << QByteArray("/etc/./passwd/") << true << QByteArray("etc/passwd") << QString();
    QTest::newRow("relative link")
        << QByteArray("etc/alias") << true << QByteArray("etc/passwd") << QString();
    QTest::newRow("last link not followed")
        << QByteArray("etc/alias") << false << QByteArray("etc/alias") << QString();
    QTest::newRow("absolute link")
        << QByteArray("etc/abs") << true << QByteArray("etc/passwd") << QString();
    QTest::newRow("link with ..") << QByteArray("etc/up") << true << QByteArray("etc/passwd")
                                  << QString();
    QTest::newRow("link escaping the root stays inside")
        << QByteArray("etc/escape") << true << QByteArray("etc/passwd") << QString();
    QTest::newRow(".. above the root stays inside")
        << QByteArray("../../etc/passwd") << true << QByteArray("etc/passwd") << QString();
    QTest::newRow("link in the middle is always followed")
        << QByteArray("etc/dirlink/libc.so") << false << QByteArray("usr/lib/libc.so") << QString();
    QTest::newRow("chain") << QByteArray("chain1") << true << QByteArray("etc/passwd") << QString();
    QTest::newRow("root") << QByteArray("/") << true << QByteArray() << QString();
    QTest::newRow("link to the root")
        << QByteArray("rootlink/etc") << true << QByteArray("etc") << QString();
    QTest::newRow("loop") << QByteArray("loop1") << true << QByteArray()
                          << u"symbolic links in 'loop1'"_qs;
    QTest::newRow("loop not followed")
        << QByteArray("loop1") << false << QByteArray("loop1") << QString();
    QTest::newRow("dangling") << QByteArray("dangling") << true << QByteArray()
                              << u"no 'nowhere' (looking for 'dangling')"_qs;
    QTest::newRow("missing") << QByteArray("missing/x") << true << QByteArray()
                             << u"no 'missing'"_qs;
    QTest::newRow("through a file")
        << QByteArray("file/x") << true << QByteArray() << u"'file' is not a folder"_qs;
    QTest::newRow("not UTF-8, escaped")
        << QByteArray("caf\xe9") << true << QByteArray() << u"no 'caf\\xe9'"_qs;
    QTest::newRow("empty link") << QByteArray("empty") << true << QByteArray()
                                << u"'empty' points nowhere"_qs;
}

void tst_ImageTree::resolve()
{
    QFETCH(QByteArray, path);
    QFETCH(bool, followLast);
    QFETCH(QByteArray, expected);
    QFETCH(QString, error);

    const Layers built(m_dir->path(),
                       {{"d etc",
                         "f etc/passwd 5",
                         "s etc/alias passwd",
                         "s etc/abs /etc/passwd",
                         "s etc/up ../etc/passwd",
                         "s etc/escape ../../../../etc/passwd",
                         "s etc/dirlink /usr/lib",
                         "f usr/lib/libc.so 9",
                         "s loop1 loop2",
                         "s chain1 chain2",
                         "f file 1",
                         "s dangling nowhere",
                         "s rootlink ../.."},
                        {"s loop2 ./loop1", "s chain2 etc/alias", "s empty"}});
    VERIFY_OK(mergeLayers(built.pointers(), m_dir->filePath(u"tree.idx"_qs)));
    auto tree = IndexFile::open(m_dir->filePath(u"tree.idx"_qs));
    VERIFY_OK(tree);
    auto found = resolvePath(*tree, path, followLast);
    if (!error.isEmpty()) {
        QVERIFY(!found);
        QVERIFY2(found.error().message.contains(error), qPrintable(found.error().message));
        return;
    }
    VERIFY_OK(found);
    if (expected.isEmpty())
        QCOMPARE(*found, -1);
    else
        QCOMPARE(tree->path(*found).toByteArray(), expected);
}

void tst_ImageTree::refusesLayerOutOfRange()
{
    const Layers built(m_dir->path(), {{"f a 1"}});
    TreeOptions options;
    options.topLayer = 1;
    auto summary = mergeLayers(built.pointers(), m_dir->filePath(u"tree.idx"_qs), options);
    QVERIFY(!summary);
    QCOMPARE(summary.error().kind, Error::Kind::InvalidArgument);
    QVERIFY2(summary.error().message.contains(u"no layer 1"), qPrintable(summary.error().message));
}

void tst_ImageTree::cancelled()
{
    LayerSpec many;
    for (int i = 0; i < 10000; ++i)
        many << u"f dir%1/file%2 %3"_qs.arg(i % 50).arg(i).arg(i).toUtf8();
    const Layers built(m_dir->path(), {many, {"w dir3"}});
    TreeOptions options;
    options.cancel.cancel();
    const QString output = m_dir->filePath(u"tree.idx"_qs);
    auto summary = mergeLayers(built.pointers(), output, options);
    QVERIFY(!summary);
    QVERIFY(summary.error().isCancelled());
    QVERIFY(!QFileInfo::exists(output));
    // Nothing left behind but the layers' own indexes.
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files).size(), 2);
}

QTEST_GUILESS_MAIN(tst_ImageTree)
#include "tst_imagetree.moc"
