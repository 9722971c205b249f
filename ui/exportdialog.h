#pragma once

#include "filechooser.h"

#include "common/result.h"
#include "registry/manifest.h"

#include <QDialog>
#include <QPointer>

#include <functional>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QUrl;

namespace Berth {

class InlineMessage;
class JobProgress;
class TransferJob;
class TransferManager;

// Exports a filesystem as a tar (`docker export`): a container's (engines) or an image's flattened
// one (embedded store), named by the caller. The file comes from the picker; for an image with
// several platforms one may be chosen. The export is a TransferManager job; when it is written
// the dialog shows the file with a "Show in Folder" button.
class ExportDialog final : public QDialog
{
    Q_OBJECT

public:
    ExportDialog(TransferManager *transfers,
                 const QString &containerOrImage,
                 QWidget *parent = nullptr);

    void setFileChooser(FileChooser chooser);
    // How "Show in Folder" opens a directory: QDesktopServices::openUrl unless a test says
    // otherwise.
    void setUrlOpener(std::function<bool(const QUrl &)> opener);
    // The platforms of a multi-platform image ("linux/arm64"); without them the field only
    // takes what is typed, and an empty one means this computer's.
    void setPlatforms(const QStringList &platforms);

    QString what() const { return m_what; }
    QString path() const;
    void setPath(const QString &path);
    Result<std::optional<Platform>> platform() const;
    TransferJob *job() const { return m_job; }

    QLineEdit *pathEdit() const { return m_path; }
    QPushButton *browseButton() const { return m_browse; }
    QComboBox *platformBox() const { return m_platform; }
    InlineMessage *pathError() const { return m_pathError; }
    InlineMessage *platformError() const { return m_platformError; }
    QPushButton *exportButton() const { return m_export; }
    JobProgress *progress() const { return m_progress; }
    InlineMessage *message() const { return m_message; }
    QLabel *fileLabel() const { return m_file; }
    QPushButton *showInFolderButton() const { return m_showInFolder; }

public slots:
    // Asks for the file; true when one was chosen.
    bool browse();
    bool start();
    void showInFolder();
    void reject() override;

signals:
    void exported(const QString &path);

private:
    // Messages appear below the fields: the dialog grows to show them whole.
    void fitToContents();
    void validate();
    void jobFinished();

    QPointer<TransferManager> m_transfers;
    QPointer<TransferJob> m_job;
    const QString m_what;
    FileChooser m_chooseFile;
    std::function<bool(const QUrl &)> m_openUrl;
    QLineEdit *m_path;
    QPushButton *m_browse;
    InlineMessage *m_pathError;
    QComboBox *m_platform;
    InlineMessage *m_platformError;
    QPushButton *m_export;
    JobProgress *m_progress;
    InlineMessage *m_message;
    QLabel *m_file;
    QPushButton *m_showInFolder;
    QDialogButtonBox *m_buttons;
};

} // namespace Berth
