#pragma once

#include "erroradvice.h"
#include "filechooser.h"

#include <QDialog>
#include <QPointer>

class QDialogButtonBox;
class QPushButton;
class QVBoxLayout;

namespace Berth {

class InlineMessage;
class JobProgress;
class TransferJob;
class TransferManager;

// What the Load, Import and Export dialogs share: fields on top (the subclass's), then the job's
// progress, its outcome in a message, and Close. A running job is a TransferManager job: Esc or
// "Cancel …" stops it (a cancel is not an error, and is said so), then closes. The outcome is
// worded here: success by the subclass, a failure by ErrorAdvice with the buttons it offers
// (Try Again reruns the same job; others go to the subclass or to adviceRequested()).
class JobDialog : public QDialog
{
    Q_OBJECT

public:
    explicit JobDialog(TransferManager *transfers, QWidget *parent = nullptr);

    // Tests answer the file dialog through this; the application keeps QFileDialog.
    void setFileChooser(FileChooser chooser);
    FileChooser fileChooser() const { return m_chooseFile; }

    TransferJob *job() const { return m_job; }
    bool isRunning() const;
    InlineMessage *message() const { return m_message; }

public slots:
    void reject() override;

signals:
    // A failure's advice asks for what only the window can do (log in, open Settings). Offered
    // only while something listens.
    void adviceRequested(Berth::ErrorAdvice::Action action);

protected:
    TransferManager *transfers() const;
    QDialogButtonBox *buttons() const { return m_buttons; }
    // The subclass's fields go here, above the progress.
    QVBoxLayout *fieldsLayout() const { return m_fields; }
    // What a finished job leaves (a file and "Show in Folder") goes here, under the message.
    QVBoxLayout *resultLayout() const { return m_result; }
    // The dialog's action (Load, Import, Export): default, beside Close.
    void addActionButton(QPushButton *button);

    // Asks for a file through the chooser, starting in the folder last used for its purpose.
    QString askForFile(const FileRequest &request);
    // Follows `job`: its progress shows, the last message goes.
    void follow(TransferJob *job);
    // Messages appear below the fields: the dialog grows to show them whole.
    void fitToContents();

    // The subclass's part of the outcome and of the state.
    virtual void jobSucceeded(TransferJob *job) = 0;
    virtual QString nothingDone() const = 0;      // "Nothing was loaded."
    virtual QString cancelledText() const = 0;    // "Loading was cancelled; nothing was loaded."
    virtual QString cancelButtonText() const = 0; // "Cancel Loading"
    // Enables the fields for the state; the base has set Close's text already.
    virtual void updateState() = 0;
    // An advice action the dialog carries out itself (Load's Import…).
    virtual bool handlesAdvice(ErrorAdvice::Action action) const;
    virtual void takeAdvice(ErrorAdvice::Action action);
    // The advice for the failed job; the subclass may name more than the job knows.
    virtual ErrorAdvice failureAdvice(TransferJob *job) const;

    void refresh(); // Close's text, then updateState()

private:
    void jobFinished();
    void showFailure(TransferJob *job);
    QAction *actionFor(ErrorAdvice::Action action);

    QPointer<TransferManager> m_transfers;
    QPointer<TransferJob> m_job;
    FileChooser m_chooseFile;
    QVBoxLayout *m_fields;
    QVBoxLayout *m_result;
    JobProgress *m_progress;
    InlineMessage *m_message;
    QDialogButtonBox *m_buttons;
    QList<QAction *> m_adviceActions;
};

} // namespace Berth
