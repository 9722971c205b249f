#include "embeddedbackend.h"

#include "oci/bloblease.h"
#include "oci/storedimage.h"

#include "archive/layerverifier.h"
#include "common/boundedparallel.h"
#include "common/logging.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QHash>
#include <QIODevice>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

// How many times a pull fetches again the blobs another process removed before it could tag them.
constexpr int MaxPullRetries = 3;

// The ref.name a pull or tag records: tagged references by tag, digest-only ones by digest.
QString refNameOf(const ImageReference &reference)
{
    if (!reference.tag().isEmpty())
        return OciStore::refNameFor(reference.withTag(reference.tag()));
    return OciStore::refNameFor(reference);
}

Descriptor taggedDescriptor(Descriptor d, const QString &refName)
{
    d.annotations.remove(QLatin1String(RefNameAnnotation));
    d.annotations.insert(QLatin1String(ContainerdNameAnnotation), refName);
    if (refName.contains(u'@'))
        return d; // untagged: a digest is no tag, skopeo and prune treat it as such
    d.annotations.insert(QLatin1String(RefNameAnnotation), refName);
    return d;
}

TransferProgress progressLine(const QString &item,
                              TransferProgress::State state,
                              qint64 current,
                              qint64 total,
                              const QString &message = {})
{
    TransferProgress p;
    p.item = item;
    p.state = state;
    p.current = current;
    p.total = total;
    p.message = message;
    return p;
}

Error cancelledError()
{
    return Error::make(Error::Kind::Cancelled, tr("Cancelled."));
}

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

} // namespace

// ---- jobs

struct EmbeddedBackend::PullJob
{
    ImageReference reference;
    PullOptions options;
    Callback<PullResult> done;
    PullResult result;
    ManifestResponse top;
    std::optional<ImageIndex> index;
    QList<Descriptor> manifestDescriptors; // the image manifests to store
    QList<ManifestResponse> manifests;     // their bodies, same order
    QList<Descriptor> blobs;               // configs and layers, each digest once
    QList<Descriptor> missing;             // of blobs, those the store lacks
    QStringList committed;                 // blobs this pull stored: discarded on failure
    QHash<QString, qint64> transferred;    // per blob, for the total line
    QHash<QString, Digest> diffIds;        // layer digest -> diff_id, of the layers fetched
    qint64 totalBytes = 0;
    int retries = 0; // times blobs went missing (a prune or rmi elsewhere) and were fetched again
    // Keeps collections elsewhere off what this pull needs until its tag is written.
    std::shared_ptr<OciBlobLease> lease;

    // Every blob the tag will reach: manifests (and the index), configs and layers.
    QStringList neededDigests() const
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

    void report(const TransferProgress &p) const
    {
        if (options.progress)
            options.progress(p);
    }
    void reportTotal() const
    {
        qint64 sum = result.bytesSkipped;
        for (qint64 v : transferred)
            sum += v;
        report(progressLine({}, TransferProgress::State::Transferring, sum, totalBytes));
    }
};

struct PushBlob
{
    Descriptor descriptor;
    QString path;
};

struct EmbeddedBackend::PushJob
{
    ImageReference reference;
    PushOptions options;
    Callback<PushResult> done;
    PushResult result;
    QList<PushBlob> blobs;
    // Manifests in the order they go up: platform manifests first, the tagged one last.
    QList<std::pair<Descriptor, QByteArray>> manifests;
    QHash<QString, QStringList> sources;
    QStringList pushed; // blobs now in the destination repository

    void report(const TransferProgress &p) const
    {
        if (options.progress)
            options.progress(p);
    }
};

// ---- EmbeddedBackend

EmbeddedBackend::EmbeddedBackend(const QString &storePath, RegistryClient *client, QObject *parent)
    : ImageBackend(parent)
    , m_store(storePath)
    , m_client(client)
{}

QString EmbeddedBackend::description() const
{
    return tr("Embedded store at %1").arg(QDir::toNativeSeparators(m_store.path()));
}

