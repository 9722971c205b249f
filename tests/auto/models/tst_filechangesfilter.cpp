#include "asynctest.h"
#include "common/humanize.h"
#include "contents/imagetree.h"
#include "contents/treediff.h"
#include "contentsspec.h"
#include "filechangesfilter.h"
#include "imagefilesmodel.h"
#include "tagfilescomparer.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

using KindsByPath = QMap<QByteArray, int>; // path -> ChangeKind bits

ContentsEntry entry(const QByteArray &path, ContentsEntry::Change change, bool directory = false)
{
    ContentsEntry e;
    e.path = path;
    e.change = change;
    e.type = directory ? ContentsEntry::Type::Directory : ContentsEntry::Type::File;
    e.mode = directory ? 0755 : 0644;
    return e;
}

std::shared_ptr<const IndexFile> openShared(const QString &path)
{
    auto file = IndexFile::open(path);
    return file ? std::make_shared<const IndexFile>(std::move(*file)) : nullptr;
}

// An image's contents as loadContents answers them, from layer specs: the merged tree only.
std::shared_ptr<LoadedContents>
contentsOf(const QString &dir, const QString &name, const QList<LayerSpec> &specs)
{
    const Layers layers(dir + u'/' + name, specs);
    const QString treePath = dir + u'/' + name + u".tree"_s;
    const auto summary = mergeLayers(layers.pointers(), treePath);
    if (!summary)
        return nullptr;
    auto contents = std::make_shared<LoadedContents>();
    contents->tree = openShared(treePath);
    contents->summary = *summary;
    return contents;
}

// The rows a model shows, every folder opened: "path C" for the rows with a change, in order.
void collect(QAbstractItemModel *model, const QModelIndex &parent, QStringList &rows)
{
    while (model->canFetchMore(parent))
        model->fetchMore(parent);
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        const int change = index.data(ImageFilesModel::ChangeRole).toInt();
        if (change != int(ContentsEntry::Change::None))
            rows << index.data(ImageFilesModel::DisplayPathRole).toString() + u' '
                        + changeMark(ContentsEntry::Change(change));
        collect(model, index, rows);
    }
}

} // namespace

class tst_FileChangesFilter final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    // The kinds under each folder of a diff tree written with IndexWriter.
    void subtreeKinds_data();
    void subtreeKinds();
    void subtreeKindsCancelled();
    // Over ImageFilesModel showing a real diff tree (mergeLayers, writeDiffTree).
    void filterByKind();
    void sizesAndChangeColumn();

private:
    std::shared_ptr<FilesComparison> compare(const QList<LayerSpec> &from,
                                             const QList<LayerSpec> &to);
    QTemporaryDir m_dir;
    int m_made = 0;
};

void tst_FileChangesFilter::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_dir.isValid());
}

std::shared_ptr<FilesComparison> tst_FileChangesFilter::compare(const QList<LayerSpec> &from,
                                                                const QList<LayerSpec> &to)
{
    const QString prefix = u"pair%1"_s.arg(++m_made);
    auto comparison = std::make_shared<FilesComparison>();
    comparison->from = contentsOf(m_dir.path(), prefix + u"-from"_s, from);
    comparison->to = contentsOf(m_dir.path(), prefix + u"-to"_s, to);
    if (!comparison->from || !comparison->to)
        return nullptr;
    const QString diffPath = m_dir.filePath(prefix + u".diff"_s);
    const auto summary = writeDiffTree(*comparison->from->tree, *comparison->to->tree, diffPath);
    if (!summary)
        return nullptr;
    comparison->diff.summary = *summary;
    comparison->diff.tree = openShared(diffPath);
    auto kinds = FileChangesFilter::subtreeKinds(*comparison->diff.tree);
    if (!kinds)
        return nullptr;
    comparison->subtreeKinds = std::make_shared<const std::vector<quint8>>(std::move(*kinds));
    return comparison;
}

