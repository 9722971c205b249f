#pragma once

#include "contents/imagetree.h"

#include <QJsonObject>

namespace Berth {

// How a merged tree keeps its summary in the index file's meta (private to core/contents).
QJsonObject imageTreeMeta(const ImageTreeSummary &summary, int topLayer);

} // namespace Berth