void EmbeddedBackend::listImages(Callback<QList<LocalImage>> done)
{
    const OciStore store = m_store;
    inBackground<QList<LocalImage>>(
        [store]() -> Result<QList<LocalImage>> {
            auto entries = store.readIndex();
            if (!entries)
                return fail(entries.error());
            QList<LocalImage> out;
            QHash<QString, int> byId;
            for (const StoredImage &image : loadStoredImages(store, *entries)) {
                const QString id = image.imageId.toString();
                auto it = byId.constFind(id);
                if (it == byId.cend()) {
                    LocalImage local;
                    local.id = image.imageId;
                    local.created = image.config.created;
                    local.size = image.manifest.layersSize();
                    local.platform = image.config.platform;
                    it = byId.insert(id, int(out.size()));
                    out << local;
                }
                LocalImage &local = out[*it];
                if (image.reference) {
                    if (image.isTagged()
                        && !local.repoTags.contains(image.reference->familiarString()))
                        local.repoTags << image.reference->familiarString();
                    const QString registryDigest = image.entry.descriptor.annotations.value(
                        QLatin1String(RegistryDigestAnnotation),
                        image.entry.descriptor.digest.toString());
                    const QString repoDigest
                        = image.reference->familiarRepository() + u'@' + registryDigest;
                    if (!local.repoDigests.contains(repoDigest))
                        local.repoDigests << repoDigest;
                }
            }
            std::sort(out.begin(), out.end(), [](const LocalImage &a, const LocalImage &b) {
                return a.created > b.created;
            });
            return out;
        },
        std::move(done));
}

void EmbeddedBackend::inspectImage(const QString &nameOrId, Callback<LocalImageDetails> done)
{
    const OciStore store = m_store;
    inBackground<LocalImageDetails>(
        [store, nameOrId]() -> Result<LocalImageDetails> {
            auto entries = store.readIndex();
            if (!entries)
                return fail(entries.error());
            const QList<StoredImage> images = loadStoredImages(store, *entries);
            auto found = resolveStoredImage(images, nameOrId);
            if (!found)
                return fail(found.error());
            const StoredImage &image = images.at(found->first());
            LocalImageDetails details;
            details.image.id = image.imageId;
            details.image.created = image.config.created;
            details.image.size = image.manifest.layersSize();
            details.image.platform = image.config.platform;
            for (const StoredImage &other : images) {
                if (other.imageId == image.imageId && other.isTagged())
                    details.image.repoTags << other.reference->familiarString();
            }
            details.manifestDigest = image.manifestDescriptor.digest;
            details.manifestMediaType = image.manifestDescriptor.mediaType;
            details.config = image.config;
            details.layers = image.manifest.layers;
            return details;
        },
        std::move(done));
}

void EmbeddedBackend::tag(const QString &source, const ImageReference &target, Callback<void> done)
{
    if (target.tag().isEmpty() || target.hasDigest())
        return done(fail(Error::Kind::InvalidArgument,
                         tr("%1 cannot be a tag: give a name with a tag, without a digest.")
                             .arg(target.toString())));
    const OciStore store = m_store;
    inBackground<void>(
        [store, source, target]() -> Status {
            return store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
                const QList<StoredImage> images = loadStoredImages(store, entries);
                auto found = resolveStoredImage(images, source);
                if (!found)
                    return fail(found.error());
                const StoredImage &image = images.at(found->first());
                const QString refName = refNameOf(target);
                entries.removeIf([&](const OciIndexEntry &e) { return e.refName() == refName; });
                Descriptor d = image.entry.descriptor;
                // The registry digest belongs to the source repository; the new name has none yet.
                d.annotations.remove(QLatin1String(RegistryDigestAnnotation));
                entries.append(OciIndexEntry{taggedDescriptor(d, refName)});
                return {};
            });
        },
        std::move(done));
}

