#include "contents/imagetree.h"
#include "contents/imagetreemeta.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <vector>

namespace Berth {

namespace {

using Type = ContentsEntry::Type;
using Change = ContentsEntry::Change;

constexpr qint64 CancelCheckInterval = 4096;
constexpr int MaxLayers = 65535; // IndexRecord::layer is 16 bits

// One layer's record at the path being merged.
struct Hit
{
    int layer = 0;
    qint64 record = 0;
    // A whiteout with entries of its own layer below it (`.wh.P` and `P/x` in one tar): the
    // lower P is gone and the layer makes a fresh directory, as an opaque one does.
    bool whiteoutDirectory = false;
};

// The entry a path shows once some layers are applied: the index of its Hit, or none.
struct Visible
{
    int hit = -1;
    int layer = 0;
    Change change = Change::None;
    bool exists() const { return hit >= 0; }
};

// What the output holds at a path, which decides what its children may show.
enum class Shown : quint8 { Nothing, Directory, Other, DeletedDirectory };

// A path whose subtree is being merged: views into the mapped layer files stay valid throughout.
struct Frame
{
    QByteArrayView path;
    Shown shown = Shown::Nothing;
};

// The path's history through the layers, bottom to top.
struct Walk
{
    Visible now;            // what the merged layers show
    Visible beforeTop;      // what the layers below the top one showed
    bool lostAtTop = false; // the top layer removed what was there
};

class TreeMerger
{
public:
    TreeMerger(const QList<const IndexFile *> &layers, int top, const TreeOptions &options)
        : m_layers(layers.mid(0, top + 1))
        , m_top(top)
        , m_layerView(options.topLayer >= 0)
        , m_cancel(options.cancel)
        , m_words((top + 1 + 63) / 64)
    {
        m_summary.layers.resize(top + 1);
    }

    Result<ImageTreeSummary> run(const QString &outputPath);

private:
    void startCursors();
    QByteArrayView nextPath();
    void popFramesOutside(QByteArrayView path);
    Status mergePath(QByteArrayView path);
    Walk walkLayers(const quint64 *hidden);
    Visible applyEntry(int h, bool hiddenHere, Visible before);
    Result<Shown> showPath(const Walk &walk, Shown parent);
    Status write(const Visible &v, int layer, Change change);
    void countBytes(int shownHit);
    void pushFrame(QByteArrayView path, Shown shown);
    void addMarkers(quint64 *bits) const;

    const IndexRecord &record(const Hit &h) const { return m_layers[h.layer]->record(h.record); }
    const IndexRecord &record(const Visible &v) const { return record(m_hits[v.hit]); }
    bool isDirectory(const Visible &v) const
    {
        return record(v).type == quint8(Type::Directory) || m_hits[v.hit].whiteoutDirectory;
    }
    quint64 *markers(size_t frame) { return m_markers.data() + frame * m_words; }
    int nextMarker(const quint64 *bits, int from) const;

