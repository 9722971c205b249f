#pragma once

#include "archive/archivetypes.h"
#include "common/result.h"
#include "contents/contentsentry.h"
#include "oci/blobsink.h"

#include <QHash>
#include <QString>

#include <functional>
#include <memory>

namespace Berth {

// Where extracted entries go: a folder, a tar, or one file's bytes (cat). `relative` is the
// entry's path below the copy's root, normalised (never absolute, never with "..").
class ExtractTarget
{
public:
    virtual ~ExtractTarget() = default;
    virtual Status directory(const ContentsEntry &entry, QByteArrayView relative) = 0;
    virtual Status symlink(const ContentsEntry &entry, QByteArrayView relative) = 0;
    // Another path with the same content as one already written (`existing`, relative too).
    virtual Status
    hardLink(const ContentsEntry &entry, QByteArrayView relative, QByteArrayView existing)
        = 0;
    virtual Status beginFile(const ContentsEntry &entry, QByteArrayView relative) = 0;
    virtual Status fileData(QByteArrayView data) = 0;
    virtual Status endFile() = 0;
    // A device, fifo or socket: a folder skips it (copies run unprivileged) and counts it; a tar
    // writes it.
    virtual Status special(const ContentsEntry &entry, QByteArrayView relative)
    {
        Q_UNUSED(entry)
        Q_UNUSED(relative)
        ++m_skipped;
        return {};
    }
    qint64 skipped() const { return m_skipped; }
    // Everything is out: directories get their modes and times, a file is committed.
    virtual Status finish() = 0;

protected:
    qint64 m_skipped = 0;
};

// Into the folder `destination` (created when missing): every component opened with openat()
// and O_NOFOLLOW below the folder, so no name, symbolic link or hard link in an image can write
// outside it; existing files are replaced, never followed. Devices, fifos and sockets are
// skipped (counted in skipped()); set-uid/set-gid bits dropped; owners not changed.
Result<std::unique_ptr<ExtractTarget>> directoryTarget(const QString &destination);
// A tar at `target` (file or descriptor; compression as asked), entries as they come.
Result<std::unique_ptr<ExtractTarget>> tarTarget(const ArchiveTarget &target,
                                                 Compression compression);
// One regular file's bytes to `write` (cat, a preview); at most `limit` bytes (-1: all).
std::unique_ptr<ExtractTarget> streamTarget(std::function<Status(QByteArrayView)> write,
                                            qint64 limit = -1);

// Pulls chosen regular files out of one layer's blob as it streams past (decompressed on a
// thread of its own, like LayerIndexer), then says it has enough: write() fails with a Cancelled
// error whose code is EnoughCode once every wanted file is out, so the source stops sending
// (only the part of the layer up to the last wanted file is read). `wanted` maps a path in the
// layer to its path below the copy's root. A hard link in the layer to another wanted path is
// written as a link (ExtractTarget::hardLink). A tar holds a hard link's content only at its
// target, which comes first: to get the content of a link whose target is not wanted, the caller
// asks for the target under the link's relative path (readFile and copyOut do). A wanted path
// that the layer holds as a device, fifo or socket goes to ExtractTarget::special.
class LayerFileExtractor final : public BlobSink
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    static inline const QString EnoughCode = QStringLiteral("BERTH_ENOUGH");

    LayerFileExtractor(QString layer, QHash<QByteArray, QByteArray> wanted, ExtractTarget *target);
    ~LayerFileExtractor() override;
    Q_DISABLE_COPY_MOVE(LayerFileExtractor)

    Status write(QByteArrayView data) override;
    Status restart() override;
    // Waits for the thread: the bytes of file data written, or why not (a wanted file missing
    // from the layer is NotFound naming it and the layer).
    Result<qint64> finish();
    bool complete() const; // every wanted file is out

private:
    struct Shared;
    std::unique_ptr<Shared> m_shared;
};

} // namespace Berth
