// The Transfers dock (ui/transfersdock, transferdelegate) over real jobs run through the in-memory
// backend of tests/shared (FakeBackend), held mid-transfer where a job must stay running. Esc
// cancels (Cancelled, not an error), Retry runs it again, a failure mid-transfer offers Retry,
// "Show in folder" opens the directory of a file written, Clear removes finished jobs and keeps
// running ones; the progress column is painted by the delegate. Widgets are reached by object
// name.

#include "fakebackend.h"
#include "testhelpers.h"
#include "uitesthelpers.h"

#include "transferdelegate.h"
#include "transfermanager.h"
#include "transfersdock.h"
#include "transfersmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUrl>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 120000;

const QString Busybox = u"registry.test/berth/busybox:1.0"_s;
using Op = FakeBackend::Op;

} // namespace

class tst_TransfersDock final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void showsJobsWithProgress();
    void escCancelsRetryRuns();
    void failureMidTransferOffersRetry();
    void showInFolder();
    void clearFinished();
    void accessibleNames();

private:
    QAction *action(const QString &name) const { return child<QAction>(m_dock.get(), name); }
    QTreeView *view() const { return child<QTreeView>(m_dock.get(), u"transfersView"_s); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeBackend> m_backend;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<TransfersModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<TransfersDock> m_dock;
};

void tst_TransfersDock::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_backend = std::make_unique<FakeBackend>();
    m_backend->addRemoteImage(Busybox);
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
    m_dir.reset();
}

void tst_TransfersDock::showsJobsWithProgress()
{
    TransferJob *job = m_transfers->pull(parseReference(Busybox));
    // A new job brings the dock up, selected.
    QVERIFY(m_dock->isVisible());
    QVERIFY(QTest::qWaitForWindowExposed(m_dock.get()));
    QCOMPARE(m_dock->currentJob(), job);
    QVERIFY(m_dock->windowTitle().contains(u"1 active"));
    QVERIFY(action(u"cancelAction"_s)->isEnabled());
    QVERIFY(!action(u"retryAction"_s)->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Done);
    QCOMPARE(m_dock->windowTitle(), u"Transfers"_s);
    QVERIFY(!action(u"cancelAction"_s)->isEnabled());

    // The layers are the job's children in the view; the progress column paints a full bar.
    QTreeView *view = this->view();
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
    m_backend->holdNext(Op::Pull, 1);
    TransferJob *job = m_transfers->pull(parseReference(Busybox));
    QVERIFY(QTest::qWaitForWindowExposed(m_dock.get()));
    QTRY_VERIFY_WITH_TIMEOUT(job->current() > 0, Timeout);
    view()->setFocus();
    QTest::keyClick(view(), Qt::Key_Escape);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Cancelled);
    const QModelIndex status
        = m_model->index(m_model->indexOf(job).row(), TransfersModel::StatusColumn);
    QCOMPARE(status.data().toString(), u"Cancelled"_s);
    QTRY_VERIFY(action(u"retryAction"_s)->isEnabled());

    action(u"retryAction"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QVERIFY2(job->state() == TransferJob::State::Done, qPrintable(job->errorString()));
    QCOMPARE(job->runs(), 2);
}

void tst_TransfersDock::failureMidTransferOffersRetry()
{
    m_backend->failNext(Op::Pull, Error::Kind::Network, u"Connection reset by peer"_s, 2);
    TransferJob *job = m_transfers->pull(parseReference(Busybox));
    QVERIFY(QTest::qWaitForWindowExposed(m_dock.get()));
    QTRY_VERIFY(job->isFinished());
    QCOMPARE(job->state(), TransferJob::State::Failed);
    // The row says why, in ErrorAdvice's words naming the registry; Retry is offered, Cancel no
    // longer.
    const QModelIndex status
        = m_model->index(m_model->indexOf(job).row(), TransfersModel::StatusColumn);
    QVERIFY2(status.data().toString().contains(u"could not reach registry.test"),
             qPrintable(status.data().toString()));
    QTRY_VERIFY(action(u"retryAction"_s)->isEnabled());
    QVERIFY(!action(u"cancelAction"_s)->isEnabled());
    action(u"retryAction"_s)->trigger();
    QTRY_VERIFY(job->isFinished());
    QCOMPARE(job->state(), TransferJob::State::Done);
    QCOMPARE(job->runs(), 2);
}

void tst_TransfersDock::showInFolder()
{
    QList<QUrl> opened;
    m_dock->setUrlOpener([&](const QUrl &url) {
        opened.append(url);
        return true;
    });
    TransferJob *pull = m_transfers->pull(parseReference(Busybox));
    QTRY_VERIFY_WITH_TIMEOUT(pull->isFinished(), Timeout);
    QVERIFY(!action(u"showInFolderAction"_s)->isEnabled()); // a pull writes no file of the user's

    const QString path = m_dir->filePath(u"out/busybox.tar"_s);
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    TransferJob *save = m_transfers->save({Busybox}, path);
    QCOMPARE(m_dock->currentJob(), save);
    QTRY_VERIFY_WITH_TIMEOUT(save->isFinished(), Timeout);
    QVERIFY2(save->state() == TransferJob::State::Done, qPrintable(save->errorString()));
    QTRY_VERIFY(action(u"showInFolderAction"_s)->isEnabled());
    action(u"showInFolderAction"_s)->trigger();
    QCOMPARE(opened, QList<QUrl>{QUrl::fromLocalFile(m_dir->filePath(u"out"_s))});
}

void tst_TransfersDock::clearFinished()
{
    TransferJob *job = m_transfers->pull(parseReference(Busybox));
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QTRY_VERIFY(action(u"clearAction"_s)->isEnabled());
    // A job still running stays through Clear, and keeps Clear enabled only while finished ones
    // are there.
    m_backend->holdNext(Op::Pull);
    TransferJob *running = m_transfers->pull(parseReference(Busybox));
    QTRY_COMPARE(m_backend->heldCount(Op::Pull), 1);
    action(u"clearAction"_s)->trigger();
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_transfers->jobs(), QList<TransferJob *>{running});
    QVERIFY(!action(u"clearAction"_s)->isEnabled());

    QVERIFY(m_backend->release(Op::Pull));
    QTRY_VERIFY(running->isFinished());
    QTRY_VERIFY(action(u"clearAction"_s)->isEnabled());
    action(u"clearAction"_s)->trigger();
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(m_transfers->jobs().isEmpty());
    QVERIFY(!action(u"clearAction"_s)->isEnabled());
    QVERIFY(!m_dock->currentJob());
}

void tst_TransfersDock::accessibleNames()
{
    m_transfers->pull(parseReference(Busybox));
    QVERIFY2(unnamedControls(m_dock.get()).isEmpty(),
             qPrintable(unnamedControls(m_dock.get()).join(u", ")));
}

QTEST_MAIN(tst_TransfersDock)

#include "tst_transfersdock.moc"
