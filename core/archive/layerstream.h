#pragma once

#include "archive/archiveentrycheck.h"
#include "archive/tarreader.h"
#include "common/result.h"
#include "reference/imagereference.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace Berth {

// What reading a layer through readLayer() met on the way.
struct LayerRead
{
    // The sha256 of the uncompressed tar. Invalid for an uncompressed layer: its diff_id is the
    // digest of the bytes fed, which the feeding side computes anyway.
    Digest diffId;
    QString compression; // "gzip", "zstd", … or "none"
    // Bytes of the uncompressed tar; -1 for an uncompressed layer (the bytes fed, again).
    qint64 tarSize = -1;
};

// Called for every header that passed checkArchiveEntry(ArchiveKind::Filesystem), with the tar
// reader on that entry: it may read the entry's data (what it leaves is skipped).
using LayerEntryVisitor = std::function<Status(TarReader &tar, const CheckedEntry &checked)>;

// Reads a layer from `read` (the blob's bytes, compressed as stored): gzip through igzip, an
// uncompressed tar straight, any other compression through libarchive, recognised from the first
// bytes. Every header is judged and handed to `visit` (none: data skipped); the uncompressed
// bytes are hashed on the way. A layer that is no tar, is damaged, truncated or names a path
// outside its root fails with a message naming `layer`; `name` is what the archive readers'
// own messages call the blob.
Result<LayerRead> readLayer(TarReader::BlockFunction read,
                            const QString &layer,
                            const QString &name,
                            const LayerEntryVisitor &visit = {});

// Bytes handed from the thread that receives a layer (a download, an archive entry) to a thread of
// its own that reads it, which is at most a few MiB behind: feed() waits when it is further.
// `work` runs on that thread with the queue as its source (0 at the end of input, -1 when the
// pump is destroyed first) and answers whether it went well; after a success the rest of the
// input (a tar's padding past its end) is taken and dropped, so feed() never fails for it.
class LayerPump final
{
public:
    using Work = std::function<bool(TarReader::BlockFunction read)>;
    static constexpr qint64 Window = 8 * 1024 * 1024;

    explicit LayerPump(Work work);
    ~LayerPump(); // an unfinished pump stops its work: its source answers -1
    Q_DISABLE_COPY_MOVE(LayerPump)

    // The next bytes. False when the work has already failed (it cannot have ended well before
    // the input did).
    bool feed(QByteArray data);
    // The end of input: waits for the work.
    void finish();

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

} // namespace Berth
