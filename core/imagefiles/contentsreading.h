#pragma once

#include "contents/layerextract.h"
#include "imagefiles/imagecontents.h"

namespace Berth {

struct ReadOptions
{
    std::function<void(qint64 done, qint64 total)> progress; // layer bytes read
    CancelToken cancel;
};

// One file's bytes (symbolic links followed inside the image) into `target`: only the topmost
// layer that holds the file is read, and only up to the file (the stream stops once it is out).
// A hard link's content comes from its target in the same layer. NotFound names the path;
// reading a directory is InvalidArgument.
void readFile(std::shared_ptr<ContentsSource> source,
              std::shared_ptr<const LoadedContents> contents,
              QByteArray path,
              std::shared_ptr<ExtractTarget> target,
              ReadOptions options,
              std::function<void(Status)> done);

// The regular file `path` exactly as layer `layer` holds it (no link followed, no other layer
// looked at): what readFile does once it knows the layer. `contents` needs only its image.
void readLayerFile(std::shared_ptr<ContentsSource> source,
                   std::shared_ptr<const LoadedContents> contents,
                   int layer,
                   QByteArray path,
                   std::shared_ptr<ExtractTarget> target,
                   ReadOptions options,
                   std::function<void(Status)> done);

// readFile for an image not loaded yet, reading as few layers as it can: the layers' indexes from
// the top down (each from `cache`, or made by streaming that layer once) until one settles the
// path — it holds the file under folders, and no layer above it hides or replaces the path or a
// folder on it — then the file is read from that layer. A file of the top layer thus costs the
// top layer only, even with an empty cache. A path the layers do not settle that simply (a
// symbolic link on the way, a hard link) falls back to loadContents and readFile.
void readImageFile(std::shared_ptr<ContentsSource> source,
                   std::shared_ptr<LayerIndexCache> cache,
                   QByteArray path,
                   std::shared_ptr<ExtractTarget> target,
                   ReadOptions options,
                   std::function<void(Status)> done);

// A file or a folder (its whole subtree as the merged tree shows it) into `target`: directories
// and links from the tree, file contents from each layer that holds some (each such layer read
// once). `path` "" is the whole filesystem. Paths in the target are relative to `path`'s parent
// (copying "etc/ssl" gives "ssl/…", as `docker cp`).
void copyOut(std::shared_ptr<ContentsSource> source,
             std::shared_ptr<const LoadedContents> contents,
             QByteArray path,
             std::shared_ptr<ExtractTarget> target,
             ReadOptions options,
             std::function<void(Status)> done);

} // namespace Berth
