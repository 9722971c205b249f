#include "asynctest.h"
#include "common/humanize.h"
#include "contents/indexfile.h"
#include "contents/layerindexcache.h"
#include "filechangesfilter.h"
#include "filecompareview.h"
#include "filesimage.h"
#include "imagefilesmodel.h"
#include "inlinemessage.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "repositorypage.h"
#include "tagcompareview.h"
#include "tagfilescomparer.h"
#include "taggroupsmodel.h"
#include "taggroupsview.h"
#include "testservices.h"
#include "transfermanager.h"
#include "uitesthelpers.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUuid>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// Paths of a diff tree's rows shown by `model` (every folder opened), with their change letter;
// rows that only lead to a change (no change of their own) are left out.
using Rows = QMap<QString, QString>;

QString letter(ContentsEntry::Change change)
{
    switch (change) {
    case ContentsEntry::Change::Added:
        return u"A"_s;
    case ContentsEntry::Change::Changed:
        return u"C"_s;
    case ContentsEntry::Change::Deleted:
        return u"D"_s;
    case ContentsEntry::Change::None:
        break;
    }
    return {};
}

void collectRows(QAbstractItemModel *model,
                 const IndexFile &tree,
                 int recordRole,
                 const QModelIndex &parent,
                 Rows &rows)
{
    while (model->canFetchMore(parent))
        model->fetchMore(parent);
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        const qint64 record = index.data(recordRole).toLongLong();
        QVERIFY(record >= 0 && record < tree.count());
        const QString change = letter(ContentsEntry::Change(tree.record(record).change));
        if (!change.isEmpty())
            rows.insert(displayPath(tree.path(record)), change);
        collectRows(model, tree, recordRole, index, rows);
    }
}

} // namespace

class tst_FileCompare final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    // Two tags of a registry of the test services, through the repository page.
    void filesOfTwoTags();
    void kindFilter();
    void sameFiles();
    void cancelAndStale();
    void failureShownInline();

private:
    void openAndCompare(const QString &first, const QString &second);
    FileCompareView *filesView() const
    {
        return child<FileCompareView>(m_page.get(), u"fileCompareView"_s);
    }
    TagCompareView *view() const
    {
        return child<TagCompareView>(m_page.get(), u"tagCompareView"_s);
    }
    TagFilesComparer *comparer() const
    {
        return child<TagFilesComparer>(m_page.get(), u"tagFilesComparer"_s);
    }
    FileChangesFilter *filter() const
    {
        return child<FileChangesFilter>(m_page.get(), u"fileChangesFilter"_s);
    }
    Rows shownRows() const;
    bool startAndWait();

    QString m_repository; // host/berth/files-…: tags 1.0, 2.0 and 1.0-again
    QTemporaryDir m_cacheDir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<HubClient> m_hub;
    std::unique_ptr<RegistryClient> m_registry;
    std::unique_ptr<TransferManager> m_transfers;
    std::shared_ptr<LayerIndexCache> m_cache;
    std::unique_ptr<RepositoryPage> m_page;
};

// berth/files-…: 1.0 is a base layer and an application layer; 2.0 shares the base, has another
// application layer and a third one deleting a library: every kind of change, at known sizes.
void tst_FileCompare::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_cacheDir.isValid());
    const QString host = TestServices::instance().registry(u"plain"_s).host;
    m_repository = host + u"/berth/files-"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
    const FilesImageLayer base{file(u"etc/os-release"_s, "ID=berth\nVERSION_ID=1\n"),
                               file(u"usr/lib/libold.so"_s, QByteArray(10000, 'o'), 0755),
                               file(u"usr/share/doc/readme.txt"_s, QByteArray(3000, 'r'))};
    const FilesImageLayer app1{file(u"app/main.js"_s, QByteArray(100, 'm')),
                               file(u"app/config.json"_s, "{}\n")};
    const FilesImageLayer app2{file(u"app/main.js"_s, QByteArray(250, 'M')),
                               file(u"app/config.json"_s, "{}\n"),
                               file(u"app/lib/util.js"_s, QByteArray(400, 'u')),
                               symlink(u"app/current"_s, u"main.js"_s)};
    const FilesImageLayer removal{whiteout(u"usr/lib/libold.so"_s)};
    QNetworkAccessManager network;
    RegistryClient registry(&network);
    const auto repository = *ImageReference::parseRepository(m_repository);
    for (const auto &[tag, layers] : {std::pair{u"1.0"_s, QList{base, app1}},
                                      std::pair{u"2.0"_s, QList{base, app2, removal}},
                                      std::pair{u"1.0-again"_s, QList{base, app1}}}) {
        const auto pushed = pushFilesImage(registry, repository.withTag(tag), layers);
        QVERIFY2(pushed, why(pushed));
    }
}

