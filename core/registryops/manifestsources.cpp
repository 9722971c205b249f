// resolveManifestListSources(): what each source of `manifest create` is, platform included.

#include "manifestlist.h"

#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <deque>

namespace Berth {

namespace {

// More platform images than any real multi-platform image lists (the largest official ones
// have about a dozen): a registry that serves ever more nested indexes is cut off here.
constexpr int MaxEntries = 256;

// One pass over the sources, one manifest at a time: an index puts its images at the front of
// the queue, so that entries keep the order the user gave.
class SourceResolution : public std::enable_shared_from_this<SourceResolution>
{
public:
    using Done = std::function<void(Result<QList<ManifestListEntry>>)>;

    SourceResolution(RegistryClient &client, CancelToken cancel, Done done)
        : m_client(client)
        , m_cancel(std::move(cancel))
        , m_done(std::move(done))
    {}

    void start(const QList<ImageReference> &sources)
    {
        for (const ImageReference &source : sources)
            m_queue.push_back({source, source});
        next();
    }

private:
    // A manifest to read, and the source the user named that led to it.
    struct Pending
    {
        ImageReference reference;
        ImageReference givenAs;
    };

    void next();
    void readManifest(const Pending &pending, const ManifestResponse &response);
    void expandIndex(const Pending &pending, const ManifestResponse &response);
    void readPlatform(ManifestListEntry entry, const ImageManifest &manifest);
    void finish(Result<QList<ManifestListEntry>> result)
    {
        Done done = std::move(m_done);
        done(std::move(result));
    }

    RegistryClient &m_client;
    CancelToken m_cancel;
    Done m_done;
    std::deque<Pending> m_queue;
    QList<ManifestListEntry> m_entries;
};

void SourceResolution::next()
{
    if (m_cancel.isCancelled())
        return finish(fail(Error::Kind::Cancelled, Berth::tr("Reading the images was cancelled.")));
    if (m_queue.empty())
        return finish(m_entries);
    if (m_entries.size() >= MaxEntries)
        return finish(fail(
            Error::Kind::Protocol,
            Berth::tr("The sources list more than %1 images: Berth stops there.").arg(MaxEntries)));
    const Pending pending = m_queue.front();
    m_queue.pop_front();
    m_client.fetchManifest(pending.reference,
                           [self = shared_from_this(), pending](Result<ManifestResponse> r) {
                               if (!r)
                                   return self->finish(fail(r.error()));
                               self->readManifest(pending, *r);
                           });
}

void SourceResolution::readManifest(const Pending &pending, const ManifestResponse &response)
{
    const ImageReference &reference = pending.reference;
    if (MediaType::isIndex(response.mediaType))
        return expandIndex(pending, response);
    if (!MediaType::isImageManifest(response.mediaType))
        return finish(
            fail(Error::Kind::Unsupported,
                 Berth::tr("%1 is neither an image manifest nor an index (%2): it cannot be "
                           "part of a multi-platform image.")
                     .arg(reference.toString(), response.mediaType)));
    auto manifest = parseImageManifest(response.body, response.mediaType);
    if (!manifest)
        return finish(fail(manifest.error()));
    ManifestListEntry entry;
    entry.source = reference.withTag(QString()).withDigest(response.digest);
    entry.givenAs = pending.givenAs;
    entry.descriptor.mediaType = response.mediaType;
    entry.descriptor.digest = response.digest;
    entry.descriptor.size = response.size;
    readPlatform(std::move(entry), *manifest);
}

void SourceResolution::expandIndex(const Pending &pending, const ManifestResponse &response)
{
    const ImageReference &reference = pending.reference;
    auto index = parseImageIndex(response.body, response.mediaType);
    if (!index)
        return finish(fail(index.error()));
    std::deque<Pending> images;
    for (const Descriptor &d : index->manifests) {
        // Attestations (unknown/unknown) describe images; they are not images of a platform.
        const bool attestation = d.platform && d.platform->isUnknown();
        if (!attestation && MediaType::isImageManifest(d.mediaType))
            images.push_back({reference.withTag(QString()).withDigest(d.digest), pending.givenAs});
    }
    if (images.empty())
        return finish(
            fail(Error::Kind::Unsupported,
                 Berth::tr("The index %1 lists no platform image.").arg(reference.toString())));
    m_queue.insert(m_queue.begin(), images.begin(), images.end());
    next();
}

void SourceResolution::readPlatform(ManifestListEntry entry, const ImageManifest &manifest)
{
    const ImageReference image = entry.source;
    m_client.fetchBlob(
        image,
        manifest.config.digest,
        MaxConfigSize,
        [self = shared_from_this(), entry](Result<QByteArray> blob) mutable {
            if (!blob)
                return self->finish(fail(blob.error()));
            auto config = parseImageConfig(*blob);
            if (!config)
                return self->finish(fail(config.error()));
            if (config->platform.os.isEmpty() || config->platform.architecture.isEmpty())
                return self->finish(
                    fail(Error::Kind::Unsupported,
                         Berth::tr("The configuration of %1 names no operating system "
                                   "and architecture.")
                             .arg(entry.source.toString())));
            entry.descriptor.platform = config->platform;
            self->m_entries.append(std::move(entry));
            self->next();
        });
}

} // namespace

void resolveManifestListSources(RegistryClient &client,
                                const QList<ImageReference> &sources,
                                CancelToken cancel,
                                std::function<void(Result<QList<ManifestListEntry>>)> done)
{
    auto resolution
        = std::make_shared<SourceResolution>(client, std::move(cancel), std::move(done));
    resolution->start(sources);
}

} // namespace Berth
