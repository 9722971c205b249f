// ls, cat and du: an image's files, one file's bytes and where an image's space goes, read from
// its layers' indexes (made once per layer and cached) without pulling the image.
#include "commands.h"
#include "contentsloading.h"
#include "entrylisting.h"
#include "progressprinter.h"
#include "terminaltext.h"

#include "common/humanize.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cerrno>
#include <unistd.h>

namespace Berth::Cli {

namespace {

QString imageHelp()
{
    return tr("A registry reference (node:22, 127.0.0.1:5000/app@sha256:…), a local image with "
              "--backend, or archive:FILE[:IMAGE] for a saved archive.");
}

// --layer N (1-based, as the GUI numbers layers): 0-based, or -1 when not given.
std::optional<int> layerOption(Context &context, const QCommandLineParser &parser, int *exitCode)
{
    if (!parser.isSet(QStringLiteral("layer")))
        return -1;
    bool ok = false;
    const int layer = parser.value(QStringLiteral("layer")).toInt(&ok);
    if (!ok || layer < 1) {
        *exitCode = context.usage(tr("--layer takes a layer number from 1"));
        return std::nullopt;
    }
    return layer - 1;
}

Result<std::shared_ptr<const IndexFile>>
treeFor(Context &context, const std::shared_ptr<const LoadedContents> &contents, int layer)
{
    if (layer < 0)
        return contents->tree;
    const int layers = int(contents->layers.size());
    if (layer >= layers)
        return fail(Error::Kind::InvalidArgument,
                    tr("--layer %1: the image has %n layer(s)", nullptr, layers).arg(layer + 1));
    return context.wait<std::shared_ptr<const IndexFile>>(
        [&](auto done) { layerView(contents, layer, CancelToken(), done); });
}

// The rows of a listing: PATH itself when it is not a directory; else its children, or its
// whole subtree (--recursive, and always with --layer: a layer's changes are mostly deep). With
// `layer` >= 0, only what that layer added, changed or deleted.
void listRecords(
    const IndexFile &tree, qint64 record, bool subtree, int layer, EntryListing &listing)
{
    auto showRecord = [&](qint64 i) {
        // A layer's view keeps what lower layers changed too: only its own changes are shown.
        const IndexRecord &r = tree.record(i);
        if (layer < 0 || (r.layer == layer && r.change != quint8(ContentsEntry::Change::None)))
            listing.add(tree.entry(i));
    };
    if (record >= 0 && tree.record(record).type != quint8(ContentsEntry::Type::Directory)) {
        showRecord(record);
        return;
    }
    if (!subtree) {
        for (const qint64 child : tree.children(record))
            showRecord(child);
        return;
    }
    const qint64 end = record < 0 ? tree.count() : qint64(tree.record(record).subtreeEnd);
    for (qint64 i = record + 1; i < end; ++i)
        showRecord(i);
}

// Writes all of `data` to standard output, binary as it is. A closed pipe (`| head`) ends the
// copy quietly, as cat's does.
Status writeStdout(QByteArrayView data)
{
    while (!data.isEmpty()) {
        const ssize_t n = ::write(STDOUT_FILENO, data.data(), size_t(data.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EPIPE)
            return fail(Error::Kind::Cancelled, tr("the output was closed"));
        if (n < 0)
            return fail(Error::Kind::Io,
                        tr("Cannot write to standard output: %1")
                            .arg(QString::fromLocal8Bit(strerror(errno))));
        data = data.sliced(n);
    }
    return {};
}

} // namespace

int lsCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("List the files of an image without pulling it: the directory PATH (default /), its "
           "whole subtree with --recursive, or what one layer added (A), changed (C) and deleted "
           "(D) with --layer N. Names that are not UTF-8 or hold control characters are shown "
           "with \\xNN escapes, which PATH accepts back."));
    parser.addPositionalArgument(QStringLiteral("image"), imageHelp());
    parser.addPositionalArgument(
        QStringLiteral("path"), tr("A path inside the image."), tr("[PATH]"));
    parser.addOption(
        {{QStringLiteral("R"), QStringLiteral("recursive")}, tr("List the whole subtree.")});
    parser.addOption({QStringLiteral("layer"),
                      tr("Show what layer N (1 = the bottom one) added, changed and deleted."),
                      QStringLiteral("N")});
    addImageOptions(parser);
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    const QStringList args = parser.positionalArguments();
    if (args.isEmpty() || args.size() > 2)
        return context.usage(tr("ls takes an image and at most one path"));
    const auto path = parseImagePath(args.size() > 1 ? args.at(1) : QStringLiteral("/"));
    if (!path)
        return context.usage(path.error().message);
    int exitCode = Failed;
    const auto layer = layerOption(context, parser, &exitCode);
    if (!layer)
        return exitCode;
    const auto image = openImage(context, parser, args.first(), &exitCode);
    if (!image)
        return exitCode;
    const auto tree = treeFor(context, image->contents, *layer);
    if (!tree)
        return context.report(tree.error());
    const auto record = findPath(**tree, path->path, path->trailingSlash);
    if (!record)
        return context.report(record.error());
    EntryListing listing(context.out(), context.json(), *layer >= 0);
    QJsonObject header{{QStringLiteral("image"), args.first()},
                       {QStringLiteral("path"), shownPath(path->path)}};
    if (*layer >= 0)
        header.insert(QStringLiteral("layer"), *layer + 1);
    listing.begin(header);
    listRecords(
        **tree, *record, parser.isSet(QStringLiteral("recursive")) || *layer >= 0, *layer, listing);
    listing.finish();
    return Success;
}

int catCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Write a file of an image to standard output, byte for byte, reading only the layer "
           "that holds it (and only up to the file). Symbolic links are followed inside the "
           "image."));
    parser.addPositionalArgument(QStringLiteral("image"), imageHelp());
    parser.addPositionalArgument(QStringLiteral("path"), tr("The file inside the image."));
    addImageOptions(parser);
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    const QStringList args = parser.positionalArguments();
    if (args.size() != 2)
        return context.usage(tr("cat takes an image and a path"));
    const auto path = parseImagePath(args.at(1));
    if (!path)
        return context.usage(path.error().message);
    int exitCode = Failed;
    const auto image = openImage(context, parser, args.first(), &exitCode);
    if (!image)
        return exitCode;
    ProgressPrinter printer(context.err());
    const auto target = std::shared_ptr<ExtractTarget>(streamTarget(writeStdout));
    const auto read = context.wait<void>([&](auto done) {
        readFile(image->source,
                 image->contents,
                 path->path,
                 target,
                 readOptions(printer, tr("Reading")),
                 done);
    });
    printer.finish();
    if (!read)
        return context.report(read.error());
    return Success;
}

} // namespace Berth::Cli
