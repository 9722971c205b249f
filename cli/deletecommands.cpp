// berthctl untag and delete: removing from a registry, one tag or an image with all its tags.
#include "clicontext.h"
#include "commands.h"
#include "terminal.h"
#include "terminaltext.h"

#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registryops/registrydelete.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Berth::Cli {

namespace {

QString methodName(UntagMethod method)
{
    switch (method) {
    case UntagMethod::DeleteTag:
        return QStringLiteral("delete-tag");
    case UntagMethod::ThrowAwayManifest:
        return QStringLiteral("throw-away-manifest");
    case UntagMethod::HubTagApi:
        return QStringLiteral("hub-tag-api");
    }
    return {};
}

QString methodText(const UntagResult &result)
{
    switch (result.method) {
    case UntagMethod::DeleteTag:
        return tr("the registry deleted the tag");
    case UntagMethod::ThrowAwayManifest:
        return tr("the tag was moved to the throw-away manifest %1, which was then deleted")
            .arg(result.throwAway.toString());
    case UntagMethod::HubTagApi:
        return tr("through Docker Hub's tag API");
    }
    return {};
}

// One positional image reference; an exit code when the arguments are wrong.
std::optional<int> parseReference(Context &context,
                                  QCommandLineParser &parser,
                                  const QStringList &arguments,
                                  const QString &verb,
                                  ImageReference &reference)
{
    if (const auto exit = context.parse(parser, arguments))
        return exit;
    if (parser.positionalArguments().size() != 1)
        return context.usage(tr("%1 takes exactly one image reference").arg(verb));
    const auto parsed = ImageReference::parse(parser.positionalArguments().first());
    if (!parsed)
        return context.usage(parsed.error().message);
    reference = *parsed;
    return std::nullopt;
}

void printPlan(QTextStream &out, const DeletePlan &plan)
{
    out << tr("Deleting %1@%2 removes %n tag(s) with it:", nullptr, int(plan.tags.size()))
               .arg(terminalSafe(plan.repository.familiarRepository()), plan.digest.toString())
        << '\n';
    for (const QString &tag : plan.tags)
        out << "  " << terminalSafe(tag) << '\n';
    if (!plan.tagsComplete)
        out << tr("Some tags' digests could not be looked up; they may point at this image too "
                  "and would go with it.")
            << '\n';
    out << tr("The space comes back only after the registry's garbage collection.") << '\n';
    out.flush();
}

// Without --yes: the question on a terminal, a refusal elsewhere. An exit code to stop with.
std::optional<int> confirm(Context &context, const QCommandLineParser &parser)
{
    if (parser.isSet(QStringLiteral("yes")))
        return std::nullopt;
    if (!stdinIsTerminal())
        return context.usage(tr("delete asks for confirmation: pass --yes when there is no "
                                "terminal; nothing was deleted"));
    const QString answer = prompt(tr("Delete this image and its tags? [y/N] "), false);
    if (answer.trimmed().compare(QStringLiteral("y"), Qt::CaseInsensitive) != 0) {
        context.err() << tr("Nothing was deleted.") << Qt::endl;
        return Success;
    }
    return std::nullopt;
}

void printDeleted(Context &context, const DeletePlan &plan)
{
    if (context.json()) {
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("repository"), plan.repository.familiarRepository()},
                        {QStringLiteral("digest"), plan.digest.toString()},
                        {QStringLiteral("tags"), QJsonArray::fromStringList(plan.tags)}}));
        return;
    }
    context.out() << tr("Deleted %1@%2")
                         .arg(terminalSafe(plan.repository.familiarRepository()),
                              plan.digest.toString())
                  << '\n';
    for (const QString &tag : plan.tags)
        context.out() << tr("Untagged: %1").arg(terminalSafe(tag)) << '\n';
}

} // namespace

int untagCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Remove one tag from a registry; the image and its other tags stay."));
    parser.addPositionalArgument(QStringLiteral("image"),
                                 tr("e.g. localhost:5000/app:old, jean/mon-app:test"));
    ImageReference reference;
    if (const auto exit = parseReference(context, parser, arguments, tr("untag"), reference))
        return *exit;
    const auto result = context.wait<UntagResult>(
        [&](auto done) { untag(context.registry(), &context.hub(), reference, done); });
    if (!result)
        return context.report(result.error());
    if (context.json()) {
        context.printJson(QJsonDocument(QJsonObject{
            {QStringLiteral("tag"), reference.familiarString()},
            {QStringLiteral("method"), methodName(result->method)},
            {QStringLiteral("remaining"), QJsonArray::fromStringList(result->remaining)}}));
        return Success;
    }
    context.out()
        << tr("Untagged %1 (%2)").arg(terminalSafe(reference.familiarString()), methodText(*result))
        << '\n';
    if (!result->remaining.isEmpty())
        context.out() << tr("Still on the same image: %1")
                             .arg(terminalSafe(result->remaining.join(QStringLiteral(", "))))
                      << '\n';
    return Success;
}

int deleteCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Delete an image (a manifest) from a registry, with every tag that points at it."));
    parser.addPositionalArgument(QStringLiteral("image"),
                                 tr("a tag or a digest: localhost:5000/app:1.0, app@sha256:…"));
    parser.addOption({QStringLiteral("yes"), tr("Do not ask for confirmation.")});
    ImageReference reference;
    if (const auto exit = parseReference(context, parser, arguments, tr("delete"), reference))
        return *exit;
    const auto plan = context.wait<DeletePlan>(
        [&](auto done) { planDelete(context.registry(), &context.hub(), reference, done); });
    if (!plan)
        return context.report(plan.error());
    // The plan goes where the question goes; with --format json stdout is the answer alone.
    printPlan(context.json() ? context.err() : context.out(), *plan);
    if (const auto exit = confirm(context, parser))
        return *exit;
    const auto deleted = context.wait<void>(
        [&](auto done) { deleteImage(context.registry(), &context.hub(), *plan, done); });
    if (!deleted)
        return context.report(deleted.error());
    printDeleted(context, *plan);
    return Success;
}

} // namespace Berth::Cli
