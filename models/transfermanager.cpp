#include "transfermanager.h"

#include "common/humanize.h"

#include <QFileInfo>

namespace Berth {

namespace {

QString fileName(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    return name.isEmpty() ? path : name;
}

void startPush(ImageBackend &backend, const ImageReference &reference, const TransferJob::Run &run)
{
    const QString name = reference.familiarString();
    PushOptions options;
    options.cancel = run.cancel;
    options.progress = run.transferProgress;
    backend.push(reference, options, [run, name](Result<PushResult> r) {
        if (!r)
            return run.finish(fail(r.error()));
        TransferJob::Outcome outcome;
        outcome.images = {name};
        outcome.bytes = r->bytesUploaded;
        outcome.summary
            = r->blobsUploaded == 0
                  ? TransferManager::tr("The registry already had every layer of %1").arg(name)
                  : TransferManager::tr("Uploaded %n layer(s), %1", nullptr, r->blobsUploaded)
                        .arg(formatSize(r->bytesUploaded));
        run.finish(outcome);
    });
}

} // namespace

TransferManager::TransferManager(QObject *parent)
    : QObject(parent)
{}

TransferManager::~TransferManager()
{
    // Jobs are children: their destructors cancel what still runs.
    m_scheduling = true; // nothing starts while they go
}

void TransferManager::setBackend(ImageBackend *backend)
{
    if (m_backend == backend)
        return;
    m_backend = backend;
    emit backendChanged(backend);
    schedule();
}

void TransferManager::setMaxConcurrent(int jobs)
{
    m_maxConcurrent = std::max(1, jobs);
    schedule();
}

int TransferManager::indexOf(const TransferJob *job) const
{
    return int(m_jobs.indexOf(job));
}

bool TransferManager::hasActiveJobs() const
{
    return std::any_of(
        m_jobs.cbegin(), m_jobs.cend(), [](const TransferJob *j) { return j->isActive(); });
}

TransferJob *TransferManager::add(TransferJob::Kind kind,
                                  const QString &title,
                                  TransferJob::Starter starter,
                                  const QString &outputFile)
{
    auto *job = new TransferJob(kind, title, std::move(starter), m_backend, this);
    job->setOutputFile(outputFile);
    track(job);
    return job;
}

TransferJob *TransferManager::addFree(TransferJob::Kind kind,
                                      const QString &title,
                                      TransferJob::FreeStarter starter,
                                      ImageBackend *watched,
                                      const QString &outputFile)
{
    auto *job = new TransferJob(kind, title, std::move(starter), watched, this);
    job->setOutputFile(outputFile);
    track(job);
    return job;
}

void TransferManager::track(TransferJob *job)
{
    job->setSubject(std::exchange(m_nextSubject, {}));
    connect(job, &TransferJob::stateChanged, this, [this, job](TransferJob::State state) {
        if (state == TransferJob::State::Queued || job->isFinished())
            schedule();
    });
    connect(job, &TransferJob::finished, this, [this, job] { emit jobFinished(job); });
    m_jobs.append(job);
    emit jobAdded(job);
    schedule();
}

void TransferManager::schedule()
{
    // A job may finish inside start() (a backend answering at once); the outer loop goes on.
    if (m_scheduling)
        return;
    m_scheduling = true;
    for (;;) {
        const auto running = std::count_if(m_jobs.cbegin(), m_jobs.cend(), [](TransferJob *j) {
            return j->state() == TransferJob::State::Running;
        });
        if (running >= m_maxConcurrent)
            break;
        const auto next = std::find_if(m_jobs.cbegin(), m_jobs.cend(), [](TransferJob *j) {
            return j->state() == TransferJob::State::Queued;
        });
        if (next == m_jobs.cend())
            break;
        (*next)->start(m_backend);
    }
    m_scheduling = false;
}

TransferJob *TransferManager::pull(const ImageReference &reference, const PullRequest &request)
{
    const QString name = reference.familiarString();
    m_nextSubject = {name, reference.domain(), {}};
    return add(TransferJob::Kind::Pull,
               tr("Pull %1").arg(name),
               [reference, request](ImageBackend &backend, const TransferJob::Run &run) {
                   PullOptions options;
                   options.platform = request.platform;
                   options.allPlatforms = request.allPlatforms;
                   options.cancel = run.cancel;
                   options.progress = run.transferProgress;
                   backend.pull(reference, options, [run](Result<PullResult> r) {
                       if (!r)
                           return run.finish(fail(r.error()));
                       TransferJob::Outcome outcome;
                       const QString pulled = r->reference.familiarString();
                       outcome.images = {pulled};
                       outcome.bytes = r->bytesTransferred;
                       outcome.summary
                           = r->layersTransferred == 0
                                 ? tr("%1 is up to date").arg(pulled)
                                 : tr("Downloaded %n layer(s), %1", nullptr, r->layersTransferred)
                                       .arg(formatSize(r->bytesTransferred));
                       run.finish(outcome);
                   });
               });
}

TransferJob *TransferManager::push(const ImageReference &reference)
{
    const QString name = reference.familiarString();
    m_nextSubject = {name, reference.domain(), {}};
    return add(TransferJob::Kind::Push,
               tr("Push %1").arg(name),
               [reference](ImageBackend &backend, const TransferJob::Run &run) {
                   startPush(backend, reference, run);
               });
}

TransferJob *TransferManager::push(const QString &source, const ImageReference &target)
{
    if (isNamed(source, target))
        return push(target);
    m_nextSubject = {target.familiarString(), target.domain(), {}};
    return add(TransferJob::Kind::Push,
               tr("Push %1").arg(target.familiarString()),
               [source, target](ImageBackend &backend, const TransferJob::Run &run) {
                   QPointer<ImageBackend> guard(&backend);
                   backend.tag(source, target, [guard, source, target, run](Status tagged) {
                       if (!tagged)
                           return run.finish(fail(
                               tagged.error().kind,
                               tr("Could not name %1 %2: %3")
                                   .arg(source, target.familiarString(), tagged.error().message)));
                       if (run.cancel.isCancelled())
                           return run.finish(fail(Error::Kind::Cancelled, tr("Cancelled")));
                       if (!guard)
                           return run.finish(fail(Error::Kind::Io,
                                                  tr("The image store closed before %1 was "
                                                     "pushed.")
                                                      .arg(target.familiarString())));
                       startPush(*guard, target, run);
                   });
               });
}

bool TransferManager::isNamed(const QString &source, const ImageReference &target)
{
    const auto parsed = ImageReference::parse(source);
    return parsed && !source.startsWith(u"sha256:") && *parsed == target;
}

TransferJob *TransferManager::save(const QStringList &images,
                                   const QString &path,
                                   std::optional<Compression> compression)
{
    const Compression chosen = compression.value_or(compressionForFileName(path));
    const QString title
        = images.size() == 1
              ? tr("Save %1 to %2").arg(images.first(), fileName(path))
              : tr("Save %n image(s) to %1", nullptr, int(images.size())).arg(fileName(path));
    m_nextSubject = {images.join(u", "), {}, path};
    return add(
        TransferJob::Kind::Save,
        title,
        [images, path, chosen](ImageBackend &backend, const TransferJob::Run &run) {
            SaveOptions options;
            options.compression = chosen;
            options.cancel = run.cancel;
            options.progress = run.archiveProgress;
            backend.save(
                images, ArchiveTarget::file(path), options, [run, path](Result<SaveResult> r) {
                    if (!r)
                        return run.finish(fail(r.error()));
                    TransferJob::Outcome outcome;
                    outcome.images = r->images;
                    outcome.bytes = r->bytesWritten;
                    outcome.summary
                        = tr("Wrote %1 (%2)").arg(fileName(path), formatSize(r->bytesWritten));
                    run.finish(outcome);
                });
        },
        path);
}

TransferJob *TransferManager::load(const QString &path)
{
    m_nextSubject = {{}, {}, path};
    return add(TransferJob::Kind::Load,
               tr("Load %1").arg(fileName(path)),
               [path](ImageBackend &backend, const TransferJob::Run &run) {
                   LoadOptions options;
                   options.cancel = run.cancel;
                   options.progress = run.archiveProgress;
                   backend.load(ArchiveSource::file(path), options, [run](Result<LoadResult> r) {
                       if (!r)
                           return run.finish(fail(r.error()));
                       TransferJob::Outcome outcome;
                       outcome.images = r->loadedTags;
                       for (const Digest &id : std::as_const(r->untagged))
                           outcome.images.append(id.toString());
                       outcome.bytes = r->bytesRead;
                       QStringList shown = r->loadedTags;
                       for (const Digest &id : std::as_const(r->untagged))
                           shown.append(id.shortId());
                       outcome.summary = shown.isEmpty() ? tr("The archive held no image")
                                                         : tr("Loaded %1").arg(shown.join(u", "));
                       run.finish(outcome);
                   });
               });
}

TransferJob *TransferManager::exportFilesystem(const QString &containerOrImage,
                                               const QString &path,
                                               std::optional<Platform> platform)
{
    m_nextSubject = {containerOrImage, {}, path};
    return add(
        TransferJob::Kind::Export,
        tr("Export %1 to %2").arg(containerOrImage, fileName(path)),
        [containerOrImage, path, platform](ImageBackend &backend, const TransferJob::Run &run) {
            ExportOptions options;
            options.cancel = run.cancel;
            options.progress = run.archiveProgress;
            options.platform = platform;
            backend.exportFilesystem(
                containerOrImage,
                ArchiveTarget::file(path),
                options,
                [run, path](Result<ExportResult> r) {
                    if (!r)
                        return run.finish(fail(r.error()));
                    TransferJob::Outcome outcome;
                    outcome.bytes = r->bytesWritten;
                    outcome.summary
                        = tr("Wrote %1 (%2)").arg(fileName(path), formatSize(r->bytesWritten));
                    run.finish(outcome);
                });
        },
        path);
}

TransferJob *TransferManager::importFilesystem(const ArchiveSource &source,
                                               const ImportRequest &request)
{
    const QString from = source.path.isEmpty() ? source.displayName() : fileName(source.path);
    const QString title = request.reference
                              ? tr("Import %1 as %2").arg(from, request.reference->familiarString())
                              : tr("Import %1").arg(from);
    m_nextSubject = {request.reference ? request.reference->familiarString() : QString(),
                     {},
                     source.displayName()};
    return add(TransferJob::Kind::Import,
               title,
               [source, request](ImageBackend &backend, const TransferJob::Run &run) {
                   ImportOptions options;
                   options.reference = request.reference;
                   options.changes = request.changes;
                   options.message = request.message;
                   options.platform = request.platform;
                   options.cancel = run.cancel;
                   options.progress = run.archiveProgress;
                   backend.importFilesystem(source, options, [run](Result<ImportResult> r) {
                       if (!r)
                           return run.finish(fail(r.error()));
                       TransferJob::Outcome outcome;
                       const QString name
                           = r->reference ? r->reference->familiarString() : r->imageId.toString();
                       outcome.images = {name};
                       outcome.bytes = r->layerSize;
                       outcome.summary
                           = tr("Imported %1").arg(r->reference ? name : r->imageId.shortId());
                       run.finish(outcome);
                   });
               });
}

bool TransferManager::removeJob(TransferJob *job)
{
    const qsizetype row = m_jobs.indexOf(job);
    if (row < 0 || job->isActive())
        return false;
    emit jobAboutToBeRemoved(job);
    m_jobs.removeAt(row);
    emit jobRemoved(job);
    job->disconnect(this);
    job->deleteLater();
    return true;
}

void TransferManager::clearFinished()
{
    const QList<TransferJob *> jobs = m_jobs;
    for (TransferJob *job : jobs) {
        if (job->isFinished())
            removeJob(job);
    }
}

} // namespace Berth
