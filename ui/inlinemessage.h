#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace Berth {

// A message shown where something happened (above a list, inside a dialog), in the spirit of
// KMessageWidget: an icon from the style, wrapped selectable text, a close button. Colours come
// from the palette, so it follows the system's light or dark theme.
class InlineMessage final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Information, Positive, Warning, Error };

    explicit InlineMessage(QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    QString text() const;
    void setCloseButtonVisible(bool visible);

public slots:
    void showMessage(Berth::InlineMessage::Kind kind, const QString &text);
    void showError(const QString &text) { showMessage(Kind::Error, text); }
    void showInformation(const QString &text) { showMessage(Kind::Information, text); }
    void showPositive(const QString &text) { showMessage(Kind::Positive, text); }
    void clear();

private:
    Kind m_kind = Kind::Information;
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
};

} // namespace Berth
