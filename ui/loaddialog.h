#pragma once

#include "jobdialog.h"

class QLineEdit;
class QPushButton;
class QUrl;

namespace Berth {

class ImportDialog;

// Loads the images of an archive (`docker load`): a file chosen with the picker, typed, or dropped
// on the dialog. Its progress shows here, then the images it brought ("Loaded image: node:15")
// or, inline, what was wrong with the archive; a filesystem tar (from `docker export`) is said to
// be one, with "Import…" opening the import dialog on the same file. Esc cancels a running load
// (which is not an error), then closes.
class LoadDialog final : public JobDialog
{
    Q_OBJECT

public:
    explicit LoadDialog(TransferManager *transfers, QWidget *parent = nullptr);

    QString path() const;
    void setPath(const QString &path);

    // A local file whose name says it is an image archive (.tar, .tar.gz, .tgz, .tar.zst, .tar.xz,
    // .tar.bz2): what the main window accepts as a drop.
    static bool isArchiveUrl(const QUrl &url);

public slots:
    void browse();
    // Loads path(); false when there is nothing (valid) to load or a load still runs.
    bool start();
    // Opens the import dialog on path() in place of this one; the import dialog is returned.
    ImportDialog *importInstead();

signals:
    // The names (tags, or IDs of untagged images) a load brought in.
    void loaded(const QStringList &images);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

    void jobSucceeded(TransferJob *job) override;
    QString nothingDone() const override;
    QString cancelledText() const override;
    QString cancelButtonText() const override;
    void updateState() override;
    bool handlesAdvice(ErrorAdvice::Action action) const override;
    void takeAdvice(ErrorAdvice::Action action) override;

private:
    QLineEdit *m_path;
    QPushButton *m_browse;
    QPushButton *m_load;
};

} // namespace Berth
