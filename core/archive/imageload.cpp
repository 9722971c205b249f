#include "archive/imageload.h"

#include "archive/archiveentrycheck.h"
#include "archive/archivelayout.h"
#include "archive/entrypath.h"
#include "archive/layerverifier.h"
#include "archive/tarreader.h"
#include "common/jsonlimits.h"
#include "common/logging.h"
#include "common/sha256.h"
#include "common/workerstage.h"
#include "oci/mediatypes.h"
#include "oci/ocilayout.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStorageInfo>

#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sys/resource.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

// Writes reach the temp files in blocks of this size at least (libarchive hands out 64 KiB pieces
// of decompressed data); a larger entry goes through the pipeline in chunks of this size.
constexpr qsizetype WriteBlock = 1 << 20;
// What each stage of the pipeline may hold (queued or in hand): memory stays flat at about this
// much whatever the size of the archive, and it is enough to ride out a stage's hiccups.
constexpr qint64 StageBytes = 8 * 1024 * 1024;
// A JSON file (manifest.json, a manifest, a config) is kept in memory up to this size, and all of
// them together up to MaxJsonTotal; a layer never is.
constexpr qint64 MaxJsonSize = MaxConfigSize;
constexpr qint64 MaxJsonTotal = 128 * 1024 * 1024;
constexpr int MaxLinkHops = 16;
constexpr int MaxJsonDepth = 64;
constexpr int MaxIndexDepth = 4;

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

