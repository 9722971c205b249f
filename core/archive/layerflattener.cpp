#include "archive/layerflattener.h"

#include "archive/entrypath.h"
#include "archive/tarreader.h"
#include "oci/ocilayout.h"

#include <archive_entry.h>

#include <QFileInfo>
#include <QHash>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

// Layers are read from the top down, so that when an entry comes by, everything above it is
// known: whether it is the final state of its path can be decided at once, without a pass over
// the headers first. What the layers above did to the paths is kept as two flags per path.
enum PathFlag : quint8 {
    HidesSelf = 1, // an upper layer has an entry (or a whiteout) at this very path
    HidesBelow
    = 2, // …and lower layers' entries below it are gone (whiteout, opaque, non-directory)
};

const QString WhiteoutPrefix = u".wh."_s;
const QString OpaqueWhiteout = u".wh..wh..opq"_s;
const QString MetaPrefix = u".wh..wh."_s; // aufs' own bookkeeping (.wh..wh.plnk): never content

// Shared so that members can live in Qt containers, which copy on detach.
using EntryPtr = std::shared_ptr<archive_entry>;

EntryPtr cloneEntry(archive_entry *entry)
{
    return EntryPtr(archive_entry_clone(entry), archive_entry_free);
}

// A visible hard link whose content has not been written yet.
struct Member
{
    QString path;
    EntryPtr header;
};

// Paths of one layer that share one inode: a data-carrying entry and the hard links to it.
struct Group
{
    int sourceOrdinal = -1; // the entry holding the content, in this layer; -1 when below it
    QString lowerPath;      // source below: the path the first link named
    QString rep;            // the output path holding the content, once written
    bool isDirectory = false;
    std::vector<Member> waiting; // visible links to write once the content is out
};

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    return slash < 0 ? QString() : path.left(slash);
}

QString baseNameOf(const QString &path)
{
    return path.mid(path.lastIndexOf(u'/') + 1);
}

QString joinPath(const QString &dir, const QString &name)
{
    return dir.isEmpty() ? name : dir + u'/' + name;
}

// True when `flags` hide `path`: the path itself, or a lower child of one of its ancestors (the
// root "" included, for an opaque whiteout at the top).
bool hiddenBy(const QHash<QString, quint8> &flags, const QString &path)
{
    if (flags.isEmpty())
        return false;
    if (flags.value(path) & HidesSelf)
        return true;
    if (flags.value(QString()) & HidesBelow)
        return true;
    for (qsizetype slash = path.indexOf(u'/'); slash >= 0; slash = path.indexOf(u'/', slash + 1)) {
        if (flags.value(path.left(slash)) & HidesBelow)
            return true;
    }
    return false;
}

class Flattener
{
public:
    Flattener(const OciStore &store,
              const ImageManifest &manifest,
              TarWriter &writer,
              const ExportOptions &options)
        : m_store(store)
        , m_manifest(manifest)
        , m_writer(writer)
        , m_options(options)
    {
        for (const Descriptor &layer : manifest.layers)
            m_total += layer.size;
    }

    Result<ExportResult> run();

private:
    Status readLayer(int index);
    Status processEntry(TarReader &reader, int ordinal, int layerIndex);
    void noteWhiteout(const QString &path, const QString &base);
    std::vector<Member> takeLinksFromAbove(const QString &path);
    Status processHardLink(TarReader &reader,
                           const QString &path,
                           bool visible,
                           std::vector<Member> &fromAbove,
                           int layerIndex);
    Status processContent(TarReader &reader,
                          const QString &path,
                          int ordinal,
                          bool visible,
                          std::vector<Member> &fromAbove,
                          int layerIndex);
    Status attach(int group, Member member);
    Status recover(int layerIndex);
    Status finishLayer(int layerIndex);

    Status writeCopy(TarReader &reader, const QString &path, bool counted);
    Status writeLink(Member &member, const QString &target);
    Status copyData(TarReader &reader, bool counted);
    Error cancelled() const { return Error::make(Error::Kind::Cancelled, Berth::tr("Cancelled.")); }
    Error danglingLink(const QString &target) const;
    QString layerName(int index) const;
    void reportProgress(qint64 current);

