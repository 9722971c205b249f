#pragma once

#include "archive/tarwriter.h"

#include <QString>

namespace Berth {

// File names of image archives, shared by the share wizard and the load, import and export
// dialogs.

// Where an archive is suggested when nothing says better: the folder last chosen in a picker
// that named no purpose (the share wizard's), else the user's home.
QString defaultArchiveDirectory();
// "busybox-1.0" for "127.0.0.1:5000/berth/busybox:1.0", "0123456789ab" for an image ID.
QString suggestedArchiveBaseName(const QString &image);
// ".tar", ".tar.gz", ".tar.zst", ".tar.xz", ".tar.bz2".
QString archiveSuffix(Compression compression);
// The archive suffix the name ends with (".tar.gz", ".tgz", …), lower case; empty when none.
QString archiveSuffixOf(const QString &fileName);
// The path with its archive suffix (if any) replaced by the one of `compression`.
QString withArchiveSuffix(const QString &path, Compression compression);

} // namespace Berth
