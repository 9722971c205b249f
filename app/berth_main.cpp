#include "appearance.h"
#include "appservices.h"
#include "commandline.h"
#include "loaddialog.h"
#include "mainwindow.h"
#include "transferjob.h"

#include "common/allocator.h"
#include "common/localization.h"
#include "common/threadpriority.h"
#include "credentials/secretprocess.h"

#include <QAbstractEventDispatcher>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLocale>
#include <QUrl>
#include <QWindow>

#include <clocale>
#include <cstdio>
#include <ctime>
#include <memory>

#include <unistd.h>

namespace {

// Milliseconds since the kernel started this process (/proc/self/stat's starttime, in clock
// ticks: 10 ms steps), -1 when unknown.
double msSinceProcessStart()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Fields after the command name, which may hold spaces: starttime is the 20th.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const double startTicks = fields.at(19).toDouble();
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    const double nowMs = double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
    return nowMs - startTicks * 1e3 / double(sysconf(_SC_CLK_TCK));
}

// BERTH_STARTUP_PROBE=1 (bench/startup-bench): once the window is exposed (so painted) and the
// event loop has nothing left to do, prints the time since the process started and quits. The
// CLOCK_MONOTONIC stamp lets a script that noted the time before exec measure to the microsecond.
void armStartupProbe(QWidget *window)
{
    auto *dispatcher = QAbstractEventDispatcher::instance();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, [=] {
        if (!window->windowHandle() || !window->windowHandle()->isExposed())
            return;
        QObject::disconnect(*connection);
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        std::printf("berth-startup-probe: %.0f ms since process start; monotonic %lld ns\n",
                    msSinceProcessStart(),
                    qint64(now.tv_sec) * 1000000000 + now.tv_nsec);
        std::fflush(stdout);
        QCoreApplication::exit(0);
    });
}

} // namespace

int main(int argc, char *argv[])
{
    Berth::answerHelpOrVersion(argc, argv); // exits when asked
    // Before any password is read (login dialog, the keychain): no core dump of it.
    Berth::keepSecretsOutOfCrashDumps();
    // libarchive 3.6.2 crashes writing non-ASCII names under the C locale.
    std::setlocale(LC_CTYPE, "C.UTF-8");
    Berth::tuneAllocatorForTransfers();
    Berth::setTransfersYieldToMainThread(true);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Berth"));
    QApplication::setOrganizationName(QStringLiteral("Berth"));
    QApplication::setApplicationVersion(QStringLiteral(BERTH_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.berth.berth"));

    // Berth's strings from the embedded :/i18n/berth_<lang>.qm, Qt's own (dialog buttons,
    // shortcuts) from the system's qtbase_<lang>.qm, both in the language of QLocale().
    Berth::installTranslations();

    // The window shows at once; the backend (an engine probe, or the embedded store) opens
    // behind it and the pages fill in when it answers.
    // The style, colours and bundled icons before the first widget is made.
    const Berth::AppSettings settings = Berth::AppSettings::load();
    Berth::applyAppearance(settings.appearance);
    Berth::AppServices services(settings);
    Berth::MainWindow window(&services);
    window.show();
    if (qEnvironmentVariableIntValue("BERTH_STARTUP_PROBE") == 1)
        armStartupProbe(&window);
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
