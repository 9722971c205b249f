#pragma once

// The parts of loadImageArchive() (imageload.h), shared by the files that hold its steps: the
// streaming pass (imageloadstream.cpp), the OCI index.json side (imageloadoci.cpp), the docker
// manifest.json side (imageloaddocker.cpp), and the plan and commit that join them
// (imageload.cpp). Not for use outside them.

#include "archive/archivelayout.h"
#include "archive/archivetypes.h"
#include "common/result.h"
#include "common/workerstage.h"
#include "oci/manifest.h"
#include "oci/ocilayout.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>

namespace Berth {

class LayerVerifier;
class Sha256;
class TarReader;
struct CheckedEntry;
struct TarEntry;

namespace ArchiveLoad {

// Whether an entry's first bytes open a JSON document (the metadata of an archive, never a
// layer), whitespace skipped.
bool looksLikeJson(QByteArrayView data);

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

// The images index.json of the archive holds: for each of its entries, what it resolved to (one
// candidate per platform present when the index is not whole).
struct OciImages
{
    QList<QList<OciCandidate>> candidates;
    QList<Descriptor> entries;
    QList<bool> used; // by an element of manifest.json
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
                                                       const QString &archive);
Result<ImageReference> parseRepoTag(const QString &text);
QString blobName(const Digest &digest);
void mergeBlobs(BlobMap &into, const BlobMap &from);

class ImageLoader final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    ImageLoader(const OciStore &store, TarReader &reader, const LoadOptions &options);
    // A load that failed or was cancelled does not finish writing what it will throw away.
    ~ImageLoader();
    Q_DISABLE_COPY_MOVE(ImageLoader)

    Result<LoadResult> run();

private:
    struct FileStream;

    Status checkCancelled() const;
    void reportProgress(const QString &item, bool always);

    // The streaming pass (imageloadstream.cpp).
    Status readArchive();
    Status readFile(const CheckedEntry &checked, const TarEntry &entry);
    Status skipStoredBlob(ArchiveFile &file, const Digest &digest);
    Status checkDeclaredSize(const TarEntry &entry, ArchiveFile &file) const;
    Status openStream(FileStream &stream) const;
    Status streamBlocks(FileStream &stream);
    void startFile(FileStream &stream, QByteArrayView first) const;
    Status gatherChunks(FileStream &stream, QByteArrayView block);
    Status hashAndWrite(FileStream &stream, QByteArrayView block);
    Status finishStream(FileStream &stream);
    Status settleFile(FileStream &stream, const std::optional<Digest> &named);
    Status keepTemp(ArchiveFile &file, std::shared_ptr<OciBlobWriter> writer);
    Status writePending(OciBlobWriter &writer);
    Status postChunk(QByteArray &chunk,
                     const std::shared_ptr<Sha256> &hash,
                     const std::shared_ptr<OciBlobWriter> &writer);
    void feedVerifier(std::unique_ptr<LayerVerifier> &verifier,
                      const QByteArray &data,
                      ArchiveFile &file) const;
    void finishVerifier(std::unique_ptr<LayerVerifier> &verifier, ArchiveFile &file) const;

    // After it, the archive's files by name (imageloadoci.cpp).
    Result<const ArchiveFile *> find(const QString &path) const;
    Result<const ArchiveFile *> lookup(const QString &name, const QString &namedBy) const;
    Result<QByteArray> jsonOf(const ArchiveFile &file, qint64 maxSize) const;
    BlobSource sourceOf(const ArchiveFile &file) const;

    // index.json's images (imageloadoci.cpp).
    Result<BlobSource> blobSource(const Descriptor &d, const QString &namedBy) const;
    Result<QByteArray> blobJson(const Descriptor &d, qint64 maxSize, const QString &namedBy) const;
    Status checkLayerFile(const Descriptor &layer, const QString &diffId) const;
    Result<ImageConfig> readConfig(const Descriptor &config, const QString &namedBy) const;
    Status checkDiffIds(const ImageManifest &manifest, const QString &name) const;
    Result<OciCandidate> resolveManifest(const Descriptor &d, const QString &namedBy) const;
    Result<QList<OciCandidate>>
    resolveEntry(const Descriptor &d, const QString &namedBy, int depth = 0) const;
    Result<OciImages> resolveIndex(const ArchiveFile &indexFile, const QString &archive) const;

    // manifest.json's images (imageloaddocker.cpp).
    Result<PlannedImage> synthesise(const DockerManifestEntry &e);
    Result<Descriptor> layerDescriptor(const ArchiveFile &file,
                                       const QString &name,
                                       const Digest &diffId,
                                       BlobMap &blobs);
    Result<Digest> hashDecompressed(const QString &path, const QString &name, OciBlobWriter *out);

    // Plan and commit (imageload.cpp).
    Result<QList<PlannedImage>> plan(LoadResult &result);
    Status notAnImageArchive(const QString &archive);
    Result<PlannedImage> planDockerImage(const DockerManifestEntry &e, OciImages &oci);
    Status commit(const QList<PlannedImage> &images, LoadResult &result) const;
    Status commitBlobs(const QList<PlannedImage> &images,
                       LoadResult &result,
                       QStringList &committed) const;
    Status indexImages(const QList<PlannedImage> &images) const;

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

} // namespace ArchiveLoad

} // namespace Berth
