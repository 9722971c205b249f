#include "contents/layerindexer.h"

#include "archive/layerstream.h"
#include "common/sha256.h"
#include "contents/indexfile.h"
#include "contents/layerentryrecorder.h"

#include <optional>

namespace Berth {

// One pass over the blob: restart() throws it away and starts another.
struct IndexRun
{
    std::unique_ptr<IndexWriter> writer;
    std::optional<LayerEntryRecorder> recorder;
    std::optional<Error> error; // set by the thread before it stops, or by a writer not created
    LayerRead read;
    std::unique_ptr<LayerPump> pump; // last: it stops its thread before what the thread uses goes
};

struct LayerIndexer::Shared
{
    QString layer;
    Expected expected;
    QString indexPath;
    QJsonObject meta;
    qsizetype runLimit = IndexWriter::DefaultRunLimit;
    bool hashContents = true;
    Sha256 blobHash;
    qint64 blobSize = 0;
    std::unique_ptr<IndexRun> run; // started by the first write() or finish()

    // What the readers' own messages call the blob.
    QString blobName() const
    {
        return expected.blobDigest.isValid() ? expected.blobDigest.toString() : layer;
    }

    IndexRun &ensureRun()
    {
        if (!run)
            run = startRun();
        return *run;
    }

    std::unique_ptr<IndexRun> startRun()
    {
        auto r = std::make_unique<IndexRun>();
        auto writer = IndexWriter::create(indexPath, IndexWriter::Order::Any, runLimit);
        if (!writer) {
            r->error = indexingFailed(writer.error());
            return r;
        }
        r->writer = std::move(*writer);
        r->recorder.emplace(*r->writer, hashContents);
        r->pump = std::make_unique<LayerPump>(
            [this, r = r.get(), name = blobName()](TarReader::BlockFunction read) {
                auto done = readLayer(
                    std::move(read), layer, name, [r](TarReader &tar, const CheckedEntry &checked) {
                        return r->recorder->record(tar, checked);
                    });
                if (!done) {
                    r->error = named(done.error());
                    return false;
                }
                r->read = *done;
                return true;
            });
        return r;
    }

    // A refusal names the layer already; a failure of the disk or of the source is said to be
    // this layer's too.
    Error named(const Error &reason) const
    {
        return reason.message.contains(layer) ? reason : indexingFailed(reason);
    }

    Error indexingFailed(const Error &reason) const
    {
        return Error::make(reason.kind,
                           LayerIndexer::tr("%1 cannot be indexed: %2").arg(layer, reason.message));
    }

    Result<LayerIndexSummary> summarise()
    {
        LayerIndexSummary s;
        s.blobDigest = *Digest::parse(blobHash.digest());
        s.blobSize = blobSize;
        s.compression = run->read.compression;
        // An uncompressed layer is its own tar.
        s.diffId = run->read.diffId.isValid() ? run->read.diffId : s.blobDigest;
        s.tarSize = run->read.tarSize >= 0 ? run->read.tarSize : blobSize;
        s.entries = run->recorder->entries();
        s.fileBytes = run->recorder->fileBytes();
        if (expected.blobDigest.isValid() && expected.blobDigest != s.blobDigest)
            return fail(Error::Kind::DigestMismatch,
                        LayerIndexer::tr("%1 does not match its digest %2: its bytes hash to %3.")
                            .arg(layer, expected.blobDigest.toString(), s.blobDigest.toString()));
        if (expected.diffId.isValid() && expected.diffId != s.diffId)
            return fail(Error::Kind::DigestMismatch,
                        LayerIndexer::tr("%1 does not match its diff_id %2: it unpacks to %3.")
                            .arg(layer, expected.diffId.toString(), s.diffId.toString()));
        return s;
    }
};

namespace {

QJsonObject metaWithSummary(QJsonObject meta, const LayerIndexSummary &s)
{
    meta.insert(QStringLiteral("blobDigest"), s.blobDigest.toString());
    meta.insert(QStringLiteral("diffId"), s.diffId.toString());
    meta.insert(QStringLiteral("compression"), s.compression);
    meta.insert(QStringLiteral("blobSize"), s.blobSize);
    meta.insert(QStringLiteral("tarSize"), s.tarSize);
    meta.insert(QStringLiteral("entries"), s.entries);
    meta.insert(QStringLiteral("fileBytes"), s.fileBytes);
    return meta;
}

} // namespace

LayerIndexer::LayerIndexer(QString layer, Expected expected, QString indexPath, QJsonObject meta)
    : m_shared(std::make_unique<Shared>())
{
    m_shared->layer = std::move(layer);
    m_shared->expected = std::move(expected);
    m_shared->indexPath = std::move(indexPath);
    m_shared->meta = std::move(meta);
}

LayerIndexer::~LayerIndexer() = default;

void LayerIndexer::setRunLimit(qsizetype entries)
{
    m_shared->runLimit = entries;
}

void LayerIndexer::setHashContents(bool hash)
{
    m_shared->hashContents = hash;
}

Status LayerIndexer::write(QByteArrayView data)
{
    Shared &s = *m_shared;
    IndexRun &run = s.ensureRun();
    if (run.error && !run.pump)
        return fail(*run.error);
    s.blobHash.addData(data);
    s.blobSize += data.size();
    if (run.pump->feed(data.toByteArray()))
        return {};
    // It cannot have ended well: the input has not.
    return fail(run.error.value_or(
        Error::make(Error::Kind::InvalidArgument, tr("%1 is refused.").arg(s.layer))));
}

Status LayerIndexer::restart()
{
    Shared &s = *m_shared;
    s.run.reset();
    s.blobHash.reset();
    s.blobSize = 0;
    return {};
}

Result<LayerIndexSummary> LayerIndexer::finish()
{
    Shared &s = *m_shared;
    IndexRun &run = s.ensureRun();
    if (run.pump)
        run.pump->finish();
    if (run.error)
        return fail(*run.error);
    auto summary = s.summarise();
    if (!summary)
        return summary;
    if (Status w = run.writer->finish(metaWithSummary(s.meta, *summary)); !w)
        return fail(s.indexingFailed(w.error()));
    return summary;
}

} // namespace Berth
