#include "registrytagdigests.h"

#include "common/boundedparallel.h"
#include "oci/mediatypes.h"

namespace Berth {

namespace {

// Platform manifests of one index fetched at once: a handful per index, and the listing
// describes several digests at a time already.
constexpr int ParallelPlatforms = 4;

// Platform and size of one image manifest: its config gives the platform.
void describeImageManifest(RegistryClient &client,
                           const ImageReference &repository,
                           const ManifestResponse &response,
                           std::function<void(Result<PlatformImage>)> done)
{
    auto manifest = parseImageManifest(response.body, response.mediaType);
    if (!manifest)
        return done(fail(manifest.error()));
    PlatformImage image;
    image.digest = response.digest;
    image.size = manifest->layersSize();
    client.fetchBlob(repository,
                     manifest->config.digest,
                     MaxConfigSize,
                     [image, done](Result<QByteArray> blob) mutable {
                         if (!blob)
                             return done(fail(blob.error()));
                         if (auto config = parseImageConfig(*blob)) {
                             image.platform = config->platform;
                             image.lastPushed = config->created;
                         }
                         done(image);
                     });
}

// One platform of an index: its manifest, then its config.
void describePlatform(RegistryClient &client,
                      const ImageReference &repository,
                      const Descriptor &entry,
                      std::function<void(Result<PlatformImage>)> done)
{
    client.fetchManifest(
        repository.withDigest(entry.digest),
        [&client, repository, entry, done](Result<ManifestResponse> m) {
            if (!m)
                return done(fail(m.error()));
            describeImageManifest(
                client, repository, *m, [entry, done](Result<PlatformImage> image) {
                    if (image)
                        image->platform = *entry.platform; // the index is authoritative
                    done(std::move(image));
                });
        });
}

// Runnable platforms of an index; attestations (unknown/unknown) and nested indexes left out.
QList<Descriptor> platformEntries(const ImageIndex &index)
{
    QList<Descriptor> entries;
    for (const Descriptor &d : index.manifests) {
        if (d.platform && !d.platform->isUnknown() && MediaType::isImageManifest(d.mediaType))
            entries.append(d);
    }
    return entries;
}

void describeIndex(RegistryClient &client,
                   const ImageReference &repository,
                   const ManifestResponse &response,
                   std::function<void(Result<DigestDetails>)> done)
{
    auto index = parseImageIndex(response.body, response.mediaType);
    if (!index)
        return done(fail(index.error()));
    const QList<Descriptor> entries = platformEntries(*index);
    auto details = std::make_shared<DigestDetails>();
    details->mediaType = response.mediaType;
    details->images.resize(entries.size());
    runBounded(
        int(entries.size()),
        ParallelPlatforms,
        [&client, repository, entries, details](int i, StepDone next) {
            describePlatform(client, repository, entries.at(i), [details, i, next](auto image) {
                if (!image)
                    return next(fail(image.error()));
                details->images[i] = *image;
                details->size = std::max(details->size, image->size);
                next({});
            });
        },
        [details, done](Status s) {
            if (!s)
                return done(fail(s.error()));
            done(*details);
        });
}

} // namespace

bool isPerTagProblem(const Error &e)
{
    return e.kind == Error::Kind::NotFound || e.kind == Error::Kind::Unsupported
           || e.kind == Error::Kind::Protocol || e.kind == Error::Kind::DigestMismatch;
}

void describeDigest(RegistryClient &client,
                    const ImageReference &repository,
                    const Digest &digest,
                    std::function<void(Result<DigestDetails>)> done)
{
    client.fetchManifest(
        repository.withDigest(digest), [&client, repository, done](Result<ManifestResponse> m) {
            if (!m)
                return done(fail(m.error()));
            if (MediaType::isIndex(m->mediaType))
                return describeIndex(client, repository, *m, done);
            const QString mediaType = m->mediaType;
            describeImageManifest(client, repository, *m, [mediaType, done](auto image) {
                if (!image)
                    return done(fail(image.error()));
                DigestDetails details;
                details.mediaType = mediaType;
                details.size = image->size;
                details.images = {*image};
                done(details);
            });
        });
}

void applyDigestDetails(TagInfo &tag, const DigestDetails &details)
{
    tag.mediaType = details.mediaType;
    tag.size = details.size;
    tag.images = details.images;
    for (const PlatformImage &image : details.images)
        tag.lastUpdated = std::max(tag.lastUpdated, image.lastPushed);
}

} // namespace Berth
