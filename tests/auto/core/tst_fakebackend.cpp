// The in-memory backend of tests/shared/fakebackend: that it behaves as a backend where a test
// needs it to (pull adds, a second pull skips, tag names, remove untags or is refused naming the
// containers, prune, save writes a tar that load reads back, export and import real tars), and
// that its scripts hold: progress in steps, a failure after some of them, a wait until released,
// cancellation through the operation's CancelToken.

#include "asynctest.h"
#include "fakebackend.h"

#include "archive/tarreader.h"
#include "archive/tarwriter.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

using Op = FakeBackend::Op;

ImageReference parseReference(const QString &text)
{
    return *ImageReference::parse(text);
}

// A pull through the fake that records its progress lines and its answer.
struct PullCall
{
    QList<TransferProgress> lines;
    std::optional<Result<PullResult>> result;
    CancelToken cancel;

    void start(FakeBackend &backend, const QString &reference)
    {
        PullOptions options;
        options.cancel = cancel;
        options.progress = [this](const TransferProgress &p) {
            lines.append(p);
        };
        backend.pull(parseReference(reference), options, [this](Result<PullResult> r) {
            result = std::move(r);
        });
    }
};

QStringList entriesOf(const QString &path)
{
    QStringList names;
    auto reader = TarReader::openFile(path);
    if (!reader)
        return names;
    while ((*reader)->next().value_or(false))
        names.append((*reader)->entry().path);
    return names;
}

} // namespace

class tst_FakeBackend final : public QObject
{
    Q_OBJECT

private slots:
    void pullAddsTheImageInSteps();
    void pullOfAnUnknownImageFails();
    void answersComeLater();
    void failureAfterSomeSteps();
    void waitsUntilReleased();
    void cancelWhileWaiting();
    void scriptForEveryCall();
    void pushNeedsTheLocalName();
    void tagAndRemove();
    void removeRefusedWhileAContainerUsesIt();
    void prune();
    void saveThenLoadBack();
    void exportAndImport();
    void changesAreSignalled();
};

void tst_FakeBackend::pullAddsTheImageInSteps()
{
    FakeBackend backend;
    const Digest id = backend.addRemoteImage(u"registry.test/berth/busybox:1.0"_s);
    PullCall pull;
    pull.start(backend, u"registry.test/berth/busybox:1.0"_s);
    QTRY_VERIFY(pull.result.has_value());
    QVERIFY2(*pull.result, why(*pull.result));
    QCOMPARE((*pull.result)->imageId, id);
    QCOMPARE((*pull.result)->layersTransferred, 3); // two layers and the config
    // Each blob half-way, then done; the image is listed under its name.
    QCOMPARE(pull.lines.size(), 6);
    QCOMPARE(pull.lines.at(0).state, TransferProgress::State::Transferring);
    QCOMPARE(pull.lines.at(1).state, TransferProgress::State::Done);
    QCOMPARE(pull.lines.at(1).current, pull.lines.at(1).total);
    QCOMPARE(backend.tags(), QStringList{u"registry.test/berth/busybox:1.0"_s});
    QCOMPARE(backend.images().first().id, id);

    // Again: nothing travels.
    PullCall again;
    again.start(backend, u"registry.test/berth/busybox:1.0"_s);
    QTRY_VERIFY(again.result.has_value());
    QCOMPARE((*again.result)->layersTransferred, 0);
    QCOMPARE(again.lines.size(), 3);
    for (const TransferProgress &line : std::as_const(again.lines))
        QCOMPARE(line.state, TransferProgress::State::Skipped);
    QCOMPARE(backend.calls(Op::Pull), 2);
}

void tst_FakeBackend::pullOfAnUnknownImageFails()
{
    FakeBackend backend;
    PullCall pull;
    pull.start(backend, u"registry.test/berth/busybox:nope"_s);
    QTRY_VERIFY(pull.result.has_value());
    QVERIFY(!*pull.result);
    QCOMPARE(pull.result->error().kind, Error::Kind::NotFound);
    QVERIFY(pull.result->error().message.contains(u"busybox:nope"));
    QVERIFY(backend.images().isEmpty());
}

void tst_FakeBackend::answersComeLater()
{
    FakeBackend backend;
    bool answered = false;
    backend.listImages([&](Result<QList<LocalImage>>) { answered = true; });
    QVERIFY(!answered); // never inside the call, as with a real backend
    QTRY_VERIFY(answered);
}

