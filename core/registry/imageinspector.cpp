#include "imageinspector.h"

#include "common/boundedparallel.h"
#include "oci/mediatypes.h"

namespace Berth {

namespace {

constexpr int ParallelFetches = 6;

Error cancelled(const ImageReference &reference)
{
    return Error::make(Error::Kind::Cancelled,
                       tr("Reading %1 was cancelled.").arg(reference.familiarString()));
}

// A platform manifest already fetched, and its config, into image.
void describeImage(RegistryClient &client,
                   const ImageReference &repository,
                   std::shared_ptr<InspectedImage> image,
                   const ManifestResponse &m,
                   std::function<void(Status)> done)
{
    if (!MediaType::isImageManifest(m.mediaType))
        return done(
            fail(Error::Kind::Unsupported,
                 tr("%1 is not an image manifest (%2).").arg(m.digest.toString(), m.mediaType)));
    auto manifest = parseImageManifest(m.body, m.mediaType);
    if (!manifest)
        return done(fail(manifest.error()));
    image->manifest = *manifest;
    image->manifestMediaType = m.mediaType;
    image->configDigest = manifest->config.digest;
    client.fetchBlob(
        repository, manifest->config.digest, MaxConfigSize, [image, done](Result<QByteArray> blob) {
            if (!blob)
                return done(fail(blob.error()));
            auto config = parseImageConfig(*blob);
            if (!config)
                return done(fail(config.error()));
            image->config = *config;
            if (image->platform.os.isEmpty())
                image->platform = config->platform;
            done({});
        });
}

// Fetches a platform manifest an index names, then describes it.
void fillImage(RegistryClient &client,
               const ImageReference &repository,
               std::shared_ptr<InspectedImage> image,
               const CancelToken &cancel,
               std::function<void(Status)> done)
{
    if (cancel.isCancelled())
        return done(fail(cancelled(repository)));
    client.fetchManifest(repository.withDigest(image->manifestDigest),
                         [&client, repository, image, cancel, done](Result<ManifestResponse> m) {
                             if (!m)
                                 return done(fail(m.error()));
                             if (cancel.isCancelled())
                                 return done(fail(cancelled(repository)));
                             describeImage(client, repository, image, *m, done);
                         });
}

// The images of an index to describe: every platform's, or the one asked for.
Result<QList<std::shared_ptr<InspectedImage>>> imagesOfIndex(const ManifestResponse &top,
                                                             const ImageReference &reference,
                                                             const InspectOptions &options,
                                                             InspectResult &result)
{
    auto index = parseImageIndex(top.body, top.mediaType);
    if (!index)
        return fail(index.error());
    result.index = index->manifests;
    QList<std::shared_ptr<InspectedImage>> images;
    if (options.allPlatforms) {
        for (const Descriptor &d : index->manifests) {
            if (!d.platform || d.platform->isUnknown() || !MediaType::isImageManifest(d.mediaType))
                continue;
            auto image = std::make_shared<InspectedImage>();
            image->platform = *d.platform;
            image->manifestDigest = d.digest;
            images.append(image);
        }
        return images;
    }
    const Platform wanted = options.platform.value_or(Platform::host());
    const auto chosen = index->select(wanted);
    if (!chosen) {
        QStringList offered;
        for (const Platform &p : index->platforms())
            offered.append(p.toString());
        return fail(Error::Kind::NotFound,
                    tr("%1 has no image for %2; it offers %3.")
                        .arg(reference.familiarString(),
                             wanted.toString(),
                             offered.join(QStringLiteral(", "))));
    }
    auto image = std::make_shared<InspectedImage>();
    image->platform = chosen->platform.value_or(Platform());
    image->manifestDigest = chosen->digest;
    images.append(image);
    return images;
}

void fillImages(RegistryClient &client,
                const ImageReference &reference,
                QList<std::shared_ptr<InspectedImage>> images,
                const CancelToken &cancel,
                std::shared_ptr<InspectResult> result,
                std::function<void(Result<InspectResult>)> done)
{
    runBounded(
        int(images.size()),
        ParallelFetches,
        [&client, reference, images, cancel](int i, std::function<void(Status)> next) {
            fillImage(client, reference, images.at(i), cancel, std::move(next));
        },
        [result, images, done, cancel, reference](Status s) {
            if (!s)
                return done(fail(s.error()));
            if (cancel.isCancelled())
                return done(fail(cancelled(reference)));
            for (const auto &image : images)
                result->images.append(*image);
            done(*result);
        });
}

} // namespace

void inspectImage(RegistryClient &client,
                  const ImageReference &reference,
                  const InspectOptions &options,
                  std::function<void(Result<InspectResult>)> done)
{
    if (options.cancel.isCancelled())
        return done(fail(cancelled(reference)));
    client.fetchManifest(
        reference, [&client, reference, options, done](Result<ManifestResponse> top) {
            if (!top)
                return done(fail(top.error()));
            if (options.cancel.isCancelled())
                return done(fail(cancelled(reference)));
            auto result = std::make_shared<InspectResult>();
            result->reference = reference;
            result->digest = top->digest;
            result->mediaType = top->mediaType;

            if (MediaType::isIndex(top->mediaType)) {
                auto images = imagesOfIndex(*top, reference, options, *result);
                if (!images)
                    return done(fail(images.error()));
                return fillImages(client, reference, *images, options.cancel, result, done);
            }
            // The manifest is already here: only its config is left to fetch.
            auto image = std::make_shared<InspectedImage>();
            image->manifestDigest = top->digest;
            describeImage(client, reference, image, *top, [=](Status s) {
                if (!s)
                    return done(fail(s.error()));
                if (options.cancel.isCancelled())
                    return done(fail(cancelled(reference)));
                result->images.append(*image);
                done(*result);
            });
        });
}

} // namespace Berth
