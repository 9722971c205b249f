#pragma once

#include "sharewizard.h"

#include <QWizardPage>

#include <functional>

class QLabel;
class QPushButton;

namespace Berth {

class InlineMessage;
class JobProgress;
class TransferJob;

// The push (one TransferManager job per image, naming it for its destination first) or the save,
// followed to the end: total progress, the running job's words, the result or the error with what
// to do next; Retry after a failure. The title follows the state ("Pushing…", then "Pushed" or
// "Push failed"); after a push, the pull command with a Copy button.
class ShareProgressPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareProgressPage(ShareWizard *wizard);

    bool isRunning() const;
    bool isDone() const;
    QList<TransferJob *> jobs() const;

    // How "Show in Folder" opens a directory: QDesktopServices::openUrl unless a test says
    // otherwise.
    void setUrlOpener(std::function<bool(const QUrl &)> opener);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

public slots:
    void cancel();
    void retry();
    // Puts the pull command on the clipboard.
    void copyPullCommand();

private:
    void start();
    void startSave();
    void startPush();
    void startCombine();
    // Where the pushed images go: the destination page's registry, or the combined image's.
    QString registry() const;
    void jobsChanged();
    void showFinished();
    void showDone();
    void setStateTitle();
    void hideOutcome();
    QString nextStep(const TransferJob *failed) const;

    ShareWizard *m_wizard;
    std::function<bool(const QUrl &)> m_openUrl;
    QLabel *m_heading;
    JobProgress *m_progress;
    InlineMessage *m_message;
    QPushButton *m_retry;
    QPushButton *m_showInFolder;
    QWidget *m_pullRow;
    QLabel *m_pullCommand;
    QPushButton *m_copy;
};

} // namespace Berth
