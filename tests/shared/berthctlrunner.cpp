#include "berthctlrunner.h"

#include <QProcess>
#include <QSignalSpy>

namespace BerthTest {

QString berthctlPath()
{
    return qEnvironmentVariable("BERTH_BIN_DIR") + QStringLiteral("/cli/berthctl");
}

CtlRun runBerthctl(const QStringList &arguments,
                   const QProcessEnvironment &environment,
                   const QByteArray &input,
                   int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(berthctlPath(), arguments);
    CtlRun run;
    if (!process.waitForStarted(10000))
        return run;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace BerthTest
