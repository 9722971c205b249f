#pragma once

#include <QDateTime>
#include <QLocale>
#include <QString>

namespace Berth {

// "1.2B" / "1,2 Md": the short form the Hub uses for pull counts, in the locale's words; "—" for
// a negative count, which means unknown.
QString formatCount(qint64 count, const QLocale &locale = QLocale());
// "45.3 MB": sizes the way docker prints them (decimal units).
QString formatSize(qint64 bytes, const QLocale &locale = QLocale());
// "3 days ago", "2 months ago"; falls back to the date past a year.
QString formatAge(const QDateTime &when, const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace Berth
