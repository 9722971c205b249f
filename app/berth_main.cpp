#include "mainwindow.h"

#include <QApplication>

#include <clocale>

int main(int argc, char *argv[])
{
    // libarchive 3.6.2 crashes writing non-ASCII names under the C locale.
    std::setlocale(LC_CTYPE, "C.UTF-8");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Berth"));
    QApplication::setOrganizationName(QStringLiteral("Berth"));
    QApplication::setApplicationVersion(QStringLiteral(BERTH_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.berth.Berth"));

    Berth::MainWindow window;
    window.show();
    return app.exec();
}