    const OciStore &m_store;
    const ImageManifest &m_manifest;
    TarWriter &m_writer;
    const ExportOptions &m_options;
    qint64 m_total = 0;
    qint64 m_doneLayers = 0; // blob bytes of the layers already read
    int m_entries = 0;
    int m_layer = 0; // the layer being read

    QHash<QString, quint8> m_upper; // what the layers above the current one did to each path
    // Visible hard links of upper layers whose target is in a lower layer: the topmost entry at
    // that path below them holds (or leads to) their content.
    QHash<QString, std::vector<Member>> m_pending;
    // target → the first link naming it and its layer, for messages
    QHash<QString, std::pair<QString, int>> m_pendingOrigin;

    // The layer being read.
    QHash<QString, quint8> m_layerFlags;
    QHash<QString, int> m_groupOf; // path → group, for this layer's entries so far
    std::vector<Group> m_groups;
    QList<int> m_recover; // groups whose hidden source passed before a visible link needed it
};

QString Flattener::layerName(int index) const
{
    return m_manifest.layers.at(index).digest.toString();
}

Error Flattener::danglingLink(const QString &target) const
{
    const auto [link, layer] = m_pendingOrigin.value(target);
    return Error::make(Error::Kind::InvalidArgument,
                       Berth::tr("Hard link '%1' of layer %2 points to '%3', which the layers "
                                 "below it do not hold.")
                           .arg(link, layerName(layer), target));
}

void Flattener::reportProgress(qint64 current)
{
    if (m_options.progress)
        m_options.progress(ArchiveProgress{{}, current, m_total});
}

Result<ExportResult> Flattener::run()
{
    for (int i = int(m_manifest.layers.size()) - 1; i >= 0; --i) {
        if (m_options.cancel.isCancelled())
            return fail(cancelled());
        if (Status s = readLayer(i); !s)
            return fail(s.error());
    }
    if (!m_pending.isEmpty()) {
        return fail(danglingLink(m_pending.cbegin().key()));
    }
    if (Status s = m_writer.finish(); !s)
        return fail(s.error());
    ExportResult result;
    result.entries = m_entries;
    result.bytesWritten = m_writer.bytesWritten();
    return result;
}

Status Flattener::readLayer(int index)
{
    const Descriptor &layer = m_manifest.layers.at(index);
    m_layer = index;
    const QString path = m_store.blobPath(layer.digest);
    if (!QFileInfo::exists(path))
        return fail(Error::Kind::NotFound,
                    Berth::tr("Layer %1 of the image is not in the image store.")
                        .arg(layer.digest.toString()));
    auto reader = TarReader::openFile(path);
    if (!reader)
        return fail(reader.error());
    m_layerFlags.clear();
    m_groupOf.clear();
    m_groups.clear();
    m_recover.clear();
    for (int ordinal = 0;; ++ordinal) {
        if (m_options.cancel.isCancelled())
            return fail(cancelled());
        auto next = (*reader)->next();
        if (!next)
            return fail(next.error());
        if (!*next)
            break;
        if (Status s = processEntry(**reader, ordinal, index); !s)
            return s;
    }
    m_doneLayers += layer.size;
    reportProgress(m_doneLayers);
    return finishLayer(index);
}

Status Flattener::processEntry(TarReader &reader, int ordinal, int layerIndex)
{
    const TarEntry &entry = reader.entry();
    auto normalised = normaliseEntryPath(entry.path);
    if (!normalised)
        return fail(
            Error::Kind::InvalidArgument,
            Berth::tr("Layer %1: %2").arg(layerName(layerIndex), normalised.error().message));
    const QString path = *normalised;
    if (path.isEmpty())
        return reader.skipData(); // the root directory: docker export has no entry for it

    const QString base = baseNameOf(path);
    if (base.startsWith(WhiteoutPrefix)) {
        noteWhiteout(path, base);
        return reader.skipData();
    }

    const bool visible = !hiddenBy(m_upper, path);
    const bool isDirectory = entry.type == TarEntry::Type::Directory;
    m_layerFlags[path] |= isDirectory ? quint8(HidesSelf) : quint8(HidesSelf | HidesBelow);
    std::vector<Member> fromAbove = takeLinksFromAbove(path);
    if (path != entry.path) {
        const QByteArray utf8 = path.toUtf8();
        archive_entry_set_pathname_utf8(entry.raw, utf8.constData());
    }
    if (entry.type == TarEntry::Type::HardLink)
        return processHardLink(reader, path, visible, fromAbove, layerIndex);
    return processContent(reader, path, ordinal, visible, fromAbove, layerIndex);
}

