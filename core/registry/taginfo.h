#pragma once

#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace Berth {

// One platform image behind a tag (the Hub's `images[]`, or a manifest of an index).
struct PlatformImage
{
    Platform platform;
    Digest digest;   // the platform manifest's digest
    qint64 size = 0; // compressed size of its layers
    QDateTime lastPushed;
};

// A tag and what it points at, from the Hub API or from a registry's manifest HEAD.
struct TagInfo
{
    QString name;
    Digest digest; // index or manifest digest: tags sharing it are the same image
    QString mediaType;
    qint64 size = 0; // the Hub's full_size; for a registry the sum of one platform's layers
    QDateTime lastUpdated;
    QString status; // "active" / "inactive" on the Hub
    QList<PlatformImage> images;
    bool digestNotLookedUp = false; // a registry's tag past the cap of digest look-ups
};

} // namespace Berth
