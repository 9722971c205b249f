#include "contents/imagetree.h"
#include "contents/treediff.h"

#include "contentsspec.h"
#include "testhelpers.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;

namespace {

// "KIND path type oldSize newSize [content]"
QByteArray describeChange(const FileChange &c)
{
    return u"%1 %2 %3 %4 %5%6"_qs.arg(c.kindLetter(), displayPath(c.path), typeLetter(c.type))
        .arg(c.oldSize)
        .arg(c.newSize)
        .arg(c.contentChanged ? u" content"_qs : QString())
        .toUtf8();
}

// "added/changed/deleted addedBytes/changedBytes/deletedBytes"
QByteArray describeSummary(const DiffSummary &s)
{
    return u"%1/%2/%3 %4/%5/%6"_qs.arg(s.added)
        .arg(s.changed)
        .arg(s.deleted)
        .arg(s.addedBytes)
        .arg(s.changedBytes)
        .arg(s.deletedBytes)
        .toUtf8();
}

} // namespace

class tst_TreeDiff : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void diff_data();
    void diff();
    void diffTree();
    void layerViewsDeletedEntriesAreNotThere();
    void cancelled();

private:
    // Two one-layer images merged into trees: from is tree 0, to is tree 1.
    std::vector<IndexFile> trees(const LayerSpec &from, const LayerSpec &to);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_TreeDiff::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::vector<IndexFile> tst_TreeDiff::trees(const LayerSpec &from, const LayerSpec &to)
{
    std::vector<IndexFile> out;
    for (const auto &[name, spec] : {std::pair{"from", from}, std::pair{"to", to}}) {
        const QString dir = m_dir->filePath(QString::fromLatin1(name));
        const Layers layers(dir, {spec});
        const QString path = dir + u"/tree.idx"_qs;
        if (!mergeLayers(layers.pointers(), path))
            qFatal("cannot merge %s", name);
        auto tree = IndexFile::open(path);
        if (!tree)
            qFatal("cannot open %s", qPrintable(path));
        out.push_back(std::move(*tree));
    }
    return out;
}

