#include "contents/imagetree.h"
#include "contents/imagetreemeta.h"

#include <QJsonArray>

#include <algorithm>
#include <vector>

namespace Berth {

namespace {

const QString TreeKey = QStringLiteral("imageTree");

QJsonObject layerJson(const LayerStats &s)
{
    return QJsonObject{
        {QStringLiteral("entries"), double(s.entries)},
        {QStringLiteral("added"), double(s.added)},
        {QStringLiteral("changed"), double(s.changed)},
        {QStringLiteral("deleted"), double(s.deleted)},
        {QStringLiteral("fileBytes"), double(s.fileBytes)},
        {QStringLiteral("addedBytes"), double(s.addedBytes)},
        {QStringLiteral("changedBytes"), double(s.changedBytes)},
        {QStringLiteral("wastedBytes"), double(s.wastedBytes)},
    };
}

qint64 number(const QJsonObject &o, const char *key)
{
    return qint64(o.value(QLatin1String(key)).toDouble());
}

LayerStats layerFromJson(const QJsonObject &o)
{
    LayerStats s;
    s.entries = number(o, "entries");
    s.added = number(o, "added");
    s.changed = number(o, "changed");
    s.deleted = number(o, "deleted");
    s.fileBytes = number(o, "fileBytes");
    s.addedBytes = number(o, "addedBytes");
    s.changedBytes = number(o, "changedBytes");
    s.wastedBytes = number(o, "wastedBytes");
    return s;
}

// The heap's order: its top is the smallest file kept (of equal sizes, the later path), the one
// a larger file pushes out.
bool largerFile(const LargestFile &a, const LargestFile &b)
{
    if (a.size != b.size)
        return a.size > b.size;
    return compareTreeOrder(a.path, b.path) < 0;
}

} // namespace

QJsonObject imageTreeMeta(const ImageTreeSummary &summary, int topLayer)
{
    QJsonArray layers;
    for (const LayerStats &s : summary.layers)
        layers.append(layerJson(s));
    const QJsonObject tree{
        {QStringLiteral("layers"), layers},
        {QStringLiteral("entries"), double(summary.entries)},
        {QStringLiteral("visibleBytes"), double(summary.visibleBytes)},
        {QStringLiteral("totalBytes"), double(summary.totalBytes)},
        {QStringLiteral("wastedBytes"), double(summary.wastedBytes)},
        {QStringLiteral("topLayer"), topLayer},
    };
    return QJsonObject{{TreeKey, tree}};
}

ImageTreeSummary treeSummary(const IndexFile &tree)
{
    const QJsonObject o = tree.meta().value(TreeKey).toObject();
    ImageTreeSummary summary;
    for (const QJsonValue &layer : o.value(QStringLiteral("layers")).toArray())
        summary.layers.append(layerFromJson(layer.toObject()));
    summary.entries = number(o, "entries");
    summary.visibleBytes = number(o, "visibleBytes");
    summary.totalBytes = number(o, "totalBytes");
    summary.wastedBytes = number(o, "wastedBytes");
    return summary;
}

// A bounded heap of the `count` largest seen so far: memory is `count`, not the tree's size.
QList<LargestFile> largestFiles(const IndexFile &tree, int count)
{
    if (count <= 0)
        return {};
    std::vector<LargestFile> heap;
    heap.reserve(size_t(count) + 1);
    for (qint64 i = 0; i < tree.count(); ++i) {
        const IndexRecord &r = tree.record(i);
        if (r.type != quint8(ContentsEntry::Type::File)
            || r.change == quint8(ContentsEntry::Change::Deleted))
            continue;
        if (qsizetype(heap.size()) == count && r.size <= heap.front().size)
            continue; // not larger than the smallest kept, which came earlier in tree order
        heap.push_back(LargestFile{tree.path(i).toByteArray(), r.size, r.layer});
        std::push_heap(heap.begin(), heap.end(), largerFile);
        if (qsizetype(heap.size()) > count) {
            std::pop_heap(heap.begin(), heap.end(), largerFile);
            heap.pop_back();
        }
    }
    std::sort_heap(heap.begin(), heap.end(), largerFile);
    return QList<LargestFile>(heap.begin(), heap.end());
}

} // namespace Berth
