// The images an archive's catalogue describes: docker's manifest.json (parsed by the load's own
// parser), or the OCI index.json resolved down to each image's manifest and configuration.

#include "archive/imageloader.h"
#include "common/jsonlimits.h"
#include "common/sha256.h"
#include "imagefiles/archivecatalogue.h"
#include "oci/mediatypes.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

constexpr int MaxIndexDepth = 4;

Error notInArchive(const ArchiveCatalogue &catalogue, const QString &namedBy, const QString &name)
{
    return Error::make(Error::Kind::InvalidArgument,
                       Berth::tr("%1 in '%2' names '%3', which is not in the archive.")
                           .arg(namedBy, catalogue.archive, name));
}

Result<QByteArray>
jsonFile(const ArchiveCatalogue &catalogue, const QString &name, const QString &namedBy)
{
    const QString path = catalogue.resolve(name);
    if (path.isEmpty())
        return fail(notInArchive(catalogue, namedBy, name));
    auto it = catalogue.json.constFind(path);
    if (it == catalogue.json.cend())
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("Archive entry '%1' of '%2' is not a JSON document (or is too "
                              "large for one).")
                        .arg(path, catalogue.archive));
    return it.value();
}

bool isCompressed(QByteArrayView head)
{
    return head.startsWith("\x1f\x8b") || head.startsWith("\x28\xb5\x2f\xfd")
           || head.startsWith("\xfd"
                              "7zXZ")
           || head.startsWith("BZh");
}

// The configuration, its layers joined with their diff_ids and history steps.
Result<ContentsImage>
imageFrom(const QByteArray &configBody, const QList<Descriptor> &layers, const QString &configName)
{
    auto config = parseImageConfig(configBody);
    if (!config)
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("Archive entry '%1': %2").arg(configName, config.error().message));
    if (config->diffIds.size() != layers.size())
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("'%1' lists %2 layers where the image's manifest lists %3.")
                        .arg(configName)
                        .arg(config->diffIds.size())
                        .arg(layers.size()));
    ContentsImage image;
    image.configDigest = *Digest::parse(Sha256::digestOf(configBody));
    for (qsizetype i = 0; i < layers.size(); ++i) {
        auto diffId = Digest::parse(config->diffIds.at(i));
        if (!diffId)
            return fail(Error::Kind::InvalidArgument,
                        Berth::tr("'%1' lists an invalid diff_id: %2")
                            .arg(configName, diffId.error().message));
        image.layers << ContentsLayer{layers.at(i), *diffId, {}};
    }
    image.config = std::move(*config);
    attachHistory(image);
    return image;
}

// A docker-archive layer: its digest from a blob name, else (uncompressed, as docker and skopeo
// write them) its diff_id; a compressed one found under another name is known once read.
Descriptor
dockerLayer(const ArchiveCatalogue &catalogue, const QString &path, const QString &diffId)
{
    static const QRegularExpression blob(u"^blobs/sha256/([0-9a-f]{64})$"_s);
    const ArchiveCatalogue::File file = catalogue.files.value(path);
    Descriptor d;
    d.size = file.size;
    const bool compressed = isCompressed(file.head);
    d.mediaType = QLatin1String(compressed ? MediaType::DockerLayerGzip : MediaType::OciLayer);
    if (const auto m = blob.match(path); m.hasMatch())
        d.digest = *Digest::parse(QString(u"sha256:" + m.captured(1)));
    else if (!compressed)
        d.digest = *Digest::parse(diffId);
    return d;
}

Result<ArchiveImage> dockerImage(const ArchiveCatalogue &catalogue,
                                 const ArchiveLoad::DockerManifestEntry &entry)
{
    const QString manifestJson = u"manifest.json"_s;
    auto configBody = jsonFile(catalogue, entry.config, manifestJson);
    if (!configBody)
        return fail(configBody.error());
    auto config = parseImageConfig(*configBody);
    ArchiveImage out;
    QList<Descriptor> layers;
    out.blobDigestsKnown = true;
    for (qsizetype i = 0; i < entry.layers.size(); ++i) {
        const QString path = catalogue.resolve(entry.layers.at(i));
        if (path.isEmpty())
            return fail(notInArchive(catalogue, manifestJson, entry.layers.at(i)));
        const QString diffId
            = config && i < config->diffIds.size() ? config->diffIds.at(i) : QString();
        layers << dockerLayer(catalogue, path, diffId);
        out.blobDigestsKnown = out.blobDigestsKnown && layers.last().digest.isValid();
        out.layerFiles << path;
    }
    auto image = imageFrom(*configBody, layers, entry.config);
    if (!image)
        return fail(image.error());
    out.image = std::move(*image);
    out.names = entry.repoTags;
    return out;
}

