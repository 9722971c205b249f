#include "terminal.h"

#include <QFile>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace Berth::Cli {

bool stdinIsTerminal()
{
    return isatty(STDIN_FILENO) == 1;
}

QString prompt(const QString &question, bool secret)
{
    QTextStream err(stderr);
    err << question;
    err.flush();
    static termios saved{};
    const bool silence = secret && tcgetattr(STDIN_FILENO, &saved) == 0;
    // Ctrl-C at the password prompt must not leave the terminal without echo.
    const auto restoreAndDie = +[](int signal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    };
    using Handler = void (*)(int);
    Handler previousInt = SIG_DFL, previousTerm = SIG_DFL;
    if (silence) {
        previousInt = std::signal(SIGINT, restoreAndDie);
        previousTerm = std::signal(SIGTERM, restoreAndDie);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QTextStream in(stdin);
    const QString line = in.readLine();
    if (silence) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::signal(SIGINT, previousInt);
        std::signal(SIGTERM, previousTerm);
        err << '\n';
    }
    return line;
}

QString readStdinSecret()
{
    QFile input;
    if (!input.open(stdin, QIODevice::ReadOnly))
        return QString();
    // A password is short; bound what is read so a wrong pipe cannot exhaust memory.
    QString secret = QString::fromUtf8(input.read(64 * 1024));
    while (secret.endsWith(u'\n') || secret.endsWith(u'\r'))
        secret.chop(1);
    return secret;
}

} // namespace Berth::Cli