void EmbeddedBackend::remove(const QString &nameOrId, bool force, Callback<RemoveResult> done)
{
    const OciStore store = m_store;
    inBackground<RemoveResult>(
        [store, nameOrId, force]() -> Result<RemoveResult> {
            RemoveResult result;
            Status s = store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
                const QList<StoredImage> images = loadStoredImages(store, entries);
                bool byId = false;
                auto found = resolveStoredImage(images, nameOrId, &byId);
                if (!found)
                    return fail(found.error());
                const Digest id = images.at(found->first()).imageId;
                QSet<QString> removeRefs;
                QList<int> targets = *found;
                if (byId) {
                    int tagged = 0;
                    for (int i : targets)
                        tagged += images.at(i).isTagged() ? 1 : 0;
                    if (tagged > 1 && !force)
                        return fail(Error::Kind::InvalidArgument,
                                    tr("Image %1 has several tags; remove them one by one, or "
                                       "force the removal.")
                                        .arg(id.shortId()));
                }
                QList<Descriptor> removed;
                for (int i : targets) {
                    const StoredImage &image = images.at(i);
                    if (image.isTagged())
                        result.untagged << image.reference->familiarString();
                    removed << image.entry.descriptor;
                }
                entries.removeIf([&](const OciIndexEntry &e) {
                    return std::any_of(removed.cbegin(), removed.cend(), [&](const Descriptor &d) {
                        return d.digest == e.descriptor.digest
                               && d.annotations == e.descriptor.annotations;
                    });
                });
                const bool stillUsed
                    = std::any_of(entries.cbegin(), entries.cend(), [&](const OciIndexEntry &e) {
                          return std::any_of(
                              images.cbegin(), images.cend(), [&](const StoredImage &image) {
                                  return image.imageId == id
                                         && image.entry.descriptor.digest == e.descriptor.digest
                                         && image.entry.descriptor.annotations
                                                == e.descriptor.annotations;
                              });
                      });
                if (!stillUsed)
                    result.deleted << id.toString();
                return {};
            });
            if (!s)
                return fail(s.error());
            if (!result.deleted.isEmpty()) {
                // The image's blobs go with its last tag, as `docker rmi` frees its layers.
                if (auto gc = store.collectGarbage(); !gc)
                    qCWarning(lcStore)
                        << "could not free the blobs of" << result.deleted << gc.error().message;
            }
            return result;
        },
        std::move(done));
}

void EmbeddedBackend::prune(PruneOptions options, Callback<PruneResult> done)
{
    const OciStore store = m_store;
    inBackground<PruneResult>(
        [store, options]() -> Result<PruneResult> {
            auto report = store.prune(options.all);
            if (!report)
                return fail(report.error());
            PruneResult result;
            for (const QString &name : std::as_const(report->removedEntries)) {
                auto ref = ImageReference::parse(name);
                result.removed << (ref ? ref->familiarString() : name);
            }
            result.reclaimedBytes = report->reclaimedBytes;
            return result;
        },
        std::move(done));
}

void EmbeddedBackend::fsck(FsckOptions options, CancelToken cancel, Callback<FsckReport> done)
{
    const OciStore store = m_store;
    inBackground<FsckReport>(
        [store, options, cancel]() -> Result<FsckReport> {
            return store.fsck(options, [cancel] { return cancel.isCancelled(); });
        },
        std::move(done));
}

// ---- pull

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
    QPointer<EmbeddedBackend> self(this);
    m_client->fetchManifest(reference, [self, job](Result<ManifestResponse> r) {
        if (!self)
            return;
        if (!r)
            return self->failPull(job, r.error());
        job->top = *r;
        job->result.digest = r->digest;
        self->pullPlatforms(job);
    });
}

