#pragma once

#include <QLocale>

namespace Berth {

// Installs Qt's own translations (dialog buttons, QCommandLineParser's help) and Berth's, in
// the language of `locale` (by default QLocale(): LANG, LANGUAGE, LC_*), on the running
// QCoreApplication. When Berth has no translation for that language (C, German…), its strings
// stay English and the English plural forms are installed, so counts read "1 tag", "230 tags"
// rather than "tag(s)". Returns the language of Berth's strings ("fr", "en").
QString installTranslations(const QLocale &locale = QLocale());

} // namespace Berth
