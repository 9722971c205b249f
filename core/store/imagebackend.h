#pragma once

#include "archive/archivetypes.h"
#include "common/cancel.h"
#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <optional>

namespace Berth {

// An image as `docker images` lists it: one entry per image ID, its tags together.
struct LocalImage
{
    Digest id;            // image ID = config digest
    QStringList repoTags; // familiar form, as docker prints them: "node:15", "localhost:5000/x:y"
    QStringList repoDigests; // "node@sha256:…" when known (pulled by or pushed to a registry)
    QDateTime created;
    qint64 size = 0; // the engine's size, or the sum of compressed layers for the embedded store
    Platform platform;
};

// What `inspect` shows of a local image.
struct LocalImageDetails
{
    LocalImage image;
    Digest manifestDigest; // embedded store only
    QString manifestMediaType;
    ImageConfig config;
    QList<Descriptor> layers; // embedded store; engines give only diff IDs (config.diffIds)
};

struct LocalContainer
{
    QString id;
    QStringList names;
    QString image; // as the engine reports it
    Digest imageId;
    QString state;  // "running", "exited", …
    QString status; // "Up 3 minutes"
    QString command;
    QDateTime created;
};

// One row of `docker history`: a step of the image's build, newest first.
struct ImageHistoryRow
{
    QString id; // the image ID on the row of the image itself, else "<missing>" (as docker)
    QDateTime created;
    QString createdBy; // "/bin/sh -c #(nop)  CMD [\"sh\"]", "RUN /bin/sh -c apk add …"
    QStringList tags;  // the image's tags, on its own row
    qint64 size = 0;   // what the step added; 0 for a step that made no layer
    QString comment;
    bool emptyLayer = false; // the step changed only the configuration
};

// One line of progress: a layer (or the whole operation when item is empty).
struct TransferProgress
{
    enum class State { Waiting, Transferring, Verifying, Done, Skipped, Mounted, Failed };

    QString item; // a layer digest, or "" for the total
    State state = State::Waiting;
    qint64 current = 0;
    qint64 total = -1; // -1 when unknown
    QString message;   // the engine's own words ("Pull complete"), or ours
};

struct PullOptions
{
    std::optional<Platform> platform; // default: the host's
    bool allPlatforms = false;
    CancelToken cancel;
    std::function<void(const TransferProgress &)> progress;
};

struct PullResult
{
    ImageReference reference; // as pulled, normalised
    Digest digest;            // what the tag pointed at (index or manifest)
    Digest imageId;           // for a single platform
    int layersTransferred = 0;
    int layersSkipped = 0; // already present: a second pull of the same image downloads nothing
    qint64 bytesTransferred = 0;
    qint64 bytesSkipped = 0;
};

struct PushOptions
{
    CancelToken cancel;
    std::function<void(const TransferProgress &)> progress;
};

struct PushResult
{
    ImageReference reference;
    Digest digest; // the manifest (or index) digest the registry stored
    int blobsUploaded = 0;
    int blobsSkipped = 0; // the registry already had them
    int blobsMounted = 0; // cross-repository mounts
    qint64 bytesUploaded = 0;
};

struct PruneOptions
{
    bool all = false; // also tagged images, as `docker system prune -a`
};

struct PruneResult
{
    QStringList removed; // image IDs (and tags) removed
    qint64 reclaimedBytes = 0;
};

struct RemoveResult
{
    QStringList untagged; // "node:15"
    QStringList deleted;  // image IDs whose last tag went
};

// One interface for the embedded OCI store, a Docker Engine and Podman's compatible service, so the
// archives and the GUI work the same whichever is there. All calls are asynchronous; callbacks run
// on the backend's thread. Long operations honour their CancelToken and report progress.
class ImageBackend : public QObject
{
    Q_OBJECT

public:
    enum class Kind { Embedded, Docker, Podman };
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    using QObject::QObject;
    ~ImageBackend() override = default;