Result<QList<ArchiveImage>> dockerImages(const ArchiveCatalogue &catalogue)
{
    auto entries = ArchiveLoad::parseDockerManifest(catalogue.json.value(u"manifest.json"_s),
                                                    catalogue.archive);
    if (!entries)
        return fail(entries.error());
    QList<ArchiveImage> images;
    for (const ArchiveLoad::DockerManifestEntry &entry : std::as_const(*entries)) {
        auto image = dockerImage(catalogue, entry);
        if (!image)
            return fail(image.error());
        images << *image;
    }
    return images;
}

Result<QByteArray>
blobJson(const ArchiveCatalogue &catalogue, const Descriptor &d, const QString &namedBy)
{
    if (d.digest.algorithm() != u"sha256")
        return fail(Error::Kind::Unsupported,
                    Berth::tr("%1 names the blob %2: only SHA-256 blobs can be read.")
                        .arg(namedBy, d.digest.toString()));
    auto body = jsonFile(catalogue, ArchiveLoad::blobName(d.digest), namedBy);
    if (body && Sha256::digestOf(*body) != d.digest.toString())
        return fail(Error::Kind::DigestMismatch,
                    Berth::tr("Archive entry '%1' of '%2' does not hash to its name.")
                        .arg(ArchiveLoad::blobName(d.digest), catalogue.archive));
    return body;
}

Result<ArchiveImage> ociImage(const ArchiveCatalogue &catalogue, const Descriptor &d)
{
    const QString name = ArchiveLoad::blobName(d.digest);
    auto body = blobJson(catalogue, d, u"index.json"_s);
    if (!body)
        return fail(body.error());
    auto manifest = parseImageManifest(*body, detectManifestMediaType(*body, d.mediaType));
    if (!manifest)
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("Archive entry '%1': %2").arg(name, manifest.error().message));
    auto configBody = blobJson(catalogue, manifest->config, name);
    if (!configBody)
        return fail(configBody.error());
    ArchiveImage out;
    out.blobDigestsKnown = true;
    for (const Descriptor &layer : std::as_const(manifest->layers)) {
        const QString path = catalogue.resolve(ArchiveLoad::blobName(layer.digest));
        if (path.isEmpty())
            return fail(notInArchive(catalogue, name, ArchiveLoad::blobName(layer.digest)));
        out.layerFiles << path;
    }
    auto image
        = imageFrom(*configBody, manifest->layers, ArchiveLoad::blobName(manifest->config.digest));
    if (!image)
        return fail(image.error());
    out.image = std::move(*image);
    out.image.manifestDigest = d.digest;
    return out;
}

// An index entry down to one image: the host's platform, else the first the archive holds.
Result<ArchiveImage> resolveOci(const ArchiveCatalogue &catalogue, const Descriptor &d, int depth)
{
    auto body = blobJson(catalogue, d, u"index.json"_s);
    if (!body)
        return fail(body.error());
    const QString mediaType = detectManifestMediaType(*body, d.mediaType);
    if (!MediaType::isIndex(mediaType))
        return ociImage(catalogue, d);
    const QString name = ArchiveLoad::blobName(d.digest);
    auto index = parseImageIndex(*body, mediaType);
    if (!index || depth >= MaxIndexDepth)
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("Archive entry '%1' is not a usable image index.").arg(name));
    QList<Descriptor> order = index->manifests;
    if (auto host = index->select(Platform::host()))
        order.prepend(*host);
    std::optional<Error> first;
    for (const Descriptor &m : std::as_const(order)) {
        if (m.platform && m.platform->isUnknown())
            continue;
        auto image = resolveOci(catalogue, m, depth + 1);
        if (image)
            return image;
        if (!first)
            first = image.error();
    }
    return fail(first ? *first
                      : Error::make(Error::Kind::InvalidArgument,
                                    Berth::tr("Archive entry '%1' is an image index without "
                                              "images.")
                                        .arg(name)));
}

