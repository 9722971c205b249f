#include "jobdialog.h"

#include "dialogsizing.h"

#include "inlinemessage.h"
#include "jobadvice.h"
#include "jobprogress.h"
#include "transfermanager.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QMetaMethod>
#include <QPushButton>
#include <QVBoxLayout>

namespace Berth {

JobDialog::JobDialog(TransferManager *transfers, QWidget *parent)
    : QDialog(parent)
    , m_transfers(transfers)
    , m_chooseFile(chooseWithFileDialog)
    , m_fields(new QVBoxLayout)
    , m_result(new QVBoxLayout)
    , m_progress(new JobProgress(this))
    , m_message(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    Q_ASSERT(transfers);
    m_message->setObjectName(QStringLiteral("message"));
    m_progress->hide();
    // Return runs the default button, never Close: focus may move to Close while a job runs,
    // and Return would cancel the job it just started.
    QPushButton *close = m_buttons->button(QDialogButtonBox::Close);
    close->setAutoDefault(false);
    close->setIcon(QIcon::fromTheme(QStringLiteral("dialog-close")));
    connect(m_buttons, &QDialogButtonBox::rejected, this, &JobDialog::reject);
    connect(m_progress, &JobProgress::stateChanged, this, &JobDialog::refresh);
    connect(m_progress, &JobProgress::finished, this, &JobDialog::jobFinished);

    m_fields->setContentsMargins(0, 0, 0, 0);
    m_result->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_fields);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addLayout(m_result);
    layout->addStretch();
    layout->addWidget(m_buttons);
}

void JobDialog::setFileChooser(FileChooser chooser)
{
    m_chooseFile = chooser ? std::move(chooser) : FileChooser(chooseWithFileDialog);
}

bool JobDialog::isRunning() const
{
    return m_job && m_job->isActive();
}

void JobDialog::addActionButton(QPushButton *button)
{
    button->setDefault(true);
    m_buttons->addButton(button, QDialogButtonBox::ActionRole);
}

QString JobDialog::askForFile(const FileRequest &request)
{
    return chooseFile(m_chooseFile, this, request);
}

void JobDialog::follow(TransferJob *job)
{
    m_job = job;
    m_message->clear();
    m_progress->setJobs({job});
    m_progress->show();
    refresh();
    fitToContents();
}

void JobDialog::refresh()
{
    m_buttons->button(QDialogButtonBox::Close)
        ->setText(isRunning() ? cancelButtonText() : tr("Close"));
    updateState();
}

void JobDialog::reject()
{
    // Esc stops the job first (the job, not the dialog, says it was cancelled); a second Esc
    // closes.
    if (isRunning()) {
        m_job->cancel();
        return;
    }
    QDialog::reject();
}

void JobDialog::jobFinished()
{
    refresh();
    if (!m_job)
        return;
    switch (m_job->state()) {
    case TransferJob::State::Done:
        jobSucceeded(m_job);
        break;
    case TransferJob::State::Failed:
        showFailure(m_job);
        break;
    case TransferJob::State::Cancelled:
        m_message->showInformation(cancelledText());
        break;
    case TransferJob::State::Queued:
    case TransferJob::State::Running:
        break;
    }
    fitToContents();
}

ErrorAdvice JobDialog::failureAdvice(TransferJob *job) const
{
    return adviceFor(job);
}

bool JobDialog::handlesAdvice(ErrorAdvice::Action action) const
{
    return action == ErrorAdvice::Action::Retry;
}

void JobDialog::takeAdvice(ErrorAdvice::Action action)
{
    if (action == ErrorAdvice::Action::Retry)
        m_progress->retry();
}

void JobDialog::showFailure(TransferJob *job)
{
    const ErrorAdvice advice = failureAdvice(job);
    static const QMetaMethod requested = QMetaMethod::fromSignal(&JobDialog::adviceRequested);
    QList<QAction *> actions;
    for (const ErrorAdvice::Action a : advice.actions) {
        if (handlesAdvice(a) || isSignalConnected(requested))
            actions << actionFor(a);
    }
    const QString next
        = advice.advice.isEmpty() ? nothingDone() : nothingDone() + u' ' + advice.advice;
    m_message->showError(advice.sentence, next, actions);
    m_message->setToolTip(advice.details);
}

QAction *JobDialog::actionFor(ErrorAdvice::Action action)
{
    const QString name = ErrorAdvice::actionObjectName(action);
    for (QAction *made : std::as_const(m_adviceActions)) {
        if (made->objectName() == name)
            return made;
    }
    QAction *made = ErrorAdvice::makeAction(action, this);
    connect(made, &QAction::triggered, this, [this, action] {
        if (handlesAdvice(action))
            takeAdvice(action);
        else
            emit adviceRequested(action);
    });
    m_adviceActions << made;
    return made;
}

TransferManager *JobDialog::transfers() const
{
    return m_transfers;
}

void JobDialog::fitToContents()
{
    growToFit(this);
}

} // namespace Berth
