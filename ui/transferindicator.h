#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QDockWidget;
class QProgressBar;
class QToolButton;

namespace Berth {

class TransferJob;
class TransferManager;

// The Transfers dock folded into the status bar. While jobs run: an icon, "2 transfers running"
// and their overall progress; when one failed, that; else "Transfers". A click opens the dock, or
// closes it when open. The dock opens when a job starts and folds away a moment after the last
// one finished well (a failure keeps it open, so the whole error can be read).
class TransferIndicator final : public QWidget
{
    Q_OBJECT

public:
    TransferIndicator(TransferManager *manager, QDockWidget *dock, QWidget *parent = nullptr);

    int activeCount() const;
    int failedCount() const;
    // How long the dock stays open after the last job finished (tests set 0).
    void setCollapseDelay(int milliseconds) { m_collapse.setInterval(milliseconds); }

signals:
    // The number of running or queued jobs changed.
    void activeCountChanged(int count);

private:
    void follow(TransferJob *job);
    void jobStarted(TransferJob *job);
    void update();
    void collapseWhenIdle();

    QPointer<TransferManager> m_manager;
    QPointer<QDockWidget> m_dock;
    QToolButton *m_button;
    QProgressBar *m_progress;
    QTimer m_collapse;
    int m_lastActive = -1;
};

} // namespace Berth
