#pragma once

#include "filechooser.h"

#include <QDialog>
#include <QPointer>

class QDialogButtonBox;
class QLineEdit;
class QPushButton;
class QUrl;

namespace Berth {

class InlineMessage;
class JobProgress;
class TransferJob;
class TransferManager;

// Loads the images of an archive (`docker load`): a file chosen with the picker, typed, or dropped
// on the dialog. The load is a TransferManager job; its progress shows here, then the images it
// brought ("Loaded image: node:15") or, inline, what was wrong with the archive. Esc cancels a
// running load (which is not an error), then closes.
class LoadDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit LoadDialog(TransferManager *transfers, QWidget *parent = nullptr);

    // Tests answer the file dialog through this; the application keeps QFileDialog.
    void setFileChooser(FileChooser chooser);

    QString path() const;
    void setPath(const QString &path);
    TransferJob *job() const { return m_job; }

    // A local file whose name says it is an image archive (.tar, .tar.gz, .tgz, .tar.zst, .tar.xz,
    // .tar.bz2): what the main window accepts as a drop.
    static bool isArchiveUrl(const QUrl &url);

    QLineEdit *pathEdit() const { return m_path; }
    QPushButton *browseButton() const { return m_browse; }
    QPushButton *loadButton() const { return m_load; }
    JobProgress *progress() const { return m_progress; }
    InlineMessage *message() const { return m_message; }

public slots:
    void browse();
    // Loads path(); false when there is nothing (valid) to load or a load still runs.
    bool start();
    void reject() override;

signals:
    // The names (tags, or IDs of untagged images) a load brought in.
    void loaded(const QStringList &images);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // Messages appear below the fields: the dialog grows to show them whole.
    void fitToContents();
    void updateState();
    void jobFinished();

    QPointer<TransferManager> m_transfers;
    QPointer<TransferJob> m_job;
    FileChooser m_chooseFile;
    QLineEdit *m_path;
    QPushButton *m_browse;
    QPushButton *m_load;
    JobProgress *m_progress;
    InlineMessage *m_message;
    QDialogButtonBox *m_buttons;
};

} // namespace Berth
