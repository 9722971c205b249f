#pragma once

#include "registryclient.h"
#include "taginfo.h"

namespace Berth {

// What a registry tells about one digest that tags share: its media type, its platforms and
// their compressed sizes (listRegistryTags fetches it once per digest, not once per tag).
struct DigestDetails
{
    QString mediaType;
    qint64 size = 0; // the largest platform's layers
    QList<PlatformImage> images;
};

// The manifest of `digest` in `repository` and each image's config (an index: each platform's
// manifest and config, the index's platforms being authoritative).
void describeDigest(RegistryClient &client,
                    const ImageReference &repository,
                    const Digest &digest,
                    std::function<void(Result<DigestDetails>)> done);

// A failure that concerns one tag or digest (schema 1, an artifact, deleted meanwhile): that tag
// is listed without details and the listing goes on. Access and network failures stop it.
bool isPerTagProblem(const Error &error);

// Copies what `details` tells into a tag that points at its digest.
void applyDigestDetails(TagInfo &tag, const DigestDetails &details);

} // namespace Berth
