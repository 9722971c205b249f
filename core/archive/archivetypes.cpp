#include "archive/archivetypes.h"

namespace Berth {

QString ArchiveSource::displayName() const
{
    if (!path.isEmpty())
        return path;
    if (url.isValid())
        return url.toDisplayString(QUrl::RemoveUserInfo);
    return fd == 0 ? Berth::tr("standard input") : Berth::tr("file descriptor %1").arg(fd);
}

QString ArchiveTarget::displayName() const
{
    if (!path.isEmpty())
        return path;
    return fd == 1 ? Berth::tr("standard output") : Berth::tr("file descriptor %1").arg(fd);
}

} // namespace Berth
