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
        // Say where it stood: a hang is otherwise only "exit code -1" with nothing to go on.
        process.kill();
        process.waitForFinished(5000);
        run.out = process.readAllStandardOutput();
        run.err = "berthctl " + arguments.join(u' ').toUtf8() + " did not finish within "
                  + QByteArray::number(timeoutMs) + " ms (" + QByteArray::number(run.out.size())
                  + " bytes on stdout); its stderr: " + process.readAllStandardError();
        qWarning("%s", run.err.constData());
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace BerthTest
