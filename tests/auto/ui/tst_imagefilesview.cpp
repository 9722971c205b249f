// The Files tab (ui/imagefilesview) driven headless through its widgets, over a real source: an
// image imported into an EmbeddedBackend on a temporary directory, read back through the
// backend's own save stream (backendContentsSource). Looking inside runs as a TransferJob (the
// Transfers dock's), the layer selector shows what the layer added, the name filter keeps the
// matches with their folders, the preview shows bounded text and says when a file is binary,
// Save As writes a file, a folder and a tar through an injected file picker, and a look can be
// cancelled. The Inspect dialog carries the tab for local images; an archive the store saved is
// looked inside before loading it. Widgets are reached by name.

#include "uitesthelpers.h"

#include "filepreview.h"
#include "imagedetailsdialog.h"
#include "imagefilesdialog.h"
#include "imagefilesmodel.h"
#include "imagefilesview.h"
#include "inlinemessage.h"
#include "transfermanager.h"

#include "archive/tarwriter.h"
#include "contents/layerindexcache.h"
#include "contents/treediff.h"
#include "imagefiles/contentssource.h"
#include "imagefiles/imagecontents.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 120000;
const QString Imported = u"berth-test/files:1.0"_s;
const QByteArray Hello = "#!/bin/sh\necho hello from berth\n";
const QByteArray Motd = "Bienvenue à bord\n";

QByteArray bigText()
{
    QByteArray text;
    for (int line = 0; text.size() < FilePreview::Limit + 50000; ++line)
        text += "line " + QByteArray::number(line) + " of a long configuration file\n";
    return text;
}

QByteArray binary()
{
    QByteArray data(4096, '\0');
    for (int i = 0; i < data.size(); i += 3)
        data[i] = char(i);
    return data;
}

bool writeRootfs(const QString &path)
{
    auto writer = TarWriter::toFile(path, Compression::None);
    if (!writer)
        return false;
    TarWriter &w = **writer;
    return w.addDirectory(u"bin"_s) && w.addBytes(u"bin/hello"_s, Hello) && w.addDirectory(u"etc"_s)
           && w.addBytes(u"etc/motd"_s, Motd) && w.addBytes(u"etc/big.conf"_s, bigText())
           && w.addDirectory(u"usr"_s) && w.addDirectory(u"usr/lib"_s)
           && w.addBytes(u"usr/lib/blob.bin"_s, binary()) && w.finish();
}

QStringList tarListing(const QString &path)
{
    QProcess tar;
    tar.start(u"tar"_s, {u"-tf"_s, path});
    if (!tar.waitForFinished(60000) || tar.exitCode() != 0)
        return {};
    return QString::fromUtf8(tar.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
}

// Every row of the tree, depth first, as its path.
QStringList rows(const QAbstractItemModel *model, const QModelIndex &parent = {})
{
    QStringList out;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        out << index.data(ImageFilesModel::DisplayPathRole).toString() << rows(model, index);
    }
    return out;
}

struct FakeChooser
{
    QString answer;
    FileRequest asked;
    int calls = 0;
    FileChooser chooser()
    {
        return [this](QWidget *, const FileRequest &request) {
            asked = request;
            ++calls;
            return answer;
        };
    }
};

} // namespace

class tst_ImageFilesView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void emptyUntilAskedThenLoadsAsAJob();
    void layerSelectorShowsWhatTheLayerAdded();
    void filterKeepsMatchesWithTheirFolders();
    void previewIsBoundedAndKnowsBinaries();
    void largestFilesSelectInTheTree();
    void saveAsWritesAFileAFolderAndATar();
    void cancelStopsTheLook();
    void anotherImageCancelsTheLook();
    void missingImageSaysWhatToDo();
    void inspectHasTheFilesTab();
    void archiveBeforeLoading();

private:
    std::unique_ptr<ImageFilesView> openView();
    ImageFilesView *loadedView();

    QTemporaryDir m_home;
    QTemporaryDir m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<ImageFilesView> m_view;
    FakeChooser m_chooser;
};

