#pragma once

#include "erroradvice.h"

#include <QDockWidget>
#include <QHash>
#include <QPointer>

#include <functional>

class QAction;
class QTreeView;

namespace Berth {

class InlineMessage;
class TransferJob;
class TransfersModel;

// The Transfers panel: every job with its progress bar, speed and time left, its layers as
// children; cancel (also Esc), retry, "show in folder" for files written, clear finished ones.
// A failed job reads as ErrorAdvice words it, whole and in the error colour; selected, a message
// under the list offers what the advice says to do (Log In…, Open Settings…) and "Copy Details"
// copies the raw error for a bug report.
class TransfersDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit TransfersDock(TransfersModel *model, QWidget *parent = nullptr);

    // How "Show in folder" opens a directory: QDesktopServices::openUrl unless a test says
    // otherwise.
    void setUrlOpener(std::function<bool(const QUrl &)> opener);
    // Shown and raised when a job starts (default on).
    void setShowOnNewJob(bool show) { m_showOnNewJob = show; }

    TransferJob *currentJob() const;
    bool selectJob(const TransferJob *job);

    QTreeView *view() const { return m_view; }

public slots:
    void cancelSelected();
    void retrySelected();
    void showSelectedInFolder();
    void clearFinished();
    // The selected failed job's title, error kind and raw message, on the clipboard.
    void copySelectedDetails();

signals:
    // A failed job's advice asked for something only the window can do: log in to the job's
    // registry, open Settings, show the containers, import the file it could not load.
    void adviceActionTriggered(Berth::ErrorAdvice::Action action, Berth::TransferJob *job);

private:
    void describeActions();
    void setUpView();
    void followModel();
    void updateActions();
    void updateTitle();
    void updateFailure();
    QAction *adviceAction(ErrorAdvice::Action action);

    QPointer<TransfersModel> m_model;
    QTreeView *m_view;
    QAction *m_cancel;
    QAction *m_retry;
    QAction *m_showInFolder;
    QAction *m_clear;
    QAction *m_copyDetails;
    InlineMessage *m_failure;
    QHash<int, QAction *> m_adviceActions; // by ErrorAdvice::Action, made when first needed
    QPointer<TransferJob> m_failureShown;  // the job the message is about
    int m_failureRun = 0;                  // and which of its runs
    std::function<bool(const QUrl &)> m_openUrl;
    bool m_showOnNewJob = true;
};

} // namespace Berth
