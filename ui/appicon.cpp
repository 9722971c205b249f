#include "appicon.h"

namespace Berth {

QString appIconResource()
{
    return QStringLiteral(":/icons/io.github.berth.berth.svg");
}

QIcon appIcon()
{
    // The embedded SVG scales to every size the window manager asks for.
    return QIcon::fromTheme(QStringLiteral("io.github.berth.berth"), QIcon(appIconResource()));
}

} // namespace Berth
