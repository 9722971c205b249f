// The load, import and export dialogs (ui/loaddialog, importdialog, exportdialog) driven through
// their widgets over real EmbeddedBackends on temporary directories: an image is imported from a
// filesystem tar (a bad --change refused as it is typed), exported through the injected file
// picker, saved and loaded back into another store by dropping the archive on the load dialog;
// a hostile archive is refused inline and changes nothing; a filesystem tar given to load is said
// to be one, with "Import…" opening the import dialog on it. File pickers start at home (a
// temporary one here) or in the folder last chosen for the same purpose, and their filters tell
// image archives from filesystem archives. The states a real store passes too quickly to catch
// run over the in-memory backend of tests/shared: Esc on a running load (cancelled, then closed),
// an export failing half-way (an error, no file, Try Again). Widgets are reached by object name.

#include "asynctest.h"
#include "fakebackend.h"
#include "uitesthelpers.h"

#include "erroradvice.h"
#include "exportdialog.h"
#include "importdialog.h"
#include "inlinemessage.h"
#include "jobprogress.h"
#include "loaddialog.h"
#include "transfermanager.h"

#include "archive/tarwriter.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 120000;
const QString Imported = u"berth-test/imported:1.0"_s;
const QByteArray Hello = "#!/bin/sh\necho hello from berth\n";

// A small root filesystem, as `docker export` would write one.
bool writeRootfs(const QString &path)
{
    auto writer = TarWriter::toFile(path, Compression::None);
    if (!writer)
        return false;
    TarWriter &w = **writer;
    return w.addDirectory(u"bin"_s) && w.addBytes(u"bin/hello"_s, Hello) && w.addDirectory(u"etc"_s)
           && w.addBytes(u"etc/motd"_s, "Bienvenue à bord\n") && w.finish();
}

// What no archive may hold: an entry that climbs out of wherever it is unpacked.
bool writeHostileArchive(const QString &path)
{
    auto writer = TarWriter::toFile(path, Compression::None);
    if (!writer)
        return false;
    return (*writer)->addBytes(u"../evil"_s, "x") && (*writer)->addBytes(u"manifest.json"_s, "[]")
           && (*writer)->finish();
}

QStringList tarListing(const QString &path)
{
    QProcess tar;
    tar.start(u"tar"_s, {u"-tf"_s, path});
    if (!tar.waitForFinished(60000) || tar.exitCode() != 0)
        return {};
    return QString::fromUtf8(tar.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
}

// A file picker that answers `path` and remembers what it was asked.
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

// One embedded store and the transfers through it.
struct Store
{
    explicit Store(const QString &path, RegistryClient *client)
        : backend(path, client)
    {
        transfers.setBackend(&backend);
    }
    Result<QList<LocalImage>> images()
    {
        return await<QList<LocalImage>>([&](auto done) { backend.listImages(done); });
    }
    QStringList tags()
    {
        QStringList all;
        for (const LocalImage &image : images().value_or(QList<LocalImage>()))
            all += image.repoTags;
        all.sort();
        return all;
    }
    EmbeddedBackend backend;
    TransferManager transfers;
};

} // namespace

class tst_ArchiveDialogs final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void isArchiveUrl_data();
    void isArchiveUrl();
    void importValidatesLiveAndImports();
    void importFromUrlField();
    void exportWritesThroughInjectedPath();
    void loadByDrop();
    void hostileArchiveChangesNothing();
    void loadFilesystemTarOffersImport();
    void escStopsARunningLoadThenCloses();
    void exportFailingHalfWayOffersRetry();
    void startingWhereUseful_data();
    void startingWhereUseful();
    void pickersStartAtHomeThenLastFolder();
    void filtersNameWhatTheArchiveHolds();

private:
    // Imports the small rootfs as `Imported` through the job manager (no dialog).
    void importDirectly();

    QTemporaryDir m_home;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<Store> m_store;
    QString m_rootfs;
};

void tst_ArchiveDialogs::initTestCase()
{
    // A home of its own, so that "starts at home" is a folder the test knows, and remembered
    // folders go to a test configuration.
    QVERIFY(m_home.isValid());
    qputenv("HOME", QFile::encodeName(m_home.path()));
    QStandardPaths::setTestModeEnabled(true);
    QCOMPARE(QDir::homePath(), m_home.path());
}

