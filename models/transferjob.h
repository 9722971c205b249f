#pragma once

#include "archive/archivetypes.h"
#include "common/cancel.h"
#include "common/result.h"
#include "store/imagebackend.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace Berth {

// One pull, push, save, load, export or import run through an ImageBackend, in the manner of KDE
// Discover's Transaction: a state, per-item (layer) progress and the total, a smoothed speed and
// an ETA, the error in the user's words; cancel() and retry() (the same request again). A
// cancelled job is not a failed one. Jobs are made and owned by TransferManager.
//
// Progress may arrive from any thread (archive work runs on the thread pool): it is gathered under
// a lock and applied on the job's thread at most ten times a second, so a fast transfer does not
// flood the views.
class TransferJob final : public QObject
{
    Q_OBJECT

public:
    // LookInside: an image's files indexed for the Files tab; SaveFiles: files copied out of one.
    // Copy: an image from one registry to another; Delete: an image or one tag off a registry.
    enum class Kind { Pull, Push, Save, Load, Export, Import, LookInside, SaveFiles, Copy, Delete };
    Q_ENUM(Kind)
    enum class State { Queued, Running, Done, Failed, Cancelled };
    Q_ENUM(State)

    struct Item
    {
        QString name; // a layer digest, a file of an archive
        TransferProgress::State state = TransferProgress::State::Waiting;
        qint64 current = 0;
        qint64 total = -1;
        QString message;
    };

    // What a finished run reports: a one-line summary, the images it made or touched
    // ("node:15", an image ID), and the bytes it wrote or read when it knows them.
    struct Outcome
    {
        QString summary;
        QStringList images;
        qint64 bytes = -1;
    };

    // Handed to the starter of each run. Every function may be called from any thread and any
    // number of times; the first finish() ends the run, and nothing counts once the job has moved
    // on (finished, retried, destroyed).
    struct Run
    {
        CancelToken cancel;
        std::function<void(const TransferProgress &)> transferProgress;
        ArchiveProgressFunction archiveProgress;
        std::function<void(Result<Outcome>)> finish;
    };
    using Starter = std::function<void(ImageBackend &backend, const Run &run)>;
    // For work that needs no image store (a registry, an archive on disk).
    using FreeStarter = std::function<void(const Run &run)>;

    // What a job works on, for the words of its messages: the image (or container), the
    // registry it goes to or comes from, the file it reads or writes.
    struct Subject
    {
        QString image;
        QString registry;
        QString file;
    };

    TransferJob(Kind kind,
                QString title,
                Starter starter,
                ImageBackend *backend,
                QObject *parent = nullptr);
    // A job that runs without a backend. When `watched` is given (the work reads from it), the job
    // fails if that backend goes away, as a backend job does.
    TransferJob(Kind kind,
                QString title,
                FreeStarter starter,
                ImageBackend *watched,
                QObject *parent = nullptr);
    ~TransferJob() override;

    quint64 id() const { return m_id; }
    Kind kind() const { return m_kind; }
    QString title() const { return m_title; }
    State state() const { return m_state; }
    bool isActive() const { return m_state == State::Queued || m_state == State::Running; }
    bool isFinished() const { return !isActive(); }
    bool canCancel() const { return isActive() && !m_cancelRequested; }
    bool canRetry() const { return m_state == State::Failed || m_state == State::Cancelled; }
    // How many times the request ran (1 for the first run, 2 after one retry, …).
    int runs() const { return m_runs; }

    QList<Item> items() const { return m_items; }
    int itemCount() const { return int(m_items.size()); }
    Item item(int row) const { return m_items.value(row); }
    qint64 current() const { return m_current; }
    qint64 total() const { return m_total; } // -1 when unknown
    // 0..1, or -1 when the total is not known yet; 1 once Done.
    double fraction() const;
    double speed() const { return m_speed; } // bytes per second, smoothed; 0 unless running
    qint64 etaSeconds() const;               // -1 when unknown
    // "Waiting to start", the backend's last words, "Cancelling…", the summary or the error.
    QString statusText() const;

    Error error() const { return m_error; } // Failed only
    QString errorString() const { return m_state == State::Failed ? m_error.message : QString(); }
    QString summary() const { return m_outcome.summary; }
    QStringList resultImages() const { return m_outcome.images; }
    // The file a save or an export writes; empty for the other kinds.
    QString outputFile() const { return m_outputFile; }
    void setOutputFile(const QString &path) { m_outputFile = path; }
    Subject subject() const { return m_subject; }
    void setSubject(Subject subject) { m_subject = std::move(subject); }
    QDateTime startedAt() const { return m_startedAt; }
    QDateTime finishedAt() const { return m_finishedAt; }
    ImageBackend *backend() const { return m_backend; }

    static QString kindName(Kind kind);
    static QString stateName(State state);
    static QString itemStateName(TransferProgress::State state);

public slots:
    // Queued: cancelled at once. Running: asks the backend to stop; the job becomes Cancelled when
    // the backend has let go (or Done if it finished first).
    void cancel();
    // Failed or Cancelled: queued again, same request, progress and error cleared.
    void retry();

signals:
    void stateChanged(Berth::TransferJob::State state);
    void progressChanged(); // totals, speed, ETA, status text
    void itemsAboutToBeInserted(int first, int last);
    void itemsInserted(int first, int last);
    void itemChanged(int row);
    void itemsAboutToBeReset();
    void itemsReset();
    void finished(); // Done, Failed or Cancelled

private:
    friend class TransferManager;
    struct RunState;

    // Queued -> Running on `backend` (the job's own if it still exists, else the manager's).
    void start(ImageBackend *fallback);
    // What the starter gets: progress and the end, handed to the job's thread.
    Run handleFor(const std::shared_ptr<RunState> &run);
    void deliver(const std::shared_ptr<RunState> &run);
    void applyPending();
    void complete(const std::shared_ptr<RunState> &run, Result<Outcome> result);
    void setState(State state);
    void resetProgress();
    void sampleSpeed();
    void backendGone();

    const quint64 m_id;
    const Kind m_kind;
    const QString m_title;
    const Starter m_starter;
    FreeStarter m_freeStarter;
    bool m_watchesBackend = false; // a free job given a backend to watch
    QPointer<ImageBackend> m_backend;
    QMetaObject::Connection m_backendConnection;

    State m_state = State::Queued;
    bool m_cancelRequested = false;
    int m_runs = 0;
    std::shared_ptr<RunState> m_run;

    QList<Item> m_items;
    QHash<QString, int> m_itemRows;
    bool m_haveTotalLine = false;
    qint64 m_totalLineCurrent = 0;
    qint64 m_totalLineTotal = -1;
    qint64 m_current = 0;
    qint64 m_total = -1;
    qint64 m_moved = 0; // bytes that really travelled (skipped layers excluded): the speed's base
    QString m_lastMessage;

    QElapsedTimer m_clock;
    qint64 m_lastApplyMs = -1;
    qint64 m_lastSampleMs = 0;
    qint64 m_lastSampleBytes = 0;
    double m_speed = 0;
    bool m_haveSpeed = false;
    QTimer m_applyTimer;
    QTimer m_speedTimer;

    Error m_error;
    Outcome m_outcome;
    QString m_outputFile;
    Subject m_subject;
    QDateTime m_startedAt;
    QDateTime m_finishedAt;
};

} // namespace Berth