void tst_FileChangesFilter::subtreeKinds_data()
{
    QTest::addColumn<QList<ContentsEntry>>("entries");
    QTest::addColumn<KindsByPath>("expected");

    using C = ContentsEntry::Change;
    QTest::newRow("empty") << QList<ContentsEntry>() << KindsByPath();
    QTest::newRow("one of each") << QList<ContentsEntry>{entry("a", C::None, true),
                                                         entry("a/new", C::Added),
                                                         entry("a/old", C::Deleted),
                                                         entry("b", C::None, true),
                                                         entry("b/c", C::None, true),
                                                         entry("b/c/file", C::Changed),
                                                         entry("top", C::Added)}
                                 << KindsByPath{{"a", AddedKind | DeletedKind},
                                                {"a/new", AddedKind},
                                                {"a/old", DeletedKind},
                                                {"b", ChangedKind},
                                                {"b/c", ChangedKind},
                                                {"b/c/file", ChangedKind},
                                                {"top", AddedKind}};
    // A folder changed itself (its mode) and holds an added file; a sibling whose name sorts
    // between a folder and its children ("d-x" against "d/…") stays out of the folder's kinds.
    QTest::newRow("folder and sibling")
        << QList<ContentsEntry>{entry("d", C::Changed, true),
                                entry("d/x", C::Added),
                                entry("d-x", C::Deleted)}
        << KindsByPath{{"d", ChangedKind | AddedKind}, {"d/x", AddedKind}, {"d-x", DeletedKind}};
    // Implicit parents made by the writer, deep, and a name that is not UTF-8.
    QTest::newRow("implicit and hostile")
        << QList<ContentsEntry>{entry("x/y/z/\xff\xfe", C::Deleted), entry("x/y/w", C::None)}
        << KindsByPath{{"x", DeletedKind},
                       {"x/y", DeletedKind},
                       {"x/y/z", DeletedKind},
                       {"x/y/z/\xff\xfe", DeletedKind},
                       {"x/y/w", 0}};
}

void tst_FileChangesFilter::subtreeKinds()
{
    QFETCH(QList<ContentsEntry>, entries);
    QFETCH(KindsByPath, expected);
    const QString path = m_dir.filePath(u"kinds%1.idx"_s.arg(++m_made));
    auto writer = IndexWriter::create(path, IndexWriter::Order::Any);
    QVERIFY2(writer, why(writer));
    for (const ContentsEntry &e : std::as_const(entries))
        QVERIFY((*writer)->add(e).has_value());
    QVERIFY((*writer)->finish({}).has_value());
    const auto tree = IndexFile::open(path);
    QVERIFY2(tree, why(tree));
    const auto kinds = FileChangesFilter::subtreeKinds(*tree);
    QVERIFY2(kinds, why(kinds));
    QCOMPARE(qint64(kinds->size()), tree->count());
    QCOMPARE(tree->count(), qint64(expected.size()));
    for (qint64 i = 0; i < tree->count(); ++i) {
        const QByteArray name = tree->path(i).toByteArray();
        QVERIFY2(expected.contains(name), name.constData());
        QCOMPARE(int(kinds->at(size_t(i))), expected.value(name));
    }
}

void tst_FileChangesFilter::subtreeKindsCancelled()
{
    const QString path = m_dir.filePath(u"cancelled.idx"_s);
    auto writer = IndexWriter::create(path, IndexWriter::Order::Any);
    QVERIFY2(writer, why(writer));
    QVERIFY((*writer)->add(entry("a", ContentsEntry::Change::Added)).has_value());
    QVERIFY((*writer)->finish({}).has_value());
    const auto tree = IndexFile::open(path);
    QVERIFY2(tree, why(tree));
    CancelToken cancel;
    cancel.cancel();
    const auto kinds = FileChangesFilter::subtreeKinds(*tree, cancel);
    QVERIFY(!kinds);
    QVERIFY(kinds.error().isCancelled());
}

