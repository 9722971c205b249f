// The docker side of a load: manifest.json, and the OCI manifest Berth writes for an image that
// only it describes (the older `<id>/layer.tar` layout, or an archive without index.json).

#include "archive/imageloader.h"
#include "archive/tarreader.h"
#include "common/jsonlimits.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Berth {

namespace ArchiveLoad {

namespace {

enum class Packing { Plain, Gzip, Zstd, Xz, Bzip2 };

Packing packingOf(QByteArrayView head)
{
    const auto starts = [&](std::initializer_list<unsigned char> magic) {
        if (head.size() < qsizetype(magic.size()))
            return false;
        qsizetype i = 0;
        for (unsigned char c : magic) {
            if (static_cast<unsigned char>(head[i++]) != c)
                return false;
        }
        return true;
    };
    if (starts({0x1f, 0x8b}))
        return Packing::Gzip;
    if (starts({0x28, 0xb5, 0x2f, 0xfd}))
        return Packing::Zstd;
    if (starts({0xfd, '7', 'z', 'X', 'Z', 0x00}))
        return Packing::Xz;
    if (starts({'B', 'Z', 'h'}))
        return Packing::Bzip2;
    return Packing::Plain;
}

} // namespace

Result<QList<DockerManifestEntry>> parseDockerManifest(const QByteArray &body,
                                                       const QString &archive)
{
    const auto invalid = [&](const QString &why) {
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("manifest.json in '%1' is not valid: %2").arg(archive, why));
    };
    if (nestsDeeperThan(body, MaxJsonDepth))
        return invalid(Berth::tr("it nests too deeply."));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return invalid(error.errorString() + u'.');
    if (!doc.isArray())
        return invalid(Berth::tr("it is not a list."));
    QList<DockerManifestEntry> entries;
    const QJsonArray array = doc.array();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        DockerManifestEntry e;
        e.config = o.value(u"Config").toString();
        if (e.config.isEmpty())
            return invalid(Berth::tr("entry %1 has no Config.").arg(i + 1));
        if (!o.value(u"Layers").isArray())
            return invalid(Berth::tr("entry %1 has no Layers.").arg(i + 1));
        for (const QJsonValue &v : o.value(u"Layers").toArray()) {
            if (!v.isString() || v.toString().isEmpty())
                return invalid(
                    Berth::tr("entry %1 has a layer that is not a file name.").arg(i + 1));
            e.layers << v.toString();
        }
        const QJsonValue tags = o.value(u"RepoTags");
        if (!tags.isNull() && !tags.isUndefined() && !tags.isArray())
            return invalid(Berth::tr("entry %1 has RepoTags that are not a list.").arg(i + 1));
        for (const QJsonValue &v : tags.toArray()) {
            if (!v.isString())
                return invalid(Berth::tr("entry %1 has a tag that is not a string.").arg(i + 1));
            e.repoTags << v.toString();
        }
        entries << e;
    }
    return entries;
}

Result<ImageReference> parseRepoTag(const QString &text)
{
    auto ref = ImageReference::parse(text);
    if (!ref)
        return fail(
            Error::Kind::InvalidArgument,
            Berth::tr("manifest.json tags an image '%1': %2").arg(text, ref.error().message));
    if (ref->tag().isEmpty())
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("manifest.json tags an image '%1', which is not a tag.").arg(text));
    return ref->withTag(ref->tag());
}

Result<Digest>
ImageLoader::hashDecompressed(const QString &path, const QString &name, OciBlobWriter *out)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io, tr("Could not read %1: %2").arg(path, file.errorString()));
    auto reader = TarReader::openFd(file.handle(), name, TarReader::Format::Raw);
    if (!reader)
        return fail(reader.error());
    auto more = (*reader)->next();
    if (!more)
        return fail(more.error());
    Sha256 hash;
    qint64 done = 0;
    m_pending.resize(0);
    if (*more) {
        for (;;) {
            if (Status s = checkCancelled(); !s)
                return fail(s.error());
            auto block = (*reader)->readBlock();
            if (!block)
                return fail(block.error());
            if (block->isEmpty())
                break;
            hash.addData(*block);
            done += block->size();
            if (out) {
                if (done > m_spaceLeft)
                    return fail(Error::Kind::InvalidArgument,
                                tr("Layer '%1' decompresses to more than the %2 bytes free in "
                                   "the image store.")
                                    .arg(name)
                                    .arg(m_spaceLeft));
                m_pending.append(*block);
                if (m_pending.size() >= WriteBlock) {
                    if (Status s = writePending(*out); !s)
                        return fail(s.error());
                }
            }
        }
    }
    if (out) {
        if (Status s = writePending(*out); !s)
            return fail(s.error());
        m_spaceLeft -= done;
    }
    return *Digest::parse(hash.digest());
}

