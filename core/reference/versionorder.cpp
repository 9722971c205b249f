#include "versionorder.h"

#include <QVarLengthArray>

namespace Berth {

namespace {

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

struct ParsedTag
{
    bool isVersion = false;
    QVarLengthArray<QStringView, 6> numbers;
    QStringView suffix;
};

qsizetype digitRunEnd(QStringView text, qsizetype from)
{
    while (from < text.size() && isDigit(text.at(from)))
        ++from;
    return from;
}

ParsedTag parseTag(QStringView text)
{
    ParsedTag parsed;
    qsizetype at = 0;
    if (text.size() > 1 && (text.at(0) == u'v' || text.at(0) == u'V') && isDigit(text.at(1)))
        at = 1;
    if (at >= text.size() || !isDigit(text.at(at)))
        return parsed;
    parsed.isVersion = true;
    for (;;) {
        const qsizetype end = digitRunEnd(text, at);
        parsed.numbers.append(text.sliced(at, end - at));
        at = end;
        if (at + 1 < text.size() && text.at(at) == u'.' && isDigit(text.at(at + 1)))
            ++at;
        else
            break;
    }
    parsed.suffix = text.sliced(at);
    return parsed;
}

// Digit runs of any length, without overflow: leading zeros off, then length, then digits.
int compareNumbers(QStringView a, QStringView b)
{
    while (a.size() > 1 && a.front() == u'0')
        a = a.sliced(1);
    while (b.size() > 1 && b.front() == u'0')
        b = b.sliced(1);
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    return a.compare(b);
}

// Text runs case-insensitively, digit runs as numbers, digits before letters.
int compareNatural(QStringView a, QStringView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        const bool digitA = isDigit(a.at(i));
        const bool digitB = isDigit(b.at(j));
        if (digitA != digitB)
            return digitA ? -1 : 1;
        if (digitA) {
            const qsizetype endA = digitRunEnd(a, i);
            const qsizetype endB = digitRunEnd(b, j);
            if (const int c = compareNumbers(a.sliced(i, endA - i), b.sliced(j, endB - j)))
                return c;
            i = endA;
            j = endB;
            continue;
        }
        const QChar ca = a.at(i).toCaseFolded();
        const QChar cb = b.at(j).toCaseFolded();
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size())
        return 1;
    return j < b.size() ? -1 : 0;
}

int compareVersions(const ParsedTag &a, const ParsedTag &b)
{
    const qsizetype common = std::min(a.numbers.size(), b.numbers.size());
    for (qsizetype i = 0; i < common; ++i) {
        if (const int c = compareNumbers(a.numbers.at(i), b.numbers.at(i)))
            return c;
    }
    if (a.numbers.size() != b.numbers.size())
        return a.numbers.size() < b.numbers.size() ? -1 : 1;
    if (a.suffix.isEmpty() != b.suffix.isEmpty())
        return a.suffix.isEmpty() ? -1 : 1;
    return compareNatural(a.suffix, b.suffix);
}

int sign(int value)
{
    return (value > 0) - (value < 0);
}

} // namespace

int compareTagVersions(QStringView a, QStringView b)
{
    const ParsedTag pa = parseTag(a);
    const ParsedTag pb = parseTag(b);
    if (pa.isVersion != pb.isVersion)
        return pa.isVersion ? -1 : 1;
    const int c = pa.isVersion ? compareVersions(pa, pb) : compareNatural(a, b);
    return c != 0 ? c : sign(a.compare(b));
}

bool moreSpecificTag(QStringView a, QStringView b)
{
    const ParsedTag pa = parseTag(a);
    const ParsedTag pb = parseTag(b);
    if (pa.isVersion != pb.isVersion)
        return pa.isVersion;
    if (pa.isVersion) {
        if (pa.numbers.size() != pb.numbers.size())
            return pa.numbers.size() > pb.numbers.size();
        if (pa.suffix.isEmpty() != pb.suffix.isEmpty())
            return pa.suffix.isEmpty(); // 20.11.0 leads 20.11.0-bookworm
        if (pa.suffix.size() != pb.suffix.size())
            return pa.suffix.size() > pb.suffix.size();
    } else if (a.size() != b.size()) {
        return a.size() > b.size();
    }
    return compareTagVersions(a, b) < 0;
}

} // namespace Berth
