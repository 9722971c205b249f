#include "archive/filesystemimport.h"

#include "archive/entrypath.h"
#include "archive/imagechanges.h"
#include "common/logging.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"
#include "oci/ocilayout.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

constexpr qint64 BlockSize = 1 << 20;

// The config `docker import` writes (moby daemon/images/image_import.go): platform, creation
// time, the message as the image comment and as the one history entry's comment (no
// created_by), the changes in "config", and the layer's diff ID.
QJsonObject importConfig(const Platform &platform, const QString &created, const QString &comment)
{
    QJsonObject config{
        {u"architecture"_s, platform.architecture},
        {u"os"_s, platform.os},
        {u"created"_s, created},
        {u"comment"_s, comment},
        {u"config"_s, QJsonObject()},
        {u"history"_s, QJsonArray{QJsonObject{{u"created"_s, created}, {u"comment"_s, comment}}}}};
    if (!platform.variant.isEmpty())
        config.insert(u"variant"_s, platform.variant);
    if (!platform.osVersion.isEmpty())
        config.insert(u"os.version"_s, platform.osVersion);
    return config;
}

// Judges one header of the imported filesystem. Symbolic links may point anywhere, absolute
// ones included: they resolve inside the container's root, and every real rootfs has them.
// Set-uid and set-gid bits are kept: a rootfs from `docker export` has su, passwd and mount,
// and an import that dropped them would give a broken system; they grant nothing on the host,
// since the layer is never unpacked there by Berth.
Status checkEntry(const TarEntry &entry, QHash<QString, bool> &seen)
{
    auto path = normaliseEntryPath(entry.path);
    if (!path)
        return fail(path.error());
    if (entry.isSpecial())
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("Archive entry '%1' is a %2: an imported filesystem cannot hold "
                              "device nodes or sockets.")
                        .arg(entry.path, entry.typeName()));
    if (entry.type == TarEntry::Type::HardLink) {
        auto target = resolveHardLinkTarget(entry.path, entry.linkTarget);
        if (!target)
            return fail(target.error());
        const auto it = seen.constFind(*target);
        if (it == seen.cend())
            return fail(Error::Kind::InvalidArgument,
                        Berth::tr("Hard link '%1' points to '%2', which is not an earlier entry "
                                  "of the archive.")
                            .arg(entry.path, entry.linkTarget));
        if (it.value())
            return fail(Error::Kind::InvalidArgument,
                        Berth::tr("Hard link '%1' points to the directory '%2'.")
                            .arg(entry.path, entry.linkTarget));
    }
    seen.insert(*path, entry.type == TarEntry::Type::Directory);
    return {};
}

// What the import reads: the decompressed stream, hashed and written to the layer's temp blob on
// its way to the tar parser, so the bytes are read once and never held whole.
class LayerTee
{
public:
    LayerTee(TarReader &raw, OciBlobWriter &blob, const ImportOptions &options)
        : m_raw(raw)
        , m_blob(blob)
        , m_options(options)
    {}

    qint64 read(char *data, qint64 maxSize)
    {
        if (m_ended)
            return 0;
        if (m_options.cancel.isCancelled()) {
            m_error = Error::make(Error::Kind::Cancelled, Berth::tr("Cancelled."));
            return -1;
        }
        auto n = m_raw.read(data, maxSize);
        if (!n) {
            m_error = n.error();
            return -1;
        }
        if (*n == 0) {
            m_ended = true;
            return 0;
        }
        m_hash.addData(data, *n);
        if (Status s = m_blob.write(QByteArrayView(data, *n)); !s) {
            m_error = s.error();
            return -1;
        }
        m_size += *n;
        if (m_options.progress)
            m_options.progress(ArchiveProgress{{}, m_raw.sourcePosition(), -1});
        return *n;
    }

    // Reads what the tar parser left (padding after the end-of-archive blocks, trailing data): the
    // layer is the whole stream, as docker's diff ID is.
    Status drain()
    {
        QByteArray buffer(BlockSize, Qt::Uninitialized);
        for (;;) {
            const qint64 n = read(buffer.data(), buffer.size());
            if (n < 0)
                return fail(*m_error);
            if (n == 0)
                return {};
        }
    }

