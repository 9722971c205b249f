// berthctl copy: an image from one repository to another, on one registry or two, without the
// local store (core/registryops/registrycopy.h). Not to be confused with `cp` (copycommand.cpp),
// which copies files out of an image.

#include "backendcommand.h"
#include "clicontext.h"
#include "commands.h"
#include "progressprinter.h"

#include "common/humanize.h"
#include "registry/registryclient.h"
#include "registryops/registrycopy.h"

#include <QJsonObject>

namespace Berth::Cli {

namespace {

QJsonObject copyJson(const CopyResult &result)
{
    return QJsonObject{{QStringLiteral("destination"), result.destination.toString()},
                       {QStringLiteral("digest"), result.digest.toString()},
                       {QStringLiteral("mediaType"), result.mediaType},
                       {QStringLiteral("manifests"), result.manifests},
                       {QStringLiteral("blobsCopied"), result.blobsCopied},
                       {QStringLiteral("blobsMounted"), result.blobsMounted},
                       {QStringLiteral("blobsSkipped"), result.blobsSkipped},
                       {QStringLiteral("bytesCopied"), result.bytesCopied}};
}

void printSummary(Context &context, const CopyResult &result)
{
    // One line of counts, each its own phrase so that every count gets its plural form.
    const QStringList counts{tr("%n blob(s) copied (%1)", nullptr, result.blobsCopied)
                                 .arg(formatSize(result.bytesCopied)),
                             tr("%n mounted", nullptr, result.blobsMounted),
                             tr("%n already there", nullptr, result.blobsSkipped),
                             tr("%n manifest(s) written", nullptr, result.manifests)};
    context.out() << counts.join(QStringLiteral(", ")) << '\n'
                  << tr("Digest: %1").arg(result.digest.toString()) << '\n'
                  << result.destination.toString() << '\n';
}

// --all-platforms, --platform P or neither; a usage exit code when both or a bad platform.
std::optional<int>
readPlatformOptions(Context &context, const QCommandLineParser &parser, CopyOptions &options)
{
    options.allPlatforms = parser.isSet(QStringLiteral("all-platforms"));
    if (!parser.isSet(QStringLiteral("platform")))
        return std::nullopt;
    if (options.allPlatforms)
        return context.usage(tr("--all-platforms and --platform exclude each other"));
    const auto platform = Platform::parse(parser.value(QStringLiteral("platform")));
    if (!platform)
        return context.usage(platform.error().message);
    options.platform = *platform;
    return std::nullopt;
}

} // namespace

int copyImageCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Copy an image from one registry or repository to another, blob by blob, without "
           "storing it locally. Digests stay the same; blobs the destination has are skipped, "
           "blobs on the same registry are mounted."));
    parser.addPositionalArgument(QStringLiteral("source"),
                                 tr("e.g. docker.io/library/alpine:3.20"));
    parser.addPositionalArgument(QStringLiteral("destination"),
                                 tr("e.g. localhost:5000/mirror/alpine:3.20"));
    parser.addOption({{QStringLiteral("a"), QStringLiteral("all-platforms")},
                      tr("Copy every platform of a multi-platform image, and its index.")});
    parser.addOption({QStringLiteral("platform"),
                      tr("Platform to copy from a multi-platform image (os/arch[/variant]; "
                         "default: this machine's)."),
                      QStringLiteral("platform")});
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    if (parser.positionalArguments().size() != 2)
        return context.usage(tr("copy takes a source and a destination image"));
    int exitCode = Success;
    const auto source = parseReference(context, parser.positionalArguments().at(0), &exitCode);
    if (!source)
        return exitCode;
    const auto destination = parseReference(context, parser.positionalArguments().at(1), &exitCode);
    if (!destination)
        return exitCode;
    CopyOptions options;
    if (const auto exit = readPlatformOptions(context, parser, options))
        return *exit;
    ProgressPrinter printer(context.err());
    options.progress = [&printer](const TransferProgress &p) {
        printer.update(p);
    };
    const auto result = context.wait<CopyResult>(
        [&](auto done) { copyImage(context.registry(), *source, *destination, options, done); });
    printer.finish();
    if (!result)
        return context.report(result.error());
    if (context.json())
        context.printJson(QJsonDocument(copyJson(*result)));
    else
        printSummary(context, *result);
    return Success;
}

} // namespace Berth::Cli
