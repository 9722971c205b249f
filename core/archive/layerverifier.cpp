#include "archive/layerverifier.h"

#include "archive/archiveentrycheck.h"
#include "archive/gzipsource.h"
#include "archive/tarreader.h"
#include "common/sha256.h"
#include "oci/manifest.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace Berth {

namespace {

// How far the verifying thread may lag behind what was fed before feed() waits.
constexpr qint64 Window = 8 * 1024 * 1024;

} // namespace

struct LayerVerifier::Shared
{
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<QByteArray> queue;
    bool holding = false; // the thread still reads queue.front()
    qint64 queued = 0;
    bool ended = false;   // finish(): no more input
    bool aborted = false; // restart() or destruction: the thread gives up
    bool done = false;    // the thread has its verdict
    std::optional<Error> error;
    Digest diffId;
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
};

namespace {

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
        if (m_hashing)
            m_hash.addData(*block);
        *data = block->constData();
        return block->size();
    }

    // Hashes what the tar reader left unread, and answers the diff_id.
    Result<Digest> finish()
    {
        while (!m_ended) {
            auto block = m_raw.readBlock();
            if (!block)
                return fail(block.error());
            if (m_hashing)
                m_hash.addData(*block);
            m_ended = block->isEmpty();
        }
        if (!m_hashing)
            return Digest();
        return *Digest::parse(m_hash.digest());
    }

    const std::optional<Error> &error() const { return m_error; }

private:
    TarReader &m_raw;
    Sha256 m_hash;
    bool m_ended = false;
    bool m_hashing = true;
    std::optional<Error> m_error;
};

Error refused(const QString &layer, const Error &reason)
{
    // The source's own failure (input that ended early, an aborted verifier) stays what it is.
    if (reason.kind != Error::Kind::InvalidArgument)
        return reason;
    return Error::make(Error::Kind::InvalidArgument,
                       LayerVerifier::tr("%1 is refused: %2").arg(layer, reason.message));
}

// The layer's first bytes, read ahead to choose how to verify it, then handed on before the rest.
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

// Reads every header of `tar`, judging each; entry data is skipped. `sourceError` answers the
// source's own failure, which explains a reader's error better than the reader does.
template<typename SourceError>
Status checkEntries(TarReader &tar, const QString &layer, SourceError sourceError)
{
    for (;;) {
        auto next = tar.next();
        if (!next)
            return fail(refused(layer, sourceError().value_or(next.error())));
        if (!*next)
            return {};
        auto checked = checkArchiveEntry(tar.entry(), ArchiveKind::Filesystem);
        if (!checked)
            return fail(refused(layer, checked.error()));
        if (Status s = tar.skipData(); !s)
            return fail(refused(layer, sourceError().value_or(s.error())));
    }
}

// gzip, by far the most common: igzip inflates, hashes, and hands the tar reader its bytes.
Result<Digest> verifyGzipLayer(PeekedSource &input, const QString &layer, const QString &name)
{
    GzipSource source(input.blocks(), name);
    auto tar = TarReader::openFunction(
        [&source](char *out, qint64 max) { return source.read(out, max); }, name);
    if (!tar)
        return fail(refused(layer, source.error().value_or(tar.error())));
    if (Status s = checkEntries(**tar, layer, [&source] { return source.error(); }); !s)
        return fail(s.error());
    auto diffId = source.finish();
    if (!diffId)
        return fail(refused(layer, diffId.error()));
    return diffId;
}

// An uncompressed tar: read once, straight from the queue. Its diff_id is its own digest, which
// the caller computes anyway: an invalid Digest says so.
Result<Digest> verifyTarLayer(PeekedSource &input, const QString &layer, const QString &name)
{
    auto tar = TarReader::openBlocks(input.blocks(), name);
    if (!tar)
        return fail(refused(layer, tar.error()));
    const auto none = [] {
        return std::optional<Error>();
    };
    if (Status s = checkEntries(**tar, layer, none); !s)
        return fail(s.error());
    // A header that is also the start of a compressed stream would have been decompressed, and
    // the blob digest is then no diff_id.
    if ((*tar)->compression() != u"none")
        return fail(refused(
            layer,
            Error::make(Error::Kind::InvalidArgument,
                        LayerVerifier::tr("%1: %2").arg(
                            LayerVerifier::tr("'%1' is damaged").arg(name),
                            LayerVerifier::tr("its first tar header is also compressed data")))));
    return Digest();
}

// Any other compression libarchive knows (zstd, xz, bzip2, …), or bytes that are no layer:
// libarchive undoes the compression, the tar reader reads what it answers.
Result<Digest> verifyOtherLayer(PeekedSource &input, const QString &layer, const QString &name)
{
    auto raw = TarReader::openBlocks(input.blocks(), name, TarReader::Format::Raw);
    if (!raw)
        return fail(refused(layer, raw.error()));
    auto more = (*raw)->next();
    if (!more)
        return fail(refused(layer, more.error()));
    // An uncompressed layer's diff_id is the digest its reader computes anyway: not hashed twice.
    HashingSource source(**raw, !*more, (*raw)->compression() != u"none");
    auto tar = TarReader::openBlocks(
        [&source](const char **data) { return source.nextBlock(data); }, name);
    if (!tar)
        return fail(refused(layer, source.error().value_or(tar.error())));
    if (Status s = checkEntries(**tar, layer, [&source] { return source.error(); }); !s)
        return fail(s.error());
    return source.finish();
}

