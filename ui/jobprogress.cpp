#include "jobprogress.h"

#include "transferjob.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace Berth {

JobProgress::JobProgress(QWidget *parent)
    : QWidget(parent)
    , m_bar(new QProgressBar(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("jobProgress"));
    m_bar->setObjectName(QStringLiteral("progress"));
    m_bar->setAccessibleName(tr("Progress"));
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setAccessibleName(tr("Status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bar);
    layout->addWidget(m_status);
    update();
}

QList<TransferJob *> JobProgress::jobs() const
{
    QList<TransferJob *> jobs;
    for (const QPointer<TransferJob> &job : m_jobs) {
        if (job)
            jobs.append(job);
    }
    return jobs;
}

void JobProgress::clear()
{
    for (const QPointer<TransferJob> &job : std::as_const(m_jobs)) {
        if (job)
            job->disconnect(this);
    }
    m_jobs.clear();
    update();
}

void JobProgress::setJobs(const QList<TransferJob *> &jobs)
{
    clear();
    for (TransferJob *job : jobs)
        addJob(job);
}

void JobProgress::addJob(TransferJob *job)
{
    if (!job)
        return;
    m_jobs.append(job);
    connect(job, &TransferJob::progressChanged, this, &JobProgress::update);
    connect(job, &TransferJob::stateChanged, this, [this] {
        update();
        emit stateChanged();
        if (isFinished())
            emit finished();
    });
    connect(job, &QObject::destroyed, this, &JobProgress::update);
    update();
    emit stateChanged();
    if (isFinished())
        emit finished();
}

bool JobProgress::isActive() const
{
    const QList<TransferJob *> all = jobs();
    return std::any_of(all.cbegin(), all.cend(), [](TransferJob *j) { return j->isActive(); });
}

bool JobProgress::isFinished() const
{
    const QList<TransferJob *> all = jobs();
    return !all.isEmpty()
           && std::all_of(all.cbegin(), all.cend(), [](TransferJob *j) { return j->isFinished(); });
}

bool JobProgress::isDone() const
{
    const QList<TransferJob *> all = jobs();
    return !all.isEmpty() && std::all_of(all.cbegin(), all.cend(), [](TransferJob *j) {
        return j->state() == TransferJob::State::Done;
    });
}

TransferJob *JobProgress::firstFailed() const
{
    for (TransferJob *job : jobs()) {
        if (job->state() == TransferJob::State::Failed)
            return job;
    }
    return nullptr;
}

bool JobProgress::anyCancelled() const
{
    const QList<TransferJob *> all = jobs();
    return std::any_of(all.cbegin(), all.cend(), [](TransferJob *j) {
        return j->state() == TransferJob::State::Cancelled;
    });
}

void JobProgress::cancel()
{
    for (TransferJob *job : jobs()) {
        if (job->canCancel())
            job->cancel();
    }
}

void JobProgress::retry()
{
    for (TransferJob *job : jobs()) {
        if (job->canRetry())
            job->retry();
    }
}

void JobProgress::update()
{
    const QList<TransferJob *> all = jobs();
    if (all.isEmpty()) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(0);
        m_status->clear();
        return;
    }
    // Each job weighs the same: the bytes of a push and of a save are not comparable anyway.
    double sum = 0;
    bool known = true;
    for (TransferJob *job : all) {
        // A failed or cancelled job stays where it stopped.
        const double f = job->state() == TransferJob::State::Done ? 1.0 : job->fraction();
        if (f < 0)
            known = false;
        sum += std::max(0.0, f);
    }
    if (known || !isActive()) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(1000 * sum / double(all.size())));
    } else {
        m_bar->setRange(0, 0); // busy: the size is not known yet
    }

    TransferJob *shown = nullptr;
    int position = 0;
    for (int i = 0; i < int(all.size()); ++i) {
        if (all.at(i)->state() == TransferJob::State::Running) {
            shown = all.at(i);
            position = i + 1;
            break;
        }
    }
    if (!shown) {
        shown = all.last();
        position = int(all.size());
    }
    // Once over, an error or a cancel is told by whoever shows the result: here only the state.
    QString text = shown->statusText();
    if (!isActive()) {
        if (TransferJob *failed = firstFailed())
            shown = failed, text = TransferJob::stateName(TransferJob::State::Failed);
        else if (anyCancelled())
            text = TransferJob::stateName(TransferJob::State::Cancelled);
    }
    m_status->setText(
        all.size() == 1
            ? text
            : tr("%1 of %2: %3").arg(position).arg(all.size()).arg(shown->title() + u" — " + text));
    m_bar->setAccessibleDescription(m_status->text());
}

} // namespace Berth
