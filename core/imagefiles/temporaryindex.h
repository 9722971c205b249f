#pragma once

#include "common/result.h"
#include "contents/imagetree.h"
#include "contents/indexfile.h"

#include <functional>
#include <memory>
#include <utility>

namespace Berth {

// Index files made for one look (a merged tree, a layer's view, a diff) live in the temporary
// folder only as long as someone reads them: the file goes with the last reference.

// Writes an index with `write(path)` to a fresh temporary path and opens it; the file is removed
// when the last reference goes (and at once when writing fails).
Result<std::shared_ptr<const IndexFile>>
writeTemporaryIndex(const std::function<Status(const QString &path)> &write);

// mergeLayers into a temporary index.
Result<std::pair<std::shared_ptr<const IndexFile>, ImageTreeSummary>>
mergeToTemporary(const QList<const IndexFile *> &layers, const TreeOptions &options);

} // namespace Berth
