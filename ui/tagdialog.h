#pragma once

#include "reference/imagereference.h"

#include <QDialog>
#include <QPointer>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Berth {

class ImageBackend;
class InlineMessage;

// Gives a local image another name. The new name is checked as it is typed (the full reference it
// stands for is shown, or what is wrong with it); Tag runs on the backend, and a refusal is shown
// in the dialog, which stays open to correct it.
class TagDialog final : public QDialog
{
    Q_OBJECT

public:
    TagDialog(ImageBackend *backend, const QString &source, QWidget *parent = nullptr);

    QString source() const { return m_source; }
    void setTarget(const QString &text);
    std::optional<ImageReference> target() const;
    bool isInputValid() const { return m_target.has_value(); }
    bool isBusy() const { return m_busy; }

public slots:
    void accept() override;

signals:
    void tagged(const QString &target);

private:
    void validate();
    void setBusy(bool busy);

    QPointer<ImageBackend> m_backend;
    const QString m_source;
    QLineEdit *m_edit;
    QLabel *m_feedback;
    InlineMessage *m_error;
    QDialogButtonBox *m_buttons;
    std::optional<ImageReference> m_target;
    bool m_busy = false;
};

} // namespace Berth
