#include "imagefiles/contentsreading.h"

#include "common/background.h"
#include "contents/layerindexer.h"

#include <QJsonObject>
#include <QObject>

namespace Berth {

namespace {

using IndexPtr = std::shared_ptr<const IndexFile>;

enum class Settled { Here, Below, Unsure };

// Whether the layers above (already searched: none holds the path) leave the path to lower
// layers untouched: every folder on the path, where they name it, is a plain folder.
bool upperLayersPassThrough(const std::vector<IndexPtr> &upper,
                            const QList<QByteArrayView> &folders,
                            QByteArrayView path)
{
    for (const IndexPtr &layer : upper) {
        if (layer->find(path) >= 0)
            return false; // a whiteout, or an entry the merge would judge
        for (QByteArrayView folder : folders) {
            const qint64 i = layer->find(folder);
            if (i < 0)
                continue;
            const IndexRecord &r = layer->record(i);
            if (ContentsEntry::Type(r.type) != ContentsEntry::Type::Directory
                || (r.flags & IndexRecord::Opaque))
                return false;
        }
    }
    return true;
}

// Where `path` stands in `layer`, given the layers above it pass it through.
Settled settle(const std::vector<IndexPtr> &upper, const IndexFile &layer, QByteArrayView path)
{
    QList<QByteArrayView> folders;
    for (QByteArrayView p = parentPath(path); !p.isEmpty(); p = parentPath(p))
        folders.prepend(p);
    if (!upperLayersPassThrough(upper, folders, path))
        return Settled::Unsure;
    const qint64 here = layer.find(path);
    if (here < 0) {
        // Not here: lower layers decide, unless a folder on the way hides them or is no folder.
        for (QByteArrayView folder : folders) {
            const qint64 i = layer.find(folder);
            if (i >= 0
                && (ContentsEntry::Type(layer.record(i).type) != ContentsEntry::Type::Directory
                    || (layer.record(i).flags & IndexRecord::Opaque)))
                return Settled::Unsure;
        }
        return Settled::Below;
    }
    // A folder the layer only implies is still a folder over whatever was below (as overlayfs
    // and the merged tree have it): only its metadata comes from below.
    for (QByteArrayView folder : folders) {
        const qint64 i = layer.find(folder);
        if (i < 0 || ContentsEntry::Type(layer.record(i).type) != ContentsEntry::Type::Directory)
            return Settled::Unsure;
    }
    return ContentsEntry::Type(layer.record(here).type) == ContentsEntry::Type::File
               ? Settled::Here
               : Settled::Unsure;
}

struct TopDownRead : std::enable_shared_from_this<TopDownRead>
{
    std::shared_ptr<ContentsSource> source;
    std::shared_ptr<LayerIndexCache> cache;
    QByteArray path;
    std::shared_ptr<ExtractTarget> target;
    ReadOptions options;
    std::function<void(Status)> done;
    std::shared_ptr<QObject> context{new QObject, [](QObject *o) {
                                         o->deleteLater();
                                     }};

    std::shared_ptr<LoadedContents> contents = std::make_shared<LoadedContents>();
    std::vector<IndexPtr> upper; // the layers above `position`, searched
    int position = -1;
    std::shared_ptr<LayerIndexer> indexer;

