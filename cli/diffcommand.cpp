// `berthctl diff IMAGE1 IMAGE2`: two images compared file by file, as `docker diff` names the
// changes (A added, C changed, D deleted), with sizes; then the configuration settings that
// differ, as the Compare view shows them.
#include "commands.h"
#include "contentsloading.h"
#include "terminaltext.h"

#include "common/humanize.h"
#include "contents/treediff.h"
#include "registry/imagecomparison.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Berth::Cli {

namespace {

constexpr int DiffKindWidth = 4;
constexpr int DiffSizeWidth = 9;

QByteArray compactDiff(const QJsonValue &value)
{
    const QJsonDocument doc
        = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return terminalSafeJson(doc.toJson(QJsonDocument::Compact));
}

QJsonValue sizeJson(qint64 size)
{
    return size < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(size);
}

QJsonObject changeJson(const FileChange &change)
{
    return QJsonObject{{QStringLiteral("path"), shownPath(change.path)},
                       {QStringLiteral("kind"), change.kindLetter()},
                       {QStringLiteral("type"), ContentsEntry::typeName(change.type)},
                       {QStringLiteral("oldSize"), sizeJson(change.oldSize)},
                       {QStringLiteral("newSize"), sizeJson(change.newSize)},
                       {QStringLiteral("oldMode"), qint64(change.oldMode)},
                       {QStringLiteral("newMode"), qint64(change.newMode)},
                       {QStringLiteral("contentChanged"), change.contentChanged}};
}

QString sizeText(qint64 size, ContentsEntry::Type type)
{
    if (size < 0 || type != ContentsEntry::Type::File)
        return QStringLiteral("-");
    return formatSize(size, QLocale::c());
}

QString changeRow(const FileChange &change)
{
    return change.kindLetter().leftJustified(DiffKindWidth)
           + sizeText(change.oldSize, change.type).rightJustified(DiffSizeWidth) + u' '
           + sizeText(change.newSize, change.type).rightJustified(DiffSizeWidth) + u' '
           + shownPath(change.path);
}

QJsonValue optionalJson(const std::optional<QString> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

// The settings that differ, one row per differing entry (an Env variable, a label, Cmd).
QList<std::pair<QString, ConfigEntry>> configDifferences(const ImageConfig &first,
                                                         const ImageConfig &second)
{
    QList<std::pair<QString, ConfigEntry>> rows;
    for (const ConfigFieldComparison &field : compareConfigs(first, second)) {
        for (const ConfigEntry &entry : field.entries) {
            if (entry.differs())
                rows.append({field.field, entry});
        }
    }
    return rows;
}

QJsonArray configJson(const QList<std::pair<QString, ConfigEntry>> &rows)
{
    QJsonArray array;
    for (const auto &[field, entry] : rows)
        array.append(QJsonObject{{QStringLiteral("field"), field},
                                 {QStringLiteral("key"), entry.key},
                                 {QStringLiteral("first"), optionalJson(entry.first)},
                                 {QStringLiteral("second"), optionalJson(entry.second)}});
    return array;
}

void printConfig(QTextStream &out, const QList<std::pair<QString, ConfigEntry>> &rows)
{
    out << '\n' << tr("Configuration:") << '\n';
    if (rows.isEmpty()) {
        out << tr("  (the same)") << '\n';
        return;
    }
    QList<QStringList> table;
    for (const auto &[field, entry] : rows)
        table.append({field,
                      entry.key,
                      entry.first.value_or(QStringLiteral("-")),
                      entry.second.value_or(QStringLiteral("-"))});
    printTable(out, {tr("FIELD"), tr("KEY"), tr("FIRST"), tr("SECOND")}, table);
}

QJsonObject summaryJson(const DiffSummary &s, qsizetype configDifferences)
{
    return QJsonObject{{QStringLiteral("added"), s.added},
                       {QStringLiteral("changed"), s.changed},
                       {QStringLiteral("deleted"), s.deleted},
                       {QStringLiteral("addedBytes"), s.addedBytes},
                       {QStringLiteral("changedBytes"), s.changedBytes},
                       {QStringLiteral("deletedBytes"), s.deletedBytes},
                       {QStringLiteral("configDifferences"), qint64(configDifferences)}};
}

QString summaryText(const DiffSummary &s)
{
    const QLocale c = QLocale::c();
    return tr("%1 added (%2), %3 changed, %4 deleted (%5)")
        .arg(QString::number(s.added),
             formatSize(s.addedBytes, c),
             QString::number(s.changed),
             QString::number(s.deleted),
             formatSize(s.deletedBytes, c));
}

// The file rows, streamed as diffTrees finds them, then the configuration and the summary.
Result<DiffSummary> writeDiff(Context &context, const OpenedImage &from, const OpenedImage &to)
{
    QTextStream &out = context.out();
    const bool json = context.json();
    bool first = true;
    if (json)
        out << "{\"files\":[";
    else
        out << tr("KIND").leftJustified(DiffKindWidth)
            << tr("OLD SIZE").rightJustified(DiffSizeWidth) << ' '
            << tr("NEW SIZE").rightJustified(DiffSizeWidth) << ' ' << tr("PATH") << '\n';
    auto summary
        = diffTrees(*from.contents->tree, *to.contents->tree, [&](const FileChange &change) {
              if (json)
                  out << (first ? "\n" : ",\n") << compactDiff(changeJson(change));
              else
                  out << terminalSafe(changeRow(change)) << '\n';
              first = false;
          });
    if (!summary) {
        out.flush();
        return summary;
    }
    const auto config = configDifferences(from.contents->image.config, to.contents->image.config);
    if (json) {
        out << "\n],\n\"config\":" << compactDiff(configJson(config))
            << ",\n\"summary\":" << compactDiff(summaryJson(*summary, config.size())) << "}\n";
    } else {
        printConfig(out, config);
        out << '\n' << summaryText(*summary) << '\n';
    }
    out.flush();
    return summary;
}

} // namespace

int diffCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Compare two images file by file without pulling them: every path added (A), changed "
           "(C: type, size, mode, owner, link or content) or deleted (D), with the old and new "
           "sizes, then the configuration settings that differ."));
    parser.addPositionalArgument(
        QStringLiteral("image1"),
        tr("A registry reference, a local image with --backend, or archive:FILE[:IMAGE]."));
    parser.addPositionalArgument(QStringLiteral("image2"), tr("The image to compare it with."));
    addImageOptions(parser);
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    const QStringList args = parser.positionalArguments();
    if (args.size() != 2)
        return context.usage(tr("diff takes two images"));
    int exitCode = Failed;
    const auto from = openImage(context, parser, args.at(0), &exitCode);
    if (!from)
        return exitCode;
    const auto to = openImage(context, parser, args.at(1), &exitCode);
    if (!to)
        return exitCode;
    const auto written = writeDiff(context, *from, *to);
    if (!written)
        return context.report(written.error());
    return Success;
}

} // namespace Berth::Cli
