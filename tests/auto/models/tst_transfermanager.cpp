// The job manager (models/transfermanager, transferjob) and its model (models/transfersmodel)
// driving the in-memory backend of tests/shared (FakeBackend), whose pretend registry holds the
// image: states, per-layer progress, cancel (Cancelled, not Failed) mid-transfer and during the
// naming step of a push, retry, queueing, failures in the user's words (from the backend, and
// mid-transfer), the archive jobs (save, load, export) with their output files and a save that
// fails half-way, and the push that names an image for its destination first. The same jobs over
// a real store and registry: tst_embeddedbackend and the CLI tests. The Files tab's look-inside
// job runs without a backend, and fails when the backend it reads from closes.

#include "asynctest.h"
#include "fakebackend.h"
#include "testhelpers.h"

#include "transfermanager.h"
#include "transfersmodel.h"

#include "contents/treediff.h"
#include "imagefiles/contentssource.h"
#include "imagefiles/imagecontents.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// Every state a job went through, in order; lives as long as the job.
class StateLog final : public QObject
{
public:
    explicit StateLog(TransferJob *job)
        : QObject(job)
    {
        states.append(job->state());
        connect(job, &TransferJob::stateChanged, this, [this](TransferJob::State s) {
            states.append(s);
        });
    }
    QList<TransferJob::State> states;
};

constexpr int Timeout = 120000;
const QString Registry = u"registry.test"_s;
using Op = FakeBackend::Op;

} // namespace

class tst_TransferManager final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void pullStatesAndProgress();
    void cancelIsNotAFailure();
    void cancelQueuedJob();
    void failureInTheUsersWordsAndRetry();
    void failureMidTransfer();
    void queueing();
    void noBackend();
    void saveLoadExport();
    void pushNamesThenPushes();
    void pushOfAnUnknownImageFails();
    void cancelWhileNamingForThePush();
    void saveFailingHalfWayLeavesNoFile();
    void isNamed_data();
    void isNamed();
    void clearFinished();
    void lookInsideNeedsNoBackend();
    void lookInsideFailsWhenItsBackendCloses();

private:
    QString busybox(const QString &tag = u"1.0"_s) const
    {
        return Registry + u"/berth/busybox:" + tag;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeBackend> m_backend;
    std::unique_ptr<TransferManager> m_manager;
    std::unique_ptr<TransfersModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_TransferManager::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_backend = std::make_unique<FakeBackend>();
    // Two tags of one image in the registry, as the test services' busybox.
    m_backend->addRemoteImage(busybox());
    m_backend->addRemoteImage(busybox(u"latest"_s));
    m_manager = std::make_unique<TransferManager>();
    m_manager->setBackend(m_backend.get());
    m_model = std::make_unique<TransfersModel>(m_manager.get());
    // Watches every insertion, change and removal the jobs cause, for the whole test.
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_TransferManager::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_manager.reset();
    m_backend.reset();
    m_dir.reset();
}

