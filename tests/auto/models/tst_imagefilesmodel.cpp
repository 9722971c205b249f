#include "imagefilesmodel.h"

#include "common/humanize.h"
#include "testhelpers.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using Type = ContentsEntry::Type;
using Change = ContentsEntry::Change;

namespace {

ContentsEntry entry(const QByteArray &path, Type type, qint64 size = 0, quint32 mode = 0644)
{
    ContentsEntry e;
    e.path = path;
    e.type = type;
    e.size = type == Type::File ? size : 0;
    e.mode = type == Type::Directory ? 0755 : mode;
    return e;
}

ContentsEntry file(const QByteArray &path, qint64 size = 1)
{
    return entry(path, Type::File, size);
}

ContentsEntry dir(const QByteArray &path)
{
    return entry(path, Type::Directory);
}

ContentsEntry linkEntry(const QByteArray &path, const QByteArray &target)
{
    ContentsEntry e = entry(path, Type::Symlink, 0, 0777);
    e.linkTarget = target;
    return e;
}

ContentsEntry changed(ContentsEntry e, Change change, int layer)
{
    e.change = change;
    e.layer = quint16(layer);
    return e;
}

// A small image: /bin with a link, /etc with files, /usr/lib nested, an empty /tmp.
QList<ContentsEntry> sampleTree()
{
    ContentsEntry passwd = file("etc/passwd", 1200);
    passwd.uid = 0;
    passwd.gid = 42;
    return {
        dir("bin"),
        entry("bin/busybox", Type::File, 800'000, 0755),
        linkEntry("bin/sh", "busybox"),
        dir("etc"),
        passwd,
        changed(file("etc/hosts", 300), Change::Added, 2),
        changed(file("etc/motd", 50), Change::Deleted, 2),
        changed(dir("usr"), Change::Changed, 1),
        file("usr/lib/libc.so", 5000),
        file("usr/lib/libm.so", 700),
        changed(file("usr/share/doc/README", 90), Change::Added, 2),
        dir("tmp"),
    };
}

class TreeFiles
{
public:
    std::shared_ptr<const IndexFile> write(const QList<ContentsEntry> &entries)
    {
        const QString path = m_dir.filePath(QString::number(++m_count) + u".idx");
        auto writer = IndexWriter::create(path, IndexWriter::Order::Any);
        if (!writer)
            qFatal("%s", qPrintable(writer.error().message));
        for (const ContentsEntry &e : entries) {
            if (Status s = (*writer)->add(e); !s)
                qFatal("%s", qPrintable(s.error().message));
        }
        if (Status s = (*writer)->finish({}); !s)
            qFatal("%s", qPrintable(s.error().message));
        auto index = IndexFile::open(path);
        if (!index)
            qFatal("%s", qPrintable(index.error().message));
        return std::make_shared<const IndexFile>(std::move(*index));
    }

private:
    QTemporaryDir m_dir;
    int m_count = 0;
};

// Every row of the model, depth first, as its whole path: what a fully expanded view shows.
QStringList walk(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        rows << index.data(ImageFilesModel::DisplayPathRole).toString();
        rows << walk(model, index);
    }
    return rows;
}

QModelIndex at(const ImageFilesModel &model, const QByteArray &path, int column = 0)
{
    const QModelIndex name = model.indexForPath(path);
    return name.siblingAtColumn(column);
}

} // namespace

class tst_ImageFilesModel : public QObject
{
    Q_OBJECT

private slots:
    void passesTheModelTester_data();
    void passesTheModelTester();
    void listsChildrenLazily();
    void columns_data();
    void columns();
    void directorySizesAddUpTheirSubtree();
    void changesHaveRoleColourAndStrike();
    void filter_data();
    void filter();
    void hiddenRecordsHaveNoIndex();
    void nonUtf8NamesAreEscaped();
    void largeTreeFiltersInTheBackground();
    void newTreeKeepsTheFilter();
};

void tst_ImageFilesModel::passesTheModelTester_data()
{
    QTest::addColumn<QList<ContentsEntry>>("entries");
    QTest::addColumn<QString>("filterText");
    QTest::addColumn<bool>("changesOnly");
    QTest::newRow("empty") << QList<ContentsEntry>{} << QString() << false;
    QTest::newRow("one file") << QList<ContentsEntry>{file("a")} << QString() << false;
    QTest::newRow("sample") << sampleTree() << QString() << false;
    QTest::newRow("sample, filtered") << sampleTree() << u"lib"_qs << false;
    QTest::newRow("sample, changes only") << sampleTree() << QString() << true;
    QTest::newRow("sample, nothing matches") << sampleTree() << u"zzz"_qs << false;
}

