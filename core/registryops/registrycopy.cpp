// copyImage as named steps: the source's manifest (and, for an index, the platform manifests the
// copy takes), each blob (there already, mounted on the same registry, or streamed across), then
// the manifests, byte for byte, the one the destination names last. The state of one copy is a
// CopyJob handed from step to step; it lives as long as a callback holds it.

#include "registrycopy.h"

#include "blobstream.h"

#include "common/boundedparallel.h"
#include "common/logging.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <QHash>
#include <QPointer>
#include <QSet>

namespace Berth {

namespace {

// Blobs in flight at once: each holds two transfer threads (its download and its upload, joined by
// a pipe, so neither may share the connection pool's thread) and at most one pipe buffer. Well
// under half the transport's 32 threads, so that no upload waits for a thread its download needs.
constexpr int ParallelBlobs = 4;

using State = TransferProgress::State;

Error cancelled()
{
    return Error::make(Error::Kind::Cancelled, Berth::tr("Cancelled."));
}

class CopyJob final : public std::enable_shared_from_this<CopyJob>
{
public:
    CopyJob(RegistryClient &client,
            const ImageReference &source,
            const ImageReference &destination,
            CopyOptions options,
            std::function<void(Result<CopyResult>)> done)
        : m_client(&client)
        , m_source(source)
        , m_destination(destination)
        , m_options(std::move(options))
        , m_done(std::move(done))
    {
        m_result.destination = destination;
    }

    void start();

private:
    void sourceFetched(Result<ManifestResponse> top);
    Status planIndex(const ManifestResponse &top);
    void fetchPlatforms(QList<Descriptor> platforms);
    Status planBlobs();
    Status checkDestinationDigest() const;
    void copyBlobs();
    void copyBlob(const Descriptor &blob, StepDone finished);
    void mountOrStream(const Descriptor &blob, StepDone finished);
    void stream(const Descriptor &blob, StepDone finished);
    void putManifests(int next);
    void finish(Status status);

    void report(const QString &item, State state, qint64 current, qint64 total, QString message);
    void reportTotal();
    bool sameRegistry() const
    {
        return m_source.domain() == m_destination.domain()
               && m_source.path() != m_destination.path();
    }
    // Where the last manifest goes: the destination's tag, else its digest.
    ImageReference target() const
    {
        return m_destination.tag().isEmpty() ? m_destination
                                             : m_destination.withTag(m_destination.tag());
    }

