#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <functional>

namespace Berth {

class RegistryClient;

struct BlobStreamOptions
{
    qint64 bufferSize = 4 * 1024 * 1024; // the most of the blob held at once
    int maxResumes = 5;                  // of the download, after dropped connections
    CancelToken cancel;
    // Bytes of the blob through so far, on the client's thread (a restarted upload starts at 0).
    std::function<void(qint64 done, qint64 total)> progress;
};

// Streams one blob from a repository to another (on one registry or two) without keeping it:
// RegistryClient::downloadBlob feeds a bounded BlobPipe that RegistryClient::uploadBlob reads as
// its body. Each upload attempt (the client restarts an upload from a fresh session after a drop)
// starts its own download. The upload completes only after the download verified the digest, so
// a corrupt source never leaves the blob at the destination; the download's error is the one
// reported.
void streamBlob(RegistryClient &client,
                const ImageReference &source,
                const ImageReference &destination,
                const Descriptor &blob,
                BlobStreamOptions options,
                std::function<void(Status)> done);

} // namespace Berth
