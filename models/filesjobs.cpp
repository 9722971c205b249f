// TransferManager's jobs for the Files tab: looking inside an image and saving files out of it.
// They need no image store of their own (a registry or an archive is the source); a local image's
// source reads from a backend, which the job then watches.

#include "transfermanager.h"

#include "archive/tarwriter.h"
#include "common/humanize.h"
#include "contents/layerindexcache.h"
#include "contents/treediff.h" // imagecontents.h names DiffSummary without including it
#include "imagefiles/contentsreading.h"
#include "imagefiles/imagecontents.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSaveFile>

namespace Berth {

namespace {

QString stepText(ContentsProgress::Step step)
{
    switch (step) {
    case ContentsProgress::Step::Describing:
        return TransferManager::tr("Reading the image's manifest");
    case ContentsProgress::Step::Indexing:
        return TransferManager::tr("Listing the files of each layer");
    case ContentsProgress::Step::Merging:
        return TransferManager::tr("Putting the layers together");
    }
    return {};
}

TransferProgress totalLine(qint64 done, qint64 total, const QString &message = {})
{
    TransferProgress p;
    p.state = TransferProgress::State::Transferring;
    p.current = done;
    p.total = total > 0 ? total : -1;
    p.message = message;
    return p;
}

TransferJob::Outcome lookOutcome(const LoadedContents &contents)
{
    TransferJob::Outcome outcome;
    outcome.images = {contents.image.name};
    outcome.bytes = contents.bytesDownloaded;
    const int layers = int(contents.image.layers.size());
    const QString files = TransferManager::tr("%n path(s)", nullptr, int(contents.summary.entries));
    outcome.summary = contents.layersFromCache == layers
                          ? TransferManager::tr("%1, every layer already indexed").arg(files)
                          : TransferManager::tr("%1, %n layer(s) indexed (%2 read)",
                                                nullptr,
                                                layers - contents.layersFromCache)
                                .arg(files, formatSize(contents.bytesDownloaded));
    return outcome;
}

// One file's bytes into a file the user named, committed only once all of it is there.
struct SingleFile
{
    std::shared_ptr<QSaveFile> file;
    std::shared_ptr<ExtractTarget> target;
};

Result<SingleFile> singleFile(const QString &path)
{
    auto file = std::make_shared<QSaveFile>(path);
    if (!file->open(QIODevice::WriteOnly))
        return fail(Error::Kind::Io,
                    TransferManager::tr("Could not write %1: %2").arg(path, file->errorString()));
    auto write = [file, path](QByteArrayView data) -> Status {
        if (file->write(data.data(), data.size()) == data.size())
            return {};
        return fail(Error::Kind::Io,
                    TransferManager::tr("Could not write %1: %2").arg(path, file->errorString()));
    };
    return SingleFile{file, std::shared_ptr<ExtractTarget>(streamTarget(write))};
}

Result<std::shared_ptr<ExtractTarget>> folderOrTar(const FilesDestination &destination)
{
    auto made = destination.kind == FilesDestination::Kind::Tar
                    ? tarTarget(ArchiveTarget::file(destination.path),
                                compressionForFileName(destination.path))
                    : directoryTarget(destination.path);
    if (!made)
        return fail(made.error());
    return std::shared_ptr<ExtractTarget>(std::move(*made));
}

void startSave(std::shared_ptr<ContentsSource> source,
               std::shared_ptr<const LoadedContents> contents,
               const QByteArray &path,
               const FilesDestination &destination,
               const TransferJob::Run &run)
{
    ReadOptions options;
    options.cancel = run.cancel;
    options.progress = [run](qint64 done, qint64 total) {
        run.transferProgress(totalLine(done, total));
    };
    const QString name = QFileInfo(destination.path).fileName();
    const auto finished = [run, name](Status status) {
        if (!status)
            return run.finish(fail(status.error()));
        TransferJob::Outcome outcome;
        outcome.summary = TransferManager::tr("Wrote %1").arg(name);
        run.finish(outcome);
    };
    if (destination.kind == FilesDestination::Kind::File) {
        auto single = singleFile(destination.path);
        if (!single)
            return run.finish(fail(single.error()));
        readFile(source, contents, path, single->target, options, [finished, single](Status s) {
            if (s && !single->file->commit())
                s = fail(Error::Kind::Io,
                         TransferManager::tr("Could not write %1: %2")
                             .arg(single->file->fileName(), single->file->errorString()));
            finished(s);
        });
        return;
    }
    auto target = folderOrTar(destination);
    if (!target)
        return run.finish(fail(target.error()));
    copyOut(source, contents, path, *target, options, finished);
}

} // namespace

void TransferManager::setLayerIndexCache(std::shared_ptr<LayerIndexCache> cache)
{
    m_layerIndexCache = std::move(cache);
}

std::shared_ptr<LayerIndexCache> TransferManager::layerIndexCache()
{
    if (!m_layerIndexCache)
        m_layerIndexCache = std::make_shared<LayerIndexCache>();
    return m_layerIndexCache;
}

TransferJob *TransferManager::lookInside(std::shared_ptr<ContentsSource> source,
                                         ImageBackend *watched,
                                         std::function<void(std::shared_ptr<LoadedContents>)> done)
{
    const QString name = source->displayName();
    m_nextSubject = {name, {}, {}};
    auto cache = layerIndexCache();
    QPointer<TransferManager> self(this);
    return addFree(
        TransferJob::Kind::LookInside,
        tr("Look inside %1").arg(name),
        [source, cache, done, self](const TransferJob::Run &run) {
            LoadContentsOptions options;
            options.cancel = run.cancel;
            options.progress = [run](const ContentsProgress &p) {
                run.transferProgress(totalLine(p.done, p.total, stepText(p.step)));
            };
            loadContents(source, cache, options, [run, done, self](auto loaded) {
                if (!loaded)
                    return run.finish(fail(loaded.error()));
                const TransferJob::Outcome outcome = lookOutcome(**loaded);
                // The contents first, on the manager's thread, then the job's end.
                QMetaObject::invokeMethod(
                    QCoreApplication::instance(),
                    [self, done, contents = *loaded] {
                        if (self)
                            done(contents);
                    },
                    Qt::AutoConnection);
                run.finish(outcome);
            });
        },
        watched);
}

TransferJob *TransferManager::saveFiles(std::shared_ptr<ContentsSource> source,
                                        std::shared_ptr<const LoadedContents> contents,
                                        const QByteArray &path,
                                        const FilesDestination &destination,
                                        ImageBackend *watched)
{
    const QString shown = path.isEmpty() ? QStringLiteral("/") : displayPath(baseName(path));
    const QString name = QFileInfo(destination.path).fileName();
    m_nextSubject = {source->displayName(), {}, destination.path};
    return addFree(
        TransferJob::Kind::SaveFiles,
        tr("Save %1 to %2").arg(shown, name.isEmpty() ? destination.path : name),
        [source, contents, path, destination](const TransferJob::Run &run) {
            startSave(source, contents, path, destination, run);
        },
        watched,
        destination.path);
}

} // namespace Berth
