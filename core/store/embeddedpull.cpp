// EmbeddedBackend::pull as named steps: the top manifest, the platforms' manifests, the blobs
// the store lacks (each downloaded, then committed off-thread), then the manifests and the tag.
// The state of one pull is a PullJob (store/embeddedjobs.h) handed from step to step.

#include "embeddedbackend.h"
#include "embeddedjobs.h"

#include "archive/layerverifier.h"
#include "common/guarded.h"
#include "common/logging.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"

#include <QSet>

#include <algorithm>

namespace Berth {

using Embedded::cancelledError;
using Embedded::progressLine;

namespace {

// How many times a pull fetches again the blobs another process removed before it could tag them.
constexpr int MaxPullRetries = 3;

// The layers this pull verified on arrival against what each image configuration lists. Layers
// the store had already were verified when they came in.
Status checkPulledDiffIds(const OciStore &store,
                          const QList<ManifestResponse> &manifests,
                          const QHash<QString, Digest> &verified,
                          const QString &image)
{
    for (const ManifestResponse &m : manifests) {
        auto manifest = parseImageManifest(m.body, m.mediaType);
        if (!manifest)
            return fail(manifest.error());
        const QString configType = manifest->config.mediaType;
        if (configType != QLatin1String(MediaType::OciConfig)
            && configType != QLatin1String(MediaType::DockerConfig))
            continue; // an artifact: no diff_ids to compare
        auto body = store.readBlob(manifest->config.digest, MaxConfigSize);
        if (!body)
            return fail(body.error());
        auto config = parseImageConfig(*body);
        if (!config) {
            qCWarning(lcStore) << "cannot compare the diff_ids of" << image << ":"
                               << config.error().message;
            continue;
        }
        if (Status s = checkDiffIds(*manifest, *config, verified, image); !s)
            return s;
    }
    return {};
}

// What the store lacks of a pull's blobs, and the lease that keeps what it has.
struct MissingBlobs
{
    std::shared_ptr<OciBlobLease> lease;
    QList<Descriptor> missing;
};

// On the thread pool: a stat per blob. The lease comes first, so a blob found here stays until
// the tag is written.
Result<MissingBlobs>
findMissing(const OciStore &store, const QList<Descriptor> &blobs, const QStringList &needed)
{
    if (Status s = store.init(); !s)
        return fail(s.error());
    MissingBlobs found;
    if (!needed.isEmpty()) {
        auto created = store.leaseBlobs(needed);
        if (!created)
            return fail(created.error());
        found.lease = std::move(*created);
    }
    for (const Descriptor &b : blobs) {
        if (store.blobSize(b.digest) != b.size)
            found.missing << b;
    }
    return found;
}

// On the thread pool: the manifests (and the index) into the store, each new one noted as this
// pull's own.
Status writeManifests(const OciStore &store, EmbeddedBackend::PullJob &job)
{
    QList<QByteArray> bodies;
    for (const ManifestResponse &m : std::as_const(job.manifests))
        bodies << m.body;
    if (job.index && job.options.allPlatforms)
        bodies << job.top.body;
    for (const QByteArray &body : std::as_const(bodies)) {
        const auto digest = Digest::parse(Sha256::digestOf(body));
        const bool existed = digest && store.hasBlob(*digest);
        auto d = store.writeBlob(body);
        if (!d)
            return fail(d.error());
        if (!existed)
            job.committed << d->toString();
    }
    return {};
}

// On the thread pool: the index entry, written only if everything it reaches is still there.
// Answers false when another process's rmi or prune took blobs this pull relies on (stored but
// not yet tagged, or already there when it started) and the pull may fetch them again.
Result<bool> writeTag(const OciStore &store, const EmbeddedBackend::PullJob &job)
{
    const Descriptor entry = job.indexEntry();
    const QString refName = Embedded::refNameOf(job.reference);
    bool lost = false;
    Status s = store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
        QStringList missing;
        store.reachableBlobs(entry, &missing);
        lost = !missing.isEmpty();
        if (lost)
            return fail(Error::Kind::Io,
                        tr("Parts of %1 were removed from the image store while it was being "
                           "pulled (a prune elsewhere?); pull it again.")
                            .arg(job.reference.familiarString()));
        entries.removeIf([&](const OciIndexEntry &e) {
            return e.descriptor.annotations.value(QLatin1String(ContainerdNameAnnotation))
                       == refName
                   || (!e.refName().isEmpty() && e.refName() == refName);
        });
        entries.append(OciIndexEntry{Embedded::taggedDescriptor(entry, refName)});
        return {};
    });
    if (lost && job.retries < MaxPullRetries)
        return false;
    if (!s)
        return fail(s.error());
    const QStringList all = store.reachableBlobs(entry);
    if (Status sources = store.addBlobSources(all, job.reference.repository()); !sources)
        qCWarning(lcStore) << "could not record where the blobs came from:"
                           << sources.error().message;
    return true;
}

