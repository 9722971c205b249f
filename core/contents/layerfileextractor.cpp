#include "contents/layerextract.h"

#include "archive/gzipsource.h"
#include "archive/tarreader.h"

#include <archive_entry.h>

#include <QSet>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace Berth {

namespace {

// How far the extracting thread may lag behind what was written before write() waits.
constexpr qint64 Window = 8 * 1024 * 1024;

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

// A tar name as the index records it: no "./", no empty or "." components. A name with ".." or
// an absolute one matches nothing (an index never holds such a path).
std::optional<QByteArray> layerPath(const char *raw)
{
    if (!raw || raw[0] == '/')
        return std::nullopt;
    QByteArray out;
    for (const QByteArray &part : QByteArray(raw).split('/')) {
        if (part.isEmpty() || part == ".")
            continue;
        if (part == "..")
            return std::nullopt;
        if (!out.isEmpty())
            out += '/';
        out += part;
    }
    return out;
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
    e.uid = quint32(archive_entry_uid(tar.raw));
    e.gid = quint32(archive_entry_gid(tar.raw));
    e.mtime = archive_entry_mtime(tar.raw);
    if (e.type == ContentsEntry::Type::Symlink)
        e.linkTarget = QByteArray(archive_entry_symlink(tar.raw));
    else if (e.type == ContentsEntry::Type::HardLink)
        e.linkTarget = layerPath(archive_entry_hardlink(tar.raw)).value_or(QByteArray());
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
    ExtractProgress progress; // the thread's alone while it runs

    std::mutex mutex;
    std::condition_variable changed;
    std::deque<QByteArray> queue;
    bool holding = false;
    qint64 queued = 0;
    bool ended = false;
    bool aborted = false;
    bool done = false;
    std::optional<Error> error;
    std::thread thread;

    qint64 readBlock(const char **data)
    {
        std::unique_lock lock(mutex);
        if (holding) {
            queued -= queue.front().size();
            queue.pop_front();
            holding = false;
            changed.notify_all();
        }
        changed.wait(lock, [&] { return aborted || ended || !queue.empty(); });
        if (aborted)
            return -1;
        if (queue.empty())
            return 0;
        holding = true;
        *data = queue.front().constData();
        return queue.front().size();
    }

    void start();
    void stop();
    Status run();
    Status extractEntries(TarReader &tar, const std::function<std::optional<Error>()> &source);
    Status extractEntry(TarReader &tar, const QByteArray &path, const QByteArray &relative);
    Status writeFile(TarReader &tar, const ContentsEntry &entry, const QByteArray &relative);
    Status writeHardLink(const ContentsEntry &entry, const QByteArray &relative);
    Error damaged(const Error &reason) const;
};

namespace {

// The layer's first bytes, read ahead to recognise gzip, then handed on before the rest.
class PeekedInput
{
public:
    explicit PeekedInput(TarReader::BlockFunction next)
        : m_next(std::move(next))
    {}

    bool peek()
    {
        while (m_head.size() < 2 && !m_ended) {
            const char *data = nullptr;
            const qint64 n = m_next(&data);
            if (n < 0)
                return false;
            m_ended = n == 0;
            m_head.append(data, n);
        }
        return true;
    }
    bool isGzip() const { return m_head.startsWith("\x1f\x8b"); }

