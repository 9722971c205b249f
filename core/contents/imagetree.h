#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "contents/indexfile.h"

#include <QList>

namespace Berth {

// What one layer did to the filesystem below it, and what of it later layers made useless.
struct LayerStats
{
    qint64 entries = 0;      // the layer's own entries (implicit directories not counted)
    qint64 added = 0;        // paths no lower layer had
    qint64 changed = 0;      // paths a lower layer had, replaced
    qint64 deleted = 0;      // paths a lower layer had, removed (whiteouts, opaque directories)
    qint64 fileBytes = 0;    // bytes of the layer's regular files
    qint64 addedBytes = 0;   // file bytes of added paths
    qint64 changedBytes = 0; // file bytes of replacing entries
    qint64 wastedBytes = 0;  // this layer's file bytes that later layers overwrite or delete
};

struct ImageTreeSummary
{
    QList<LayerStats> layers; // bottom first
    qint64 entries = 0;       // visible paths in the merged tree
    qint64 visibleBytes = 0;  // file bytes the running image sees
    qint64 totalBytes = 0;    // file bytes all layers carry
    qint64 wastedBytes = 0;   // totalBytes - visibleBytes
    // visibleBytes / totalBytes (1 for an image without files): dive's efficiency score.
    double efficiency() const
    {
        return totalBytes > 0 ? double(visibleBytes) / double(totalBytes) : 1.0;
    }
};

struct TreeOptions
{
    // Merge layers 0..topLayer only (-1: all). The top layer's entries carry Added or Changed
    // (the lower layers' entries None), and its whiteouts that hide something appear as Deleted
    // entries (with what they hid). With -1 every entry carries what its own layer did.
    int topLayer = -1;
    CancelToken cancel;
};

// The filesystem an image's layers make, in one pass over their sorted indexes (bottom first):
// for each path the topmost entry wins; a whiteout hides the path and its subtree below; an
// opaque directory hides its lower children; a non-directory hides a lower directory's subtree;
// an implicit directory never replaces a real one. Written to `outputPath` as an index file
// whose records carry the winning layer and the change it made; memory does not grow with the
// number of entries. The summary (per-layer statistics, wasted bytes) is also kept in the
// output's meta.
Result<ImageTreeSummary> mergeLayers(const QList<const IndexFile *> &layers,
                                     const QString &outputPath,
                                     const TreeOptions &options = {});
ImageTreeSummary treeSummary(const IndexFile &tree); // read back from the tree's meta

struct LargestFile
{
    QByteArray path;
    qint64 size = 0;
    int layer = 0;
};
QList<LargestFile> largestFiles(const IndexFile &tree, int count);

// The record of `path` inside `tree`, following symbolic links in every component (and in the
// last one when followLast), relative links against their directory and absolute ones against the
// image's root, never above it; at most 40 links (as Linux). NotFound names the path. The root
// itself, which has no record, is -1 (as IndexFile::children names it).
Result<qint64> resolvePath(const IndexFile &tree, QByteArrayView path, bool followLast);

} // namespace Berth
