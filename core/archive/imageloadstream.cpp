// The streaming pass of a load: every entry of the archive read once, each file hashed, unpacked
// as a layer and written to a temp file in the store as its bytes go by.

#include "archive/archiveentrycheck.h"
#include "archive/imageloader.h"
#include "archive/layerverifier.h"
#include "archive/tarreader.h"
#include "common/sha256.h"

#include <QFile>
#include <QRegularExpression>

#include <utility>

using namespace Qt::StringLiterals;

namespace Berth {

namespace ArchiveLoad {

bool looksLikeJson(QByteArrayView data)
{
    for (char c : data) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

namespace {

// The digest a file's name promises: an OCI blob, or docker's `<hex>.json` configuration.
std::optional<Digest> digestFromName(const QString &path)
{
    static const QRegularExpression pattern(
        u"^(?:blobs/sha256/([0-9a-f]{64})|([0-9a-f]{64})\\.json)$"_s);
    const auto match = pattern.match(path);
    if (!match.hasMatch())
        return std::nullopt;
    const QString hex = match.captured(1).isEmpty() ? match.captured(2) : match.captured(1);
    auto digest = Digest::parse(QString(u"sha256:" + hex));
    return digest ? std::optional<Digest>(*digest) : std::nullopt;
}

// Files that describe the archive and are never blobs: kept in memory only.
bool isMetadataName(const QString &path)
{
    static const QRegularExpression pattern(
        u"^(?:manifest\\.json|repositories|index\\.json|oci-layout|[^/]+/json|[^/]+/VERSION)$"_s);
    return pattern.match(path).hasMatch();
}

} // namespace

// One file of the archive on its way through the streaming pass.
struct ImageLoader::FileStream
{
    FileStream(const TarEntry &entry, ArchiveFile &file)
        : entry(entry)
        , file(file)
    {}

    const TarEntry &entry;
    ArchiveFile &file;
    std::shared_ptr<OciBlobWriter> writer; // null for metadata
    // Any blob may turn out to be a layer: each is unpacked on the verifier's thread as it goes
    // by, so that nothing needs reading twice.
    std::unique_ptr<LayerVerifier> verifier;
    std::shared_ptr<Sha256> hash = std::make_shared<Sha256>();
    QByteArray chunk; // what is gathered for the stages
    qint64 done = 0;
    bool keepJson = false;
    // A file larger than a chunk goes through the pipeline; a small one is hashed and written
    // here, where a round trip through the stages would cost more than the work.
    bool pipelined = false;
};

Status ImageLoader::readArchive()
{
    for (;;) {
        if (Status s = checkCancelled(); !s)
            return s;
        auto more = m_reader.next();
        if (!more)
            return fail(more.error());
        if (!*more)
            return {};
        ++m_entries;
        const TarEntry &entry = m_reader.entry();
        // Before the entry checks: a root filesystem's device nodes would be refused first, and
        // "it holds a device" is not what the user needs to hear.
        if (m_layout.see(entry.path) == ArchiveLayout::Filesystem)
            return fail(filesystemArchiveError(m_reader.displayName()));
        auto checked = checkArchiveEntry(entry, ArchiveKind::ImageArchive);
        if (!checked)
            return fail(checked.error());
        if (checked->path.isEmpty() || entry.type == TarEntry::Type::Directory)
            continue;
        const bool isLink
            = entry.type == TarEntry::Type::Symlink || entry.type == TarEntry::Type::HardLink;
        // A name given twice is ambiguous unless both say the same (a tar appended to): which one
        // a loader takes is the archive writer's guess. Files are compared once read.
        if ((isLink && m_files.contains(checked->path))
            || (!isLink && m_links.contains(checked->path))
            || (isLink && m_links.contains(checked->path)
                && m_links.value(checked->path) != checked->linkTarget))
            return fail(Error::Kind::InvalidArgument,
                        tr("Archive entry '%1' appears more than once, with different contents.")
                            .arg(entry.path));
        if (isLink) {
            m_links.insert(checked->path, checked->linkTarget);
            if (Status s = m_reader.skipData(); !s)
                return s;
            continue;
        }
        if (Status s = readFile(*checked, entry); !s)
            return s;
    }
}

Status ImageLoader::writePending(OciBlobWriter &writer)
{
    if (m_pending.isEmpty())
        return {};
    Status s = writer.write(m_pending);
    m_pending.resize(0);
    return s;
}

Status ImageLoader::postChunk(QByteArray &chunk,
                              const std::shared_ptr<Sha256> &hash,
                              const std::shared_ptr<OciBlobWriter> &writer)
{
    if (chunk.isEmpty())
        return {};
    const QByteArray data = std::exchange(chunk, QByteArray());
    if (Status s = m_hashStage.post(data.size(),
                                    [hash, data] {
                                        hash->addData(data);
                                        return Status();
                                    });
        !s)
        return s;
    return m_writeStage.post(data.size(), [writer, data] { return writer->write(data); });
}

// A verifier that refused the layer has said all it will: its verdict is kept, the rest of the
// file goes by.
void ImageLoader::feedVerifier(std::unique_ptr<LayerVerifier> &verifier,
                               const QByteArray &data,
                               ArchiveFile &file) const
{
    if (!verifier)
        return;
    if (Status s = verifier->feed(data); !s) {
        file.layerProblem = s.error();
        verifier.reset();
    }
}

void ImageLoader::finishVerifier(std::unique_ptr<LayerVerifier> &verifier, ArchiveFile &file) const
{
    if (!verifier)
        return;
    auto diffId = verifier->finish();
    if (diffId)
        file.diffId = *diffId;
    else
        file.layerProblem = diffId.error();
    verifier.reset();
}

// read → check → stream → settle → keep: one regular file of the archive.
Status ImageLoader::readFile(const CheckedEntry &checked, const TarEntry &entry)
{
    reportProgress(entry.path, true);
    ArchiveFile file;
    file.path = checked.path;
    const std::optional<Digest> named = digestFromName(file.path);

    // A blob the store has already: nothing of it is needed, not even its bytes.
    if (named && file.path.startsWith(u"blobs/") && m_store.hasBlob(*named))
        return skipStoredBlob(file, *named);
    if (Status s = checkDeclaredSize(entry, file); !s)
        return s;
    FileStream stream(entry, file);
    if (Status s = openStream(stream); !s)
        return s;
    if (Status s = streamBlocks(stream); !s)
        return s;
    if (Status s = finishStream(stream); !s)
        return s;
    if (Status s = settleFile(stream, named); !s)
        return s;
    if (auto it = m_files.constFind(file.path); it != m_files.cend()) {
        if (it->digest != file.digest)
            return fail(Error::Kind::InvalidArgument,
                        tr("Archive entry '%1' appears more than once, with different contents.")
                            .arg(entry.path));
        return {}; // the same bytes again: the temp file goes with the stream's writer
    }
    if (stream.writer) {
        if (Status s = keepTemp(file, std::move(stream.writer)); !s)
            return s;
    }
    m_files.insert(file.path, std::move(file));
    return {};
}

Status ImageLoader::skipStoredBlob(ArchiveFile &file, const Digest &digest)
{
    if (Status s = m_reader.skipData(); !s)
        return s;
    file.digest = digest;
    file.size = m_store.blobSize(digest);
    QFile stored(m_store.blobPath(digest));
    if (stored.open(QIODevice::ReadOnly))
        file.head = stored.read(8);
    m_files.insert(file.path, std::move(file));
    return {};
}

// What an archive can make Berth write is bounded by the free space, checked against what each
// header declares before any of its data is read.
Status ImageLoader::checkDeclaredSize(const TarEntry &entry, ArchiveFile &file) const
{
    if (entry.size > m_spaceLeft)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' declares %2 bytes, more than the %3 bytes free in the "
                       "image store.")
                        .arg(entry.path)
                        .arg(entry.size)
                        .arg(m_spaceLeft));
    file.metadata = isMetadataName(file.path);
    if (file.metadata && entry.size > MaxJsonSize)
        return fail(Error::Kind::InvalidArgument,
                    tr("Archive entry '%1' has %2 bytes: too large for image metadata.")
                        .arg(entry.path)
                        .arg(entry.size));
    return {};
}

Status ImageLoader::openStream(FileStream &stream) const
{
    if (!stream.file.metadata) {
        auto created = m_store.createBlobWriter();
        if (!created)
            return fail(created.error());
        stream.writer = std::move(*created);
    }
    stream.keepJson = stream.entry.size <= MaxJsonSize;
    stream.pipelined = stream.writer && stream.entry.size > WriteBlock;
    if (stream.pipelined)
        stream.writer->setWaitForWriteback(
            false); // the sync stage's fsync waits, on its own thread
    if (stream.writer)
        stream.verifier = std::make_unique<LayerVerifier>(tr("Layer '%1'").arg(stream.file.path),
                                                          stream.file.path);
    return {};
}

Status ImageLoader::streamBlocks(FileStream &stream)
{
    m_pending.resize(0);
    for (bool first = true;; first = false) {
        if (Status s = checkCancelled(); !s)
            return s;
        auto block = m_reader.readBlock();
        if (!block)
            return fail(block.error());
        if (block->isEmpty())
            return {};
        if (first)
            startFile(stream, *block);
        stream.done += block->size();
        // libarchive hands out what the header declares, which was checked against the free
        // space; this guards that promise.
        if (stream.done > stream.entry.size)
            return fail(Error::Kind::InvalidArgument,
                        tr("Archive entry '%1' holds more data than its header declares.")
                            .arg(stream.entry.path));
        if (stream.keepJson)
            stream.file.json.append(*block);
        if (Status s
            = stream.pipelined ? gatherChunks(stream, *block) : hashAndWrite(stream, *block);
            !s)
            return s;
        reportProgress(stream.entry.path, false);
    }
}

void ImageLoader::startFile(FileStream &stream, QByteArrayView first) const
{
    stream.file.head = first.first(std::min<qsizetype>(8, first.size())).toByteArray();
    if (!stream.file.metadata && !looksLikeJson(first))
        stream.keepJson = false;
    if (stream.keepJson)
        stream.file.json.reserve(stream.entry.size);
}

// The block is libarchive's until the next read: the stages get copies, in chunks of WriteBlock
// that both share.
Status ImageLoader::gatherChunks(FileStream &stream, QByteArrayView block)
{
    for (QByteArrayView rest = block; !rest.isEmpty();) {
        if (stream.chunk.isEmpty())
            stream.chunk.reserve(WriteBlock);
        const qsizetype n = std::min(rest.size(), WriteBlock - stream.chunk.size());
        stream.chunk.append(rest.first(n));
        rest = rest.sliced(n);
        if (stream.chunk.size() == WriteBlock) {
            feedVerifier(stream.verifier, stream.chunk, stream.file);
            if (Status s = postChunk(stream.chunk, stream.hash, stream.writer); !s)
                return s;
        }
    }
    return {};
}

// A small file, here: large blocks go straight to the file, small pieces are gathered first.
Status ImageLoader::hashAndWrite(FileStream &stream, QByteArrayView block)
{
    stream.hash->addData(block);
    feedVerifier(stream.verifier, block.toByteArray(), stream.file);
    if (!stream.writer)
        return {};
    if (m_pending.isEmpty() && block.size() >= WriteBlock / 4)
        return stream.writer->write(block);
    m_pending.append(block);
    if (m_pending.size() >= WriteBlock)
        return writePending(*stream.writer);
    return {};
}

Status ImageLoader::finishStream(FileStream &stream)
{
    if (stream.pipelined) {
        feedVerifier(stream.verifier, stream.chunk, stream.file);
        if (Status s = postChunk(stream.chunk, stream.hash, stream.writer); !s)
            return s;
        // The digest decides what becomes of the file: wait for the hash (a few MiB behind at
        // most); the writes go on.
        if (Status s = m_hashStage.drain(); !s)
            return s;
    } else if (stream.writer) {
        if (Status s = writePending(*stream.writer); !s)
            return s;
    }
    finishVerifier(stream.verifier, stream.file);
    return {};
}

// The file as read: its digest (checked against the one its name promises), its diff_id, and its
// JSON kept while the total allows.
Status ImageLoader::settleFile(FileStream &stream, const std::optional<Digest> &named)
{
    ArchiveFile &file = stream.file;
    file.size = stream.done;
    file.digest = *Digest::parse(stream.hash->digest());
    if (!file.layerProblem && !file.diffId.isValid())
        file.diffId = file.digest; // not compressed: its own digest is its diff_id
    if (stream.keepJson && !file.metadata) {
        if (m_jsonTotal + stream.done > MaxJsonTotal) {
            stream.keepJson = false;
            file.jsonDropped = true;
            file.json = QByteArray();
        } else {
            m_jsonTotal += stream.done;
        }
    }
    file.hasJson = stream.keepJson;
    if (!stream.keepJson)
        file.json = QByteArray();
    if (named && *named != file.digest)
        return fail(Error::Kind::DigestMismatch,
                    tr("Archive entry '%1' is damaged or was altered: its content hashes to %2.")
                        .arg(stream.entry.path, file.digest.toString()));
    return {};
}

// The temp file of a new blob is kept for commit, once per digest; a blob the store has already
// needs none.
Status ImageLoader::keepTemp(ArchiveFile &file, std::shared_ptr<OciBlobWriter> writer)
{
    const QString digest = file.digest.toString();
    if (m_store.hasBlob(file.digest)) {
        writer.reset(); // removes the temp file: the store's copy will do
    } else if (auto it = m_tempByDigest.constFind(digest); it != m_tempByDigest.cend()) {
        writer = it.value(); // the same bytes twice in one archive: keep one copy
    } else {
        m_tempByDigest.insert(digest, writer);
        m_spaceLeft -= file.size;
        // A blob kept for commit reaches the disk while the next entries are read, once the
        // write stage has written all of it.
        WorkerStage *syncStage = &m_syncStage;
        if (Status s
            = m_writeStage.post(0,
                                [writer, syncStage] {
                                    return syncStage->post(0, [writer] { return writer->sync(); });
                                });
            !s)
            return s;
    }
    file.temp = std::move(writer);
    return {};
}

} // namespace ArchiveLoad

} // namespace Berth