void tst_FakeBackend::failureAfterSomeSteps()
{
    FakeBackend backend;
    backend.addRemoteImage(u"registry.test/berth/busybox:1.0"_s);
    backend.failNext(Op::Pull, Error::Kind::Network, u"connection reset"_s, 2);
    PullCall pull;
    pull.start(backend, u"registry.test/berth/busybox:1.0"_s);
    QTRY_VERIFY(pull.result.has_value());
    QVERIFY(!*pull.result);
    QCOMPARE(pull.result->error().kind, Error::Kind::Network);
    QCOMPARE(pull.result->error().message, u"connection reset"_s);
    QCOMPARE(pull.lines.size(), 2);
    QVERIFY(backend.images().isEmpty());

    // The script was for one call: the next one succeeds.
    PullCall next;
    next.start(backend, u"registry.test/berth/busybox:1.0"_s);
    QTRY_VERIFY(next.result.has_value());
    QVERIFY(*next.result);
}

void tst_FakeBackend::waitsUntilReleased()
{
    FakeBackend backend;
    backend.addRemoteImage(u"registry.test/berth/busybox:1.0"_s);
    backend.holdNext(Op::Pull, 1);
    QVERIFY(!backend.release(Op::Pull)); // nothing waits yet
    PullCall pull;
    pull.start(backend, u"registry.test/berth/busybox:1.0"_s);
    QTRY_COMPARE(backend.heldCount(Op::Pull), 1);
    QCOMPARE(pull.lines.size(), 1);
    QVERIFY(!pull.result);
    QCOMPARE(backend.heldCount(Op::Push), 0);

    QVERIFY(backend.release(Op::Pull));
    QCOMPARE(backend.heldCount(Op::Pull), 0);
    QTRY_VERIFY(pull.result.has_value());
    QVERIFY(*pull.result);
    QCOMPARE(pull.lines.size(), 6);
}

void tst_FakeBackend::cancelWhileWaiting()
{
    FakeBackend backend;
    backend.addRemoteImage(u"registry.test/berth/busybox:1.0"_s);
    backend.holdNext(Op::Pull, 3);
    PullCall pull;
    pull.start(backend, u"registry.test/berth/busybox:1.0"_s);
    QTRY_COMPARE(backend.heldCount(Op::Pull), 1);
    pull.cancel.cancel();
    QTRY_VERIFY(pull.result.has_value());
    QVERIFY(!*pull.result);
    QVERIFY(pull.result->error().isCancelled());
    QCOMPARE(backend.heldCount(Op::Pull), 0);
    QVERIFY(backend.images().isEmpty());

    // Cancelled before it started: it ends at once, with no progress.
    PullCall early;
    early.cancel.cancel();
    early.start(backend, u"registry.test/berth/busybox:1.0"_s);
    QTRY_VERIFY(early.result.has_value());
    QVERIFY(early.result->error().isCancelled());
    QVERIFY(early.lines.isEmpty());
}

void tst_FakeBackend::scriptForEveryCall()
{
    FakeBackend backend;
    backend.scriptAll(Op::ListImages, {-1, Error::make(Error::Kind::Io, u"disk gone"_s), false});
    for (int i = 0; i < 2; ++i) {
        const auto listed = await<QList<LocalImage>>([&](auto done) { backend.listImages(done); });
        QVERIFY(!listed);
        QCOMPARE(listed.error().message, u"disk gone"_s);
    }
    backend.clearScripts();
    QVERIFY(await<QList<LocalImage>>([&](auto done) { backend.listImages(done); }));
    QCOMPARE(backend.calls(Op::ListImages), 3);
}