void tst_FileCompare::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_hub = std::make_unique<HubClient>(m_network.get());
    m_hub->setBaseUrl(QUrl(u"http://127.0.0.1:9"_s));
    m_registry = std::make_unique<RegistryClient>(m_network.get());
    m_transfers = std::make_unique<TransferManager>();
    // A cache of the test's own, emptied for each test: every layer is read again.
    m_cache = std::make_shared<LayerIndexCache>(
        m_cacheDir.filePath(QUuid::createUuid().toString(QUuid::Id128)));
    m_transfers->setLayerIndexCache(m_cache);
    m_page = std::make_unique<RepositoryPage>(m_hub.get(), m_registry.get());
    m_page->setTransfers(m_transfers.get());
    m_page->resize(1000, 700);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void tst_FileCompare::cleanup()
{
    m_page.reset();
    m_transfers.reset();
    m_registry.reset();
    m_hub.reset();
    m_network.reset();
    m_cache.reset();
}

void tst_FileCompare::openAndCompare(const QString &first, const QString &second)
{
    auto *tags = child<TagGroupsModel>(m_page.get(), u"tagGroupsModel"_s);
    QSignalSpy loaded(tags, &TagGroupsModel::loaded);
    m_page->openRepository(m_repository);
    QVERIFY(loaded.wait(60000));
    auto *view = child<TagCompareView>(m_page.get(), u"tagCompareView"_s);
    auto *browser = child<TagGroupsView>(m_page.get(), u"tagGroupsView"_s);
    QVERIFY(browser->selectTag(first));
    m_page->compareSelected();
    view->setSecondTag(second);
    QCOMPARE(view->firstTag(), first);
    QCOMPARE(view->secondTag(), second);
    auto *sections = child<QTabWidget>(view, u"compareSections"_s);
    sections->setCurrentWidget(filesView());
    QVERIFY(filesView()->isVisible());
}

// Clicks Compare Files and waits for its answer; false when it failed.
bool tst_FileCompare::startAndWait()
{
    auto *button = child<QPushButton>(filesView(), u"compareFilesButton"_s);
    if (!button || !button->isEnabled()) {
        qWarning("Compare Files cannot be clicked");
        return false;
    }
    QSignalSpy shown(filesView(), &FileCompareView::filesShown);
    QSignalSpy failed(filesView(), &FileCompareView::failed);
    QTest::mouseClick(button, Qt::LeftButton);
    const bool answered
        = QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, 60000);
    // Say why, so that a failure under load names its cause.
    if (!failed.isEmpty())
        qWarning("Compare Files failed: %s",
                 qPrintable(failed.first().first().value<Berth::Error>().message));
    else if (!answered)
        qWarning("Compare Files gave no answer within 60 s");
    return answered && !shown.isEmpty();
}

Rows tst_FileCompare::shownRows() const
{
    Rows rows;
    auto *tree = child<QTreeView>(filesView(), u"fileChangesTree"_s);
    const auto comparison = filesView()->comparison();
    if (tree && comparison)
        collectRows(tree->model(), *comparison->diff.tree, filter()->recordRole(), {}, rows);
    return rows;
}

