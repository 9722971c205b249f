#pragma once

#include "imagefiles/contentssource.h"
#include "imagefiles/layerstream.h"

namespace Berth {

// The layers `layers` of an engine's image from the engine's own `save` of that one image,
// written into a pipe whose other end is read on a worker thread (nothing written to disk).
// Layers named by their diff_id (podman, Docker 25+) are found in one save; an archive that
// names them otherwise (Docker's older `<id>/layer.tar`) is read to its manifest.json, and the
// layers it did not recognise come from a second save. Once the reader has what it wants (or
// fails, or is cancelled) the save is cancelled and the rest of the pipe drained, so that the
// engine's writes never hit a closed pipe.
void fetchFromEngine(ImageBackend &backend,
                     const ContentsImage &image,
                     const QList<int> &layers,
                     LayerStreamJob job,
                     std::shared_ptr<ProgressRelay> relay,
                     std::function<void(Status)> done);

} // namespace Berth
