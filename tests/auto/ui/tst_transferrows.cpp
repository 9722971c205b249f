// Failed rows of the Transfers dock (ui/transfersdock, transferdelegate, jobadvice) over a real
// job: an EmbeddedBackend on a temporary directory asked to load a filesystem tar. The row reads
// ErrorAdvice's words whole (wrapped over several lines in a narrow column, not cut), the tooltip
// and "Copy Details" keep the raw error, and the message under the list offers the advice's
// actions, which the main window carries out (Import… opens the import dialog on the file). No
// services.

#include "uitesthelpers.h"

#include "appservices.h"
#include "erroradvice.h"
#include "importdialog.h"
#include "inlinemessage.h"
#include "mainwindow.h"
#include "transferjob.h"
#include "transfermanager.h"
#include "transfersdock.h"
#include "transfersmodel.h"

#include "archive/tarwriter.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"
#include "store/imagebackend.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Berth::ErrorAdvice::Action)

namespace {

constexpr int Timeout = 60000;

bool writeRootfs(const QString &path)
{
    auto writer = TarWriter::toFile(path, Compression::None);
    if (!writer)
        return false;
    TarWriter &w = **writer;
    return w.addBytes(u".dockerenv"_s, {}) && w.addDirectory(u"bin"_s)
           && w.addBytes(u"bin/hello"_s, "#!/bin/sh\n") && w.addDirectory(u"etc"_s)
           && w.addBytes(u"etc/hostname"_s, "berth\n") && w.finish();
}

} // namespace

class tst_TransferRows final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void failedRowReadsAdvice();
    void failedRowWrapsWhole();
    void failureMessageOffersActions();
    void copyDetailsKeepsRawError();
    void windowTakesTheAdvice();

private:
    TransferJob *failedLoad();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<TransfersModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<TransfersDock> m_dock;
    QString m_rootfs;
};

void tst_TransferRows::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qunsetenv("BERTH_STORE");
}

void tst_TransferRows::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_rootfs = m_dir->filePath(u"rootfs.tar"_s);
    QVERIFY(writeRootfs(m_rootfs));
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_backend = std::make_unique<EmbeddedBackend>(m_dir->filePath(u"store"_s), m_client.get());
    m_transfers = std::make_unique<TransferManager>();
    m_transfers->setBackend(m_backend.get());
    m_model = std::make_unique<TransfersModel>(m_transfers.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_dock = std::make_unique<TransfersDock>(m_model.get());
    m_dock->resize(900, 300);
    m_dock->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dock.get()));
}

void tst_TransferRows::cleanup()
{
    m_dock.reset();
    m_tester.reset();
    m_model.reset();
    m_transfers.reset();
    m_backend.reset();
    m_client.reset();
    m_network.reset();
    m_dir.reset();
}

TransferJob *tst_TransferRows::failedLoad()
{
    TransferJob *job = m_transfers->load(m_rootfs);
    if (!QTest::qWaitFor([job] { return job->isFinished(); }, Timeout))
        return nullptr;
    return job->state() == TransferJob::State::Failed ? job : nullptr;
}

void tst_TransferRows::failedRowReadsAdvice()
{
    TransferJob *job = failedLoad();
    QVERIFY(job);
    QCOMPARE(job->subject().file, m_rootfs);
    const QModelIndex status = m_model->indexOf(job, TransfersModel::StatusColumn);
    const QString shown = status.data().toString();
    QVERIFY2(shown.startsWith(u"'rootfs.tar' is a filesystem archive (from docker export)"),
             qPrintable(shown));
    QVERIFY2(shown.contains(u"Import it as a new image instead?"), qPrintable(shown));
    // The raw error is not what the row says, but the tooltip and the details role keep it.
    QCOMPARE(status.data(TransfersModel::ErrorDetailsRole).toString(), job->errorString());
    const QString tip = status.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.startsWith(shown), qPrintable(tip));
    QVERIFY2(tip.contains(job->errorString()), qPrintable(tip));
    QCOMPARE(m_model->indexOf(job, TransfersModel::StateColumn).data().toString(), u"Failed"_s);
    // The chip and the wrapped text paint.
    QVERIFY(!m_dock->grab().isNull());
}

