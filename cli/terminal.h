#pragma once

#include <QString>

namespace Berth::Cli {

bool stdinIsTerminal();
// Reads one line from the terminal; with echo off for secrets. Prompts on stderr so stdout stays
// clean for scripts.
QString prompt(const QString &question, bool secret);
// Reads all of stdin (for --password-stdin) and drops the trailing newline.
QString readStdinSecret();

} // namespace Berth::Cli
