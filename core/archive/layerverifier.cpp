#include "archive/layerverifier.h"

#include "archive/archiveentrycheck.h"
#include "archive/tarreader.h"
#include "common/sha256.h"
#include "registry/manifest.h"

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
    qsizetype offset = 0; // into queue.front()
    qint64 queued = 0;
    bool ended = false;   // finish(): no more input
    bool aborted = false; // restart() or destruction: the thread gives up
    bool done = false;    // the thread has its verdict
    std::optional<Error> error;
    Digest diffId;
    std::thread thread;

    // The thread's source: what feed() queued, 0 at the end, -1 when aborted.
    qint64 read(char *out, qint64 max)
    {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return aborted || ended || !queue.empty(); });
        if (aborted)
            return -1;
        if (queue.empty())
            return 0;
        const QByteArray &front = queue.front();
        const qint64 n = std::min<qint64>(max, front.size() - offset);
        std::memcpy(out, front.constData() + offset, size_t(n));
        offset += n;
        if (offset == front.size()) {
            queued -= front.size();
            queue.pop_front();
            offset = 0;
            changed.notify_all();
        }
        return n;
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

    qint64 read(char *out, qint64 max)
    {
        while (m_rest.isEmpty()) {
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
            m_rest = *block;
        }
        const qint64 n = std::min<qint64>(max, m_rest.size());
        std::memcpy(out, m_rest.constData(), size_t(n));
        m_rest = m_rest.sliced(n);
        return n;
    }

    // Hashes what the tar reader left unread, and answers the diff_id.
    Result<Digest> finish()
    {
        m_rest = {};
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
    QByteArrayView m_rest; // of the raw reader's current block, not yet handed on
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

// The thread's work: decompress, hash, read every header.
Result<Digest> verifyLayer(TarReader::ReadFunction read, const QString &layer, const QString &name)
{
    auto raw = TarReader::openFunction(std::move(read), name, TarReader::Format::Raw);
    if (!raw)
        return fail(refused(layer, raw.error()));
    auto more = (*raw)->next();
    if (!more)
        return fail(refused(layer, more.error()));
    // An uncompressed layer's diff_id is the digest its reader computes anyway: not hashed twice.
    HashingSource source(**raw, !*more, (*raw)->compression() != u"none");
    auto tar = TarReader::openFunction(
        [&source](char *out, qint64 max) { return source.read(out, max); }, name);
    if (!tar)
        return fail(refused(layer, source.error().value_or(tar.error())));
    for (;;) {
        auto next = (*tar)->next();
        if (!next)
            return fail(refused(layer, source.error().value_or(next.error())));
        if (!*next)
            break;
        auto checked = checkArchiveEntry((*tar)->entry(), ArchiveKind::Filesystem);
        if (!checked)
            return fail(refused(layer, checked.error()));
        if (Status s = (*tar)->skipData(); !s)
            return fail(refused(layer, source.error().value_or(s.error())));
    }
    return source.finish();
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
            [shared](char *out, qint64 max) { return shared->read(out, max); }, layer, name);
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