void tst_TransferRows::failedRowWrapsWhole()
{
    TransferJob *job = failedLoad();
    QVERIFY(job);
    QTreeView *view = child<QTreeView>(m_dock.get(), u"transfersView"_s);
    const QModelIndex status = m_model->indexOf(job, TransfersModel::StatusColumn);
    const int line = view->fontMetrics().height();
    const int text = view->fontMetrics().horizontalAdvance(status.data().toString());
    // Narrow enough that the sentence and the advice need four lines or more: the row grows to
    // hold them.
    view->header()->setStretchLastSection(false);
    view->header()->resizeSection(TransfersModel::StatusColumn, text / 3);
    QTRY_VERIFY2(view->visualRect(status).height() >= 4 * line,
                 qPrintable(QString::number(view->visualRect(status).height())));
    // Wide again: two lines, the sentence and the advice, give or take the margins.
    view->header()->resizeSection(TransfersModel::StatusColumn, text + 4 * line);
    QTRY_VERIFY(view->visualRect(status).height() < 3 * line);
}

void tst_TransferRows::failureMessageOffersActions()
{
    TransferJob *job = failedLoad();
    QVERIFY(job);
    QVERIFY(m_dock->selectJob(job));
    InlineMessage *message = child<InlineMessage>(m_dock.get(), u"failureMessage"_s);
    QTRY_VERIFY(message->isVisible());
    QCOMPARE(message->kind(), InlineMessage::Kind::Error);
    QVERIFY2(message->text().contains(u"'rootfs.tar' is a filesystem archive"),
             qPrintable(message->text()));
    QStringList names;
    for (QAction *a : message->messageActions())
        names << a->objectName();
    QCOMPARE(names, (QStringList{u"importAction"_s, u"copyDetailsAction"_s}));

    QSignalSpy asked(m_dock.get(), &TransfersDock::adviceActionTriggered);
    message->messageActions().first()->trigger();
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().at(0).value<ErrorAdvice::Action>(), ErrorAdvice::Action::Import);
    QCOMPARE(asked.first().at(1).value<TransferJob *>(), job);

    // Retried, the job runs again and the message goes; failed again, it comes back.
    child<QAction>(m_dock.get(), u"retryAction"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished() && job->runs() == 2, Timeout);
    QTRY_VERIFY(message->isVisible());
    QCOMPARE(m_dock->currentJob(), job);
}

void tst_TransferRows::copyDetailsKeepsRawError()
{
    TransferJob *job = failedLoad();
    QVERIFY(job);
    QVERIFY(m_dock->selectJob(job));
    QVERIFY(child<QAction>(m_dock.get(), u"copyDetailsAction"_s)->isEnabled());
    QGuiApplication::clipboard()->clear();
    child<QAction>(m_dock.get(), u"copyDetailsAction"_s)->trigger();
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY2(copied.contains(job->title()), qPrintable(copied));
    QVERIFY2(copied.contains(u"invalid-argument: "_s + job->errorString()), qPrintable(copied));
    QVERIFY2(copied.contains(u"FILESYSTEM_ARCHIVE"), qPrintable(copied));
}

void tst_TransferRows::windowTakesTheAdvice()
{
    // The window's own dock: Import… on a failed load opens the import dialog on its file.
    m_dock.reset();
    AppSettings settings;
    settings.backend = BackendChoice::Embedded;
    settings.storePath = m_dir->filePath(u"window-store"_s);
    settings.hubUrl = QUrl(u"http://127.0.0.1:9"_s); // nothing there: no Hub traffic
    AppServices services(settings);
    MainWindow window(&services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    services.openBackend(BackendChoice::Embedded);
    QTRY_VERIFY(services.backend() != nullptr);

    TransferJob *job = services.transfers()->load(m_rootfs);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Failed);
    TransfersDock *dock = child<TransfersDock>(&window, u"TransfersDock"_s);
    QVERIFY(dock->selectJob(job));
    QAction *import = nullptr;
    for (QAction *a : child<InlineMessage>(dock, u"failureMessage"_s)->messageActions()) {
        if (a->objectName() == ErrorAdvice::actionObjectName(ErrorAdvice::Action::Import))
            import = a;
    }
    QVERIFY(import);
    import->trigger();
    auto *dialog = BerthTest::waitForModal<ImportDialog>();
    QVERIFY(dialog);
    QCOMPARE(child<QLineEdit>(dialog, u"path"_s)->text(), m_rootfs);
    dialog->close();
}

QTEST_MAIN(tst_TransferRows)
#include "tst_transferrows.moc"