Result<QList<ArchiveImage>> ociImages(const ArchiveCatalogue &catalogue)
{
    const QByteArray body = catalogue.json.value(u"index.json"_s);
    if (nestsDeeperThan(body, 64))
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("index.json in '%1' nests too deeply.").arg(catalogue.archive));
    auto index = parseImageIndex(body, QString::fromLatin1(MediaType::OciIndex));
    if (!index)
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("index.json in '%1' is not valid: %2")
                        .arg(catalogue.archive, index.error().message));
    QList<ArchiveImage> images;
    for (const Descriptor &d : std::as_const(index->manifests)) {
        auto image = resolveOci(catalogue, d, 0);
        if (!image)
            return fail(image.error());
        for (const QString &key :
             {u"io.containerd.image.name"_s, u"org.opencontainers.image.ref.name"_s}) {
            if (const QString n = d.annotations.value(key);
                !n.isEmpty() && !image->names.contains(n))
                image->names << n;
        }
        images << *image;
    }
    return images;
}

QString describeImages(const QList<ArchiveImage> &images)
{
    QStringList lines;
    for (const ArchiveImage &image : images)
        lines << (image.names.isEmpty() ? image.image.configDigest.toString()
                                        : image.names.join(u", ") + u" ("
                                              + image.image.configDigest.shortId() + u')');
    return lines.join(u"; ");
}

bool sameName(const QString &stored, const QString &wanted)
{
    if (stored == wanted)
        return true;
    auto a = ImageReference::parse(stored);
    auto b = ImageReference::parse(wanted);
    return a && b && a->toString() == b->toString();
}

bool matches(const ArchiveImage &image, const QString &wanted)
{
    static const QRegularExpression hex(u"^(?:sha256:)?([0-9a-f]{4,64})$"_s);
    if (const auto m = hex.match(wanted);
        m.hasMatch() && image.image.configDigest.encoded().startsWith(m.captured(1)))
        return true;
    return std::any_of(image.names.cbegin(), image.names.cend(), [&](const QString &name) {
        return sameName(name, wanted);
    });
}

} // namespace

Result<QList<ArchiveImage>> archiveImages(const ArchiveCatalogue &catalogue)
{
    Result<QList<ArchiveImage>> images;
    if (catalogue.json.contains(u"manifest.json"_s))
        images = dockerImages(catalogue);
    else if (catalogue.json.contains(u"index.json"_s))
        images = ociImages(catalogue);
    else
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("'%1' is not an image archive: it has neither manifest.json nor "
                              "index.json.")
                        .arg(catalogue.archive));
    if (images && images->isEmpty())
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("'%1' holds no image.").arg(catalogue.archive));
    return images;
}

Result<ArchiveImage>
pickArchiveImage(const QList<ArchiveImage> &images, const QString &wanted, const QString &archive)
{
    if (wanted.isEmpty()) {
        if (images.size() == 1)
            return images.first();
        return fail(
            Error::Kind::InvalidArgument,
            Berth::tr("'%1' holds %n image(s); say which one: %2", nullptr, int(images.size()))
                .arg(archive, describeImages(images)));
    }
    QList<ArchiveImage> found;
    for (const ArchiveImage &image : images) {
        if (matches(image, wanted))
            found << image;
    }
    if (found.size() == 1)
        return found.first();
    if (found.isEmpty())
        return fail(Error::Kind::NotFound,
                    Berth::tr("'%1' has no image '%2'; it holds: %3")
                        .arg(archive, wanted, describeImages(images)));
    return fail(Error::Kind::InvalidArgument,
                Berth::tr("'%2' names several images of '%1': %3")
                    .arg(archive, wanted, describeImages(found)));
}

} // namespace Berth