void tst_ArchiveDialogs::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_store = std::make_unique<Store>(m_dir->filePath(u"store"_s), m_client.get());
    m_rootfs = m_dir->filePath(u"rootfs.tar"_s);
    QVERIFY(writeRootfs(m_rootfs));
}

void tst_ArchiveDialogs::cleanup()
{
    m_store.reset();
    m_client.reset();
    m_network.reset();
    m_dir.reset();
}

void tst_ArchiveDialogs::importDirectly()
{
    ImportRequest request;
    request.reference = *ImageReference::parse(Imported);
    TransferJob *job = m_store->transfers.importFilesystem(ArchiveSource::file(m_rootfs), request);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QVERIFY2(job->state() == TransferJob::State::Done, qPrintable(job->errorString()));
}

void tst_ArchiveDialogs::isArchiveUrl_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<bool>("archive");
    QTest::newRow("tar") << QUrl::fromLocalFile(u"/tmp/a.tar"_s) << true;
    QTest::newRow("tar.gz") << QUrl::fromLocalFile(u"/tmp/a.tar.gz"_s) << true;
    QTest::newRow("tgz") << QUrl::fromLocalFile(u"/tmp/a.tgz"_s) << true;
    QTest::newRow("tar.zst") << QUrl::fromLocalFile(u"/tmp/a.tar.zst"_s) << true;
    QTest::newRow("tar.xz") << QUrl::fromLocalFile(u"/tmp/a.tar.xz"_s) << true;
    QTest::newRow("upper case") << QUrl::fromLocalFile(u"/tmp/IMAGES.TAR.GZ"_s) << true;
    QTest::newRow("non-ASCII name") << QUrl::fromLocalFile(u"/tmp/été.tar"_s) << true;
    QTest::newRow("zip") << QUrl::fromLocalFile(u"/tmp/a.zip"_s) << false;
    QTest::newRow("plain gz") << QUrl::fromLocalFile(u"/tmp/a.gz"_s) << false;
    QTest::newRow("no name") << QUrl::fromLocalFile(u"/tmp/.tar"_s) << false;
    QTest::newRow("remote") << QUrl(u"https://example.com/a.tar"_s) << false;
    QTest::newRow("empty") << QUrl() << false;
}

void tst_ArchiveDialogs::isArchiveUrl()
{
    QFETCH(QUrl, url);
    QFETCH(bool, archive);
    QCOMPARE(LoadDialog::isArchiveUrl(url), archive);
}

