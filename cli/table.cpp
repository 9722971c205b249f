#include "commands.h"
#include "terminaltext.h"

#include <QTextStream>

namespace Berth::Cli {

void printTable(QTextStream &out, const QStringList &headers, const QList<QStringList> &cells)
{
    // Cells hold what registries, the Hub and engines sent: made safe here, once, for every table,
    // and measured as they will be shown.
    QList<QStringList> rows;
    rows.reserve(cells.size());
    for (const QStringList &row : cells) {
        QStringList safe;
        safe.reserve(row.size());
        for (const QString &cell : row)
            safe.append(terminalSafe(cell));
        rows.append(safe);
    }
    QList<qsizetype> widths(headers.size());
    for (qsizetype c = 0; c < headers.size(); ++c)
        widths[c] = headers.at(c).size();
    for (const QStringList &row : rows) {
        for (qsizetype c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], row.at(c).size());
    }
    auto printRow = [&](const QStringList &row) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c) {
            line += c + 1 < row.size() ? row.at(c).leftJustified(widths.at(c) + 3) : row.at(c);
        }
        out << line << '\n';
    };
    printRow(headers);
    for (const QStringList &row : rows)
        printRow(row);
    out.flush();
}

} // namespace Berth::Cli
