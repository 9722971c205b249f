#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"
#include "store/imagebackend.h"

#include <functional>
#include <optional>

namespace Berth {

class RegistryClient;

struct CopyOptions
{
    // One platform of an index (default: the host's), or every platform and the index itself.
    std::optional<Platform> platform;
    bool allPlatforms = false;
    CancelToken cancel;
    // Per blob (item = its digest: Transferring, Skipped, Mounted, Done) and the total (item "").
    std::function<void(const TransferProgress &)> progress;
};

struct CopyResult
{
    ImageReference destination; // as written, normalised
    Digest digest;              // what the destination now points at (kept from the source)
    QString mediaType;
    int manifests = 0;    // manifests and indexes written
    int blobsCopied = 0;  // streamed from source to destination
    int blobsMounted = 0; // cross-repository mounts on one registry
    int blobsSkipped = 0; // the destination had them
    qint64 bytesCopied = 0;
};

// Copies an image from one repository to another, on one registry or two, as `skopeo copy` does:
// each blob streams from the source straight to the destination (nothing in the local store,
// memory bounded), blobs the destination has are skipped, blobs on the same registry are mounted,
// manifests are written byte for byte so that digests stay. A destination with a digest and no tag
// receives the manifest by digest only (what `manifest push` needs for its sources).
// Logins for both sides come from the client's credential provider.
void copyImage(RegistryClient &client,
               const ImageReference &source,
               const ImageReference &destination,
               CopyOptions options,
               std::function<void(Result<CopyResult>)> done);

} // namespace Berth
