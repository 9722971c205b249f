// The OCI side of a load: the archive's files found by name once read, and the images its
// index.json names, each resolved down to its blobs and verified.

#include "archive/entrypath.h"
#include "archive/imageloader.h"
#include "common/jsonlimits.h"
#include "oci/mediatypes.h"

using namespace Qt::StringLiterals;

namespace Berth {

namespace ArchiveLoad {

namespace {

// Layer media types whose digest is the diff_id.
bool isUncompressedLayer(QStringView mediaType)
{
    return mediaType == QLatin1String(MediaType::OciLayer)
           || mediaType == u"application/vnd.docker.image.rootfs.diff.tar"
           || mediaType == u"application/vnd.oci.image.layer.nondistributable.v1.tar";
}

bool isLayer(QStringView mediaType)
{
    return mediaType.contains(u".tar") || mediaType.contains(u"rootfs.diff");
}

bool isImageConfig(QStringView mediaType)
{
    return mediaType == QLatin1String(MediaType::OciConfig)
           || mediaType == QLatin1String(MediaType::DockerConfig);
}

} // namespace

QString blobName(const Digest &digest)
{
    return u"blobs/" + digest.algorithm() + u'/' + digest.encoded();
}

void mergeBlobs(BlobMap &into, const BlobMap &from)
{
    for (const auto &[digest, source] : from)
        into.try_emplace(digest, source);
}

Result<const ArchiveFile *> ImageLoader::find(const QString &path) const
{
    QString current = path;
    for (int hop = 0; hop <= MaxLinkHops; ++hop) {
        if (auto it = m_files.constFind(current); it != m_files.cend())
            return &it.value();
        auto link = m_links.constFind(current);
        if (link == m_links.cend())
            return nullptr;
        current = link.value();
    }
    return fail(Error::Kind::InvalidArgument,
                tr("Archive entry '%1' is a link that leads through more than %2 links.")
                    .arg(path)
                    .arg(MaxLinkHops));
}

Result<const ArchiveFile *> ImageLoader::lookup(const QString &name, const QString &namedBy) const
{
    auto path = normaliseEntryPath(name);
    if (!path || path->isEmpty())
        return fail(
            Error::Kind::InvalidArgument,
            tr("%1 names '%2', which is not a file inside the archive.").arg(namedBy, name));
    auto file = find(*path);
    if (!file)
        return fail(file.error());
    if (!*file)
        return fail(Error::Kind::InvalidArgument,
                    tr("%1 names '%2', which is not in the archive.").arg(namedBy, name));
    return *file;
}

Result<QByteArray> ImageLoader::jsonOf(const ArchiveFile &file, qint64 maxSize) const
{
    if (file.size > maxSize)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' has %2 bytes: too large for a manifest or an image "
                       "configuration.")
                        .arg(file.path)
                        .arg(file.size));
    if (file.hasJson)
        return file.json;
    if (file.jsonDropped)
        return fail(Error::Kind::InvalidArgument,
                    tr("The archive holds more than %1 MiB of manifests and configurations.")
                        .arg(MaxJsonTotal >> 20));
    if (!file.temp && !file.metadata && m_store.hasBlob(file.digest))
        return m_store.readBlob(file.digest, maxSize);
    return fail(Error::Kind::InvalidArgument,
                tr("Archive entry '%1' is not a JSON document.").arg(file.path));
}

BlobSource ImageLoader::sourceOf(const ArchiveFile &file) const
{
    BlobSource source;
    source.temp = file.temp;
    source.size = file.size;
    if (!file.temp && file.metadata)
        source.bytes = file.json;
    return source;
}

Result<BlobSource> ImageLoader::blobSource(const Descriptor &d, const QString &namedBy) const
{
    if (d.digest.algorithm() != u"sha256")
        return fail(Error::Kind::Unsupported,
                    tr("%1 names the blob %2: Berth stores SHA-256 blobs only.")
                        .arg(namedBy, d.digest.toString()));
    const QString name = blobName(d.digest);
    auto file = find(name);
    if (!file)
        return fail(file.error());
    if (*file) {
        const ArchiveFile &f = **file;
        if (f.digest != d.digest) // a link from one blob name to another blob
            return fail(Error::Kind::DigestMismatch,
                        tr("Archive entry '%1' hashes to %2.").arg(name, f.digest.toString()));
        if (f.size != d.size)
            return fail(Error::Kind::DigestMismatch,
                        tr("Archive entry '%1' has %2 bytes where %3 declares %4.")
                            .arg(name)
                            .arg(f.size)
                            .arg(namedBy)
                            .arg(d.size));
        return sourceOf(f);
    }
    if (m_store.hasBlob(d.digest)) {
        if (m_store.blobSize(d.digest) != d.size)
            return fail(Error::Kind::DigestMismatch,
                        tr("%1 declares %2 bytes for %3, which has %4.")
                            .arg(namedBy)
                            .arg(d.size)
                            .arg(d.digest.toString())
                            .arg(m_store.blobSize(d.digest)));
        return BlobSource{{}, {}, d.size};
    }
    return fail(Error::Kind::InvalidArgument,
                tr("%1 names '%2', which is not in the archive.").arg(namedBy, name));
}