    QPointer<RegistryClient> m_client;
    ImageReference m_source;
    ImageReference m_destination;
    CopyOptions m_options;
    std::function<void(Result<CopyResult>)> m_done;
    CopyResult m_result;
    QList<ManifestResponse> m_manifests; // in the order they go up, the root last
    QList<Descriptor> m_blobs;           // configs and layers, each digest once
    QHash<QString, qint64> m_moved;      // per blob, for the total line
    qint64 m_totalBytes = 0;
};

void CopyJob::start()
{
    if (!m_destination.hasDigest() && m_destination.tag().isEmpty())
        return finish(fail(Error::Kind::InvalidArgument,
                           Berth::tr("The destination %1 names neither a tag nor a digest.")
                               .arg(m_destination.toString())));
    m_client->fetchManifest(m_source, [self = shared_from_this()](Result<ManifestResponse> top) {
        self->sourceFetched(std::move(top));
    });
}

void CopyJob::sourceFetched(Result<ManifestResponse> top)
{
    if (!top)
        return finish(fail(top.error()));
    if (m_options.cancel.isCancelled())
        return finish(fail(cancelled()));
    m_result.digest = top->digest;
    m_result.mediaType = top->mediaType;
    if (MediaType::isImageManifest(top->mediaType)) {
        m_manifests = {*top};
        if (Status s = checkDestinationDigest(); !s)
            return finish(s);
        if (Status s = planBlobs(); !s)
            return finish(s);
        return copyBlobs();
    }
    if (!MediaType::isIndex(top->mediaType))
        return finish(fail(Error::Kind::Unsupported,
                           Berth::tr("%1 is a %2, which Berth cannot copy.")
                               .arg(m_source.familiarString(), top->mediaType)));
    if (Status s = planIndex(*top); !s)
        return finish(s);
}

// Every platform and the index itself, or the one platform asked for.
Status CopyJob::planIndex(const ManifestResponse &top)
{
    auto index = parseImageIndex(top.body, top.mediaType);
    if (!index)
        return fail(index.error());
    if (m_options.allPlatforms) {
        m_manifests = {top}; // the index goes last; the platforms are put before it
        fetchPlatforms(index->manifests);
        return {};
    }
    const Platform wanted = m_options.platform.value_or(Platform::host());
    const auto selected = index->select(wanted);
    if (!selected) {
        QStringList available;
        for (const Platform &p : index->platforms())
            available << p.toString();
        return fail(Error::Kind::NotFound,
                    Berth::tr("%1 has no image for %2 (it has %3).")
                        .arg(m_source.familiarString(), wanted.toString(), available.join(u", ")));
    }
    m_result.digest = selected->digest;
    m_result.mediaType = selected->mediaType;
    fetchPlatforms({*selected});
    return {};
}

// The platform manifests, one after another (a handful, small), put before whatever is already
// planned.
void CopyJob::fetchPlatforms(QList<Descriptor> platforms)
{
    if (platforms.isEmpty()) {
        if (Status s = checkDestinationDigest(); !s)
            return finish(s);
        if (Status s = planBlobs(); !s)
            return finish(s);
        return copyBlobs();
    }
    if (m_options.cancel.isCancelled())
        return finish(fail(cancelled()));
    const Descriptor next = platforms.takeFirst();
    m_client->fetchManifest(
        m_source.withDigest(next.digest),
        [self = shared_from_this(), platforms, next](Result<ManifestResponse> m) {
            if (!m)
                return self->finish(fail(m.error()));
            if (!MediaType::isImageManifest(m->mediaType))
                return self->finish(
                    fail(Error::Kind::Unsupported,
                         Berth::tr("The manifest %1 in %2 is a %3, which Berth cannot copy.")
                             .arg(next.digest.toString(),
                                  self->m_source.familiarString(),
                                  m->mediaType)));
            const qsizetype root
                = self->m_manifests.size() - (self->m_options.allPlatforms ? 1 : 0);
            self->m_manifests.insert(root, *m);
            self->fetchPlatforms(platforms);
        });
}

// A destination named by digest must receive exactly that manifest.
Status CopyJob::checkDestinationDigest() const
{
    if (!m_destination.hasDigest() || m_destination.digest() == m_result.digest)
        return {};
    return fail(Error::Kind::InvalidArgument,
                Berth::tr("The destination %1 names the digest %2, but the copy of %3 is %4.")
                    .arg(m_destination.toString(),
                         m_destination.digest().toString(),
                         m_source.familiarString(),
                         m_result.digest.toString()));
}

// The configs and layers of the image manifests, each once; foreign layers stay behind, as a
// push leaves them.
Status CopyJob::planBlobs()
{
    QSet<QString> seen;
    for (const ManifestResponse &m : std::as_const(m_manifests)) {
        if (!MediaType::isImageManifest(m.mediaType))
            continue;
        auto manifest = parseImageManifest(m.body, m.mediaType);
        if (!manifest)
            return fail(manifest.error());
        QList<Descriptor> blobs{manifest->config};
        blobs += manifest->layers;
        for (const Descriptor &b : std::as_const(blobs)) {
            if (seen.contains(b.digest.toString()) || !b.urls.isEmpty())
                continue;
            seen.insert(b.digest.toString());
            m_blobs.append(b);
            m_totalBytes += b.size;
        }
    }
    return {};
}

void CopyJob::copyBlobs()
{
    for (const Descriptor &b : std::as_const(m_blobs))
        report(b.digest.toString(), State::Waiting, 0, b.size, {});
    reportTotal();
    auto self = shared_from_this();
    forEachBounded<Descriptor>(
        m_blobs,
        ParallelBlobs,
        [self](const Descriptor &blob, StepDone finished) {
            if (self->m_options.cancel.isCancelled() || !self->m_client)
                return finished(fail(cancelled()));
            self->copyBlob(blob, std::move(finished));
        },
        [self](Status s) {
            if (!s)
                return self->finish(s);
            self->putManifests(0);
        });
}

// One blob: skipped when the destination has it (asked with the push scope, so that one token
// serves the whole copy), else mounted or streamed.
void CopyJob::copyBlob(const Descriptor &blob, StepDone finished)
{
    m_client->headBlob(
        m_destination,
        blob.digest,
        [self = shared_from_this(), blob, finished](Result<std::optional<qint64>> held) {
            // Another size (a registry that says yes to every HEAD) is not this blob.
            if (held && held->has_value() && **held == blob.size) {
                ++self->m_result.blobsSkipped;
                self->m_moved.insert(blob.digest.toString(), blob.size);
                self->report(blob.digest.toString(),
                             State::Skipped,
                             blob.size,
                             blob.size,
                             Berth::tr("Layer already exists"));
                return finished({});
            }
            if (!held && held.error().isCancelled())
                return finished(fail(held.error()));
            self->mountOrStream(blob, finished);
        },
        RegistryClient::Scope::Push);
}

void CopyJob::mountOrStream(const Descriptor &blob, StepDone finished)
{
    if (m_options.cancel.isCancelled())
        return finished(fail(cancelled()));
    if (!sameRegistry())
        return stream(blob, std::move(finished));
    m_client->mountBlob(m_destination,
                        blob.digest,
                        m_source.path(),
                        [self = shared_from_this(), blob, finished](Result<bool> mounted) {
                            if (mounted && *mounted) {
                                ++self->m_result.blobsMounted;
                                self->m_moved.insert(blob.digest.toString(), blob.size);
                                self->report(blob.digest.toString(),
                                             State::Mounted,
                                             blob.size,
                                             blob.size,
                                             Berth::tr("Mounted from another repository"));
                                return finished({});
                            }
                            if (!mounted && mounted.error().isCancelled())
                                return finished(fail(mounted.error()));
                            // Not mountable (no read access there, or a registry without mounts):
                            // stream it.
                            self->stream(blob, finished);
                        });
}

void CopyJob::stream(const Descriptor &blob, StepDone finished)
{
    const QString item = blob.digest.toString();
    BlobStreamOptions options;
    options.cancel = m_options.cancel;
    std::weak_ptr<CopyJob> weak = weak_from_this();
    options.progress = [weak, item](qint64 done, qint64 total) {
        if (auto self = weak.lock()) {
            self->m_moved.insert(item, done);
            self->report(item, State::Transferring, done, total, {});
        }
    };
    report(item, State::Transferring, 0, blob.size, {});
    streamBlob(*m_client,
               m_source,
               m_destination,
               blob,
               std::move(options),
               [self = shared_from_this(), blob, item, finished](Status s) {
                   if (!s) {
                       self->report(item, State::Failed, 0, blob.size, s.error().message);
                       return finished(s);
                   }
                   ++self->m_result.blobsCopied;
                   self->m_result.bytesCopied += blob.size;
                   self->m_moved.insert(item, blob.size);
                   self->report(item, State::Done, blob.size, blob.size, Berth::tr("Copied"));
                   finished({});
               });
}

// Platform manifests by digest, then the last one under the destination's tag (or digest): a
// copy cancelled or failed before this point leaves no tag behind.
void CopyJob::putManifests(int next)
{
    if (m_options.cancel.isCancelled() || !m_client)
        return finish(fail(cancelled()));
    if (next >= m_manifests.size())
        return finish({});
    const ManifestResponse &m = m_manifests.at(next);
    const bool last = next == m_manifests.size() - 1;
    const ImageReference where = last ? target() : m_destination.withDigest(m.digest);
    m_client->putManifest(
        where,
        m.mediaType,
        m.body,
        [self = shared_from_this(), next, expected = m.digest, where](Result<Digest> stored) {
            if (!stored)
                return self->finish(fail(stored.error()));
            if (*stored != expected)
                return self->finish(
                    fail(Error::Kind::DigestMismatch,
                         Berth::tr("%1 stored the manifest as %2 instead of %3.")
                             .arg(where.domain(), stored->toString(), expected.toString())));
            ++self->m_result.manifests;
            self->putManifests(next + 1);
        });
}

void CopyJob::finish(Status status)
{
    if (!m_done)
        return;
    auto done = std::move(m_done);
    m_done = {};
    if (!status) {
        qCInfo(lcRegistry) << "copy of" << m_source.toString() << "to" << m_destination.toString()
                           << "failed:" << status.error().message;
        return done(fail(status.error()));
    }
    report({}, State::Done, m_totalBytes, m_totalBytes, {});
    done(m_result);
}

void CopyJob::report(
    const QString &item, State state, qint64 current, qint64 total, QString message)
{
    if (!m_options.progress)
        return;
    m_options.progress(TransferProgress{item, state, current, total, std::move(message)});
    if (!item.isEmpty() && state != State::Waiting)
        reportTotal();
}

void CopyJob::reportTotal()
{
    qint64 sum = 0;
    for (qint64 v : std::as_const(m_moved))
        sum += v;
    if (m_options.progress)
        m_options.progress(TransferProgress{{}, State::Transferring, sum, m_totalBytes, {}});
}

} // namespace

void copyImage(RegistryClient &client,
               const ImageReference &source,
               const ImageReference &destination,
               CopyOptions options,
               std::function<void(Result<CopyResult>)> done)
{
    std::make_shared<CopyJob>(client, source, destination, std::move(options), std::move(done))
        ->start();
}

} // namespace Berth