bool looksLikeJson(QByteArrayView data)
{
    for (char c : data) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

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

// The digest a file's name promises: an OCI blob, or docker's `<hex>.json` configuration.
std::optional<Digest> digestFromName(const QString &path)
{
    static const QRegularExpression pattern(
        u"^(?:blobs/sha256/([0-9a-f]{64})|([0-9a-f]{64})\\.json)$"_s);
    const auto match = pattern.match(path);
    if (!match.hasMatch())
        return std::nullopt;
    const QString hex = match.captured(1).isEmpty() ? match.captured(2) : match.captured(1);
    auto digest = Digest::parse(QString(u"sha256:" + hex));
    return digest ? std::optional<Digest>(*digest) : std::nullopt;
}

QString blobName(const Digest &digest)
{
    return u"blobs/" + digest.algorithm() + u'/' + digest.encoded();
}

// Files that describe the archive and are never blobs: kept in memory only.
bool isMetadataName(const QString &path)
{
    static const QRegularExpression pattern(
        u"^(?:manifest\\.json|repositories|index\\.json|oci-layout|[^/]+/json|[^/]+/VERSION)$"_s);
    return pattern.match(path).hasMatch();
}

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

// One regular file of the archive, as read in the streaming pass.
struct ArchiveFile
{
    QString path; // normalised
    qint64 size = 0;
    Digest digest;   // of its bytes
    QByteArray head; // the first bytes, for the compression magic
    QByteArray json; // the content, when it looked like JSON and was small enough
    bool hasJson = false;
    bool jsonDropped = false; // JSON, but past MaxJsonTotal
    bool metadata = false;    // manifest.json, index.json, …: in memory only, no temp file
    // The bytes in the store's temp file; null when the store already has `digest` (or metadata).
    std::shared_ptr<OciBlobWriter> temp;
    // Every file with a temp file was read as a layer while it streamed: its diff_id, or why it
    // is no acceptable layer. Judged only if a manifest uses the file as a layer.
    Digest diffId;
    std::optional<Error> layerProblem;
};

// Where a blob the loaded images need comes from at commit time.
struct BlobSource
{
    std::shared_ptr<OciBlobWriter> temp; // a file of the archive
    QByteArray bytes;                    // metadata, or a manifest Berth wrote
    qint64 size = 0;
    // Neither: the store has it already.
};
using BlobMap = std::map<QString, BlobSource>; // digest → source

// An image as index.json of the archive holds it, resolved and verified.
struct OciCandidate
{
    Descriptor entry; // what the store's index.json will point at
    Digest imageId;
    QList<Digest> configs; // every image configuration below it
    BlobMap blobs;
};

// One image the load adds to the store's index.
struct PlannedImage
{
    Descriptor entry;
    Digest imageId;
    QList<ImageReference> tags;
    BlobMap blobs;
};

struct DockerManifestEntry
{
    QString config;
    QStringList repoTags;
    QStringList layers;
};

Result<QList<DockerManifestEntry>> parseDockerManifest(const QByteArray &body,
                                                       const QString &archive)
{
    const auto invalid = [&](const QString &why) {
        return fail(Error::Kind::InvalidArgument,
                    tr("manifest.json in '%1' is not valid: %2").arg(archive, why));
    };
    if (nestsDeeperThan(body, MaxJsonDepth))
        return invalid(tr("it nests too deeply."));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return invalid(error.errorString() + u'.');
    if (!doc.isArray())
        return invalid(tr("it is not a list."));
    QList<DockerManifestEntry> entries;
    const QJsonArray array = doc.array();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        DockerManifestEntry e;
        e.config = o.value(u"Config").toString();
        if (e.config.isEmpty())
            return invalid(tr("entry %1 has no Config.").arg(i + 1));
        if (!o.value(u"Layers").isArray())
            return invalid(tr("entry %1 has no Layers.").arg(i + 1));
        for (const QJsonValue &v : o.value(u"Layers").toArray()) {
            if (!v.isString() || v.toString().isEmpty())
                return invalid(tr("entry %1 has a layer that is not a file name.").arg(i + 1));
            e.layers << v.toString();
        }
        const QJsonValue tags = o.value(u"RepoTags");
        if (!tags.isNull() && !tags.isUndefined() && !tags.isArray())
            return invalid(tr("entry %1 has RepoTags that are not a list.").arg(i + 1));
        for (const QJsonValue &v : tags.toArray()) {
            if (!v.isString())
                return invalid(tr("entry %1 has a tag that is not a string.").arg(i + 1));
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
        return fail(Error::Kind::InvalidArgument,
                    tr("manifest.json tags an image '%1': %2").arg(text, ref.error().message));
    if (ref->tag().isEmpty())
        return fail(Error::Kind::InvalidArgument,
                    tr("manifest.json tags an image '%1', which is not a tag.").arg(text));
    return ref->withTag(ref->tag());
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

void mergeBlobs(BlobMap &into, const BlobMap &from)
{
    for (const auto &[digest, source] : from)
        into.try_emplace(digest, source);
}

class ImageLoader final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    ImageLoader(const OciStore &store, TarReader &reader, const LoadOptions &options)
        : m_store(store)
        , m_reader(reader)
        , m_options(options)
    {}
    // A load that failed or was cancelled does not finish writing what it will throw away.
    ~ImageLoader()
    {
        m_writeStage.discard();
        m_syncStage.discard();
        m_hashStage.discard();
    }
    Q_DISABLE_COPY_MOVE(ImageLoader)

    Result<LoadResult> run();

private:
    Status checkCancelled() const;
    void reportProgress(const QString &item, bool always);

    // The streaming pass.
    Status readArchive();
    Status readFile(const CheckedEntry &checked, const TarEntry &entry);
    Status writePending(OciBlobWriter &writer);
    Status postChunk(QByteArray &chunk,
                     const std::shared_ptr<Sha256> &hash,
                     const std::shared_ptr<OciBlobWriter> &writer);
    void feedVerifier(std::unique_ptr<LayerVerifier> &verifier,
                      const QByteArray &data,
                      ArchiveFile &file) const;
    void finishVerifier(std::unique_ptr<LayerVerifier> &verifier, ArchiveFile &file) const;
    Status checkLayerFile(const Descriptor &layer, const QString &diffId) const;

    // After it: judging what was read.
    Result<const ArchiveFile *> find(const QString &path) const;
    Result<const ArchiveFile *> lookup(const QString &name, const QString &namedBy) const;
    Result<QByteArray> jsonOf(const ArchiveFile &file, qint64 maxSize) const;
    BlobSource sourceOf(const ArchiveFile &file) const;
    Result<BlobSource> blobSource(const Descriptor &d, const QString &namedBy) const;
    Result<QByteArray> blobJson(const Descriptor &d, qint64 maxSize, const QString &namedBy) const;
    Result<OciCandidate> resolveManifest(const Descriptor &d, const QString &namedBy) const;
    Result<QList<OciCandidate>>
    resolveEntry(const Descriptor &d, const QString &namedBy, int depth = 0) const;
    Result<PlannedImage> synthesise(const DockerManifestEntry &e);
    Result<Descriptor> layerDescriptor(const ArchiveFile &file,
                                       const QString &name,
                                       const Digest &diffId,
                                       BlobMap &blobs);
    Result<Digest> hashDecompressed(const QString &path, const QString &name, OciBlobWriter *out);
    Result<QList<PlannedImage>> plan(LoadResult &result);
    Status commit(const QList<PlannedImage> &images, LoadResult &result) const;

    const OciStore &m_store;
    TarReader &m_reader;
    const LoadOptions &m_options;

    ArchiveLayoutProbe m_layout; // tells a filesystem tar from its first entries
    QHash<QString, ArchiveFile> m_files;
    QHash<QString, QString> m_links; // path → target path, both normalised
    QHash<QString, std::shared_ptr<OciBlobWriter>> m_tempByDigest;
    QList<std::shared_ptr<OciBlobWriter>> m_converted; // layers Berth decompressed (xz, bzip2)
    qint64 m_spaceLeft = 0;
    qint64 m_jsonTotal = 0;
    int m_entries = 0;
    qint64 m_reported = 0; // the source position last reported
    QByteArray m_pending;  // coalesces small decompressed pieces into large writes
    // The streaming pass of a large file is a pipeline: this thread reads and copies, one stage
    // hashes, one writes the temp files, and one fsyncs each finished file while the next ones
    // are read, so that commit has no fsync left to wait for (an fsync waits tens of ms for the
    // journal: on the write stage it would stall the pipeline). Jobs own what they use (shared
    // pointers, shared buffers); a write job posts the sync, so the sync stage outlives the write
    // stage (members go in reverse order).
    WorkerStage m_hashStage{StageBytes, "berth-hash"};
    WorkerStage m_syncStage{0, "berth-sync"};
    WorkerStage m_writeStage{StageBytes, "berth-write"};
};

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

Status ImageLoader::readArchive()
{
    for (;;) {
        if (Status s = checkCancelled(); !s)
            return s;
        auto more = m_reader.next();
        if (!more)
            return fail(more.error());
        if (!*more)
            return {};
        ++m_entries;
        const TarEntry &entry = m_reader.entry();
        // Before the entry checks: a root filesystem's device nodes would be refused first, and
        // "it holds a device" is not what the user needs to hear.
        if (m_layout.see(entry.path) == ArchiveLayout::Filesystem)
            return fail(filesystemArchiveError(m_reader.displayName()));
        auto checked = checkArchiveEntry(entry, ArchiveKind::ImageArchive);
        if (!checked)
            return fail(checked.error());
        if (checked->path.isEmpty() || entry.type == TarEntry::Type::Directory)
            continue;
        const bool isLink
            = entry.type == TarEntry::Type::Symlink || entry.type == TarEntry::Type::HardLink;
        // A name given twice is ambiguous unless both say the same (a tar appended to): which one
        // a loader takes is the archive writer's guess. Files are compared once read.
        if ((isLink && m_files.contains(checked->path))
            || (!isLink && m_links.contains(checked->path))
            || (isLink && m_links.contains(checked->path)
                && m_links.value(checked->path) != checked->linkTarget))
            return fail(Error::Kind::InvalidArgument,
                        tr("Archive entry '%1' appears more than once, with different contents.")
                            .arg(entry.path));
        if (isLink) {
            m_links.insert(checked->path, checked->linkTarget);
            if (Status s = m_reader.skipData(); !s)
                return s;
            continue;
        }
        if (Status s = readFile(*checked, entry); !s)
            return s;
    }
}

Status ImageLoader::writePending(OciBlobWriter &writer)
{
    if (m_pending.isEmpty())
        return {};
    Status s = writer.write(m_pending);
    m_pending.resize(0);
    return s;
}

Status ImageLoader::postChunk(QByteArray &chunk,
                              const std::shared_ptr<Sha256> &hash,
                              const std::shared_ptr<OciBlobWriter> &writer)
{
    if (chunk.isEmpty())
        return {};
    const QByteArray data = std::exchange(chunk, QByteArray());
    if (Status s = m_hashStage.post(data.size(),
                                    [hash, data] {
                                        hash->addData(data);
                                        return Status();
                                    });
        !s)
        return s;
    return m_writeStage.post(data.size(), [writer, data] { return writer->write(data); });
}

// A verifier that refused the layer has said all it will: its verdict is kept, the rest of the
// file goes by.
void ImageLoader::feedVerifier(std::unique_ptr<LayerVerifier> &verifier,
                               const QByteArray &data,
                               ArchiveFile &file) const
{
    if (!verifier)
        return;
    if (Status s = verifier->feed(data); !s) {
        file.layerProblem = s.error();
        verifier.reset();
    }
}

void ImageLoader::finishVerifier(std::unique_ptr<LayerVerifier> &verifier, ArchiveFile &file) const
{
    if (!verifier)
        return;
    auto diffId = verifier->finish();
    if (diffId)
        file.diffId = *diffId;
    else
        file.layerProblem = diffId.error();
    verifier.reset();
}

Status ImageLoader::readFile(const CheckedEntry &checked, const TarEntry &entry)
{
    reportProgress(entry.path, true);
    ArchiveFile file;
    file.path = checked.path;
    const std::optional<Digest> named = digestFromName(file.path);

    // A blob the store has already: nothing of it is needed, not even its bytes.
    if (named && file.path.startsWith(u"blobs/") && m_store.hasBlob(*named)) {
        if (Status s = m_reader.skipData(); !s)
            return s;
        file.digest = *named;
        file.size = m_store.blobSize(*named);
        QFile stored(m_store.blobPath(*named));
        if (stored.open(QIODevice::ReadOnly))
            file.head = stored.read(8);
        m_files.insert(file.path, std::move(file));
        return {};
    }

    // What an archive can make Berth write is bounded by the free space, checked against what
    // each header declares before any of its data is read.
    if (entry.size > m_spaceLeft)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' declares %2 bytes, more than the %3 bytes free in the "
                       "image store.")
                        .arg(entry.path)
                        .arg(entry.size)
                        .arg(m_spaceLeft));
    file.metadata = isMetadataName(file.path);
    if (file.metadata && entry.size > MaxJsonSize)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' has %2 bytes: too large for image metadata.")
                        .arg(entry.path)
                        .arg(entry.size));
    std::shared_ptr<OciBlobWriter> writer;
    if (!file.metadata) {
        auto created = m_store.createBlobWriter();
        if (!created)
            return fail(created.error());
        writer = std::move(*created);
    }
    bool keepJson = entry.size <= MaxJsonSize;
    // A file larger than a chunk goes through the pipeline; a small one is hashed and written
    // here, where a round trip through the stages would cost more than the work.
    const bool pipelined = writer && entry.size > WriteBlock;
    if (pipelined)
        writer->setWaitForWriteback(false); // the sync stage's fsync waits, on its own thread
    // Any blob may turn out to be a layer: each is unpacked on the verifier's thread as it goes
    // by, so that nothing needs reading twice.
    std::unique_ptr<LayerVerifier> verifier;
    if (writer)
        verifier = std::make_unique<LayerVerifier>(tr("Layer '%1'").arg(file.path), file.path);
    const auto hash = std::make_shared<Sha256>();
    QByteArray chunk; // what is gathered for the stages
    qint64 done = 0;
    m_pending.resize(0);
    for (bool first = true;; first = false) {
        if (Status s = checkCancelled(); !s)
            return s;
        auto block = m_reader.readBlock();
        if (!block)
            return fail(block.error());
        if (block->isEmpty())
            break;
        if (first) {
            file.head = block->first(std::min<qsizetype>(8, block->size())).toByteArray();
            if (!file.metadata && !looksLikeJson(*block))
                keepJson = false;
            if (keepJson)
                file.json.reserve(entry.size);
        }
        done += block->size();
        // libarchive hands out what the header declares, which was checked against the free
        // space; this guards that promise.
        if (done > entry.size)
            return fail(
                Error::Kind::InvalidArgument,
                tr("Archive entry '%1' holds more data than its header declares.").arg(entry.path));
        if (keepJson)
            file.json.append(*block);
        if (pipelined) {
            // The block is libarchive's until the next read: the stages get copies, in chunks of
            // WriteBlock that both share.
            for (QByteArrayView rest = *block; !rest.isEmpty();) {
                if (chunk.isEmpty())
                    chunk.reserve(WriteBlock);
                const qsizetype n = std::min(rest.size(), WriteBlock - chunk.size());
                chunk.append(rest.first(n));
                rest = rest.sliced(n);
                if (chunk.size() == WriteBlock) {
                    feedVerifier(verifier, chunk, file);
                    if (Status s = postChunk(chunk, hash, writer); !s)
                        return s;
                }
            }
        } else {
            hash->addData(*block);
            feedVerifier(verifier, block->toByteArray(), file);
            if (writer) {
                // Large blocks go straight to the file; small pieces are gathered first.
                if (m_pending.isEmpty() && block->size() >= WriteBlock / 4) {
                    if (Status s = writer->write(*block); !s)
                        return s;
                } else {
                    m_pending.append(*block);
                    if (m_pending.size() >= WriteBlock) {
                        if (Status s = writePending(*writer); !s)
                            return s;
                    }
                }
            }
        }
        reportProgress(entry.path, false);
    }
    if (pipelined) {
        feedVerifier(verifier, chunk, file);
        if (Status s = postChunk(chunk, hash, writer); !s)
            return s;
        // The digest decides what becomes of the file: wait for the hash (a few MiB behind at
        // most); the writes go on.
        if (Status s = m_hashStage.drain(); !s)
            return s;
    } else if (writer) {
        if (Status s = writePending(*writer); !s)
            return s;
    }
    finishVerifier(verifier, file);
    file.size = done;
    file.digest = *Digest::parse(hash->digest());
    if (!file.layerProblem && !file.diffId.isValid())
        file.diffId = file.digest; // not compressed: its own digest is its diff_id
    if (keepJson && !file.metadata) {
        if (m_jsonTotal + done > MaxJsonTotal) {
            keepJson = false;
            file.jsonDropped = true;
            file.json = QByteArray();
        } else {
            m_jsonTotal += done;
        }
    }
    file.hasJson = keepJson;
    if (!keepJson)
        file.json = QByteArray();
    if (named && *named != file.digest)
        return fail(Error::Kind::DigestMismatch,
                    tr("Archive entry '%1' is damaged or was altered: its content hashes to %2.")
                        .arg(entry.path, file.digest.toString()));
    if (auto it = m_files.constFind(file.path); it != m_files.cend()) {
        if (it->digest != file.digest)
            return fail(Error::Kind::InvalidArgument,
                        tr("Archive entry '%1' appears more than once, with different contents.")
                            .arg(entry.path));
        return {}; // the same bytes again: the temp file goes with `writer`
    }
    if (writer) {
        const QString digest = file.digest.toString();
        if (m_store.hasBlob(file.digest)) {
            writer.reset(); // removes the temp file: the store's copy will do
        } else if (auto it = m_tempByDigest.constFind(digest); it != m_tempByDigest.cend()) {
            writer = it.value(); // the same bytes twice in one archive: keep one copy
        } else {
            m_tempByDigest.insert(digest, writer);
            m_spaceLeft -= done;
            // A blob kept for commit reaches the disk while the next entries are read, once the
            // write stage has written all of it.
            WorkerStage *syncStage = &m_syncStage;
            if (Status s = m_writeStage.post(0,
                                             [writer, syncStage] {
                                                 return syncStage->post(
                                                     0, [writer] { return writer->sync(); });
                                             });
                !s)
                return s;
        }
        file.temp = writer;
    }
    m_files.insert(file.path, std::move(file));
    return {};
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
    if (isImageConfig(manifest->config.mediaType)) {
        auto configBody = blobJson(manifest->config, MaxConfigSize, name);
        if (!configBody)
            return fail(configBody.error());
        const QString configName = blobName(manifest->config.digest);
        auto parsed = parseImageConfig(*configBody);
        if (!parsed)
            return fail(Error::Kind::InvalidArgument,
                        tr("Archive entry '%1': %2").arg(configName, parsed.error().message));
        // An uncompressed layer's digest is its diff_id: checked here at no cost. A compressed
        // one was verified against the manifest's digest, as a pull does.
        if (allLayers) {
            if (parsed->diffIds.size() != manifest->layers.size())
                return fail(Error::Kind::InvalidArgument,
                            tr("Archive entry '%1' lists %2 layers where its configuration %3 "
                               "lists %4.")
                                .arg(name)
                                .arg(manifest->layers.size())
                                .arg(configName)
                                .arg(parsed->diffIds.size()));
            for (qsizetype i = 0; i < manifest->layers.size(); ++i) {
                const Descriptor &layer = manifest->layers.at(i);
                if (isUncompressedLayer(layer.mediaType)
                    && layer.digest.toString() != parsed->diffIds.at(i))
                    return fail(Error::Kind::DigestMismatch,
                                tr("Layer '%1' does not match the image configuration: it is %2 "
                                   "where the configuration lists %3.")
                                    .arg(blobName(layer.digest),
                                         layer.digest.toString(),
                                         parsed->diffIds.at(i)));
                if (Status s = checkLayerFile(layer, parsed->diffIds.at(i)); !s)
                    return fail(s.error());
            }
        }
    }
    candidate.entry.mediaType = mediaType;
    candidate.entry.digest = d.digest;
    candidate.entry.size = d.size;
    candidate.entry.platform = d.platform;
    candidate.imageId = manifest->config.digest;
    candidate.configs << manifest->config.digest;
    return candidate;
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
    OciCandidate all;
    all.entry.mediaType = mediaType;
    all.entry.digest = d.digest;
    all.entry.size = d.size;
    all.blobs.emplace(d.digest.toString(), *source);
    ImageIndex present;
    for (const OciCandidate &c : std::as_const(available)) {
        mergeBlobs(all.blobs, c.blobs);
        all.configs << c.configs;
        present.manifests << c.entry;
    }
    // The image ID of an index is the host's image, as docker shows it.
    all.imageId = available.first().imageId;
    if (auto host = present.select(Platform::host())) {
        for (const OciCandidate &c : std::as_const(available)) {
            if (c.entry.digest == host->digest)
                all.imageId = c.imageId;
        }
    }
    return QList<OciCandidate>{all};
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