void tst_ArchiveDialogs::importValidatesLiveAndImports()
{
    ImportDialog dialog(&m_store->transfers);
    FakeChooser chooser{m_rootfs, {}, 0};
    dialog.setFileChooser(chooser.chooser());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(!child<QPushButton>(&dialog, u"import"_s)
                 ->isEnabled()); // nothing chosen yet, and no error either
    QVERIFY(child<InlineMessage>(&dialog, u"sourceError"_s)->text().isEmpty());

    // The file comes from the picker.
    QTest::mouseClick(child<QPushButton>(&dialog, u"browse"_s), Qt::LeftButton);
    QCOMPARE(chooser.calls, 1);
    QCOMPARE(chooser.asked.mode, FileRequest::Mode::Open);
    QCOMPARE(child<QLineEdit>(&dialog, u"path"_s)->text(), m_rootfs);
    QVERIFY(child<QPushButton>(&dialog, u"import"_s)->isEnabled());

    // A file that is not there is said as it is typed.
    child<QLineEdit>(&dialog, u"path"_s)->selectAll();
    QTest::keyClicks(child<QLineEdit>(&dialog, u"path"_s), m_dir->filePath(u"missing.tar"_s));
    QVERIFY2(child<InlineMessage>(&dialog, u"sourceError"_s)->text().contains(u"does not exist"),
             qPrintable(child<InlineMessage>(&dialog, u"sourceError"_s)->text()));
    QVERIFY(!child<QPushButton>(&dialog, u"import"_s)->isEnabled());
    child<QLineEdit>(&dialog, u"path"_s)->setText(m_rootfs);
    QVERIFY(child<InlineMessage>(&dialog, u"sourceError"_s)->text().isEmpty());

    // A reference with upper case is refused live with the parser's words, then accepted.
    QTest::keyClicks(child<QLineEdit>(&dialog, u"reference"_s), u"Berth/Imported:1.0"_s);
    QVERIFY(!child<InlineMessage>(&dialog, u"referenceError"_s)->text().isEmpty());
    QVERIFY(!child<QPushButton>(&dialog, u"import"_s)->isEnabled());
    child<QLineEdit>(&dialog, u"reference"_s)->clear();
    QTest::keyClicks(child<QLineEdit>(&dialog, u"reference"_s), Imported);
    QVERIFY2(child<InlineMessage>(&dialog, u"referenceError"_s)->text().isEmpty(),
             qPrintable(child<InlineMessage>(&dialog, u"referenceError"_s)->text()));
    QVERIFY(child<QPushButton>(&dialog, u"import"_s)->isEnabled());

    // A bad change is named with its line as soon as it is typed; the import waits for a fix.
    QTest::keyClicks(child<QPlainTextEdit>(&dialog, u"changes"_s), u"ENV LANG=C.UTF-8"_s);
    QTest::keyClick(child<QPlainTextEdit>(&dialog, u"changes"_s), Qt::Key_Return);
    QTest::keyClicks(child<QPlainTextEdit>(&dialog, u"changes"_s), u"FROB x"_s);
    const QString changeError = child<InlineMessage>(&dialog, u"changesError"_s)->text();
    QVERIFY2(changeError.startsWith(u"Line 2:"), qPrintable(changeError));
    QVERIFY2(changeError.contains(u"FROB"), qPrintable(changeError));
    QVERIFY(!child<QPushButton>(&dialog, u"import"_s)->isEnabled());
    QVERIFY(!ImportDialog::validateChanges({u"EXPOSE notaport"_s}));
    QVERIFY(ImportDialog::validateChanges({u"ENV A=b"_s, u"WORKDIR $A"_s}));

    // Fixed: the last line becomes a good CMD.
    for (int i = 0; i < int(QStringLiteral("FROB x").size()); ++i)
        QTest::keyClick(child<QPlainTextEdit>(&dialog, u"changes"_s), Qt::Key_Backspace);
    QTest::keyClicks(child<QPlainTextEdit>(&dialog, u"changes"_s), u"CMD [\"/bin/hello\"]"_s);
    QVERIFY2(child<InlineMessage>(&dialog, u"changesError"_s)->text().isEmpty(),
             qPrintable(child<InlineMessage>(&dialog, u"changesError"_s)->text()));
    QCOMPARE(dialog.changes(), (QStringList{u"ENV LANG=C.UTF-8"_s, u"CMD [\"/bin/hello\"]"_s}));
    QTest::keyClicks(child<QLineEdit>(&dialog, u"message"_s), u"Imported by tst_archivedialogs"_s);
    QVERIFY(child<QPushButton>(&dialog, u"import"_s)->isEnabled());

    QTest::mouseClick(child<QPushButton>(&dialog, u"import"_s), Qt::LeftButton);
    QVERIFY(dialog.job());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.job()->isFinished(), Timeout);
    QVERIFY2(dialog.job()->state() == TransferJob::State::Done,
             qPrintable(dialog.job()->errorString()));
    QCOMPARE(child<InlineMessage>(&dialog, u"result"_s)->kind(), InlineMessage::Kind::Positive);
    QVERIFY2(child<InlineMessage>(&dialog, u"result"_s)->text().contains(Imported),
             qPrintable(child<InlineMessage>(&dialog, u"result"_s)->text()));

    // The store has the image, with the changes and the message.
    const auto details = await<LocalImageDetails>(
        [&](auto done) { m_store->backend.inspectImage(Imported, done); });
    QVERIFY2(details, details ? "" : qPrintable(details.error().message));
    QCOMPARE(details->config.cmd, QStringList{u"/bin/hello"_s});
    QVERIFY(details->config.env.contains(u"LANG=C.UTF-8"_s));
    QVERIFY(!details->config.history.isEmpty());
    QCOMPARE(details->config.history.last().comment, u"Imported by tst_archivedialogs"_s);
}