    void start();
    void nextLayer();
    void indexLayer();
    void judge(IndexPtr index);
    void readHere();
    void fallBack();
    void finish(Status status)
    {
        indexer.reset();
        if (auto cb = std::exchange(done, nullptr))
            cb(std::move(status));
    }
};

void TopDownRead::start()
{
    source->describe([self = shared_from_this()](Result<ContentsImage> image) {
        if (!image)
            return self->finish(fail(image.error()));
        self->contents->image = std::move(*image);
        self->contents->layers.resize(size_t(self->contents->image.layers.size()));
        self->position = int(self->contents->image.layers.size());
        self->nextLayer();
    });
}

void TopDownRead::nextLayer()
{
    if (options.cancel.isCancelled())
        return finish(fail(Error::Kind::Cancelled, Berth::tr("Cancelled.")));
    if (--position < 0)
        return fallBack(); // no layer holds it: readFile names what is missing
    const Digest diffId = contents->image.layers.at(position).diffId;
    runInBackground(
        context.get(),
        [cache = cache, diffId] {
            auto hit = diffId.isValid() ? cache->open(diffId) : std::nullopt;
            return hit ? std::make_shared<const IndexFile>(std::move(*hit)) : IndexPtr();
        },
        [self = shared_from_this()](IndexPtr hit) {
            if (hit)
                return self->judge(std::move(hit));
            self->indexLayer();
        });
}

void TopDownRead::indexLayer()
{
    const ContentsLayer &layer = contents->image.layers.at(position);
    const QString name = Berth::tr("Layer %1 (%2) of %3")
                             .arg(position + 1)
                             .arg(layer.blob.digest.toString().left(19), contents->image.name);
    const QString indexPath = cache->pathFor(layer.diffId);
    indexer = std::make_shared<LayerIndexer>(
        name,
        LayerIndexer::Expected{layer.blob.digest, layer.diffId},
        indexPath,
        QJsonObject{{QStringLiteral("image"), contents->image.name},
                    {QStringLiteral("mediaType"), layer.blob.mediaType}});
    ContentsSource::FetchOptions fetch;
    fetch.cancel = options.cancel;
    fetch.progress = options.progress;
    source->fetchLayers(
        {position},
        [indexer = indexer.get()](int) -> BlobSink * { return indexer; },
        std::move(fetch),
        [self = shared_from_this(), indexPath](Status fetched) {
            runInBackground(
                self->context.get(),
                [indexer = self->indexer, fetched, indexPath]() -> Result<IndexPtr> {
                    auto summary = indexer->finish();
                    if (!fetched)
                        return fail(fetched.error());
                    if (!summary)
                        return fail(summary.error());
                    auto index = IndexFile::open(indexPath);
                    if (!index)
                        return fail(index.error());
                    return std::make_shared<const IndexFile>(std::move(*index));
                },
                [self](Result<IndexPtr> index) {
                    self->indexer.reset();
                    if (!index)
                        return self->finish(fail(index.error()));
                    self->judge(std::move(*index));
                });
        });
}

void TopDownRead::judge(IndexPtr index)
{
    switch (settle(upper, *index, path)) {
    case Settled::Here:
        contents->layers[size_t(position)] = std::move(index);
        return readHere();
    case Settled::Below:
        upper.push_back(std::move(index));
        return nextLayer();
    case Settled::Unsure:
        return fallBack();
    }
}

// The one layer that holds the file, read as readFile reads it: a tree of that layer alone,
// its records marked as coming from it.
void TopDownRead::readHere()
{
    auto self = shared_from_this();
    readLayerFile(source, contents, position, path, target, options, [self](Status s) {
        self->finish(std::move(s));
    });
}

void TopDownRead::fallBack()
{
    LoadContentsOptions load;
    load.cancel = options.cancel;
    load.progress = [progress = options.progress](const ContentsProgress &p) {
        if (progress && p.step == ContentsProgress::Step::Indexing)
            progress(p.done, p.total);
    };
    loadContents(source,
                 cache,
                 load,
                 [self = shared_from_this()](Result<std::shared_ptr<LoadedContents>> loaded) {
                     if (!loaded)
                         return self->finish(fail(loaded.error()));
                     readFile(self->source,
                              *loaded,
                              self->path,
                              self->target,
                              self->options,
                              [self](Status s) { self->finish(std::move(s)); });
                 });
}

} // namespace

void readImageFile(std::shared_ptr<ContentsSource> source,
                   std::shared_ptr<LayerIndexCache> cache,
                   QByteArray path,
                   std::shared_ptr<ExtractTarget> target,
                   ReadOptions options,
                   std::function<void(Status)> done)
{
    auto read = std::make_shared<TopDownRead>();
    read->source = std::move(source);
    read->cache = std::move(cache);
    read->path = std::move(path);
    read->target = std::move(target);
    read->options = std::move(options);
    read->done = std::move(done);
    read->start();
}

} // namespace Berth
