#include "contents/contentsentry.h"

#include <algorithm>

namespace Berth {

QString ContentsEntry::typeName() const
{
    return typeName(type);
}

QString ContentsEntry::typeName(Type type)
{
    switch (type) {
    case Type::File:
        return QStringLiteral("file");
    case Type::Directory:
        return QStringLiteral("directory");
    case Type::Symlink:
        return QStringLiteral("symlink");
    case Type::HardLink:
        return QStringLiteral("hardlink");
    case Type::CharDevice:
        return QStringLiteral("char-device");
    case Type::BlockDevice:
        return QStringLiteral("block-device");
    case Type::Fifo:
        return QStringLiteral("fifo");
    case Type::Socket:
        return QStringLiteral("socket");
    case Type::Whiteout:
        return QStringLiteral("whiteout");
    case Type::Other:
        break;
    }
    return QStringLiteral("other");
}

int compareTreeOrder(QByteArrayView a, QByteArrayView b)
{
    // Only the first byte that differs decides; memcmp-fast std::mismatch finds it.
    const qsizetype n = std::min(a.size(), b.size());
    const auto [x, y] = std::mismatch(a.data(), a.data() + n, b.data());
    if (x == a.data() + n)
        return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
    const uchar left = *x == '/' ? 0 : uchar(*x);
    const uchar right = *y == '/' ? 0 : uchar(*y);
    return left < right ? -1 : 1;
}

bool isWithin(QByteArrayView path, QByteArrayView ancestor)
{
    if (ancestor.isEmpty())
        return true;
    if (!path.startsWith(ancestor))
        return false;
    return path.size() == ancestor.size() || path[ancestor.size()] == '/';
}

QByteArrayView parentPath(QByteArrayView path)
{
    const qsizetype slash = path.lastIndexOf('/');
    return slash < 0 ? QByteArrayView() : path.first(slash);
}

QByteArrayView baseName(QByteArrayView path)
{
    const qsizetype slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.sliced(slash + 1);
}

namespace {

// The length of the valid UTF-8 sequence starting at `i` (overlongs, surrogates and code points
// past U+10FFFF are invalid), or 0.
qsizetype validSequence(QByteArrayView raw, qsizetype i)
{
    const uchar c = raw[i];
    qsizetype length = 0;
    char32_t min = 0;
    char32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) {
        length = 2, min = 0x80, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        length = 3, min = 0x800, cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        length = 4, min = 0x10000, cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + length > raw.size())
        return 0;
    for (qsizetype k = 1; k < length; ++k) {
        const uchar next = raw[i + k];
        if ((next & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (next & 0x3f);
    }
    const bool surrogate = cp >= 0xd800 && cp <= 0xdfff;
    return cp < min || cp > 0x10ffff || surrogate ? 0 : length;
}

void appendEscaped(QString &out, uchar byte)
{
    out += QStringLiteral("\\x%1").arg(byte, 2, 16, QLatin1Char('0'));
}

} // namespace

QString displayPath(QByteArrayView raw)
{
    QString out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size();) {
        const uchar c = raw[i];
        if (c == '\\') {
            out += QStringLiteral("\\\\");
            ++i;
        } else if (c < 0x20 || c == 0x7f) {
            appendEscaped(out, c);
            ++i;
        } else if (c < 0x80) {
            out += QLatin1Char(char(c));
            ++i;
        } else if (const qsizetype n = validSequence(raw, i); n > 0) {
            const QString decoded = QString::fromUtf8(raw.sliced(i, n));
            // C1 controls (U+0080–U+009F) move terminals as well as C0 ones do.
            if (decoded.size() == 1 && decoded.front().unicode() < 0xa0)
                appendEscaped(out, c), appendEscaped(out, uchar(raw[i + 1]));
            else
                out += decoded;
            i += n;
        } else {
            appendEscaped(out, c);
            ++i;
        }
    }
    return out;
}

QString changeLetter(ContentsEntry::Change change)
{
    switch (change) {
    case ContentsEntry::Change::Added:
        return QStringLiteral("A");
    case ContentsEntry::Change::Changed:
        return QStringLiteral("C");
    case ContentsEntry::Change::Deleted:
        return QStringLiteral("D");
    case ContentsEntry::Change::None:
        break;
    }
    return {};
}

QString modeString(ContentsEntry::Type type, quint32 mode)
{
    using Type = ContentsEntry::Type;
    char letter = '-';
    switch (type) {
    case Type::Directory:
        letter = 'd';
        break;
    case Type::Symlink:
        letter = 'l';
        break;
    case Type::CharDevice:
        letter = 'c';
        break;
    case Type::BlockDevice:
        letter = 'b';
        break;
    case Type::Fifo:
        letter = 'p';
        break;
    case Type::Socket:
        letter = 's';
        break;
    default:
        break;
    }
    QString s(10, QLatin1Char('-'));
    s[0] = QLatin1Char(letter);
    const char *rwx = "rwxrwxrwx";
    for (int bit = 0; bit < 9; ++bit)
        if (mode & (0400u >> bit))
            s[1 + bit] = QLatin1Char(rwx[bit]);
    // Set-uid, set-gid and sticky replace the execute letters: lower case when execute is set.
    const auto special = [&](quint32 flag, int at, char on) {
        if (mode & flag)
            s[at] = QLatin1Char(s[at] == QLatin1Char('-') ? char(on - 32) : on);
    };
    special(04000, 3, 's');
    special(02000, 6, 's');
    special(01000, 9, 't');
    return s;
}

} // namespace Berth
