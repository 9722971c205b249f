#include "archive/imageload.h"

#include "archive/imageloader.h"
#include "archive/tarreader.h"
#include "common/logging.h"
#include "oci/mediatypes.h"

#include <QStorageInfo>

#include <limits>
#include <mutex>
#include <sys/resource.h>

using namespace Qt::StringLiterals;

namespace Berth {

namespace ArchiveLoad {

namespace {

// Every temp file stays open until the load commits, one per blob: raise the soft limit of open
// files to the hard one, as the Go runtime does for docker, podman and skopeo.
void raiseOpenFileLimit()
{
    static std::once_flag once;
    std::call_once(once, [] {
        rlimit limit{};
        if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
            return;
        limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? rlim_t(1 << 20) : limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
            qCInfo(lcArchive) << "could not raise the open-file limit";
    });
}

// The name index.json of an archive gives an image, without manifest.json: containerd's full name,
// else a ref.name that is a full reference. A bare ref.name ("latest", skopeo's
// `oci-archive:x.tar:latest`) names no repository: the image is loaded untagged.
std::optional<ImageReference> nameFromAnnotations(const Descriptor &d)
{
    QString name = d.annotations.value(QLatin1String(ContainerdNameAnnotation));
    if (name.isEmpty()) {
        const QString refName = d.annotations.value(QLatin1String(RefNameAnnotation));
        if (refName.contains(u'/') || refName.contains(u':'))
            name = refName;
    }
    if (name.isEmpty())
        return std::nullopt;
    auto ref = ImageReference::parse(name);
    if (!ref || ref->tag().isEmpty()) {
        qCInfo(lcArchive) << "loading untagged: index.json names an image" << name;
        return std::nullopt;
    }
    return ref->withTag(ref->tag());
}

// Of the platforms an index entry of the archive resolved to, the host's when it is there.
const OciCandidate &chosenCandidate(const QList<OciCandidate> &candidates)
{
    const OciCandidate *chosen = &candidates.first();
    if (candidates.size() > 1) {
        ImageIndex present;
        for (const OciCandidate &c : candidates)
            present.manifests << c.entry;
        if (auto host = present.select(Platform::host())) {
            for (const OciCandidate &c : candidates) {
                if (c.entry.digest == host->digest)
                    chosen = &c;
            }
        }
    }
    return *chosen;
}

// Inside the index update: every blob of the images is still in the store.
Status checkStillStored(const OciStore &store, const QList<PlannedImage> &images)
{
    for (const PlannedImage &image : images) {
        QStringList missing;
        store.reachableBlobs(image.entry, &missing);
        if (!missing.isEmpty())
            return fail(Error::Kind::Io,
                        Berth::tr("Parts of the archive's images were removed from the image store "
                                  "while it was loading (a prune elsewhere?); load it again."));
    }
    return {};
}

// Each tag moves to its image, as with docker.
void addTagged(QList<OciIndexEntry> &entries, const QList<PlannedImage> &images)
{
    for (const PlannedImage &image : images) {
        for (const ImageReference &tag : image.tags) {
            const QString refName = OciStore::refNameFor(tag);
            entries.removeIf([&](const OciIndexEntry &e) {
                return e.refName() == refName
                       || e.descriptor.annotations.value(QLatin1String(ContainerdNameAnnotation))
                              == refName;
            });
            Descriptor d = image.entry;
            d.annotations.insert(QLatin1String(ContainerdNameAnnotation), refName);
            d.annotations.insert(QLatin1String(RefNameAnnotation), refName);
            entries.append(OciIndexEntry{d});
        }
    }
}

// An untagged image gets an entry of its own unless the store already lists it.
void addUntagged(QList<OciIndexEntry> &entries, const QList<PlannedImage> &images)
{
    for (const PlannedImage &image : images) {
        if (!image.tags.isEmpty())
            continue;
        const bool listed
            = std::any_of(entries.cbegin(), entries.cend(), [&](const OciIndexEntry &e) {
                  return e.descriptor.digest == image.entry.digest;
              });
        if (!listed)
            entries.append(OciIndexEntry{image.entry});
    }
}

void reportLoaded(const QList<PlannedImage> &images, LoadResult &result)
{
    for (const PlannedImage &image : images) {
        for (const ImageReference &tag : image.tags) {
            const QString shown = tag.familiarString();
            if (!result.loadedTags.contains(shown))
                result.loadedTags << shown;
        }
        if (image.tags.isEmpty() && !result.untagged.contains(image.imageId))
            result.untagged << image.imageId;
    }
}

} // namespace

ImageLoader::ImageLoader(const OciStore &store, TarReader &reader, const LoadOptions &options)
    : m_store(store)
    , m_reader(reader)
    , m_options(options)
{}

ImageLoader::~ImageLoader()
{
    m_writeStage.discard();
    m_syncStage.discard();
    m_hashStage.discard();
}

Status ImageLoader::checkCancelled() const
{
    if (m_options.cancel.isCancelled())
        return fail(Error::Kind::Cancelled, tr("Cancelled."));
    return {};
}

void ImageLoader::reportProgress(const QString &item, bool always)
{
    if (!m_options.progress)
        return;
    // At most one report per MiB read (and one per entry): a GUI redraws for each.
    const qint64 position = m_reader.sourcePosition();
    if (!always && position - m_reported < WriteBlock)
        return;
    m_reported = position;
    m_options.progress(ArchiveProgress{item, position, -1});
}

// The images to load: index.json's first, their manifests kept as they are so that digests
// survive a round trip; then manifest.json's, each matched to one of them or written by Berth.
Result<QList<PlannedImage>> ImageLoader::plan(LoadResult &result)
{
    const QString archive = m_reader.displayName();
    const ArchiveFile *manifestFile
        = m_files.contains(u"manifest.json"_s) ? &m_files[u"manifest.json"_s] : nullptr;
    const ArchiveFile *indexFile
        = m_files.contains(u"index.json"_s) ? &m_files[u"index.json"_s] : nullptr;
    if (!manifestFile && !indexFile)
        return fail(notAnImageArchive(archive).error());
    result.format = manifestFile
                        ? (indexFile ? u"docker-archive"_s : u"docker-archive (legacy layout)"_s)
                        : u"oci-archive"_s;

    OciImages oci;
    if (indexFile) {
        auto resolved = resolveIndex(*indexFile, archive);
        if (!resolved)
            return fail(resolved.error());
        oci = std::move(*resolved);
    }
    QList<PlannedImage> images;
    if (manifestFile) {
        auto entries = parseDockerManifest(manifestFile->json, archive);
        if (!entries)
            return fail(entries.error());
        for (const DockerManifestEntry &e : std::as_const(*entries)) {
            if (Status s = checkCancelled(); !s)
                return fail(s.error());
            auto image = planDockerImage(e, oci);
            if (!image)
                return fail(image.error());
            images << *image;
        }
    }
    for (qsizetype i = 0; i < oci.candidates.size(); ++i) {
        if (oci.used.at(i))
            continue;
        const OciCandidate &chosen = chosenCandidate(oci.candidates.at(i));
        PlannedImage image{chosen.entry, chosen.imageId, {}, chosen.blobs};
        if (auto name = nameFromAnnotations(oci.entries.at(i)))
            image.tags << *name;
        images << image;
    }
    return images;
}

// Why an archive with neither manifest.json nor index.json is not loaded.
Status ImageLoader::notAnImageArchive(const QString &archive)
{
    if (m_entries == 0)
        return fail(Error::Kind::InvalidArgument,
                    tr("'%1' is empty: there is no image to load.").arg(archive));
    if (m_layout.finish() == ArchiveLayout::Filesystem)
        return fail(filesystemArchiveError(archive));
    return fail(Error::Kind::InvalidArgument,
                tr("'%1' is not an image archive: it has neither manifest.json nor "
                   "index.json.")
                    .arg(archive));
}

// An element of manifest.json: its tags on the index.json image with its configuration, else on
// a manifest Berth writes for it.
Result<PlannedImage> ImageLoader::planDockerImage(const DockerManifestEntry &e, OciImages &oci)
{
    QList<ImageReference> tags;
    for (const QString &t : std::as_const(e.repoTags)) {
        auto tag = parseRepoTag(t);
        if (!tag)
            return fail(tag.error());
        tags << *tag;
    }
    auto configFile = lookup(e.config, u"manifest.json"_s);
    if (!configFile)
        return fail(configFile.error());
    const Digest configDigest = (*configFile)->digest;
    std::optional<PlannedImage> matched;
    for (qsizetype i = 0; i < oci.candidates.size() && !matched; ++i) {
        for (const OciCandidate &c : std::as_const(oci.candidates.at(i))) {
            if (!c.configs.contains(configDigest))
                continue;
            for (const QString &layer : std::as_const(e.layers)) {
                if (auto f = lookup(layer, u"manifest.json"_s); !f)
                    return fail(f.error());
            }
            oci.used[i] = true;
            matched = PlannedImage{c.entry, configDigest, {}, c.blobs};
            break;
        }
    }
    if (!matched) {
        auto synthesised = synthesise(e);
        if (!synthesised)
            return fail(synthesised.error());
        matched = std::move(*synthesised);
    }
    matched->tags = tags;
    return std::move(*matched);
}

// All or nothing: the blobs first, then the tags in one index update; a failure removes the
// blobs this load committed.
Status ImageLoader::commit(const QList<PlannedImage> &images, LoadResult &result) const
{
    QStringList committed;
    const auto undo = [&](const Error &error) -> Status {
        if (Status s = m_store.discardBlobs(committed); !s)
            qCWarning(lcArchive) << "could not discard blobs:" << s.error().message;
        return fail(error);
    };
    if (Status s = commitBlobs(images, result, committed); !s)
        return undo(s.error());
    if (Status s = indexImages(images); !s)
        return undo(s.error());
    reportLoaded(images, result);
    return {};
}

Status ImageLoader::commitBlobs(const QList<PlannedImage> &images,
                                LoadResult &result,
                                QStringList &committed) const
{
    BlobMap blobs;
    for (const PlannedImage &image : images)
        mergeBlobs(blobs, image.blobs);
    for (const auto &[digestText, source] : blobs) {
        const Digest digest = *Digest::parse(digestText);
        if (m_store.hasBlob(digest)) {
            ++result.blobsSkipped;
            continue;
        }
        if (source.temp) {
            if (Status s = m_store.commitBlob(*source.temp, digest, source.size); !s)
                return s;
        } else if (!source.bytes.isNull()) {
            auto written = m_store.writeBlob(source.bytes);
            if (!written)
                return fail(written.error());
        } else {
            return fail(Error::Kind::Io,
                        tr("Blob %1 was removed from the image store while the archive was "
                           "loading; load it again.")
                            .arg(digestText));
        }
        committed << digestText;
        ++result.blobsWritten;
    }
    return {};
}

Status ImageLoader::indexImages(const QList<PlannedImage> &images) const
{
    return m_store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
        if (Status s = checkStillStored(m_store, images); !s)
            return s;
        addTagged(entries, images);
        addUntagged(entries, images);
        return {};
    });
}

