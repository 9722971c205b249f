// The layers of an archive streamed into their sinks in one pass, on a worker thread.

#include "imagefiles/layerstream.h"

#include "archive/entrypath.h"
#include "archive/tarreader.h"
#include "imagefiles/archivecatalogue.h"

#include <QMetaObject>
#include <QObject>
#include <QStringList>

namespace Berth {

namespace {

Status copyEntry(TarReader &reader,
                 const QList<int> &positions,
                 const LayerStreamJob &job,
                 qint64 &streamed)
{
    QList<BlobSink *> sinks;
    for (int position : positions)
        sinks << job.sinkFor(position);
    for (;;) {
        if (job.cancel.isCancelled())
            return fail(Error::Kind::Cancelled, Berth::tr("Cancelled."));
        auto block = reader.readBlock();
        if (!block)
            return fail(block.error());
        if (block->isEmpty())
            return {};
        for (BlobSink *sink : std::as_const(sinks)) {
            if (Status s = sink->write(*block); !s)
                return s;
        }
        streamed += block->size();
        if (job.progress)
            job.progress(streamed);
    }
}

Error missingFiles(const TarReader &reader, const QHash<QString, QList<int>> &left)
{
    QStringList names = left.keys();
    names.sort();
    return Error::make(
        Error::Kind::InvalidArgument,
        Berth::tr("'%1' ended without the layer file(s) %2.", nullptr, int(names.size()))
            .arg(reader.displayName(), names.join(u", ")));
}

} // namespace

Status streamLayers(TarReader &reader, const LayerStreamJob &job)
{
    QHash<QString, QList<int>> left = job.wanted;
    qint64 streamed = 0;
    while (!left.isEmpty()) {
        if (job.cancel.isCancelled())
            return fail(Error::Kind::Cancelled, Berth::tr("Cancelled."));
        auto more = reader.next();
        if (!more)
            return fail(more.error());
        if (!*more)
            break;
        const TarEntry &entry = reader.entry();
        auto path = normaliseEntryPath(entry.path);
        const bool file = entry.type == TarEntry::Type::File;
        const QString key = path && file ? (job.key ? job.key(*path) : *path) : QString();
        auto it = key.isEmpty() ? left.cend() : left.constFind(key);
        if (it != left.cend()) {
            if (Status s = copyEntry(reader, it.value(), job, streamed); !s)
                return s;
            left.erase(it);
            continue;
        }
        if (Status s = job.catalogue ? catalogueEntry(reader, *job.catalogue) : reader.skipData();
            !s)
            return s;
    }
    if (left.isEmpty())
        return {};
    if (!job.missing)
        return fail(missingFiles(reader, left));
    *job.missing = left.keys();
    return {};
}

ProgressRelay::ProgressRelay(QObject *context,
                             std::function<void(qint64, qint64)> progress,
                             qint64 total)
    : m_context(context)
    , m_progress(std::move(progress))
    , m_total(total)
{}

void ProgressRelay::report(qint64 done)
{
    m_latest.store(m_base.load() + done);
    if (!m_progress || m_posted.exchange(true))
        return;
    QObject *context = m_context.data();
    if (!context)
        return;
    QMetaObject::invokeMethod(
        context,
        [self = shared_from_this()] {
            self->m_posted.store(false);
            if (!self->m_finished.load())
                self->m_progress(self->m_latest.load(), self->m_total);
        },
        Qt::QueuedConnection);
}

void ProgressRelay::finish()
{
    m_finished.store(true);
    const qint64 done = std::max(m_latest.load(), m_total);
    if (m_progress)
        m_progress(done, m_total > 0 ? m_total : done);
}

} // namespace Berth
