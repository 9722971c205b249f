#pragma once

#include <QDockWidget>
#include <QPointer>

#include <functional>

class QAction;
class QTreeView;

namespace Berth {

class TransferJob;
class TransfersModel;

// The Transfers panel: every job with its progress bar, speed and time left, its layers as
// children; cancel (also Esc), retry, "show in folder" for files written, clear finished ones.
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
    QAction *cancelAction() const { return m_cancel; }
    QAction *retryAction() const { return m_retry; }
    QAction *showInFolderAction() const { return m_showInFolder; }
    QAction *clearAction() const { return m_clear; }

public slots:
    void cancelSelected();
    void retrySelected();
    void showSelectedInFolder();
    void clearFinished();

private:
    void updateActions();
    void updateTitle();

    QPointer<TransfersModel> m_model;
    QTreeView *m_view;
    QAction *m_cancel;
    QAction *m_retry;
    QAction *m_showInFolder;
    QAction *m_clear;
    std::function<bool(const QUrl &)> m_openUrl;
    bool m_showOnNewJob = true;
};

} // namespace Berth
