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
