// `berthctl outdated`: which local images' tags now point at something else in their registry.

#include "backendcommand.h"
#include "clicontext.h"
#include "commands.h"

#include "registryops/updatecheck.h"
#include "store/imagebackend.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Berth::Cli {

namespace {

QJsonValue digestValue(const Digest &digest)
{
    return digest.isValid() ? QJsonValue(digest.toString()) : QJsonValue(QJsonValue::Null);
}

void printStatusesJson(Context &context, const QList<UpdateStatus> &statuses)
{
    QJsonArray array;
    for (const UpdateStatus &s : statuses) {
        QJsonObject row{{QStringLiteral("reference"), s.name},
                        {QStringLiteral("local"), digestValue(s.local)},
                        {QStringLiteral("remote"), digestValue(s.remote)},
                        {QStringLiteral("status"), updateStateName(s.state)}};
        if (!s.message.isEmpty())
            row.insert(QStringLiteral("message"), s.message);
        array.append(row);
    }
    context.printJson(QJsonDocument(array));
}

void printStatusesTable(Context &context, const QList<UpdateStatus> &statuses)
{
    const QString none = QStringLiteral("<none>");
    QList<QStringList> rows;
    for (const UpdateStatus &s : statuses) {
        QString state = updateStateText(s.state);
        if (s.state == UpdateState::Failed)
            state = tr("%1: %2").arg(state, s.message);
        rows.append({s.name,
                     s.local.isValid() ? s.local.toString() : none,
                     s.remote.isValid() ? s.remote.toString() : none,
                     state});
    }
    printTable(context.out(),
               {tr("REFERENCE"), tr("LOCAL DIGEST"), tr("REMOTE DIGEST"), tr("STATUS")},
               rows);
}

} // namespace

int outdatedCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Compare each tagged local image with its tag in the registry (a HEAD request, which "
           "Docker Hub does not count as a pull). Images built, imported or loaded here are "
           "listed as local only. The exit status is 0 whether or not images are outdated."));
    const Prepared p = prepare(context, parser, arguments, 0, 0, tr("outdated takes no arguments"));
    if (p.exitCode >= 0)
        return p.exitCode;
    const auto images
        = context.wait<QList<LocalImage>>([&](auto done) { p.backend->listImages(done); });
    if (!images)
        return context.report(images.error());
    const auto statuses = context.wait<QList<UpdateStatus>>([&](auto done) {
        checkForUpdates(context.registry(), updateCheckTargets(*images), {}, done);
    });
    if (!statuses)
        return context.report(statuses.error());
    if (context.json())
        printStatusesJson(context, *statuses);
    else
        printStatusesTable(context, *statuses);
    return Success;
}

} // namespace Berth::Cli