void tst_ArchiveDialogs::importFromUrlField()
{
    ImportDialog dialog(&m_store->transfers);
    QTest::mouseClick(child<QRadioButton>(&dialog, u"fromUrl"_s), Qt::LeftButton);
    QVERIFY(child<QRadioButton>(&dialog, u"fromUrl"_s)->isChecked());
    QVERIFY(!child<QLineEdit>(&dialog, u"path"_s)->isEnabled());
    QTest::keyClicks(child<QLineEdit>(&dialog, u"url"_s), u"ftp://example.com/rootfs.tar"_s);
    QVERIFY2(child<InlineMessage>(&dialog, u"sourceError"_s)->text().contains(u"http"),
             qPrintable(child<InlineMessage>(&dialog, u"sourceError"_s)->text()));
    QVERIFY(!child<QPushButton>(&dialog, u"import"_s)->isEnabled());
    child<QLineEdit>(&dialog, u"url"_s)->clear();
    QTest::keyClicks(child<QLineEdit>(&dialog, u"url"_s), u"https://example.com/rootfs.tar.gz"_s);
    QVERIFY(child<InlineMessage>(&dialog, u"sourceError"_s)->text().isEmpty());
    const auto source = dialog.source();
    QVERIFY(source);
    QCOMPARE(source->url, QUrl(u"https://example.com/rootfs.tar.gz"_s));
    QVERIFY(child<QPushButton>(&dialog, u"import"_s)->isEnabled());
}

void tst_ArchiveDialogs::exportWritesThroughInjectedPath()
{
    importDirectly();
    ExportDialog dialog(&m_store->transfers, Imported);
    const QString target = m_dir->filePath(u"exported-rootfs.tar"_s);
    FakeChooser chooser{target, {}, 0};
    dialog.setFileChooser(chooser.chooser());
    QList<QUrl> opened;
    dialog.setUrlOpener([&opened](const QUrl &url) {
        opened.append(url);
        return true;
    });
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(child<QLineEdit>(&dialog, u"path"_s)->text().endsWith(u"imported-1.0-rootfs.tar"));

    // An unknown platform is named before anything runs; an empty one means this computer's.
    child<QComboBox>(&dialog, u"platform"_s)->setCurrentText(u"linux"_s);
    QVERIFY(!child<InlineMessage>(&dialog, u"platformError"_s)->text().isEmpty());
    QVERIFY(!child<QPushButton>(&dialog, u"export"_s)->isEnabled());
    child<QComboBox>(&dialog, u"platform"_s)->setCurrentText(QString());
    QVERIFY(child<InlineMessage>(&dialog, u"platformError"_s)->text().isEmpty());

    QTest::mouseClick(child<QPushButton>(&dialog, u"browse"_s), Qt::LeftButton);
    QCOMPARE(chooser.asked.mode, FileRequest::Mode::Save);
    QCOMPARE(dialog.path(), target);
    QVERIFY(child<QPushButton>(&dialog, u"export"_s)->isEnabled());
    QTest::mouseClick(child<QPushButton>(&dialog, u"export"_s), Qt::LeftButton);
    QVERIFY(dialog.job());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.job()->isFinished(), Timeout);
    QVERIFY2(dialog.job()->state() == TransferJob::State::Done,
             qPrintable(dialog.job()->errorString()));

    // The tar holds the image's files, and the dialog shows where it went.
    const QStringList entries = tarListing(target);
    QVERIFY2(entries.contains(u"bin/hello"_s), qPrintable(entries.join(u", ")));
    QVERIFY2(entries.contains(u"etc/motd"_s), qPrintable(entries.join(u", ")));
    QVERIFY(child<QLabel>(&dialog, u"file"_s)->isVisible());
    QCOMPARE(child<QLabel>(&dialog, u"file"_s)->text(), target);
    QVERIFY(child<QPushButton>(&dialog, u"showInFolder"_s)->isVisible());
    QTest::mouseClick(child<QPushButton>(&dialog, u"showInFolder"_s), Qt::LeftButton);
    QCOMPARE(opened, QList<QUrl>{QUrl::fromLocalFile(m_dir->path())});
}