void tst_ImageFilesView::initTestCase()
{
    QVERIFY(m_home.isValid());
    QVERIFY(m_dir.isValid());
    qputenv("HOME", QFile::encodeName(m_home.path()));
    QStandardPaths::setTestModeEnabled(true);
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_backend = std::make_unique<EmbeddedBackend>(m_dir.filePath(u"store"_s), m_client.get());
    m_transfers = std::make_unique<TransferManager>();
    m_transfers->setBackend(m_backend.get());
    m_transfers->setLayerIndexCache(
        std::make_shared<LayerIndexCache>(m_dir.filePath(u"layer-index"_s)));

    const QString rootfs = m_dir.filePath(u"rootfs.tar"_s);
    QVERIFY(writeRootfs(rootfs));
    ImportRequest request;
    request.reference = *ImageReference::parse(Imported);
    TransferJob *job = m_transfers->importFilesystem(ArchiveSource::file(rootfs), request);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QVERIFY2(job->state() == TransferJob::State::Done, qPrintable(job->errorString()));
    m_transfers->clearFinished();
}

void tst_ImageFilesView::cleanupTestCase()
{
    m_view.reset();
    m_transfers.reset();
    m_backend.reset();
    m_client.reset();
    m_network.reset();
}

void tst_ImageFilesView::init()
{
    QSettings().clear();
    m_chooser = {};
}

void tst_ImageFilesView::cleanup()
{
    m_view.reset();
    m_transfers->clearFinished();
}

std::unique_ptr<ImageFilesView> tst_ImageFilesView::openView()
{
    auto view = std::make_unique<ImageFilesView>(m_transfers.get());
    view->setFileChooser(m_chooser.chooser());
    view->setSource(std::shared_ptr<ContentsSource>(backendContentsSource(*m_backend, Imported)),
                    Imported,
                    m_backend.get());
    view->resize(1000, 700);
    view->show();
    view->activateWindow(); // shortcuts need an active window
    if (!QTest::qWaitForWindowActive(view.get()))
        qWarning("the view's window did not become active");
    return view;
}

ImageFilesView *tst_ImageFilesView::loadedView()
{
    m_view = openView();
    QSignalSpy loaded(m_view.get(), &ImageFilesView::loaded);
    m_view->lookInside();
    if (!loaded.wait(Timeout))
        return nullptr;
    return m_view.get();
}

