// EmbeddedBackend::push as named steps: what the tag reaches (read off-thread), each blob (there
// already, mounted from another repository, or uploaded), then the manifests, the tagged one
// last. The state of one push is a PushJob (store/embeddedjobs.h) handed from step to step.

#include "embeddedbackend.h"
#include "embeddedjobs.h"

#include "common/guarded.h"
#include "common/logging.h"
#include "oci/mediatypes.h"

#include <QFile>
#include <QIODevice>
#include <QSet>

#include <algorithm>

namespace Berth {

using Embedded::cancelledError;
using Embedded::progressLine;

namespace {

// The index entry the reference names.
Result<Descriptor> findRoot(const QList<OciIndexEntry> &entries, const ImageReference &reference)
{
    const QString refName = Embedded::refNameOf(reference);
    auto it = std::find_if(entries.cbegin(), entries.cend(), [&](const OciIndexEntry &e) {
        return e.refName() == refName
               || e.descriptor.annotations.value(QLatin1String(ContainerdNameAnnotation))
                      == refName;
    });
    if (it == entries.cend())
        return fail(Error::Kind::NotFound,
                    tr("There is no local image %1; tag an image with that name first.")
                        .arg(reference.familiarString()));
    return it->descriptor;
}

// The manifests under root in the order they go up: an index's platforms first, root last.
Status readManifests(const OciStore &store, const Descriptor &root, EmbeddedBackend::PushJob &job)
{
    auto body = store.readBlob(root.digest, MaxManifestSize);
    if (!body)
        return fail(body.error());
    if (MediaType::isIndex(root.mediaType)) {
        auto index = parseImageIndex(*body, root.mediaType);
        if (!index)
            return fail(index.error());
        for (const Descriptor &m : std::as_const(index->manifests)) {
            auto mb = store.readBlob(m.digest, MaxManifestSize);
            if (!mb)
                return fail(mb.error());
            job.manifests.append({m, *mb});
        }
    }
    job.manifests.append({root, *body});
    return {};
}

// The configs and layers of the image manifests, each once; foreign layers stay behind.
Status collectBlobs(const OciStore &store, EmbeddedBackend::PushJob &job)
{
    QSet<QString> seen;
    for (const auto &[d, body] : std::as_const(job.manifests)) {
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
                                .arg(b.digest.toString(), job.reference.familiarString()));
            job.blobs.append(PushBlob{b, store.blobPath(b.digest)});
        }
    }
    return {};
}

// On the thread pool: what the push sends, read from the store.
Status planPush(const OciStore &store, EmbeddedBackend::PushJob &job)
{
    auto entries = store.readIndex();
    if (!entries)
        return fail(entries.error());
    auto root = findRoot(*entries, job.reference);
    if (!root)
        return fail(root.error());
    if (Status s = readManifests(store, *root, job); !s)
        return s;
    if (Status s = collectBlobs(store, job); !s)
        return s;
    job.sources = store.blobSources();
    return {};
}

} // namespace

void EmbeddedBackend::push(const ImageReference &reference,
                           PushOptions options,
                           Callback<PushResult> done)
{
    auto job = std::make_shared<PushJob>();
    job->reference = reference;
    job->options = std::move(options);
    job->done = std::move(done);
    job->result.reference = reference;
    runInBackground(
        this,
        [store = m_store, job] { return planPush(store, *job); },
        [this, job](Status s) {
            if (!s)
                return job->done(fail(s.error()));
            pushBlobs(job);
        });
}

void EmbeddedBackend::pushBlobs(std::shared_ptr<PushJob> job)
{
    forEachTransfer<PushBlob>(
        job->blobs,
        [](const PushBlob &blob) { return blob.descriptor.size; },
        guarded(this,
                [this, job](const PushBlob &blob, StepDone stepDone) {
                    if (job->options.cancel.isCancelled())
                        return stepDone(fail(cancelledError()));
                    pushBlob(job, blob, std::move(stepDone));
                }),
        guarded(this, [this, job](Status s) {
            if (!s)
                return job->done(fail(s.error()));
            pushManifests(job, 0);
        }));
}

// One blob: skipped when the destination has it, else mounted or uploaded.
void EmbeddedBackend::pushBlob(std::shared_ptr<PushJob> job,
                               const PushBlob &blob,
                               StepDone stepDone)
{
    auto one = std::make_shared<BlobPush>();
    one->blob = blob;
    one->item = blob.descriptor.digest.toString();
    one->size = blob.descriptor.size;
    one->done = std::move(stepDone);
    // Other repositories of the same registry this blob came from: a mount costs nothing.
    const ImageReference &dest = job->reference;
    for (const QString &source : job->sources.value(one->item)) {
        auto repo = ImageReference::parseRepository(source);
        if (repo && repo->domain() == dest.domain() && repo->path() != dest.path())
            one->mountFrom << repo->path();
    }
    job->report(progressLine(one->item, TransferProgress::State::Waiting, 0, one->size));
    // Nowhere to mount from: the existence check and the upload session go out together.
    if (one->mountFrom.isEmpty())
        return uploadBlob(job, one, UploadWhen::Missing);
    m_client->headBlob(dest,
                       blob.descriptor.digest,
                       guarded(this,
                               [this, job, one](Result<std::optional<qint64>> r) {
                                   // Another size (an empty answer from a registry that says yes to
                                   // every HEAD) is not this blob: it is uploaded.
                                   if (r && r->has_value() && **r == one->size)
                                       return blobSkipped(job, one);
                                   mountOrUpload(job, one, 0);
                               }),
                       RegistryClient::Scope::Push);
}

