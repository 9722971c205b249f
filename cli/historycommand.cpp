// `berthctl history IMAGE`: an image's build steps, newest first, as `docker history` prints
// them, for every backend (ImageBackend::history, the call the GUI's History tab reads too).

#include "backendcommand.h"
#include "clicontext.h"
#include "commands.h"
#include "terminaltext.h"

#include "common/humanize.h"
#include "store/imagebackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Berth::Cli {

namespace {

// docker history cuts CREATED BY at 45 characters.
constexpr qsizetype CreatedByWidth = 45;

QString truncated(const QString &text, qsizetype width)
{
    return text.size() <= width ? text : text.left(width - 1) + u'…';
}

QJsonObject toJson(const ImageHistoryRow &row)
{
    return QJsonObject{
        {QStringLiteral("id"), row.id},
        {QStringLiteral("created"),
         row.created.isValid() ? row.created.toUTC().toString(Qt::ISODate) : QString()},
        {QStringLiteral("createdBy"), row.createdBy},
        {QStringLiteral("tags"), QJsonArray::fromStringList(row.tags)},
        {QStringLiteral("size"), row.size},
        {QStringLiteral("comment"), row.comment},
        {QStringLiteral("emptyLayer"), row.emptyLayer}};
}

QStringList tableRow(const ImageHistoryRow &row, bool noTrunc)
{
    const QLocale c = QLocale::c();
    QString id = row.id;
    if (!noTrunc && id.startsWith(u"sha256:"))
        id = id.mid(7, 12);
    const QString createdBy = row.createdBy.simplified();
    return {id,
            row.created.isValid() ? formatAge(row.created) : QStringLiteral("N/A"),
            noTrunc ? createdBy : truncated(createdBy, CreatedByWidth),
            formatSize(row.size, c),
            row.comment.simplified()};
}

} // namespace

int historyCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Show how a local image was built: its steps, newest first, with the size each "
           "added."));
    parser.addPositionalArgument(QStringLiteral("image"), tr("e.g. node:15, or an image ID"));
    parser.addOption(
        {QStringLiteral("no-trunc"), tr("Show whole image IDs and whole build steps.")});
    const Prepared p
        = prepare(context, parser, arguments, 1, 1, tr("history takes exactly one image"));
    if (p.exitCode >= 0)
        return p.exitCode;
    const QString image = parser.positionalArguments().first();
    const auto rows
        = context.wait<QList<ImageHistoryRow>>([&](auto done) { p.backend->history(image, done); });
    if (!rows)
        return context.report(rows.error());
    if (context.json()) {
        QJsonArray array;
        for (const ImageHistoryRow &row : *rows)
            array.append(toJson(row));
        context.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("backend"), ImageBackend::kindName(p.backend->kind())},
                        {QStringLiteral("image"), image},
                        {QStringLiteral("history"), array}}));
        return Success;
    }
    const bool noTrunc = parser.isSet(QStringLiteral("no-trunc"));
    QList<QStringList> table;
    for (const ImageHistoryRow &row : *rows)
        table.append(tableRow(row, noTrunc));
    printTable(context.out(),
               {tr("IMAGE"), tr("CREATED"), tr("CREATED BY"), tr("SIZE"), tr("COMMENT")},
               table);
    return Success;
}

} // namespace Berth::Cli