void tst_ImageFilesModel::passesTheModelTester()
{
    QFETCH(QList<ContentsEntry>, entries);
    QFETCH(QString, filterText);
    QFETCH(bool, changesOnly);
    TreeFiles files;
    ImageFilesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTree(files.write(entries));
    walk(model);
    model.setFilter({filterText, changesOnly});
    walk(model);
    model.setTree(files.write(entries)); // a new tree under the same filter
    walk(model);
    model.setFilter({});
    walk(model);
    model.setTree(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void tst_ImageFilesModel::listsChildrenLazily()
{
    TreeFiles files;
    ImageFilesModel model;
    model.setTree(files.write(sampleTree()));
    QStringList top;
    for (int row = 0; row < model.rowCount(); ++row)
        top << model.index(row, 0).data(ImageFilesModel::NameRole).toString();
    QCOMPARE(top, (QStringList{u"bin"_qs, u"etc"_qs, u"tmp"_qs, u"usr"_qs}));

    const QModelIndex usr = at(model, "usr");
    QVERIFY(model.hasChildren(usr));
    QCOMPARE(model.rowCount(usr), 2); // lib, share: not their files
    QCOMPARE(model.index(0, 0, usr).data(ImageFilesModel::DisplayPathRole).toString(), u"usr/lib");
    QCOMPARE(model.rowCount(model.index(0, 0, usr)), 2);
    QVERIFY(!model.hasChildren(at(model, "tmp"))); // an empty directory
    QVERIFY(!model.hasChildren(at(model, "etc/passwd")));
    QCOMPARE(model.rowCount(at(model, "etc/passwd")), 0);
    QCOMPARE(model.rowCount(at(model, "usr", ImageFilesModel::SizeColumn)), 0);
    QCOMPARE(at(model, "usr/lib/libm.so").parent().parent(), usr);
    QCOMPARE(model.recordAt(at(model, "usr/lib")), model.tree()->find("usr/lib"));
    QVERIFY(!model.indexForPath("no/such/path").isValid());
}

void tst_ImageFilesModel::columns_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("expected");
    using M = ImageFilesModel;
    QTest::newRow("file name") << "etc/passwd"_qba << int(M::NameColumn) << u"passwd"_qs;
    QTest::newRow("link shows its target")
        << "bin/sh"_qba << int(M::NameColumn) << u"sh → busybox"_qs;
    QTest::newRow("file size") << "bin/busybox"_qba << int(M::SizeColumn) << formatSize(800'000);
    QTest::newRow("link has no size") << "bin/sh"_qba << int(M::SizeColumn) << QString();
    QTest::newRow("file mode") << "bin/busybox"_qba << int(M::ModeColumn) << u"-rwxr-xr-x"_qs;
    QTest::newRow("directory mode") << "etc"_qba << int(M::ModeColumn) << u"drwxr-xr-x"_qs;
    QTest::newRow("link mode") << "bin/sh"_qba << int(M::ModeColumn) << u"lrwxrwxrwx"_qs;
    QTest::newRow("owner") << "etc/passwd"_qba << int(M::OwnerColumn) << u"0:42"_qs;
    QTest::newRow("layer, 1-based") << "etc/hosts"_qba << int(M::LayerColumn) << u"3"_qs;
    QTest::newRow("bottom layer") << "etc/passwd"_qba << int(M::LayerColumn) << u"1"_qs;
}

void tst_ImageFilesModel::columns()
{
    QFETCH(QByteArray, path);
    QFETCH(int, column);
    QFETCH(QString, expected);
    TreeFiles files;
    ImageFilesModel model;
    model.setTree(files.write(sampleTree()));
    const QModelIndex index = at(model, path, column);
    QVERIFY(index.isValid());
    QCOMPARE(index.data().toString(), expected);
}

void tst_ImageFilesModel::directorySizesAddUpTheirSubtree()
{
    TreeFiles files;
    ImageFilesModel model;
    model.setTree(files.write(sampleTree()));
    QCOMPARE(at(model, "usr").data(ImageFilesModel::SizeBytesRole).toLongLong(), 5000 + 700 + 90);
    QCOMPARE(at(model, "usr", ImageFilesModel::SizeColumn).data().toString(), formatSize(5790));
    // A deleted file takes no room in the image.
    QCOMPARE(at(model, "etc").data(ImageFilesModel::SizeBytesRole).toLongLong(), 1200 + 300);
    QCOMPARE(at(model, "tmp").data(ImageFilesModel::SizeBytesRole).toLongLong(), 0);
}

void tst_ImageFilesModel::changesHaveRoleColourAndStrike()
{
    TreeFiles files;
    ImageFilesModel model;
    model.setTree(files.write(sampleTree()));
    const QColor added(Qt::darkGreen), deleted(Qt::darkRed);
    model.setChangeColours({{int(Change::Added), added}, {int(Change::Deleted), deleted}});
    const QModelIndex hosts = at(model, "etc/hosts");
    QCOMPARE(hosts.data(ImageFilesModel::ChangeRole).toInt(), int(Change::Added));
    QCOMPARE(hosts.data(Qt::ForegroundRole).value<QColor>(), added);
    QCOMPARE(hosts.data(Qt::AccessibleDescriptionRole).toString(), u"Added"_qs);
    QVERIFY(hosts.data(Qt::ToolTipRole).toString().contains(u"layer 3"));
    const QModelIndex motd = at(model, "etc/motd", ImageFilesModel::ModeColumn);
    QCOMPARE(motd.data(ImageFilesModel::ChangeRole).toInt(), int(Change::Deleted));
    QCOMPARE(motd.data(Qt::ForegroundRole).value<QColor>(), deleted);
    QVERIFY(motd.data(Qt::FontRole).value<QFont>().strikeOut());
    const QModelIndex usr = at(model, "usr");
    QCOMPARE(usr.data(ImageFilesModel::ChangeRole).toInt(), int(Change::Changed));
    QVERIFY(!usr.data(Qt::ForegroundRole).isValid()); // no colour given for Changed
    QCOMPARE(at(model, "etc/passwd").data(ImageFilesModel::ChangeRole).toInt(), int(Change::None));
}

void tst_ImageFilesModel::filter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("changesOnly");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<qint64>("matches");
    QTest::newRow("a name, with its directories")
        << u"libc"_qs << false << QStringList{u"usr"_qs, u"usr/lib"_qs, u"usr/lib/libc.so"_qs}
        << qint64(1);
    QTest::newRow("case does not matter")
        << u"README"_qs.toLower() << false
        << QStringList{u"usr"_qs, u"usr/share"_qs, u"usr/share/doc"_qs, u"usr/share/doc/README"_qs}
        << qint64(1);
    QTest::newRow("a matching directory shows alone")
        << u"share"_qs << false << QStringList{u"usr"_qs, u"usr/share"_qs} << qint64(1);
    QTest::newRow("a slash matches whole paths")
        << u"bin/b"_qs << false << QStringList{u"bin"_qs, u"bin/busybox"_qs} << qint64(1);
    QTest::newRow("names only without a slash")
        << u"etc"_qs << false << QStringList{u"etc"_qs} << qint64(1);
    QTest::newRow("changes only") << QString() << true
                                  << QStringList{u"etc"_qs,
                                                 u"etc/hosts"_qs,
                                                 u"etc/motd"_qs,
                                                 u"usr"_qs,
                                                 u"usr/share"_qs,
                                                 u"usr/share/doc"_qs,
                                                 u"usr/share/doc/README"_qs}
                                  << qint64(4);
    QTest::newRow("changes and a name")
        << u"o"_qs << true << QStringList{u"etc"_qs, u"etc/hosts"_qs, u"etc/motd"_qs} << qint64(2);
    QTest::newRow("nothing") << u"nothing-is-called-this"_qs << false << QStringList{} << qint64(0);
}

void tst_ImageFilesModel::filter()
{
    QFETCH(QString, text);
    QFETCH(bool, changesOnly);
    QFETCH(QStringList, expected);
    QFETCH(qint64, matches);
    TreeFiles files;
    ImageFilesModel model;
    model.setTree(files.write(sampleTree()));
    QSignalSpy applied(&model, &ImageFilesModel::filterApplied);
    model.setFilter({text, changesOnly});
    QCOMPARE(applied.count(), 1); // a small tree is filtered at once
    QCOMPARE(walk(model), expected);
    QCOMPARE(model.matchCount(), matches);
    model.setFilter({});
    QCOMPARE(walk(model).size(), model.tree()->count());
}

void tst_ImageFilesModel::hiddenRecordsHaveNoIndex()
{
    TreeFiles files;
    ImageFilesModel model;
    model.setTree(files.write(sampleTree()));
    model.setFilter({u"libm"_qs, false});
    QVERIFY(model.indexForPath("usr/lib/libm.so").isValid());
    QVERIFY(!model.indexForPath("usr/lib/libc.so").isValid());
    QVERIFY(!model.indexForPath("etc").isValid());
    QVERIFY(!model.indexForRecord(-1).isValid());
    QVERIFY(!model.indexForRecord(model.tree()->count()).isValid());
}

void tst_ImageFilesModel::nonUtf8NamesAreEscaped()
{
    TreeFiles files;
    ImageFilesModel model;
    const QByteArray hostile("dir/bad\xff\x1b[2Jname");
    model.setTree(files.write({file(hostile, 10), linkEntry("dir/to", "\xfe\x07")}));
    const QModelIndex index = model.indexForPath(hostile);
    QVERIFY(index.isValid());
    const QString name = index.data().toString();
    QCOMPARE(name, displayPath(baseName(hostile)));
    QVERIFY(name.contains(u"\\x"));
    QVERIFY(!name.contains(QChar(0x1b)));
    QCOMPARE(index.data(ImageFilesModel::PathRole).toByteArray(), hostile);
    const QString linkName = model.indexForPath("dir/to").data().toString();
    QVERIFY(!linkName.contains(QChar(0x07)));
    QVERIFY(linkName.contains(u"\\x"));
    // The filter finds the name by what the user sees.
    model.setFilter({u"bad\\xFF"_qs, false});
    QCOMPARE(model.matchCount(), 1);
}

void tst_ImageFilesModel::largeTreeFiltersInTheBackground()
{
    // 100 directories of 1,000 files: 100,100 records.
    QList<ContentsEntry> entries;
    for (int d = 0; d < 100; ++d) {
        const QByteArray directory = "d" + QByteArray::number(d).rightJustified(3, '0');
        entries << dir(directory);
        for (int f = 0; f < 1000; ++f)
            entries << file(directory + "/file-" + QByteArray::number(f).rightJustified(4, '0'), f);
    }
    TreeFiles files;
    ImageFilesModel model;
    model.setTree(files.write(entries));
    QCOMPARE(model.tree()->count(), 100'100);
    QCOMPARE(model.rowCount(), 100);
    const QModelIndex d050 = model.index(50, 0);
    QCOMPARE(model.rowCount(d050), 1000);
    QCOMPARE(d050.data(ImageFilesModel::SizeBytesRole).toLongLong(), 999 * 1000 / 2);

    QSignalSpy filtering(&model, &ImageFilesModel::filteringChanged);
    QSignalSpy applied(&model, &ImageFilesModel::filterApplied);
    model.setFilter({u"file-0999"_qs, false});
    QVERIFY(model.isFiltering());
    QCOMPARE(model.rowCount(), 100); // the previous rows stay meanwhile
    QVERIFY(applied.wait(20000));
    QVERIFY(!model.isFiltering());
    QCOMPARE(filtering.count(), 2);
    QCOMPARE(model.matchCount(), 100);
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.rowCount(model.index(7, 0)), 1);
    QVERIFY(model.indexForPath("d050/file-0999").isValid());
    QVERIFY(!model.indexForPath("d050/file-0998").isValid());

    // A second filter asked before the first answers wins.
    model.setFilter({u"file-0001"_qs, false});
    model.setFilter({u"d042/file-000"_qs, false});
    QTRY_VERIFY(!model.isFiltering());
    QCOMPARE(model.matchCount(), 10);
    QCOMPARE(walk(model).size(), 11);
}

void tst_ImageFilesModel::newTreeKeepsTheFilter()
{
    TreeFiles files;
    ImageFilesModel model;
    model.setTree(files.write(sampleTree()));
    model.setFilter({u"passwd"_qs, false});
    model.setTree(files.write({file("etc/passwd"), file("etc/group"), file("root/.profile")}));
    QCOMPARE(walk(model), (QStringList{u"etc"_qs, u"etc/passwd"_qs}));
}

QTEST_MAIN(tst_ImageFilesModel)
#include "tst_imagefilesmodel.moc"