void EmbeddedBackend::blobSkipped(std::shared_ptr<PushJob> job, std::shared_ptr<BlobPush> one)
{
    ++job->result.blobsSkipped;
    job->report(progressLine(one->item,
                             TransferProgress::State::Skipped,
                             one->size,
                             one->size,
                             tr("Layer already exists")));
    one->done({});
}

// Tries the mount sources in turn; the upload when none has the blob for us.
void EmbeddedBackend::mountOrUpload(std::shared_ptr<PushJob> job,
                                    std::shared_ptr<BlobPush> one,
                                    int next)
{
    if (next >= one->mountFrom.size())
        return uploadBlob(job, one, UploadWhen::Always);
    m_client->mountBlob(job->reference,
                        one->blob.descriptor.digest,
                        one->mountFrom.at(next),
                        guarded(this, [this, job, one, next](Result<bool> mounted) {
                            if (mounted && *mounted) {
                                ++job->result.blobsMounted;
                                job->pushed << one->item;
                                job->report(progressLine(one->item,
                                                         TransferProgress::State::Mounted,
                                                         one->size,
                                                         one->size,
                                                         tr("Mounted from another repository")));
                                return one->done({});
                            }
                            if (!mounted && mounted.error().isCancelled())
                                return one->done(fail(mounted.error()));
                            // Not mountable from there (gone, or no read access): the next, or
                            // upload.
                            mountOrUpload(job, one, next + 1);
                        }));
}

void EmbeddedBackend::uploadBlob(std::shared_ptr<PushJob> job,
                                 std::shared_ptr<BlobPush> one,
                                 UploadWhen when)
{
    BlobUploadOptions options;
    options.chunkSize = one->size > m_chunkedThreshold ? m_chunkSize : 0;
    options.mayShareThread = true; // read from the store's file
    options.cancel = job->options.cancel;
    options.progress = [job, item = one->item](qint64 done, qint64 total) {
        job->report(progressLine(item, TransferProgress::State::Transferring, done, total));
    };
    auto open = [path = one->blob.path]() -> std::unique_ptr<QIODevice> {
        auto file = std::make_unique<QFile>(path);
        if (!file->open(QIODevice::ReadOnly))
            return nullptr;
        return file;
    };
    auto uploaded = guarded(this, [this, job, one](Result<bool> r) {
        if (!r) {
            job->report(progressLine(
                one->item, TransferProgress::State::Failed, 0, one->size, r.error().message));
            return one->done(fail(r.error()));
        }
        if (!*r)
            return blobSkipped(job, one);
        ++job->result.blobsUploaded;
        job->result.bytesUploaded += one->size;
        job->pushed << one->item;
        job->report(progressLine(
            one->item, TransferProgress::State::Done, one->size, one->size, tr("Pushed")));
        one->done({});
    });
    const Digest &digest = one->blob.descriptor.digest;
    if (when == UploadWhen::Missing)
        return m_client->uploadBlobIfMissing(
            job->reference, digest, one->size, open, options, uploaded);
    m_client->uploadBlob(
        job->reference, digest, one->size, open, options, [uploaded](Status s) mutable {
            uploaded(s ? Result<bool>(true) : Result<bool>(fail(s.error())));
        });
}

void EmbeddedBackend::pushManifests(std::shared_ptr<PushJob> job, int next)
{
    if (job->options.cancel.isCancelled())
        return job->done(fail(cancelledError()));
    if (next >= job->manifests.size())
        return finishPush(job);
    const auto &[descriptor, body] = job->manifests.at(next);
    const bool last = next == job->manifests.size() - 1;
    // Platform manifests go up by digest, the tagged one (image or index) under the tag, last.
    const ImageReference target
        = last ? job->reference : job->reference.withDigest(descriptor.digest);
    const QString mediaType = detectManifestMediaType(body, descriptor.mediaType);
    const Digest expected = descriptor.digest;
    m_client->putManifest(
        target, mediaType, body, guarded(this, [this, job, next, last, expected](Result<Digest> r) {
            if (!r)
                return job->done(fail(r.error()));
            if (*r != expected)
                return job->done(fail(
                    Error::Kind::DigestMismatch,
                    tr("The registry stored %1 as %2 instead of %3.")
                        .arg(job->reference.familiarString(), r->toString(), expected.toString())));
            if (last)
                job->result.digest = *r;
            pushManifests(job, next + 1);
        }));
}

// The destination now holds these blobs too: later pushes elsewhere on that registry mount.
void EmbeddedBackend::finishPush(std::shared_ptr<PushJob> job)
{
    runInBackground(
        this,
        [store = m_store, pushed = job->pushed, repository = job->reference.repository()]()
            -> Status { return store.addBlobSources(pushed, repository); },
        [job](Status s) {
            if (!s)
                qCWarning(lcStore) << "could not record pushed blobs:" << s.error().message;
            job->report(
                progressLine({}, TransferProgress::State::Done, job->result.bytesUploaded, -1));
            job->done(job->result);
        });
}

} // namespace Berth
