// `berthctl du IMAGE`: where an image's bytes go, layer by layer: what each layer added, changed
// and deleted, the bytes later layers overwrite or delete (wasted), the image's efficiency score
// (dive's) and its largest files.
#include "commands.h"
#include "contentsloading.h"
#include "terminaltext.h"

#include "common/humanize.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Berth::Cli {

namespace {

constexpr qsizetype LayerCreatedByWidth = 45;

QString shortLayerDigest(const Digest &digest)
{
    const QString text = digest.toString();
    return text.startsWith(u"sha256:") ? text.mid(7, 12) : text.left(19);
}

QString percentText(double ratio)
{
    return QLocale::c().toString(ratio * 100.0, 'f', 1) + QStringLiteral(" %");
}

// The layer's tar before compression, as its index recorded it (-1 when it did not).
qint64 uncompressedSize(const LoadedContents &contents, qsizetype layer)
{
    if (layer >= qsizetype(contents.layers.size()) || !contents.layers.at(layer))
        return -1;
    return contents.layers.at(layer)->meta().value(QStringLiteral("tarSize")).toInteger(-1);
}

QJsonObject
layerJson(const ContentsLayer &layer, const LayerStats &stats, int number, qint64 uncompressed)
{
    return QJsonObject{{QStringLiteral("number"), number},
                       {QStringLiteral("digest"), layer.blob.digest.toString()},
                       {QStringLiteral("diffId"), layer.diffId.toString()},
                       {QStringLiteral("createdBy"), layer.createdBy},
                       {QStringLiteral("compressedSize"), layer.blob.size},
                       {QStringLiteral("uncompressedSize"), uncompressed},
                       {QStringLiteral("fileBytes"), stats.fileBytes},
                       {QStringLiteral("entries"), stats.entries},
                       {QStringLiteral("added"), stats.added},
                       {QStringLiteral("changed"), stats.changed},
                       {QStringLiteral("deleted"), stats.deleted},
                       {QStringLiteral("addedBytes"), stats.addedBytes},
                       {QStringLiteral("changedBytes"), stats.changedBytes},
                       {QStringLiteral("wastedBytes"), stats.wastedBytes}};
}

QJsonObject
usageJson(const LoadedContents &contents, const QString &image, const QList<LargestFile> &largest)
{
    const ImageTreeSummary &summary = contents.summary;
    QJsonArray layers;
    for (qsizetype i = 0; i < contents.image.layers.size() && i < summary.layers.size(); ++i)
        layers.append(layerJson(contents.image.layers.at(i),
                                summary.layers.at(i),
                                int(i) + 1,
                                uncompressedSize(contents, i)));
    QJsonArray files;
    for (const LargestFile &f : largest)
        files.append(QJsonObject{{QStringLiteral("path"), shownPath(f.path)},
                                 {QStringLiteral("size"), f.size},
                                 {QStringLiteral("layer"), f.layer + 1}});
    qint64 compressed = 0;
    for (const ContentsLayer &l : contents.image.layers)
        compressed += l.blob.size;
    const QJsonObject totals{{QStringLiteral("entries"), summary.entries},
                             {QStringLiteral("compressedSize"), compressed},
                             {QStringLiteral("visibleBytes"), summary.visibleBytes},
                             {QStringLiteral("totalBytes"), summary.totalBytes},
                             {QStringLiteral("wastedBytes"), summary.wastedBytes},
                             {QStringLiteral("efficiency"), summary.efficiency()}};
    return QJsonObject{{QStringLiteral("image"), image},
                       {QStringLiteral("layers"), layers},
                       {QStringLiteral("totals"), totals},
                       {QStringLiteral("largestFiles"), files}};
}

QStringList
layerRow(const ContentsLayer &layer, const LayerStats &stats, int number, qint64 uncompressed)
{
    const QLocale c = QLocale::c();
    QString createdBy = layer.createdBy.simplified();
    if (createdBy.size() > LayerCreatedByWidth)
        createdBy = createdBy.left(LayerCreatedByWidth - 1) + u'…';
    return {QString::number(number),
            shortLayerDigest(layer.blob.digest),
            formatSize(layer.blob.size, c),
            uncompressed < 0 ? QStringLiteral("-") : formatSize(uncompressed, c),
            formatSize(stats.fileBytes, c),
            QString::number(stats.entries),
            QString::number(stats.added),
            QString::number(stats.changed),
            QString::number(stats.deleted),
            formatSize(stats.wastedBytes, c),
            createdBy};
}

void printUsage(QTextStream &out, const LoadedContents &contents, const QList<LargestFile> &largest)
{
    const ImageTreeSummary &summary = contents.summary;
    QList<QStringList> rows;
    for (qsizetype i = 0; i < contents.image.layers.size() && i < summary.layers.size(); ++i)
        rows.append(layerRow(contents.image.layers.at(i),
                             summary.layers.at(i),
                             int(i) + 1,
                             uncompressedSize(contents, i)));
    printTable(out,
               {tr("LAYER"),
                tr("DIGEST"),
                tr("COMPRESSED"),
                tr("UNCOMPRESSED"),
                tr("FILES"),
                tr("ENTRIES"),
                tr("ADDED"),
                tr("CHANGED"),
                tr("DELETED"),
                tr("WASTED"),
                tr("CREATED BY")},
               rows);
    const QLocale c = QLocale::c();
    out << '\n'
        << tr("%n path(s) visible, %1 of files; the layers carry %2, of which %3 is wasted "
              "(overwritten or deleted by a later layer).",
              nullptr,
              int(std::min<qint64>(summary.entries, INT_MAX)))
               .arg(formatSize(summary.visibleBytes, c),
                    formatSize(summary.totalBytes, c),
                    formatSize(summary.wastedBytes, c))
        << '\n'
        << tr("Efficiency: %1").arg(percentText(summary.efficiency())) << "\n\n";
    QList<QStringList> files;
    for (const LargestFile &f : largest)
        files.append({formatSize(f.size, c), QString::number(f.layer + 1), shownPath(f.path)});
    out << tr("Largest files:") << '\n';
    printTable(out, {tr("SIZE"), tr("LAYER"), tr("PATH")}, files);
}

} // namespace

int duCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Show where an image's bytes go, without pulling it: per layer its compressed size, "
           "the bytes of its files, what it added, changed and deleted and the bytes later "
           "layers overwrite or delete (wasted); the image's efficiency and its largest files."));
    parser.addPositionalArgument(
        QStringLiteral("image"),
        tr("A registry reference, a local image with --backend, or archive:FILE[:IMAGE]."));
    parser.addOption({QStringLiteral("top"),
                      tr("How many of the largest files to show (default 10)."),
                      QStringLiteral("N"),
                      QStringLiteral("10")});
    addImageOptions(parser);
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    if (parser.positionalArguments().size() != 1)
        return context.usage(tr("du takes exactly one image"));
    bool ok = false;
    const int top = parser.value(QStringLiteral("top")).toInt(&ok);
    if (!ok || top < 0)
        return context.usage(tr("--top takes a number of files from 0"));
    int exitCode = Failed;
    const QString name = parser.positionalArguments().first();
    const auto image = openImage(context, parser, name, &exitCode);
    if (!image)
        return exitCode;
    const QList<LargestFile> largest = largestFiles(*image->contents->tree, top);
    if (context.json())
        context.printJson(QJsonDocument(usageJson(*image->contents, name, largest)));
    else
        printUsage(context.out(), *image->contents, largest);
    return Success;
}

} // namespace Berth::Cli