void tst_TransferManager::pullStatesAndProgress()
{
    const int blobs = FakeImageSpec().layers + 1; // and the config
    QSignalSpy added(m_manager.get(), &TransferManager::jobAdded);
    QSignalSpy finished(m_manager.get(), &TransferManager::jobFinished);

    TransferJob *job = m_manager->pull(parseReference(busybox()));
    auto *log = new StateLog(job);
    QCOMPARE(added.size(), 1);
    QCOMPARE(job->kind(), TransferJob::Kind::Pull);
    QVERIFY2(job->title().contains(u"berth/busybox:1.0"), qPrintable(job->title()));
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->job(m_model->index(0, 0)), job);

    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QVERIFY2(job->state() == TransferJob::State::Done, qPrintable(job->errorString()));
    QCOMPARE(log->states,
             (QList<TransferJob::State>{TransferJob::State::Running, TransferJob::State::Done}));
    QCOMPARE(finished.size(), 1);
    QVERIFY(job->errorString().isEmpty());

    // One item per blob, each complete; the total counts them all.
    QCOMPARE(job->itemCount(), blobs);
    for (const TransferJob::Item &item : job->items()) {
        QVERIFY2(item.state == TransferProgress::State::Done, qPrintable(item.name));
        QCOMPARE(item.current, item.total);
        QVERIFY(item.name.startsWith(u"sha256:"));
    }
    QVERIFY(job->total() > 0);
    QCOMPARE(job->current(), job->total());
    QCOMPARE(job->fraction(), 1.0);
    QCOMPARE(job->speed(), 0.0); // only a running job has a speed
    QCOMPARE(job->etaSeconds(), -1);
    QCOMPARE(job->resultImages(), QStringList{parseReference(busybox()).familiarString()});
    QVERIFY2(job->summary().contains(u"Downloaded"), qPrintable(job->summary()));
    QCOMPARE(job->statusText(), job->summary());

    // The model shows the same: the job row, its layers as children, raw values to sort by.
    const QModelIndex row = m_model->indexOf(job);
    QCOMPARE(m_model->rowCount(row), blobs);
    QCOMPARE(m_model->index(0, TransfersModel::StateColumn, row)
                 .data(TransfersModel::RawValueRole)
                 .toInt(),
             int(TransferProgress::State::Done));
    QCOMPARE(m_model->index(row.row(), TransfersModel::StateColumn)
                 .data(TransfersModel::RawValueRole)
                 .toInt(),
             int(TransferJob::State::Done));
    QCOMPARE(m_model->index(row.row(), TransfersModel::ProgressColumn)
                 .data(TransfersModel::RawValueRole)
                 .toDouble(),
             1.0);
    QCOMPARE(m_model->index(row.row(), TransfersModel::ProgressColumn).data().toString(),
             u"100%"_s);
    QCOMPARE(m_model->index(row.row(), TransfersModel::SizeColumn)
                 .data(TransfersModel::RawValueRole)
                 .toLongLong(),
             job->total());
    QVERIFY(!job->canRetry());
    QVERIFY(!job->canCancel());

    // The second pull of the same image downloads nothing and says so.
    TransferJob *again = m_manager->pull(parseReference(busybox()));
    QTRY_VERIFY_WITH_TIMEOUT(again->isFinished(), Timeout);
    QCOMPARE(again->state(), TransferJob::State::Done);
    QVERIFY2(again->summary().contains(u"up to date"), qPrintable(again->summary()));
    for (const TransferJob::Item &item : again->items())
        QCOMPARE(item.state, TransferProgress::State::Skipped);
}

void tst_TransferManager::cancelIsNotAFailure()
{
    // Half of the first blob, then nothing until the test says: only cancelling ends it.
    m_backend->holdNext(Op::Pull, 1);
    QSignalSpy finished(m_manager.get(), &TransferManager::jobFinished);
    TransferJob *job = m_manager->pull(parseReference(busybox()));
    auto *log = new StateLog(job);
    QTRY_VERIFY_WITH_TIMEOUT(job->current() > 0, Timeout);
    QCOMPARE(job->state(), TransferJob::State::Running);
    QVERIFY(job->canCancel());
    // The model knows the job is running with some bytes already.
    const QModelIndex row = m_model->indexOf(job);
    QVERIFY(m_model->index(row.row(), TransfersModel::SizeColumn)
                .data(TransfersModel::RawValueRole)
                .toLongLong()
            > 0);

    job->cancel();
    QVERIFY(!job->canCancel()); // asked once: a second request means nothing
    QCOMPARE(job->statusText(), u"Cancelling…"_s);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Cancelled);
    QVERIFY(job->errorString().isEmpty());
    QCOMPARE(job->statusText(), u"Cancelled"_s);
    QCOMPARE(
        log->states,
        (QList<TransferJob::State>{TransferJob::State::Running, TransferJob::State::Cancelled}));
    QCOMPARE(finished.size(), 1);
    QVERIFY(job->canRetry());
    auto images = await<QList<LocalImage>>([&](auto done) { m_backend->listImages(done); });
    QVERIFY(images);
    QVERIFY(images->isEmpty());

    // Retry runs the same request again; with the registry answering normally it completes.
    QCOMPARE(m_backend->heldCount(Op::Pull), 0); // the cancelled call let go
    job->retry();
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QVERIFY2(job->state() == TransferJob::State::Done, qPrintable(job->errorString()));
    QCOMPARE(job->runs(), 2);
    QCOMPARE(finished.size(), 2);
    QCOMPARE(m_model->rowCount(), 1); // the same job, not a new one
    images = await<QList<LocalImage>>([&](auto done) { m_backend->listImages(done); });
    QVERIFY(images);
    QCOMPARE(images->size(), 1);
}