void tst_FileCompare::filesOfTwoTags()
{
    openAndCompare(u"1.0"_s, u"2.0"_s);
    QVERIFY(!comparer()->isRunning()); // nothing read before asked
    QVERIFY(startAndWait());
    const auto comparison = filesView()->comparison();
    QVERIFY(comparison);
    QCOMPARE(comparison->first.tag(), u"1.0"_s);
    QCOMPARE(comparison->second.tag(), u"2.0"_s);

    const Rows expected{{u"app/current"_s, u"A"_s},
                        {u"app/lib"_s, u"A"_s},
                        {u"app/lib/util.js"_s, u"A"_s},
                        {u"app/main.js"_s, u"C"_s},
                        {u"usr/lib/libold.so"_s, u"D"_s}};
    QCOMPARE(shownRows(), expected);
    const DiffSummary &summary = comparison->diff.summary;
    QCOMPARE(summary.added, 3);
    QCOMPARE(summary.changed, 1);
    QCOMPARE(summary.deleted, 1);
    QCOMPARE(comparison->netBytes(), qint64(250 - 100 + 400 - 10000));
    const QString text = child<QLabel>(filesView(), u"fileChangesSummary"_s)->text();
    QCOMPARE(text, u"3 added, 1 changed, 1 deleted · −%1"_s.arg(formatSize(9450)));

    // The changed file's size reads old → new; every changed row is coloured.
    auto *tree = child<QTreeView>(filesView(), u"fileChangesTree"_s);
    QAbstractItemModel *model = tree->model();
    const auto find = [&](const QString &path) {
        QModelIndex at;
        for (const QString &name : path.split(u'/')) {
            while (model->canFetchMore(at))
                model->fetchMore(at);
            const QModelIndexList hits = model->match(
                model->index(0, 0, at), ImageFilesModel::NameRole, name, 1, Qt::MatchExactly);
            at = hits.value(0);
        }
        return at;
    };
    const QModelIndex mainJs = find(u"app/main.js"_s);
    QVERIFY(mainJs.isValid());
    const QString size = mainJs.siblingAtColumn(filter()->sizeColumn()).data().toString();
    QCOMPARE(size, u"%1 → %2"_s.arg(formatSize(100), formatSize(250)));
    QCOMPARE(mainJs.siblingAtColumn(FileChangesFilter::changeColumn()).data().toString(),
             u"Changed"_s);
    QCOMPARE(find(u"usr/lib/libold.so"_s)
                 .siblingAtColumn(FileChangesFilter::changeColumn())
                 .data()
                 .toString(),
             u"Deleted"_s);
    for (const QString &path : expected.keys()) {
        const QModelIndex index = find(path);
        QVERIFY2(index.isValid(), qPrintable(path));
        QVERIFY2(index.data(Qt::ForegroundRole).isValid()
                     || index.data(Qt::BackgroundRole).isValid(),
                 qPrintable(path));
    }

    const QStringList unnamed = unnamedControls(filesView());
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", ")));

    // The run showed in the Transfers dock, and finished there.
    QCOMPARE(m_transfers->jobs().size(), 1);
    QTRY_COMPARE(m_transfers->jobs().first()->state(), TransferJob::State::Done);
    QVERIFY(m_transfers->jobs().first()->title().contains(u"2.0"_s));
}

