#include "mainwindow.h"

#include <QLabel>
#include <QStatusBar>

namespace Berth {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Berth"));
    setObjectName(QStringLiteral("BerthMainWindow"));
    auto *placeholder = new QLabel(tr("Find, inspect and share container images."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    statusBar()->showMessage(tr("Ready"));
    resize(1100, 720);
}

} // namespace Berth