void EmbeddedBackend::pullPlatforms(std::shared_ptr<PullJob> job)
{
    if (job->options.cancel.isCancelled())
        return failPull(job, cancelledError());
    const QString mediaType = detectManifestMediaType(job->top.body, job->top.mediaType);
    if (MediaType::isImageManifest(mediaType)) {
        Descriptor d;
        d.mediaType = mediaType;
        d.digest = job->top.digest;
        d.size = job->top.body.size();
        job->manifestDescriptors = {d};
        job->manifests = {job->top};
        return pullBlobs(job);
    }
    if (!MediaType::isIndex(mediaType))
        return failPull(job,
                        Error::make(Error::Kind::Unsupported,
                                    tr("%1 is a %2, which Berth cannot pull.")
                                        .arg(job->reference.familiarString(), mediaType)));
    auto index = parseImageIndex(job->top.body, mediaType);
    if (!index)
        return failPull(job, index.error());
    job->index = *index;
    if (job->options.allPlatforms) {
        job->manifestDescriptors = index->manifests;
    } else {
        const Platform wanted = job->options.platform.value_or(Platform::host());
        auto selected = index->select(wanted);
        if (!selected) {
            QStringList available;
            for (const Platform &p : index->platforms())
                available << p.toString();
            return failPull(job,
                            Error::make(Error::Kind::NotFound,
                                        tr("%1 has no image for %2 (it has %3).")
                                            .arg(job->reference.familiarString(),
                                                 wanted.toString(),
                                                 available.join(u", "))));
        }
        job->manifestDescriptors = {*selected};
    }
    job->manifests.resize(job->manifestDescriptors.size());
    QPointer<EmbeddedBackend> self(this);
    runBounded(
        int(job->manifestDescriptors.size()),
        ParallelTransfers,
        [self, job](int i, std::function<void(Status)> stepDone) {
            if (!self)
                return stepDone(fail(cancelledError()));
            const Descriptor &d = job->manifestDescriptors.at(i);
            self->m_client->fetchManifest(
                job->reference.withDigest(d.digest),
                [job, i, stepDone](Result<ManifestResponse> r) {
                    if (!r)
                        return stepDone(fail(r.error()));
                    if (!MediaType::isImageManifest(detectManifestMediaType(r->body, r->mediaType)))
                        return stepDone(fail(Error::Kind::Unsupported,
                                             tr("A platform of %1 is not an image manifest.")
                                                 .arg(job->reference.familiarString())));
                    job->manifests[i] = *r;
                    stepDone({});
                });
        },
        [self, job](Status s) {
            if (!self)
                return;
            if (!s)
                return self->failPull(job, s.error());
            self->pullBlobs(job);
        });
}

void EmbeddedBackend::pullBlobs(std::shared_ptr<PullJob> job)
{
    QSet<QString> seen;
    const Platform host = job->options.platform.value_or(Platform::host());
    for (int i = 0; i < job->manifests.size(); ++i) {
        const ManifestResponse &m = job->manifests.at(i);
        auto manifest = parseImageManifest(m.body, m.mediaType);
        if (!manifest)
            return failPull(job, manifest.error());
        const Descriptor &md = job->manifestDescriptors.at(i);
        if (!job->result.imageId.isValid() || (md.platform && md.platform->satisfies(host)))
            job->result.imageId = manifest->config.digest;
        QList<Descriptor> blobs{manifest->config};
        blobs += manifest->layers;
        for (const Descriptor &b : std::as_const(blobs)) {
            if (!b.urls.isEmpty()
                && b.mediaType == QLatin1String(MediaType::DockerForeignLayerGzip))
                continue; // foreign layers live elsewhere and are never pushed to registries
            if (seen.contains(b.digest.toString()))
                continue;
            seen.insert(b.digest.toString());
            job->blobs << b;
            job->totalBytes += b.size;
        }
    }

    // Which blobs the store has already is a stat per blob: cheap, but still disk, so off-thread.
    // The lease comes first: a blob found here stays until the tag is written.
    const OciStore store = m_store;
    const QList<Descriptor> blobs = job->blobs;
    const QStringList needed = job->lease ? QStringList() : job->neededDigests();
    auto lease = std::make_shared<std::shared_ptr<OciBlobLease>>();
    QPointer<EmbeddedBackend> self(this);
    inBackground<QList<Descriptor>>(
        [store, blobs, needed, lease]() -> Result<QList<Descriptor>> {
            if (Status s = store.init(); !s)
                return fail(s.error());
            if (!needed.isEmpty()) {
                auto created = store.leaseBlobs(needed);
                if (!created)
                    return fail(created.error());
                *lease = std::move(*created);
            }
            QList<Descriptor> missing;
            for (const Descriptor &b : blobs) {
                if (store.blobSize(b.digest) != b.size)
                    missing << b;
            }
            return missing;
        },
        [self, job, lease](Result<QList<Descriptor>> missing) {
            if (!self)
                return;
            if (*lease)
                job->lease = std::move(*lease);
            if (!missing)
                return self->failPull(job, missing.error());
            job->missing = *missing;
            for (const Descriptor &b : std::as_const(job->blobs)) {
                const bool have
                    = std::none_of(job->missing.cbegin(),
                                   job->missing.cend(),
                                   [&](const Descriptor &m) { return m.digest == b.digest; });
                if (have) {
                    ++job->result.layersSkipped;
                    job->result.bytesSkipped += b.size;
                    job->report(progressLine(b.digest.toString(),
                                             TransferProgress::State::Skipped,
                                             b.size,
                                             b.size,
                                             tr("Already exists")));
                } else {
                    job->report(progressLine(
                        b.digest.toString(), TransferProgress::State::Waiting, 0, b.size));
                }
            }
            if (job->options.cancel.isCancelled())
                return self->failPull(job, cancelledError());
            runBounded(
                int(job->missing.size()),
                ParallelTransfers,
                [self, job](int i, std::function<void(Status)> stepDone) {
                    if (!self || job->options.cancel.isCancelled())
                        return stepDone(fail(cancelledError()));
                    self->fetchBlob(job, job->missing.at(i), std::move(stepDone));
                },
                [self, job](Status s) {
                    if (!self)
                        return;
                    if (!s)
                        return self->failPull(job, s.error());
                    if (job->options.cancel.isCancelled())
                        return self->failPull(job, cancelledError());
                    self->finishPull(job);
                });
        });
}

