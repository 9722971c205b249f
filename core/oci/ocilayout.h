#pragma once

#include "common/result.h"
#include "oci/blobsink.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <QFile>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace Berth {

class OciBlobLease;

// The annotations an index.json entry carries. ref.name holds the fully qualified reference
// ("docker.io/library/node:15"): skopeo splits `oci:PATH:REF` at the first ':', so a REF that
// itself contains ':' works as long as the store path has none.
inline constexpr auto RefNameAnnotation = "org.opencontainers.image.ref.name";
inline constexpr auto ContainerdNameAnnotation = "io.containerd.image.name";
// What the registry's tag pointed at when it differs from the entry (a platform picked from an
// index), so `images --digests` can show the digest users see on the registry.
inline constexpr auto RegistryDigestAnnotation = "io.berth.registry.digest";

// index.json's bytes for these entries (compact, OCI index media type): the store's own and the one
// a saved archive carries.
QByteArray ociIndexJson(const QList<Descriptor> &manifests);

// One entry of index.json: a manifest or an index, tagged or not.
struct OciIndexEntry
{
    Descriptor descriptor;

    QString refName() const
    {
        return descriptor.annotations.value(QLatin1String(RefNameAnnotation));
    }
};

// A blob being written: a temp file in the blob directory, renamed to its digest by
// OciStore::commitBlob once the caller has verified the content. Destroying an uncommitted writer
// removes the temp file, so a failed or cancelled download leaves nothing behind; the writer holds
// an flock on it, so what a killed process left is known as such and fsck or prune remove it.
class OciBlobWriter final : public BlobSink
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    ~OciBlobWriter() override;
    Status write(QByteArrayView data) override;
    Status restart() override;
    // Hands buffered data to the temp file, so that a verification pass can read tempPath().
    Status flush();
    // flush() and fsync: the content as it is now is on disk, and OciStore::commitBlob does not
    // fsync again unless more was written since. Lets a caller sync a finished blob on another
    // thread while it goes on with the next one.
    Status sync();
    qint64 size() const { return m_size; }
    QString tempPath() const { return m_path; }
    // By default write() waits for the writeback it started one window earlier, so that a blob
    // arriving faster than the disk takes it never leaves more than two windows for the commit's
    // fsync. A writer whose fsync runs on a thread of its own (sync()) does not need that, and
    // the wait would stall it behind other files' fsyncs: it only starts the writeback.
    void setWaitForWriteback(bool wait) { m_waitForWriteback = wait; }

private:
    friend class OciStore;
    OciBlobWriter() = default;
    QFile m_file;   // opened on a descriptor that holds the temp file's flock
    QString m_path; // the temp file
    qint64 m_size = 0;
    qint64 m_writebackStarted = 0; // bytes already handed to the disk (sync_file_range)
    qint64 m_writebackWaited = 0;  // bytes known to be written
    qint64 m_syncedSize = -1;      // m_size at the last successful sync()
    bool m_waitForWriteback = true;
    bool m_committed = false;
};

struct FsckOptions
{
    bool repair = false; // also remove the temp files of live writers, not just leftovers
};

struct FsckReport
{
    int blobsChecked = 0;
    int entriesChecked = 0;
    QStringList problems;     // one sentence each, for the user
    QStringList corruptBlobs; // digests whose content does not match their name
    QStringList missingBlobs; // digests referenced but absent
    QStringList tempFiles;    // leftover temp files found
    QStringList removedTempFiles;

    bool isClean() const { return problems.isEmpty(); }
};

struct StorePruneReport
{
    QStringList removedEntries; // ref names (or digests of untagged entries)
    QStringList removedBlobs;
    qint64 reclaimedBytes = 0;
};

