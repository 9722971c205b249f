#pragma once

#include "archive/archivetypes.h"
#include "archive/tarwriter.h"
#include "common/result.h"

#include <QStringList>

namespace Berth {

class OciStore;

// `docker save` from the embedded store, in Docker 25's layout: one tar that both docker (old and
// new) and OCI tools read — manifest.json and repositories for `docker load`, oci-layout and
// index.json (annotated with the image name and tag) for skopeo/podman `oci-archive`, every blob
// once under blobs/sha256/, copied as stored (layers stay compressed as pulled). `names` are
// references or image IDs, in any mix; an image named by ID is saved untagged.
Result<SaveResult> saveImageArchive(const OciStore &store,
                                    const QStringList &names,
                                    TarWriter &writer,
                                    const SaveOptions &options);

} // namespace Berth