Result<Descriptor> ImageLoader::layerDescriptor(const ArchiveFile &file,
                                                const QString &name,
                                                const Digest &diffId,
                                                BlobMap &blobs)
{
    if (file.layerProblem)
        return fail(*file.layerProblem);
    Descriptor d;
    d.digest = file.digest;
    d.size = file.size;
    if (file.digest == diffId) {
        d.mediaType = QLatin1String(MediaType::OciLayer);
        blobs.try_emplace(d.digest.toString(), sourceOf(file));
        return d;
    }
    const auto mismatch = [&](const Digest &actual, bool decompressed) {
        return fail(Error::Kind::DigestMismatch,
                    (decompressed ? tr("Layer '%1' does not match the image configuration: its "
                                       "decompressed content hashes to %2 where the "
                                       "configuration lists %3.")
                                  : tr("Layer '%1' does not match the image configuration: its "
                                       "content hashes to %2 where the configuration lists %3."))
                        .arg(name, actual.toString(), diffId.toString()));
    };
    const Packing packing = packingOf(file.head);
    if (packing == Packing::Plain)
        return mismatch(file.digest, false);
    // A compressed layer without a manifest to vouch for it: its diff_id is the hash of what it
    // decompresses to, so that is read once more, from the temp file.
    const QString path = file.temp ? file.temp->tempPath() : m_store.blobPath(file.digest);
    if (packing == Packing::Gzip || packing == Packing::Zstd) {
        // The verifier hashed the decompressed bytes as they streamed; only a layer the store had
        // already is read again.
        auto uncompressed = file.diffId.isValid() ? Result<Digest>(file.diffId)
                                                  : hashDecompressed(path, name, nullptr);
        if (!uncompressed)
            return fail(uncompressed.error());
        if (*uncompressed != diffId)
            return mismatch(*uncompressed, true);
        d.mediaType = QLatin1String(packing == Packing::Gzip ? MediaType::OciLayerGzip
                                                             : MediaType::OciLayerZstd);
        blobs.try_emplace(d.digest.toString(), sourceOf(file));
        return d;
    }
    // xz and bzip2 have no OCI media type: such a layer is stored decompressed.
    auto created = m_store.createBlobWriter();
    if (!created)
        return fail(created.error());
    std::shared_ptr<OciBlobWriter> writer = std::move(*created);
    auto uncompressed = hashDecompressed(path, name, writer.get());
    if (!uncompressed)
        return fail(uncompressed.error());
    if (*uncompressed != diffId)
        return mismatch(*uncompressed, true);
    m_converted << writer;
    d.mediaType = QLatin1String(MediaType::OciLayer);
    d.digest = diffId;
    d.size = writer->size();
    blobs.try_emplace(d.digest.toString(), BlobSource{writer, {}, writer->size()});
    return d;
}

Result<PlannedImage> ImageLoader::synthesise(const DockerManifestEntry &e)
{
    const QString manifestJson = u"manifest.json"_s;
    auto configFile = lookup(e.config, manifestJson);
    if (!configFile)
        return fail(configFile.error());
    const ArchiveFile &cf = **configFile;
    auto configBody = jsonOf(cf, MaxConfigSize);
    if (!configBody)
        return fail(configBody.error());
    auto config = parseImageConfig(*configBody);
    if (!config)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1': %2").arg(e.config, config.error().message));
    if (config->diffIds.size() != e.layers.size())
        return fail(Error::Kind::InvalidArgument,
                    tr("manifest.json lists %1 layers for '%2', whose configuration lists %3.")
                        .arg(e.layers.size())
                        .arg(e.config)
                        .arg(config->diffIds.size()));
    PlannedImage image;
    ImageManifest manifest;
    manifest.mediaType = QLatin1String(MediaType::OciManifest);
    manifest.config.mediaType = QLatin1String(MediaType::OciConfig);
    manifest.config.digest = cf.digest;
    manifest.config.size = cf.size;
    image.blobs.try_emplace(cf.digest.toString(), sourceOf(cf));
    for (qsizetype i = 0; i < e.layers.size(); ++i) {
        auto layerFile = lookup(e.layers.at(i), manifestJson);
        if (!layerFile)
            return fail(layerFile.error());
        auto diffId = Digest::parse(config->diffIds.at(i));
        if (!diffId)
            return fail(Error::Kind::InvalidArgument,
                        tr("Archive entry '%1' lists an invalid diff_id: %2")
                            .arg(e.config, diffId.error().message));
        auto layer = layerDescriptor(**layerFile, e.layers.at(i), *diffId, image.blobs);
        if (!layer)
            return fail(layer.error());
        manifest.layers << *layer;
    }
    const QByteArray body = toJson(manifest);
    image.entry.mediaType = manifest.mediaType;
    image.entry.digest = *Digest::parse(Sha256::digestOf(body));
    image.entry.size = body.size();
    image.blobs.try_emplace(image.entry.digest.toString(), BlobSource{{}, body, body.size()});
    image.imageId = cf.digest;
    return image;
}

} // namespace ArchiveLoad

} // namespace Berth
