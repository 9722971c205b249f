#include "clicontext.h"
#include "commands.h"
#include "jsonoutput.h"

#include "common/humanize.h"
#include "registry/hubclient.h"

#include <QJsonArray>

namespace Berth::Cli {

int searchCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Search Docker Hub for images."));
    parser.addPositionalArgument(QStringLiteral("term"), tr("What to search for."));
    parser.addOption({QStringLiteral("official"), tr("Only Docker Official Images.")});
    parser.addOption({QStringLiteral("verified"), tr("Only Verified Publisher images.")});
    parser.addOption({QStringLiteral("open-source"), tr("Only Sponsored Open Source images.")});
    parser.addOption({QStringLiteral("sort"),
                      tr("Sort by 'best' (default), 'pulls' or 'updated'."),
                      QStringLiteral("order"),
                      QStringLiteral("best")});
    parser.addOption({QStringLiteral("limit"),
                      tr("At most N results (default 25, at most 100)."),
                      QStringLiteral("n"),
                      QStringLiteral("25")});
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    const QStringList terms = parser.positionalArguments();
    if (terms.size() != 1)
        return context.usage(tr("search takes exactly one search term"));

    HubSearchQuery query;
    query.text = terms.first();
    query.official = parser.isSet(QStringLiteral("official"));
    query.verifiedPublisher = parser.isSet(QStringLiteral("verified"));
    query.openSource = parser.isSet(QStringLiteral("open-source"));
    const QString sort = parser.value(QStringLiteral("sort"));
    if (sort == u"pulls")
        query.sort = HubSearchQuery::Sort::PullCount;
    else if (sort == u"updated")
        query.sort = HubSearchQuery::Sort::Updated;
    else if (sort != u"best")
        return context.usage(tr("unknown --sort '%1': use best, pulls or updated").arg(sort));
    bool ok = false;
    query.size = parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || query.size < 1 || query.size > 100)
        return context.usage(tr("--limit must be a number from 1 to 100"));

    const auto page
        = context.wait<HubSearchPage>([&](auto done) { context.hub().search(query, done); });
    if (!page)
        return context.report(page.error());

    if (context.json()) {
        QJsonArray results;
        for (const HubRepositorySummary &r : page->results)
            results.append(toJson(r));
        context.printJson(QJsonDocument(QJsonObject{{QStringLiteral("total"), page->total},
                                                    {QStringLiteral("results"), results}}));
        return Success;
    }
    const QLocale c = QLocale::c();
    QList<QStringList> rows;
    for (const HubRepositorySummary &r : page->results) {
        QString description = r.shortDescription.simplified();
        if (description.size() > 60)
            description = description.left(57) + QStringLiteral("...");
        rows.append({r.name,
                     description,
                     r.starCount < 0 ? QString() : QString::number(r.starCount), // unknown
                     r.pullCount < 0 ? QString() : formatCount(r.pullCount, c),
                     r.badge == HubBadge::None ? QString() : badgeName(r.badge)});
    }
    printTable(context.out(),
               {tr("NAME"), tr("DESCRIPTION"), tr("STARS"), tr("PULLS"), tr("BADGE")},
               rows);
    return Success;
}

} // namespace Berth::Cli
