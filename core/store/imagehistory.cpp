#include "imagehistory.h"

#include "enginebackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace Berth {

namespace {

const QString Missing = QStringLiteral("<missing>");

QString engineRowId(const QString &id)
{
    if (id.isEmpty() || id == Missing)
        return Missing;
    // Podman's compatible service gives the bare hex of the image ID.
    return id.contains(u':') ? id : u"sha256:" + id;
}

QStringList familiarTags(const QJsonValue &value)
{
    QStringList tags;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        const QString name = EngineBackend::familiarName(v.toString());
        if (!name.isEmpty())
            tags.append(name);
    }
    return tags;
}

} // namespace

QList<ImageHistoryRow> historyFromConfig(const ImageConfig &config,
                                         const QList<Descriptor> &layers,
                                         const Digest &imageId,
                                         const QStringList &tags)
{
    QList<ImageHistoryRow> rows;
    qsizetype layer = 0;
    for (const HistoryEntry &entry : config.history) {
        ImageHistoryRow row;
        row.id = Missing;
        row.created = entry.created;
        row.createdBy = entry.createdBy;
        row.comment = entry.comment;
        row.emptyLayer = entry.emptyLayer;
        if (!entry.emptyLayer && layer < layers.size())
            row.size = layers.at(layer++).size;
        rows.prepend(row);
    }
    if (rows.isEmpty()) {
        // An image without history (some importers write none) is still one step: itself.
        ImageHistoryRow row;
        row.created = config.created;
        for (const Descriptor &d : layers)
            row.size += d.size;
        rows.append(row);
    }
    rows.first().id = imageId.toString();
    rows.first().tags = tags;
    return rows;
}

QList<ImageHistoryRow> parseEngineHistory(const QByteArray &json)
{
    QList<ImageHistoryRow> rows;
    const QJsonArray array = QJsonDocument::fromJson(json).array();
    for (const QJsonValue &value : array) {
        const QJsonObject o = value.toObject();
        ImageHistoryRow row;
        row.id = engineRowId(o.value(u"Id").toString());
        row.created = QDateTime::fromSecsSinceEpoch(o.value(u"Created").toInteger(), Qt::UTC);
        row.createdBy = o.value(u"CreatedBy").toString();
        row.tags = familiarTags(o.value(u"Tags"));
        row.size = std::max<qint64>(0, o.value(u"Size").toInteger());
        row.comment = o.value(u"Comment").toString();
        row.emptyLayer = row.size == 0;
        rows.append(row);
    }
    return rows;
}

QList<qint64> layerSizesFromHistory(const QList<ImageHistoryRow> &rows, qsizetype layerCount)
{
    QList<qint64> sizes;
    for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
        if (!it->emptyLayer)
            sizes.append(it->size);
    }
    if (sizes.size() == layerCount)
        return sizes;
    // A step that made an empty layer (a WORKDIR of the classic builder) reads like one that made
    // none: when every step made a layer, the sizes are the rows'.
    if (rows.size() == layerCount) {
        sizes.clear();
        for (auto it = rows.crbegin(); it != rows.crend(); ++it)
            sizes.append(it->size);
        return sizes;
    }
    return {};
}

QList<HistoryEntry> historyEntries(const QList<ImageHistoryRow> &rows)
{
    QList<HistoryEntry> entries;
    for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
        HistoryEntry entry;
        entry.created = it->created;
        entry.createdBy = it->createdBy;
        entry.comment = it->comment;
        entry.emptyLayer = it->emptyLayer;
        entries.append(entry);
    }
    return entries;
}

} // namespace Berth
