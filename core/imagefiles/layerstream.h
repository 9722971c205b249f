#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "oci/blobsink.h"

#include <QHash>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

class QObject;

namespace Berth {

class TarReader;
struct ArchiveCatalogue;

// Which files of an archive to stream, into which layers' sinks (a file two layers share feeds
// both), on a worker thread.
struct LayerStreamJob
{
    QHash<QString, QList<int>> wanted; // normalised path → layer positions
    std::function<BlobSink *(int)> sinkFor;
    CancelToken cancel;
    std::function<void(qint64 bytes)> progress; // bytes streamed so far, on the worker thread
    // The key of an entry's normalised path in `wanted` (unset: the path itself; "": none).
    std::function<QString(const QString &path)> key;
    // When set, every other entry goes into it, and wanted files the archive lacks are left in
    // `missing` instead of failing: a second pass can then find them by what the archive says.
    ArchiveCatalogue *catalogue = nullptr;
    QStringList *missing = nullptr;
};

// Reads the archive once, in its order, writing each wanted file's bytes into its sinks and
// skipping everything else; stops as soon as every wanted file is out. A sink's failure comes
// back as it was; a wanted file the archive does not hold is an error naming it.
Status streamLayers(TarReader &reader, const LayerStreamJob &job);

// Progress reported on a worker thread, delivered on the thread of `context` (dropped once the
// context is gone), a few times a second at most in effect: at most one delivery in flight.
class ProgressRelay final : public std::enable_shared_from_this<ProgressRelay>
{
public:
    ProgressRelay(QObject *context, std::function<void(qint64, qint64)> progress, qint64 total);
    void report(qint64 done); // any thread
    // The context's thread: the last figure (the total when known, else what came), at once.
    void finish();
    // A second pass over another stream starts counting from here, so figures never go back.
    void rebase() { m_base.store(m_latest.load()); }
    qint64 total() const { return m_total; }

private:
    QPointer<QObject> m_context;
    std::function<void(qint64, qint64)> m_progress;
    qint64 m_total;
    std::atomic<qint64> m_latest{0};
    std::atomic<qint64> m_base{0};
    std::atomic<bool> m_posted{false};
    std::atomic<bool> m_finished{false};
};

} // namespace Berth
