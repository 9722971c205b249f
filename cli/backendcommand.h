#pragma once

#include "clicontext.h"

#include "reference/imagereference.h"
#include "store/imagebackend.h"

#include <QCommandLineParser>

namespace Berth::Cli {

// What the verbs working on local images share: parsing, the common options, the backend.
struct Prepared
{
    int exitCode = -1; // >= 0: stop with this code (help shown, usage error, no backend)
    ImageBackend *backend = nullptr;
};

// Parses, applies the common options and opens the backend; an exit code on failure.
Prepared prepare(Context &context,
                 QCommandLineParser &parser,
                 const QStringList &arguments,
                 int minArgs,
                 int maxArgs,
                 const QString &usageText);

Result<ImageReference> parseReference(Context &context, const QString &text, int *exitCode);

} // namespace Berth::Cli
