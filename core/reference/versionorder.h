#pragma once

#include <QStringView>

namespace Berth {

// Tags compared the way people read versions, not as text.
//
// A tag is a *version* when it starts with a number, optionally after a "v" ("3.19.1", "v2",
// "15-alpine3.10"): its leading dot-separated numbers, then the rest as its suffix. Versions come
// before other names ("latest", "alpine3.10", "bookworm"), which sort among themselves
// alphabetically (case-insensitive, numbers inside read as numbers: "alpine3.9" < "alpine3.10").
// Versions compare number by number (1 < 2 < 10; 1.9 < 1.10), a shorter one first when it is a
// prefix of the other (3.19 < 3.19.1), then the plain version before its suffixed ones, suffixes
// among themselves like names (3.19 < 3.19-alpine < 3.19.1). A suffix is a variant here, not a
// pre-release: "1.0-rc1" sorts after "1.0". Ties (v1 and 1, 01 and 1) fall back to the text, so
// the order is total.
//
// Negative when a comes first, positive when b does, zero only for equal text.
int compareTagVersions(QStringView a, QStringView b);

inline bool tagVersionLess(QStringView a, QStringView b)
{
    return compareTagVersions(a, b) < 0;
}

// Within one image (tags sharing a digest), the most specific name first: versions before other
// names, more version numbers first (3.19.1, 3.19, 3), at equal numbers the plain version first
// (20.11.0 before 20.11.0-bookworm) then a longer suffix first (3.19.1-alpine3.19 before
// 3.19.1-alpine), longer names first among other names (alpine3.19 before latest), then
// compareTagVersions.
bool moreSpecificTag(QStringView a, QStringView b);

} // namespace Berth
