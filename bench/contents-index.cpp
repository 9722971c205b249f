// The layer indexer's own speed, without a registry or a process start (docs/PERFORMANCE.md,
// "Looking inside images"):
//
//   contents-index BLOB [--runs 3] [--no-content-digests]
//
// Each run feeds the layer blob BLOB (gzip, zstd or plain, as stored) from a file in 1 MiB writes
// into a LayerIndexer writing a fresh index to a temporary directory, and times it from the
// first write to finish(). --no-content-digests leaves out each regular file's sha256, to show
// what those cost. Prints one Markdown table row on stdout (median seconds, MB/s of blob and of
// tar, entries), each run on stderr; exit 0 when every run indexed the layer.
#include "common/result.h"
#include "contents/layerindexer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Berth;

namespace {

struct Run
{
    double seconds = 0;
    LayerIndexSummary summary;
};

Result<Run> indexOnce(const QString &blobPath, bool contentDigests)
{
    QTemporaryDir dir;
    QFile blob(blobPath);
    if (!dir.isValid() || !blob.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io,
                    QStringLiteral("Cannot read %1 or make a temporary folder.").arg(blobPath));
    QElapsedTimer timer;
    timer.start();
    LayerIndexer indexer(QFileInfo(blobPath).fileName(), {}, dir.filePath(QStringLiteral("index")));
    indexer.setHashContents(contentDigests);
    QByteArray chunk(1 << 20, Qt::Uninitialized);
    for (qint64 n; (n = blob.read(chunk.data(), chunk.size())) > 0;) {
        if (const auto written = indexer.write(QByteArrayView(chunk.constData(), n)); !written)
            return fail(written.error());
    }
    auto summary = indexer.finish();
    if (!summary)
        return fail(summary.error());
    return Run{double(timer.nsecsElapsed()) / 1e9, *summary};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype runsAt = args.indexOf(QStringLiteral("--runs"));
    const int runs = runsAt > 0 && runsAt + 1 < args.size() ? args.at(runsAt + 1).toInt() : 3;
    const bool contentDigests = !args.contains(QStringLiteral("--no-content-digests"));
    if (args.size() < 2 || args.at(1).startsWith(u'-') || runs < 1) {
        std::fprintf(stderr, "usage: contents-index BLOB [--runs N] [--no-content-digests]\n");
        return 2;
    }
    std::vector<double> seconds;
    LayerIndexSummary summary;
    for (int run = 0; run < runs; ++run) {
        const auto indexed = indexOnce(args.at(1), contentDigests);
        if (!indexed) {
            std::fprintf(stderr, "contents-index: %s\n", qPrintable(indexed.error().message));
            return 1;
        }
        std::fprintf(stderr,
                     "contents-index: run %d: %.3f s, %lld entries\n",
                     run,
                     indexed->seconds,
                     qlonglong(indexed->summary.entries));
        seconds.push_back(indexed->seconds);
        summary = indexed->summary;
    }
    std::sort(seconds.begin(), seconds.end());
    const double median = seconds[seconds.size() / 2];
    std::printf("| LayerIndexer in process%s | %.3f | %.3f–%.3f | %.0f | %.0f | %lld |\n",
                contentDigests ? "" : ", no per-file sha256",
                median,
                seconds.front(),
                seconds.back(),
                double(summary.blobSize) / median / 1e6,
                double(summary.tarSize) / median / 1e6,
                qlonglong(summary.entries));
    return 0;
}
