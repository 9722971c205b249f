// The Transfers dock (ui/transfersdock, transferdelegate) over real jobs: an EmbeddedBackend
// pulling from the plain registry of the test services, stalled through the fault proxy where a
// job must stay running. Esc cancels (Cancelled, not an error), Retry runs it again, "Show in
// folder" opens the directory of a file written, Clear removes finished jobs; the progress column
// is painted by the delegate.

#include "faultproxy.h"
#include "testhelpers.h"
#include "testservices.h"
#include "uitesthelpers.h"

#include "transferdelegate.h"
#include "transfermanager.h"
#include "transfersdock.h"
#include "transfersmodel.h"

#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUrl>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 120000;

} // namespace

class tst_TransfersDock final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void showsJobsWithProgress();
    void escCancelsRetryRuns();
    void showInFolder();
    void clearFinished();
    void accessibleNames();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<TransfersModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<TransfersDock> m_dock;
    QString m_registry;
};

void tst_TransfersDock::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    m_registry = TestServices::instance().registry(u"plain"_s).host;
}

void tst_TransfersDock::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_backend = std::make_unique<EmbeddedBackend>(m_dir->path() + u"/store", m_client.get());
    m_transfers = std::make_unique<TransferManager>();
    m_transfers->setBackend(m_backend.get());
    m_model = std::make_unique<TransfersModel>(m_transfers.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_dock = std::make_unique<TransfersDock>(m_model.get());
    m_dock->resize(900, 300);
    m_dock->hide();
}

void tst_TransfersDock::cleanup()
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

void tst_TransfersDock::showsJobsWithProgress()
{
    TransferJob *job = m_transfers->pull(parseReference(m_registry + u"/berth/busybox:1.0"));
    // A new job brings the dock up, selected.
    QVERIFY(m_dock->isVisible());
    QVERIFY(QTest::qWaitForWindowExposed(m_dock.get()));
    QCOMPARE(m_dock->currentJob(), job);
    QVERIFY(m_dock->windowTitle().contains(u"1 active"));
    QVERIFY(m_dock->cancelAction()->isEnabled());
    QVERIFY(!m_dock->retryAction()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Done);
    QCOMPARE(m_dock->windowTitle(), u"Transfers"_s);
    QVERIFY(!m_dock->cancelAction()->isEnabled());

    // The layers are the job's children in the view; the progress column paints a full bar.
    QTreeView *view = m_dock->view();
    const QModelIndex row = m_model->indexOf(job);
    QCOMPARE(view->model()->rowCount(row), job->itemCount());
    QVERIFY(qobject_cast<TransferDelegate *>(view->itemDelegate()));
    const QModelIndex progress = m_model->index(row.row(), TransfersModel::ProgressColumn);
    QCOMPARE(progress.data().toString(), u"100%"_s);
    QCOMPARE(progress.data(Qt::AccessibleTextRole).toString(), job->title() + u", 100 percent");
    view->expandAll();
    const QRect cell = view->visualRect(progress);
    QVERIFY(cell.isValid());
    const QImage before = view->viewport()->grab(cell).toImage();
    QVERIFY(!before.isNull());
    // A painted bar is not one flat colour.
    QSet<QRgb> colours;
    for (int x = 0; x < before.width(); ++x)
        colours.insert(before.pixel(x, before.height() / 2));
    QVERIFY2(colours.size() > 1, "the progress cell is blank");
}

void tst_TransfersDock::escCancelsRetryRuns()
{
    FaultProxy proxy(m_registry);
    QVERIFY(proxy.listen());
    proxy.addRule(FaultRule::stall("GET", u"^/v2/berth/busybox/blobs/sha256:"_s, 16, 600000, -1));
    TransferJob *job = m_transfers->pull(parseReference(proxy.host() + u"/berth/busybox:1.0"));
    QVERIFY(QTest::qWaitForWindowExposed(m_dock.get()));
    QTRY_VERIFY_WITH_TIMEOUT(job->current() > 0, Timeout);
    m_dock->view()->setFocus();
    QTest::keyClick(m_dock->view(), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Cancelled);
    const QModelIndex status
        = m_model->index(m_model->indexOf(job).row(), TransfersModel::StatusColumn);
    QCOMPARE(status.data().toString(), u"Cancelled"_s);
    QTRY_VERIFY(m_dock->retryAction()->isEnabled());

    proxy.clearRules();
    m_dock->retryAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QVERIFY2(job->state() == TransferJob::State::Done, qPrintable(job->errorString()));
    QCOMPARE(job->runs(), 2);
}

void tst_TransfersDock::showInFolder()
{
    QList<QUrl> opened;
    m_dock->setUrlOpener([&](const QUrl &url) {
        opened.append(url);
        return true;
    });
    TransferJob *pull = m_transfers->pull(parseReference(m_registry + u"/berth/busybox:1.0"));
    QTRY_VERIFY_WITH_TIMEOUT(pull->isFinished(), Timeout);
    QVERIFY(!m_dock->showInFolderAction()->isEnabled()); // a pull writes no file of the user's

    const QString path = m_dir->filePath(u"out/busybox.tar"_s);
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    TransferJob *save = m_transfers->save({m_registry + u"/berth/busybox:1.0"}, path);
    QCOMPARE(m_dock->currentJob(), save);
    QTRY_VERIFY_WITH_TIMEOUT(save->isFinished(), Timeout);
    QVERIFY2(save->state() == TransferJob::State::Done, qPrintable(save->errorString()));
    QTRY_VERIFY(m_dock->showInFolderAction()->isEnabled());
    m_dock->showInFolderAction()->trigger();
    QCOMPARE(opened, QList<QUrl>{QUrl::fromLocalFile(m_dir->filePath(u"out"_s))});
}

void tst_TransfersDock::clearFinished()
{
    TransferJob *job = m_transfers->pull(parseReference(m_registry + u"/berth/busybox:1.0"));
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QTRY_VERIFY(m_dock->clearAction()->isEnabled());
    m_dock->clearAction()->trigger();
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(m_transfers->jobs().isEmpty());
    QVERIFY(!m_dock->clearAction()->isEnabled());
    QVERIFY(!m_dock->currentJob());
}

void tst_TransfersDock::accessibleNames()
{
    m_transfers->pull(parseReference(m_registry + u"/berth/busybox:1.0"));
    QVERIFY2(unnamedControls(m_dock.get()).isEmpty(),
             qPrintable(unnamedControls(m_dock.get()).join(u", ")));
}

QTEST_MAIN(tst_TransfersDock)

#include "tst_transfersdock.moc"
