#include "clihelp.h"

#include "berthctlrunner.h"

#include <QProcess>
#include <QRegularExpression>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace BerthTest {

namespace {

QHash<QString, QByteArray> helpTexts(const QStringList &verbs,
                                     const QProcessEnvironment &environment)
{
    std::vector<std::unique_ptr<QProcess>> processes;
    for (const QString &verb : verbs) {
        processes.push_back(std::make_unique<QProcess>());
        processes.back()->setProcessEnvironment(environment);
        processes.back()->start(berthctlPath(), verb.split(u' ') << u"--help"_s);
    }
    QHash<QString, QByteArray> texts;
    for (size_t i = 0; i < processes.size(); ++i) {
        QProcess &process = *processes.at(i);
        const QString &verb = verbs.at(qsizetype(i));
        if (process.waitForFinished(120000) && process.exitStatus() == QProcess::NormalExit
            && process.exitCode() == 0)
            texts.insert(verb, process.readAllStandardOutput());
        else
            qWarning() << "berthctl" << verb << "--help failed:" << process.readAllStandardError();
    }
    return texts;
}

} // namespace

QStringList helpCommands(const QByteArray &help)
{
    QStringList commands;
    bool inside = false;
    for (const QString &line : QString::fromUtf8(help).split(u'\n')) {
        if (line == u"Commands:") {
            inside = true;
        } else if (inside && line.startsWith(u"  ")) {
            commands.append(line.trimmed().section(u' ', 0, 0));
        } else if (inside) {
            break;
        }
    }
    return commands;
}

QSet<QString> helpFlags(const QByteArray &help)
{
    static const QRegularExpression option(u"^  (-[a-zA-Z], )?(--[a-z][a-z0-9-]*)"_s);
    QSet<QString> flags;
    for (const QString &line : QString::fromUtf8(help).split(u'\n')) {
        const auto match = option.match(line);
        if (!match.hasMatch())
            continue;
        if (match.hasCaptured(1))
            flags.insert(match.captured(1).chopped(2));
        flags.insert(match.captured(2));
    }
    return flags;
}

CliHelp readCliHelp(const QProcessEnvironment &environment)
{
    CliHelp cli;
    const QStringList verbs = helpCommands(runBerthctl({u"--help"_s}, environment).out);
    const QHash<QString, QByteArray> texts = helpTexts(verbs, environment);
    for (const QString &verb : verbs) {
        const QStringList sub = helpCommands(texts.value(verb));
        if (sub.isEmpty()) {
            cli.verbs.append(verb);
            cli.help.insert(verb, texts.value(verb));
            continue;
        }
        QStringList subVerbs;
        for (const QString &s : sub)
            subVerbs.append(verb + u' ' + s);
        cli.verbs.append(subVerbs);
        cli.help.insert(helpTexts(subVerbs, environment));
    }
    return cli;
}

QString listed(const QSet<QString> &flags)
{
    QStringList list(flags.begin(), flags.end());
    list.sort();
    return list.join(u", ");
}

} // namespace BerthTest
