#pragma once

#include "sharewizard.h"

#include "common/result.h"

#include <QWizardPage>

class QComboBox;
class QLineEdit;
class QPushButton;

namespace Berth {

class InlineMessage;

// Where to save: the archive's path (typed or from the file picker) and its compression, kept in
// step with the file's suffix.
class ShareFilePage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareFilePage(ShareWizard *wizard);

    QString path() const;
    Compression compression() const;
    void setCompression(Compression compression);

    void initializePage() override;
    bool isComplete() const override;

public slots:
    bool browse();

private:
    void pathChanged();
    void compressionChanged();
    Status validatePath() const;

    ShareWizard *m_wizard;
    QStringList m_suggestedFor;
    bool m_pathEdited = false;
    bool m_syncing = false;
    QLineEdit *m_path;
    QPushButton *m_browse;
    QComboBox *m_compression;
    InlineMessage *m_message;
};

} // namespace Berth
