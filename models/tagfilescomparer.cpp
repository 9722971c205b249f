#include "tagfilescomparer.h"

#include "common/background.h"
#include "common/guarded.h"
#include "common/humanize.h"
#include "contents/layerindexcache.h"
#include "filechangesfilter.h"
#include "imagefiles/contentssource.h"
#include "registry/registryclient.h"
#include "transferjob.h"
#include "transfermanager.h"

#include <array>
#include <atomic>

namespace Berth {

qint64 FilesComparison::netBytes() const
{
    return (to ? to->summary.visibleBytes : 0) - (from ? from->summary.visibleBytes : 0);
}

QString TagFilesComparer::summaryText(const FilesComparison &comparison)
{
    const DiffSummary &s = comparison.diff.summary;
    if (s.added == 0 && s.changed == 0 && s.deleted == 0)
        return tr("%1 and %2 hold the same files.")
            .arg(comparison.first.familiarString(), comparison.second.familiarString());
    const qint64 net = comparison.netBytes();
    const QString bytes = net > 0   ? tr("+%1").arg(formatSize(net))
                          : net < 0 ? tr("−%1").arg(formatSize(-net))
                                    : tr("same size");
    //: "312 added, 40 changed, 12 deleted · +18 MB"
    return tr("%1, %2, %3 · %4")
        .arg(tr("%n added", nullptr, int(s.added)),
             tr("%n changed", nullptr, int(s.changed)),
             tr("%n deleted", nullptr, int(s.deleted)),
             bytes);
}

// Where one run of the comparison reports: the comparer directly, or the job of the Transfers
// dock that ran it (which then tells the comparer).
struct TagFilesComparer::Hooks
{
    CancelToken cancel;
    std::function<void(qint64 done, qint64 total)> progress; // any thread
    std::function<void(Result<std::shared_ptr<const FilesComparison>>)> done;
};

struct TagFilesComparer::Pending
{
    std::shared_ptr<Hooks> hooks;
    std::array<ImageReference, 2> references;
    std::optional<Platform> platform;
    std::array<std::optional<Result<std::shared_ptr<LoadedContents>>>, 2> loaded;
    std::array<std::atomic<qint64>, 2> done{};
    std::array<std::atomic<qint64>, 2> total{};
};

TagFilesComparer::TagFilesComparer(RegistryClient *registry,
                                   std::shared_ptr<LayerIndexCache> cache,
                                   QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_cache(std::move(cache))
{}

TagFilesComparer::~TagFilesComparer()
{
    cancel();
}

TransferJob *TagFilesComparer::job() const
{
    return m_job;
}

void TagFilesComparer::setTransferManager(TransferManager *transfers)
{
    m_transfers = transfers;
}

void TagFilesComparer::setCache(std::shared_ptr<LayerIndexCache> cache)
{
    m_cache = std::move(cache);
}

void TagFilesComparer::cancel()
{
    ++m_generation;
    m_cancel.cancel();
    if (m_job && m_job->canCancel())
        m_job->cancel();
    m_job.clear();
    setRunning(false);
}

void TagFilesComparer::clear()
{
    cancel();
    m_comparison.reset();
    setProgress(0, 0);
}

void TagFilesComparer::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    emit runningChanged(running);
}

void TagFilesComparer::setProgress(qint64 done, qint64 total)
{
    if (done == m_done && total == m_total)
        return;
    m_done = done;
    m_total = total;
    emit progressChanged(done, total);
}

void TagFilesComparer::compare(const ImageReference &first,
                               const ImageReference &second,
                               const std::optional<Platform> &platform)
{
    clear();
    m_cancel = CancelToken();
    m_references = {first, second};
    m_platform = platform;
    if (m_transfers)
        m_cache = m_transfers->layerIndexCache();
    else if (!m_cache)
        m_cache = std::make_shared<LayerIndexCache>();
    setRunning(true);
    if (m_transfers)
        startJob(m_generation);
    else
        run(makePending(m_generation, m_cancel));
}

// One run's state, reporting to this comparer (which drops it once a newer run took over).
std::shared_ptr<TagFilesComparer::Pending> TagFilesComparer::makePending(int generation,
                                                                         const CancelToken &cancel)
{
    auto pending = std::make_shared<Pending>();
    pending->references = m_references;
    pending->platform = m_platform;
    pending->hooks = std::make_shared<Hooks>();
    pending->hooks->cancel = cancel;
    QPointer<TagFilesComparer> self(this);
    pending->hooks->progress = [self, generation](qint64 done, qint64 total) {
        postGuarded(self, [self, generation, done, total] {
            if (self->m_generation == generation)
                self->setProgress(done, total);
        });
    };
    pending->hooks->done = [self, generation](auto result) {
        if (self)
            self->answer(generation, std::move(result));
    };
    return pending;
}

// The comparison as a job of the Transfers dock: its cancel (there or here) stops the reads, its
// progress is the layer bytes indexed, a retry there runs the comparison again.
void TagFilesComparer::startJob(int generation)
{
    const QString first = m_references[0].familiarString();
    const QString second = m_references[1].familiarString();
    QPointer<TagFilesComparer> self(this);
    m_job = m_transfers->compareFiles(
        tr("Compare the files of %1 and %2").arg(first, second),
        {first + u", " + second, m_references[0].domain(), {}},
        [self, generation](const TransferJob::Run &job) {
            if (!self)
                return job.finish(fail(Error::Kind::Cancelled, tr("Cancelled")));
            auto pending = self->makePending(generation, job.cancel);
            const auto report = pending->hooks->progress;
            pending->hooks->progress = [job, report](qint64 done, qint64 total) {
                TransferProgress progress;
                progress.state = TransferProgress::State::Transferring;
                progress.current = done;
                progress.total = total > 0 ? total : -1;
                job.transferProgress(progress);
                report(done, total);
            };
            const auto answer = pending->hooks->done;
            pending->hooks->done = [job, answer](Result<std::shared_ptr<const FilesComparison>> r) {
                if (r)
                    job.finish(TransferJob::Outcome{summaryText(**r), {}, -1});
                else
                    job.finish(fail(r.error()));
                answer(std::move(r));
            };
            if (self->m_generation == generation)
                self->setRunning(true); // again, after a retry from the Transfers dock
            self->run(pending);
        });
}

void TagFilesComparer::run(const std::shared_ptr<Pending> &pending)
{
    if (!m_registry)
        return pending->hooks->done(
            fail(Error::Kind::Unsupported, tr("No registry client to read the images with.")));
    loadOne(0, pending);
    loadOne(1, pending);
}

void TagFilesComparer::loadOne(int side, const std::shared_ptr<Pending> &pending)
{
    const ImageReference &reference = pending->references.at(side);
    std::shared_ptr<ContentsSource> source
        = registryContentsSource(*m_registry, reference, pending->platform);
    LoadContentsOptions options;
    options.cancel = pending->hooks->cancel;
    // Each side reports its own bytes; the run shows their sum.
    options.progress = [pending, side](const ContentsProgress &progress) {
        pending->done.at(side) = progress.done;
        pending->total.at(side) = progress.total;
        pending->hooks->progress(pending->done[0] + pending->done[1],
                                 pending->total[0] + pending->total[1]);
    };
    QPointer<TagFilesComparer> self(this);
    loadContents(source,
                 m_cache,
                 std::move(options),
                 [self, pending, side, reference](Result<std::shared_ptr<LoadedContents>> r) {
                     if (!r && !r.error().isCancelled())
                         r = fail(r.error().kind,
                                  tr("Berth could not read the files of %1: %2")
                                      .arg(reference.familiarString(), r.error().message));
                     pending->loaded.at(side) = std::move(r);
                     if (self)
                         self->loaded(pending);
                 });
}

void TagFilesComparer::loaded(const std::shared_ptr<Pending> &pending)
{
    if (!pending->loaded[0] || !pending->loaded[1])
        return; // the other side is still on its way
    for (const auto &side : pending->loaded) {
        if (!*side)
            return pending->hooks->done(fail(side->error()));
    }
    std::shared_ptr<const LoadedContents> from = **pending->loaded[0];
    std::shared_ptr<const LoadedContents> to = **pending->loaded[1];
    diffContents(
        from, to, pending->hooks->cancel, guarded(this, [this, pending](Result<ContentsDiff> diff) {
            diffed(pending, std::move(diff));
        }));
}

void TagFilesComparer::diffed(const std::shared_ptr<Pending> &pending, Result<ContentsDiff> diff)
{
    if (!diff)
        return pending->hooks->done(fail(diff.error()));
    auto comparison = std::make_shared<FilesComparison>();
    comparison->first = pending->references[0];
    comparison->second = pending->references[1];
    comparison->from = **pending->loaded[0];
    comparison->to = **pending->loaded[1];
    comparison->diff = std::move(*diff);
    const CancelToken cancel = pending->hooks->cancel;
    runInBackground(
        this,
        [tree = comparison->diff.tree, cancel] {
            return FileChangesFilter::subtreeKinds(*tree, cancel);
        },
        [pending, comparison](Result<std::vector<quint8>> kinds) {
            if (!kinds)
                return pending->hooks->done(fail(kinds.error()));
            comparison->subtreeKinds
                = std::make_shared<const std::vector<quint8>>(std::move(*kinds));
            pending->hooks->done(std::shared_ptr<const FilesComparison>(comparison));
        });
}

void TagFilesComparer::answer(int generation, Result<std::shared_ptr<const FilesComparison>> result)
{
    if (generation != m_generation)
        return; // cancelled, or a newer comparison took over
    m_job.clear();
    setRunning(false);
    if (!result) {
        if (!result.error().isCancelled())
            emit failed(result.error());
        return;
    }
    m_comparison = std::move(*result);
    emit finished();
}

} // namespace Berth
