#include "inlinemessage.h"

#include <QAccessible>
#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace Berth {

InlineMessage::InlineMessage(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_buttons(new QHBoxLayout)
    , m_close(new QToolButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setObjectName(QStringLiteral("messageText"));
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_close->setAutoRaise(true);
    m_close->setIcon(QIcon::fromTheme(QStringLiteral("dialog-close"),
                                      style()->standardIcon(QStyle::SP_TitleBarCloseButton)));
    m_close->setToolTip(tr("Close"));
    m_close->setAccessibleName(tr("Close message"));
    connect(m_close, &QToolButton::clicked, this, &InlineMessage::clear);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 4, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addLayout(m_buttons);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    setAccessibleName(tr("Message"));
    hide();
}

QString InlineMessage::text() const
{
    return isHidden() ? QString() : m_text->text();
}

void InlineMessage::setCloseButtonVisible(bool visible)
{
    m_close->setVisible(visible);
}

QList<QAction *> InlineMessage::messageActions() const
{
    QList<QAction *> actions;
    for (const QPointer<QAction> &action : m_actions) {
        if (action)
            actions.append(action);
    }
    return actions;
}

void InlineMessage::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    // The icon theme follows the palette (light or dark icons): draw the icon again.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        setIcon(m_kind);
}

void InlineMessage::setIcon(Kind kind)
{
    // Theme names first (Berth bundles them), the style's standard icons when none resolve.
    QString name = QStringLiteral("dialog-information");
    QStyle::StandardPixmap fallback = QStyle::SP_MessageBoxInformation;
    switch (kind) {
    case Kind::Information:
        break;
    case Kind::Positive:
        name = QStringLiteral("dialog-ok");
        break;
    case Kind::Warning:
        name = QStringLiteral("dialog-warning");
        fallback = QStyle::SP_MessageBoxWarning;
        break;
    case Kind::Error:
        name = QStringLiteral("dialog-error");
        fallback = QStyle::SP_MessageBoxCritical;
        break;
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    const QIcon icon = QIcon::fromTheme(name, style()->standardIcon(fallback, nullptr, this));
    m_icon->setPixmap(icon.pixmap(size, size));
}

void InlineMessage::setActions(const QList<QAction *> &actions)
{
    while (QLayoutItem *item = m_buttons->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_actions.clear();
    for (QAction *action : actions) {
        auto *button = new QPushButton(action->icon(), action->text(), this);
        button->setObjectName(action->objectName());
        button->setToolTip(action->toolTip());
        button->setAccessibleName(QString(action->text()).remove(u'&'));
        button->setEnabled(action->isEnabled());
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        m_buttons->addWidget(button, 0, Qt::AlignVCenter);
        button->show(); // at once, not at the next layout pass, when the message is already shown
        m_actions.append(action);
    }
}

void InlineMessage::showMessage(Kind kind, const QString &text, const QList<QAction *> &actions)
{
    m_kind = kind;
    setIcon(kind);
    setActions(actions);
    m_text->setText(text);
    setAccessibleDescription(text);
    show();
    // Screen readers hear the message as it appears, like an alert.
    QAccessibleEvent event(m_text, QAccessible::Alert);
    QAccessible::updateAccessibility(&event);
}

void InlineMessage::showError(const QString &message,
                              const QString &advice,
                              const QList<QAction *> &actions)
{
    showMessage(Kind::Error, advice.isEmpty() ? message : message + u'\n' + advice, actions);
}

void InlineMessage::clear()
{
    setActions({});
    m_text->clear();
    hide();
}

QAction *tryAgainAction(QObject *parent)
{
    auto *action = new QAction(
        QIcon::fromTheme(QStringLiteral("view-refresh")), InlineMessage::tr("Try again"), parent);
    action->setObjectName(QStringLiteral("noticeRetry"));
    return action;
}

} // namespace Berth
