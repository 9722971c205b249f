#pragma once

#include <QByteArray>
#include <QHash>
#include <QProcessEnvironment>
#include <QSet>
#include <QStringList>

namespace BerthTest {

// What berthctl's --help texts list, for the tests that hold the man page and the shell
// completions to them.

// The commands an overview lists under "Commands:", each "  name   summary".
QStringList helpCommands(const QByteArray &help);
// The options a QCommandLineParser help text lists ("  -a, --all-platforms   Pull every…"):
// {"-a", "--all-platforms", …}.
QSet<QString> helpFlags(const QByteArray &help);

struct CliHelp
{
    QStringList verbs;               // "images", "manifest create"…, in the overview's order
    QHash<QString, QByteArray> help; // each verb's --help
};
// Runs `berthctl --help`, then every verb's --help (all at once: a berthctl under ASan takes a
// second to start), and the sub-verbs' of a verb whose help lists commands (manifest).
CliHelp readCliHelp(const QProcessEnvironment &environment);

// {"-b", "--a"} as "--a, -b", for messages.
QString listed(const QSet<QString> &flags);

} // namespace BerthTest
