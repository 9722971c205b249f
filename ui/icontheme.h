#pragma once

#include <QString>
#include <QStringList>

class QPalette;

namespace Berth {

// Berth's own icons: Breeze's SVGs for every name the sources use, embedded as the themes
// ":/icons/berth-breeze" and ":/icons/berth-breeze-dark" (resources/bundle-icons.cmake). The
// desktop's icon theme wins when there is one; the bundled theme fills in what it lacks, and is
// the theme itself when the platform names none (offscreen, a bare X session), so the window
// looks the same everywhere.

// Installs the bundled theme in the variant that fits the application's palette, and keeps it
// fitting when the palette changes (the Appearance setting, the desktop's dark mode). Call once
// after the QApplication is made; calling again is harmless.
void installBundledIcons();

// "berth-breeze", or "berth-breeze-dark" whose light glyphs read on a dark palette.
QString bundledIconTheme(bool dark);
// Whether text is lighter than the window behind it.
bool isDarkPalette(const QPalette &palette);
// The names the bundled theme holds, sorted.
QStringList bundledIconNames();

} // namespace Berth