void tst_FakeBackend::pushNeedsTheLocalName()
{
    FakeBackend backend;
    const auto ref = parseReference(u"registry.test/team/app:1"_s);
    auto pushed = await<PushResult>([&](auto done) { backend.push(ref, {}, done); });
    QVERIFY(!pushed);
    QCOMPARE(pushed.error().kind, Error::Kind::NotFound);

    backend.addImage(u"registry.test/team/app:1"_s);
    pushed = await<PushResult>([&](auto done) { backend.push(ref, {}, done); });
    QVERIFY2(pushed, why(pushed));
    QCOMPARE(pushed->blobsUploaded, 3);
    QCOMPARE(backend.remoteReferences(), QStringList{ref.toString()});
    // The registry has it now: a second push uploads nothing, and it can be pulled elsewhere.
    pushed = await<PushResult>([&](auto done) { backend.push(ref, {}, done); });
    QCOMPARE(pushed->blobsUploaded, 0);
    FakeBackend other;
    QCOMPARE(other.remoteReferences(), QStringList());
    backend.shareRegistryWith(other);
    const auto pulled = await<PullResult>([&](auto done) { other.pull(ref, {}, done); });
    QVERIFY2(pulled, why(pulled));
    QCOMPARE(other.tags(), QStringList{u"registry.test/team/app:1"_s});
}

void tst_FakeBackend::tagAndRemove()
{
    FakeBackend backend;
    const Digest id = backend.addImage(u"busybox:1.0"_s);
    auto tagged = await<void>(
        [&](auto done) { backend.tag(u"busybox:1.0"_s, parseReference(u"jean/app:2"_s), done); });
    QVERIFY2(tagged, why(tagged));
    QCOMPARE(backend.tags(), (QStringList{u"busybox:1.0"_s, u"jean/app:2"_s}));
    QCOMPARE(backend.images().size(), 1);
    // By short ID too; an unknown source is refused in words naming it.
    tagged = await<void>(
        [&](auto done) { backend.tag(id.shortId(), parseReference(u"jean/app:3"_s), done); });
    QVERIFY(tagged);
    tagged = await<void>(
        [&](auto done) { backend.tag(u"nope:1"_s, parseReference(u"jean/app:4"_s), done); });
    QVERIFY(!tagged);
    QVERIFY(tagged.error().message.contains(u"nope:1"));

    // One name of several: only that name goes.
    auto removed
        = await<RemoveResult>([&](auto done) { backend.remove(u"jean/app:2"_s, false, done); });
    QVERIFY2(removed, why(removed));
    QCOMPARE(removed->untagged, QStringList{u"jean/app:2"_s});
    QVERIFY(removed->deleted.isEmpty());
    // By ID: the image and its names.
    removed = await<RemoveResult>([&](auto done) { backend.remove(id.toString(), false, done); });
    QVERIFY2(removed, why(removed));
    QCOMPARE(removed->deleted, QStringList{id.toString()});
    QVERIFY(backend.images().isEmpty());
}

void tst_FakeBackend::removeRefusedWhileAContainerUsesIt()
{
    FakeBackend backend(ImageBackend::Kind::Docker);
    QVERIFY(backend.hasContainers());
    backend.addImage(u"busybox:1.0"_s);
    backend.addContainer(u"web"_s, u"busybox:1.0"_s);
    auto removed
        = await<RemoveResult>([&](auto done) { backend.remove(u"busybox:1.0"_s, false, done); });
    QVERIFY(!removed);
    QCOMPARE(removed.error().kind, Error::Kind::Denied);
    QCOMPARE(removed.error().containers, QStringList{u"web"_s});
    QVERIFY2(removed.error().message.contains(u"'web'"), qPrintable(removed.error().message));
    QCOMPARE(backend.images().size(), 1);

    // The container goes, then the image can.
    QVERIFY(await<void>([&](auto done) { backend.removeContainer(u"web"_s, false, done); }));
    QVERIFY(backend.containers().isEmpty());
    removed
        = await<RemoveResult>([&](auto done) { backend.remove(u"busybox:1.0"_s, false, done); });
    QVERIFY2(removed, why(removed));

    // The embedded store has no containers.
    FakeBackend embedded;
    QVERIFY(!embedded.hasContainers());
    const auto listed
        = await<QList<LocalContainer>>([&](auto done) { embedded.listContainers(done); });
    QCOMPARE(listed.error().kind, Error::Kind::Unsupported);
}

void tst_FakeBackend::prune()
{
    FakeBackend backend;
    backend.addImage(u"busybox:1.0"_s);
    auto pruned = await<PruneResult>([&](auto done) { backend.prune({}, done); });
    QVERIFY(pruned);
    QVERIFY(pruned->removed.isEmpty()); // tagged: stays
    pruned = await<PruneResult>([&](auto done) { backend.prune({true}, done); });
    QCOMPARE(pruned->removed.size(), 1);
    QVERIFY(pruned->reclaimedBytes > 0);
    QVERIFY(backend.images().isEmpty());
}