void Flattener::noteWhiteout(const QString &path, const QString &base)
{
    const QString parent = parentOf(path);
    if (base == OpaqueWhiteout)
        m_layerFlags[parent] |= HidesBelow;
    else if (!base.startsWith(MetaPrefix))
        m_layerFlags[joinPath(parent, base.mid(WhiteoutPrefix.size()))] |= HidesSelf | HidesBelow;
}

// Links from upper layers that named this path: the topmost entry below them is this one.
std::vector<Member> Flattener::takeLinksFromAbove(const QString &path)
{
    std::vector<Member> fromAbove;
    if (auto it = m_pending.find(path); it != m_pending.end()) {
        fromAbove = std::move(it.value());
        m_pending.erase(it);
        m_pendingOrigin.remove(path);
    }
    return fromAbove;
}

Status Flattener::processHardLink(TarReader &reader,
                                  const QString &path,
                                  bool visible,
                                  std::vector<Member> &fromAbove,
                                  int layerIndex)
{
    const TarEntry &entry = reader.entry();
    auto target = resolveHardLinkTarget(path, entry.linkTarget);
    if (!target)
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("Layer %1: %2").arg(layerName(layerIndex), target.error().message));
    int g = m_groupOf.value(*target, -1);
    if (g < 0) {
        // Not an earlier entry of this layer: the link reaches into the layers below.
        Group group;
        group.lowerPath = *target;
        m_groups.push_back(std::move(group));
        g = int(m_groups.size()) - 1;
    }
    m_groupOf.insert(path, g);
    if (m_groups[g].isDirectory)
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("Layer %1: hard link '%2' points to the directory '%3'.")
                        .arg(layerName(layerIndex), path, *target));
    if (visible)
        fromAbove.push_back(Member{path, cloneEntry(entry.raw)});
    if (Status s = reader.skipData(); !s)
        return s;
    for (Member &m : fromAbove) {
        if (Status s = attach(g, std::move(m)); !s)
            return s;
    }
    return {};
}

// An entry holding content (a file, a directory, a symbolic link) starts a group of its own.
Status Flattener::processContent(TarReader &reader,
                                 const QString &path,
                                 int ordinal,
                                 bool visible,
                                 std::vector<Member> &fromAbove,
                                 int layerIndex)
{
    const bool isDirectory = reader.entry().type == TarEntry::Type::Directory;
    Group group;
    group.sourceOrdinal = ordinal;
    group.isDirectory = isDirectory;
    m_groups.push_back(std::move(group));
    const int g = int(m_groups.size()) - 1;
    m_groupOf.insert(path, g);
    if (isDirectory && !fromAbove.empty())
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("Layer %1: hard link '%2' points to the directory '%3'.")
                        .arg(layerName(layerIndex), fromAbove.front().path, path));
    auto members = fromAbove.begin();
    if (visible) {
        if (Status s = writeCopy(reader, QString(), true); !s)
            return s;
        m_groups[g].rep = path;
    } else if (members != fromAbove.end()) {
        // Hidden here, but a link above still shows this content: it gets the data.
        if (Status s = writeCopy(reader, members->path, true); !s)
            return s;
        m_groups[g].rep = members->path;
        ++members;
    } else if (Status s = reader.skipData(); !s) {
        return s;
    }
    for (; members != fromAbove.end(); ++members) {
        if (Status s = attach(g, std::move(*members)); !s)
            return s;
    }
    return {};
}

// A visible link joins its group: written now when the content is out, else once it is.
Status Flattener::attach(int g, Member member)
{
    Group &group = m_groups[g];
    if (!group.rep.isEmpty())
        return writeLink(member, group.rep);
    if (group.sourceOrdinal >= 0 && !m_recover.contains(g))
        m_recover << g; // the hidden source went by unwritten: read the layer again for it
    group.waiting.push_back(std::move(member));
    return {};
}

Status Flattener::writeCopy(TarReader &reader, const QString &path, bool counted)
{
    archive_entry *raw = reader.entry().raw;
    if (!path.isEmpty()) {
        const QByteArray utf8 = path.toUtf8();
        archive_entry_set_pathname_utf8(raw, utf8.constData());
    }
    // Holes come out of the reader as zeros: the copy is written dense.
    archive_entry_sparse_clear(raw);
    if (Status s = m_writer.writeHeader(raw); !s)
        return s;
    ++m_entries;
    return copyData(reader, counted);
}

