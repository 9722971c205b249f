#pragma once

#include "common/background.h"
#include "common/boundedparallel.h"
#include "imagebackend.h"
#include "oci/ocilayout.h"

#include <QFileSystemWatcher>

#include <functional>
#include <memory>

namespace Berth {

class LayerCheckingSink;
class RegistryClient;
struct PushBlob;

// The image backend with no engine at all: an OCI layout on disk (OciStore) filled and emptied
// through the registry client. Network work runs on the backend's thread (the client's), disk
// work that can take time (fsync, hashing, index updates under the lock) on the thread pool;
// callbacks always come back on the backend's thread.
class EmbeddedBackend final : public ImageBackend
{
    Q_OBJECT

public:
    // An empty storePath means OciStore::defaultPath(). The client must outlive the backend.
    EmbeddedBackend(const QString &storePath, RegistryClient *client, QObject *parent = nullptr);

    Kind kind() const override { return Kind::Embedded; }
    QString description() const override;
    const OciStore &store() const { return m_store; }

    void listImages(Callback<QList<LocalImage>> done) override;
    void inspectImage(const QString &nameOrId, Callback<LocalImageDetails> done) override;
    void history(const QString &nameOrId, Callback<QList<ImageHistoryRow>> done) override;
    void
    pull(const ImageReference &reference, PullOptions options, Callback<PullResult> done) override;
    void
    push(const ImageReference &reference, PushOptions options, Callback<PushResult> done) override;
    void tag(const QString &source, const ImageReference &target, Callback<void> done) override;
    void remove(const QString &nameOrId, bool force, Callback<RemoveResult> done) override;
    void prune(PruneOptions options, Callback<PruneResult> done) override;

    // Archives: core/archive does the work on the thread pool (store/embeddedarchives.cpp).
    void save(const QStringList &images,
              ArchiveTarget target,
              SaveOptions options,
              Callback<SaveResult> done) override;
    void load(ArchiveSource source, LoadOptions options, Callback<LoadResult> done) override;
    void exportFilesystem(const QString &containerOrImage,
                          ArchiveTarget target,
                          ExportOptions options,
                          Callback<ExportResult> done) override;
    void importFilesystem(ArchiveSource source,
                          ImportOptions options,
                          Callback<ImportResult> done) override;

    // A file watch on index.json: every change of tags, by Berth or another process.
    void startWatching() override;

    // `berthctl fsck`: every blob hashed, every tag's blobs present.
    void fsck(FsckOptions options, CancelToken cancel, Callback<FsckReport> done);

    // Blobs larger than the threshold are pushed in chunks, each a request of its own that a
    // registry with a body limit (or a proxy) accepts and a failure only repeats in part. Below
    // it one streamed PUT is fastest (bench/transfer-bench: 16 MiB chunks halved push throughput).
    static constexpr qint64 DefaultChunkedThreshold = 1024ll * 1024 * 1024;
    static constexpr qint64 DefaultChunkSize = 64ll * 1024 * 1024;
    void setChunking(qint64 threshold, qint64 chunkSize)
    {
        m_chunkedThreshold = threshold;
        m_chunkSize = chunkSize;
    }

    // The state of one pull, one push, one blob of a push (store/embeddedjobs.h): named here so
    // that the steps' helpers in embeddedpull.cpp and embeddedpush.cpp can take them.
    struct PullJob;
    struct PushJob;
    struct BlobPush;

private:
    qint64 m_chunkedThreshold = DefaultChunkedThreshold;
    qint64 m_chunkSize = DefaultChunkSize;
    // Runs work on the thread pool and done with its result on this object's thread.
    template<typename T>
    void inBackground(std::function<Result<T>()> work, Callback<T> done)
    {
        runInBackground(this, std::move(work), std::move(done));
    }

    // A pull, as steps (store/embeddedpull.cpp): the top manifest, the platforms' manifests, the
    // blobs the store lacks, each downloaded then committed, the manifests and the tag.
    void followSourceReports(std::shared_ptr<PullJob> job);
    void pullPlatforms(std::shared_ptr<PullJob> job);
    void fetchPlatformManifests(std::shared_ptr<PullJob> job);
    void fetchPlatformManifest(std::shared_ptr<PullJob> job, int index, StepDone stepDone);
    void pullBlobs(std::shared_ptr<PullJob> job);
    void findMissingBlobs(std::shared_ptr<PullJob> job);
    void downloadMissingBlobs(std::shared_ptr<PullJob> job);
    void fetchBlob(std::shared_ptr<PullJob> job, const Descriptor &blob, StepDone stepDone);
    void storeFetchedBlob(std::shared_ptr<PullJob> job,
                          const Descriptor &blob,
                          std::shared_ptr<OciBlobWriter> sink,
                          std::shared_ptr<LayerCheckingSink> checking,
                          StepDone stepDone);
    void finishPull(std::shared_ptr<PullJob> job);
    void pullTagged(std::shared_ptr<PullJob> job, Result<bool> tagged);
    void failPull(std::shared_ptr<PullJob> job, Error error);

    // A push, as steps (store/embeddedpush.cpp): what the tag reaches, each blob (there already,
    // mounted or uploaded), then the manifests, the tagged one last.
    void pushBlobs(std::shared_ptr<PushJob> job);
    void pushBlob(std::shared_ptr<PushJob> job, const PushBlob &blob, StepDone stepDone);
    void mountOrUpload(std::shared_ptr<PushJob> job, std::shared_ptr<BlobPush> one, int next);
    enum class UploadWhen { Always, Missing };
    void uploadBlob(std::shared_ptr<PushJob> job, std::shared_ptr<BlobPush> one, UploadWhen when);
    void blobSkipped(std::shared_ptr<PushJob> job, std::shared_ptr<BlobPush> one);
    void pushManifests(std::shared_ptr<PushJob> job, int next);
    void finishPush(std::shared_ptr<PushJob> job);

    void watchIndex();

    OciStore m_store;
    RegistryClient *m_client;
    QFileSystemWatcher *m_watcher = nullptr;
};

} // namespace Berth
