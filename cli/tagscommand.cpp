#include "clicontext.h"
#include "commands.h"
#include "jsonoutput.h"

#include "common/humanize.h"
#include "reference/imagereference.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registry/registrytags.h"

#include <QJsonArray>

namespace Berth::Cli {

namespace {

// The Hub's answer gets the grammar check a registry's tag list gets in listRegistryTags().
int dropInvalidTagNames(QList<TagInfo> &tags)
{
    const qsizetype before = tags.size();
    tags.removeIf([](const TagInfo &t) { return !ImageReference::isValidTag(t.name); });
    return int(before - tags.size());
}

// Digest look-ups of a large repository take a while: a line now and then on stderr, none for a
// small one.
constexpr int ProgressEvery = 250;

std::function<void(int, int)> lookupProgress(Context &context)
{
    if (context.json())
        return {};
    return [&context](int done, int total) {
        if (total < ProgressEvery || (done % ProgressEvery != 0 && done != total))
            return;
        context.err() << tr("Looked up the digests of %1 of %2 tags…").arg(done).arg(total)
                      << Qt::endl;
    };
}

void noteUnknownDigests(Context &context, const QList<TagGroup> &groups)
{
    if (context.json() || groups.isEmpty() || !groups.constLast().digestUnknown)
        return;
    const int count = int(groups.constLast().tags.size());
    context.err() << tr("Berth looked up the digests of the first %1 tags only: the other %n "
                        "tag(s) are listed together, under the digest \"unknown\".",
                        nullptr,
                        count)
                         .arg(MaxDigestLookups)
                  << Qt::endl;
}

} // namespace

int tagsCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("List a repository's tags, grouped by the image (digest) they share."));
    parser.addPositionalArgument(QStringLiteral("repository"),
                                 tr("e.g. node, jean/mon-app, localhost:5000/team/app"));
    parser.addOption(
        {QStringLiteral("registry-api"),
         tr("On Docker Hub, read tags through the registry API instead of the Hub's.")});
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    if (parser.positionalArguments().size() != 1)
        return context.usage(tr("tags takes exactly one repository"));
    const auto repository = ImageReference::parseRepository(parser.positionalArguments().first());
    if (!repository)
        return context.usage(repository.error().message);

    // Docker Hub's API is docker.io too: a registries.conf that blocks it blocks that path.
    if (const Status allowed = context.registry().checkNotBlocked(*repository); !allowed)
        return context.report(allowed.error());
    Result<QList<TagInfo>> tags;
    int invalidNames = 0;
    if (repository->isDockerHub() && !parser.isSet(QStringLiteral("registry-api"))) {
        const QString ns = repository->path().section(u'/', 0, 0);
        const QString name = repository->path().section(u'/', 1);
        tags = context.wait<QList<TagInfo>>([&](auto done) { context.hub().tags(ns, name, done); });
        if (tags)
            invalidNames = dropInvalidTagNames(*tags);
    } else {
        tags = context.wait<QList<TagInfo>>([&](auto done) {
            listRegistryTags(
                context.registry(), *repository, done, lookupProgress(context), [&](int count) {
                    invalidNames = count;
                });
        });
    }
    if (!tags)
        return context.report(tags.error());
    // Left out rather than failing: the valid tags stay usable, and docker could pull none of
    // these anyway.
    if (invalidNames > 0)
        context.err() << tr("Warning: %1 listed %n name(s) that are not valid tags; they are not "
                            "shown.",
                            nullptr,
                            invalidNames)
                             .arg(repository->domain())
                      << Qt::endl;
    const QList<TagGroup> groups = groupTagsByDigest(*tags);
    noteUnknownDigests(context, groups);

    if (context.json()) {
        QJsonArray array;
        for (const TagGroup &g : groups)
            array.append(toJson(g));
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("repository"), repository->familiarRepository()},
                        {QStringLiteral("tagCount"), qint64(tags->size())},
                        {QStringLiteral("groups"), array}}));
        return Success;
    }
    const QLocale c = QLocale::c();
    QList<QStringList> rows;
    for (const TagGroup &g : groups) {
        QStringList platforms;
        for (const Platform &p : g.platforms())
            platforms.append(p.toString());
        rows.append(
            {g.digestUnknown      ? tr("unknown")
             : g.digest.isValid() ? g.digest.toString().left(19)
                                  : QStringLiteral("-"),
             g.tags.join(QStringLiteral(", ")),
             platforms.join(QStringLiteral(", ")),
             g.size > 0 ? formatSize(g.size, c) : QString(),
             g.lastPushed.isValid() ? g.lastPushed.toUTC().toString(Qt::ISODate) : QString()});
    }
    printTable(
        context.out(), {tr("DIGEST"), tr("TAGS"), tr("PLATFORMS"), tr("SIZE"), tr("PUSHED")}, rows);
    return Success;
}

} // namespace Berth::Cli
