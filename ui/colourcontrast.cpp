#include "colourcontrast.h"

#include <algorithm>
#include <cmath>

namespace Berth {

namespace {

double relativeLuminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor readableOn(QColor colour, const QColor &background)
{
    const bool lightBackground = background.lightnessF() > 0.5;
    for (int step = 0; step < 20 && contrastRatio(colour, background) < ReadableContrast; ++step)
        colour = lightBackground ? colour.darker(110) : colour.lighter(115);
    return colour;
}

} // namespace Berth
