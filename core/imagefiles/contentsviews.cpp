// Views of loaded contents made in the background: the tree as of one layer, and two images'
// differences.

#include "common/background.h"
#include "contents/treediff.h"
#include "imagefiles/imagecontents.h"
#include "imagefiles/temporaryindex.h"

#include <QObject>

namespace Berth {

namespace {

// A context on the caller's thread for one background call, deleted later (never inside the
// callback of its own watcher).
std::shared_ptr<QObject> callContext()
{
    return {new QObject, [](QObject *o) {
                o->deleteLater();
            }};
}

} // namespace

void layerView(std::shared_ptr<const LoadedContents> contents,
               int layer,
               CancelToken cancel,
               std::function<void(Result<std::shared_ptr<const IndexFile>>)> done)
{
    if (layer < 0 || layer >= int(contents->layers.size()))
        return done(fail(Error::Kind::InvalidArgument,
                         Berth::tr("%1 has no layer %2; it has %n layer(s).",
                                   nullptr,
                                   int(contents->layers.size()))
                             .arg(contents->image.name)
                             .arg(layer + 1)));
    auto context = callContext();
    runInBackground(
        context.get(),
        [contents, layer, cancel]() -> Result<std::shared_ptr<const IndexFile>> {
            QList<const IndexFile *> inputs;
            for (const auto &index : contents->layers)
                inputs << index.get();
            TreeOptions options;
            options.topLayer = layer;
            options.cancel = cancel;
            auto view = mergeToTemporary(inputs, options);
            if (!view)
                return fail(view.error());
            return view->first;
        },
        [context, done = std::move(done)](Result<std::shared_ptr<const IndexFile>> view) {
            done(std::move(view));
        });
}

void diffContents(std::shared_ptr<const LoadedContents> from,
                  std::shared_ptr<const LoadedContents> to,
                  CancelToken cancel,
                  std::function<void(Result<ContentsDiff>)> done)
{
    auto context = callContext();
    runInBackground(
        context.get(),
        [from, to, cancel]() -> Result<ContentsDiff> {
            ContentsDiff diff;
            auto tree = writeTemporaryIndex([&](const QString &path) -> Status {
                auto summary = writeDiffTree(*from->tree, *to->tree, path, cancel);
                if (!summary)
                    return fail(summary.error());
                diff.summary = *summary;
                return {};
            });
            if (!tree)
                return fail(tree.error());
            diff.tree = *tree;
            return diff;
        },
        [context, done = std::move(done)](Result<ContentsDiff> diff) { done(std::move(diff)); });
}

} // namespace Berth
