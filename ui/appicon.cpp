#include "appicon.h"

namespace Berth {

QString appIconResource()
{
    return QStringLiteral(":/icons/io.github.berth.Berth.svg");
}

QIcon appIcon()
{
    // The embedded SVG scales to every size the window manager asks for.
    return QIcon::fromTheme(QStringLiteral("io.github.berth.Berth"), QIcon(appIconResource()));
}

} // namespace Berth
