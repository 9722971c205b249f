#include "localization.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace Berth {

namespace {

// Owned by the application, so they live as long as the strings they translate.
QTranslator *loadTranslator(const QLocale &locale, const QString &name, const QString &folder)
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(locale, name, QStringLiteral("_"), folder)
        && QCoreApplication::installTranslator(translator))
        return translator;
    delete translator;
    return nullptr;
}

} // namespace

QString installTranslations(const QLocale &locale)
{
    const QString berthFolder = QStringLiteral(":/i18n");
    loadTranslator(
        locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    if (QTranslator *berth = loadTranslator(locale, QStringLiteral("berth"), berthFolder))
        return berth->language().section(u'_', 0, 0);
    loadTranslator(QLocale(QLocale::English), QStringLiteral("berth"), berthFolder);
    return QStringLiteral("en");
}

} // namespace Berth