    virtual Kind kind() const = 0;
    // "Embedded store at ~/.local/share/Berth/store", "Docker Engine 20.10.24
    // (unix:///var/run/docker.sock)"
    virtual QString description() const = 0;

    virtual void listImages(Callback<QList<LocalImage>> done) = 0;
    // nameOrId: a reference ("node:15"), a full or short image ID.
    virtual void inspectImage(const QString &nameOrId, Callback<LocalImageDetails> done) = 0;
    // The build steps of an image, newest first, as `docker history` lists them.
    virtual void history(const QString &nameOrId, Callback<QList<ImageHistoryRow>> done) = 0;
    virtual void
    pull(const ImageReference &reference, PullOptions options, Callback<PullResult> done)
        = 0;
    // Pushes the local image named `reference` to its registry (tag it first for another
    // destination).
    virtual void
    push(const ImageReference &reference, PushOptions options, Callback<PushResult> done)
        = 0;
    virtual void tag(const QString &source, const ImageReference &target, Callback<void> done) = 0;
    virtual void remove(const QString &nameOrId, bool force, Callback<RemoveResult> done) = 0;
    virtual void prune(PruneOptions options, Callback<PruneResult> done) = 0;

    virtual bool hasContainers() const { return false; }
    virtual void listContainers(Callback<QList<LocalContainer>> done)
    {
        done(fail(Error::Kind::Unsupported, tr("This backend has no containers.")));
    }
    // `docker rm [-f]`.
    virtual void removeContainer(const QString &nameOrId, bool force, Callback<void> done)
    {
        Q_UNUSED(nameOrId);
        Q_UNUSED(force);
        done(fail(Error::Kind::Unsupported, tr("This backend has no containers.")));
    }

    // Archives (`docker save/load/export/import`). Each streams: memory does not grow with the
    // image; a failure leaves the store as it was and no partial file under the target's name.
    // `images`: references or image IDs, in any mix; one tar holds them all.
    virtual void save(const QStringList &images,
                      ArchiveTarget target,
                      SaveOptions options,
                      Callback<SaveResult> done)
        = 0;
    // Plain, gzip, bzip2, xz or zstd, recognised by content; docker (both layouts), podman and
    // skopeo archives.
    virtual void load(ArchiveSource source, LoadOptions options, Callback<LoadResult> done) = 0;
    // A container's filesystem (engines), or an image's flattened filesystem (embedded store:
    // what `docker create` + `docker export` would give).
    virtual void exportFilesystem(const QString &containerOrImage,
                                  ArchiveTarget target,
                                  ExportOptions options,
                                  Callback<ExportResult> done)
        = 0;
    // A filesystem tar (file, stdin or URL; compressed or not) as a one-layer image.
    virtual void
    importFilesystem(ArchiveSource source, ImportOptions options, Callback<ImportResult> done)
        = 0;

    static QString kindName(Kind kind);

    // Watches for changes made outside Berth too (docker run, podman rmi, another berthctl): the
    // engine's event stream, the embedded store's index. Idempotent; stops with the backend.
    virtual void startWatching() {}

signals:
    // Images appeared, went or were (un)tagged; containers were made, started, stopped or
    // removed. A burst of changes gives one signal (coalesced over ChangeDelayMs).
    void imagesChanged();
    void containersChanged();

protected:
    static constexpr int ChangeDelayMs = 300;
    static constexpr int MaxChangeDelayMs = 2000;
    // Reports a change; the signals follow once the burst is over.
    void noteChange(bool images, bool containers);

    // Archive work runs on worker threads, but callers get progress on this object's thread like
    // every other callback: posted here, at most every 50 ms (and always the last, complete one).
    ArchiveProgressFunction progressOnThisThread(ArchiveProgressFunction progress);

private:
    QTimer *m_changeTimer = nullptr;
    QElapsedTimer m_burst; // since the first change not yet reported
    bool m_imagesChanged = false;
    bool m_containersChanged = false;
};

} // namespace Berth
