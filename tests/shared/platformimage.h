#pragma once

#include "common/result.h"
#include "reference/imagereference.h"

namespace Berth {
class RegistryClient;
}

namespace BerthTest {

// A small image for one platform ("linux/arm/v7") pushed to `reference`, written as a Docker
// schema 2 manifest (`docker`) or an OCI one: a layer of random bytes (registries do not look
// inside layers) and a config naming the platform. What multi-platform tests combine. Runs the
// registry calls to completion on the caller's event loop; answers the manifest's digest.
Berth::Result<Berth::Digest> pushPlatformImage(Berth::RegistryClient &client,
                                               const Berth::ImageReference &reference,
                                               const QString &platform,
                                               bool docker);

} // namespace BerthTest
