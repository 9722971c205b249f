#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Berth::Cli {

// Text a registry, the Hub, an engine or an archive chose, made safe to print on a terminal: a
// hostile server must not clear the screen, retitle the window, write the clipboard (OSC 52) or
// reverse what follows on the line. C0 controls, DEL, C1 controls (U+0080–U+009F) and the bidi
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) become visible escapes: \n,
// \t, \r, \x1b, \u009b, \u202e. Everything else, backslashes included, is kept as it is. For
// one-line fields and table cells.
QString terminalSafe(QStringView text);

// The same for a field that may span lines (a build step's heredoc): one safe line per line of
// the text, a CRLF ending a line like a LF, tabs kept (they only move the cursor forward).
QStringList terminalSafeLines(QStringView text);

// JSON for a terminal: QJsonDocument escapes C0 controls but writes DEL, C1 controls and the bidi
// controls raw. They can only stand inside strings, so escaping them as \u00XX / \u20XX keeps the
// document the same.
QByteArray terminalSafeJson(const QByteArray &json);

} // namespace Berth::Cli