void tst_ArchiveDialogs::loadByDrop()
{
    importDirectly();
    const QString archive = m_dir->filePath(u"saved.tar.gz"_s);
    TransferJob *saved = m_store->transfers.save({Imported}, archive);
    QTRY_VERIFY_WITH_TIMEOUT(saved->isFinished(), Timeout);
    QVERIFY2(saved->state() == TransferJob::State::Done, qPrintable(saved->errorString()));

    // Another, empty store loads it back.
    Store other(m_dir->filePath(u"other-store"_s), m_client.get());
    QCOMPARE(other.tags(), QStringList());
    LoadDialog dialog(&other.transfers);
    QSignalSpy loaded(&dialog, &LoadDialog::loaded);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(!child<QPushButton>(&dialog, u"load"_s)->isEnabled());

    // Something that is not an archive is not taken.
    QMimeData notArchive;
    notArchive.setUrls({QUrl::fromLocalFile(m_dir->filePath(u"notes.txt"_s))});
    QDragEnterEvent refused(QPoint(10, 10), Qt::CopyAction, &notArchive, Qt::LeftButton, {});
    QCoreApplication::sendEvent(&dialog, &refused);
    QVERIFY(!refused.isAccepted());

    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(archive)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, {});
    QCoreApplication::sendEvent(&dialog, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, {});
    QCoreApplication::sendEvent(&dialog, &drop);
    QCOMPARE(dialog.path(), archive);
    QVERIFY(dialog.job());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.job()->isFinished(), Timeout);
    QVERIFY2(dialog.job()->state() == TransferJob::State::Done,
             qPrintable(dialog.job()->errorString()));
    QCOMPARE(child<InlineMessage>(&dialog, u"message"_s)->kind(), InlineMessage::Kind::Positive);
    QCOMPARE(child<InlineMessage>(&dialog, u"message"_s)->text(), u"Loaded image: "_s + Imported);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(other.tags(), QStringList{Imported});
    QCOMPARE(child<QProgressBar>(&dialog, u"progress"_s)->value(),
             child<QProgressBar>(&dialog, u"progress"_s)->maximum());
}

void tst_ArchiveDialogs::hostileArchiveChangesNothing()
{
    importDirectly();
    const QStringList before = m_store->tags();
    const QStringList blobsBefore
        = QDir(m_dir->filePath(u"store/blobs/sha256"_s)).entryList(QDir::Files | QDir::Hidden);
    QDir work(m_dir->filePath(u"work"_s));
    QVERIFY(work.mkpath(u"."_s));
    const QString hostile = work.filePath(u"hostile.tar"_s);
    QVERIFY(writeHostileArchive(hostile));

    LoadDialog dialog(&m_store->transfers);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(child<QLineEdit>(&dialog, u"path"_s), hostile);
    QVERIFY(child<QPushButton>(&dialog, u"load"_s)->isEnabled());
    QTest::keyClick(child<QLineEdit>(&dialog, u"path"_s), Qt::Key_Return);
    QVERIFY(dialog.job());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.job()->isFinished(), Timeout);
    QCOMPARE(dialog.job()->state(), TransferJob::State::Failed);
    QCOMPARE(child<InlineMessage>(&dialog, u"message"_s)->kind(), InlineMessage::Kind::Error);
    const QString shown = child<InlineMessage>(&dialog, u"message"_s)->text();
    QVERIFY2(shown.contains(u"'../evil'"), qPrintable(shown));
    QVERIFY2(shown.contains(u"Nothing was loaded"), qPrintable(shown));

    // Nothing changed: the same tags and blobs, and nothing written beside the archive.
    QCOMPARE(m_store->tags(), before);
    QCOMPARE(QDir(m_dir->filePath(u"store/blobs/sha256"_s)).entryList(QDir::Files | QDir::Hidden),
             blobsBefore);
    QVERIFY(!QFileInfo::exists(m_dir->filePath(u"evil"_s)));
    QVERIFY(!QFileInfo::exists(work.filePath(u"../evil"_s)));

    // A path that is not there is said before any job starts.
    child<QLineEdit>(&dialog, u"path"_s)->setText(work.filePath(u"missing.tar"_s));
    QVERIFY(!dialog.start());
    QVERIFY2(child<InlineMessage>(&dialog, u"message"_s)->text().contains(u"does not exist"),
             qPrintable(child<InlineMessage>(&dialog, u"message"_s)->text()));
}

