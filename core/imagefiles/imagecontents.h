#pragma once

#include "contents/imagetree.h"
#include "contents/indexfile.h"
#include "contents/layerindexcache.h"
#include "contents/treediff.h"
#include "imagefiles/contentssource.h"

#include <memory>
#include <vector>

namespace Berth {

// An image's files, ready to look at: each layer's index (from the cache, or made by streaming
// the layer once) and the merged tree.
struct LoadedContents
{
    ContentsImage image;
    std::vector<std::shared_ptr<const IndexFile>> layers; // bottom first, as image.layers
    std::shared_ptr<const IndexFile> tree;                // merged (mergeLayers)
    ImageTreeSummary summary;
    int layersFromCache = 0;    // layers whose index was already there
    qint64 bytesDownloaded = 0; // layer bytes read from the source this time
};

struct ContentsProgress
{
    enum class Step { Describing, Indexing, Merging };
    Step step = Step::Describing;
    qint64 done = 0;  // bytes of layers indexed so far (Indexing)
    qint64 total = 0; // bytes of the layers that were not cached
};

struct LoadContentsOptions
{
    std::function<void(const ContentsProgress &)> progress;
    CancelToken cancel;
    int parallel = 3;
};

// Describes the image, indexes the layers the cache does not have (fetched from the source in
// one go, indexed as they stream), merges the tree (in the background: nothing here blocks the
// caller's thread) and answers. A second look at an image whose layers are all cached fetches
// no layer. The merged tree lives in a temporary file removed with the last reference to it.
void loadContents(std::shared_ptr<ContentsSource> source,
                  std::shared_ptr<LayerIndexCache> cache,
                  LoadContentsOptions options,
                  std::function<void(Result<std::shared_ptr<LoadedContents>>)> done);

// The tree as of layer `layer` (0 = bottom) with that layer's changes marked (mergeLayers with
// topLayer), made in the background.
void layerView(std::shared_ptr<const LoadedContents> contents,
               int layer,
               CancelToken cancel,
               std::function<void(Result<std::shared_ptr<const IndexFile>>)> done);

// Two images compared (writeDiffTree and the summary), in the background.
struct ContentsDiff
{
    std::shared_ptr<const IndexFile> tree; // the differences as a tree
    DiffSummary summary;
};
void diffContents(std::shared_ptr<const LoadedContents> from,
                  std::shared_ptr<const LoadedContents> to,
                  CancelToken cancel,
                  std::function<void(Result<ContentsDiff>)> done);

} // namespace Berth
