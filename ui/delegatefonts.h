#pragma once

#include <QFont>

#include <algorithm>

namespace Berth {

// The fonts Explore's rows and cards draw with: names in bold, counts and descriptions a size
// smaller (point or pixel sized, whichever the platform font is).
inline QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}

inline QFont smallFont(const QFont &font)
{
    QFont small = font;
    if (small.pointSizeF() > 0)
        small.setPointSizeF(small.pointSizeF() * 0.9);
    else if (small.pixelSize() > 0)
        small.setPixelSize(std::max(8, small.pixelSize() * 9 / 10));
    return small;
}

} // namespace Berth