void tst_FakeBackend::saveThenLoadBack()
{
    QTemporaryDir dir;
    FakeBackend backend;
    const Digest id = backend.addImage(u"busybox:1.0"_s);
    const QString archive = dir.filePath(u"busybox.tar.gz"_s);
    QList<ArchiveProgress> steps;
    SaveOptions options;
    options.compression = Compression::Gzip;
    options.progress = [&](const ArchiveProgress &p) {
        steps.append(p);
    };
    const auto saved = await<SaveResult>([&](auto done) {
        backend.save({u"busybox:1.0"_s}, ArchiveTarget::file(archive), options, done);
    });
    QVERIFY2(saved, why(saved));
    QCOMPARE(steps.size(), 3); // half, whole, and what was really written
    QCOMPARE(steps.last().current, saved->bytesWritten);
    QVERIFY(saved->bytesWritten > 0);
    QFile file(archive);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(2), QByteArray("\x1f\x8b"));
    QVERIFY(entriesOf(archive).contains(u"manifest.json"_s));

    FakeBackend other;
    const auto loaded
        = await<LoadResult>([&](auto done) { other.load(ArchiveSource::file(archive), {}, done); });
    QVERIFY2(loaded, why(loaded));
    QCOMPARE(loaded->loadedTags, QStringList{u"busybox:1.0"_s});
    QCOMPARE(other.images().first().id, id);

    // Into a directory that does not exist: refused, and no file.
    const auto bad = await<SaveResult>([&](auto done) {
        backend.save(
            {u"busybox:1.0"_s}, ArchiveTarget::file(dir.filePath(u"no/x.tar"_s)), {}, done);
    });
    QVERIFY(!bad);
    // A tar that holds no image is said to be none.
    const QString plain = dir.filePath(u"plain.tar"_s);
    {
        auto writer = TarWriter::toFile(plain, Compression::None);
        QVERIFY(writer);
        QVERIFY((*writer)->addBytes(u"hello.txt"_s, "hello") && (*writer)->finish());
    }
    const auto notImage
        = await<LoadResult>([&](auto done) { other.load(ArchiveSource::file(plain), {}, done); });
    QVERIFY(!notImage);
    QCOMPARE(notImage.error().kind, Error::Kind::InvalidArgument);
}

void tst_FakeBackend::exportAndImport()
{
    QTemporaryDir dir;
    FakeBackend backend(ImageBackend::Kind::Docker);
    backend.addImage(u"busybox:1.0"_s);
    backend.addContainer(u"web"_s, u"busybox:1.0"_s);
    const QString rootfs = dir.filePath(u"web.tar"_s);
    const auto exported = await<ExportResult>([&](auto done) {
        backend.exportFilesystem(u"web"_s, ArchiveTarget::file(rootfs), {}, done);
    });
    QVERIFY2(exported, why(exported));
    QCOMPARE(exported->bytesWritten, QFileInfo(rootfs).size());
    QCOMPARE(entriesOf(rootfs),
             (QStringList{u"berth/"_s, u"berth/layer0"_s, u"berth/layer1"_s, u"etc/hostname"_s}));

    ImportOptions options;
    options.reference = parseReference(u"jean/imported:1"_s);
    const auto imported = await<ImportResult>(
        [&](auto done) { backend.importFilesystem(ArchiveSource::file(rootfs), options, done); });
    QVERIFY2(imported, why(imported));
    QVERIFY(backend.tags().contains(u"jean/imported:1"_s));
    QVERIFY(imported->layerSize > 0);
}

void tst_FakeBackend::changesAreSignalled()
{
    FakeBackend backend(ImageBackend::Kind::Podman);
    QSignalSpy images(&backend, &ImageBackend::imagesChanged);
    QSignalSpy containers(&backend, &ImageBackend::containersChanged);
    backend.addImage(u"busybox:1.0"_s);
    backend.addContainer(u"web"_s, u"busybox:1.0"_s);
    QVERIFY(containers.wait());
    QCOMPARE(images.size(), 1);
}

QTEST_GUILESS_MAIN(tst_FakeBackend)

#include "tst_fakebackend.moc"
