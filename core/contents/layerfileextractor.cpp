#include "contents/layerextract.h"

#include "archive/layerstream.h"
#include "archive/tarreader.h"
#include "contents/layerentryrecorder.h"

#include <QSet>

#include <atomic>
#include <mutex>
#include <optional>

namespace Berth {

namespace {

Error enough()
{
    Error e = Error::make(Error::Kind::Cancelled, LayerFileExtractor::tr("Every file is out."));
    e.code = LayerFileExtractor::EnoughCode;
    return e;
}

bool isEnough(const Error &e)
{
    return e.kind == Error::Kind::Cancelled && e.code == LayerFileExtractor::EnoughCode;
}

ContentsEntry::Type entryType(const TarEntry &entry)
{
    switch (entry.type) {
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

ContentsEntry contentsEntry(const TarEntry &tar, QByteArray path)
{
    ContentsEntry e;
    e.path = std::move(path);
    e.type = entryType(tar);
    e.mode = quint32(tar.mode);
    e.size = e.type == ContentsEntry::Type::File ? tar.size : 0;
    e.uid = tar.uid;
    e.gid = tar.gid;
    e.mtime = tar.mtime;
    if (e.type == ContentsEntry::Type::Symlink)
        e.linkTarget = tar.rawLinkTarget;
    else if (e.type == ContentsEntry::Type::HardLink)
        e.linkTarget = normaliseLayerPath(tar.rawLinkTarget);
    return e;
}

} // namespace

// What survives a restart (the source sends the layer again from its first byte): files already
// out are not written twice, and the file cut short continues where it stopped.
struct ExtractProgress
{
    QHash<QByteArray, QByteArray> written; // layer path → relative path, regular files written
    QSet<QByteArray> handled;              // every wanted path dealt with
    QByteArray partial;                    // the file begun but not ended
    qint64 partialBytes = 0;               // of it already given to the target
    qint64 bytes = 0;                      // file data written
    bool complete = false;
};

struct LayerFileExtractor::Shared
{
    QString layer;
    QHash<QByteArray, QByteArray> wanted;
    ExtractTarget *target = nullptr;
    ExtractProgress progress;           // the pump's thread's alone while it runs
    std::optional<Error> error;         // set on that thread before it stops taking input
    std::atomic<bool> complete = false; // every wanted file is out
    std::unique_ptr<LayerPump> pump;

    void start();
    bool run(const TarReader::BlockFunction &read);
    Status visit(TarReader &tar);
    Status checkAllHandled() const;
    Status extractEntry(TarReader &tar, const QByteArray &path, const QByteArray &relative);
    Status writeFile(TarReader &tar, const ContentsEntry &entry, const QByteArray &relative);
    Status writeHardLink(const ContentsEntry &entry, const QByteArray &relative);
    Error damaged(const Error &reason) const;
};

Error LayerFileExtractor::Shared::damaged(const Error &reason) const
{
    if ((reason.kind != Error::Kind::InvalidArgument && reason.kind != Error::Kind::Io)
        || reason.message.contains(layer))
        return reason;
    return Error::make(reason.kind,
                       LayerFileExtractor::tr("%1 cannot be read: %2").arg(layer, reason.message));
}

// The layer is read as the indexer reads it (every header judged, so a layer the index refused is
// refused here too); the visitor takes the wanted entries, and stops the read once all are out.
bool LayerFileExtractor::Shared::run(const TarReader::BlockFunction &read)
{
    auto layerRead = readLayer(
        read, layer, layer, [this](TarReader &tar, const CheckedEntry &) { return visit(tar); });
    Status s = layerRead ? checkAllHandled() : Status(fail(layerRead.error()));
    if (!s)
        error = isEnough(s.error()) && progress.complete ? enough() : s.error();
    if (progress.complete)
        complete = true;
    // Stopping takes no more input: write() then answers why.
    return s && !progress.complete;
}

Status LayerFileExtractor::Shared::visit(TarReader &tar)
{
    if (progress.complete) // nothing was wanted
        return fail(enough());
    const QByteArray path = normaliseLayerPath(tar.entry().rawPath);
    const auto it = wanted.constFind(path);
    if (it == wanted.cend() || progress.handled.contains(path))
        return {};
    Status s = extractEntry(tar, path, *it);
    if (!s && isEnough(s.error())) {
        progress.complete = true;
        return s;
    }
    if (!s)
        return s;
    progress.handled.insert(path);
    progress.complete = progress.handled.size() == wanted.size();
    return progress.complete ? Status(fail(enough())) : Status();
}

Status LayerFileExtractor::Shared::checkAllHandled() const
{
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        if (!progress.handled.contains(it.key()))
            return fail(
                Error::Kind::NotFound,
                LayerFileExtractor::tr("%1 has no file '%2'.").arg(layer, displayPath(it.key())));
    }
    return {};
}

Status LayerFileExtractor::Shared::extractEntry(TarReader &tar,
                                                const QByteArray &path,
                                                const QByteArray &relative)
{
    const ContentsEntry entry = contentsEntry(tar.entry(), path);
    switch (entry.type) {
    case ContentsEntry::Type::File:
        return writeFile(tar, entry, relative);
    case ContentsEntry::Type::HardLink:
        return writeHardLink(entry, relative);
    case ContentsEntry::Type::Directory:
        return target->directory(entry, relative);
    case ContentsEntry::Type::Symlink:
        return target->symlink(entry, relative);
    default:
        return target->special(entry, relative);
    }
}

Status LayerFileExtractor::Shared::writeFile(TarReader &tar,
                                             const ContentsEntry &entry,
                                             const QByteArray &relative)
{
    // After a restart the file cut short goes on where it stopped: its first bytes are out.
    qint64 skip = 0;
    if (progress.partial == entry.path) {
        skip = progress.partialBytes;
    } else {
        if (Status s = target->beginFile(entry, relative); !s)
            return s;
        progress.partial = entry.path;
        progress.partialBytes = 0;
    }
    for (;;) {
        auto block = tar.readBlock();
        if (!block)
            return fail(damaged(block.error()));
        if (block->isEmpty())
            break;
        QByteArrayView data = *block;
        const qint64 skipped = std::min<qint64>(skip, data.size());
        data = data.sliced(skipped);
        skip -= skipped;
        if (data.isEmpty())
            continue;
        progress.partialBytes += data.size();
        progress.bytes += data.size();
        if (Status s = target->fileData(data); !s)
            return s;
    }
    progress.partial.clear();
    progress.written.insert(entry.path, relative);
    return target->endFile();
}

Status LayerFileExtractor::Shared::writeHardLink(const ContentsEntry &entry,
                                                 const QByteArray &relative)
{
    const auto existing = progress.written.constFind(entry.linkTarget);
    if (existing != progress.written.cend())
        return target->hardLink(entry, relative, *existing);
    return fail(Error::Kind::NotFound,
                LayerFileExtractor::tr("Hard link '%1' of %2 points to '%3', which was not read.")
                    .arg(displayPath(entry.path), layer, displayPath(entry.linkTarget)));
}

void LayerFileExtractor::Shared::start()
{
    error.reset();
    pump = std::make_unique<LayerPump>([this](TarReader::BlockFunction read) { return run(read); });
}

LayerFileExtractor::LayerFileExtractor(QString layer,
                                       QHash<QByteArray, QByteArray> wanted,
                                       ExtractTarget *target)
    : m_shared(std::make_unique<Shared>())
{
    m_shared->layer = std::move(layer);
    m_shared->wanted = std::move(wanted);
    m_shared->target = target;
    m_shared->progress.complete = m_shared->wanted.isEmpty();
    m_shared->start();
}

LayerFileExtractor::~LayerFileExtractor()
{
    m_shared->pump.reset(); // stops and joins its thread before the state it uses goes
}

Status LayerFileExtractor::write(QByteArrayView data)
{
    if (!m_shared->pump) // restarted after everything was out
        return fail(enough());
    if (m_shared->pump->feed(data.toByteArray()))
        return {};
    // The thread stopped before the input ended: it has what it wanted, or it failed.
    return fail(m_shared->error.value_or(enough()));
}

Status LayerFileExtractor::restart()
{
    // What is out stays out (the progress survives); the new read skips it.
    m_shared->pump.reset();
    if (m_shared->progress.complete)
        return {};
    m_shared->start();
    return {};
}

Result<qint64> LayerFileExtractor::finish()
{
    if (m_shared->pump)
        m_shared->pump->finish();
    if (m_shared->error && !(isEnough(*m_shared->error) && m_shared->progress.complete))
        return fail(*m_shared->error);
    return m_shared->progress.bytes;
}

bool LayerFileExtractor::complete() const
{
    return m_shared->complete;
}

} // namespace Berth
