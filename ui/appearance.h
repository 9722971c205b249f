#pragma once

#include "appsettings.h"

#include <QPalette>
#include <QProxyStyle>

namespace Berth {

// Applies the Appearance setting to the whole application, at once: System keeps the platform's
// style and colours; Light and Dark use Fusion with Berth's palettes (Breeze's colours), the same
// on every desktop. Fusion, forced or the platform's own, draws a keyboard focus ring that can be
// seen (FocusRingStyle). The bundled icons follow the palette (icontheme.h).
void applyAppearance(Appearance appearance);

QPalette lightPalette();
QPalette darkPalette();

// Fusion draws the focus frame of list items and check boxes as a faint tint of the highlight,
// lost on a selected row: this one draws a two-pixel ring, in the highlight colour, or in the
// highlighted text's colour on a selected item. As Fusion, only after the keyboard moved the
// focus (Tab, arrows): a click shows no ring.
class FocusRingStyle final : public QProxyStyle
{
    Q_OBJECT

public:
    explicit FocusRingStyle(QStyle *base = nullptr);

    void drawPrimitive(PrimitiveElement element,
                       const QStyleOption *option,
                       QPainter *painter,
                       const QWidget *widget = nullptr) const override;
};

} // namespace Berth