Result<LoadResult> ImageLoader::run()
{
    raiseOpenFileLimit();
    if (Status s = m_store.init(); !s)
        return fail(s.error());
    const QStorageInfo storage(m_store.path());
    m_spaceLeft = storage.isValid() && storage.bytesAvailable() >= 0
                      ? storage.bytesAvailable()
                      : std::numeric_limits<qint64>::max();
    if (Status s = readArchive(); !s)
        return fail(s.error());
    // Every temp file is written and synced before plan() may read one back and commit renames
    // them; a write that failed (a full disk) fails the load here at the latest.
    if (Status s = m_writeStage.drain(); !s)
        return fail(s.error());
    if (Status s = m_syncStage.drain(); !s)
        return fail(s.error());
    LoadResult result;
    result.bytesRead = m_reader.sourcePosition();
    auto images = plan(result);
    if (!images)
        return fail(images.error());
    if (Status s = checkCancelled(); !s)
        return fail(s.error());
    if (Status s = commit(*images, result); !s)
        return fail(s.error());
    reportProgress({}, true);
    qCInfo(lcArchive) << "loaded" << m_reader.displayName() << "as" << result.format << ":"
                      << result.blobsWritten << "blobs written," << result.blobsSkipped
                      << "already stored";
    return result;
}

} // namespace ArchiveLoad

Result<LoadResult>
loadImageArchive(const OciStore &store, TarReader &reader, const LoadOptions &options)
{
    ArchiveLoad::ImageLoader loader(store, reader, options);
    return loader.run();
}

} // namespace Berth