Status Flattener::writeLink(Member &member, const QString &target)
{
    archive_entry *raw = member.header.get();
    const QByteArray name = member.path.toUtf8();
    const QByteArray link = target.toUtf8();
    archive_entry_set_pathname_utf8(raw, name.constData());
    archive_entry_set_hardlink_utf8(raw, link.constData());
    archive_entry_set_size(raw, 0);
    archive_entry_sparse_clear(raw);
    if (Status s = m_writer.writeHeader(raw); !s)
        return s;
    ++m_entries;
    return {};
}

// `counted`: the bytes read belong to the progress (the second read of a layer does not).
Status Flattener::copyData(TarReader &reader, bool counted)
{
    const qint64 layerSize = m_manifest.layers.at(m_layer).size;
    for (;;) {
        if (m_options.cancel.isCancelled())
            return fail(cancelled());
        auto block = reader.readBlock();
        if (!block)
            return fail(block.error());
        if (block->isEmpty())
            return {};
        if (Status s = m_writer.writeData(*block); !s)
            return s;
        if (counted)
            reportProgress(m_doneLayers + std::min(reader.sourcePosition(), layerSize));
    }
}

// Writes the content of groups whose source an upper layer hid but a visible link of this same
// layer still shows: one more read of the layer, only when that happens.
Status Flattener::recover(int layerIndex)
{
    QHash<int, int> byOrdinal;
    for (int g : std::as_const(m_recover)) {
        if (!m_groups[g].waiting.empty())
            byOrdinal.insert(m_groups[g].sourceOrdinal, g);
    }
    if (byOrdinal.isEmpty())
        return {};
    auto reader = TarReader::openFile(m_store.blobPath(m_manifest.layers.at(layerIndex).digest));
    if (!reader)
        return fail(reader.error());
    for (int ordinal = 0; !byOrdinal.isEmpty(); ++ordinal) {
        if (m_options.cancel.isCancelled())
            return fail(cancelled());
        auto next = (*reader)->next();
        if (!next)
            return fail(next.error());
        if (!*next)
            break;
        const auto found = byOrdinal.constFind(ordinal);
        if (found == byOrdinal.cend()) {
            if (Status s = (*reader)->skipData(); !s)
                return s;
            continue;
        }
        Group &group = m_groups[found.value()];
        byOrdinal.erase(found);
        auto members = group.waiting.begin();
        if (Status s = writeCopy(**reader, members->path, false); !s)
            return s;
        group.rep = members->path;
        for (++members; members != group.waiting.end(); ++members) {
            if (Status s = writeLink(*members, group.rep); !s)
                return s;
        }
        group.waiting.clear();
    }
    if (!byOrdinal.isEmpty())
        return fail(
            Error::Kind::Io,
            Berth::tr("Layer %1 changed while it was being read.").arg(layerName(layerIndex)));
    return {};
}

Status Flattener::finishLayer(int layerIndex)
{
    if (Status s = recover(layerIndex); !s)
        return s;
    // Links from above whose target this layer deletes without holding it: the target was gone
    // when the link was made.
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (hiddenBy(m_layerFlags, it.key()))
            return fail(danglingLink(it.key()));
    }
    // This layer's links into lower layers now wait for their target below.
    for (Group &group : m_groups) {
        if (group.sourceOrdinal >= 0 || group.waiting.empty())
            continue;
        if (!m_pendingOrigin.contains(group.lowerPath))
            m_pendingOrigin.insert(group.lowerPath, {group.waiting.front().path, layerIndex});
        auto &list = m_pending[group.lowerPath];
        for (Member &m : group.waiting)
            list.push_back(std::move(m));
    }
    for (auto it = m_layerFlags.cbegin(); it != m_layerFlags.cend(); ++it)
        m_upper[it.key()] |= it.value();
    return {};
}

} // namespace

Result<ExportResult> exportImageFilesystem(const OciStore &store,
                                           const ImageManifest &manifest,
                                           TarWriter &writer,
                                           const ExportOptions &options)
{
    return Flattener(store, manifest, writer, options).run();
}

} // namespace Berth