void tst_ImageFilesView::emptyUntilAskedThenLoadsAsAJob()
{
    m_view = openView();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    auto *lookInside = child<QPushButton>(m_view.get(), u"lookInsideButton"_s);
    QVERIFY(lookInside->isVisible()); // nothing is read before the user asks
    QVERIFY(child<QLabel>(m_view.get(), u"filesEmptyText"_s)->text().contains(Imported));
    QVERIFY(m_transfers->jobs().isEmpty());
    QCOMPARE(unnamedControls(m_view.get()), QStringList());

    QSignalSpy loaded(m_view.get(), &ImageFilesView::loaded);
    QTest::mouseClick(lookInside, Qt::LeftButton);
    QCOMPARE(m_transfers->jobs().size(), 1);
    TransferJob *job = m_transfers->jobs().first();
    QCOMPARE(job->kind(), TransferJob::Kind::LookInside);
    QVERIFY(loaded.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(job->state(), TransferJob::State::Done, Timeout);

    auto *tree = child<QTreeView>(m_view.get(), u"filesTree"_s);
    QVERIFY(tree->isVisible());
    QStringList top;
    for (int row = 0; row < tree->model()->rowCount(); ++row)
        top << tree->model()->index(row, 0).data().toString();
    QCOMPARE(top, (QStringList{u"bin"_s, u"etc"_s, u"usr"_s}));
    const QString summary = child<QLabel>(m_view.get(), u"filesSummary"_s)->text();
    QVERIFY2(summary.contains(u"100.0 %") && summary.contains(u"wasted"), qPrintable(summary));
    QCOMPARE(unnamedControls(m_view.get()), QStringList());

    // A second look finds every layer indexed: nothing read again.
    m_view = openView();
    QSignalSpy second(m_view.get(), &ImageFilesView::loaded);
    m_view->lookInside();
    QVERIFY(second.wait(Timeout));
    QCOMPARE(m_view->contents()->layersFromCache, int(m_view->contents()->image.layers.size()));
}

void tst_ImageFilesView::layerSelectorShowsWhatTheLayerAdded()
{
    ImageFilesView *view = loadedView();
    QVERIFY(view);
    auto *layers = child<QComboBox>(view, u"layerCombo"_s);
    QCOMPARE(layers->count(), 2); // all layers, and the one layer the import made
    QVERIFY(layers->itemText(0).startsWith(u"All layers"));
    QVERIFY(layers->itemText(1).startsWith(u"Layer 1"));
    auto *changesOnly = child<QCheckBox>(view, u"changesOnlyCheck"_s);
    QVERIFY(!changesOnly->isEnabled()); // meaningless for the whole image
    auto *tree = child<QTreeView>(view, u"filesTree"_s);
    const QModelIndex whole
        = static_cast<ImageFilesModel *>(tree->model())->indexForPath("etc/motd");
    QVERIFY(whole.isValid());
    QVERIFY(!whole.data(Qt::ForegroundRole).isValid()); // the whole image is not all "added"

    QSignalSpy shown(view, &ImageFilesView::treeShown);
    layers->setFocus();
    QTest::keyClick(layers, Qt::Key_Down); // the keyboard picks a layer
    QVERIFY(shown.wait(Timeout));
    QVERIFY(changesOnly->isEnabled());
    const QModelIndex motd
        = static_cast<ImageFilesModel *>(tree->model())->indexForPath("etc/motd");
    QVERIFY(motd.isValid());
    QCOMPARE(motd.data(ImageFilesModel::ChangeRole).toInt(), int(ContentsEntry::Change::Added));
    QVERIFY(motd.data(Qt::ForegroundRole).isValid()); // coloured as an addition
    changesOnly->setChecked(true);
    QTRY_VERIFY(rows(tree->model()).contains(u"etc/motd"_s));
}

void tst_ImageFilesView::filterKeepsMatchesWithTheirFolders()
{
    ImageFilesView *view = loadedView();
    QVERIFY(view);
    auto *model = child<ImageFilesModel>(view, u"filesModel"_s);
    QSignalSpy applied(model, &ImageFilesModel::filterApplied);
    auto *filter = child<QLineEdit>(view, u"filesFilter"_s);
    auto *tree = child<QTreeView>(view, u"filesTree"_s);
    tree->setFocus();
    QTest::keySequence(tree, QKeySequence::Find);
    QVERIFY(filter->hasFocus());
    QTest::keyClicks(filter, u"MOTD"_s);
    QVERIFY(applied.wait(Timeout));
    QCOMPARE(rows(model), (QStringList{u"etc"_s, u"etc/motd"_s}));
    QVERIFY(child<QLabel>(view, u"filterStatus"_s)->text().contains(u"1 path"));
    filter->clear();
    QTest::keyClick(filter, Qt::Key_Z);
    QVERIFY(applied.wait(Timeout));
    QVERIFY(rows(model).isEmpty());
    QVERIFY(child<QLabel>(view, u"filterStatus"_s)->text().contains(u"No name"));
}

void tst_ImageFilesView::previewIsBoundedAndKnowsBinaries()
{
    ImageFilesView *view = loadedView();
    QVERIFY(view);
    auto *preview = child<FilePreview>(view, u"filePreview"_s);
    QSignalSpy shown(preview, &FilePreview::previewShown);

    QVERIFY(view->selectPath("etc/motd"));
    QVERIFY(shown.wait(Timeout));
    QCOMPARE(preview->text(), QString::fromUtf8(Motd));

    QVERIFY(view->selectPath("etc/big.conf"));
    QVERIFY(shown.wait(Timeout));
    QCOMPARE(preview->text().toUtf8(), bigText().left(FilePreview::Limit));
    QVERIFY2(preview->status().contains(u"first"), qPrintable(preview->status()));

    QVERIFY(view->selectPath("usr/lib/blob.bin"));
    QVERIFY(shown.wait(Timeout));
    QVERIFY(preview->text().isEmpty());
    QVERIFY2(preview->status().contains(u"binary"), qPrintable(preview->status()));

    // A folder needs no read: the sentence comes at once.
    const qsizetype before = shown.size();
    QVERIFY(view->selectPath("usr"));
    QCOMPARE(shown.size(), before + 1);
    QVERIFY(preview->status().contains(u"folder"));
}

void tst_ImageFilesView::largestFilesSelectInTheTree()
{
    ImageFilesView *view = loadedView();
    QVERIFY(view);
    auto *largest = child<QListWidget>(view, u"largestFiles"_s);
    QTRY_VERIFY(largest->count() > 0);
    QVERIFY(largest->item(0)->text().contains(u"etc/big.conf"));
    largest->setCurrentRow(0);
    largest->setFocus();
    QTest::keyClick(largest, Qt::Key_Return);
    auto *tree = child<QTreeView>(view, u"filesTree"_s);
    QCOMPARE(tree->currentIndex().data(ImageFilesModel::PathRole).toByteArray(), "etc/big.conf"_ba);
}

void tst_ImageFilesView::saveAsWritesAFileAFolderAndATar()
{
    ImageFilesView *view = loadedView();
    QVERIFY(view);
    auto *tree = child<QTreeView>(view, u"filesTree"_s);
    QSignalSpy started(view, &ImageFilesView::saveStarted);
    const auto lastJob = [&] {
        return started.last().first().value<TransferJob *>();
    };

    // A file, by its shortcut in the tree.
    QVERIFY(view->selectPath("bin/hello"));
    m_chooser.answer = m_dir.filePath(u"hello.sh"_s);
    QTest::keySequence(tree, QKeySequence::Save);
    QCOMPARE(m_chooser.asked.mode, FileRequest::Mode::Save);
    QVERIFY(m_chooser.asked.suggestedPath.endsWith(u"/hello"));
    QCOMPARE(started.size(), 1);
    QCOMPARE(lastJob()->kind(), TransferJob::Kind::SaveFiles);
    QTRY_VERIFY_WITH_TIMEOUT(lastJob()->isFinished(), Timeout);
    QVERIFY2(lastJob()->state() == TransferJob::State::Done, qPrintable(lastJob()->errorString()));
    QFile saved(m_chooser.answer);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), Hello);

    // A folder, into a folder.
    QVERIFY(view->selectPath("etc"));
    const QString folder = m_dir.filePath(u"out"_s);
    QVERIFY(QDir().mkpath(folder));
    m_chooser.answer = folder;
    child<QAction>(view, u"saveAsAction"_s)->trigger();
    QCOMPARE(m_chooser.asked.mode, FileRequest::Mode::Directory);
    QTRY_VERIFY_WITH_TIMEOUT(lastJob()->isFinished(), Timeout);
    QVERIFY2(lastJob()->state() == TransferJob::State::Done, qPrintable(lastJob()->errorString()));
    QFile motd(folder + u"/etc/motd"_s);
    QVERIFY(motd.open(QIODevice::ReadOnly));
    QCOMPARE(motd.readAll(), Motd);

    // A folder as a tar.
    QVERIFY(view->selectPath("usr"));
    m_chooser.answer = m_dir.filePath(u"usr.tar"_s);
    QTest::keySequence(tree, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    QTRY_VERIFY_WITH_TIMEOUT(lastJob()->isFinished(), Timeout);
    QVERIFY2(lastJob()->state() == TransferJob::State::Done, qPrintable(lastJob()->errorString()));
    QVERIFY2(tarListing(m_chooser.answer).join(u' ').contains(u"usr/lib/blob.bin"),
             qPrintable(tarListing(m_chooser.answer).join(u' ')));

    // A picker closed without an answer starts nothing.
    m_chooser.answer.clear();
    child<QAction>(view, u"saveArchiveAction"_s)->trigger();
    QCOMPARE(started.size(), 3);
}

