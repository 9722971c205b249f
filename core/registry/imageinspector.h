#pragma once

#include "oci/manifest.h"
#include "registryclient.h"

namespace Berth {

// One platform's image: its manifest, config and build history.
struct InspectedImage
{
    Platform platform;
    Digest manifestDigest;
    QString manifestMediaType;
    ImageManifest manifest;
    Digest configDigest;
    ImageConfig config;
};

struct InspectResult
{
    ImageReference reference;
    Digest digest; // what the tag points at: an index or a manifest
    QString mediaType;
    QList<Descriptor> index;      // the index's entries, empty for a single-platform image
    QList<InspectedImage> images; // the selected platform(s), in index order
};

struct InspectOptions
{
    std::optional<Platform> platform; // default: the host's, when the image is an index
    bool allPlatforms = false;
    // Cancelled: no further request is sent and done() gets a Cancelled error (the request in
    // flight, if any, still finishes; its answer is dropped).
    CancelToken cancel;
};

// Resolves a reference the way `docker pull` would (index → platform manifest → config) and
// reports all of it. Platform manifests and configs are fetched in parallel.
void inspectImage(RegistryClient &client,
                  const ImageReference &reference,
                  const InspectOptions &options,
                  std::function<void(Result<InspectResult>)> done);

} // namespace Berth
