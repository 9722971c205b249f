#include "terminaltext.h"

namespace Berth::Cli {

namespace {

bool isBidiControl(char16_t c)
{
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

// C0, DEL and C1: what terminals act on instead of showing.
bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

bool needsEscape(char16_t c, bool keepTabs)
{
    if (c == u'\t')
        return !keepTabs;
    return isControl(c) || isBidiControl(c);
}

QString escapeOf(char16_t c)
{
    switch (c) {
    case u'\n':
        return QStringLiteral("\\n");
    case u'\t':
        return QStringLiteral("\\t");
    case u'\r':
        return QStringLiteral("\\r");
    default:
        break;
    }
    // \xNN for what UTF-8 writes as one byte; \uNNNN for the rest, so \u009b is not mistaken for
    // the raw byte 0x9b.
    if (c < 0x80)
        return QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    return QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
}

QString escaped(QStringView text, bool keepTabs)
{
    qsizetype first = 0;
    while (first < text.size() && !needsEscape(text[first].unicode(), keepTabs))
        ++first;
    if (first == text.size())
        return text.toString(); // the usual case: nothing to do, one copy
    QString out;
    out.reserve(text.size() + 8);
    out += text.left(first);
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (needsEscape(c, keepTabs))
            out += escapeOf(c);
        else
            out += QChar(c);
    }
    return out;
}

} // namespace

QString terminalSafe(QStringView text)
{
    return escaped(text, false);
}

QStringList terminalSafeLines(QStringView text)
{
    QStringList lines;
    for (QStringView line : text.tokenize(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        lines.append(escaped(line, true));
    }
    return lines;
}

QByteArray terminalSafeJson(const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size());
    for (qsizetype i = 0; i < json.size(); ++i) {
        const uchar b = uchar(json[i]);
        const uchar next = i + 1 < json.size() ? uchar(json[i + 1]) : 0;
        const uchar third = i + 2 < json.size() ? uchar(json[i + 2]) : 0;
        if (b == 0x7F) {
            out += "\\u007f";
        } else if (b == 0xC2 && next >= 0x80 && next <= 0x9F) { // U+0080–U+009F
            out += "\\u00" + QByteArray::number(next, 16).rightJustified(2, '0');
            i += 1;
        } else if (b == 0xE2
                   && ((next == 0x80 && third >= 0xAA && third <= 0xAE)
                       || (next == 0x81 && third >= 0xA6 && third <= 0xA9))) {
            // U+202A–U+202E are E2 80 AA–AE, U+2066–U+2069 are E2 81 A6–A9.
            const uint code = ((next & 0x3Fu) << 6 | (third & 0x3Fu)) | 0x2000u;
            out += "\\u" + QByteArray::number(code, 16);
            i += 2;
        } else {
            out += char(b);
        }
    }
    return out;
}

} // namespace Berth::Cli