void tst_ArchiveDialogs::loadFilesystemTarOffersImport()
{
    // What docker export writes, given to load: it is said to be one, and Import… takes it.
    auto *dialog = new LoadDialog(&m_store->transfers);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<LoadDialog> load(dialog);
    dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    dialog->setPath(m_rootfs);
    QVERIFY(dialog->start());
    QTRY_VERIFY_WITH_TIMEOUT(dialog->job()->isFinished(), Timeout);
    QCOMPARE(dialog->job()->state(), TransferJob::State::Failed);
    QCOMPARE(child<InlineMessage>(dialog, u"message"_s)->kind(), InlineMessage::Kind::Error);
    const QString shown = child<InlineMessage>(dialog, u"message"_s)->text();
    QVERIFY2(shown.startsWith(u"'rootfs.tar' is a filesystem archive (from docker export), not an "
                              "image archive."_s),
             qPrintable(shown));
    QVERIFY2(shown.contains(u"Import it as a new image instead?"), qPrintable(shown));
    QVERIFY2(!shown.contains(u"manifest.json"), qPrintable(shown));
    const QList<QAction *> actions = child<InlineMessage>(dialog, u"message"_s)->messageActions();
    QCOMPARE(actions.size(), 1);
    QCOMPARE(actions.first()->objectName(),
             ErrorAdvice::actionObjectName(ErrorAdvice::Action::Import));

    // Import… opens the import dialog on the same file, in place of the load dialog.
    actions.first()->trigger();
    const auto openImport = [] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (auto *d = qobject_cast<ImportDialog *>(w); d && d->isVisible())
                return d;
        }
        return static_cast<ImportDialog *>(nullptr);
    };
    QTRY_VERIFY(openImport());
    ImportDialog *import = openImport();
    QCOMPARE(child<QLineEdit>(import, u"path"_s)->text(), m_rootfs);
    QVERIFY(child<QRadioButton>(import, u"fromFile"_s)->isChecked());
    QVERIFY(child<QPushButton>(import, u"import"_s)->isEnabled());
    QTRY_VERIFY(!load);
    import->close();
}

// The dialogs while their job runs, held there by the in-memory backend of tests/shared: Esc
// stops the job (a cancel, said as one), a second Esc closes.
void tst_ArchiveDialogs::escStopsARunningLoadThenCloses()
{
    FakeBackend backend;
    TransferManager transfers;
    transfers.setBackend(&backend);
    backend.holdNext(FakeBackend::Op::Load, 1);
    LoadDialog dialog(&transfers);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setPath(m_rootfs);
    QVERIFY(dialog.start());
    QTRY_COMPARE(backend.heldCount(FakeBackend::Op::Load), 1);
    QVERIFY(dialog.isRunning());
    QVERIFY(!child<QPushButton>(&dialog, u"load"_s)->isEnabled());

    QTest::keyClick(&dialog, Qt::Key_Escape);
    QTRY_COMPARE(dialog.job()->state(), TransferJob::State::Cancelled);
    QCOMPARE(backend.heldCount(FakeBackend::Op::Load), 0);
    QVERIFY(dialog.isVisible());
    QCOMPARE(child<InlineMessage>(&dialog, u"message"_s)->kind(), InlineMessage::Kind::Information);
    QVERIFY(backend.images().isEmpty());
    QTest::keyClick(&dialog, Qt::Key_Escape);
    QTRY_VERIFY(!dialog.isVisible());
}

void tst_ArchiveDialogs::exportFailingHalfWayOffersRetry()
{
    FakeBackend backend;
    TransferManager transfers;
    transfers.setBackend(&backend);
    backend.addImage(Imported);
    backend.failNext(FakeBackend::Op::Export, Error::Kind::Io, u"No space left on device"_s, 1);
    const QString path = m_dir->filePath(u"half.tar"_s);
    ExportDialog dialog(&transfers, Imported);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    child<QLineEdit>(&dialog, u"path"_s)->setText(path);
    QTest::mouseClick(child<QPushButton>(&dialog, u"export"_s), Qt::LeftButton);
    QVERIFY(dialog.job());
    QTRY_VERIFY(dialog.job()->isFinished());
    QCOMPARE(dialog.job()->state(), TransferJob::State::Failed);
    // Said as an error, with no file left under the name and a way to try again.
    InlineMessage *message = child<InlineMessage>(&dialog, u"message"_s);
    QCOMPARE(message->kind(), InlineMessage::Kind::Error);
    QVERIFY(!QFileInfo::exists(path));
    QAction *again = nullptr;
    for (QAction *a : message->messageActions()) {
        if (a->objectName() == ErrorAdvice::actionObjectName(ErrorAdvice::Action::Retry))
            again = a;
    }
    QVERIFY(again);
    again->trigger();
    QTRY_VERIFY(dialog.job()->isFinished());
    QVERIFY2(dialog.job()->state() == TransferJob::State::Done,
             qPrintable(dialog.job()->errorString()));
    QVERIFY(QFileInfo(path).size() > 0);
}

