#pragma once

#include "archive/archivetypes.h"
#include "archive/tarreader.h"
#include "common/result.h"

namespace Berth {

class OciStore;

// `docker import`: a filesystem tar (a rootfs, `docker export`'s output) becomes a one-layer image
// in the embedded store. `rawReader` was opened with TarReader::Format::Raw, so any compression
// (gzip, bzip2, xz, zstd or none) is already undone; its bytes are the layer, stored uncompressed
// (application/vnd.oci.image.layer.v1.tar, digest = diff ID), hashed and checked as they stream.
//
// Every entry is judged before anything is stored: names stay inside (no '..', no absolute
// path), hard links name earlier entries, device nodes and sockets are refused; the message names
// the entry. The config carries the platform (options.platform or the host's), the changes
// (`--change`), and one history entry whose comment is the message ("Imported from -" when none,
// as docker writes). The image is tagged options.reference, or left untagged.
// All or nothing: on any failure or cancellation the store is as it was.
Result<ImportResult>
importFilesystem(const OciStore &store, TarReader &rawReader, const ImportOptions &options);

} // namespace Berth
