// Looking at an image's files: each layer's index from the cache or made while the layer streams
// from its source, then the merged tree, in a temporary file that goes with its last reader.

#include "imagefiles/imagecontents.h"

#include "common/background.h"
#include "contents/layerindexer.h"
#include "imagefiles/temporaryindex.h"

#include <QObject>

namespace Berth {

namespace {

using IndexPtr = std::shared_ptr<const IndexFile>;

// One loadContents() call: it holds itself alive through the callbacks it hands out.
struct LoadJob : std::enable_shared_from_this<LoadJob>
{
    std::shared_ptr<ContentsSource> source;
    std::shared_ptr<LayerIndexCache> cache;
    LoadContentsOptions options;
    std::function<void(Result<std::shared_ptr<LoadedContents>>)> done;
    // Where background answers come back: the caller's thread. Deleted later, never inside the
    // callback of one of its own watchers.
    std::shared_ptr<QObject> context{new QObject, [](QObject *o) {
                                         o->deleteLater();
                                     }};

    std::shared_ptr<LoadedContents> contents = std::make_shared<LoadedContents>();
    QList<int> missing;                                    // layer positions not in the cache
    std::map<int, std::unique_ptr<LayerIndexer>> indexers; // by position, while they run

    void progress(ContentsProgress::Step step, qint64 doneBytes = 0, qint64 total = 0) const
    {
        if (options.progress)
            options.progress(ContentsProgress{step, doneBytes, total});
    }

    void fail(const Error &error)
    {
        indexers.clear();
        auto cb = std::move(done);
        done = nullptr;
        if (cb)
            cb(std::unexpected(error));
    }

    bool cancelled()
    {
        if (!options.cancel.isCancelled())
            return false;
        fail(Error::make(Error::Kind::Cancelled, Berth::tr("Cancelled.")));
        return true;
    }

