#pragma once

#include "jobdialog.h"

#include "common/result.h"
#include "oci/manifest.h"

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QUrl;

namespace Berth {

// Exports a filesystem as a tar (`docker export`): a container's (engines) or an image's flattened
// one (embedded store), named by the caller. The file comes from the picker; for an image with
// several platforms one may be chosen. The export is a TransferManager job; when it is written
// the dialog shows the file with a "Show in Folder" button.
class ExportDialog final : public JobDialog
{
    Q_OBJECT

public:
    ExportDialog(TransferManager *transfers,
                 const QString &containerOrImage,
                 QWidget *parent = nullptr);

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

public slots:
    // Asks for the file; true when one was chosen.
    bool browse();
    bool start();
    void showInFolder();

signals:
    void exported(const QString &path);

protected:
    void jobSucceeded(TransferJob *job) override;
    QString nothingDone() const override;
    QString cancelledText() const override;
    QString cancelButtonText() const override;
    void updateState() override;

private:
    void describeFields(); // names, placeholders, tooltips
    void layOutFields();

    const QString m_what;
    std::function<bool(const QUrl &)> m_openUrl;
    QLineEdit *m_path;
    QPushButton *m_browse;
    InlineMessage *m_pathError;
    QComboBox *m_platform;
    InlineMessage *m_platformError;
    QPushButton *m_export;
    QLabel *m_file;
    QPushButton *m_showInFolder;
};

} // namespace Berth
