#include "entrylisting.h"

#include "clicontext.h"
#include "contentsloading.h"
#include "terminaltext.h"

#include "common/humanize.h"

#include <QJsonDocument>

namespace Berth::Cli {

namespace {

constexpr int ModeWidth = 10;
constexpr int OwnerWidth = 11;
constexpr int EntrySizeWidth = 9;
constexpr int LayerWidth = 5;
constexpr int ChangeWidth = 6;

QByteArray compactEntry(const QJsonObject &object)
{
    return terminalSafeJson(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// The document's listingOpening, its header keys first, up to the open "entries" array.
QByteArray listingOpening(const QJsonObject &header)
{
    QByteArray head = compactEntry(header);
    head.chop(1); // the closing '}'
    if (head.size() > 1)
        head += ',';
    return head + "\"entries\":[";
}

} // namespace

EntryListing::EntryListing(QTextStream &out, bool json, bool withChange)
    : m_out(out)
    , m_json(json)
    , m_withChange(withChange)
{}

QJsonObject EntryListing::toJson(const ContentsEntry &entry, bool withChange)
{
    QJsonObject o{{QStringLiteral("path"), shownPath(entry.path)},
                  {QStringLiteral("type"), entry.typeName()},
                  {QStringLiteral("size"), entry.size},
                  {QStringLiteral("mode"), qint64(entry.mode)},
                  {QStringLiteral("modeString"), modeString(entry.type, entry.mode)},
                  {QStringLiteral("uid"), qint64(entry.uid)},
                  {QStringLiteral("gid"), qint64(entry.gid)},
                  {QStringLiteral("layer"), int(entry.layer) + 1}};
    if (entry.type == ContentsEntry::Type::Symlink)
        o.insert(QStringLiteral("linkTarget"), displayPath(entry.linkTarget));
    else if (entry.type == ContentsEntry::Type::HardLink)
        o.insert(QStringLiteral("linkTarget"), shownPath(entry.linkTarget));
    if (withChange)
        o.insert(QStringLiteral("change"), Berth::changeLetter(entry.change));
    return o;
}

void EntryListing::begin(const QJsonObject &header)
{
    if (m_json) {
        m_out << listingOpening(header);
        return;
    }
    QString line;
    if (m_withChange)
        line += tr("CHANGE").leftJustified(ChangeWidth) + u' ';
    line += tr("MODE").leftJustified(ModeWidth) + u' ' + tr("OWNER").leftJustified(OwnerWidth)
            + u' ' + tr("SIZE").rightJustified(EntrySizeWidth) + u' '
            + tr("LAYER").rightJustified(LayerWidth) + u' ' + tr("PATH");
    m_out << line << '\n';
}

QString EntryListing::textRow(const ContentsEntry &entry) const
{
    QString line;
    if (m_withChange)
        line += Berth::changeLetter(entry.change).leftJustified(ChangeWidth) + u' ';
    const QString size = entry.type == ContentsEntry::Type::File
                             ? formatSize(entry.size, QLocale::c())
                             : QStringLiteral("-");
    line += modeString(entry.type, entry.mode).leftJustified(ModeWidth) + u' '
            + QStringLiteral("%1/%2").arg(entry.uid).arg(entry.gid).leftJustified(OwnerWidth) + u' '
            + size.rightJustified(EntrySizeWidth) + u' '
            + QString::number(int(entry.layer) + 1).rightJustified(LayerWidth) + u' '
            + shownPath(entry.path);
    // The target is what the image says: escaped like a path, so it cannot move the cursor.
    if (entry.type == ContentsEntry::Type::Symlink)
        line += QStringLiteral(" -> ") + displayPath(entry.linkTarget);
    else if (entry.type == ContentsEntry::Type::HardLink)
        line += QStringLiteral(" => ") + shownPath(entry.linkTarget);
    return line;
}

void EntryListing::add(const ContentsEntry &entry)
{
    if (m_json)
        m_out << (m_count == 0 ? "\n" : ",\n") << compactEntry(toJson(entry, m_withChange));
    else
        m_out << terminalSafe(textRow(entry)) << '\n';
    ++m_count;
}

void EntryListing::finish()
{
    if (m_json)
        m_out << "\n]}\n";
    m_out.flush();
}

} // namespace Berth::Cli