    void setEnded() { m_ended = true; }
    qint64 size() const { return m_size; }
    QString digest() { return m_hash.digest(); }
    // A failure of the source (truncated compression, a disk error) or a cancellation explains a
    // parse error better than the parser's own message.
    const std::optional<Error> &error() const { return m_error; }

private:
    TarReader &m_raw;
    OciBlobWriter &m_blob;
    const ImportOptions &m_options;
    Sha256 m_hash;
    qint64 m_size = 0;
    bool m_ended = false;
    std::optional<Error> m_error;
};

// Streams and checks the layer; on success the temp blob holds it whole.
Status readLayer(TarReader &raw, LayerTee &tee)
{
    const QString source = raw.displayName();
    auto header = raw.next();
    if (!header)
        return fail(header.error());
    if (!*header)
        tee.setEnded(); // nothing at all: reported as empty below
    auto tar = TarReader::openFunction(
        [&tee](char *data, qint64 maxSize) { return tee.read(data, maxSize); }, source);
    if (!tar) {
        if (tee.error())
            return fail(*tee.error());
        return fail(Error::Kind::InvalidArgument,
                    tee.size() == 0
                        ? Berth::tr("'%1' is not a tar archive: it is empty.").arg(source)
                        : Berth::tr("'%1' is not a tar archive.").arg(source));
    }
    QHash<QString, bool> seen;
    int entries = 0;
    for (;;) {
        auto next = (*tar)->next();
        if (!next) {
            if (tee.error())
                return fail(*tee.error());
            if (entries == 0)
                return fail(Error::Kind::InvalidArgument,
                            Berth::tr("'%1' is not a tar archive.").arg(source));
            return fail(next.error());
        }
        if (!*next)
            break;
        ++entries;
        if (Status s = checkEntry((*tar)->entry(), seen); !s)
            return s;
        if (Status s = (*tar)->skipData(); !s)
            return fail(tee.error() ? *tee.error() : s.error());
    }
    if (Status s = tee.drain(); !s)
        return s;
    if (tee.size() == 0)
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("'%1' is not a tar archive: it is empty.").arg(source));
    return {};
}

QString refNameOf(const ImageReference &reference)
{
    return OciStore::refNameFor(reference.withTag(reference.tag()));
}

// The config without its rootfs, the changes applied: a typo in one fails before a large archive
// is read.
Result<QJsonObject> configFor(const ImportOptions &options)
{
    if (options.reference && options.reference->tag().isEmpty())
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("An imported image is named by a tag, not a digest: %1.")
                        .arg(options.reference->familiarString()));
    const Platform platform = options.platform.value_or(Platform::host());
    const QString created = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QString comment = options.message.isEmpty() ? u"Imported from -"_s : options.message;
    QJsonObject config = importConfig(platform, created, comment);
    if (Status s = applyImageChanges(config, options.changes); !s)
        return fail(s.error());
    return config;
}

// The blobs this import adds to the store, removed again if a later step fails, so the store
// ends as it was.
class AddedBlobs
{
public:
    explicit AddedBlobs(const OciStore &store)
        : m_store(store)
    {}

    Status commitLayer(OciBlobWriter &blob, const Digest &digest, qint64 size)
    {
        const bool existed = m_store.hasBlob(digest);
        if (Status s = m_store.commitBlob(blob, digest, size); !s)
            return s;
        if (!existed)
            m_added << digest.toString();
        return {};
    }

    Result<Digest> write(const QByteArray &data)
    {
        const Digest digest = *Digest::parse(Sha256::digestOf(data));
        const bool existed = m_store.hasBlob(digest);
        auto written = m_store.writeBlob(data);
        if (written && !existed)
            m_added << written->toString();
        return written;
    }

    Error rollback(const Error &error) const
    {
        if (Status s = m_store.discardBlobs(m_added); !s)
            qCWarning(lcArchive) << "could not remove what a failed import stored:"
                                 << s.error().message;
        return error;
    }

private:
    const OciStore &m_store;
    QStringList m_added;
};

// The layer, streamed from the archive into a temp blob and committed: its digest and size.
Result<Descriptor> importLayer(const OciStore &store,
                               TarReader &rawReader,
                               const ImportOptions &options,
                               AddedBlobs &added)
{
    auto blob = store.createBlobWriter();
    if (!blob)
        return fail(blob.error());
    LayerTee tee(rawReader, **blob, options);
    if (Status s = readLayer(rawReader, tee); !s)
        return fail(s.error());
    if (options.cancel.isCancelled())
        return fail(Error::Kind::Cancelled, Berth::tr("Cancelled."));
    auto digest = Digest::parse(tee.digest());
    if (!digest)
        return fail(digest.error());
    if (Status s = added.commitLayer(**blob, *digest, tee.size()); !s)
        return fail(s.error());
    return Descriptor{
        QLatin1String(MediaType::OciLayer), *digest, tee.size(), std::nullopt, {}, {}};
}