    void start();
    void described(ContentsImage image);
    void lookedUp(std::vector<IndexPtr> cached);
    void fetch();
    void indexed(Status fetched);
    void merge();
};

QString layerName(const ContentsImage &image, int position)
{
    return Berth::tr("Layer %1 (%2) of %3")
        .arg(position + 1)
        .arg(image.layers.at(position).blob.digest.toString().left(19), image.name);
}

void LoadJob::start()
{
    progress(ContentsProgress::Step::Describing);
    source->describe([self = shared_from_this()](Result<ContentsImage> image) {
        if (!image)
            return self->fail(image.error());
        self->described(std::move(*image));
    });
}

void LoadJob::described(ContentsImage image)
{
    if (cancelled())
        return;
    QList<Digest> diffIds;
    for (const ContentsLayer &layer : std::as_const(image.layers))
        diffIds << layer.diffId;
    contents->image = std::move(image);
    runInBackground(
        context.get(),
        [cache = cache, diffIds] {
            std::vector<IndexPtr> cached;
            for (const Digest &diffId : diffIds) {
                auto hit = diffId.isValid() ? cache->open(diffId) : std::nullopt;
                cached.push_back(hit ? std::make_shared<const IndexFile>(std::move(*hit))
                                     : IndexPtr());
            }
            return cached;
        },
        [self = shared_from_this()](std::vector<IndexPtr> cached) {
            self->lookedUp(std::move(cached));
        });
}

void LoadJob::lookedUp(std::vector<IndexPtr> cached)
{
    if (cancelled())
        return;
    contents->layers = std::move(cached);
    for (int i = 0; i < int(contents->layers.size()); ++i) {
        if (contents->layers[size_t(i)])
            ++contents->layersFromCache;
        else
            missing << i;
    }
    if (missing.isEmpty())
        return merge();
    fetch();
}

void LoadJob::fetch()
{
    qint64 total = 0;
    for (int position : std::as_const(missing)) {
        const ContentsLayer &layer = contents->image.layers.at(position);
        // Both digests are checked: the indexer computes them anyway, so a source that verified
        // its download already costs nothing more, and one that did not (an archive) is caught.
        LayerIndexer::Expected expected{layer.blob.digest, layer.diffId};
        QJsonObject meta{{QStringLiteral("image"), contents->image.name},
                         {QStringLiteral("mediaType"), layer.blob.mediaType}};
        indexers[position] = std::make_unique<LayerIndexer>(
            layerName(contents->image, position), expected, cache->pathFor(layer.diffId), meta);
        total += layer.blob.size;
    }
    progress(ContentsProgress::Step::Indexing, 0, total);
    ContentsSource::FetchOptions fetchOptions;
    fetchOptions.cancel = options.cancel;
    fetchOptions.parallel = options.parallel;
    std::weak_ptr<LoadJob> weak = weak_from_this();
    fetchOptions.progress = [weak](qint64 doneBytes, qint64 totalBytes) {
        if (auto self = weak.lock())
            self->progress(ContentsProgress::Step::Indexing, doneBytes, totalBytes);
    };
    source->fetchLayers(
        missing,
        [self = shared_from_this()](int position) -> BlobSink * {
            return self->indexers.at(position).get();
        },
        fetchOptions,
        [self = shared_from_this()](Status s) { self->indexed(s); });
}

// Each indexer waits for its thread in finish(): that waiting happens in the background.
void LoadJob::indexed(Status fetched)
{
    if (!fetched)
        return fail(fetched.error());
    if (cancelled())
        return;
    auto running
        = std::make_shared<std::map<int, std::unique_ptr<LayerIndexer>>>(std::move(indexers));
    indexers.clear();
    runInBackground(
        context.get(),
        [running,
         cache = cache,
         image = contents->image]() -> Result<std::vector<std::pair<int, IndexPtr>>> {
            std::vector<std::pair<int, IndexPtr>> made;
            for (auto &[position, indexer] : *running) {
                auto summary = indexer->finish();
                if (!summary)
                    return std::unexpected(summary.error());
                auto index = IndexFile::open(cache->pathFor(image.layers.at(position).diffId));
                if (!index)
                    return std::unexpected(index.error());
                made.emplace_back(position, std::make_shared<const IndexFile>(std::move(*index)));
            }
            return made;
        },
        [self = shared_from_this()](Result<std::vector<std::pair<int, IndexPtr>>> made) {
            if (!made)
                return self->fail(made.error());
            for (auto &[position, index] : *made) {
                self->contents->bytesDownloaded
                    += qint64(index->meta().value(QStringLiteral("blobSize")).toDouble());
                self->contents->layers[size_t(position)] = index;
            }
            self->merge();
        });
}

void LoadJob::merge()
{
    if (cancelled())
        return;
    progress(ContentsProgress::Step::Merging);
    QList<Digest> keep;
    for (const ContentsLayer &layer : std::as_const(contents->image.layers))
        keep << layer.diffId;
    TreeOptions treeOptions;
    treeOptions.cancel = options.cancel;
    runInBackground(
        context.get(),
        [layers = contents->layers, cache = cache, keep, treeOptions]()
            -> Result<std::pair<IndexPtr, ImageTreeSummary>> {
            QList<const IndexFile *> inputs;
            for (const IndexPtr &layer : layers)
                inputs << layer.get();
            auto tree = mergeToTemporary(inputs, treeOptions);
            cache->trim(keep);
            return tree;
        },
        [self = shared_from_this()](Result<std::pair<IndexPtr, ImageTreeSummary>> tree) {
            if (!tree)
                return self->fail(tree.error());
            self->contents->tree = tree->first;
            self->contents->summary = tree->second;
            auto cb = std::move(self->done);
            self->done = nullptr;
            // The answer is the caller's alone: the tree's file goes with the caller's last
            // reference, not with this job's.
            auto contents = std::exchange(self->contents, nullptr);
            if (cb)
                cb(std::move(contents));
        });
}

} // namespace

void loadContents(std::shared_ptr<ContentsSource> source,
                  std::shared_ptr<LayerIndexCache> cache,
                  LoadContentsOptions options,
                  std::function<void(Result<std::shared_ptr<LoadedContents>>)> done)
{
    auto job = std::make_shared<LoadJob>();
    job->source = std::move(source);
    job->cache = std::move(cache);
    job->options = std::move(options);
    job->done = std::move(done);
    job->start();
}

} // namespace Berth