void tst_TreeDiff::diff_data()
{
    QTest::addColumn<LayerSpec>("from");
    QTest::addColumn<LayerSpec>("to");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addColumn<QByteArray>("summary");

    const LayerSpec base{"d etc", "f etc/passwd 5 c=1", "d usr", "f usr/a 3"};
    QTest::newRow("identical") << base << base << QByteArrayList{} << QByteArray("0/0/0 0/0/0");
    QTest::newRow("times are ignored")
        << LayerSpec{"d a t=1", "f a/x 5 t=1"} << LayerSpec{"d a t=2", "f a/x 5 t=9"}
        << QByteArrayList{} << QByteArray("0/0/0 0/0/0");
    QTest::newRow("added file") << LayerSpec{"d a"} << LayerSpec{"d a", "f a/x 5"}
                                << QByteArrayList{"A a/x f -1 5"} << QByteArray("1/0/0 5/0/0");
    QTest::newRow("added folder with its files")
        << LayerSpec{"f z 1"} << LayerSpec{"f z 1", "d a", "f a/x 5", "s a/l x"}
        << QByteArrayList{"A a d -1 0", "A a/l l -1 0", "A a/x f -1 5"}
        << QByteArray("3/0/0 5/0/0");
    QTest::newRow("size") << LayerSpec{"f a 5"} << LayerSpec{"f a 6"} << QByteArrayList{"C a f 5 6"}
                          << QByteArray("0/1/0 0/6/0");
    QTest::newRow("mode") << LayerSpec{"f a 5 m=0600"} << LayerSpec{"f a 5"}
                          << QByteArrayList{"C a f 5 5"} << QByteArray("0/1/0 0/5/0");
    QTest::newRow("owner") << LayerSpec{"f a 5"} << LayerSpec{"f a 5 u=1000"}
                           << QByteArrayList{"C a f 5 5"} << QByteArray("0/1/0 0/5/0");
    QTest::newRow("content digest")
        << LayerSpec{"f a 5 c=1"} << LayerSpec{"f a 5 c=2"} << QByteArrayList{"C a f 5 5 content"}
        << QByteArray("0/1/0 0/5/0");
    QTest::newRow("content digest known on one side only")
        << LayerSpec{"f a 5 c=1"} << LayerSpec{"f a 5"} << QByteArrayList{}
        << QByteArray("0/0/0 0/0/0");
    QTest::newRow("same digest, size decides")
        << LayerSpec{"f a 5 c=1"} << LayerSpec{"f a 7 c=1"} << QByteArrayList{"C a f 5 7"}
        << QByteArray("0/1/0 0/7/0");
    QTest::newRow("type") << LayerSpec{"f a 5"} << LayerSpec{"s a x"} << QByteArrayList{"C a l 5 0"}
                          << QByteArray("0/1/0 0/0/0");
    QTest::newRow("symlink target") << LayerSpec{"s a x"} << LayerSpec{"s a y"}
                                    << QByteArrayList{"C a l 0 0"} << QByteArray("0/1/0 0/0/0");
    QTest::newRow("hard link target")
        << LayerSpec{"f a 1", "f b 1", "h c a"} << LayerSpec{"f a 1", "f b 1", "h c b"}
        << QByteArrayList{"C c h 0 0"} << QByteArray("0/1/0 0/0/0");
    QTest::newRow("deleted file") << LayerSpec{"f a 5", "f b 1"} << LayerSpec{"f b 1"}
                                  << QByteArrayList{"D a f 5 -1"} << QByteArray("0/0/1 0/0/5");
    QTest::newRow("deleted subtree, path by path")
        << LayerSpec{"d a", "f a/x 1", "d a/b", "f a/b/c 2", "f z 1"} << LayerSpec{"f z 1"}
        << QByteArrayList{"D a d 0 -1", "D a/b d 0 -1", "D a/b/c f 2 -1", "D a/x f 1 -1"}
        << QByteArray("0/0/4 0/0/3");
    QTest::newRow("unchanged folder, changed child")
        << LayerSpec{"d a", "f a/x 1", "f a/y 1"} << LayerSpec{"d a", "f a/x 2", "f a/y 1"}
        << QByteArrayList{"C a/x f 1 2"} << QByteArray("0/1/0 0/2/0");
    QTest::newRow("folder's own mode")
        << LayerSpec{"d a m=0700", "f a/x 1"} << LayerSpec{"d a", "f a/x 1"}
        << QByteArrayList{"C a d 0 0"} << QByteArray("0/1/0 0/0/0");
    QTest::newRow("folder replaced by a file")
        << LayerSpec{"d a", "f a/x 1"} << LayerSpec{"f a 4"}
        << QByteArrayList{"C a f 0 4", "D a/x f 1 -1"} << QByteArray("0/1/1 0/4/1");
    QTest::newRow("all three") << base << LayerSpec{"d etc", "f etc/passwd 6 c=2", "f etc/new 2"}
                               << QByteArrayList{"A etc/new f -1 2",
                                                 "C etc/passwd f 5 6 content",
                                                 "D usr d 0 -1",
                                                 "D usr/a f 3 -1"}
                               << QByteArray("1/1/2 2/6/3");
    QTest::newRow("from nothing") << LayerSpec{} << LayerSpec{"f a 1"}
                                  << QByteArrayList{"A a f -1 1"} << QByteArray("1/0/0 1/0/0");
}

void tst_TreeDiff::diff()
{
    QFETCH(LayerSpec, from);
    QFETCH(LayerSpec, to);
    QFETCH(QByteArrayList, expected);
    QFETCH(QByteArray, summary);

    const std::vector<IndexFile> t = trees(from, to);
    QByteArrayList got;
    DiffSummary sums;
    auto result = diffTrees(t[0], t[1], [&](const FileChange &c) {
        got << describeChange(c);
        const qint64 bytes = c.type == ContentsEntry::Type::File ? c.newSize : 0;
        if (c.kind == ContentsEntry::Change::Added) {
            ++sums.added;
            sums.addedBytes += bytes;
        } else if (c.kind == ContentsEntry::Change::Changed) {
            ++sums.changed;
            sums.changedBytes += bytes;
        } else {
            ++sums.deleted;
            sums.deletedBytes += c.type == ContentsEntry::Type::File ? c.oldSize : 0;
        }
    });
    VERIFY_OK(result);
    QCOMPARE(got, expected);
    QCOMPARE(describeSummary(*result), summary);
    // The summary is the sum of the changes reported.
    QCOMPARE(describeSummary(sums), summary);

    // The diff as a tree: the same changes, the same summary.
    const QString output = m_dir->filePath(u"diff.idx"_qs);
    auto written = writeDiffTree(t[0], t[1], output);
    VERIFY_OK(written);
    QCOMPARE(describeSummary(*written), summary);
    auto tree = IndexFile::open(output);
    VERIFY_OK(tree);
    qint64 changes = 0;
    for (qint64 i = 0; i < tree->count(); ++i)
        changes += tree->record(i).change != quint8(ContentsEntry::Change::None);
    QCOMPARE(changes, expected.size());
}