    QList<const IndexFile *> m_layers;
    int m_top;
    bool m_layerView;
    CancelToken m_cancel;
    int m_words;
    std::vector<qint64> m_at;       // each layer's cursor
    std::vector<int> m_heap;        // the layers with records left, by their cursor's path
    std::vector<Hit> m_hits;        // the records at the current path, bottom layer first
    std::vector<Frame> m_frames;    // the current path's ancestors, the root first
    std::vector<quint64> m_markers; // per frame: layers hiding lower layers' entries below it
    std::unique_ptr<IndexWriter> m_writer;
    ImageTreeSummary m_summary;
};

Result<ImageTreeSummary> TreeMerger::run(const QString &outputPath)
{
    auto writer = IndexWriter::create(outputPath, IndexWriter::Order::Presorted);
    if (!writer)
        return fail(writer.error());
    m_writer = std::move(*writer);
    startCursors();
    m_frames.push_back(Frame{QByteArrayView(""), Shown::Directory});
    m_markers.assign(size_t(m_words), 0);
    for (qint64 n = 0;; ++n) {
        if (n % CancelCheckInterval == 0 && m_cancel.isCancelled())
            return fail(Error::Kind::Cancelled, Berth::tr("Cancelled."));
        if (m_heap.empty())
            break;
        if (Status s = mergePath(nextPath()); !s)
            return fail(s.error());
    }
    m_summary.wastedBytes = m_summary.totalBytes - m_summary.visibleBytes;
    if (Status s = m_writer->finish(imageTreeMeta(m_summary, m_layerView ? m_top : -1)); !s)
        return fail(s.error());
    return m_summary;
}

// ---- the k-way merge: a heap of layers ordered by their next path (then bottom first) ----

void TreeMerger::startCursors()
{
    m_at.assign(size_t(m_layers.size()), 0);
    for (int layer = 0; layer < int(m_layers.size()); ++layer)
        if (m_layers[layer]->count() > 0)
            m_heap.push_back(layer);
    const auto later = [this](int a, int b) {
        const int c = compareTreeOrder(m_layers[a]->path(m_at[a]), m_layers[b]->path(m_at[b]));
        return c != 0 ? c > 0 : a > b;
    };
    std::make_heap(m_heap.begin(), m_heap.end(), later);
}

// The smallest path any layer has next; its records (one per layer) go to m_hits.
QByteArrayView TreeMerger::nextPath()
{
    const auto later = [this](int a, int b) {
        const int c = compareTreeOrder(m_layers[a]->path(m_at[a]), m_layers[b]->path(m_at[b]));
        return c != 0 ? c > 0 : a > b;
    };
    m_hits.clear();
    const QByteArrayView path = m_layers[m_heap.front()]->path(m_at[m_heap.front()]);
    while (!m_heap.empty()) {
        const int layer = m_heap.front();
        if (m_layers[layer]->path(m_at[layer]) != path)
            break;
        std::pop_heap(m_heap.begin(), m_heap.end(), later);
        const IndexRecord &r = m_layers[layer]->record(m_at[layer]);
        m_hits.push_back(
            Hit{layer,
                m_at[layer],
                r.type == quint8(Type::Whiteout) && r.subtreeEnd > quint64(m_at[layer]) + 1});
        if (++m_at[layer] < m_layers[layer]->count())
            std::push_heap(m_heap.begin(), m_heap.end(), later);
        else
            m_heap.pop_back();
    }
    return path;
}

// ---- one path ----

void TreeMerger::popFramesOutside(QByteArrayView path)
{
    while (m_frames.size() > 1 && !isWithin(path, m_frames.back().path))
        m_frames.pop_back();
}

Status TreeMerger::mergePath(QByteArrayView path)
{
    if (path.isEmpty()) {
        // The root itself (`.wh..wh..opq` at the top of a layer): only what it hides matters.
        addMarkers(markers(0));
        return {};
    }
    popFramesOutside(path);
    const Walk walk = walkLayers(markers(m_frames.size() - 1));
    auto shown = showPath(walk, m_frames.back().shown);
    if (!shown)
        return fail(shown.error());
    pushFrame(path, *shown);
    return {};
}

int TreeMerger::nextMarker(const quint64 *bits, int from) const
{
    for (int word = from / 64; word < m_words; ++word) {
        quint64 w = bits[word];
        if (word == from / 64)
            w &= ~quint64(0) << (from % 64);
        if (w)
            return word * 64 + std::countr_zero(w);
    }
    return -1;
}

// Applies the layers bottom to top, visiting only those with a record at the path or one that
// hides it from above (a whiteout, opaque directory or non-directory at an ancestor).
Walk TreeMerger::walkLayers(const quint64 *hidden)
{
    Walk walk;
    size_t h = 0;
    int marker = nextMarker(hidden, 0);
    while (h < m_hits.size() || marker >= 0) {
        const int hitLayer = h < m_hits.size() ? m_hits[h].layer : INT_MAX;
        const int layer = marker >= 0 ? std::min(hitLayer, marker) : hitLayer;
        const bool hiddenHere = layer == marker;
        const Visible before = walk.now;
        if (hitLayer == layer) {
            walk.now = applyEntry(int(h), hiddenHere, before);
            ++h;
        } else {
            if (before.exists())
                ++m_summary.layers[layer].deleted;
            walk.now = {};
        }
        if (layer == m_top) {
            walk.beforeTop = before;
            walk.lostAtTop = before.exists() && !walk.now.exists();
        }
        if (hiddenHere)
            marker = nextMarker(hidden, layer + 1);
    }
    return walk;
}

// One layer's entry over what the layers below show (`before`; nothing when an ancestor's
// marker in this layer hides it).
Visible TreeMerger::applyEntry(int h, bool hiddenHere, Visible before)
{
    const Hit &hit = m_hits[h];
    const IndexRecord &r = record(hit);
    LayerStats &stats = m_summary.layers[hit.layer];
    const bool implicit = r.flags & IndexRecord::Implicit;
    const qint64 fileBytes = r.type == quint8(Type::File) ? r.size : 0;
    if (!implicit) {
        ++stats.entries;
        stats.fileBytes += fileBytes;
    }
    if (r.type == quint8(Type::Whiteout) && !hit.whiteoutDirectory) {
        if (before.exists())
            ++stats.deleted;
        return {};
    }
    const Visible base = hiddenHere ? Visible{} : before;
    if (implicit && r.type == quint8(Type::Directory) && base.exists() && isDirectory(base))
        return base; // a directory a child implies: the real one below keeps its metadata
    const Change change = before.exists() ? Change::Changed : Change::Added;
    if (!implicit) {
        if (change == Change::Added) {
            ++stats.added;
            stats.addedBytes += fileBytes;
        } else {
            ++stats.changed;
            stats.changedBytes += fileBytes;
        }
    }
    return Visible{h, hit.layer, change};
}

// Writes what the path shows: its winning entry when its parent is a directory of the result,
// or, in a layer's view, what that layer deleted.
Result<Shown> TreeMerger::showPath(const Walk &walk, Shown parent)
{
    if (walk.now.exists() && parent == Shown::Directory) {
        if (Status s = write(walk.now, walk.now.layer, walk.now.change); !s)
            return fail(s.error());
        countBytes(walk.now.hit);
        ++m_summary.entries;
        return isDirectory(walk.now) ? Shown::Directory : Shown::Other;
    }
    countBytes(-1);
    const bool deletedHere = parent == Shown::Directory || parent == Shown::DeletedDirectory;
    if (!m_layerView || !walk.lostAtTop || !deletedHere)
        return Shown::Nothing;
    if (Status s = write(walk.beforeTop, m_top, Change::Deleted); !s)
        return fail(s.error());
    return isDirectory(walk.beforeTop) ? Shown::DeletedDirectory : Shown::Nothing;
}

Status TreeMerger::write(const Visible &v, int layer, Change change)
{
    const Hit &hit = m_hits[v.hit];
    ContentsEntry e = m_layers[hit.layer]->entry(hit.record);
    if (hit.whiteoutDirectory) {
        e = ContentsEntry{};
        e.path = m_layers[hit.layer]->path(hit.record).toByteArray();
        e.type = Type::Directory;
        e.mode = 0755;
        e.implicit = true;
    }
    e.layer = quint16(layer);
    e.change = change;
    e.opaque = false; // a merged tree has no lower layers left to hide
    return m_writer->add(e);
}

// Every regular file's bytes: visible when shown, else wasted in the layer that carries them.
void TreeMerger::countBytes(int shownHit)
{
    for (int h = 0; h < int(m_hits.size()); ++h) {
        const IndexRecord &r = record(m_hits[h]);
        if (r.type != quint8(Type::File))
            continue;
        m_summary.totalBytes += r.size;
        if (h == shownHit)
            m_summary.visibleBytes += r.size;
        else
            m_summary.layers[m_hits[h].layer].wastedBytes += r.size;
    }
}

// The path becomes the parent of what follows: what it hides below it joins its ancestors'.
void TreeMerger::pushFrame(QByteArrayView path, Shown shown)
{
    const size_t parent = m_frames.size() - 1;
    m_frames.push_back(Frame{path, shown});
    m_markers.resize(m_frames.size() * size_t(m_words));
    quint64 *bits = markers(m_frames.size() - 1);
    std::copy_n(markers(parent), m_words, bits);
    addMarkers(bits);
}

// The layers whose record at the current path hides lower layers' entries below it: a
// whiteout, an opaque directory, anything that is not a directory.
void TreeMerger::addMarkers(quint64 *bits) const
{
    for (const Hit &hit : m_hits) {
        const IndexRecord &r = record(hit);
        if (r.type != quint8(Type::Directory) || (r.flags & IndexRecord::Opaque))
            bits[hit.layer / 64] |= quint64(1) << (hit.layer % 64);
    }
}

} // namespace

Result<ImageTreeSummary> mergeLayers(const QList<const IndexFile *> &layers,
                                     const QString &outputPath,
                                     const TreeOptions &options)
{
    const int count = int(layers.size());
    if (count > MaxLayers)
        return fail(Error::Kind::Unsupported,
                    Berth::tr("The image has %1 layers; at most %2 can be looked inside.")
                        .arg(count)
                        .arg(MaxLayers));
    if (options.topLayer >= count || options.topLayer < -1)
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("The image has no layer %1 (it has %n layer(s)).", nullptr, count)
                        .arg(options.topLayer));
    const int top = options.topLayer >= 0 ? options.topLayer : count - 1;
    return TreeMerger(layers, top, options).run(outputPath);
}

} // namespace Berth
