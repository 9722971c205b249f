#include "registrytags.h"

#include "common/boundedparallel.h"
#include "oci/mediatypes.h"

#include <QHash>

namespace Berth {

namespace {

constexpr int ParallelRequests = 8;

bool isPerTagProblem(const Error &e)
{
    return e.kind == Error::Kind::NotFound || e.kind == Error::Kind::Unsupported
           || e.kind == Error::Kind::Protocol || e.kind == Error::Kind::DigestMismatch;
}

struct DigestDetails
{
    Digest digest;
    QString mediaType;
    qint64 size = 0;
    QList<PlatformImage> images;
};

// Platforms and size of one image manifest: its config gives the platform.
void describeManifest(RegistryClient &client,
                      const ImageReference &repository,
                      const QByteArray &body,
                      const QString &mediaType,
                      const Digest &digest,
                      std::function<void(Result<PlatformImage>)> done)
{
    auto manifest = parseImageManifest(body, mediaType);
    if (!manifest)
        return done(fail(manifest.error()));
    PlatformImage image;
    image.digest = digest;
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

void describeDigest(RegistryClient &client,
                    const ImageReference &repository,
                    std::shared_ptr<DigestDetails> details,
                    std::function<void(Status)> done)
{
    client.fetchManifest(
        repository.withDigest(details->digest),
        [&client, repository, details, done](Result<ManifestResponse> m) {
            if (!m)
                return done(fail(m.error()));
            details->mediaType = m->mediaType;
            if (!MediaType::isIndex(m->mediaType)) {
                return describeManifest(client,
                                        repository,
                                        m->body,
                                        m->mediaType,
                                        m->digest,
                                        [details, done](Result<PlatformImage> image) {
                                            if (!image)
                                                return done(fail(image.error()));
                                            details->images = {*image};
                                            details->size = image->size;
                                            done({});
                                        });
            }
            auto index = parseImageIndex(m->body, m->mediaType);
            if (!index)
                return done(fail(index.error()));
            QList<Descriptor> entries;
            for (const Descriptor &d : index->manifests) {
                if (d.platform && !d.platform->isUnknown()
                    && MediaType::isImageManifest(d.mediaType))
                    entries.append(d);
            }
            auto images = std::make_shared<QList<PlatformImage>>(entries.size());
            runBounded(
                int(entries.size()),
                4,
                [&client, repository, entries, images](int i, std::function<void(Status)> next) {
                    const Descriptor d = entries.at(i);
                    client.fetchManifest(
                        repository.withDigest(d.digest),
                        [&client, repository, d, images, i, next](Result<ManifestResponse> pm) {
                            if (!pm)
                                return next(fail(pm.error()));
                            describeManifest(client,
                                             repository,
                                             pm->body,
                                             pm->mediaType,
                                             d.digest,
                                             [d, images, i, next](Result<PlatformImage> image) {
                                                 if (!image)
                                                     return next(fail(image.error()));
                                                 (*images)[i] = *image;
                                                 (*images)[i].platform
                                                     = *d.platform; // the index is authoritative
                                                 next({});
                                             });
                        });
                },
                [details, images, done](Status s) {
                    if (!s)
                        return done(s);
                    details->images = *images;
                    for (const PlatformImage &image : *images)
                        details->size = std::max(details->size, image.size);
                    done({});
                });
        });
}

// One manifest (and config) fetch per distinct digest, not per tag.
void describeTags(RegistryClient &client,
                  const ImageReference &repository,
                  std::shared_ptr<QList<TagInfo>> tags,
                  std::function<void(Result<QList<TagInfo>>)> done)
{
    QHash<QString, std::shared_ptr<DigestDetails>> byDigest;
    QList<std::shared_ptr<DigestDetails>> distinct;
    for (const TagInfo &t : std::as_const(*tags)) {
        if (!t.digest.isValid() || byDigest.contains(t.digest.toString()))
            continue;
        auto d = std::make_shared<DigestDetails>();
        d->digest = t.digest;
        byDigest.insert(t.digest.toString(), d);
        distinct.append(d);
    }
    runBounded(
        int(distinct.size()),
        ParallelRequests,
        [&client, repository, distinct](int i, std::function<void(Status)> next) {
            describeDigest(client, repository, distinct.at(i), [next](Status s) {
                next(!s && isPerTagProblem(s.error()) ? Status() : s);
            });
        },
        [tags, byDigest, done](Status s) {
            if (!s)
                return done(fail(s.error()));
            for (TagInfo &t : *tags) {
                const auto d = byDigest.value(t.digest.toString());
                if (!d)
                    continue;
                t.mediaType = d->mediaType;
                t.size = d->size;
                t.images = d->images;
                for (const PlatformImage &image : d->images)
                    t.lastUpdated = std::max(t.lastUpdated, image.lastPushed);
            }
            done(*tags);
        });
}

} // namespace

void listRegistryTags(RegistryClient &client,
                      const ImageReference &repository,
                      std::function<void(Result<QList<TagInfo>>)> done,
                      std::function<void(int, int)> progress,
                      std::function<void(int)> invalidNames)
{
    client.listTags(repository, [=, &client](Result<QStringList> names) {
        if (!names)
            return done(fail(names.error()));
        const QStringList list = ImageReference::keepValidTags(*names);
        if (invalidNames && list.size() < names->size())
            invalidNames(int(names->size() - list.size()));
        auto tags = std::make_shared<QList<TagInfo>>(list.size());
        auto finished = std::make_shared<int>(0);
        // Past the cap, tags are listed by name only, together as "digest unknown".
        const int total = int(std::min<qsizetype>(list.size(), MaxDigestLookups));
        for (qsizetype i = total; i < list.size(); ++i) {
            (*tags)[i].name = list.at(i);
            (*tags)[i].digestNotLookedUp = true;
        }
        runBounded(
            total,
            ParallelRequests,
            [&client, repository, list, tags, finished, total, progress](
                int i, std::function<void(Status)> next) {
                client.headManifest(
                    repository.withTag(list.at(i)),
                    [tags, i, list, finished, total, progress, next](Result<ManifestResponse> m) {
                        (*tags)[i].name = list.at(i);
                        // One odd tag (schema 1, an artifact, deleted meanwhile) must not hide
                        // the others: it is listed without a digest. Access and network
                        // failures still stop the listing.
                        if (!m && !isPerTagProblem(m.error()))
                            return next(fail(m.error()));
                        if (m) {
                            (*tags)[i].digest = m->digest;
                            (*tags)[i].mediaType = m->mediaType;
                        }
                        if (progress)
                            progress(++*finished, total);
                        next({});
                    });
            },
            [&client, repository, tags, done](Status s) {
                if (!s)
                    return done(fail(s.error()));
                describeTags(client, repository, tags, done);
            });
    });
}

} // namespace Berth