void EmbeddedBackend::fetchBlob(std::shared_ptr<PullJob> job,
                                const Descriptor &b,
                                std::function<void(Status)> stepDone)
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
    QPointer<EmbeddedBackend> self(this);
    m_client->downloadBlob(
        job->reference,
        b.digest,
        target,
        options,
        [self, job, b, item, sink, checking, stepDone](Result<qint64> r) mutable {
            if (!self)
                return stepDone(fail(cancelledError()));
            if (!r) {
                job->report(progressLine(
                    item, TransferProgress::State::Failed, 0, b.size, r.error().message));
                checking.reset();
                sink.reset(); // removes the temp file
                return stepDone(fail(r.error()));
            }
            job->report(progressLine(item, TransferProgress::State::Verifying, b.size, b.size));
            self->storeFetchedBlob(job, b, std::move(sink), std::move(checking), stepDone);
        });
}

// Off the backend's thread: the layer's verdict, then the fsync and rename.
void EmbeddedBackend::storeFetchedBlob(std::shared_ptr<PullJob> job,
                                       const Descriptor &b,
                                       std::shared_ptr<OciBlobWriter> sink,
                                       std::shared_ptr<LayerCheckingSink> checking,
                                       std::function<void(Status)> stepDone)
{
    const OciStore store = m_store;
    auto diffId = std::make_shared<Digest>();
    inBackground<void>(
        [store, sink, checking, diffId, b]() -> Status {
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
    const OciStore store = m_store;
    // Manifests, then the index entry: the tag appears only once everything it needs is there.
    // Answers false when another process's rmi or prune took blobs this pull relies on (stored
    // but not yet tagged, or already there when it started): they are fetched again.
    auto work = [store, job]() -> Result<bool> {
        QList<QByteArray> bodies;
        for (const ManifestResponse &m : std::as_const(job->manifests))
            bodies << m.body;
        if (job->index && job->options.allPlatforms)
            bodies << job->top.body;
        for (const QByteArray &body : std::as_const(bodies)) {
            const auto digest = Digest::parse(Sha256::digestOf(body));
            const bool existed = digest && store.hasBlob(*digest);
            auto d = store.writeBlob(body);
            if (!d)
                return fail(d.error());
            if (!existed)
                job->committed << d->toString();
        }
        Descriptor entry;
        if (job->index && job->options.allPlatforms) {
            entry.mediaType = detectManifestMediaType(job->top.body, job->top.mediaType);
            entry.digest = job->top.digest;
            entry.size = job->top.body.size();
        } else {
            const Descriptor &md = job->manifestDescriptors.first();
            entry.mediaType = detectManifestMediaType(job->manifests.first().body,
                                                      job->manifests.first().mediaType);
            entry.digest = md.digest;
            entry.size = job->manifests.first().body.size();
            entry.platform = md.platform;
            if (job->index)
                entry.annotations.insert(QLatin1String(RegistryDigestAnnotation),
                                         job->top.digest.toString());
        }
        if (Status s = checkPulledDiffIds(
                store, job->manifests, job->diffIds, job->reference.familiarString());
            !s)
            return fail(s.error());
        const QString refName = refNameOf(job->reference);
        bool lost = false;
        Status s = store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
            QStringList missing;
            store.reachableBlobs(entry, &missing);
            lost = !missing.isEmpty();
            if (lost)
                return fail(
                    Error::Kind::Io,
                    tr("Parts of %1 were removed from the image store while it was being pulled "
                       "(a prune elsewhere?); pull it again.")
                        .arg(job->reference.familiarString()));
            entries.removeIf([&](const OciIndexEntry &e) {
                return e.descriptor.annotations.value(QLatin1String(ContainerdNameAnnotation))
                           == refName
                       || (!e.refName().isEmpty() && e.refName() == refName);
            });
            entries.append(OciIndexEntry{taggedDescriptor(entry, refName)});
            return {};
        });
        if (lost && job->retries < MaxPullRetries)
            return false;
        if (!s)
            return fail(s.error());
        QStringList all = store.reachableBlobs(entry);
        if (Status sources = store.addBlobSources(all, job->reference.repository()); !sources)
            qCWarning(lcStore) << "could not record where the blobs came from:"
                               << sources.error().message;
        return true;
    };
    QPointer<EmbeddedBackend> self(this);
    inBackground<bool>(std::move(work), [self, job](Result<bool> r) {
        if (!self)
            return;
        if (!r)
            return self->failPull(job, r.error());
        if (!*r) {
            qCInfo(lcStore) << "blobs of" << job->reference.toString()
                            << "were removed by another process while it was pulled; again";
            ++job->retries;
            job->blobs.clear();
            job->missing.clear();
            job->transferred.clear();
            job->totalBytes = 0;
            job->result.layersSkipped = 0;
            job->result.bytesSkipped = 0;
            return self->pullBlobs(job);
        }
        job->lease.reset(); // the tag keeps the blobs now
        job->report(progressLine({},
                                 TransferProgress::State::Done,
                                 job->result.bytesTransferred + job->result.bytesSkipped,
                                 job->totalBytes));
        job->done(job->result);
    });
}