// On the thread pool: manifests, then the index entry: the tag appears only once everything it
// needs is there.
Result<bool> storeAndTag(const OciStore &store, EmbeddedBackend::PullJob &job)
{
    if (Status s = writeManifests(store, job); !s)
        return fail(s.error());
    if (Status s
        = checkPulledDiffIds(store, job.manifests, job.diffIds, job.reference.familiarString());
        !s)
        return fail(s.error());
    return writeTag(store, job);
}

} // namespace

// ---- the state of one pull

QStringList EmbeddedBackend::PullJob::neededDigests() const
{
    QStringList out;
    for (const ManifestResponse &m : manifests)
        out << Sha256::digestOf(m.body);
    if (index && options.allPlatforms)
        out << Sha256::digestOf(top.body);
    for (const Descriptor &b : blobs)
        out << b.digest.toString();
    return out;
}

void EmbeddedBackend::PullJob::reportTotal() const
{
    qint64 sum = result.bytesSkipped;
    for (qint64 v : transferred)
        sum += v;
    report(progressLine({}, TransferProgress::State::Transferring, sum, totalBytes));
}

Result<bool> EmbeddedBackend::PullJob::planPlatforms()
{
    const QString mediaType = detectManifestMediaType(top.body, top.mediaType);
    if (MediaType::isImageManifest(mediaType)) {
        Descriptor d;
        d.mediaType = mediaType;
        d.digest = top.digest;
        d.size = top.body.size();
        manifestDescriptors = {d};
        manifests = {top};
        return false;
    }
    if (!MediaType::isIndex(mediaType))
        return fail(
            Error::Kind::Unsupported,
            tr("%1 is a %2, which Berth cannot pull.").arg(reference.familiarString(), mediaType));
    auto parsed = parseImageIndex(top.body, mediaType);
    if (!parsed)
        return fail(parsed.error());
    index = *parsed;
    if (options.allPlatforms) {
        manifestDescriptors = parsed->manifests;
    } else {
        const Platform wanted = options.platform.value_or(Platform::host());
        auto selected = parsed->select(wanted);
        if (!selected) {
            QStringList available;
            for (const Platform &p : parsed->platforms())
                available << p.toString();
            return fail(
                Error::Kind::NotFound,
                tr("%1 has no image for %2 (it has %3).")
                    .arg(reference.familiarString(), wanted.toString(), available.join(u", ")));
        }
        manifestDescriptors = {*selected};
    }
    manifests.resize(manifestDescriptors.size());
    return true;
}

Status EmbeddedBackend::PullJob::planBlobs()
{
    QSet<QString> seen;
    const Platform host = options.platform.value_or(Platform::host());
    for (int i = 0; i < manifests.size(); ++i) {
        const ManifestResponse &m = manifests.at(i);
        auto manifest = parseImageManifest(m.body, m.mediaType);
        if (!manifest)
            return fail(manifest.error());
        const Descriptor &md = manifestDescriptors.at(i);
        if (!result.imageId.isValid() || (md.platform && md.platform->satisfies(host)))
            result.imageId = manifest->config.digest;
        QList<Descriptor> layers{manifest->config};
        layers += manifest->layers;
        for (const Descriptor &b : std::as_const(layers)) {
            if (!b.urls.isEmpty()
                && b.mediaType == QLatin1String(MediaType::DockerForeignLayerGzip))
                continue; // foreign layers live elsewhere and are never pushed to registries
            if (seen.contains(b.digest.toString()))
                continue;
            seen.insert(b.digest.toString());
            blobs << b;
            totalBytes += b.size;
        }
    }
    return {};
}

