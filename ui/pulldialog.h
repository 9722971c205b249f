#pragma once

#include "transfermanager.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Berth {

// Asks for an image to pull: a reference checked as it is typed (the full name it stands for is
// shown, or what is wrong with it), and optionally a platform or all of them.
class PullDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit PullDialog(QWidget *parent = nullptr);

    void setReference(const QString &text);
    // Valid only while the dialog's input is.
    std::optional<ImageReference> reference() const;
    PullRequest request() const;
    bool isInputValid() const;

    QLineEdit *referenceEdit() const { return m_reference; }
    QComboBox *platformBox() const { return m_platform; }
    QCheckBox *allPlatformsBox() const { return m_allPlatforms; }
    QLabel *feedbackLabel() const { return m_feedback; }

private:
    void validate();

    QLineEdit *m_reference;
    QLabel *m_feedback;
    QComboBox *m_platform;
    QCheckBox *m_allPlatforms;
    QDialogButtonBox *m_buttons;
    std::optional<ImageReference> m_parsed;
    std::optional<Platform> m_parsedPlatform;
    bool m_valid = false;
};

} // namespace Berth
