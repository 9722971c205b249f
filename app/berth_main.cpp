#include "appservices.h"
#include "loaddialog.h"
#include "mainwindow.h"
#include "transferjob.h"

#include "common/allocator.h"

#include <QApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>
#include <QUrl>

#include <clocale>

int main(int argc, char *argv[])
{
    // libarchive 3.6.2 crashes writing non-ASCII names under the C locale.
    std::setlocale(LC_CTYPE, "C.UTF-8");
    Berth::tuneAllocatorForTransfers();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Berth"));
    QApplication::setOrganizationName(QStringLiteral("Berth"));
    QApplication::setApplicationVersion(QStringLiteral(BERTH_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.berth.Berth"));

    // Berth's strings from the embedded :/i18n/berth_<lang>.qm, Qt's own (dialog buttons,
    // shortcuts) from the system's qtbase_<lang>.qm, both in the language of QLocale() (LANG,
    // LANGUAGE, LC_*).
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(),
                          QStringLiteral("qtbase"),
                          QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(
            QLocale(), QStringLiteral("berth"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    // The window shows at once; the backend (an engine probe, or the embedded store) opens
    // behind it and the pages fill in when it answers.
    Berth::AppServices services(Berth::AppSettings::load());
    Berth::MainWindow window(&services);
    window.show();
    services.openBackend(services.settings().effectiveBackend());
    // The .desktop file's `Exec=berth %F`: an archive opened with Berth is offered for loading.
    const QStringList arguments = QApplication::arguments().mid(1);
    for (const QString &argument : arguments) {
        const QUrl url = QUrl::fromUserInput(argument, QDir::currentPath(), QUrl::AssumeLocalFile);
        if (Berth::LoadDialog::isArchiveUrl(url)) {
            window.openLoadDialog(url.toLocalFile());
            break;
        }
    }
    return app.exec();
}