void EmbeddedBackend::PullJob::setMissing(QList<Descriptor> lacking)
{
    missing = std::move(lacking);
    for (const Descriptor &b : std::as_const(blobs)) {
        const bool have = std::none_of(missing.cbegin(), missing.cend(), [&](const Descriptor &m) {
            return m.digest == b.digest;
        });
        if (have) {
            ++result.layersSkipped;
            result.bytesSkipped += b.size;
            report(progressLine(b.digest.toString(),
                                TransferProgress::State::Skipped,
                                b.size,
                                b.size,
                                tr("Already exists")));
        } else {
            report(progressLine(b.digest.toString(), TransferProgress::State::Waiting, 0, b.size));
        }
    }
}

void EmbeddedBackend::PullJob::resetForRetry()
{
    ++retries;
    blobs.clear();
    missing.clear();
    transferred.clear();
    totalBytes = 0;
    result.layersSkipped = 0;
    result.bytesSkipped = 0;
}

Descriptor EmbeddedBackend::PullJob::indexEntry() const
{
    Descriptor entry;
    if (index && options.allPlatforms) {
        entry.mediaType = detectManifestMediaType(top.body, top.mediaType);
        entry.digest = top.digest;
        entry.size = top.body.size();
        entry.annotations.insert(QLatin1String(RegistryDigestAnnotation), top.digest.toString());
        return entry;
    }
    const Descriptor &md = manifestDescriptors.first();
    entry.mediaType = detectManifestMediaType(manifests.first().body, manifests.first().mediaType);
    entry.digest = md.digest;
    entry.size = manifests.first().body.size();
    entry.platform = md.platform;
    // What the tag pointed at (the index for one platform of a multi-platform image): the
    // repository digest listImages shows and the update check compares.
    entry.annotations.insert(QLatin1String(RegistryDigestAnnotation), top.digest.toString());
    return entry;
}

// ---- the steps

void EmbeddedBackend::pull(const ImageReference &reference,
                           PullOptions options,
                           Callback<PullResult> done)
{
    auto job = std::make_shared<PullJob>();
    job->reference = reference;
    job->options = std::move(options);
    job->done = std::move(done);
    job->result.reference = reference;
    if (job->options.cancel.isCancelled())
        return failPull(job, cancelledError());
    followSourceReports(job);
    m_client->fetchManifest(reference, guarded(this, [this, job](Result<ManifestResponse> r) {
                                if (!r)
                                    return failPull(job, r.error());
                                job->top = *r;
                                job->result.digest = r->digest;
                                pullPlatforms(job);
                            }));
}

// A mirror that served the pull, or one it fell back past, is a line of its details.
void EmbeddedBackend::followSourceReports(std::shared_ptr<PullJob> job)
{
    const QString repository = job->reference.repository();
    // The line keeps a fallback's words when a later manifest only repeats their end.
    auto line = std::make_shared<QString>();
    job->sourceReports = connect(
        m_client,
        &RegistryClient::pullSourceReport,
        this,
        [job, repository, line](const QString &of, const QString &message) {
            if (of != repository || line->contains(message, Qt::CaseInsensitive))
                return;
            *line = message;
            job->report(progressLine(tr("Source"), TransferProgress::State::Done, 0, -1, message));
        });
}

void EmbeddedBackend::pullPlatforms(std::shared_ptr<PullJob> job)
{
    if (job->options.cancel.isCancelled())
        return failPull(job, cancelledError());
    const Result<bool> fetchPlatforms = job->planPlatforms();
    if (!fetchPlatforms)
        return failPull(job, fetchPlatforms.error());
    if (*fetchPlatforms)
        return fetchPlatformManifests(job);
    pullBlobs(job);
}

