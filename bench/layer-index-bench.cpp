// Times the layer indexer over a layer blob on disk: the blob read in 1 MiB pieces and fed as a
// download would be, the index written beside a temporary folder. Compare with `gzip -dc FILE >
// /dev/null` (inflating alone) and `gzip -dc FILE | tar -t > /dev/null` (listing).
//
//   layer-index-bench FILE [--no-content-hash] [--index OUT] [--run-limit ENTRIES]
//
// Prints the wall time, MB/s of the blob and of its tar, the entries and the peak RSS.

#include "contents/indexfile.h"
#include "contents/layerindexer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

#include <sys/resource.h>

using namespace Berth;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool hash = !args.removeAll(QStringLiteral("--no-content-hash"));
    QTemporaryDir scratch;
    QString out = scratch.filePath(QStringLiteral("layer.idx"));
    if (const qsizetype i = args.indexOf(QStringLiteral("--index"));
        i >= 0 && i + 1 < args.size()) {
        out = args.at(i + 1);
        args.remove(i, 2);
    }
    qsizetype runLimit = IndexWriter::DefaultRunLimit;
    if (const qsizetype i = args.indexOf(QStringLiteral("--run-limit"));
        i >= 0 && i + 1 < args.size()) {
        runLimit = args.at(i + 1).toLongLong();
        args.remove(i, 2);
    }
    if (args.size() != 1) {
        std::fprintf(stderr,
                     "usage: layer-index-bench FILE [--no-content-hash] [--index OUT] "
                     "[--run-limit ENTRIES]\n");
        return 2;
    }
    QFile blob(args.first());
    if (!blob.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(args.first()));
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    LayerIndexer indexer(QStringLiteral("the layer"), {}, out);
    indexer.setHashContents(hash);
    indexer.setRunLimit(runLimit);
    QByteArray piece(1 << 20, Qt::Uninitialized);
    for (qint64 n = 0; (n = blob.read(piece.data(), piece.size())) > 0;) {
        if (Status s = indexer.write(QByteArrayView(piece.constData(), n)); !s) {
            std::fprintf(stderr, "%s\n", qPrintable(s.error().message));
            return 1;
        }
    }
    auto summary = indexer.finish();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (!summary) {
        std::fprintf(stderr, "%s\n", qPrintable(summary.error().message));
        return 1;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%s: %.2f s, blob %.0f MB/s, tar %.0f MB/s, %lld entries, %s, content hash %s, "
                "peak RSS %ld MB\n",
                qPrintable(summary->compression),
                seconds,
                double(summary->blobSize) / 1e6 / seconds,
                double(summary->tarSize) / 1e6 / seconds,
                qlonglong(summary->entries),
                qPrintable(summary->diffId.toString()),
                hash ? "on" : "off",
                usage.ru_maxrss / 1024);
    return 0;
}
