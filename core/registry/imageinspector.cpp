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

// Fetches a platform manifest and its config into image.
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
                             if (!MediaType::isImageManifest(m->mediaType))
                                 return done(fail(Error::Kind::Unsupported,
                                                  tr("%1 is not an image manifest (%2).")
                                                      .arg(m->digest.toString(), m->mediaType)));
                             auto manifest = parseImageManifest(m->body, m->mediaType);
                             if (!manifest)
                                 return done(fail(manifest.error()));
                             image->manifest = *manifest;
                             image->manifestMediaType = m->mediaType;
                             image->configDigest = manifest->config.digest;
                             client.fetchBlob(repository,
                                              manifest->config.digest,
                                              MaxConfigSize,
                                              [image, done](Result<QByteArray> blob) {
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

            QList<std::shared_ptr<InspectedImage>> images;
            if (MediaType::isIndex(top->mediaType)) {
                auto index = parseImageIndex(top->body, top->mediaType);
                if (!index)
                    return done(fail(index.error()));
                result->index = index->manifests;
                if (options.allPlatforms) {
                    for (const Descriptor &d : index->manifests) {
                        if (!d.platform || d.platform->isUnknown()
                            || !MediaType::isImageManifest(d.mediaType))
                            continue;
                        auto image = std::make_shared<InspectedImage>();
                        image->platform = *d.platform;
                        image->manifestDigest = d.digest;
                        images.append(image);
                    }
                } else {
                    const Platform wanted = options.platform.value_or(Platform::host());
                    const auto chosen = index->select(wanted);
                    if (!chosen) {
                        QStringList offered;
                        for (const Platform &p : index->platforms())
                            offered.append(p.toString());
                        return done(fail(Error::Kind::NotFound,
                                         tr("%1 has no image for %2; it offers %3.")
                                             .arg(reference.familiarString(),
                                                  wanted.toString(),
                                                  offered.join(QStringLiteral(", ")))));
                    }
                    auto image = std::make_shared<InspectedImage>();
                    image->platform = chosen->platform.value_or(Platform());
                    image->manifestDigest = chosen->digest;
                    images.append(image);
                }
            } else {
                auto image = std::make_shared<InspectedImage>();
                image->manifestDigest = top->digest;
                images.append(image);
            }

            runBounded(
                int(images.size()),
                ParallelFetches,
                [&client, reference, images, cancel = options.cancel](
                    int i, std::function<void(Status)> next) {
                    fillImage(client, reference, images.at(i), cancel, std::move(next));
                },
                [result, images, done, cancel = options.cancel, reference](Status s) {
                    if (!s)
                        return done(fail(s.error()));
                    if (cancel.isCancelled())
                        return done(fail(cancelled(reference)));
                    for (const auto &image : images)
                        result->images.append(*image);
                    done(*result);
                });
        });
}

} // namespace Berth
