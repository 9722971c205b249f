#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "contents/treediff.h" // imagecontents.h uses DiffSummary without including it
#include "imagefiles/imagecontents.h"
#include "reference/imagereference.h"

#include <QObject>
#include <QPointer>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace Berth {

class LayerIndexCache;
class RegistryClient;
class TransferJob;
class TransferManager;

// What `second` changed in `first`'s files: both images' contents and their differences as a
// tree (an index file whose records carry Added, Changed or Deleted).
struct FilesComparison
{
    ImageReference first;
    ImageReference second;
    std::shared_ptr<const LoadedContents> from;
    std::shared_ptr<const LoadedContents> to;
    ContentsDiff diff;
    // For each record of diff.tree, the change kinds found in its subtree (ChangeKind bits): what
    // a kind filter keeps without opening every folder.
    std::shared_ptr<const std::vector<quint8>> subtreeKinds;

    // File bytes the second image's filesystem has more (negative: fewer) than the first's.
    qint64 netBytes() const;
};

// Compares the files of two tags of a repository, for one platform: each image's contents loaded
// through the registry (layers the index cache lacks are streamed once), then diffContents. The
// work shows in the Transfers dock as a job when a TransferManager is given (cancelled from there
// or here); a new request cancels the one in flight, so a stale answer never shows.
class TagFilesComparer final : public QObject
{
    Q_OBJECT

public:
    TagFilesComparer(RegistryClient *registry,
                     std::shared_ptr<LayerIndexCache> cache,
                     QObject *parent = nullptr);
    ~TagFilesComparer() override;

    // With a manager, each comparison is a job of the Transfers dock and the layer indexes are the
    // manager's cache.
    void setTransferManager(TransferManager *transfers);
    void setCache(std::shared_ptr<LayerIndexCache> cache);
    // "312 added, 40 changed, 12 deleted · +18 MB", or that both hold the same files.
    static QString summaryText(const FilesComparison &comparison);

    // platform: nullopt lets the registry choose (the host's, for an index).
    void compare(const ImageReference &first,
                 const ImageReference &second,
                 const std::optional<Platform> &platform);
    void cancel();
    // Forgets the last comparison too.
    void clear();

    bool isRunning() const { return m_running; }
    // Bytes of layers indexed so far and in all (0 while the images are described).
    qint64 progressDone() const { return m_done; }
    qint64 progressTotal() const { return m_total; }
    // The job showing this comparison in the Transfers dock, while there is one.
    TransferJob *job() const;
    std::shared_ptr<const FilesComparison> comparison() const { return m_comparison; }

signals:
    void runningChanged(bool running);
    void progressChanged(qint64 done, qint64 total);
    void finished();
    void failed(const Berth::Error &error);

private:
    struct Hooks;
    struct Pending;
    std::shared_ptr<Pending> makePending(int generation, const CancelToken &cancel);
    void startJob(int generation);
    void run(const std::shared_ptr<Pending> &pending);
    void loadOne(int side, const std::shared_ptr<Pending> &pending);
    void loaded(const std::shared_ptr<Pending> &pending);
    void diffed(const std::shared_ptr<Pending> &pending, Result<ContentsDiff> diff);
    void answer(int generation, Result<std::shared_ptr<const FilesComparison>> result);
    void setRunning(bool running);
    void setProgress(qint64 done, qint64 total);

    QPointer<RegistryClient> m_registry;
    std::shared_ptr<LayerIndexCache> m_cache;
    QPointer<TransferManager> m_transfers;
    QPointer<TransferJob> m_job;
    CancelToken m_cancel;
    std::array<ImageReference, 2> m_references;
    std::optional<Platform> m_platform;
    std::shared_ptr<const FilesComparison> m_comparison;
    int m_generation = 0;
    qint64 m_done = 0;
    qint64 m_total = 0;
    bool m_running = false;
};

} // namespace Berth
