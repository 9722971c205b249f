#pragma once

#include "common/result.h"
#include "oci/blobsink.h"
#include "reference/imagereference.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace Berth {

// What indexing one layer found; also kept in the index file's meta (same key names).
struct LayerIndexSummary
{
    Digest blobDigest;    // sha256 of the bytes fed (compressed as stored)          "blobDigest"
    Digest diffId;        // sha256 of the uncompressed tar                          "diffId"
    QString compression;  // "gzip", "zstd", "none"                                  "compression"
    qint64 blobSize = 0;  // bytes fed                                               "blobSize"
    qint64 tarSize = 0;   // bytes of the uncompressed tar                           "tarSize"
    qint64 entries = 0;   // entries recorded (whiteouts included, implicit dirs not) "entries"
    qint64 fileBytes = 0; // sum of regular files' sizes                             "fileBytes"
};

// Indexes a layer while its blob streams past — a registry download, a blob of the embedded
// store, an entry of an archive — in one pass: decompressed (gzip, zstd or none, recognised from
// the content), both digests computed on the way and checked against those expected, every header
// recorded as a ContentsEntry (`.wh.NAME` → a Whiteout entry at NAME, `.wh..wh..opq` → its
// directory marked opaque; hard-link targets normalised; each regular file's sha256), written to
// an index file (IndexWriter: sorted, bounded memory). Hostile names (`..`, absolute, a hard link
// out of the layer) fail naming the layer; so does a corrupt or truncated stream, or a digest
// that does not match. Work runs on a thread of its own; write() waits when it is a few MiB
// behind, so memory stays bounded however large the layer.
class LayerIndexer final : public BlobSink
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    struct Expected
    {
        Digest blobDigest; // invalid: not checked (the registry client checks its own downloads)
        Digest diffId;     // invalid: not checked
    };
    // `layer` names the layer in messages ("Layer 3 (sha256:ab12…) of debian:12"). The index is
    // written to `indexPath` only when the whole layer was read and every check passed; `meta`
    // is stored in it beside the summary's keys.
    LayerIndexer(QString layer, Expected expected, QString indexPath, QJsonObject meta = {});
    ~LayerIndexer() override;
    Q_DISABLE_COPY_MOVE(LayerIndexer)

    // Tuning, before the first write(): the entries sorted in memory before a run goes to disk
    // (IndexWriter::DefaultRunLimit), and whether each regular file's data is hashed (on; off
    // only to measure what the hashing costs: the entries then have no content digest).
    void setRunLimit(qsizetype entries);
    void setHashContents(bool hash);

    Status write(QByteArrayView data) override;
    Status restart() override;
    // The end of the blob: waits for the thread; the summary, or why the layer was refused.
    Result<LayerIndexSummary> finish();

private:
    struct Shared;
    std::unique_ptr<Shared> m_shared;
};

} // namespace Berth