// An OCI image layout on disk (oci-layout, index.json, blobs/sha256/…) shared by several processes:
// blobs are immutable and appear atomically (temp file, fsync, rename); index.json changes are
// read-modify-write under an inter-process lock (STORE/.lock) held only for that short update, so
// the GUI and berthctl can pull into one store at once without losing each other's tags.
// Every method is synchronous and thread-safe: callers run them off the GUI thread.
class OciStore final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    // An empty path means defaultPath().
    explicit OciStore(const QString &path = {});

    // $BERTH_STORE, else ~/.local/share/Berth/store ($XDG_DATA_HOME/Berth/store) unless only
    // the location of earlier versions, ~/.local/share/Berth/Berth/store, holds a store.
    static QString defaultPath();

    QString path() const { return m_path; }
    // Creates the directories, oci-layout and an empty index.json when missing.
    Status init() const;

    QString blobPath(const Digest &digest) const;
    bool hasBlob(const Digest &digest) const;
    qint64 blobSize(const Digest &digest) const; // -1 when absent
    Result<QByteArray> readBlob(const Digest &digest, qint64 maxSize) const;
    // Writes a small blob (manifest, config) whole; its digest is computed here.
    Result<Digest> writeBlob(const QByteArray &data) const;

    Result<std::unique_ptr<OciBlobWriter>> createBlobWriter() const;
    // fsyncs the temp file (unless OciBlobWriter::sync() did since the last write) and renames it
    // to `digest` (the caller verified the content, e.g. the registry client hashed it while it
    // streamed). A size mismatch refuses the blob.
    Status commitBlob(OciBlobWriter &writer, const Digest &digest, qint64 expectedSize = -1) const;

    Result<QList<OciIndexEntry>> readIndex() const;
    // Read-modify-write of index.json under the lock: `change` gets the index as it is on disk now
    // (with other processes' changes) and edits it; the result replaces index.json atomically.
    // A change that fails leaves index.json untouched.
    Status updateIndex(const std::function<Status(QList<OciIndexEntry> &)> &change) const;

    // Repositories ("127.0.0.1:5000/berth/busybox") each blob was pulled from, for cross-repository
    // mounts on push. Kept in STORE/berth-sources.json, outside the layout proper.
    QHash<QString, QStringList> blobSources() const;
    Status addBlobSources(const QStringList &digests, const QString &repository) const;

    // The digests an entry needs: itself, and for a manifest its config and layers, for an index
    // its manifests (recursively). Missing blobs are listed in `missing` when given.
    QStringList reachableBlobs(const Descriptor &root, QStringList *missing = nullptr) const;

    // Verifies every blob's hash and that every entry's blobs exist; removes the temp files of
    // writers that are gone (or all with repair), of killed index rewrites, and dead leases.
    // cancelled() is polled between blobs.
    Result<FsckReport> fsck(const FsckOptions &options = {},
                            const std::function<bool()> &cancelled = {}) const;
    // Removes untagged entries and every blob no entry reaches, and leftover temp files; with
    // `all`, every entry first.
    Result<StorePruneReport> prune(bool all) const;
    // Removes blobs no entry reaches, under the lock (after an image's last tag went).
    Result<StorePruneReport> collectGarbage() const;
    // Removes those of `digests` no entry reaches, under the lock: what a failed or cancelled
    // pull had already stored, so it leaves nothing behind.
    Status discardBlobs(const QStringList &digests) const;
    // Keeps `digests` from every collection (prune, rmi's, discardBlobs) until the lease is
    // destroyed: a pull takes one on what it needs before it looks at what the store has.
    Result<std::unique_ptr<OciBlobLease>> leaseBlobs(const QStringList &digests) const;

    static QString refNameFor(const ImageReference &reference) { return reference.toString(); }

private:
    template<typename F>
    auto withLock(F &&f) const -> decltype(f());
    Result<QList<OciIndexEntry>> readIndexUnlocked() const;
    Status writeIndexUnlocked(const QList<OciIndexEntry> &entries) const;
    Result<StorePruneReport> sweepUnlocked(const QList<OciIndexEntry> &entries) const;
    QStringList tempFiles() const;
    // Under the lock: the temp files of killed index or sources rewrites, and dead leases.
    Status removeLeftoversLocked(QStringList &removed) const;

    QString m_path;
};

} // namespace Berth
