#pragma once

#include "store/imagebackend.h"

#include <QByteArray>
#include <QList>

namespace Berth {

// `docker history` for every backend: the rows from an image configuration (embedded store) or
// from the engine's /images/{name}/history answer, and what the GUI derives from them.

// The configuration's history, newest first; a step that made a layer gets that layer's size
// (the layers in manifest order). The newest row carries the image ID and tags, the others
// "<missing>", as docker prints them for a pulled image.
QList<ImageHistoryRow> historyFromConfig(const ImageConfig &config,
                                         const QList<Descriptor> &layers,
                                         const Digest &imageId,
                                         const QStringList &tags);

// GET /images/{name}/history: [{Id, Created, CreatedBy, Tags, Size, Comment}], newest first.
// Tags in their familiar form. An empty list for an answer that is not such an array.
QList<ImageHistoryRow> parseEngineHistory(const QByteArray &json);

// The size of each layer (oldest first) from history rows (newest first): the rows that made a
// layer, matched in order. Empty when they cannot be matched (the engine does not say which steps
// made no layer; a zero size is taken for none).
QList<qint64> layerSizesFromHistory(const QList<ImageHistoryRow> &rows, qsizetype layerCount);

// The rows as configuration history (oldest first), for ImageConfig::reconstructedDockerfile().
QList<HistoryEntry> historyEntries(const QList<ImageHistoryRow> &rows);

} // namespace Berth
