#include "transferjob.h"

#include <QCoreApplication>

#include <atomic>
#include <cmath>
#include <mutex>

namespace Berth {

namespace {

constexpr int ApplyIntervalMs = 100;      // progress reaches the views at most 10 times a second
constexpr int SpeedSampleMs = 250;        // shorter intervals only add noise
constexpr double SpeedTimeConstant = 3.0; // seconds: how quickly the shown speed follows changes

std::atomic<quint64> g_nextId{1};

} // namespace

// What one run shares with the threads reporting to it. The job keeps the current one; callbacks
// of an older run (cancelled, retried) find the job holding another and are ignored.
struct TransferJob::RunState
{
    std::mutex mutex;
    QList<TransferProgress> pending; // coalesced: one entry per item, latest wins
    QHash<QString, qsizetype> pendingRows;
    bool posted = false;
    bool finished = false;
    std::optional<Result<Outcome>> result;
    CancelToken cancel;

    // Records a line; true when the job must be told (nothing is on its way yet).
    bool add(const TransferProgress &p)
    {
        std::lock_guard lock(mutex);
        if (finished)
            return false;
        const auto it = pendingRows.constFind(p.item);
        if (it != pendingRows.cend()) {
            pending[*it] = p;
        } else {
            pendingRows.insert(p.item, pending.size());
            pending.append(p);
        }
        return !std::exchange(posted, true);
    }
};

TransferJob::TransferJob(
    Kind kind, QString title, Starter starter, ImageBackend *backend, QObject *parent)
    : QObject(parent)
    , m_id(g_nextId++)
    , m_kind(kind)
    , m_title(std::move(title))
    , m_starter(std::move(starter))
    , m_backend(backend)
{
    m_applyTimer.setSingleShot(true);
    connect(&m_applyTimer, &QTimer::timeout, this, &TransferJob::applyPending);
    m_speedTimer.setInterval(1000); // without progress the speed must still fall
    connect(&m_speedTimer, &QTimer::timeout, this, [this] {
        sampleSpeed();
        emit progressChanged();
    });
}

TransferJob::TransferJob(
    Kind kind, QString title, FreeStarter starter, ImageBackend *watched, QObject *parent)
    : TransferJob(kind, std::move(title), Starter(), watched, parent)
{
    m_freeStarter = std::move(starter);
    m_watchesBackend = watched != nullptr;
}

TransferJob::~TransferJob()
{
    // A job going away mid-run (the application quits) stops its work rather than orphaning it.
    if (m_run && m_state == State::Running)
        m_run->cancel.cancel();
}

double TransferJob::fraction() const
{
    if (m_state == State::Done)
        return 1.0;
    if (m_total <= 0)
        return -1.0;
    return std::clamp(double(m_current) / double(m_total), 0.0, 1.0);
}

qint64 TransferJob::etaSeconds() const
{
    if (m_state != State::Running || m_total <= 0 || m_speed < 1.0 || m_current > m_total)
        return -1;
    return qint64(std::ceil(double(m_total - m_current) / m_speed));
}

QString TransferJob::statusText() const
{
    switch (m_state) {
    case State::Queued:
        return tr("Waiting to start");
    case State::Running:
        if (m_cancelRequested)
            return tr("Cancelling…");
        if (!m_lastMessage.isEmpty())
            return m_lastMessage;
        switch (m_kind) {
        case Kind::Pull:
            return tr("Downloading");
        case Kind::Push:
            return tr("Uploading");
        case Kind::Save:
        case Kind::Export:
        case Kind::SaveFiles:
            return tr("Writing");
        case Kind::Load:
        case Kind::Import:
        case Kind::LookInside:
            return tr("Reading");
        case Kind::Copy:
            return tr("Copying");
        case Kind::Delete:
            return tr("Deleting");
        }
        return {};
    case State::Done:
        return m_outcome.summary.isEmpty() ? tr("Done") : m_outcome.summary;
    case State::Failed:
        return m_error.message;
    case State::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

QString TransferJob::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Pull:
        return tr("Pull");
    case Kind::Push:
        return tr("Push");
    case Kind::Save:
        return tr("Save");
    case Kind::Load:
        return tr("Load");
    case Kind::Export:
        return tr("Export");
    case Kind::Import:
        return tr("Import");
    case Kind::LookInside:
        return tr("Look inside");
    case Kind::SaveFiles:
        return tr("Save files");
    case Kind::Copy:
        return tr("Copy");
    case Kind::Delete:
        return tr("Delete");
    }
    return {};
}

QString TransferJob::stateName(State state)
{
    switch (state) {
    case State::Queued:
        return tr("Queued");
    case State::Running:
        return tr("Running");
    case State::Done:
        return tr("Done");
    case State::Failed:
        return tr("Failed");
    case State::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

QString TransferJob::itemStateName(TransferProgress::State state)
{
    using S = TransferProgress::State;
    switch (state) {
    case S::Waiting:
        return tr("Waiting");
    case S::Transferring:
        return tr("Transferring");
    case S::Verifying:
        return tr("Verifying");
    case S::Done:
        return tr("Done");
    case S::Skipped:
        return tr("Already there");
    case S::Mounted:
        return tr("Mounted");
    case S::Failed:
        return tr("Failed");
    }
    return {};
}

void TransferJob::cancel()
{
    if (m_state == State::Queued) {
        setState(State::Cancelled);
        return;
    }
    if (m_state != State::Running || m_cancelRequested)
        return;
    m_cancelRequested = true;
    emit progressChanged();
    m_run->cancel.cancel();
}

void TransferJob::retry()
{
    if (!canRetry())
        return;
    m_error = {};
    m_outcome = {};
    m_finishedAt = {};
    resetProgress();
    setState(State::Queued);
}

void TransferJob::start(ImageBackend *fallback)
{
    if (m_state != State::Queued)
        return;
    const bool free = bool(m_freeStarter);
    ImageBackend *backend = m_backend || free ? m_backend.data() : fallback;
    ++m_runs;
    m_cancelRequested = false;
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_clock.start();
    m_lastApplyMs = -1;
    m_lastSampleMs = 0;
    m_lastSampleBytes = 0;
    m_speed = 0;
    m_haveSpeed = false;

    auto run = std::make_shared<RunState>();
    m_run = run;
    setState(State::Running);
    if (!backend && free && m_watchesBackend) {
        backendGone();
        return;
    }
    if (!backend && !free) {
        complete(run,
                 fail(Error::Kind::Unsupported,
                      tr("No image store is open: choose Docker, Podman or the embedded store in "
                         "Settings.")));
        return;
    }
    if (backend != m_backend) {
        m_backend = backend;
    }
    disconnect(m_backendConnection);
    if (backend)
        m_backendConnection
            = connect(backend, &QObject::destroyed, this, &TransferJob::backendGone);
    m_speedTimer.start();

    const Run handle = handleFor(run);
    if (free)
        m_freeStarter(handle);
    else
        m_starter(*backend, handle);
}

TransferJob::Run TransferJob::handleFor(const std::shared_ptr<RunState> &run)
{
    // The callbacks hold the job weakly: they may outlive it on a worker thread. Everything is
    // handed to the job's thread through the application object, which outlives every job.
    QPointer<TransferJob> self(this);
    const auto post = [self, run] {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, run] {
                if (self)
                    self->deliver(run);
            },
            Qt::QueuedConnection);
    };
    Run handle;
    handle.cancel = run->cancel;
    handle.transferProgress = [run, post](const TransferProgress &p) {
        if (run->add(p))
            post();
    };
    handle.archiveProgress = [run, post](const ArchiveProgress &a) {
        TransferProgress p;
        p.item = a.item;
        p.state = TransferProgress::State::Transferring;
        p.current = a.current;
        p.total = a.total;
        if (run->add(p))
            post();
    };
    handle.finish = [run, post](Result<Outcome> result) {
        {
            std::lock_guard lock(run->mutex);
            if (run->finished)
                return;
            run->finished = true;
            run->result = std::move(result);
        }
        post();
    };
    return handle;
}

void TransferJob::deliver(const std::shared_ptr<RunState> &run)
{
    if (run != m_run || m_state != State::Running)
        return;
    bool finished = false;
    {
        std::lock_guard lock(run->mutex);
        finished = run->finished;
    }
    if (finished) {
        applyPending();
        std::optional<Result<Outcome>> result;
        {
            std::lock_guard lock(run->mutex);
            result = std::move(run->result);
        }
        complete(run, std::move(*result));
        return;
    }
    if (m_applyTimer.isActive())
        return;
    const qint64 since = m_lastApplyMs < 0 ? ApplyIntervalMs : m_clock.elapsed() - m_lastApplyMs;
    if (since >= ApplyIntervalMs)
        applyPending();
    else
        m_applyTimer.start(int(ApplyIntervalMs - since));
}

void TransferJob::applyPending()
{
    if (!m_run)
        return;
    QList<TransferProgress> lines;
    {
        std::lock_guard lock(m_run->mutex);
        lines.swap(m_run->pending);
        m_run->pendingRows.clear();
        m_run->posted = false;
    }
    m_lastApplyMs = m_clock.elapsed();
    if (lines.isEmpty())
        return;

    for (const TransferProgress &p : std::as_const(lines)) {
        if (!p.message.isEmpty())
            m_lastMessage = p.message;
        if (p.item.isEmpty()) {
            m_haveTotalLine = true;
            m_totalLineCurrent = p.current;
            m_totalLineTotal = p.total;
            continue;
        }
        Item item{p.item, p.state, p.current, p.total, p.message};
        // A layer already there or mounted counts as complete.
        if ((p.state == TransferProgress::State::Skipped
             || p.state == TransferProgress::State::Mounted)
            && p.total >= 0)
            item.current = p.total;
        const auto it = m_itemRows.constFind(p.item);
        if (it != m_itemRows.cend()) {
            if (item.message.isEmpty())
                item.message = m_items.at(*it).message;
            m_items[*it] = item;
            emit itemChanged(*it);
        } else {
            const int row = int(m_items.size());
            emit itemsAboutToBeInserted(row, row);
            m_itemRows.insert(p.item, row);
            m_items.append(item);
            emit itemsInserted(row, row);
        }
    }

    qint64 itemsCurrent = 0, itemsTotal = 0, moved = 0;
    bool totalKnown = !m_items.isEmpty();
    for (const Item &item : std::as_const(m_items)) {
        itemsCurrent += item.current;
        if (item.total < 0)
            totalKnown = false;
        else
            itemsTotal += item.total;
        if (item.state != TransferProgress::State::Skipped
            && item.state != TransferProgress::State::Mounted)
            moved += item.current;
    }
    if (m_haveTotalLine) {
        m_current = m_totalLineCurrent;
        m_total = m_totalLineTotal;
    } else {
        m_current = itemsCurrent;
        m_total = totalKnown ? itemsTotal : -1;
    }
    // Layers that were already there did not travel: pulls, pushes and copies count their items;
    // an archive's main stream is its total.
    const bool perItem = (m_kind == Kind::Pull || m_kind == Kind::Push || m_kind == Kind::Copy)
                         && !m_items.isEmpty();
    m_moved = perItem ? moved : m_current;
    sampleSpeed();
    emit progressChanged();
}

void TransferJob::sampleSpeed()
{
    if (m_state != State::Running)
        return;
    const qint64 now = m_clock.elapsed();
    const qint64 dt = now - m_lastSampleMs;
    if (dt < SpeedSampleMs)
        return;
    const double instant
        = double(std::max<qint64>(0, m_moved - m_lastSampleBytes)) * 1000.0 / double(dt);
    const double alpha = 1.0 - std::exp(-double(dt) / 1000.0 / SpeedTimeConstant);
    m_speed = m_haveSpeed ? m_speed + alpha * (instant - m_speed) : instant;
    m_haveSpeed = true;
    m_lastSampleMs = now;
    m_lastSampleBytes = m_moved;
}

void TransferJob::complete(const std::shared_ptr<RunState> &run, Result<Outcome> result)
{
    if (run != m_run || m_state != State::Running)
        return;
    {
        std::lock_guard lock(run->mutex);
        run->finished = true;
    }
    m_applyTimer.stop();
    m_speedTimer.stop();
    disconnect(m_backendConnection);
    m_speed = 0;
    m_finishedAt = QDateTime::currentDateTimeUtc();
    if (result) {
        m_outcome = std::move(*result);
        if (m_total > 0)
            m_current = m_total;
        setState(State::Done);
    } else if (result.error().isCancelled() || m_cancelRequested) {
        // Asked to stop, the backend may answer with whatever broke first (an aborted reply): the
        // user cancelled, that is all there is to say.
        setState(State::Cancelled);
    } else {
        m_error = result.error();
        setState(State::Failed);
    }
}

void TransferJob::backendGone()
{
    if (m_state == State::Running && m_run)
        complete(m_run,
                 fail(Error::Kind::Io,
                      tr("The image store was closed before this job finished. Retry to run it "
                         "again.")));
}

void TransferJob::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    if (state != State::Running)
        m_cancelRequested = false;
    if (state == State::Cancelled && !m_finishedAt.isValid())
        m_finishedAt = QDateTime::currentDateTimeUtc();
    emit stateChanged(state);
    emit progressChanged();
    if (isFinished())
        emit finished();
}

void TransferJob::resetProgress()
{
    emit itemsAboutToBeReset();
    m_items.clear();
    m_itemRows.clear();
    emit itemsReset();
    m_haveTotalLine = false;
    m_totalLineCurrent = 0;
    m_totalLineTotal = -1;
    m_current = 0;
    m_total = -1;
    m_moved = 0;
    m_speed = 0;
    m_lastMessage.clear();
    emit progressChanged();
}

} // namespace Berth
