#pragma once

#include "jobdialog.h"

#include "archive/archivetypes.h"
#include "common/result.h"
#include "reference/imagereference.h"

#include <optional>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;

namespace Berth {

// Makes an image from a filesystem tar (`docker import`): a file or an http(s) URL, an optional
// repository:tag, Dockerfile changes one per line (CMD, ENV, EXPOSE…) and a message. Every field
// is checked as it is typed, the error shown under it; the import is a TransferManager job.
class ImportDialog final : public JobDialog
{
    Q_OBJECT

public:
    explicit ImportDialog(TransferManager *transfers, QWidget *parent = nullptr);

    void setPath(const QString &path);

    // What the fields say now; an error names the field that is wrong.
    Result<ArchiveSource> source() const;
    Result<std::optional<ImageReference>> reference() const;
    QStringList changes() const;
    // Checks the changes as docker would apply them; the error names the line.
    static Status validateChanges(const QStringList &changes);

public slots:
    void browse();
    // Imports with what the fields say; false when one of them is wrong or an import runs.
    bool start();

signals:
    void imported(const QString &image);

protected:
    void jobSucceeded(TransferJob *job) override;
    QString nothingDone() const override;
    QString cancelledText() const override;
    QString cancelButtonText() const override;
    void updateState() override;

private:
    void describeFields(); // names, placeholders, tooltips
    void layOutFields();

    QRadioButton *m_fromFile;
    QRadioButton *m_fromUrl;
    QLineEdit *m_path;
    QPushButton *m_browse;
    QLineEdit *m_url;
    InlineMessage *m_sourceError;
    QLineEdit *m_reference;
    InlineMessage *m_referenceError;
    QPlainTextEdit *m_changes;
    InlineMessage *m_changesError;
    QLineEdit *m_messageText;
    QPushButton *m_import;
};

} // namespace Berth