void EmbeddedBackend::failPull(std::shared_ptr<PullJob> job, Error error)
{
    qCInfo(lcStore) << "pull of" << job->reference.toString() << "failed:" << error.message;
    job->lease.reset(); // or discardBlobs would keep what this very pull leased
    if (job->committed.isEmpty())
        return job->done(fail(std::move(error)));
    // What this pull stored and no tag uses goes again: a failed pull leaves the store as it was.
    const OciStore store = m_store;
    const QStringList committed = job->committed;
    inBackground<void>([store, committed]() -> Status { return store.discardBlobs(committed); },
                       [job, error](Status s) {
                           if (!s)
                               qCWarning(lcStore)
                                   << "could not discard blobs:" << s.error().message;
                           job->done(fail(error));
                       });
}

// ---- push

void EmbeddedBackend::push(const ImageReference &reference,
                           PushOptions options,
                           Callback<PushResult> done)
{
    auto job = std::make_shared<PushJob>();
    job->reference = reference;
    job->options = std::move(options);
    job->done = std::move(done);
    job->result.reference = reference;
    const OciStore store = m_store;
    QPointer<EmbeddedBackend> self(this);
    inBackground<bool>(
        [store, job]() -> Result<bool> {
            auto entries = store.readIndex();
            if (!entries)
                return fail(entries.error());
            const QString refName = refNameOf(job->reference);
            auto it = std::find_if(entries->cbegin(), entries->cend(), [&](const OciIndexEntry &e) {
                return e.refName() == refName
                       || e.descriptor.annotations.value(QLatin1String(ContainerdNameAnnotation))
                              == refName;
            });
            if (it == entries->cend())
                return fail(Error::Kind::NotFound,
                            tr("There is no local image %1; tag an image with that name first.")
                                .arg(job->reference.familiarString()));
            const Descriptor root = it->descriptor;
            QList<Descriptor> manifests;
            if (MediaType::isIndex(root.mediaType)) {
                auto body = store.readBlob(root.digest, MaxManifestSize);
                if (!body)
                    return fail(body.error());
                auto index = parseImageIndex(*body, root.mediaType);
                if (!index)
                    return fail(index.error());
                manifests = index->manifests;
                for (const Descriptor &m : std::as_const(manifests)) {
                    auto mb = store.readBlob(m.digest, MaxManifestSize);
                    if (!mb)
                        return fail(mb.error());
                    job->manifests.append({m, *mb});
                }
                job->manifests.append({root, *body});
            } else {
                auto body = store.readBlob(root.digest, MaxManifestSize);
                if (!body)
                    return fail(body.error());
                manifests = {root};
                job->manifests.append({root, *body});
            }
            QSet<QString> seen;
            for (const auto &[d, body] : std::as_const(job->manifests)) {
                if (MediaType::isIndex(d.mediaType))
                    continue;
                auto manifest = parseImageManifest(body, d.mediaType);
                if (!manifest)
                    return fail(manifest.error());
                QList<Descriptor> blobs{manifest->config};
                blobs += manifest->layers;
                for (const Descriptor &b : std::as_const(blobs)) {
                    if (seen.contains(b.digest.toString()) || !b.urls.isEmpty())
                        continue;
                    seen.insert(b.digest.toString());
                    if (!store.hasBlob(b.digest))
                        return fail(Error::Kind::NotFound,
                                    tr("The image store lacks blob %1 of %2; run fsck, then pull "
                                       "the image again.")
                                        .arg(b.digest.toString(), job->reference.familiarString()));
                    job->blobs.append(PushBlob{b, store.blobPath(b.digest)});
                }
            }
            job->sources = store.blobSources();
            return true;
        },
        [self, job](Result<bool> r) {
            if (!self)
                return;
            if (!r)
                return job->done(fail(r.error()));
            self->pushBlobs(job);
        });
}