void tst_ImageFilesView::cancelStopsTheLook()
{
    m_view = openView();
    QSignalSpy failed(m_view.get(), &ImageFilesView::failed);
    QTest::mouseClick(child<QPushButton>(m_view.get(), u"lookInsideButton"_s), Qt::LeftButton);
    QVERIFY(m_view->isLoading());
    auto *cancel = child<QPushButton>(m_view.get(), u"filesCancelButton"_s);
    QVERIFY(cancel->isVisible());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(failed.wait(Timeout));
    QCOMPARE(m_view->currentJob()->state(), TransferJob::State::Cancelled);
    QVERIFY(child<InlineMessage>(m_view.get(), u"filesNotice"_s)->text().contains(u"Stopped"));
    QVERIFY(child<QPushButton>(m_view.get(), u"lookInsideButton"_s)->isVisible());
}

void tst_ImageFilesView::anotherImageCancelsTheLook()
{
    m_view = openView();
    m_view->lookInside();
    QPointer<TransferJob> job = m_view->currentJob();
    QVERIFY(job && job->isActive());
    QSignalSpy failed(m_view.get(), &ImageFilesView::failed);
    m_view->clear(); // the user selected something else
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Cancelled);
    QCOMPARE(failed.size(), 0); // the view has moved on: no message about the old image
    QVERIFY(child<QLabel>(m_view.get(), u"filesEmptyText"_s)->text().contains(u"Select"));
}

