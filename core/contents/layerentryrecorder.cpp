#include "contents/layerentryrecorder.h"

namespace Berth {

namespace {

constexpr QByteArrayView WhiteoutPrefix = ".wh.";
constexpr QByteArrayView MetaPrefix = ".wh..wh."; // aufs' own files; only ".opq" means anything
constexpr QByteArrayView OpaqueMarker = ".wh..wh..opq";
// Opaque directories remembered for a header that comes after their marker: a bound on what a
// hostile layer of markers can make the recorder keep.
constexpr qsizetype MaxRememberedOpaque = 64 * 1024;

ContentsEntry::Type contentsTypeOf(TarEntry::Type type)
{
    switch (type) {
    case TarEntry::Type::File:
        return ContentsEntry::Type::File;
    case TarEntry::Type::Directory:
        return ContentsEntry::Type::Directory;
    case TarEntry::Type::Symlink:
        return ContentsEntry::Type::Symlink;
    case TarEntry::Type::HardLink:
        return ContentsEntry::Type::HardLink;
    case TarEntry::Type::CharDevice:
        return ContentsEntry::Type::CharDevice;
    case TarEntry::Type::BlockDevice:
        return ContentsEntry::Type::BlockDevice;
    case TarEntry::Type::Fifo:
        return ContentsEntry::Type::Fifo;
    case TarEntry::Type::Socket:
        return ContentsEntry::Type::Socket;
    case TarEntry::Type::Other:
        break;
    }
    return ContentsEntry::Type::Other;
}

// What every entry takes from its header, whatever its type.
ContentsEntry entryFromHeader(const TarEntry &tar, QByteArray path)
{
    ContentsEntry e;
    e.path = std::move(path);
    e.mode = quint32(tar.mode);
    e.uid = tar.uid;
    e.gid = tar.gid;
    e.mtime = tar.mtime;
    return e;
}

QByteArray joinLayerPath(QByteArrayView dir, QByteArrayView name)
{
    if (dir.isEmpty())
        return name.toByteArray();
    return dir.toByteArray() + '/' + name.toByteArray();
}

} // namespace

QByteArray normaliseLayerPath(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    while (!raw.isEmpty()) {
        const qsizetype slash = raw.indexOf('/');
        const QByteArrayView part = slash < 0 ? raw : raw.first(slash);
        raw = slash < 0 ? QByteArrayView() : raw.sliced(slash + 1);
        if (part.isEmpty() || part == ".")
            continue;
        if (!out.isEmpty())
            out += '/';
        out += part;
    }
    return out;
}

LayerEntryRecorder::LayerEntryRecorder(IndexWriter &writer, bool hashContents)
    : m_writer(writer)
    , m_hashContents(hashContents)
{}

Status LayerEntryRecorder::record(TarReader &tar, const CheckedEntry &checked)
{
    const TarEntry &header = tar.entry();
    QByteArray path = normaliseLayerPath(header.rawPath);
    if (path.isEmpty() || checked.path.isEmpty()) // the root: a layer index has no entry for it
        return {};
    if (path.startsWith(MetaPrefix) && !path.endsWith(OpaqueMarker)) // aufs' own, not the image's
        return {};
    if (baseName(path).startsWith(WhiteoutPrefix))
        return recordWhiteout(header, path);
    ContentsEntry e = entryFromHeader(header, std::move(path));
    e.type = contentsTypeOf(header.type);
    if (e.type == ContentsEntry::Type::HardLink)
        e.linkTarget = normaliseLayerPath(header.rawLinkTarget);
    else if (e.type == ContentsEntry::Type::Symlink)
        e.linkTarget = header.rawLinkTarget;
    if (e.type == ContentsEntry::Type::File) {
        e.size = header.size;
        m_fileBytes += header.size;
        if (m_hashContents) {
            m_hash.reset();
            for (;;) {
                auto block = tar.readBlock();
                if (!block)
                    return fail(block.error());
                if (block->isEmpty())
                    break;
                m_hash.addData(*block);
            }
            e.contentDigest = m_hash.result();
        }
    }
    if (e.isDirectory() && m_opaque.contains(e.path))
        e.opaque = true;
    leaveDirectoriesAbove(e.path);
    if (e.isDirectory())
        m_directories.push_back(e);
    ++m_entries;
    return add(e);
}

Status LayerEntryRecorder::recordWhiteout(const TarEntry &tar, const QByteArray &path)
{
    const QByteArrayView base = baseName(path);
    if (base == OpaqueMarker)
        return markOpaque(path);
    if (base.startsWith(MetaPrefix)) // aufs' bookkeeping files: not the image's
        return {};
    const QByteArrayView name = base.sliced(WhiteoutPrefix.size());
    if (name.isEmpty() || name == "." || name == "..")
        return fail(Error::Kind::InvalidArgument,
                    tr("Whiteout '%1' names no file of its directory.").arg(displayPath(path)));
    ContentsEntry e = entryFromHeader(tar, joinLayerPath(parentPath(path), name));
    e.type = ContentsEntry::Type::Whiteout;
    leaveDirectoriesAbove(path);
    ++m_entries;
    return add(e);
}

// The directory gets the opaque mark. Its header normally came just before (a tree walk names a
// directory first): it is recorded again, marked; otherwise an implicit directory carries the
// mark, and a header that comes later takes it over.
Status LayerEntryRecorder::markOpaque(const QByteArray &marker)
{
    const QByteArray dir = parentPath(marker).toByteArray();
    if (dir.isEmpty()) // the root cannot be marked: a layer index has no entry for it
        return {};
    if (m_opaque.size() < MaxRememberedOpaque)
        m_opaque.insert(dir);
    leaveDirectoriesAbove(marker);
    if (!m_directories.empty() && m_directories.back().path == dir) {
        m_directories.back().opaque = true;
        return add(m_directories.back());
    }
    ContentsEntry e;
    e.path = dir;
    e.type = ContentsEntry::Type::Directory;
    e.mode = 0755;
    e.opaque = true;
    e.implicit = true;
    return add(e);
}

Status LayerEntryRecorder::add(const ContentsEntry &entry)
{
    return m_writer.add(entry);
}

void LayerEntryRecorder::leaveDirectoriesAbove(QByteArrayView path)
{
    while (!m_directories.empty()
           && (path == m_directories.back().path || !isWithin(path, m_directories.back().path)))
        m_directories.pop_back();
}

} // namespace Berth
