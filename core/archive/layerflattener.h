#pragma once

#include "archive/archivetypes.h"
#include "archive/tarwriter.h"
#include "common/result.h"
#include "oci/manifest.h"

namespace Berth {

class OciStore;

// The filesystem `docker create` + `docker export` would give for an image of the embedded store,
// as one tar streamed from the layer blobs (gzip, zstd or uncompressed), never unpacked to disk:
// layers applied in order, `.wh.<name>` deleting <name> and what is below it in lower layers,
// `.wh..wh..opq` hiding a directory's lower children, a non-directory replacing a lower directory
// and its subtree, the topmost header of a path winning. Whiteouts never appear. Headers are
// copied whole, so hard links, symbolic links, modes (set-uid included), owners, times and xattrs
// are kept; names are normalised (no "./" prefix), and an entry with '..' or an absolute name
// fails naming it. A hard link whose target an upper layer hides still gets the content.
//
// Entries come in layer order from the top: what the top layer holds first, then what each lower
// layer adds that nothing above hides. Progress counts bytes of layer blobs read; the writer is
// finished on success.
Result<ExportResult> exportImageFilesystem(const OciStore &store,
                                           const ImageManifest &manifest,
                                           TarWriter &writer,
                                           const ExportOptions &options);

} // namespace Berth
