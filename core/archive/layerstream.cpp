#include "archive/layerstream.h"

#include "archive/gzipsource.h"
#include "common/sha256.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace Berth {

namespace {

// Messages of the layer readers: the context "Berth", as everywhere in the core.
class LayerStream
{
    Q_DECLARE_TR_FUNCTIONS(Berth)
};

// The decompressed bytes, hashed as the tar reader takes them: every byte once, whether it is a
// header, data the reader skips, or the padding after the end-of-archive blocks.
class HashingSource
{
public:
    HashingSource(TarReader &raw, bool empty, bool hash)
        : m_raw(raw)
        , m_ended(empty)
        , m_hashing(hash)
    {}

    // The next block for the tar reader: libarchive's own buffer, valid until the next call.
    qint64 nextBlock(const char **data)
    {
        if (m_ended)
            return 0;
        auto block = m_raw.readBlock();
        if (!block) {
            m_error = block.error();
            return -1;
        }
        if (block->isEmpty()) {
            m_ended = true;
            return 0;
        }
        add(*block);
        *data = block->constData();
        return block->size();
    }

    // Hashes what the tar reader left unread, and answers the diff_id (invalid when not hashing).
    Result<Digest> finish()
    {
        while (!m_ended) {
            auto block = m_raw.readBlock();
            if (!block)
                return fail(block.error());
            add(*block);
            m_ended = block->isEmpty();
        }
        if (!m_hashing)
            return Digest();
        return *Digest::parse(m_hash.digest());
    }

    const std::optional<Error> &error() const { return m_error; }
    qint64 size() const { return m_size; }

private:
    void add(QByteArrayView block)
    {
        if (m_hashing)
            m_hash.addData(block);
        m_size += block.size();
    }

    TarReader &m_raw;
    Sha256 m_hash;
    qint64 m_size = 0;
    bool m_ended = false;
    bool m_hashing = true;
    std::optional<Error> m_error;
};

Error refusedLayer(const QString &layer, const Error &reason)
{
    // The source's own failure (input that ended early, an aborted reader) stays what it is.
    if (reason.kind != Error::Kind::InvalidArgument)
        return reason;
    return Error::make(Error::Kind::InvalidArgument,
                       LayerStream::tr("%1 is refused: %2").arg(layer, reason.message));
}

// The layer's first bytes, read ahead to choose how to read it, then handed on before the rest.
class PeekedSource
{
public:
    static constexpr qsizetype HeaderSize = 512;

    explicit PeekedSource(TarReader::BlockFunction next)
        : m_next(std::move(next))
    {}

    // Gathers at least a tar header's worth (a copy of the first block or two); false when the
    // source failed.
    bool peek()
    {
        while (m_head.size() < HeaderSize && !m_ended) {
            const char *data = nullptr;
            const qint64 n = m_next(&data);
            if (n < 0)
                return false;
            m_ended = n == 0;
            m_head.append(data, n);
        }
        return true;
    }
    const QByteArray &head() const { return m_head; }

