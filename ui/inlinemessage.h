#pragma once

#include <QFrame>
#include <QList>
#include <QPointer>

class QAction;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QToolButton;

namespace Berth {

// A message shown where something happened (above a list, inside a dialog), in the spirit of
// KMessageWidget: an icon, wrapped selectable text, buttons for what the user can do about it
// ("Try again", "Log In…", "Import…"), a close button. Colours come from the palette, so it
// follows the system's light or dark theme.
class InlineMessage final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Information, Positive, Warning, Error };

    explicit InlineMessage(QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    // The text shown, or empty while hidden.
    QString text() const;
    void setCloseButtonVisible(bool visible);
    // The actions offered with the current message, in their button order.
    QList<QAction *> messageActions() const;

public slots:
    // Shows text with one button per action (each takes its text, icon, tooltip and object
    // name from the action); a later message replaces both. The actions stay the caller's.
    void showMessage(Berth::InlineMessage::Kind kind,
                     const QString &text,
                     const QList<QAction *> &actions = {});
    void showError(const QString &text) { showMessage(Kind::Error, text); }
    // What happened, then on its own line what to do about it.
    void
    showError(const QString &message, const QString &advice, const QList<QAction *> &actions = {});
    void showInformation(const QString &text) { showMessage(Kind::Information, text); }
    void showPositive(const QString &text) { showMessage(Kind::Positive, text); }
    void clear();

protected:
    void changeEvent(QEvent *event) override;

private:
    void setIcon(Kind kind);
    void setActions(const QList<QAction *> &actions);

    Kind m_kind = Kind::Information;
    QLabel *m_icon;
    QLabel *m_text;
    QHBoxLayout *m_buttons;
    QToolButton *m_close;
    QList<QPointer<QAction>> m_actions;
};

// "Try again" with its icon, for messages about a failure that may pass (object name
// "noticeRetry", so tests and screen readers find it).
QAction *tryAgainAction(QObject *parent);

} // namespace Berth
