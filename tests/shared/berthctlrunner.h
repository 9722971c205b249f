#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QStringList>

namespace BerthTest {

struct CtlRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs the built berthctl ($BERTH_BIN_DIR/cli/berthctl) and waits for it while the caller's event
// loop keeps turning, so in-process servers (the fake Hub) can answer it. stdin is fed from
// `input`.
CtlRun runBerthctl(const QStringList &arguments,
                   const QProcessEnvironment &environment
                   = QProcessEnvironment::systemEnvironment(),
                   const QByteArray &input = {},
                   int timeoutMs = 120000);

QString berthctlPath();

} // namespace BerthTest
