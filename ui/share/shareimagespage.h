#pragma once

#include "sharewizard.h"

#include <QWizardPage>

class QListWidget;
class QRadioButton;

namespace Berth {

class InlineMessage;

// Which images (a checkable list of the backend's tags and untagged images), and push or save.
class ShareImagesPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareImagesPage(ShareWizard *wizard);

    QStringList selectedImages() const;
    ShareWizard::Mode mode() const;
    void setMode(ShareWizard::Mode mode);
    bool isLoaded() const { return m_loaded; }
    // Checks or unchecks the row of a tag or image ID; false when it is not listed.
    bool setChecked(const QString &image, bool checked);

    bool isComplete() const override;

public slots:
    void reload();

private:
    ShareWizard *m_wizard;
    bool m_loaded = false;
    int m_generation = 0;
    QListWidget *m_list;
    QRadioButton *m_push;
    QRadioButton *m_save;
    QRadioButton *m_combine;
    InlineMessage *m_message;
};

} // namespace Berth