void tst_TransferManager::cancelQueuedJob()
{
    m_manager->setMaxConcurrent(1);
    TransferJob *first = m_manager->pull(parseReference(busybox()));
    TransferJob *second = m_manager->pull(parseReference(busybox(u"latest"_s)));
    QCOMPARE(first->state(), TransferJob::State::Running);
    QCOMPARE(second->state(), TransferJob::State::Queued);
    QCOMPARE(second->statusText(), u"Waiting to start"_s);
    second->cancel();
    QCOMPARE(second->state(), TransferJob::State::Cancelled); // at once: nothing was running
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished(), Timeout);
    QCOMPARE(first->state(), TransferJob::State::Done);
    QCOMPARE(second->runs(), 0);
}

void tst_TransferManager::failureInTheUsersWordsAndRetry()
{
    TransferJob *job = m_manager->pull(parseReference(busybox(u"no-such-tag"_s)));
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Failed);
    QCOMPARE(job->error().kind, Error::Kind::NotFound);
    QVERIFY(!job->errorString().isEmpty());
    QVERIFY2(job->errorString().contains(u"no-such-tag"), qPrintable(job->errorString()));
    QCOMPARE(job->statusText(), job->errorString());
    const QModelIndex row = m_model->indexOf(job);
    QCOMPARE(m_model->index(row.row(), TransfersModel::StatusColumn).data().toString(),
             job->errorString());
    QCOMPARE(row.data(Qt::ToolTipRole).toString(), job->errorString());

    QVERIFY(job->canRetry());
    job->retry();
    QVERIFY(job->errorString().isEmpty() || job->state() != TransferJob::State::Failed);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Failed);
    QCOMPARE(job->runs(), 2);
}

void tst_TransferManager::failureMidTransfer()
{
    // The connection drops after the first blob: the blob done stays done, the job says why.
    m_backend->failNext(Op::Pull, Error::Kind::Network, u"Connection reset by peer"_s, 2);
    TransferJob *job = m_manager->pull(parseReference(busybox()));
    QTRY_VERIFY(job->isFinished());
    QCOMPARE(job->state(), TransferJob::State::Failed);
    QCOMPARE(job->error().kind, Error::Kind::Network);
    QCOMPARE(job->statusText(), u"Connection reset by peer"_s);
    QCOMPARE(job->itemCount(), 1);
    QCOMPARE(job->item(0).state, TransferProgress::State::Done);
    QVERIFY(m_backend->images().isEmpty());

    // Retried, it starts afresh and completes.
    job->retry();
    QTRY_VERIFY(job->isFinished());
    QCOMPARE(job->state(), TransferJob::State::Done);
    QCOMPARE(job->itemCount(), FakeImageSpec().layers + 1);
}

