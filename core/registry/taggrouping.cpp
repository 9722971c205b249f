#include "taggrouping.h"

#include "reference/versionorder.h"

#include <QHash>

#include <algorithm>

namespace Berth {

namespace {

// Not an encoded digest (those are hex): the key of the one "digest unknown" group.
const QString UnknownDigestKey = QStringLiteral("?");

// Platforms are the same image slot when os/arch/variant agree: the platform string, without
// building one string per image.
bool samePlatform(const Platform &a, const Platform &b)
{
    return a.architecture == b.architecture && a.os == b.os && a.variant == b.variant;
}

void newer(QDateTime &current, const QDateTime &candidate)
{
    if (candidate.isValid() && (!current.isValid() || candidate > current))
        current = candidate;
}

void mergeImages(QList<PlatformImage> &into, const QList<PlatformImage> &images)
{
    if (into.isEmpty()) {
        into = images; // the common case: shares the list, copies nothing
        return;
    }
    // A group has a handful of platforms, so a scan beats hashing.
    const QList<PlatformImage> &known = into;
    for (const PlatformImage &image : images) {
        qsizetype found = -1;
        for (qsizetype i = 0; i < known.size(); ++i) {
            if (samePlatform(known.at(i).platform, image.platform)) {
                found = i;
                break;
            }
        }
        if (found < 0) {
            into.append(image);
            continue;
        }
        const PlatformImage &existing = known.at(found);
        const bool takeDigest = !existing.digest.isValid() && image.digest.isValid();
        const bool takeSize = image.size > existing.size;
        const bool takeDate
            = image.lastPushed.isValid()
              && (!existing.lastPushed.isValid() || image.lastPushed > existing.lastPushed);
        if (!takeDigest && !takeSize && !takeDate)
            continue; // nothing new: do not detach
        PlatformImage &target = into[found];
        if (takeDigest)
            target.digest = image.digest;
        if (takeSize)
            target.size = image.size;
        if (takeDate)
            target.lastPushed = image.lastPushed;
    }
}

} // namespace

QList<Platform> TagGroup::platforms() const
{
    QList<Platform> result;
    result.reserve(images.size());
    for (const PlatformImage &image : images) {
        // unknown/unknown entries are attestation manifests, not something one can run.
        if (!image.platform.isUnknown())
            result.append(image.platform);
    }
    return result;
}

QString tagGroupKey(const TagInfo &tag)
{
    if (tag.digestNotLookedUp)
        return UnknownDigestKey;
    // The encoded part alone identifies a digest (sha256 and sha512 differ in length) and is
    // shared, not built: no allocation per tag.
    return tag.digest.isValid() ? tag.digest.encoded() : QString();
}

TagGroup startTagGroup(const TagInfo &tag)
{
    TagGroup group;
    group.digest = tag.digest;
    group.digestUnknown = tag.digestNotLookedUp;
    return group;
}

void mergeIntoTagGroup(TagGroup &group, const TagInfo &tag)
{
    if (group.mediaType.isEmpty())
        group.mediaType = tag.mediaType;
    group.size = std::max(group.size, tag.size);
    newer(group.lastPushed, tag.lastUpdated);
    for (const PlatformImage &image : tag.images)
        newer(group.lastPushed, image.lastPushed);
    mergeImages(group.images, tag.images);
}

bool tagGroupBefore(const TagGroup &a, const TagGroup &b)
{
    if (a.digestUnknown != b.digestUnknown)
        return b.digestUnknown;
    if (a.lastPushed != b.lastPushed) {
        if (!a.lastPushed.isValid() || !b.lastPushed.isValid())
            return a.lastPushed.isValid(); // undated groups last
        return a.lastPushed > b.lastPushed;
    }
    // Same date (or none): the higher version first, as newer images come first.
    return compareTagVersions(a.tags.constFirst(), b.tags.constFirst()) > 0;
}

QList<TagGroup> groupTagsByDigest(const QList<TagInfo> &tags)
{
    QList<TagGroup> groups;
    QHash<QString, qsizetype> byDigest;
    byDigest.reserve(tags.size());

    for (const TagInfo &tag : tags) {
        const QString key = tagGroupKey(tag);
        qsizetype index = key.isEmpty() ? -1 : byDigest.value(key, -1);
        if (index < 0) {
            groups.append(startTagGroup(tag));
            index = groups.size() - 1;
            if (!key.isEmpty())
                byDigest.insert(key, index);
        }
        TagGroup &group = groups[index];
        group.tags.append(tag.name);
        mergeIntoTagGroup(group, tag);
    }

    for (TagGroup &group : groups) {
        std::sort(group.tags.begin(), group.tags.end(), [](const QString &a, const QString &b) {
            return moreSpecificTag(a, b);
        });
    }
    std::stable_sort(groups.begin(), groups.end(), tagGroupBefore);
    return groups;
}

} // namespace Berth