    qint64 nextBlock(const char **data)
    {
        if (!m_headGiven) {
            m_headGiven = true;
            if (!m_head.isEmpty()) {
                *data = m_head.constData();
                return m_head.size();
            }
        }
        return m_ended ? 0 : m_next(data);
    }
    TarReader::BlockFunction blocks()
    {
        return [this](const char **data) {
            return nextBlock(data);
        };
    }

private:
    TarReader::BlockFunction m_next;
    QByteArray m_head;
    bool m_ended = false;
    bool m_headGiven = false;
};

// Whether `block` is a tar header with a valid checksum (signed or unsigned sum, as libarchive
// accepts), or the zeros of an empty archive's end.
bool looksLikeTarHeader(QByteArrayView block)
{
    if (block.size() < PeekedSource::HeaderSize)
        return false;
    if (std::all_of(block.begin(), block.end(), [](char c) { return c == 0; }))
        return true;
    qint64 unsignedSum = 0;
    qint64 signedSum = 0;
    for (qsizetype i = 0; i < PeekedSource::HeaderSize; ++i) {
        const bool field = i >= 148 && i < 156; // the checksum itself counts as spaces
        unsignedSum += field ? ' ' : uchar(block[i]);
        signedSum += field ? ' ' : static_cast<signed char>(block[i]);
    }
    QByteArrayView field = block.sliced(148, 8);
    while (!field.isEmpty() && field.front() == ' ')
        field = field.sliced(1);
    qint64 stored = 0;
    qsizetype digits = 0;
    for (; digits < field.size() && field[digits] >= '0' && field[digits] <= '7'; ++digits)
        stored = stored * 8 + (field[digits] - '0');
    return digits > 0 && (stored == unsignedSum || stored == signedSum);
}

// Reads every header of `tar`, judging each and handing it to `visit`; what the visitor leaves of
// the data is skipped. `sourceError` answers the source's own failure, which explains a reader's
// error better than the reader does.
template<typename SourceError>
Status readEntries(TarReader &tar,
                   const QString &layer,
                   const LayerEntryVisitor &visit,
                   SourceError sourceError)
{
    for (;;) {
        auto next = tar.next();
        if (!next)
            return fail(refusedLayer(layer, sourceError().value_or(next.error())));
        if (!*next)
            return {};
        auto checked = checkArchiveEntry(tar.entry(), ArchiveKind::Filesystem);
        if (!checked)
            return fail(refusedLayer(layer, checked.error()));
        if (visit) {
            if (Status s = visit(tar, *checked); !s)
                return fail(refusedLayer(layer, sourceError().value_or(s.error())));
        }
        if (Status s = tar.skipData(); !s)
            return fail(refusedLayer(layer, sourceError().value_or(s.error())));
    }
}

// gzip, by far the most common: igzip inflates, hashes, and hands the tar reader its bytes.
Result<LayerRead> readGzipLayer(PeekedSource &input,
                                const QString &layer,
                                const QString &name,
                                const LayerEntryVisitor &visit)
{
    GzipSource source(input.blocks(), name);
    auto tar = TarReader::openFunction(
        [&source](char *out, qint64 max) { return source.read(out, max); }, name);
    if (!tar)
        return fail(refusedLayer(layer, source.error().value_or(tar.error())));
    if (Status s = readEntries(**tar, layer, visit, [&source] { return source.error(); }); !s)
        return fail(s.error());
    auto diffId = source.finish();
    if (!diffId)
        return fail(refusedLayer(layer, diffId.error()));
    return LayerRead{*diffId, QStringLiteral("gzip"), source.inflatedSize()};
}

// An uncompressed tar: read once, straight from the queue. Its diff_id is its own digest, which
// the caller computes anyway: an invalid Digest says so.
Result<LayerRead> readTarLayer(PeekedSource &input,
                               const QString &layer,
                               const QString &name,
                               const LayerEntryVisitor &visit)
{
    auto tar = TarReader::openBlocks(input.blocks(), name);
    if (!tar)
        return fail(refusedLayer(layer, tar.error()));
    const auto none = [] {
        return std::optional<Error>();
    };
    if (Status s = readEntries(**tar, layer, visit, none); !s)
        return fail(s.error());
    // A header that is also the start of a compressed stream would have been decompressed, and
    // the blob digest is then no diff_id.
    if ((*tar)->compression() != u"none")
        return fail(refusedLayer(
            layer,
            Error::make(Error::Kind::InvalidArgument,
                        LayerStream::tr("%1: %2").arg(
                            LayerStream::tr("'%1' is damaged").arg(name),
                            LayerStream::tr("its first tar header is also compressed data")))));
    return LayerRead{Digest(), QStringLiteral("none"), -1};
}

// Any other compression libarchive knows (zstd, xz, bzip2, …), or bytes that are no layer:
// libarchive undoes the compression, the tar reader reads what it answers.
Result<LayerRead> readOtherLayer(PeekedSource &input,
                                 const QString &layer,
                                 const QString &name,
                                 const LayerEntryVisitor &visit)
{
    auto raw = TarReader::openBlocks(input.blocks(), name, TarReader::Format::Raw);
    if (!raw)
        return fail(refusedLayer(layer, raw.error()));
    auto more = (*raw)->next();
    if (!more)
        return fail(refusedLayer(layer, more.error()));
    const QString compression = (*raw)->compression();
    // An uncompressed layer's diff_id is the digest its reader computes anyway: not hashed twice.
    HashingSource source(**raw, !*more, compression != u"none");
    auto tar = TarReader::openBlocks(
        [&source](const char **data) { return source.nextBlock(data); }, name);
    if (!tar)
        return fail(refusedLayer(layer, source.error().value_or(tar.error())));
    if (Status s = readEntries(**tar, layer, visit, [&source] { return source.error(); }); !s)
        return fail(s.error());
    auto diffId = source.finish();
    if (!diffId)
        return fail(refusedLayer(layer, diffId.error()));
    if (compression == u"none")
        return LayerRead{Digest(), compression, -1};
    return LayerRead{*diffId, compression, source.size()};
}

} // namespace

