#include "humanize.h"

#include "result.h"

namespace Berth {

QString formatCount(qint64 count, const QLocale &locale)
{
    if (count < 0)
        return QStringLiteral("—"); // unknown
    struct Text
    {
        const char *source;
        const char *comment;
    };
    struct Unit
    {
        qint64 scale;
        Text text;
    };
    static constexpr Unit units[] = {
        {1'000'000'000, QT_TRANSLATE_NOOP3("Berth", "%1B", "count in billions")},
        {1'000'000, QT_TRANSLATE_NOOP3("Berth", "%1M", "count in millions")},
        {1'000, QT_TRANSLATE_NOOP3("Berth", "%1K", "count in thousands")},
    };
    for (const Unit &u : units) {
        if (count >= u.scale) {
            const double value = double(count) / double(u.scale);
            // One decimal below 10 ("1.2B"), none above ("15M"), as the Hub shows them.
            const QString number = locale.toString(value, 'f', value < 10 ? 1 : 0);
            QString trimmed = number;
            const QString zero = locale.decimalPoint() + locale.zeroDigit();
            if (trimmed.endsWith(zero))
                trimmed.chop(zero.size());
            return tr(u.text.source, u.text.comment).arg(trimmed);
        }
    }
    return locale.toString(count);
}

QString formatSize(qint64 bytes, const QLocale &locale)
{
    return locale.formattedDataSize(bytes, bytes >= 1000 * 1000 ? 1 : 0, QLocale::DataSizeSIFormat);
}

QString formatAge(const QDateTime &when, const QDateTime &now)
{
    if (!when.isValid())
        return QString();
    const qint64 seconds = when.secsTo(now);
    const qint64 minutes = seconds / 60, hours = minutes / 60, days = hours / 24;
    if (seconds < 60)
        return tr("just now");
    if (minutes < 60)
        return tr("%n minute(s) ago", nullptr, int(minutes));
    if (hours < 24)
        return tr("%n hour(s) ago", nullptr, int(hours));
    if (days < 31)
        return tr("%n day(s) ago", nullptr, int(days));
    if (days < 365)
        return tr("%n month(s) ago", nullptr, int(days / 30));
    return tr("%n year(s) ago", nullptr, int(days / 365));
}

} // namespace Berth
