#pragma once

#include <QIcon>

namespace Berth {

// Berth's application icon (resources/io.github.berth.berth.svg, embedded), for the window and
// the about box. The installed theme icon of the same name wins when the desktop has one.
QIcon appIcon();

// Where the embedded icon lives: ":/icons/io.github.berth.berth.svg".
QString appIconResource();

} // namespace Berth
