#pragma once

#include "imagebackend.h"
#include "oci/ocilayout.h"

#include <QFileSystemWatcher>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>

namespace Berth {

class LayerCheckingSink;
class RegistryClient;

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
    static constexpr int ParallelTransfers = 4;
    void setChunking(qint64 threshold, qint64 chunkSize)
    {
        m_chunkedThreshold = threshold;
        m_chunkSize = chunkSize;
    }

private:
    qint64 m_chunkedThreshold = DefaultChunkedThreshold;
    qint64 m_chunkSize = DefaultChunkSize;
    struct PullJob;
    struct PushJob;

    // Runs work on the thread pool and done with its result on this object's thread.
    template<typename T>
    void inBackground(std::function<Result<T>()> work, Callback<T> done)
    {
        auto *watcher = new QFutureWatcher<Result<T>>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [watcher, done = std::move(done)] {
            Result<T> r = watcher->result();
            watcher->deleteLater();
            done(std::move(r));
        });
        watcher->setFuture(QtConcurrent::run(std::move(work)));
    }

    void pullPlatforms(std::shared_ptr<PullJob> job);
    void pullBlobs(std::shared_ptr<PullJob> job);
    void fetchBlob(std::shared_ptr<PullJob> job,
                   const Descriptor &blob,
                   std::function<void(Status)> stepDone);
    void storeFetchedBlob(std::shared_ptr<PullJob> job,
                          const Descriptor &blob,
                          std::shared_ptr<OciBlobWriter> sink,
                          std::shared_ptr<LayerCheckingSink> checking,
                          std::function<void(Status)> stepDone);
    void finishPull(std::shared_ptr<PullJob> job);
    void failPull(std::shared_ptr<PullJob> job, Error error);
    void pushBlobs(std::shared_ptr<PushJob> job);
    void pushManifests(std::shared_ptr<PushJob> job, int next);

    void watchIndex();

    OciStore m_store;
    RegistryClient *m_client;
    QFileSystemWatcher *m_watcher = nullptr;
};

} // namespace Berth