    TarReader::BlockFunction blocks()
    {
        return [this](const char **data) -> qint64 {
            if (!m_headGiven) {
                m_headGiven = true;
                if (!m_head.isEmpty()) {
                    *data = m_head.constData();
                    return m_head.size();
                }
            }
            return m_ended ? 0 : m_next(data);
        };
    }

private:
    TarReader::BlockFunction m_next;
    QByteArray m_head;
    bool m_ended = false;
    bool m_headGiven = false;
};

} // namespace

Error LayerFileExtractor::Shared::damaged(const Error &reason) const
{
    if ((reason.kind != Error::Kind::InvalidArgument && reason.kind != Error::Kind::Io)
        || reason.message.contains(layer))
        return reason;
    return Error::make(reason.kind,
                       LayerFileExtractor::tr("%1 cannot be read: %2").arg(layer, reason.message));
}

// gzip goes through igzip (several times zlib's speed); zstd and plain tars through libarchive,
// which recognises them from their first bytes.
Status LayerFileExtractor::Shared::run()
{
    PeekedInput input([this](const char **data) { return readBlock(data); });
    if (!input.peek())
        return fail(Error::Kind::Cancelled, LayerFileExtractor::tr("Cancelled."));
    if (input.isGzip()) {
        GzipSource gzip(input.blocks(), layer);
        auto tar = TarReader::openFunction(
            [&gzip](char *out, qint64 max) { return gzip.read(out, max); }, layer);
        if (!tar)
            return fail(damaged(gzip.error().value_or(tar.error())));
        return extractEntries(**tar, [&gzip] { return gzip.error(); });
    }
    auto tar = TarReader::openBlocks(input.blocks(), layer);
    if (!tar)
        return fail(damaged(tar.error()));
    return extractEntries(**tar, [] { return std::optional<Error>(); });
}

Status
LayerFileExtractor::Shared::extractEntries(TarReader &tar,
                                           const std::function<std::optional<Error>()> &source)
{
    while (!progress.complete) {
        auto next = tar.next();
        if (!next)
            return fail(damaged(source().value_or(next.error())));
        if (!*next)
            break;
        const auto path = layerPath(archive_entry_pathname(tar.entry().raw));
        const auto it = path ? wanted.constFind(*path) : wanted.cend();
        if (it == wanted.cend() || progress.handled.contains(*path))
            continue; // libarchive skips the data when the next header is asked for
        Status s = extractEntry(tar, *path, *it);
        if (!s && isEnough(s.error())) {
            progress.complete = true;
            break;
        }
        if (!s)
            return fail(source().has_value() ? damaged(*source()) : s.error());
        progress.handled.insert(*path);
        progress.complete = progress.handled.size() == wanted.size();
    }
    if (progress.complete)
        return {};
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
    queue.clear();
    queued = 0;
    holding = ended = aborted = done = false;
    error.reset();
    thread = std::thread([this] {
        Status s = run();
        std::lock_guard lock(mutex);
        if (!s)
            error = s.error();
        done = true;
        changed.notify_all();
    });
}

void LayerFileExtractor::Shared::stop()
{
    {
        std::lock_guard lock(mutex);
        aborted = true;
        changed.notify_all();
    }
    if (thread.joinable())
        thread.join();
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
    m_shared->stop();
}

Status LayerFileExtractor::write(QByteArrayView data)
{
    Shared &s = *m_shared;
    std::unique_lock lock(s.mutex);
    s.changed.wait(lock, [&] { return s.done || s.queued < Window; });
    if (s.done) {
        // Done before the input ended: it has what it wanted, or it failed.
        if (s.error && !isEnough(*s.error))
            return fail(*s.error);
        return fail(enough());
    }
    if (data.isEmpty())
        return {};
    s.queued += data.size();
    s.queue.emplace_back(data.data(), data.size());
    s.changed.notify_all();
    return {};
}

Status LayerFileExtractor::restart()
{
    m_shared->stop();
    if (m_shared->progress.complete)
        return {};
    m_shared->start();
    return {};
}

Result<qint64> LayerFileExtractor::finish()
{
    Shared &s = *m_shared;
    {
        std::lock_guard lock(s.mutex);
        s.ended = true;
        s.changed.notify_all();
    }
    if (s.thread.joinable())
        s.thread.join();
    if (s.error && !(isEnough(*s.error) && s.progress.complete))
        return fail(*s.error);
    return s.progress.bytes;
}

bool LayerFileExtractor::complete() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->done && m_shared->progress.complete;
}

} // namespace Berth