void EmbeddedBackend::pushBlobs(std::shared_ptr<PushJob> job)
{
    QPointer<EmbeddedBackend> self(this);
    const ImageReference dest = job->reference;
    runBounded(
        int(job->blobs.size()),
        ParallelTransfers,
        [self, job, dest](int i, std::function<void(Status)> stepDone) {
            if (!self || job->options.cancel.isCancelled())
                return stepDone(fail(cancelledError()));
            const PushBlob blob = job->blobs.at(i);
            const QString item = blob.descriptor.digest.toString();
            const qint64 size = blob.descriptor.size;
            // Other repositories of the same registry this blob came from: a mount costs nothing.
            QStringList mountFrom;
            for (const QString &source : job->sources.value(item)) {
                auto repo = ImageReference::parseRepository(source);
                if (repo && repo->domain() == dest.domain() && repo->path() != dest.path())
                    mountFrom << repo->path();
            }
            auto upload = [self, job, dest, blob, item, size, stepDone] {
                BlobUploadOptions options;
                options.chunkSize = size > self->m_chunkedThreshold ? self->m_chunkSize : 0;
                options.cancel = job->options.cancel;
                options.progress = [job, item](qint64 done, qint64 total) {
                    job->report(
                        progressLine(item, TransferProgress::State::Transferring, done, total));
                };
                const QString path = blob.path;
                self->m_client->uploadBlob(
                    dest,
                    blob.descriptor.digest,
                    size,
                    [path]() -> std::unique_ptr<QIODevice> {
                        auto file = std::make_unique<QFile>(path);
                        if (!file->open(QIODevice::ReadOnly))
                            return nullptr;
                        return file;
                    },
                    options,
                    [job, item, size, stepDone](Status s) {
                        if (!s) {
                            job->report(progressLine(
                                item, TransferProgress::State::Failed, 0, size, s.error().message));
                            return stepDone(s);
                        }
                        ++job->result.blobsUploaded;
                        job->result.bytesUploaded += size;
                        job->pushed << item;
                        job->report(progressLine(
                            item, TransferProgress::State::Done, size, size, tr("Pushed")));
                        stepDone({});
                    });
            };
            auto tryMount = std::make_shared<std::function<void(int)>>();
            *tryMount =
                [self, job, dest, blob, item, size, mountFrom, upload, tryMount, stepDone](int n) {
                    if (!self) {
                        const auto keep = std::move(*tryMount);
                        *tryMount = nullptr;
                        return stepDone(fail(cancelledError()));
                    }
                    if (n >= mountFrom.size()) {
                        // Break the cycle without destroying this closure while it runs: `keep`
                        // owns it until the upload has started.
                        const auto keep = std::move(*tryMount);
                        *tryMount = nullptr;
                        return upload();
                    }
                    self->m_client->mountBlob(
                        dest,
                        blob.descriptor.digest,
                        mountFrom.at(n),
                        [job, item, size, n, tryMount, stepDone](Result<bool> mounted) {
                            if (mounted && *mounted) {
                                ++job->result.blobsMounted;
                                job->pushed << item;
                                job->report(progressLine(item,
                                                         TransferProgress::State::Mounted,
                                                         size,
                                                         size,
                                                         tr("Mounted from another repository")));
                                *tryMount = nullptr;
                                return stepDone({});
                            }
                            if (!mounted && mounted.error().isCancelled()) {
                                *tryMount = nullptr;
                                return stepDone(fail(mounted.error()));
                            }
                            // Not mountable from there (gone, or no read access): the next, or
                            // upload.
                            (*tryMount)(n + 1);
                        });
                };
            job->report(progressLine(item, TransferProgress::State::Waiting, 0, size));
            self->m_client->headBlob(
                dest,
                blob.descriptor.digest,
                [job, item, size, tryMount, stepDone](Result<std::optional<qint64>> r) {
                    // Another size (an empty answer from a registry that says yes to every
                    // HEAD) is not this blob: it is uploaded.
                    if (r && r->has_value() && **r == size) {
                        ++job->result.blobsSkipped;
                        job->report(progressLine(item,
                                                 TransferProgress::State::Skipped,
                                                 size,
                                                 size,
                                                 tr("Layer already exists")));
                        *tryMount = nullptr;
                        return stepDone({});
                    }
                    (*tryMount)(0);
                },
                RegistryClient::Scope::Push);
        },
        [self, job](Status s) {
            if (!self)
                return;
            if (!s)
                return job->done(fail(s.error()));
            self->pushManifests(job, 0);
        });
}

