#include "imagebackend.h"

namespace Berth {

QString ImageBackend::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Embedded:
        return QStringLiteral("embedded");
    case Kind::Docker:
        return QStringLiteral("docker");
    case Kind::Podman:
        return QStringLiteral("podman");
    }
    return QString();
}

} // namespace Berth