Result<LayerRead> readLayer(TarReader::BlockFunction read,
                            const QString &layer,
                            const QString &name,
                            const LayerEntryVisitor &visit)
{
    PeekedSource input(std::move(read));
    if (!input.peek())
        return fail(Error::Kind::Io, LayerStream::tr("Cannot read '%1'.").arg(name));
    const QByteArray &head = input.head();
    if (head.startsWith("\x1f\x8b"))
        return readGzipLayer(input, layer, name, visit);
    if (head.isEmpty() || looksLikeTarHeader(head))
        return readTarLayer(input, layer, name, visit);
    return readOtherLayer(input, layer, name, visit);
}

struct LayerPump::Shared
{
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<QByteArray> queue;
    bool holding = false; // the thread still reads queue.front()
    qint64 queued = 0;
    bool ended = false;   // finish(): no more input
    bool aborted = false; // destruction: the thread gives up
    bool failed = false;  // the work failed: nobody reads the queue any more
    std::thread thread;

    // The thread's source: the next block feed() queued, kept until the following call (a
    // view, not a copy); 0 at the end, -1 when aborted.
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

    void run(const Work &work)
    {
        const auto read = [this](const char **data) {
            return readBlock(data);
        };
        if (work(read)) {
            const char *data = nullptr;
            while (readBlock(&data) > 0) {
            }
            return;
        }
        std::lock_guard lock(mutex);
        failed = true;
        changed.notify_all();
    }
};

LayerPump::LayerPump(Work work)
    : m_shared(std::make_shared<Shared>())
{
    // The thread holds the shared state too: the destructor joins it, but nothing it uses may go
    // first.
    m_shared->thread
        = std::thread([shared = m_shared, work = std::move(work)] { shared->run(work); });
}

LayerPump::~LayerPump()
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->aborted = true;
        m_shared->changed.notify_all();
    }
    if (m_shared->thread.joinable())
        m_shared->thread.join();
}

bool LayerPump::feed(QByteArray data)
{
    Shared &s = *m_shared;
    std::unique_lock lock(s.mutex);
    s.changed.wait(lock, [&] { return s.failed || s.queued < Window; });
    if (s.failed)
        return false;
    if (data.isEmpty()) // the thread would read it as the end
        return true;
    s.queued += data.size();
    s.queue.push_back(std::move(data));
    s.changed.notify_all();
    return true;
}

void LayerPump::finish()
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->ended = true;
        m_shared->changed.notify_all();
    }
    if (m_shared->thread.joinable())
        m_shared->thread.join();
}

} // namespace Berth
