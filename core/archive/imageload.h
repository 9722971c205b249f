#pragma once

#include "archive/archivetypes.h"
#include "common/result.h"

namespace Berth {

class OciStore;
class TarReader;

// `docker load` into the embedded store, from what docker (Docker 25+ and the older
// `<id>/layer.tar` layout), podman and skopeo write (`docker-archive`, `oci-archive`), read in one
// streaming pass: every file that may be a blob goes to a temp file in the store while it is
// hashed, never into memory. Then everything is verified — blobs against the digests naming them,
// layers against the configuration's diff_ids, sizes against descriptors, every file a manifest
// names present — and only then are the blobs committed and the tags written, in one index
// update. A failure at any point leaves the store as it was.
//
// Tags: manifest.json's RepoTags (replacing an image that had the tag, like docker); without
// manifest.json, the io.containerd.image.name annotation, else a ref.name that is a full
// reference. An image with none of these is loaded untagged and reported by image ID.
//
// Hostile input (a `..` or absolute name, a link leaving the archive, a device, fifo or socket, a
// set-uid file, damaged compression, a missing or mismatching blob, an entry larger than the
// store's free space) fails with a message naming the entry. Files no manifest uses are read,
// hashed and dropped, as docker does; the free space of the store bounds what an archive can make
// Berth write.
Result<LoadResult>
loadImageArchive(const OciStore &store, TarReader &reader, const LoadOptions &options);

} // namespace Berth