void EmbeddedBackend::pushManifests(std::shared_ptr<PushJob> job, int next)
{
    if (job->options.cancel.isCancelled())
        return job->done(fail(cancelledError()));
    if (next >= job->manifests.size()) {
        // The destination now holds these blobs too: later pushes elsewhere on that registry mount.
        const OciStore store = m_store;
        const QStringList pushed = job->pushed;
        const QString repository = job->reference.repository();
        inBackground<void>(
            [store, pushed, repository]() -> Status {
                return store.addBlobSources(pushed, repository);
            },
            [job](Status s) {
                if (!s)
                    qCWarning(lcStore) << "could not record pushed blobs:" << s.error().message;
                job->report(
                    progressLine({}, TransferProgress::State::Done, job->result.bytesUploaded, -1));
                job->done(job->result);
            });
        return;
    }
    const auto &[descriptor, body] = job->manifests.at(next);
    const bool last = next == job->manifests.size() - 1;
    // Platform manifests go up by digest, the tagged one (image or index) under the tag, last.
    const ImageReference target
        = last ? job->reference : job->reference.withDigest(descriptor.digest);
    const QString mediaType = detectManifestMediaType(body, descriptor.mediaType);
    QPointer<EmbeddedBackend> self(this);
    const Digest expected = descriptor.digest;
    m_client->putManifest(
        target, mediaType, body, [self, job, next, last, expected](Result<Digest> r) {
            if (!self)
                return;
            if (!r)
                return job->done(fail(r.error()));
            if (*r != expected)
                return job->done(fail(
                    Error::Kind::DigestMismatch,
                    tr("The registry stored %1 as %2 instead of %3.")
                        .arg(job->reference.familiarString(), r->toString(), expected.toString())));
            if (last)
                job->result.digest = *r;
            self->pushManifests(job, next + 1);
        });
}

} // namespace Berth
