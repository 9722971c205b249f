#pragma once

#include "common/result.h"
#include "reference/imagereference.h"

#include <QByteArray>
#include <QString>

namespace Berth::Cli {

// The IMAGE argument of the look-inside verbs (ls, cat, cp, diff, du): a registry reference
// (the default), an image of the backend --backend names, or `archive:FILE[:REF]`.
struct ImageSpec
{
    enum class Kind { Registry, Local, Archive };
    Kind kind = Kind::Registry;
    QString text;             // as the user wrote it, for messages
    ImageReference reference; // Registry
    QString local;            // Local: a name or an ID, as the backend takes it
    QString file;             // Archive: the archive's path
    QString image;            // Archive: which image of it ("" = the only one)
};

// `local`: --backend was given, so IMAGE names a local image. An archive's FILE ends at the
// first ':' after "archive:" (a file name holding ':' cannot be named this way).
Result<ImageSpec> parseImageSpec(const QString &text, bool local);

// `IMAGE:PATH` (cp's source): split at the first ":/", which no reference holds (a tag never
// holds '/', a registry's port is followed by '/' without ':'). PATH must be absolute.
struct ImagePathSpec
{
    QString image;
    QString path;
};
Result<ImagePathSpec> splitImagePath(const QString &text);

// A path inside an image as the user typed it, in the normalised form the index keeps: the
// escapes displayPath() writes undone (\xNN a byte, \\ a backslash), so a name that is not UTF-8
// can be given back as `ls` showed it; "." components and repeated '/' dropped, no leading or
// trailing '/' ("/" is ""). ".." goes up lexically and never above the root. `trailingSlash`
// tells whether the user ended the path with '/' (ls then follows a link to a directory).
struct ImagePath
{
    QByteArray path;
    bool trailingSlash = false;
};
Result<ImagePath> parseImagePath(const QString &text);

} // namespace Berth::Cli