void tst_ImageFilesView::missingImageSaysWhatToDo()
{
    m_view = std::make_unique<ImageFilesView>(m_transfers.get());
    m_view->setSource(std::shared_ptr<ContentsSource>(
                          backendContentsSource(*m_backend, u"berth-test/missing:1"_s)),
                      u"berth-test/missing:1"_s,
                      m_backend.get());
    m_view->show();
    QSignalSpy failed(m_view.get(), &ImageFilesView::failed);
    m_view->lookInside();
    QVERIFY(failed.wait(Timeout));
    auto *notice = child<InlineMessage>(m_view.get(), u"filesNotice"_s);
    QCOMPARE(notice->kind(), InlineMessage::Kind::Error);
    QVERIFY(notice->text().contains(u'\n')); // a sentence, then what to do
    QCOMPARE(notice->messageActions().size(), 1);
    QCOMPARE(notice->messageActions().first()->objectName(), u"noticeRetry"_s);
}

void tst_ImageFilesView::inspectHasTheFilesTab()
{
    ImageDetailsDialog dialog(m_backend.get(), Imported);
    dialog.showFiles(m_transfers.get());
    auto *files = child<ImageFilesView>(&dialog, u"imageFilesView"_s);
    auto *tabs = child<QTabWidget>(&dialog, u"tabs"_s);
    QCOMPARE(tabs->tabText(tabs->indexOf(files)), u"&Files"_s);
    QSignalSpy loaded(files, &ImageFilesView::loaded);
    dialog.show();
    tabs->setCurrentWidget(files); // a local image is read once the tab is shown
    QVERIFY(loaded.wait(Timeout));
    QVERIFY(files->contents()->tree->find("etc/motd") >= 0);
}

void tst_ImageFilesView::archiveBeforeLoading()
{
    // An archive the embedded store's save wrote, looked inside without loading it.
    const QString archive = m_dir.filePath(u"files.tar"_s);
    TransferJob *save = m_transfers->save({Imported}, archive);
    QTRY_VERIFY_WITH_TIMEOUT(save->isFinished(), Timeout);
    QVERIFY2(save->state() == TransferJob::State::Done, qPrintable(save->errorString()));
    ImageFilesDialog dialog(m_transfers.get(), archive);
    QVERIFY(dialog.windowTitle().contains(u"files.tar"));
    QSignalSpy loaded(dialog.view(), &ImageFilesView::loaded);
    dialog.show();
    QVERIFY(loaded.wait(Timeout));
    QVERIFY(dialog.view()->contents()->tree->find("etc/motd") >= 0);
    QCOMPARE(m_transfers->jobs().last()->kind(), TransferJob::Kind::LookInside);
}

QTEST_MAIN(tst_ImageFilesView)
#include "tst_imagefilesview.moc"