Result<QByteArray>
ImageLoader::blobJson(const Descriptor &d, qint64 maxSize, const QString &namedBy) const
{
    auto source = blobSource(d, namedBy);
    if (!source)
        return fail(source.error());
    auto file = find(blobName(d.digest));
    if (!file)
        return fail(file.error());
    if (*file)
        return jsonOf(**file, maxSize);
    return m_store.readBlob(d.digest, maxSize);
}

Result<OciCandidate> ImageLoader::resolveManifest(const Descriptor &d, const QString &namedBy) const
{
    const QString name = blobName(d.digest);
    auto body = blobJson(d, MaxManifestSize, namedBy);
    if (!body)
        return fail(body.error());
    auto source = blobSource(d, namedBy);
    if (!source)
        return fail(source.error());
    const QString mediaType = detectManifestMediaType(*body, d.mediaType);
    if (!MediaType::isImageManifest(mediaType))
        return fail(Error::Kind::Unsupported,
                    tr("Archive entry '%1' is a %2, not an image manifest.").arg(name, mediaType));
    auto manifest = parseImageManifest(*body, mediaType);
    if (!manifest)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1': %2").arg(name, manifest.error().message));
    OciCandidate candidate;
    candidate.blobs.emplace(d.digest.toString(), *source);
    auto config = blobSource(manifest->config, name);
    if (!config)
        return fail(config.error());
    candidate.blobs.emplace(manifest->config.digest.toString(), *config);
    bool allLayers = true;
    for (const Descriptor &layer : std::as_const(manifest->layers)) {
        auto layerSource = blobSource(layer, name);
        if (!layerSource)
            return fail(layerSource.error());
        candidate.blobs.emplace(layer.digest.toString(), *layerSource);
        allLayers = allLayers && isLayer(layer.mediaType);
        if (isLayer(layer.mediaType)) {
            if (Status s = checkLayerFile(layer, {}); !s)
                return fail(s.error());
        }
    }
    if (isImageConfig(manifest->config.mediaType) && allLayers) {
        if (Status s = checkDiffIds(*manifest, name); !s)
            return fail(s.error());
    } else if (isImageConfig(manifest->config.mediaType)) {
        if (auto parsed = readConfig(manifest->config, name); !parsed)
            return fail(parsed.error());
    }
    candidate.entry.mediaType = mediaType;
    candidate.entry.digest = d.digest;
    candidate.entry.size = d.size;
    candidate.entry.platform = d.platform;
    candidate.imageId = manifest->config.digest;
    candidate.configs << manifest->config.digest;
    return candidate;
}

Result<ImageConfig> ImageLoader::readConfig(const Descriptor &config, const QString &namedBy) const
{
    auto body = blobJson(config, MaxConfigSize, namedBy);
    if (!body)
        return fail(body.error());
    auto parsed = parseImageConfig(*body);
    if (!parsed)
        return fail(
            Error::Kind::InvalidArgument,
            tr("Archive entry '%1': %2").arg(blobName(config.digest), parsed.error().message));
    return parsed;
}

// The layers against the diff_ids of the configuration. An uncompressed layer's digest is its
// diff_id: checked here at no cost. A compressed one was verified against the manifest's digest,
// as a pull does.
Status ImageLoader::checkDiffIds(const ImageManifest &manifest, const QString &name) const
{
    auto parsed = readConfig(manifest.config, name);
    if (!parsed)
        return fail(parsed.error());
    if (parsed->diffIds.size() != manifest.layers.size())
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' lists %2 layers where its configuration %3 "
                       "lists %4.")
                        .arg(name)
                        .arg(manifest.layers.size())
                        .arg(blobName(manifest.config.digest))
                        .arg(parsed->diffIds.size()));
    for (qsizetype i = 0; i < manifest.layers.size(); ++i) {
        const Descriptor &layer = manifest.layers.at(i);
        if (isUncompressedLayer(layer.mediaType)
            && layer.digest.toString() != parsed->diffIds.at(i))
            return fail(
                Error::Kind::DigestMismatch,
                tr("Layer '%1' does not match the image configuration: it is %2 "
                   "where the configuration lists %3.")
                    .arg(blobName(layer.digest), layer.digest.toString(), parsed->diffIds.at(i)));
        if (Status s = checkLayerFile(layer, parsed->diffIds.at(i)); !s)
            return fail(s.error());
    }
    return {};
}