void tst_ArchiveDialogs::startingWhereUseful_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("suggested");
    QTest::addColumn<QString>("expected"); // "~" stands for home
    const int open = int(FileRequest::Mode::Open);
    const int save = int(FileRequest::Mode::Save);
    QTest::newRow("nothing") << open << QString() << u"~"_s;
    QTest::newRow("relative folder") << open << u"some/where"_s << u"~"_s;
    QTest::newRow("missing folder") << open << u"/nonexistent/berth"_s << u"~"_s;
    QTest::newRow("existing folder") << open << u"/tmp"_s << u"/tmp"_s;
    QTest::newRow("save, name only") << save << u"busybox.tar"_s << u"~/busybox.tar"_s;
    QTest::newRow("save, missing folder")
        << save << u"/nonexistent/busybox.tar"_s << u"~/busybox.tar"_s;
    QTest::newRow("save, existing folder")
        << save << u"/tmp/busybox.tar"_s << u"/tmp/busybox.tar"_s;
}

void tst_ArchiveDialogs::startingWhereUseful()
{
    // Never the process's working folder: a suggestion without a real folder starts at home.
    QFETCH(int, mode);
    QFETCH(QString, suggested);
    QFETCH(QString, expected);
    FileRequest request;
    request.mode = FileRequest::Mode(mode);
    request.suggestedPath = suggested;
    request.purpose = u"test"_s;
    expected.replace(u'~', QDir::homePath());
    QCOMPARE(Berth::startingWhereUseful(request).suggestedPath, expected);
}

void tst_ArchiveDialogs::pickersStartAtHomeThenLastFolder()
{
    QDir archives(m_dir->filePath(u"archives"_s));
    QVERIFY(archives.mkpath(u"."_s));
    FakeChooser chooser{archives.filePath(u"images.tar"_s), {}, 0};
    {
        LoadDialog dialog(&m_store->transfers);
        dialog.setFileChooser(chooser.chooser());
        dialog.browse();
        QCOMPARE(chooser.asked.suggestedPath, QDir::homePath());
        QCOMPARE(dialog.path(), archives.filePath(u"images.tar"_s));
    }
    {
        // The next load starts where the last one was chosen; an import, with its own memory,
        // still at home.
        LoadDialog dialog(&m_store->transfers);
        dialog.setFileChooser(chooser.chooser());
        dialog.browse();
        QCOMPARE(chooser.asked.suggestedPath, archives.path());
        ImportDialog import(&m_store->transfers);
        import.setFileChooser(chooser.chooser());
        import.browse();
        QCOMPARE(chooser.asked.suggestedPath, QDir::homePath());
    }
    {
        // An export is prefilled in the folder of the last export.
        ExportDialog first(&m_store->transfers, Imported);
        QCOMPARE(QFileInfo(first.path()).path(), QDir::homePath());
        first.setFileChooser(chooser.chooser());
        chooser.answer = archives.filePath(u"rootfs.tar"_s);
        QVERIFY(first.browse());
        ExportDialog second(&m_store->transfers, Imported);
        QCOMPARE(second.path(), archives.filePath(u"imported-1.0-rootfs.tar"_s));
    }
}

void tst_ArchiveDialogs::filtersNameWhatTheArchiveHolds()
{
    FakeChooser chooser{QString(), {}, 0};
    LoadDialog load(&m_store->transfers);
    load.setFileChooser(chooser.chooser());
    load.browse();
    QVERIFY2(chooser.asked.filter.startsWith(u"Image archives (*.tar"),
             qPrintable(chooser.asked.filter));
    ImportDialog import(&m_store->transfers);
    import.setFileChooser(chooser.chooser());
    import.browse();
    QVERIFY2(chooser.asked.filter.startsWith(u"Filesystem archives (*.tar"),
             qPrintable(chooser.asked.filter));
    ExportDialog exporter(&m_store->transfers, Imported);
    exporter.setFileChooser(chooser.chooser());
    exporter.browse();
    QCOMPARE(chooser.asked.mode, FileRequest::Mode::Save);
    QVERIFY2(chooser.asked.filter.startsWith(u"Filesystem archives (*.tar"),
             qPrintable(chooser.asked.filter));
}

QTEST_MAIN(tst_ArchiveDialogs)
#include "tst_archivedialogs.moc"