// The thread's work: decompress, hash, read every header, by the path the first bytes choose.
Result<Digest> verifyLayer(TarReader::BlockFunction read, const QString &layer, const QString &name)
{
    PeekedSource input(std::move(read));
    if (!input.peek())
        return fail(Error::Kind::Io, LayerVerifier::tr("Cannot read '%1'.").arg(name));
    const QByteArray &head = input.head();
    if (head.startsWith("\x1f\x8b"))
        return verifyGzipLayer(input, layer, name);
    if (head.isEmpty() || looksLikeTarHeader(head))
        return verifyTarLayer(input, layer, name);
    return verifyOtherLayer(input, layer, name);
}

} // namespace

LayerVerifier::LayerVerifier(QString layer, QString name)
    : m_layer(std::move(layer))
    , m_name(std::move(name))
{
    start();
}

LayerVerifier::~LayerVerifier()
{
    stop();
}

void LayerVerifier::start()
{
    m_shared = std::make_shared<Shared>();
    // The thread holds the shared state too: stop() joins it, but nothing it uses may go first.
    m_shared->thread = std::thread([shared = m_shared, layer = m_layer, name = m_name] {
        auto verdict = verifyLayer(
            [shared](const char **data) { return shared->readBlock(data); }, layer, name);
        std::lock_guard lock(shared->mutex);
        if (verdict)
            shared->diffId = *verdict;
        else
            shared->error = verdict.error();
        shared->done = true;
        shared->changed.notify_all();
    });
}

void LayerVerifier::stop()
{
    if (!m_shared)
        return;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->aborted = true;
        m_shared->changed.notify_all();
    }
    if (m_shared->thread.joinable())
        m_shared->thread.join();
    m_shared.reset();
}

Status LayerVerifier::feed(QByteArray data)
{
    Shared &s = *m_shared;
    std::unique_lock lock(s.mutex);
    s.changed.wait(lock, [&] { return s.done || s.queued < Window; });
    if (s.done) {
        // It cannot have finished well: the input has not ended.
        return fail(s.error.value_or(
            Error::make(Error::Kind::InvalidArgument, tr("%1 is refused.").arg(m_layer))));
    }
    if (data.isEmpty()) // the thread would read it as the end
        return {};
    s.queued += data.size();
    s.queue.push_back(std::move(data));
    s.changed.notify_all();
    return {};
}

void LayerVerifier::restart()
{
    stop();
    start();
}

Result<Digest> LayerVerifier::finish()
{
    Shared &s = *m_shared;
    {
        std::lock_guard lock(s.mutex);
        s.ended = true;
        s.changed.notify_all();
    }
    s.thread.join();
    if (s.error)
        return fail(*s.error);
    return s.diffId;
}

Status LayerCheckingSink::write(QByteArrayView data)
{
    if (Status s = m_target->write(data); !s)
        return s;
    return m_verifier.feed(data.toByteArray());
}

Status LayerCheckingSink::restart()
{
    m_verifier.restart();
    return m_target->restart();
}

bool isTarLayerMediaType(QStringView mediaType)
{
    // OCI and Docker layers, gzip, zstd or none; not foreign layers, which live elsewhere.
    return (mediaType.startsWith(u"application/vnd.oci.image.layer.")
            || mediaType.startsWith(u"application/vnd.docker.image.rootfs.diff.tar"))
           && !mediaType.contains(u"nondistributable") && !mediaType.contains(u"foreign");
}

Status checkDiffIds(const ImageManifest &manifest,
                    const ImageConfig &config,
                    const QHash<QString, Digest> &verified,
                    const QString &image)
{
    if (config.diffIds.size() != manifest.layers.size())
        return fail(Error::Kind::InvalidArgument,
                    LayerVerifier::tr("%1 has %2 layers where its configuration lists %3 diff_ids.")
                        .arg(image)
                        .arg(manifest.layers.size())
                        .arg(config.diffIds.size()));
    for (qsizetype i = 0; i < manifest.layers.size(); ++i) {
        const QString layer = manifest.layers.at(i).digest.toString();
        const auto it = verified.constFind(layer);
        if (it == verified.cend() || it->toString() == config.diffIds.at(i))
            continue;
        return fail(Error::Kind::DigestMismatch,
                    LayerVerifier::tr("Layer %1 of %2 does not match the image configuration: it "
                                      "unpacks to %3 where the configuration lists %4.")
                        .arg(layer, image, it->toString(), config.diffIds.at(i)));
    }
    return {};
}

} // namespace Berth