// What the streaming pass found in a layer the archive holds (one the store had already was
// verified when it came in): entries that stay inside, and the diff_id the configuration lists.
Status ImageLoader::checkLayerFile(const Descriptor &layer, const QString &diffId) const
{
    auto file = find(blobName(layer.digest));
    if (!file)
        return fail(file.error());
    if (!*file)
        return {};
    const ArchiveFile &f = **file;
    if (f.layerProblem)
        return fail(*f.layerProblem);
    if (!diffId.isEmpty() && f.diffId.isValid() && f.diffId.toString() != diffId)
        return fail(Error::Kind::DigestMismatch,
                    tr("Layer '%1' does not match the image configuration: its decompressed "
                       "content hashes to %2 where the configuration lists %3.")
                        .arg(f.path, f.diffId.toString(), diffId));
    return {};
}

namespace {

// An index whose every platform the archive holds: one image, its ID the host's image's, as
// docker shows it.
OciCandidate
wholeIndex(const Descriptor &entry, const BlobSource &source, const QList<OciCandidate> &available)
{
    OciCandidate all;
    all.entry = entry;
    all.blobs.emplace(entry.digest.toString(), source);
    ImageIndex present;
    for (const OciCandidate &c : available) {
        mergeBlobs(all.blobs, c.blobs);
        all.configs << c.configs;
        present.manifests << c.entry;
    }
    all.imageId = available.first().imageId;
    if (auto host = present.select(Platform::host())) {
        for (const OciCandidate &c : available) {
            if (c.entry.digest == host->digest)
                all.imageId = c.imageId;
        }
    }
    return all;
}

} // namespace

Result<QList<OciCandidate>>
ImageLoader::resolveEntry(const Descriptor &d, const QString &namedBy, int depth) const
{
    auto body = blobJson(d, MaxManifestSize, namedBy);
    if (!body)
        return fail(body.error());
    const QString mediaType = detectManifestMediaType(*body, d.mediaType);
    if (!MediaType::isIndex(mediaType)) {
        auto manifest = resolveManifest(d, namedBy);
        if (!manifest)
            return fail(manifest.error());
        return QList<OciCandidate>{*manifest};
    }
    const QString name = blobName(d.digest);
    if (depth >= MaxIndexDepth)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' nests image indexes too deeply.").arg(name));
    auto index = parseImageIndex(*body, mediaType);
    if (!index)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1': %2").arg(name, index.error().message));
    auto source = blobSource(d, namedBy);
    if (!source)
        return fail(source.error());
    // docker save of a multi-platform image keeps the index but only the platforms it has:
    // what is whole is loaded, and the index itself only when every platform is there.
    QList<OciCandidate> available;
    std::optional<Error> firstError;
    bool whole = true;
    for (const Descriptor &m : std::as_const(index->manifests)) {
        auto child = resolveEntry(m, name, depth + 1);
        if (!child) {
            whole = false;
            if (!firstError)
                firstError = child.error();
            continue;
        }
        if (child->size() != 1 || child->first().entry.digest != m.digest)
            whole = false;
        for (OciCandidate &c : *child) {
            if (!c.entry.platform)
                c.entry.platform = m.platform;
            available << c;
        }
    }
    if (available.isEmpty()) {
        if (firstError)
            return fail(*firstError);
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' is an image index without images.").arg(name));
    }
    if (!whole)
        return available;
    return QList<OciCandidate>{
        wholeIndex(Descriptor{mediaType, d.digest, d.size, {}, {}, {}}, *source, available)};
}

// index.json of the archive: each of its entries resolved to the images it holds.
Result<OciImages> ImageLoader::resolveIndex(const ArchiveFile &indexFile,
                                            const QString &archive) const
{
    if (nestsDeeperThan(indexFile.json, MaxJsonDepth))
        return fail(Error::Kind::InvalidArgument,
                    tr("index.json in '%1' nests too deeply.").arg(archive));
    auto index = parseImageIndex(indexFile.json, QString::fromLatin1(MediaType::OciIndex));
    if (!index)
        return fail(Error::Kind::InvalidArgument,
                    tr("index.json in '%1' is not valid: %2").arg(archive, index.error().message));
    OciImages images;
    for (const Descriptor &d : std::as_const(index->manifests)) {
        auto resolved = resolveEntry(d, u"index.json"_s);
        if (!resolved)
            return fail(resolved.error());
        images.candidates << *resolved;
        images.entries << d;
    }
    images.used.fill(false, images.candidates.size());
    return images;
}

} // namespace ArchiveLoad

} // namespace Berth
