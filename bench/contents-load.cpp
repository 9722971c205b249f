// The in-process time of a look inside an image, without berthctl's process start and output
// (docs/PERFORMANCE.md, "Looking inside images"):
//
//   contents-load REGISTRY/REPO:TAG --cache DIR [--runs 3]
//
// Each run calls loadContents (describe: manifest and configuration from the registry; each
// layer's index from the cache DIR, or indexed while it streams; the merged tree) and then reads
// every entry of the merged tree once, as a listing does. The first run finds the cache as it is
// (the bench runs it after a listing, so warm). Prints one Markdown table row on stdout (median
// load and walk times), each run on stderr; exit 0 when every run loaded the image.
#include "common/result.h"
#include "contents/indexfile.h"
#include "contents/layerindexcache.h"
#include "imagefiles/contentssource.h"
#include "imagefiles/imagecontents.h"
#include "reference/imagereference.h"
#include "registry/registryclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace Berth;

namespace {

struct RunTimes
{
    double loadMs = 0;
    double walkMs = 0;
    qint64 entries = 0;
    int layersFromCache = 0;
    qint64 bytesDownloaded = 0;
};

Result<std::shared_ptr<LoadedContents>> loadOnce(RegistryClient &client,
                                                 const ImageReference &reference,
                                                 const std::shared_ptr<LayerIndexCache> &cache)
{
    std::shared_ptr<ContentsSource> source = registryContentsSource(client, reference);
    std::optional<Result<std::shared_ptr<LoadedContents>>> answer;
    QEventLoop loop;
    loadContents(source, cache, {}, [&](Result<std::shared_ptr<LoadedContents>> result) {
        answer = std::move(result);
        loop.quit();
    });
    if (!answer)
        loop.exec();
    return std::move(*answer);
}

// Every entry decoded once: what a listing costs besides formatting its rows.
qint64 walk(const IndexFile &tree)
{
    qint64 bytes = 0;
    for (qint64 i = 0; i < tree.count(); ++i)
        bytes += tree.entry(i).size;
    return bytes;
}

Result<RunTimes> measure(RegistryClient &client,
                         const ImageReference &reference,
                         const std::shared_ptr<LayerIndexCache> &cache)
{
    QElapsedTimer timer;
    timer.start();
    auto loaded = loadOnce(client, reference, cache);
    if (!loaded)
        return fail(loaded.error());
    RunTimes times;
    times.loadMs = double(timer.nsecsElapsed()) / 1e6;
    timer.restart();
    walk(*(*loaded)->tree);
    times.walkMs = double(timer.nsecsElapsed()) / 1e6;
    times.entries = (*loaded)->tree->count();
    times.layersFromCache = (*loaded)->layersFromCache;
    times.bytesDownloaded = (*loaded)->bytesDownloaded;
    return times;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("image"), QStringLiteral("REGISTRY/REPO:TAG"));
    parser.addOption(
        {QStringLiteral("cache"), QStringLiteral("The layer-index cache."), QStringLiteral("dir")});
    parser.addOption({QStringLiteral("runs"),
                      QStringLiteral("Runs."),
                      QStringLiteral("n"),
                      QStringLiteral("3")});
    parser.addHelpOption();
    parser.process(app);
    const auto reference = ImageReference::parse(parser.positionalArguments().value(0));
    if (!reference || !parser.isSet(QStringLiteral("cache"))) {
        std::fprintf(stderr, "usage: contents-load REGISTRY/REPO:TAG --cache DIR [--runs N]\n");
        return 2;
    }
    QNetworkAccessManager network;
    RegistryClient client(&network);
    auto cache = std::make_shared<LayerIndexCache>(parser.value(QStringLiteral("cache")));
    std::vector<double> loads, walks;
    qint64 entries = 0;
    for (int run = 0; run < parser.value(QStringLiteral("runs")).toInt(); ++run) {
        const auto times = measure(client, *reference, cache);
        if (!times) {
            std::fprintf(stderr, "contents-load: %s\n", qPrintable(times.error().message));
            return 1;
        }
        std::fprintf(stderr,
                     "contents-load: run %d: load %.1f ms (%d layers from the cache, %lld bytes "
                     "downloaded), walk %.1f ms, %lld entries\n",
                     run,
                     times->loadMs,
                     times->layersFromCache,
                     qlonglong(times->bytesDownloaded),
                     times->walkMs,
                     qlonglong(times->entries));
        loads.push_back(times->loadMs);
        walks.push_back(times->walkMs);
        entries = times->entries;
    }
    if (loads.empty())
        return 2;
    std::printf("| %s | %lld | %.1f | %.1f–%.1f | %.1f |\n",
                qPrintable(reference->toString()),
                qlonglong(entries),
                median(loads),
                *std::min_element(loads.begin(), loads.end()),
                *std::max_element(loads.begin(), loads.end()),
                median(walks));
    return 0;
}