// What writeImage() stored: the image ID and the index entry that will point at the manifest.
struct WrittenImage
{
    Digest imageId;
    Descriptor entry;
};

// The config (with the layer's diff ID) and the manifest over it.
Result<WrittenImage> writeImage(QJsonObject config, const Descriptor &layer, AddedBlobs &added)
{
    config.insert(u"rootfs"_s,
                  QJsonObject{{u"type"_s, u"layers"_s},
                              {u"diff_ids"_s, QJsonArray{layer.digest.toString()}}});
    const QByteArray configBytes = QJsonDocument(config).toJson(QJsonDocument::Compact);
    auto configDigest = added.write(configBytes);
    if (!configDigest)
        return fail(configDigest.error());

    ImageManifest manifest;
    manifest.mediaType = QLatin1String(MediaType::OciManifest);
    manifest.config = Descriptor{QLatin1String(MediaType::OciConfig),
                                 *configDigest,
                                 configBytes.size(),
                                 std::nullopt,
                                 {},
                                 {}};
    manifest.layers = {layer};
    const QByteArray manifestBytes = toJson(manifest);
    auto manifestDigest = added.write(manifestBytes);
    if (!manifestDigest)
        return fail(manifestDigest.error());
    return WrittenImage{*configDigest,
                        Descriptor{QLatin1String(MediaType::OciManifest),
                                   *manifestDigest,
                                   manifestBytes.size(),
                                   std::nullopt,
                                   {},
                                   {}}};
}

// The image goes into the store's index, the tag moving to it as with docker; an untagged image
// the index lists already is not listed twice.
Status indexImage(const OciStore &store, const Descriptor &entry, const QString &refName)
{
    return store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
        QStringList missing;
        store.reachableBlobs(entry, &missing);
        if (!missing.isEmpty())
            return fail(Error::Kind::Io,
                        Berth::tr("Parts of the imported image were removed from the image store "
                                  "while it was being written (a prune elsewhere?); import it "
                                  "again."));
        if (!refName.isEmpty()) {
            entries.removeIf([&](const OciIndexEntry &e) {
                return e.refName() == refName
                       || e.descriptor.annotations.value(QLatin1String(ContainerdNameAnnotation))
                              == refName;
            });
        } else if (std::any_of(entries.cbegin(), entries.cend(), [&](const OciIndexEntry &e) {
                       return e.descriptor.digest == entry.digest
                              && e.descriptor.annotations.isEmpty();
                   })) {
            return {};
        }
        entries.append(OciIndexEntry{entry});
        return {};
    });
}

} // namespace

Result<ImportResult>
importFilesystem(const OciStore &store, TarReader &rawReader, const ImportOptions &options)
{
    auto config = configFor(options);
    if (!config)
        return fail(config.error());
    if (Status s = store.init(); !s)
        return fail(s.error());
    AddedBlobs added(store);
    auto layer = importLayer(store, rawReader, options, added);
    if (!layer)
        return fail(layer.error());

    // From here on a failure undoes what this import stored.
    auto image = writeImage(*config, *layer, added);
    if (!image)
        return fail(added.rollback(image.error()));
    Descriptor &entry = image->entry;
    QString refName;
    if (options.reference) {
        refName = refNameOf(*options.reference);
        entry.annotations.insert(QLatin1String(RefNameAnnotation), refName);
        entry.annotations.insert(QLatin1String(ContainerdNameAnnotation), refName);
    }
    if (options.cancel.isCancelled())
        return fail(added.rollback(Error::make(Error::Kind::Cancelled, Berth::tr("Cancelled."))));
    if (Status s = indexImage(store, entry, refName); !s)
        return fail(added.rollback(s.error()));

    ImportResult result;
    result.imageId = image->imageId;
    if (options.reference)
        result.reference = options.reference->withTag(options.reference->tag());
    result.layerSize = layer->size;
    return result;
}

} // namespace Berth
