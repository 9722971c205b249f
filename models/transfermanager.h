#pragma once

#include "transferjob.h"

#include "archive/archivetypes.h"
#include "store/imagebackend.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace Berth {

class ContentsSource;
class HubClient;
class LayerIndexCache;
class RegistryClient;
struct DeletePlan;
struct LoadedContents;

struct ManifestList;

// Where "Save As…" in the Files tab puts what it copies out of an image.
struct FilesDestination
{
    enum class Kind {
        File,   // one file's bytes, to `path`
        Folder, // a file or a folder, as files into the folder `path`
        Tar,    // a file or a folder, as a tar at `path` (compressed as its name says)
    };
    Kind kind = Kind::Folder;
    QString path;
};

// What a pull asks for besides the reference.
struct PullRequest
{
    std::optional<Platform> platform; // default: the host's
    bool allPlatforms = false;
};

// What a copy between registries asks for besides the two references.
struct CopyRequest
{
    std::optional<Platform> platform; // one platform of an index; default: the image as it is
    bool allPlatforms = false;        // every platform, and the index itself
};

// What an import asks for besides the archive.
struct ImportRequest
{
    std::optional<ImageReference> reference; // untagged when absent
    QStringList changes;                     // "CMD [\"sh\"]", "ENV A=b"
    QString message;                         // the history entry's comment
    std::optional<Platform> platform;
};

// Owns every transfer of the application: pulls, pushes, saves, loads, exports and imports, each a
// TransferJob run through the current ImageBackend, at most maxConcurrent() at once (the rest wait
// as Queued). The backend is not owned; whoever opens backends sets it here, and pages and models
// follow backendChanged().
class TransferManager final : public QObject
{
    Q_OBJECT

public:
    explicit TransferManager(QObject *parent = nullptr);
    ~TransferManager() override;

    ImageBackend *backend() const { return m_backend; }
    // Jobs already made keep the backend they were made for (while it exists).
    void setBackend(ImageBackend *backend);

    int maxConcurrent() const { return m_maxConcurrent; }
    void setMaxConcurrent(int jobs);

    QList<TransferJob *> jobs() const { return m_jobs; }
    int indexOf(const TransferJob *job) const;
    bool hasActiveJobs() const;

    TransferJob *pull(const ImageReference &reference, const PullRequest &request = {});
    // Pushes the local image named `reference` to its registry.
    TransferJob *push(const ImageReference &reference);
    // Names the local image `source` (a reference or an image ID) `target`, as docker tag does,
    // then pushes it there: one job, so a retry or a cancel covers both steps. The new name stays
    // afterwards, as after docker tag and docker push. No tag when the source already is that name.
    TransferJob *push(const QString &source, const ImageReference &target);
    // True when the local name `source` already is `target` (no tag needed before the push).
    static bool isNamed(const QString &source, const ImageReference &target);
    // One archive holding every image (references or IDs). Compression: from the file name
    // (.tar.gz, .tar.zst, .tar.xz, .tar.bz2) unless given.
    TransferJob *save(const QStringList &images,
                      const QString &path,
                      std::optional<Compression> compression = std::nullopt);
    TransferJob *load(const QString &path);
    // A container's filesystem (engines) or an image's flattened one (embedded store), as a tar.
    TransferJob *exportFilesystem(const QString &containerOrImage,
                                  const QString &path,
                                  std::optional<Platform> platform = std::nullopt);
    TransferJob *importFilesystem(const ArchiveSource &source, const ImportRequest &request = {});

    // The layer index cache every look inside an image shares; a default one (in the user's
    // cache directory) is made on first use when none was set.
    void setLayerIndexCache(std::shared_ptr<LayerIndexCache> cache);
    std::shared_ptr<LayerIndexCache> layerIndexCache();
    // Indexes an image's layers (those the cache lacks) and merges its tree, for the Files tab.
    // `done` gets the contents on this object's thread each time the job succeeds (a retry from
    // the Transfers dock too); failures and cancellation are the job's state. `watched`: the
    // backend the source reads from, if any (the job fails when it closes).
    TransferJob *lookInside(std::shared_ptr<ContentsSource> source,
                            ImageBackend *watched,
                            std::function<void(std::shared_ptr<LoadedContents>)> done);
    // Copies `path` ("" for everything) out of an image looked inside: a file, or a folder with
    // its subtree, to `destination`.
    TransferJob *saveFiles(std::shared_ptr<ContentsSource> source,
                           std::shared_ptr<const LoadedContents> contents,
                           const QByteArray &path,
                           const FilesDestination &destination,
                           ImageBackend *watched);

    // Any work that looks inside images and needs no image store, as one job (Kind::LookInside):
    // "Compare Files" reads two images and compares them (models/comparefilesjob.cpp).
    TransferJob *compareFiles(const QString &title,
                              const TransferJob::Subject &subject,
                              TransferJob::FreeStarter starter);

    // Multi-platform images (models/manifestjobs.cpp): the sources copied into the target's
    // repository where needed, then the index pushed under its tag; needs no image store.
    TransferJob *pushManifestList(RegistryClient *client, const ManifestList &list);
    // Registry actions (models/registryjobs.cpp): jobs that work on registries and need no image
    // store. The clients are not owned and must outlive the jobs (AppServices owns them); a job
    // whose client has gone fails saying so. Each job's subject names the image and its registry.
    // Deletes the plan's manifest (planDelete found it and every tag going with it), through the
    // Hub's tag API on docker.io: Kind::Delete.
    TransferJob *deleteImage(RegistryClient *client, HubClient *hub, const DeletePlan &plan);
    // Removes only `tagged`'s tag; the image and its other tags stay: Kind::Delete.
    TransferJob *untag(RegistryClient *client, HubClient *hub, const ImageReference &tagged);
    // Streams an image from one repository to another, per blob in the job's items: Kind::Copy.
    TransferJob *copyImage(RegistryClient *client,
                           const ImageReference &source,
                           const ImageReference &destination,
                           const CopyRequest &request = {});

    // Finished jobs only; an active job must be cancelled first.
    bool removeJob(TransferJob *job);
    void clearFinished();

signals:
    void backendChanged(Berth::ImageBackend *backend);
    void jobAdded(Berth::TransferJob *job);
    // Emitted before the job leaves jobs(); it is deleted later.
    void jobAboutToBeRemoved(Berth::TransferJob *job);
    void jobRemoved(Berth::TransferJob *job);
    // A job reached Done, Failed or Cancelled (again, after a retry).
    void jobFinished(Berth::TransferJob *job);

private:
    TransferJob *add(TransferJob::Kind kind,
                     const QString &title,
                     TransferJob::Starter starter,
                     const QString &outputFile = {});
    TransferJob *addFree(TransferJob::Kind kind,
                         const QString &title,
                         TransferJob::FreeStarter starter,
                         ImageBackend *watched,
                         const QString &outputFile = {});
    void track(TransferJob *job);
    void schedule();

    QPointer<ImageBackend> m_backend;
    QList<TransferJob *> m_jobs;
    std::shared_ptr<LayerIndexCache> m_layerIndexCache;
    // What the job the next add() makes works on: set by each verb just before it, so that the
    // calls to add() stay as they are.
    TransferJob::Subject m_nextSubject;
    int m_maxConcurrent = 3;
    bool m_scheduling = false;
};

} // namespace Berth
