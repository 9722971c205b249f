#pragma once

#include "clicontext.h"
#include "imagespec.h"

#include "common/result.h"
// imagecontents.h uses DiffSummary without including its header.
#include "contents/treediff.h"
#include "imagefiles/contentsreading.h"
#include "imagefiles/imagecontents.h"

#include <QCommandLineParser>

#include <memory>
#include <optional>

namespace Berth::Cli {

class ProgressPrinter;

// What the look-inside verbs share: naming the image (--backend, --platform, archive:FILE),
// opening its source, loading its index (progress on stderr) and waiting for core calls.
struct OpenedImage
{
    std::shared_ptr<ContentsSource> source;
    std::shared_ptr<const LoadedContents> contents;
};

// --backend and --platform, beside the common options.
void addImageOptions(QCommandLineParser &parser);

// Parses IMAGE, opens its source and loads its files. nullopt with *exitCode set (the usage
// error or the failure printed) when it could not.
std::optional<OpenedImage>
openImage(Context &context, const QCommandLineParser &parser, const QString &text, int *exitCode);

// The record of `path` in the image's merged tree (-1 for the root), links followed in every
// component but the last unless `followLast`.
Result<qint64> findPath(const IndexFile &tree, const QByteArray &path, bool followLast);

// Reading options whose progress goes to `printer` as one line named `label`.
ReadOptions readOptions(ProgressPrinter &printer, const QString &label);

// A path of the image for people and JSON: "/" then displayPath's escaped form.
QString shownPath(QByteArrayView raw);

} // namespace Berth::Cli
