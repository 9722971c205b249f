#pragma once

#include "common/result.h"

#include <QString>

namespace Berth {

// The one place that decides whether a name inside an archive is safe. Names are relative paths
// below the archive root: "./" prefixes, repeated and trailing slashes and "." components are
// normalised away; an absolute name or a ".." component is refused with a message naming the
// entry. The archive root itself ("./", ".") normalises to an empty string.
Result<QString> normaliseEntryPath(const QString &name);

// A link target inside the archive: a hard link names another entry (same rules as a name); a
// symbolic link is resolved against its entry's directory and must stay inside the archive.
// Returns the target as a normalised archive path.
Result<QString> resolveHardLinkTarget(const QString &entry, const QString &target);
Result<QString> resolveSymlinkTarget(const QString &entry, const QString &target);

} // namespace Berth
