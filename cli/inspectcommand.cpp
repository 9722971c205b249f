#include "clicontext.h"
#include "commands.h"
#include "jsonoutput.h"
#include "registriesconfnotes.h"
#include "terminaltext.h"

#include "common/humanize.h"
#include "registry/imageinspector.h"

namespace Berth::Cli {

namespace {

void printImage(QTextStream &out, const InspectedImage &image)
{
    const QLocale c = QLocale::c();
    const ImageConfig &config = image.config;
    out << tr("Platform:        %1").arg(terminalSafe(image.platform.toString())) << '\n'
        << tr("Manifest:        %1 (%2)")
               .arg(image.manifestDigest.toString(), terminalSafe(image.manifestMediaType))
        << '\n'
        << tr("Config:          %1").arg(image.configDigest.toString()) << '\n'
        << tr("Created:         %1").arg(config.created.toUTC().toString(Qt::ISODate)) << '\n'
        << tr("Size:            %1").arg(formatSize(image.manifest.layersSize(), c)) << '\n';
    if (!config.entrypoint.isEmpty())
        out << tr("Entrypoint:      %1").arg(terminalSafe(config.entrypoint.join(u' '))) << '\n';
    if (!config.cmd.isEmpty())
        out << tr("Cmd:             %1").arg(terminalSafe(config.cmd.join(u' '))) << '\n';
    if (!config.workingDir.isEmpty())
        out << tr("WorkingDir:      %1").arg(terminalSafe(config.workingDir)) << '\n';
    if (!config.user.isEmpty())
        out << tr("User:            %1").arg(terminalSafe(config.user)) << '\n';
    for (const QString &env : config.env)
        out << tr("Env:             %1").arg(terminalSafe(env)) << '\n';
    for (auto it = config.labels.cbegin(); it != config.labels.cend(); ++it)
        out << tr("Label:           %1=%2").arg(terminalSafe(it.key()), terminalSafe(it.value()))
            << '\n';
    out << tr("Layers:") << '\n';
    for (const Descriptor &layer : image.manifest.layers)
        out << "  " << layer.digest.toString() << "  " << formatSize(layer.size, c) << '\n';
    out << tr("History:") << '\n';
    // A step can span lines (a RUN with a heredoc): its next lines are indented further, so
    // nothing the image says can pass for a line of this listing.
    for (const QString &step : config.reconstructedDockerfile()) {
        const QStringList lines = terminalSafeLines(step);
        for (qsizetype i = 0; i < lines.size(); ++i)
            out << (i == 0 ? "  " : "      ") << lines.at(i) << '\n';
    }
}

} // namespace

int inspectCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Show an image in a registry: media type, digest, platforms, "
           "layers, configuration and build history."));
    parser.addPositionalArgument(QStringLiteral("image"),
                                 tr("e.g. node:15, localhost:5000/app@sha256:…"));
    parser.addOption({QStringLiteral("platform"),
                      tr("Platform to show from a multi-platform image (os/arch[/variant])."),
                      QStringLiteral("platform")});
    parser.addOption(
        {QStringLiteral("all-platforms"), tr("Show every platform of a multi-platform image.")});
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    if (parser.positionalArguments().size() != 1)
        return context.usage(tr("inspect takes exactly one image reference"));
    const QString typed = parser.positionalArguments().first();
    const QString name = namesToTry(typed).first();
    const auto reference = ImageReference::parse(name);
    if (!reference)
        return context.usage(reference.error().message);
    if (const QString note = shortNameNote(typed, name); !note.isEmpty())
        context.err() << note << '\n';
    InspectOptions options;
    options.allPlatforms = parser.isSet(QStringLiteral("all-platforms"));
    if (parser.isSet(QStringLiteral("platform"))) {
        const auto platform = Platform::parse(parser.value(QStringLiteral("platform")));
        if (!platform)
            return context.usage(platform.error().message);
        options.platform = *platform;
    }

    const auto result = context.wait<InspectResult>(
        [&](auto done) { inspectImage(context.registry(), *reference, options, done); });
    if (!result)
        return context.report(result.error());
    if (context.json()) {
        context.printJson(QJsonDocument(toJson(*result)));
        return Success;
    }
    QTextStream &out = context.out();
    out << tr("Name:            %1").arg(result->reference.toString()) << '\n'
        << tr("Digest:          %1").arg(result->digest.toString()) << '\n'
        << tr("MediaType:       %1").arg(terminalSafe(result->mediaType)) << '\n';
    if (!result->index.isEmpty()) {
        out << tr("Manifests:") << '\n';
        for (const Descriptor &d : result->index) {
            const QString platform
                = d.platform ? terminalSafe(d.platform->toString()) : tr("(no platform)");
            out << "  " << platform.leftJustified(20) << ' ' << d.digest.toString() << '\n';
        }
    }
    for (const InspectedImage &image : result->images) {
        out << '\n';
        printImage(out, image);
    }
    out.flush();
    return Success;
}

} // namespace Berth::Cli