void tst_TransferManager::queueing()
{
    m_manager->setMaxConcurrent(1);
    TransferJob *first = m_manager->pull(parseReference(busybox()));
    TransferJob *second = m_manager->pull(parseReference(busybox(u"latest"_s)));
    auto *log = new StateLog(second);
    QVERIFY(m_manager->hasActiveJobs());
    QCOMPARE(second->state(), TransferJob::State::Queued);
    QTRY_VERIFY_WITH_TIMEOUT(second->isFinished(), 2 * Timeout);
    QCOMPARE(first->state(), TransferJob::State::Done);
    QCOMPARE(second->state(), TransferJob::State::Done);
    QVERIFY(first->finishedAt() <= second->startedAt());
    QCOMPARE(log->states,
             (QList<TransferJob::State>{TransferJob::State::Queued,
                                        TransferJob::State::Running,
                                        TransferJob::State::Done}));
    QVERIFY(!m_manager->hasActiveJobs());
}

void tst_TransferManager::noBackend()
{
    TransferManager manager;
    TransferJob *job = manager.pull(parseReference(busybox()));
    QTRY_VERIFY(job->isFinished());
    QCOMPARE(job->state(), TransferJob::State::Failed);
    QVERIFY2(job->errorString().contains(u"No image store"), qPrintable(job->errorString()));
}

void tst_TransferManager::saveLoadExport()
{
    TransferJob *pulled = m_manager->pull(parseReference(busybox()));
    QTRY_VERIFY_WITH_TIMEOUT(pulled->isFinished(), Timeout);
    QCOMPARE(pulled->state(), TransferJob::State::Done);
    const QString name = pulled->resultImages().value(0);

    // Save: progress comes from the thread pool; the file appears under its name when done.
    const QString archive = m_dir->filePath(u"busybox.tar.gz"_s);
    TransferJob *save = m_manager->save({name}, archive);
    QCOMPARE(save->kind(), TransferJob::Kind::Save);
    QCOMPARE(save->outputFile(), archive);
    QTRY_VERIFY_WITH_TIMEOUT(save->isFinished(), Timeout);
    QVERIFY2(save->state() == TransferJob::State::Done, qPrintable(save->errorString()));
    QVERIFY(QFileInfo(archive).size() > 0);
    QVERIFY2(save->summary().contains(u"busybox.tar.gz"), qPrintable(save->summary()));
    QByteArray head;
    {
        QFile file(archive);
        QVERIFY(file.open(QIODevice::ReadOnly));
        head = file.read(2);
    }
    QCOMPARE(head, QByteArray("\x1f\x8b")); // gzip, from the file name

    // Remove the image, then load it back from the archive.
    auto removed = await<RemoveResult>([&](auto done) { m_backend->remove(name, true, done); });
    QVERIFY(removed);
    TransferJob *load = m_manager->load(archive);
    QTRY_VERIFY_WITH_TIMEOUT(load->isFinished(), Timeout);
    QVERIFY2(load->state() == TransferJob::State::Done, qPrintable(load->errorString()));
    QVERIFY2(load->resultImages().contains(name), qPrintable(load->resultImages().join(u' ')));
    QVERIFY(load->outputFile().isEmpty());

    // Export: the image's filesystem as a tar.
    const QString rootfs = m_dir->filePath(u"rootfs.tar"_s);
    TransferJob *exported = m_manager->exportFilesystem(name, rootfs);
    QCOMPARE(exported->outputFile(), rootfs);
    QTRY_VERIFY_WITH_TIMEOUT(exported->isFinished(), Timeout);
    QVERIFY2(exported->state() == TransferJob::State::Done, qPrintable(exported->errorString()));
    // The file the job names holds the image's files, and the job says how much it wrote.
    QVERIFY(QFileInfo(rootfs).size() > 0);
    QCOMPARE(exported->current(), QFileInfo(rootfs).size());

    // A save into a directory that does not exist fails in words naming the place.
    TransferJob *bad = m_manager->save({name}, m_dir->filePath(u"missing/dir/x.tar"_s));
    QTRY_VERIFY_WITH_TIMEOUT(bad->isFinished(), Timeout);
    QCOMPARE(bad->state(), TransferJob::State::Failed);
    QVERIFY(!bad->errorString().isEmpty());
}

