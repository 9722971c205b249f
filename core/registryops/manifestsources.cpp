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
        m_queue.assign(sources.begin(), sources.end());
        next();
    }

private:
    void next();
    void readManifest(const ImageReference &reference, const ManifestResponse &response);
    void expandIndex(const ImageReference &reference, const ManifestResponse &response);
    void readPlatform(const ImageReference &image, const ImageManifest &manifest, Descriptor d);
    void finish(Result<QList<ManifestListEntry>> result)
    {
        Done done = std::move(m_done);
        done(std::move(result));
    }

    RegistryClient &m_client;
    CancelToken m_cancel;
    Done m_done;
    std::deque<ImageReference> m_queue;
    QList<ManifestListEntry> m_entries;
};

void SourceResolution::next()
{
    if (m_cancel.isCancelled())
        return finish(fail(Error::Kind::Cancelled, tr("Reading the images was cancelled.")));
    if (m_queue.empty())
        return finish(m_entries);
    if (m_entries.size() >= MaxEntries)
        return finish(
            fail(Error::Kind::Protocol,
                 tr("The sources list more than %1 images: Berth stops there.").arg(MaxEntries)));
    const ImageReference reference = m_queue.front();
    m_queue.pop_front();
    m_client.fetchManifest(reference,
                           [self = shared_from_this(), reference](Result<ManifestResponse> r) {
                               if (!r)
                                   return self->finish(fail(r.error()));
                               self->readManifest(reference, *r);
                           });
}

void SourceResolution::readManifest(const ImageReference &reference,
                                    const ManifestResponse &response)
{
    if (MediaType::isIndex(response.mediaType))
        return expandIndex(reference, response);
    if (!MediaType::isImageManifest(response.mediaType))
        return finish(fail(Error::Kind::Unsupported,
                           tr("%1 is neither an image manifest nor an index (%2): it cannot be "
                              "part of a multi-platform image.")
                               .arg(reference.toString(), response.mediaType)));
    auto manifest = parseImageManifest(response.body, response.mediaType);
    if (!manifest)
        return finish(fail(manifest.error()));
    Descriptor descriptor;
    descriptor.mediaType = response.mediaType;
    descriptor.digest = response.digest;
    descriptor.size = response.size;
    readPlatform(reference.withTag(QString()).withDigest(response.digest), *manifest, descriptor);
}

void SourceResolution::expandIndex(const ImageReference &reference,
                                   const ManifestResponse &response)
{
    auto index = parseImageIndex(response.body, response.mediaType);
    if (!index)
        return finish(fail(index.error()));
    std::deque<ImageReference> images;
    for (const Descriptor &d : index->manifests) {
        // Attestations (unknown/unknown) describe images; they are not images of a platform.
        const bool attestation = d.platform && d.platform->isUnknown();
        if (!attestation && MediaType::isImageManifest(d.mediaType))
            images.push_back(reference.withTag(QString()).withDigest(d.digest));
    }
    if (images.empty())
        return finish(fail(Error::Kind::Unsupported,
                           tr("The index %1 lists no platform image.").arg(reference.toString())));
    m_queue.insert(m_queue.begin(), images.begin(), images.end());
    next();
}

void SourceResolution::readPlatform(const ImageReference &image,
                                    const ImageManifest &manifest,
                                    Descriptor descriptor)
{
    m_client.fetchBlob(
        image,
        manifest.config.digest,
        MaxConfigSize,
        [self = shared_from_this(), image, descriptor](Result<QByteArray> blob) mutable {
            if (!blob)
                return self->finish(fail(blob.error()));
            auto config = parseImageConfig(*blob);
            if (!config)
                return self->finish(fail(config.error()));
            if (config->platform.os.isEmpty() || config->platform.architecture.isEmpty())
                return self->finish(fail(Error::Kind::Unsupported,
                                         tr("The configuration of %1 names no operating system "
                                            "and architecture.")
                                             .arg(image.toString())));
            descriptor.platform = config->platform;
            self->m_entries.append({image, descriptor});
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