void tst_FileCompare::kindFilter()
{
    openAndCompare(u"1.0"_s, u"2.0"_s);
    QVERIFY(startAndWait());
    QAbstractItemModelTester tester(filter(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    auto *added = child<QCheckBox>(filesView(), u"showAddedFiles"_s);
    auto *changed = child<QCheckBox>(filesView(), u"showChangedFiles"_s);
    auto *deleted = child<QCheckBox>(filesView(), u"showDeletedFiles"_s);

    added->setChecked(false);
    changed->setChecked(false);
    QCOMPARE(shownRows(), (Rows{{u"usr/lib/libold.so"_s, u"D"_s}}));
    // The folders leading to it stay; app/, with nothing deleted in it, goes.
    auto *tree = child<QTreeView>(filesView(), u"fileChangesTree"_s);
    QCOMPARE(tree->model()->rowCount(), 1);
    QCOMPARE(tree->model()->index(0, 0).data().toString(), u"usr"_s);

    deleted->setChecked(false);
    changed->setChecked(true);
    QCOMPARE(shownRows(), (Rows{{u"app/main.js"_s, u"C"_s}}));
    added->setChecked(true);
    QCOMPARE(shownRows().size(), 4);
    deleted->setChecked(true);
    QCOMPARE(shownRows().size(), 5);
}

void tst_FileCompare::sameFiles()
{
    openAndCompare(u"1.0"_s, u"1.0-again"_s);
    QVERIFY(startAndWait());
    QVERIFY(shownRows().isEmpty());
    QCOMPARE(child<QLabel>(filesView(), u"fileChangesSummary"_s)->text(),
             u"%1:1.0 and %1:1.0-again hold the same files."_s.arg(m_repository));
}

// Cancelled from the view: nothing shows, the job says Cancelled; a new pair cancels the pair in
// flight and only the new answer shows.
void tst_FileCompare::cancelAndStale()
{
    openAndCompare(u"1.0"_s, u"2.0"_s);
    QSignalSpy finished(comparer(), &TagFilesComparer::finished);
    QSignalSpy failed(comparer(), &TagFilesComparer::failed);
    QTest::mouseClick(child<QPushButton>(filesView(), u"compareFilesButton"_s), Qt::LeftButton);
    QVERIFY(comparer()->isRunning());
    auto *cancel = child<QPushButton>(filesView(), u"cancelCompareFilesButton"_s);
    QVERIFY(cancel->isVisible());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!comparer()->isRunning());
    QVERIFY(!cancel->isVisible());
    QCOMPARE(m_transfers->jobs().size(), 1);
    QTRY_COMPARE(m_transfers->jobs().first()->state(), TransferJob::State::Cancelled);

    // Cancelled in the Transfers dock: the section stops too; Retry there shows the answer.
    QTest::mouseClick(child<QPushButton>(filesView(), u"compareFilesButton"_s), Qt::LeftButton);
    QCOMPARE(m_transfers->jobs().size(), 2);
    TransferJob *job = m_transfers->jobs().last();
    QVERIFY(job->canCancel());
    job->cancel();
    QTRY_COMPARE(job->state(), TransferJob::State::Cancelled);
    QTRY_VERIFY(!comparer()->isRunning());
    QVERIFY(!filesView()->comparison());
    QCOMPARE(finished.size(), 0);
    QCOMPARE(failed.size(), 0);
    job->retry();
    QVERIFY(finished.wait(60000));
    QVERIFY(filesView()->comparison());
    QCOMPARE(filesView()->comparison()->second.tag(), u"2.0"_s);
    QTRY_COMPARE(job->state(), TransferJob::State::Done);
    finished.clear();
    view()->setSecondTag(u"2.0-none"_s); // a new pair clears the answer
    QVERIFY(!filesView()->comparison());
    view()->setSecondTag(u"2.0"_s);

    // Started again, then the pair changes while it runs: the first answer never shows.
    QTest::mouseClick(child<QPushButton>(filesView(), u"compareFilesButton"_s), Qt::LeftButton);
    QVERIFY(comparer()->isRunning());
    view()->setSecondTag(u"1.0-again"_s);
    QVERIFY(!comparer()->isRunning());
    QVERIFY(startAndWait());
    QCOMPARE(finished.size(), 1);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(filesView()->comparison()->second.tag(), u"1.0-again"_s);
    QTRY_VERIFY(std::none_of(m_transfers->jobs().cbegin(),
                             m_transfers->jobs().cend(),
                             [](const TransferJob *job) { return job->isActive(); }));
}

void tst_FileCompare::failureShownInline()
{
    openAndCompare(u"1.0"_s, u"absent"_s);
    QVERIFY(!startAndWait());
    auto *message = child<InlineMessage>(filesView(), u"fileCompareMessage"_s);
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(u"could not compare the files of"_s),
             qPrintable(message->text()));
    QVERIFY2(message->text().contains(u":absent"_s), qPrintable(message->text()));
    QVERIFY(!message->messageActions().isEmpty());
    QVERIFY(!filesView()->comparison());
}

QTEST_MAIN(tst_FileCompare)
#include "tst_filecompare.moc"