void tst_TransferManager::clearFinished()
{
    TransferJob *done = m_manager->pull(parseReference(busybox()));
    QTRY_VERIFY_WITH_TIMEOUT(done->isFinished(), Timeout);
    m_backend->holdNext(Op::Pull);
    TransferJob *running = m_manager->pull(parseReference(busybox()));
    QCOMPARE(m_model->rowCount(), 2);

    QVERIFY(!m_manager->removeJob(running)); // active jobs stay
    QSignalSpy removed(m_manager.get(), &TransferManager::jobRemoved);
    QPointer<TransferJob> gone(done);
    m_manager->clearFinished();
    QCOMPARE(removed.size(), 1);
    QCOMPARE(m_manager->jobs(), QList<TransferJob *>{running});
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->job(m_model->index(0, 0)), running);
    QTRY_VERIFY(gone.isNull()); // deleted later

    running->cancel();
    QTRY_VERIFY_WITH_TIMEOUT(running->isFinished(), Timeout);
    QCOMPARE(running->state(), TransferJob::State::Cancelled);
}

void tst_TransferManager::pushNamesThenPushes()
{
    TransferJob *pull = m_manager->pull(parseReference(busybox()));
    QTRY_VERIFY_WITH_TIMEOUT(pull->isFinished(), Timeout);
    QVERIFY2(pull->state() == TransferJob::State::Done, qPrintable(pull->errorString()));
    const QString source = pull->resultImages().value(0);
    const ImageReference target = parseReference(Registry + u"/team/renamed:2.0");

    // One job: named for its destination, then pushed, as docker tag and docker push.
    TransferJob *push = m_manager->push(source, target);
    QCOMPARE(push->kind(), TransferJob::Kind::Push);
    QCOMPARE(m_manager->jobs().size(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(push->isFinished(), Timeout);
    QVERIFY2(push->state() == TransferJob::State::Done, qPrintable(push->errorString()));
    QCOMPARE(push->resultImages(), QStringList{target.familiarString()});
    const auto images = await<QList<LocalImage>>([&](auto done) { m_backend->listImages(done); });
    QVERIFY(images);
    QStringList tags;
    for (const LocalImage &image : *images)
        tags += image.repoTags;
    QVERIFY2(tags.contains(target.familiarString()), qPrintable(tags.join(u", ")));

    QCOMPARE(m_backend->calls(Op::Tag), 1);
    QVERIFY(m_backend->remoteReferences().contains(target.toString()));

    // Another store pulls it back from the registry.
    FakeBackend other;
    m_backend->shareRegistryWith(other);
    TransferManager otherManager;
    otherManager.setBackend(&other);
    TransferJob *back = otherManager.pull(target);
    QTRY_VERIFY_WITH_TIMEOUT(back->isFinished(), Timeout);
    QVERIFY2(back->state() == TransferJob::State::Done, qPrintable(back->errorString()));
}

void tst_TransferManager::pushOfAnUnknownImageFails()
{
    const ImageReference target = parseReference(Registry + u"/team/never:1");
    TransferJob *push = m_manager->push(u"no-such-image:1"_s, target);
    QTRY_VERIFY_WITH_TIMEOUT(push->isFinished(), Timeout);
    QCOMPARE(push->state(), TransferJob::State::Failed);
    // Says which image could not be named what; the push never started.
    QVERIFY2(push->errorString().contains(u"no-such-image:1"), qPrintable(push->errorString()));
    QVERIFY2(push->errorString().contains(target.familiarString()),
             qPrintable(push->errorString()));
    QVERIFY(push->canRetry());
    QCOMPARE(m_backend->calls(Op::Push), 0);
}

void tst_TransferManager::cancelWhileNamingForThePush()
{
    m_backend->addImage(busybox());
    const ImageReference target = parseReference(Registry + u"/team/app:1");
    m_backend->holdNext(Op::Tag);
    TransferJob *push = m_manager->push(busybox(), target);
    QTRY_COMPARE(m_backend->heldCount(Op::Tag), 1);
    QCOMPARE(push->state(), TransferJob::State::Running);
    QVERIFY(push->canCancel());
    push->cancel();
    QCOMPARE(push->statusText(), u"Cancelling…"_s);
    // The naming cannot be interrupted; once it is done the push does not start.
    QVERIFY(m_backend->release(Op::Tag));
    QTRY_VERIFY(push->isFinished());
    QCOMPARE(push->state(), TransferJob::State::Cancelled);
    QCOMPARE(m_backend->calls(Op::Push), 0);
    QCOMPARE(m_backend->remoteReferences().size(), 2); // only the registry's own images
}

void tst_TransferManager::saveFailingHalfWayLeavesNoFile()
{
    m_backend->addImage(busybox());
    const QString archive = m_dir->filePath(u"busybox.tar"_s);
    m_backend->failNext(Op::Save, Error::Kind::Io, u"No space left on device"_s, 1);
    TransferJob *save = m_manager->save({busybox()}, archive);
    QTRY_VERIFY(save->isFinished());
    QCOMPARE(save->state(), TransferJob::State::Failed);
    QCOMPARE(save->error().kind, Error::Kind::Io);
    QCOMPARE(save->errorString(), u"No space left on device"_s);
    QVERIFY(!QFileInfo::exists(archive));
    QVERIFY(save->canRetry());
    save->retry();
    QTRY_VERIFY(save->isFinished());
    QVERIFY2(save->state() == TransferJob::State::Done, qPrintable(save->errorString()));
    QVERIFY(QFileInfo(archive).size() > 0);
}

void tst_TransferManager::isNamed_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("named");

    QTest::newRow("same name") << u"localhost:5000/team/app:1"_s << u"localhost:5000/team/app:1"_s
                               << true;
    QTest::newRow("familiar and full") << u"jean/app:1"_s << u"docker.io/jean/app:1"_s << true;
    QTest::newRow("other tag") << u"localhost:5000/team/app:1"_s << u"localhost:5000/team/app:2"_s
                               << false;
    QTest::newRow("other registry") << u"jean/app:1"_s << u"localhost:5000/jean/app:1"_s << false;
    QTest::newRow("image ID") << u"sha256:"_s + QString(64, u'a') << u"jean/app:1"_s << false;
}

void tst_TransferManager::isNamed()
{
    QFETCH(QString, source);
    QFETCH(QString, target);
    QFETCH(bool, named);
    QCOMPARE(TransferManager::isNamed(source, parseReference(target)), named);
}

void tst_TransferManager::lookInsideNeedsNoBackend()
{
    // An archive needs no image store: the job runs, and fails on what the archive lacks.
    m_manager->setBackend(nullptr);
    const QString missing = m_dir->filePath(u"missing.tar"_s);
    int delivered = 0;
    TransferJob *job
        = m_manager->lookInside(std::shared_ptr<ContentsSource>(archiveContentsSource(missing)),
                                nullptr,
                                [&delivered](std::shared_ptr<LoadedContents>) { ++delivered; });
    QCOMPARE(job->kind(), TransferJob::Kind::LookInside);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Failed);
    QVERIFY2(!job->errorString().contains(u"No image store"), qPrintable(job->errorString()));
    QCOMPARE(delivered, 0);
    QVERIFY(job->canRetry());
}

void tst_TransferManager::lookInsideFailsWhenItsBackendCloses()
{
    TransferJob *job = m_manager->lookInside(
        std::shared_ptr<ContentsSource>(archiveContentsSource(m_dir->filePath(u"a.tar"_s))),
        m_backend.get(),
        [](std::shared_ptr<LoadedContents>) {});
    m_backend.reset();
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Failed);
    QVERIFY2(job->errorString().contains(u"closed"), qPrintable(job->errorString()));
}

QTEST_GUILESS_MAIN(tst_TransferManager)

#include "tst_transfermanager.moc"