void EmbeddedBackend::fetchPlatformManifests(std::shared_ptr<PullJob> job)
{
    // Manifests are small: round trips, not bandwidth, bound them.
    runBounded(int(job->manifestDescriptors.size()),
               TransferBudget,
               guarded(this,
                       [this, job](int i, StepDone stepDone) {
                           fetchPlatformManifest(job, i, std::move(stepDone));
                       }),
               guarded(this, [this, job](Status s) {
                   if (!s)
                       return failPull(job, s.error());
                   pullBlobs(job);
               }));
}

void EmbeddedBackend::fetchPlatformManifest(std::shared_ptr<PullJob> job, int i, StepDone stepDone)
{
    const Descriptor &d = job->manifestDescriptors.at(i);
    m_client->fetchManifest(
        job->reference.withDigest(d.digest), [job, i, stepDone](Result<ManifestResponse> r) {
            if (!r)
                return stepDone(fail(r.error()));
            if (!MediaType::isImageManifest(detectManifestMediaType(r->body, r->mediaType)))
                return stepDone(fail(Error::Kind::Unsupported,
                                     tr("A platform of %1 is not an image manifest.")
                                         .arg(job->reference.familiarString())));
            job->manifests[i] = *r;
            stepDone({});
        });
}

void EmbeddedBackend::pullBlobs(std::shared_ptr<PullJob> job)
{
    if (Status s = job->planBlobs(); !s)
        return failPull(job, s.error());
    findMissingBlobs(job);
}

// Which blobs the store has already is a stat per blob: cheap, but still disk, so off-thread.
void EmbeddedBackend::findMissingBlobs(std::shared_ptr<PullJob> job)
{
    runInBackground(
        this,
        [store = m_store,
         blobs = job->blobs,
         needed = job->lease ? QStringList() : job->neededDigests()] {
            return findMissing(store, blobs, needed);
        },
        [this, job](Result<MissingBlobs> found) {
            if (found && found->lease)
                job->lease = std::move(found->lease);
            if (!found)
                return failPull(job, found.error());
            job->setMissing(std::move(found->missing));
            if (job->options.cancel.isCancelled())
                return failPull(job, cancelledError());
            downloadMissingBlobs(job);
        });
}

void EmbeddedBackend::downloadMissingBlobs(std::shared_ptr<PullJob> job)
{
    forEachTransfer<Descriptor>(
        job->missing,
        [](const Descriptor &blob) { return blob.size; },
        guarded(this,
                [this, job](const Descriptor &blob, StepDone stepDone) {
                    if (job->options.cancel.isCancelled())
                        return stepDone(fail(cancelledError()));
                    fetchBlob(job, blob, std::move(stepDone));
                }),
        guarded(this, [this, job](Status s) {
            if (!s)
                return failPull(job, s.error());
            if (job->options.cancel.isCancelled())
                return failPull(job, cancelledError());
            finishPull(job);
        }));
}

// Download one: written to a temporary blob as it arrives, a layer unpacked on the way.
void EmbeddedBackend::fetchBlob(std::shared_ptr<PullJob> job,
                                const Descriptor &b,
                                StepDone stepDone)
{
    const QString item = b.digest.toString();
    auto writer = m_store.createBlobWriter();
    if (!writer)
        return stepDone(fail(writer.error()));
    // Written on the transfer thread as the blob arrives; shared so the commit on the thread pool
    // can own it once the download is over.
    auto sink = std::shared_ptr<OciBlobWriter>(std::move(*writer));
    sink->setWaitForWriteback(false);
    // A layer is unpacked as it arrives: its entries judged, its diff_id hashed.
    std::shared_ptr<LayerCheckingSink> checking;
    if (isTarLayerMediaType(b.mediaType))
        checking = std::make_shared<LayerCheckingSink>(
            sink.get(), tr("Layer %1 of %2").arg(item, job->reference.familiarString()), item);
    BlobSink *target
        = checking ? static_cast<BlobSink *>(checking.get()) : static_cast<BlobSink *>(sink.get());
    BlobDownloadOptions options;
    options.expectedSize = b.size;
    options.cancel = job->options.cancel;
    options.progress = [job, item](qint64 done, qint64 total) {
        job->transferred[item] = done;
        job->report(progressLine(item, TransferProgress::State::Transferring, done, total));
        job->reportTotal();
    };
    job->report(progressLine(item, TransferProgress::State::Transferring, 0, b.size));
    m_client->downloadBlob(
        job->reference,
        b.digest,
        target,
        options,
        guarded(this, [this, job, b, item, sink, checking, stepDone](Result<qint64> r) mutable {
            if (!r) {
                job->report(progressLine(
                    item, TransferProgress::State::Failed, 0, b.size, r.error().message));
                checking.reset();
                sink.reset(); // removes the temp file
                return stepDone(fail(r.error()));
            }
            job->report(progressLine(item, TransferProgress::State::Verifying, b.size, b.size));
            storeFetchedBlob(job, b, std::move(sink), std::move(checking), stepDone);
        }));
}

