#pragma once

#include <QStringList>

class QTextStream;

namespace Berth::Cli {

class Context;

// Each verb takes its own arguments (argv without the program name, the verb first).
int searchCommand(Context &context, const QStringList &arguments);
int tagsCommand(Context &context, const QStringList &arguments);
int inspectCommand(Context &context, const QStringList &arguments);
int loginCommand(Context &context, const QStringList &arguments);
int logoutCommand(Context &context, const QStringList &arguments);
int imagesCommand(Context &context, const QStringList &arguments);
int pullCommand(Context &context, const QStringList &arguments);
int pushCommand(Context &context, const QStringList &arguments);
int tagCommand(Context &context, const QStringList &arguments);
int historyCommand(Context &context, const QStringList &arguments);
int rmiCommand(Context &context, const QStringList &arguments);
int pruneCommand(Context &context, const QStringList &arguments);
int fsckCommand(Context &context, const QStringList &arguments);
int saveCommand(Context &context, const QStringList &arguments);
int loadCommand(Context &context, const QStringList &arguments);
int exportCommand(Context &context, const QStringList &arguments);
int importCommand(Context &context, const QStringList &arguments);
// Looking inside images without pulling them (contentscommands.cpp, copycommand.cpp,
// diffcommand.cpp, usagecommand.cpp).
int lsCommand(Context &context, const QStringList &arguments);
int catCommand(Context &context, const QStringList &arguments);
int cpCommand(Context &context, const QStringList &arguments);
int diffCommand(Context &context, const QStringList &arguments);
int duCommand(Context &context, const QStringList &arguments);
// Copying an image between registries (copyimagecommand.cpp).
int copyImageCommand(Context &context, const QStringList &arguments);

// Columns padded to their widest cell, like `docker images`; control characters in cells shown as
// visible escapes (terminaltext.h).
void printTable(QTextStream &out, const QStringList &headers, const QList<QStringList> &rows);

} // namespace Berth::Cli
