#pragma once

#include "reference/imagereference.h"

#include <QByteArray>

namespace Berth {

// Untagging where a registry cannot delete a tag (distribution 2.8): a manifest of no content,
// unique to this untag, is PUT to the tag and then deleted by its digest, which takes the tag
// with it and leaves the image the tag pointed at and its other tags alone (regclient's method).

// The OCI empty descriptor's blob ("{}"), which the throw-away manifest names as its config.
inline constexpr auto EmptyConfigMediaType = "application/vnd.oci.empty.v1+json";
inline constexpr auto EmptyConfigContent = "{}";
inline constexpr auto EmptyConfigDigest
    = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
// The annotation that makes each throw-away manifest unique ("<tag> <time> <random>"): two
// untags must never produce the same digest, or deleting one could remove another's tag.
inline constexpr auto UntagAnnotation = "dev.berth.untag";

// An OCI image manifest: the empty config, no layers, the untag annotation. `nonce` is what makes
// it unique (a time and a random number).
QByteArray throwAwayManifest(const QString &tag, const QString &nonce);
// A fresh nonce: the UTC time to the millisecond and 64 random bits.
QString untagNonce();

} // namespace Berth
