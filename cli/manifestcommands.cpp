// berthctl manifest create|inspect|push|rm: multi-platform images put together from images
// already in registries, as `docker manifest` does.

#include "clicontext.h"
#include "commands.h"
#include "terminaltext.h"

#include "registry/registryclient.h"
#include "registryops/manifestlist.h"
#include "registryops/manifestliststore.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Berth::Cli {

namespace {

QJsonObject entryJson(const ManifestListEntry &entry)
{
    return {{QStringLiteral("source"), entry.source.toString()},
            {QStringLiteral("digest"), entry.descriptor.digest.toString()},
            {QStringLiteral("mediaType"), entry.descriptor.mediaType},
            {QStringLiteral("size"), entry.descriptor.size},
            {QStringLiteral("platform"), entry.descriptor.platform->toString()}};
}

QJsonObject listJson(const ManifestList &list)
{
    QJsonArray manifests;
    for (const ManifestListEntry &entry : list.entries)
        manifests.append(entryJson(entry));
    return {{QStringLiteral("target"), list.target.toString()},
            {QStringLiteral("mediaType"), list.mediaType()},
            {QStringLiteral("digest"), list.indexDigest().toString()},
            {QStringLiteral("manifests"), manifests}};
}

void printList(Context &context, const ManifestList &list)
{
    QList<QStringList> rows;
    for (const ManifestListEntry &entry : list.entries)
        rows.append({terminalSafe(entry.descriptor.platform->toString()),
                     entry.descriptor.digest.toString(),
                     terminalSafe(entry.source.repository())});
    context.out() << tr("Manifest list %1 (%2):").arg(list.target.toString(), list.mediaType())
                  << '\n';
    printTable(context.out(), {tr("PLATFORM"), tr("DIGEST"), tr("FROM")}, rows);
    context.out().flush();
}

// One target as the only positional argument.
std::optional<ImageReference>
singleTarget(Context &context, const QCommandLineParser &parser, const char *verb, int &exit)
{
    if (parser.positionalArguments().size() != 1) {
        exit = context.usage(tr("manifest %1 takes exactly one target").arg(QLatin1String(verb)));
        return std::nullopt;
    }
    auto target = manifestListTarget(parser.positionalArguments().first());
    if (!target) {
        exit = context.usage(target.error().message);
        return std::nullopt;
    }
    return *target;
}

Result<QList<ImageReference>> parseSources(const QStringList &texts)
{
    QList<ImageReference> sources;
    for (const QString &text : texts) {
        auto source = ImageReference::parse(text);
        if (!source)
            return fail(source.error());
        sources.append(*source);
    }
    return sources;
}

Result<ManifestList>
startingList(const ManifestListStore &store, const ImageReference &target, bool amend)
{
    auto existing = store.load(target);
    if (!existing)
        return fail(existing.error());
    if (*existing && !amend)
        return fail(Error::Kind::InvalidArgument,
                    tr("A manifest list for %1 exists already: add --amend to add to it, or "
                       "remove it with 'berthctl manifest rm %1'.")
                        .arg(target.toString()));
    if (*existing)
        return std::move(**existing);
    ManifestList list;
    list.target = target;
    return list;
}

int createSubcommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Put images already in registries together as one multi-platform image, kept "
           "locally until 'berthctl manifest push'. An index among the sources adds each of its "
           "platform images."));
    parser.addPositionalArgument(QStringLiteral("target"), tr("e.g. localhost:5000/app:1.0"));
    parser.addPositionalArgument(QStringLiteral("source"),
                                 tr("an image for one platform, or an "
                                    "index"),
                                 QStringLiteral("SOURCE..."));
    parser.addOption({QStringLiteral("amend"), tr("Add to the list of this target if it exists.")});
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    QStringList positional = parser.positionalArguments();
    if (positional.size() < 2)
        return context.usage(tr("manifest create takes a target and at least one source"));
    const auto target = manifestListTarget(positional.takeFirst());
    if (!target)
        return context.usage(target.error().message);
    const auto sources = parseSources(positional);
    if (!sources)
        return context.usage(sources.error().message);

    const ManifestListStore store;
    auto list = startingList(store, *target, parser.isSet(QStringLiteral("amend")));
    if (!list)
        return context.report(list.error());
    const auto entries = context.wait<QList<ManifestListEntry>>([&](auto done) {
        resolveManifestListSources(context.registry(), *sources, CancelToken(), done);
    });
    if (!entries)
        return context.report(entries.error());
    if (Status added = list->add(*entries); !added)
        return context.report(added.error());
    if (Status saved = store.save(*list); !saved)
        return context.report(saved.error());
    if (context.json())
        context.printJson(QJsonDocument(listJson(*list)));
    else
        printList(context, *list);
    return Success;
}

void printManifest(Context &context,
                   const ImageReference &reference,
                   bool local,
                   const QString &mediaType,
                   const QByteArray &body,
                   const Digest &digest)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!context.json()) {
        context.out() << terminalSafeJson(document.toJson(QJsonDocument::Indented));
        context.out().flush();
        return;
    }
    context.printJson(QJsonDocument(QJsonObject{{QStringLiteral("reference"), reference.toString()},
                                                {QStringLiteral("local"), local},
                                                {QStringLiteral("mediaType"), mediaType},
                                                {QStringLiteral("digest"), digest.toString()},
                                                {QStringLiteral("manifest"), document.object()}}));
}

int inspectSubcommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Show the manifest list being built for a target, as it would be pushed; without one, "
           "the manifest or index the registry serves."));
    parser.addPositionalArgument(QStringLiteral("target"), tr("e.g. localhost:5000/app:1.0"));
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    if (parser.positionalArguments().size() != 1)
        return context.usage(tr("manifest inspect takes exactly one image reference"));
    const auto reference = ImageReference::parse(parser.positionalArguments().first());
    if (!reference)
        return context.usage(reference.error().message);
    if (!reference->hasDigest()) {
        const auto local = ManifestListStore().load(*reference);
        if (!local)
            return context.report(local.error());
        if (*local) {
            const ManifestList &list = **local;
            printManifest(
                context, list.target, true, list.mediaType(), list.indexJson(), list.indexDigest());
            return Success;
        }
    }
    const auto remote = context.wait<ManifestResponse>(
        [&](auto done) { context.registry().fetchManifest(*reference, done); });
    if (!remote)
        return context.report(remote.error());
    printManifest(context, *reference, false, remote->mediaType, remote->body, remote->digest);
    return Success;
}

void printPushed(Context &context, const ManifestPushResult &pushed)
{
    if (!context.json()) {
        context.out() << pushed.digest.toString() << Qt::endl;
        return;
    }
    context.printJson(
        QJsonDocument(QJsonObject{{QStringLiteral("target"), pushed.target.toString()},
                                  {QStringLiteral("digest"), pushed.digest.toString()},
                                  {QStringLiteral("mediaType"), pushed.mediaType},
                                  {QStringLiteral("imagesCopied"), pushed.imagesCopied},
                                  {QStringLiteral("blobsCopied"), pushed.blobsCopied},
                                  {QStringLiteral("blobsMounted"), pushed.blobsMounted},
                                  {QStringLiteral("blobsSkipped"), pushed.blobsSkipped}}));
}

int pushSubcommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Push a manifest list: images from other repositories are copied into the target's "
           "first, then the index is written under the target's tag. Prints its digest."));
    parser.addPositionalArgument(QStringLiteral("target"), tr("e.g. localhost:5000/app:1.0"));
    parser.addOption({QStringLiteral("purge"), tr("Remove the local list once it is pushed.")});
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    int exit = Success;
    const auto target = singleTarget(context, parser, "push", exit);
    if (!target)
        return exit;
    const ManifestListStore store;
    const auto list = store.load(*target);
    if (!list)
        return context.report(list.error());
    if (!*list)
        return context.report(Error::make(Error::Kind::NotFound,
                                          tr("There is no manifest list for %1: create one with "
                                             "'berthctl manifest create'.")
                                              .arg(target->toString())));
    const auto pushed = context.wait<ManifestPushResult>([&](auto done) {
        pushManifestList(context.registry(), **list, ManifestPushOptions(), done);
    });
    if (!pushed)
        return context.report(pushed.error());
    if (parser.isSet(QStringLiteral("purge"))) {
        if (const auto removed = store.remove(*target); !removed)
            return context.report(removed.error());
    }
    printPushed(context, *pushed);
    return Success;
}

int rmSubcommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Remove manifest lists kept locally (nothing is removed "
                                        "from any registry)."));
    parser.addPositionalArgument(
        QStringLiteral("target"), tr("one or more targets"), QStringLiteral("TARGET..."));
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    if (parser.positionalArguments().isEmpty())
        return context.usage(tr("manifest rm takes at least one target"));
    const ManifestListStore store;
    int exit = Success;
    for (const QString &text : parser.positionalArguments()) {
        const auto target = manifestListTarget(text);
        const auto removed = target ? store.remove(*target) : Result<bool>(fail(target.error()));
        if (removed && *removed)
            continue;
        exit = context.report(
            removed ? Error::make(Error::Kind::NotFound,
                                  tr("There is no manifest list for %1.").arg(target->toString()))
                    : removed.error());
    }
    return exit;
}

QString subcommandOverview()
{
    return tr("Usage: berthctl manifest COMMAND [OPTIONS]\n\n"
              "Put images for several platforms together as one multi-platform image.\n\n"
              "Commands:\n"
              "  create   Create a manifest list locally from images in registries\n"
              "  inspect  Show a manifest list, local or in a registry\n"
              "  push     Push a manifest list to its registry\n"
              "  rm       Remove manifest lists kept locally\n");
}

} // namespace

int manifestCommand(Context &context, const QStringList &arguments)
{
    const QString sub = arguments.value(1);
    if (sub.isEmpty() || sub == u"--help" || sub == u"-h") {
        (sub.isEmpty() ? context.err() : context.out()) << subcommandOverview();
        return sub.isEmpty() ? UsageError : Success;
    }
    struct Subcommand
    {
        const char *name;
        int (*run)(Context &, const QStringList &);
    };
    static const Subcommand subcommands[] = {{"create", createSubcommand},
                                             {"inspect", inspectSubcommand},
                                             {"push", pushSubcommand},
                                             {"rm", rmSubcommand}};
    for (const Subcommand &s : subcommands) {
        if (sub == QLatin1String(s.name)) {
            QStringList rest = arguments.mid(2);
            rest.prepend(arguments.first() + u' ' + sub);
            return s.run(context, rest);
        }
    }
    return context.usage(tr("unknown manifest command '%1'").arg(sub));
}

} // namespace Berth::Cli
