// save, load, export, import: `docker image save -o`, `docker load -i` / `<`, `docker container
// export -o` / `>` and `docker image import FILE|URL|-`, as the Docker course Berth's first users
// follow uses them, on every backend.
#include "backendcommand.h"
#include "commands.h"
#include "progressprinter.h"
#include "terminal.h"
#include "terminaltext.h"

#include "archive/archivelayout.h"
#include "archive/archivetypes.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <unistd.h>

namespace Berth::Cli {

namespace {

// Archive progress as one "total" line of the usual printer.
std::function<void(const ArchiveProgress &)> printerFor(ProgressPrinter &printer,
                                                        const QString &label)
{
    return [&printer, label](const ArchiveProgress &p) {
        TransferProgress t;
        t.state = TransferProgress::State::Transferring;
        t.current = p.current;
        t.total = p.total;
        t.message = label;
        printer.update(t);
    };
}

// docker's own words when the archive would go to a terminal.
bool refuseTerminalOutput(Context &context, const QString &option)
{
    if (!::isatty(STDOUT_FILENO))
        return false;
    context.usage(tr("Refusing to write an archive to a terminal: use %1 FILE or redirect the "
                     "output.")
                      .arg(option));
    return true;
}

QCommandLineOption outputOption()
{
    return {{QStringLiteral("o"), QStringLiteral("output")},
            tr("Write to a file instead of standard output."),
            QStringLiteral("file")};
}

} // namespace

int saveCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Save one or more images to a tar archive (Docker and OCI layouts in one), streamed to "
           "standard output by default. Compression follows --compress, else the file name "
           "(.tar.gz, .tgz, .tar.zst, .tar.xz)."));
    parser.addPositionalArgument(
        QStringLiteral("image"), tr("Images, by name or ID."), tr("IMAGE…"));
    parser.addOption(outputOption());
    parser.addOption({QStringLiteral("compress"),
                      tr("Compression: none, gzip, zstd, xz or bzip2."),
                      QStringLiteral("algorithm")});
    const Prepared p
        = prepare(context, parser, arguments, 1, -1, tr("save takes at least one image"));
    if (p.exitCode >= 0)
        return p.exitCode;
    const QString file = parser.value(QStringLiteral("output"));
    if (file.isEmpty() && refuseTerminalOutput(context, QStringLiteral("-o")))
        return UsageError;
    SaveOptions options;
    if (parser.isSet(QStringLiteral("compress"))) {
        auto compression = compressionFromName(parser.value(QStringLiteral("compress")));
        if (!compression)
            return context.usage(compression.error().message);
        options.compression = *compression;
    } else if (!file.isEmpty()) {
        options.compression = compressionForFileName(file);
    }
    ProgressPrinter printer(context.err());
    options.progress = printerFor(printer, tr("Saving"));
    const ArchiveTarget target
        = file.isEmpty() ? ArchiveTarget::standardOutput() : ArchiveTarget::file(file);
    const auto result = context.wait<SaveResult>(
        [&](auto done) { p.backend->save(parser.positionalArguments(), target, options, done); });
    printer.finish();
    if (!result)
        return context.report(result.error());
    if (context.json() && !file.isEmpty())
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("images"), QJsonArray::fromStringList(result->images)},
                        {QStringLiteral("file"), QFileInfo(file).absoluteFilePath()},
                        {QStringLiteral("compression"), compressionName(options.compression)},
                        {QStringLiteral("bytes"), result->bytesWritten}}));
    return Success;
}

int loadCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Load images from a tar archive (docker save, podman save, skopeo; plain, gzip, bzip2, "
           "xz or zstd), from standard input by default."));
    parser.addOption({{QStringLiteral("i"), QStringLiteral("input")},
                      tr("Read from a file instead of standard input."),
                      QStringLiteral("file")});
    parser.addOption({{QStringLiteral("q"), QStringLiteral("quiet")}, tr("Print no progress.")});
    const Prepared p = prepare(context, parser, arguments, 0, 0, tr("load takes no arguments"));
    if (p.exitCode >= 0)
        return p.exitCode;
    const QString file = parser.value(QStringLiteral("input"));
    if (file.isEmpty() && stdinIsTerminal())
        return context.usage(
            tr("Nothing to load: give an archive with -i FILE or on standard input."));
    LoadOptions options;
    ProgressPrinter printer(context.err());
    if (!parser.isSet(QStringLiteral("quiet")))
        options.progress = printerFor(printer, tr("Loading"));
    const ArchiveSource source
        = file.isEmpty() ? ArchiveSource::standardInput() : ArchiveSource::file(file);
    const auto result
        = context.wait<LoadResult>([&](auto done) { p.backend->load(source, options, done); });
    printer.finish();
    if (!result) {
        const int code = context.report(result.error());
        // A `docker export` tar given to load: say which verb takes it.
        if (isFilesystemArchiveError(result.error()) && !context.json())
            context.err() << tr("To make an image of it, run: berthctl import %1 "
                                "[REPOSITORY[:TAG]]")
                                 .arg(file.isEmpty() ? QStringLiteral("-") : terminalSafe(file))
                          << Qt::endl;
        return code;
    }
    if (context.json()) {
        QJsonArray ids;
        for (const Digest &d : result->untagged)
            ids.append(d.toString());
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("loaded"), QJsonArray::fromStringList(result->loadedTags)},
                        {QStringLiteral("untagged"), ids},
                        {QStringLiteral("format"), result->format},
                        {QStringLiteral("blobsWritten"), result->blobsWritten},
                        {QStringLiteral("blobsSkipped"), result->blobsSkipped}}));
        return Success;
    }
    for (const QString &tag : result->loadedTags)
        context.out() << tr("Loaded image: %1").arg(terminalSafe(tag)) << '\n';
    for (const Digest &id : result->untagged)
        context.out() << tr("Loaded image ID: %1").arg(id.toString()) << '\n';
    if (result->loadedTags.isEmpty() && result->untagged.isEmpty())
        context.out() << tr("The archive holds no image.") << '\n';
    return Success;
}

int exportCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Export a container's filesystem as a tar archive, or an image's flattened filesystem "
           "(what docker create + docker export would give), to standard output by default."));
    parser.addPositionalArgument(
        QStringLiteral("container"), tr("A container, or an image."), tr("CONTAINER|IMAGE"));
    parser.addOption(outputOption());
    parser.addOption({QStringLiteral("platform"),
                      tr("Platform of a multi-platform image (os/arch[/variant])."),
                      QStringLiteral("platform")});
    const Prepared p
        = prepare(context, parser, arguments, 1, 1, tr("export takes exactly one container"));
    if (p.exitCode >= 0)
        return p.exitCode;
    const QString file = parser.value(QStringLiteral("output"));
    if (file.isEmpty() && refuseTerminalOutput(context, QStringLiteral("-o")))
        return UsageError;
    ExportOptions options;
    if (parser.isSet(QStringLiteral("platform"))) {
        const auto platform = Platform::parse(parser.value(QStringLiteral("platform")));
        if (!platform)
            return context.usage(platform.error().message);
        options.platform = *platform;
    }
    ProgressPrinter printer(context.err());
    options.progress = printerFor(printer, tr("Exporting"));
    const ArchiveTarget target
        = file.isEmpty() ? ArchiveTarget::standardOutput() : ArchiveTarget::file(file);
    const auto result = context.wait<ExportResult>([&](auto done) {
        p.backend->exportFilesystem(parser.positionalArguments().first(), target, options, done);
    });
    printer.finish();
    if (!result)
        return context.report(result.error());
    if (context.json() && !file.isEmpty())
        context.printJson(
            QJsonDocument(QJsonObject{{QStringLiteral("file"), QFileInfo(file).absoluteFilePath()},
                                      {QStringLiteral("entries"), result->entries},
                                      {QStringLiteral("bytes"), result->bytesWritten}}));
    return Success;
}