void tst_TreeDiff::diffTree()
{
    const LayerSpec from{"d usr m=0750",
                         "d usr/lib",
                         "f usr/lib/a 1",
                         "f usr/lib/b 2",
                         "d etc",
                         "f etc/x 1",
                         "d gone",
                         "f gone/y 3"};
    const LayerSpec to{"d usr m=0750",
                       "d usr/lib",
                       "f usr/lib/a 1",
                       "f usr/lib/b 5",
                       "d etc",
                       "f etc/x 1",
                       "f new 4"};
    const std::vector<IndexFile> t = trees(from, to);
    const QString output = m_dir->filePath(u"diff.idx"_qs);
    VERIFY_OK(writeDiffTree(t[0], t[1], output));
    auto tree = IndexFile::open(output);
    VERIFY_OK(tree);
    // Unchanged folders appear only around a change, with their own metadata and no change.
    QCOMPARE(describeTree(*tree),
             (QByteArrayList{"gone d 755 0 D",
                             "gone/y f 644 0 D 3",
                             "new f 644 0 A 4",
                             "usr d 750 0 -",
                             "usr/lib d 755 0 -",
                             "usr/lib/b f 644 0 C 5"}));
    QCOMPARE(tree->meta().value(u"diff"_qs).toObject().value(u"changedBytes"_qs).toInt(), 5);
}

void tst_TreeDiff::layerViewsDeletedEntriesAreNotThere()
{
    // Layer 1's view marks a/y deleted: compared with itself, nothing differs.
    const Layers layers(m_dir->path(), {{"d a", "f a/x 1", "f a/y 2"}, {"w a/y"}});
    TreeOptions options;
    options.topLayer = 1;
    VERIFY_OK(mergeLayers(layers.pointers(), m_dir->filePath(u"view.idx"_qs), options));
    VERIFY_OK(mergeLayers(layers.pointers(), m_dir->filePath(u"all.idx"_qs)));
    auto view = IndexFile::open(m_dir->filePath(u"view.idx"_qs));
    auto all = IndexFile::open(m_dir->filePath(u"all.idx"_qs));
    VERIFY_OK(view);
    VERIFY_OK(all);
    QVERIFY(view->count() > all->count());
    QByteArrayList got;
    VERIFY_OK(diffTrees(*view, *all, [&](const FileChange &c) { got << describeChange(c); }));
    QCOMPARE(got, QByteArrayList{});
    auto layer0 = mergeLayers(layers.pointers().mid(0, 1), m_dir->filePath(u"l0.idx"_qs));
    VERIFY_OK(layer0);
    auto bottom = IndexFile::open(m_dir->filePath(u"l0.idx"_qs));
    VERIFY_OK(bottom);
    VERIFY_OK(diffTrees(*bottom, *view, [&](const FileChange &c) { got << describeChange(c); }));
    QCOMPARE(got, QByteArrayList{"D a/y f 2 -1"});
}

void tst_TreeDiff::cancelled()
{
    LayerSpec many;
    for (int i = 0; i < 5000; ++i)
        many << u"f d%1/f%2 %3"_qs.arg(i % 20).arg(i).arg(i).toUtf8();
    const std::vector<IndexFile> t = trees(many, {"f other 1"});
    CancelToken cancel;
    cancel.cancel();
    int seen = 0;
    auto result = diffTrees(
        t[0], t[1], [&](const FileChange &) { ++seen; }, cancel);
    QVERIFY(!result);
    QVERIFY(result.error().isCancelled());
    QCOMPARE(seen, 0);
    const QString output = m_dir->filePath(u"diff.idx"_qs);
    auto written = writeDiffTree(t[0], t[1], output, cancel);
    QVERIFY(!written);
    QVERIFY(written.error().isCancelled());
    QVERIFY(!QFileInfo::exists(output));
}

QTEST_GUILESS_MAIN(tst_TreeDiff)
#include "tst_treediff.moc"