// Commit one, off the backend's thread: the layer's verdict, then the fsync and rename.
void EmbeddedBackend::storeFetchedBlob(std::shared_ptr<PullJob> job,
                                       const Descriptor &b,
                                       std::shared_ptr<OciBlobWriter> sink,
                                       std::shared_ptr<LayerCheckingSink> checking,
                                       StepDone stepDone)
{
    auto diffId = std::make_shared<Digest>();
    runInBackground(
        this,
        [store = m_store, sink, checking, diffId, b]() -> Status {
            if (checking) {
                auto unpacked = checking->finish();
                if (!unpacked)
                    return fail(unpacked.error());
                *diffId = unpacked->isValid() ? *unpacked : b.digest;
            }
            return store.commitBlob(*sink, b.digest, b.size);
        },
        [job, b, sink, checking, diffId, stepDone](Status s) mutable {
            checking.reset();
            sink.reset();
            if (!s)
                return stepDone(s);
            const QString item = b.digest.toString();
            if (diffId->isValid())
                job->diffIds.insert(item, *diffId);
            job->committed << item;
            ++job->result.layersTransferred;
            job->result.bytesTransferred += b.size;
            job->report(progressLine(
                item, TransferProgress::State::Done, b.size, b.size, tr("Pull complete")));
            stepDone({});
        });
}

void EmbeddedBackend::finishPull(std::shared_ptr<PullJob> job)
{
    runInBackground(
        this,
        [store = m_store, job] { return storeAndTag(store, *job); },
        [this, job](Result<bool> tagged) { pullTagged(job, std::move(tagged)); });
}

void EmbeddedBackend::pullTagged(std::shared_ptr<PullJob> job, Result<bool> tagged)
{
    if (!tagged)
        return failPull(job, tagged.error());
    if (!*tagged) {
        qCInfo(lcStore) << "blobs of" << job->reference.toString()
                        << "were removed by another process while it was pulled; again";
        job->resetForRetry();
        return pullBlobs(job);
    }
    job->lease.reset(); // the tag keeps the blobs now
    QObject::disconnect(job->sourceReports);
    job->report(progressLine({},
                             TransferProgress::State::Done,
                             job->result.bytesTransferred + job->result.bytesSkipped,
                             job->totalBytes));
    job->done(job->result);
}

void EmbeddedBackend::failPull(std::shared_ptr<PullJob> job, Error error)
{
    qCInfo(lcStore) << "pull of" << job->reference.toString() << "failed:" << error.message;
    job->lease.reset(); // or discardBlobs would keep what this very pull leased
    QObject::disconnect(job->sourceReports);
    if (job->committed.isEmpty())
        return job->done(fail(std::move(error)));
    // What this pull stored and no tag uses goes again: a failed pull leaves the store as it was.
    runInBackground(
        this,
        [store = m_store, committed = job->committed]() -> Status {
            return store.discardBlobs(committed);
        },
        [job, error](Status s) {
            if (!s)
                qCWarning(lcStore) << "could not discard blobs:" << s.error().message;
            job->done(fail(error));
        });
}

} // namespace Berth
