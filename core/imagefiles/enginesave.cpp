// An engine's layers from its `save` stream, read through a pipe on a worker thread.

#include "imagefiles/enginesave.h"

#include "archive/tarreader.h"
#include "common/background.h"
#include "imagefiles/archivecatalogue.h"
#include "store/imagebackend.h"

#include <QRegularExpression>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

// The diff_id an engine's save gives a layer file in its name: `blobs/sha256/<diff_id>` (Docker
// 25+, uncompressed) or `<diff_id>.tar` (podman); "" otherwise.
QString diffIdOfName(const QString &path)
{
    static const QRegularExpression pattern(
        u"^(?:blobs/sha256/([0-9a-f]{64})|([0-9a-f]{64})\\.tar)$"_s);
    const auto m = pattern.match(path);
    if (!m.hasMatch())
        return {};
    return m.captured(1).isEmpty() ? m.captured(2) : m.captured(1);
}

// Reads what is left of the pipe until the writer closes it, so that the save never writes into
// a pipe nobody reads (SIGPIPE).
void drain(int fd)
{
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0 || (n < 0 && errno != EINTR))
            return;
    }
}

// One save of the image read through a pipe: both ends report before done() does.
struct SavePass
{
    int readFd = -1;
    int writeFd = -1;
    CancelToken stopSave;
    std::optional<Status> read;
    std::optional<Status> saved;
    std::function<void(Status)> done;

    void maybeFinish()
    {
        if (!read || !saved)
            return;
        // A save that failed on its own (an unknown image, the engine gone) says why the read
        // ran short better than the read does.
        if (!*read && !*saved && !saved->error().isCancelled() && !read->error().isCancelled())
            return done(*saved);
        done(*read);
    }
};

void runSavePass(ImageBackend &backend,
                 const Digest &imageId,
                 LayerStreamJob job,
                 std::function<void(Status)> done)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return done(fail(Error::Kind::Io,
                         Berth::tr("Could not open a pipe: %1").arg(qt_error_string(errno))));
    auto pass = std::make_shared<SavePass>();
    pass->readFd = fds[0];
    pass->writeFd = fds[1];
    pass->done = std::move(done);
    const QString name = Berth::tr("the save of %1").arg(imageId.toString());
    job.cancel.onCancel([stop = pass->stopSave] { stop.cancel(); });
    runInBackground(
        &backend,
        [fd = pass->readFd, stop = pass->stopSave, job = std::move(job), name]() -> Status {
            Status s = [&]() -> Status {
                auto reader = TarReader::openFd(fd, name);
                if (!reader)
                    return fail(reader.error());
                return streamLayers(**reader, job);
            }();
            stop.cancel();
            drain(fd);
            ::close(fd);
            return s;
        },
        [pass](Status s) {
            pass->read = s;
            pass->maybeFinish();
        });
    SaveOptions options;
    options.cancel = pass->stopSave;
    backend.save({imageId.toString()},
                 ArchiveTarget{{}, pass->writeFd},
                 options,
                 [pass](Result<SaveResult> r) {
                     ::close(pass->writeFd);
                     pass->saved = r ? Status() : Status(fail(r.error()));
                     pass->maybeFinish();
                 });
}

// The second pass: the layers the first did not recognise, by the paths manifest.json gives.
Result<LayerStreamJob> byPath(const ArchiveCatalogue &catalogue,
                              const ContentsImage &image,
                              const QHash<QString, QList<int>> &missing,
                              const LayerStreamJob &first)
{
    auto images = archiveImages(catalogue);
    if (!images)
        return fail(images.error());
    auto found = std::find_if(images->cbegin(), images->cend(), [&](const ArchiveImage &a) {
        return a.image.configDigest == image.configDigest;
    });
    if (found == images->cend() || found->layerFiles.size() != image.layers.size())
        return fail(Error::Kind::Protocol,
                    Berth::tr("The engine's save of %1 does not hold that image.")
                        .arg(image.configDigest.toString()));
    LayerStreamJob second = first;
    second.wanted.clear();
    second.key = nullptr;
    second.catalogue = nullptr;
    second.missing = nullptr;
    for (const QList<int> &positions : missing) {
        for (int position : positions)
            second.wanted[found->layerFiles.at(position)] << position;
    }
    return second;
}

} // namespace

void fetchFromEngine(ImageBackend &backend,
                     const ContentsImage &image,
                     const QList<int> &layers,
                     LayerStreamJob job,
                     std::shared_ptr<ProgressRelay> relay,
                     std::function<void(Status)> done)
{
    QHash<QString, QList<int>> wanted;
    for (int position : layers)
        wanted[image.layers.at(position).diffId.encoded()] << position;
    auto catalogue = std::make_shared<ArchiveCatalogue>();
    catalogue->archive = Berth::tr("the save of %1").arg(image.name);
    auto missing = std::make_shared<QStringList>();
    LayerStreamJob first = job;
    first.wanted = wanted;
    first.key = diffIdOfName;
    first.catalogue = catalogue.get();
    first.missing = missing.get();
    QPointer<ImageBackend> engine = &backend;
    runSavePass(backend,
                image.configDigest,
                first,
                [engine, image, wanted, catalogue, missing, job, relay, done](Status s) {
                    if (!s || missing->isEmpty())
                        return done(s);
                    QHash<QString, QList<int>> left;
                    for (const QString &key : std::as_const(*missing))
                        left.insert(key, wanted.value(key));
                    auto second = byPath(*catalogue, image, left, job);
                    if (!second)
                        return done(fail(second.error()));
                    if (!engine)
                        return done(fail(Error::Kind::Cancelled, Berth::tr("Cancelled.")));
                    relay->rebase();
                    runSavePass(*engine, image.configDigest, std::move(*second), done);
                });
}

} // namespace Berth
