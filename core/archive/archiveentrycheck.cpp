#include "archive/archiveentrycheck.h"

#include "archive/entrypath.h"

namespace Berth {

Result<CheckedEntry> checkArchiveEntry(const TarEntry &entry, ArchiveKind kind)
{
    auto path = normaliseEntryPath(entry.path);
    if (!path)
        return fail(path.error());
    CheckedEntry checked;
    checked.path = *path;
    const bool image = kind == ArchiveKind::ImageArchive;
    if (image && (entry.isSpecial() || entry.type == TarEntry::Type::Fifo))
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' is a %2: an image archive holds only files, "
                       "directories and links.")
                        .arg(entry.path, entry.typeName()));
    // On a directory the set-gid bit only passes the group on to new files: harmless here, and
    // some tar tools record it from the directory an archive was made in.
    if (image && entry.type != TarEntry::Type::Directory && (entry.mode & 04000) != 0)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' has the set-user-ID bit: an image archive has no use "
                       "for it.")
                        .arg(entry.path));
    if (image && entry.type != TarEntry::Type::Directory && (entry.mode & 02000) != 0)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' has the set-group-ID bit: an image archive has no use "
                       "for it.")
                        .arg(entry.path));
    if (entry.type == TarEntry::Type::HardLink) {
        auto target = resolveHardLinkTarget(entry.path, entry.linkTarget);
        if (!target)
            return fail(target.error());
        checked.linkTarget = *target;
    } else if (entry.type == TarEntry::Type::Symlink) {
        if (!image) {
            checked.linkTarget = entry.linkTarget;
        } else {
            auto target = resolveSymlinkTarget(entry.path, entry.linkTarget);
            if (!target)
                return fail(target.error());
            checked.linkTarget = *target;
        }
    }
    return checked;
}

} // namespace Berth
