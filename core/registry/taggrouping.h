#pragma once

#include "taginfo.h"

#include <QList>

namespace Berth {

// One image as the Hub shows it: every tag that shares a digest, with its platforms.
struct TagGroup
{
    Digest digest;
    QString mediaType;
    QStringList tags;            // most specific first (moreSpecificTag)
    QList<PlatformImage> images; // one per platform, union over the group's tags
    qint64 size = 0;             // largest size any of its tags reports
    QDateTime lastPushed;        // newest of its tags' lastUpdated and images' lastPushed
    bool digestUnknown = false;  // the tags whose digest was not looked up, together

    QList<Platform> platforms() const;
};

// Groups tags by the digest they share, one group per digest, ordered by lastPushed (newest first)
// then by the first tag's version (highest first, compareTagVersions). Tags without a digest (the
// Hub lists some) each form their own group, except those whose digest was not looked up
// (TagInfo::digestNotLookedUp): they form one "digest unknown" group, always last. Pure and linear:
// grouping 10,000 tags takes milliseconds.
QList<TagGroup> groupTagsByDigest(const QList<TagInfo> &tags);

// The steps of groupTagsByDigest, for a list that grows (a registry's tags arriving in batches):
// the key of the group a tag belongs to (empty: a group of its own), a group started from its
// first tag, what a tag adds to its group (its name is added by the caller, in order), and
// whether group a comes before group b.
QString tagGroupKey(const TagInfo &tag);
TagGroup startTagGroup(const TagInfo &tag);
void mergeIntoTagGroup(TagGroup &group, const TagInfo &tag);
bool tagGroupBefore(const TagGroup &a, const TagGroup &b);

} // namespace Berth
