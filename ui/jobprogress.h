#pragma once

#include <QList>
#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace Berth {

class TransferJob;

// A progress bar and a status line bound to one or more TransferJobs (a push of several images, a
// save, a load): the bar shows their total progress (busy while a total is unknown), the line
// the running job's own words. The share wizard and the archive dialogs put their result or
// error next to it; the jobs themselves live in the TransferManager.
class JobProgress final : public QWidget
{
    Q_OBJECT

public:
    explicit JobProgress(QWidget *parent = nullptr);

    void setJobs(const QList<TransferJob *> &jobs);
    void addJob(TransferJob *job);
    void clear();
    QList<TransferJob *> jobs() const;

    bool isEmpty() const { return jobs().isEmpty(); }
    bool isActive() const;   // one job is queued or running
    bool isFinished() const; // every job finished (and there is one)
    bool isDone() const;     // every job finished well
    TransferJob *firstFailed() const;
    bool anyCancelled() const;

public slots:
    void cancel();
    // The failed and cancelled jobs run again.
    void retry();

signals:
    // A job changed state; finished() follows when the last one ends.
    void stateChanged();
    void finished();

private:
    void update();

    QList<QPointer<TransferJob>> m_jobs;
    QProgressBar *m_bar;
    QLabel *m_status;
};

} // namespace Berth