namespace {

// Import's source: "-" (standard input, never a terminal), an http(s) URL, or a file.
std::optional<ArchiveSource> importSourceOf(Context &context, const QString &what, int *exitCode)
{
    if (what == QLatin1String("-")) {
        if (!stdinIsTerminal())
            return ArchiveSource::standardInput();
        *exitCode = context.usage(tr("Nothing to import: pipe a tar archive to standard input."));
        return std::nullopt;
    }
    if (what.startsWith(QLatin1String("http://"), Qt::CaseInsensitive)
        || what.startsWith(QLatin1String("https://"), Qt::CaseInsensitive)) {
        const QUrl url(what, QUrl::StrictMode);
        if (url.isValid())
            return ArchiveSource::fromUrl(url);
        *exitCode = context.usage(tr("'%1' is not a valid URL: %2").arg(what, url.errorString()));
        return std::nullopt;
    }
    return ArchiveSource::file(what);
}

} // namespace

int importCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Import a filesystem tar (a file, an http(s) URL, or - for standard input; compressed "
           "or not) as a one-layer image."));
    parser.addPositionalArgument(QStringLiteral("source"), tr("FILE, URL or -"));
    parser.addPositionalArgument(QStringLiteral("repository"),
                                 tr("Name the image (untagged otherwise)."),
                                 tr("[REPOSITORY[:TAG]]"));
    parser.addOption({{QStringLiteral("c"), QStringLiteral("change")},
                      tr("Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, "
                         "ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR, HEALTHCHECK (repeatable)."),
                      QStringLiteral("instruction")});
    parser.addOption({{QStringLiteral("m"), QStringLiteral("message")},
                      tr("A commit message for the image's history."),
                      QStringLiteral("message")});
    parser.addOption({QStringLiteral("platform"),
                      tr("The image's platform (os/arch[/variant]); default: this machine's."),
                      QStringLiteral("platform")});
    const Prepared p = prepare(context,
                               parser,
                               arguments,
                               1,
                               2,
                               tr("import takes a file, URL or -, and optionally a name"));
    if (p.exitCode >= 0)
        return p.exitCode;
    const QStringList positional = parser.positionalArguments();
    int exitCode = Success;
    const auto source = importSourceOf(context, positional.first(), &exitCode);
    if (!source)
        return exitCode;
    ImportOptions options;
    if (positional.size() > 1) {
        const auto reference = parseReference(context, positional.at(1), &exitCode);
        if (!reference)
            return exitCode;
        if (reference->hasDigest())
            return context.usage(
                tr("Import names an image by tag, not by digest: '%1'.").arg(positional.at(1)));
        options.reference = *reference;
    }
    options.changes = parser.values(QStringLiteral("change"));
    options.message = parser.value(QStringLiteral("message"));
    if (parser.isSet(QStringLiteral("platform"))) {
        const auto platform = Platform::parse(parser.value(QStringLiteral("platform")));
        if (!platform)
            return context.usage(platform.error().message);
        options.platform = *platform;
    }
    ProgressPrinter printer(context.err());
    options.progress = printerFor(printer, tr("Importing"));
    const auto result = context.wait<ImportResult>(
        [&](auto done) { p.backend->importFilesystem(*source, options, done); });
    printer.finish();
    if (!result)
        return context.report(result.error());
    if (context.json()) {
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("id"), result->imageId.toString()},
                        {QStringLiteral("reference"),
                         result->reference ? result->reference->familiarString() : QString()},
                        {QStringLiteral("layerSize"), result->layerSize}}));
        return Success;
    }
    context.out() << result->imageId.toString() << '\n';
    return Success;
}

} // namespace Berth::Cli