Result<QList<PlannedImage>> ImageLoader::plan(LoadResult &result)
{
    const QString archive = m_reader.displayName();
    const ArchiveFile *manifestFile
        = m_files.contains(u"manifest.json"_s) ? &m_files[u"manifest.json"_s] : nullptr;
    const ArchiveFile *indexFile
        = m_files.contains(u"index.json"_s) ? &m_files[u"index.json"_s] : nullptr;
    if (!manifestFile && !indexFile) {
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
    result.format = manifestFile
                        ? (indexFile ? u"docker-archive"_s : u"docker-archive (legacy layout)"_s)
                        : u"oci-archive"_s;

    // The OCI images first: their manifests are kept as they are, so digests survive a round trip.
    QList<QList<OciCandidate>> ociImages;
    QList<Descriptor> ociEntries;
    if (indexFile) {
        if (nestsDeeperThan(indexFile->json, MaxJsonDepth))
            return fail(Error::Kind::InvalidArgument,
                        tr("index.json in '%1' nests too deeply.").arg(archive));
        auto index = parseImageIndex(indexFile->json, QString::fromLatin1(MediaType::OciIndex));
        if (!index)
            return fail(
                Error::Kind::InvalidArgument,
                tr("index.json in '%1' is not valid: %2").arg(archive, index.error().message));
        for (const Descriptor &d : std::as_const(index->manifests)) {
            auto resolved = resolveEntry(d, u"index.json"_s);
            if (!resolved)
                return fail(resolved.error());
            ociImages << *resolved;
            ociEntries << d;
        }
    }
    QList<bool> used(ociImages.size(), false);
    QList<PlannedImage> images;

    if (manifestFile) {
        auto entries = parseDockerManifest(manifestFile->json, archive);
        if (!entries)
            return fail(entries.error());
        for (const DockerManifestEntry &e : std::as_const(*entries)) {
            if (Status s = checkCancelled(); !s)
                return fail(s.error());
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
            for (qsizetype i = 0; i < ociImages.size() && !matched; ++i) {
                for (const OciCandidate &c : std::as_const(ociImages.at(i))) {
                    if (!c.configs.contains(configDigest))
                        continue;
                    for (const QString &layer : std::as_const(e.layers)) {
                        if (auto f = lookup(layer, u"manifest.json"_s); !f)
                            return fail(f.error());
                    }
                    used[i] = true;
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
            images << *matched;
        }
    }

    for (qsizetype i = 0; i < ociImages.size(); ++i) {
        if (used.at(i))
            continue;
        const QList<OciCandidate> &candidates = ociImages.at(i);
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
        PlannedImage image{chosen->entry, chosen->imageId, {}, chosen->blobs};
        if (auto name = nameFromAnnotations(ociEntries.at(i)))
            image.tags << *name;
        images << image;
    }
    return images;
}

Status ImageLoader::commit(const QList<PlannedImage> &images, LoadResult &result) const
{
    BlobMap blobs;
    for (const PlannedImage &image : images)
        mergeBlobs(blobs, image.blobs);
    QStringList committed;
    const auto undo = [&](const Error &error) -> Status {
        if (Status s = m_store.discardBlobs(committed); !s)
            qCWarning(lcArchive) << "could not discard blobs:" << s.error().message;
        return fail(error);
    };
    for (const auto &[digestText, source] : blobs) {
        const Digest digest = *Digest::parse(digestText);
        if (m_store.hasBlob(digest)) {
            ++result.blobsSkipped;
            continue;
        }
        if (source.temp) {
            if (Status s = m_store.commitBlob(*source.temp, digest, source.size); !s)
                return undo(s.error());
        } else if (!source.bytes.isNull()) {
            auto written = m_store.writeBlob(source.bytes);
            if (!written)
                return undo(written.error());
        } else {
            return undo(Error::make(Error::Kind::Io,
                                    tr("Blob %1 was removed from the image store while the "
                                       "archive was loading; load it again.")
                                        .arg(digestText)));
        }
        committed << digestText;
        ++result.blobsWritten;
    }

    Status s = m_store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
        for (const PlannedImage &image : images) {
            QStringList missing;
            m_store.reachableBlobs(image.entry, &missing);
            if (!missing.isEmpty())
                return fail(Error::Kind::Io,
                            tr("Parts of the archive's images were removed from the image store "
                               "while it was loading (a prune elsewhere?); load it again."));
        }
        for (const PlannedImage &image : images) {
            for (const ImageReference &tag : image.tags) {
                const QString refName = OciStore::refNameFor(tag);
                entries.removeIf([&](const OciIndexEntry &e) {
                    return e.refName() == refName
                           || e.descriptor.annotations.value(
                                  QLatin1String(ContainerdNameAnnotation))
                                  == refName;
                });
                Descriptor d = image.entry;
                d.annotations.insert(QLatin1String(ContainerdNameAnnotation), refName);
                d.annotations.insert(QLatin1String(RefNameAnnotation), refName);
                entries.append(OciIndexEntry{d});
            }
        }
        // An untagged image gets an entry of its own unless the store already lists it.
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
        return {};
    });
    if (!s)
        return undo(s.error());

    for (const PlannedImage &image : images) {
        for (const ImageReference &tag : image.tags) {
            const QString shown = tag.familiarString();
            if (!result.loadedTags.contains(shown))
                result.loadedTags << shown;
        }
        if (image.tags.isEmpty() && !result.untagged.contains(image.imageId))
            result.untagged << image.imageId;
    }
    return {};
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

} // namespace

Result<LoadResult>
loadImageArchive(const OciStore &store, TarReader &reader, const LoadOptions &options)
{
    ImageLoader loader(store, reader, options);
    return loader.run();
}

} // namespace Berth