void tst_FileChangesFilter::filterByKind()
{
    const auto comparison
        = compare({{"f etc/os-release 20", "f usr/lib/old.so 1000", "f usr/lib/keep.so 500"},
                   {"f app/main.js 100", "f app/config.json 3"}},
                  {{"f etc/os-release 20", "f usr/lib/old.so 1000", "f usr/lib/keep.so 500"},
                   {"f app/main.js 250", "f app/config.json 3", "f app/lib/util.js 400"},
                   {"w usr/lib/old.so"}});
    QVERIFY(comparison);
    ImageFilesModel files;
    files.setTree(comparison->diff.tree);
    FileChangesFilter filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
    filter.setComparison(comparison);
    filter.setSourceModel(&files);

    QStringList rows;
    collect(&filter, {}, rows);
    QCOMPARE(
        rows,
        (QStringList{
            u"app/lib A"_s, u"app/lib/util.js A"_s, u"app/main.js C"_s, u"usr/lib/old.so D"_s}));

    filter.setKinds(DeletedKind);
    rows.clear();
    collect(&filter, {}, rows);
    QCOMPARE(rows, QStringList{u"usr/lib/old.so D"_s});
    // Only the folders leading to the deleted file stay.
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, 0).data(ImageFilesModel::DisplayPathRole).toString(), u"usr"_s);

    filter.setKinds(AddedKind | ChangedKind);
    rows.clear();
    collect(&filter, {}, rows);
    QCOMPARE(rows, (QStringList{u"app/lib A"_s, u"app/lib/util.js A"_s, u"app/main.js C"_s}));

    filter.setKinds(0);
    QCOMPARE(filter.rowCount(), 0);
    filter.setKinds(AllChangeKinds);
    QCOMPARE(filter.rowCount(), 2); // app, usr
}

void tst_FileChangesFilter::sizesAndChangeColumn()
{
    const auto comparison = compare({{"f a/changed 1500", "f a/gone 700", "d a/dir m=755"}},
                                    {{"f a/changed 2500000", "f a/new 42", "d a/dir m=700"}});
    QVERIFY(comparison);
    ImageFilesModel files;
    files.setTree(comparison->diff.tree);
    FileChangesFilter filter;
    filter.setComparison(comparison);
    filter.setSourceModel(&files);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);

    QCOMPARE(filter.headerData(FileChangesFilter::changeColumn(), Qt::Horizontal, Qt::DisplayRole)
                 .toString(),
             u"Change"_s);
    const QModelIndex folder = filter.index(0, 0);
    QCOMPARE(folder.data(ImageFilesModel::DisplayPathRole).toString(), u"a"_s);
    while (filter.canFetchMore(folder))
        filter.fetchMore(folder);
    QMap<QString, QPair<QString, QString>> shown; // name -> (size, change)
    for (int row = 0; row < filter.rowCount(folder); ++row) {
        const QModelIndex index = filter.index(row, 0, folder);
        shown.insert(index.data(ImageFilesModel::NameRole).toString(),
                     {index.siblingAtColumn(FileChangesFilter::sizeColumn()).data().toString(),
                      index.siblingAtColumn(FileChangesFilter::changeColumn()).data().toString()});
    }
    QCOMPARE(shown.value(u"changed"_s).first,
             u"%1 → %2"_s.arg(formatSize(1500), formatSize(2500000)));
    QCOMPARE(shown.value(u"changed"_s).second, u"Changed"_s);
    QCOMPARE(shown.value(u"new"_s).second, u"Added"_s);
    QCOMPARE(shown.value(u"gone"_s).second, u"Deleted"_s);
    QCOMPARE(shown.value(u"dir"_s).second, u"Changed"_s); // its mode
    QVERIFY(!shown.value(u"dir"_s).first.contains(u"→"_s));
    QCOMPARE(comparison->diff.summary.added, 1);
    QCOMPARE(comparison->diff.summary.changed, 2);
    QCOMPARE(comparison->diff.summary.deleted, 1);
    QCOMPARE(comparison->netBytes(), qint64(2500000 + 42 - 1500 - 700));
    QCOMPARE(TagFilesComparer::summaryText(*comparison),
             u"1 added, 2 changed, 1 deleted · +%1"_s.arg(formatSize(2500000 + 42 - 2200)));
}

QTEST_GUILESS_MAIN(tst_FileChangesFilter)
#include "tst_filechangesfilter.moc"
