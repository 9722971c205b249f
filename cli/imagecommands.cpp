#include "backendcommand.h"
#include "clicontext.h"
#include "commands.h"
#include "formattemplate.h"
#include "jsonoutput.h"
#include "progressprinter.h"
#include "registriesconfnotes.h"
#include "terminal.h"
#include "terminaltext.h"

#include "common/humanize.h"
#include "network/networkpolicy.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"
#include "store/enginebackend.h"
#include "store/engineproxy.h"
#include "store/imagebackend.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Berth::Cli {

namespace {

// Pulls the image the user typed: the name itself, or each name registries.conf's short-name
// rules give in turn until one is found (podman's permissive mode), saying which on stderr.
// A Docker engine pulls by itself, with its own proxy settings: one line when its route to the
// registry is not the one Berth would take (Podman's /info does not report its proxy).
void noteEngineRoute(Context &context, ImageBackend *backend, const ImageReference &reference)
{
    auto *engine = dynamic_cast<EngineBackend *>(backend);
    if (!engine || engine->info().flavour != EngineInfo::Flavour::Docker)
        return;
    const auto proxy
        = context.wait<EngineProxy>([&](auto done) { fetchEngineProxy(engine->client(), done); });
    if (!proxy)
        return;
    const QString note
        = engineRouteDifference(*proxy, currentNetworkPolicy()->proxy, reference.registryHost());
    if (!note.isEmpty())
        context.err() << note << Qt::endl;
}

Result<PullResult> pullFirstFound(Context &context,
                                  ImageBackend &backend,
                                  const QString &typed,
                                  const PullOptions &options)
{
    const QStringList names = namesToTry(typed);
    std::optional<Error> failure;
    for (const QString &name : names) {
        const auto reference = ImageReference::parse(name);
        if (!reference)
            return fail(reference.error());
        if (failure)
            context.err() << tr("%1; trying %2.").arg(failure->message, name) << '\n';
        noteEngineRoute(context, &backend, *reference);
        const auto result
            = context.wait<PullResult>([&](auto done) { backend.pull(*reference, options, done); });
        if (result) {
            if (const QString note = shortNameNote(typed, name); !note.isEmpty())
                context.err() << note << '\n';
            return result;
        }
        if (result.error().kind == Error::Kind::Cancelled)
            return result;
        failure = result.error();
    }
    return fail(*failure);
}

// `berthctl images`' rows, docker's: one per tag (REPOSITORY, TAG, IMAGE ID, CREATED, SIZE), an
// untagged image once as <none> <none>.
QList<QStringList> imageRows(const QList<LocalImage> &images)
{
    const QLocale c = QLocale::c();
    QList<QStringList> rows;
    for (const LocalImage &image : images) {
        const QStringList tags = image.repoTags.isEmpty()
                                     ? QStringList{QStringLiteral("<none>:<none>")}
                                     : image.repoTags;
        for (const QString &tag : tags) {
            const qsizetype colon = tag.lastIndexOf(u':');
            const bool hasTag = colon > tag.lastIndexOf(u'/');
            rows.append({hasTag ? tag.left(colon) : tag,
                         hasTag ? tag.mid(colon + 1) : QStringLiteral("<none>"),
                         image.id.shortId(),
                         formatAge(image.created),
                         formatSize(image.size, c)});
        }
    }
    return rows;
}

// The fields of --format '{{.Repository}}:{{.Tag}}', named as docker names them.
QStringList imageRowFields()
{
    return {QStringLiteral("Repository"),
            QStringLiteral("Tag"),
            QStringLiteral("ID"),
            QStringLiteral("CreatedSince"),
            QStringLiteral("Size")};
}

QHash<QString, QString> imageRowValues(const QStringList &row)
{
    const QStringList names = imageRowFields();
    QHash<QString, QString> values;
    for (qsizetype i = 0; i < names.size() && i < row.size(); ++i)
        values.insert(names.at(i), row.at(i));
    return values;
}

} // namespace

int imagesCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("List local images; tags sharing an image ID are one image."));
    parser.addOption({{QStringLiteral("q"), QStringLiteral("quiet")}, tr("Only show image IDs.")});
    context.acceptFormatTemplates();
    const Prepared p = prepare(context, parser, arguments, 0, 0, tr("images takes no arguments"));
    if (p.exitCode >= 0)
        return p.exitCode;
    const QString format = context.formatTemplate();
    if (!format.isEmpty()) {
        if (Status valid = checkFormatTemplate(format, imageRowFields()); !valid)
            return context.usage(valid.error().message);
    }
    const auto images
        = context.wait<QList<LocalImage>>([&](auto done) { p.backend->listImages(done); });
    if (!images)
        return context.report(images.error());
    if (context.json()) {
        QJsonArray array;
        for (const LocalImage &image : *images)
            array.append(QJsonObject{
                {QStringLiteral("id"), image.id.toString()},
                {QStringLiteral("repoTags"), QJsonArray::fromStringList(image.repoTags)},
                {QStringLiteral("repoDigests"), QJsonArray::fromStringList(image.repoDigests)},
                {QStringLiteral("created"), iso(image.created)},
                {QStringLiteral("size"), image.size},
                {QStringLiteral("platform"), image.platform.toString()}});
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("backend"), ImageBackend::kindName(p.backend->kind())},
                        {QStringLiteral("images"), array}}));
        return Success;
    }
    const QList<QStringList> rows = imageRows(*images);
    if (parser.isSet(QStringLiteral("quiet"))) {
        for (const QStringList &row : rows)
            context.out() << row.at(2) << '\n';
    } else if (!format.isEmpty()) {
        for (const QStringList &row : rows)
            context.out() << terminalSafe(*expandFormatTemplate(format, imageRowValues(row)))
                          << '\n';
    } else {
        printTable(context.out(),
                   {tr("REPOSITORY"), tr("TAG"), tr("IMAGE ID"), tr("CREATED"), tr("SIZE")},
                   rows);
    }
    return Success;
}

int pullCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Pull an image from a registry. Layers already present are not downloaded again."));
    parser.addPositionalArgument(QStringLiteral("image"),
                                 tr("e.g. node:15, localhost:5000/team/app:1.0"));
    parser.addOption({QStringLiteral("platform"),
                      tr("Platform to pull from a multi-platform image (os/arch[/variant])."),
                      QStringLiteral("platform")});
    parser.addOption({{QStringLiteral("a"), QStringLiteral("all-platforms")},
                      tr("Pull every platform of a multi-platform image.")});
    const Prepared p
        = prepare(context, parser, arguments, 1, 1, tr("pull takes exactly one image"));
    if (p.exitCode >= 0)
        return p.exitCode;
    PullOptions options;
    options.allPlatforms = parser.isSet(QStringLiteral("all-platforms"));
    if (parser.isSet(QStringLiteral("platform"))) {
        const auto platform = Platform::parse(parser.value(QStringLiteral("platform")));
        if (!platform)
            return context.usage(platform.error().message);
        options.platform = *platform;
    }
    ProgressPrinter printer(context.err());
    options.progress = [&printer](const TransferProgress &progress) {
        printer.update(progress);
    };
    // The embedded pull shows which mirror served it as a "Source" line of its progress: the
    // context's own line would say it twice (and break a live display).
    QObject::disconnect(
        &context.registry(), &RegistryClient::pullSourceReport, &context.registry(), nullptr);
    const auto result
        = pullFirstFound(context, *p.backend, parser.positionalArguments().first(), options);
    printer.finish();
    if (!result)
        return result.error().kind == Error::Kind::InvalidArgument
                   ? context.usage(result.error().message)
                   : context.report(result.error());
    if (context.json()) {
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("reference"), result->reference.toString()},
                        {QStringLiteral("digest"), result->digest.toString()},
                        {QStringLiteral("imageId"), result->imageId.toString()},
                        {QStringLiteral("layersTransferred"), result->layersTransferred},
                        {QStringLiteral("layersSkipped"), result->layersSkipped},
                        {QStringLiteral("bytesTransferred"), result->bytesTransferred},
                        {QStringLiteral("bytesSkipped"), result->bytesSkipped}}));
        return Success;
    }
    context.out() << tr("Digest: %1").arg(result->digest.toString()) << '\n';
    context.out()
        << (result->layersTransferred == 0
                ? tr("Status: Image is up to date for %1").arg(result->reference.familiarString())
                : tr("Status: Downloaded newer image for %1")
                      .arg(result->reference.familiarString()))
        << '\n'
        << result->reference.toString() << '\n';
    return Success;
}

int pushCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Push a local image to its registry. Tag it first to choose the "
           "destination (berthctl tag mon-app jean/mon-app:1.0.0)."));
    parser.addPositionalArgument(QStringLiteral("image"), tr("e.g. jean/mon-app:1.0.0"));
    const Prepared p
        = prepare(context, parser, arguments, 1, 1, tr("push takes exactly one image"));
    if (p.exitCode >= 0)
        return p.exitCode;
    int exitCode = Success;
    const auto reference = parseReference(context, parser.positionalArguments().first(), &exitCode);
    if (!reference)
        return exitCode;
    PushOptions options;
    ProgressPrinter printer(context.err());
    options.progress = [&printer](const TransferProgress &progress) {
        printer.update(progress);
    };
    const auto result
        = context.wait<PushResult>([&](auto done) { p.backend->push(*reference, options, done); });
    printer.finish();
    if (!result)
        return context.report(result.error());
    if (context.json()) {
        context.printJson(
            QJsonDocument(QJsonObject{{QStringLiteral("reference"), reference->toString()},
                                      {QStringLiteral("digest"), result->digest.toString()},
                                      {QStringLiteral("blobsUploaded"), result->blobsUploaded},
                                      {QStringLiteral("blobsSkipped"), result->blobsSkipped},
                                      {QStringLiteral("blobsMounted"), result->blobsMounted},
                                      {QStringLiteral("bytesUploaded"), result->bytesUploaded}}));
        return Success;
    }
    context.out()
        << tr("%1: digest: %2").arg(reference->familiarString(), result->digest.toString()) << '\n';
    return Success;
}

int tagCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Give a local image another name (repository:tag)."));
    parser.addPositionalArgument(QStringLiteral("source"), tr("Image name or ID."));
    parser.addPositionalArgument(QStringLiteral("target"), tr("New name, e.g. jean/mon-app:1.0.0"));
    const Prepared p = prepare(
        context, parser, arguments, 2, 2, tr("tag takes a source image and a target name"));
    if (p.exitCode >= 0)
        return p.exitCode;
    int exitCode = Success;
    const auto target = parseReference(context, parser.positionalArguments().at(1), &exitCode);
    if (!target)
        return exitCode;
    const QString source = parser.positionalArguments().at(0);
    const auto result
        = context.wait<void>([&](auto done) { p.backend->tag(source, *target, done); });
    if (!result)
        return context.report(result.error());
    return Success;
}

int rmiCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Remove local images: untag them, and delete an image when its last tag goes."));
    parser.addPositionalArgument(
        QStringLiteral("image"), tr("Image names or IDs."), QStringLiteral("image…"));
    parser.addOption({{QStringLiteral("f"), QStringLiteral("force")},
                      tr("Remove an image ID even when several tags share it.")});
    const Prepared p
        = prepare(context, parser, arguments, 1, -1, tr("rmi takes at least one image"));
    if (p.exitCode >= 0)
        return p.exitCode;
    int status = Success;
    QJsonArray results;
    for (const QString &name : parser.positionalArguments()) {
        const auto removed = context.wait<RemoveResult>([&](auto done) {
            p.backend->remove(name, parser.isSet(QStringLiteral("force")), done);
        });
        if (!removed) {
            status = context.report(removed.error());
            continue;
        }
        if (context.json()) {
            results.append(QJsonObject{
                {QStringLiteral("image"), name},
                {QStringLiteral("untagged"), QJsonArray::fromStringList(removed->untagged)},
                {QStringLiteral("deleted"), QJsonArray::fromStringList(removed->deleted)}});
            continue;
        }
        for (const QString &t : removed->untagged)
            context.out() << tr("Untagged: %1").arg(terminalSafe(t)) << '\n';
        for (const QString &d : removed->deleted)
            context.out() << tr("Deleted: %1").arg(terminalSafe(d)) << '\n';
    }
    if (context.json())
        context.printJson(QJsonDocument(QJsonObject{{QStringLiteral("removed"), results}}));
    context.out().flush();
    return status;
}

int pruneCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Remove unused images: untagged ones, or with --all every image "
           "(docker system prune -a)."));
    parser.addOption({{QStringLiteral("a"), QStringLiteral("all")},
                      tr("Remove every image, not only untagged ones.")});
    parser.addOption(
        {{QStringLiteral("f"), QStringLiteral("force")}, tr("Do not ask for confirmation.")});
    const Prepared p = prepare(context, parser, arguments, 0, 0, tr("prune takes no arguments"));
    if (p.exitCode >= 0)
        return p.exitCode;
    PruneOptions options;
    options.all = parser.isSet(QStringLiteral("all"));
    if (!parser.isSet(QStringLiteral("force"))) {
        if (!stdinIsTerminal())
            return context.usage(
                tr("prune asks for confirmation: use --force when there is no terminal"));
        const QString answer = prompt(
            options.all
                ? tr("This will remove all images. Are you sure you want to continue? [y/N] ")
                : tr("This will remove all dangling images. Are you sure you want to continue? "
                     "[y/N] "),
            false);
        if (answer.trimmed().compare(QStringLiteral("y"), Qt::CaseInsensitive) != 0)
            return Success;
    }
    const auto result
        = context.wait<PruneResult>([&](auto done) { p.backend->prune(options, done); });
    if (!result)
        return context.report(result.error());
    if (context.json()) {
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("removed"), QJsonArray::fromStringList(result->removed)},
                        {QStringLiteral("reclaimedBytes"), result->reclaimedBytes}}));
        return Success;
    }
    if (!result->removed.isEmpty()) {
        context.out() << tr("Deleted Images:") << '\n';
        for (const QString &r : result->removed)
            context.out() << terminalSafe(r) << '\n';
    }
    context.out()
        << tr("Total reclaimed space: %1").arg(formatSize(result->reclaimedBytes, QLocale::c()))
        << '\n';
    return Success;
}

int fsckCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Verify the embedded image store: every blob against its digest, "
           "every tag's manifest, config and layers present."));
    parser.addOption({QStringLiteral("repair"), tr("Also remove every leftover temporary file.")});
    QStringList withBackend = arguments;
    if (!arguments.contains(QStringLiteral("--backend"))
        && !arguments.join(u' ').contains(u"--backend="))
        withBackend << QStringLiteral("--backend") << QStringLiteral("embedded");
    const Prepared p = prepare(context, parser, withBackend, 0, 0, tr("fsck takes no arguments"));
    if (p.exitCode >= 0)
        return p.exitCode;
    auto *embedded = qobject_cast<EmbeddedBackend *>(p.backend);
    if (!embedded)
        return context.usage(
            tr("fsck checks Berth's embedded store; the %1 engine checks its own storage")
                .arg(ImageBackend::kindName(p.backend->kind())));
    FsckOptions options;
    options.repair = parser.isSet(QStringLiteral("repair"));
    const auto report = context.wait<FsckReport>(
        [&](auto done) { embedded->fsck(options, CancelToken(), done); });
    if (!report)
        return context.report(report.error());
    if (context.json()) {
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("clean"), report->isClean()},
                        {QStringLiteral("blobsChecked"), report->blobsChecked},
                        {QStringLiteral("entriesChecked"), report->entriesChecked},
                        {QStringLiteral("problems"), QJsonArray::fromStringList(report->problems)},
                        {QStringLiteral("removedTempFiles"),
                         QJsonArray::fromStringList(report->removedTempFiles)}}));
    } else {
        for (const QString &problem : report->problems)
            context.out() << terminalSafe(problem) << '\n';
        context.out() << tr("%1 blobs and %2 images checked: %3")
                             .arg(report->blobsChecked)
                             .arg(report->entriesChecked)
                             .arg(report->isClean()
                                      ? tr("the store is consistent")
                                      : tr("%n problem(s)", nullptr, int(report->problems.size())))
                      << '\n';
        context.out().flush();
    }
    return report->isClean() ? Success : Failed;
}

} // namespace Berth::Cli
