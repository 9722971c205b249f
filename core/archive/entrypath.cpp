#include "archive/entrypath.h"

#include <QStringList>

namespace Berth {

namespace {

// Splits on '/', dropping empty and "." components; nullopt-like failure when ".." would climb
// above the root (allowClimb = false refuses any "..").
Result<QStringList> components(const QString &path, const QString &entry, bool allowClimb)
{
    QStringList out;
    for (const QString &part : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (part == QLatin1String("."))
            continue;
        if (part == QLatin1String("..")) {
            if (!allowClimb)
                return fail(Error::Kind::InvalidArgument,
                            tr("Archive entry '%1' contains '..': it would be written outside "
                               "the archive.")
                                .arg(entry));
            if (out.isEmpty())
                return fail(Error::Kind::InvalidArgument,
                            tr("Archive entry '%1' points outside the archive.").arg(entry));
            out.removeLast();
            continue;
        }
        out.append(part);
    }
    return out;
}

} // namespace

Result<QString> normaliseEntryPath(const QString &name)
{
    if (name.contains(QChar(0)))
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' has a NUL character in its name.").arg(name));
    if (name.startsWith(QLatin1Char('/')))
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' has an absolute path.").arg(name));
    auto parts = components(name, name, false);
    if (!parts)
        return fail(parts.error());
    return parts->join(QLatin1Char('/'));
}

Result<QString> resolveHardLinkTarget(const QString &entry, const QString &target)
{
    if (target.startsWith(QLatin1Char('/')))
        return fail(Error::Kind::InvalidArgument,
                    tr("Hard link '%1' points to an absolute path, outside the archive: '%2'.")
                        .arg(entry, target));
    auto parts = components(target, entry, false);
    if (!parts)
        return fail(Error::Kind::InvalidArgument,
                    tr("Hard link '%1' points outside the archive: '%2'.").arg(entry, target));
    if (parts->isEmpty())
        return fail(Error::Kind::InvalidArgument, tr("Hard link '%1' has no target.").arg(entry));
    return parts->join(QLatin1Char('/'));
}

Result<QString> resolveSymlinkTarget(const QString &entry, const QString &target)
{
    if (target.startsWith(QLatin1Char('/')))
        return fail(Error::Kind::InvalidArgument,
                    tr("Symbolic link '%1' points to an absolute path, outside the archive: "
                       "'%2'.")
                        .arg(entry, target));
    const qsizetype slash = entry.lastIndexOf(QLatin1Char('/'));
    const QString base = slash < 0 ? QString() : entry.left(slash + 1);
    auto parts = components(base + target, entry, true);
    if (!parts)
        return fail(Error::Kind::InvalidArgument,
                    tr("Symbolic link '%1' points outside the archive: '%2'.").arg(entry, target));
    return parts->join(QLatin1Char('/'));
}

} // namespace Berth
