#include "sidebar.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionFocusRect>

namespace Berth {

namespace {

constexpr int BadgePadding = 6;

QRect badgeRect(const QStyleOptionViewItem &option, const QString &text)
{
    const QFontMetrics metrics(option.font);
    const int height = metrics.height() + 2;
    const int width = std::max(height, metrics.horizontalAdvance(text) + 2 * BadgePadding);
    const QRect row = option.rect;
    return QRect(row.right() - width - 8, row.center().y() - height / 2 + 1, width, height);
}

} // namespace

Sidebar::Sidebar(QWidget *parent)
    : QListWidget(parent)
{
    setItemDelegate(new SidebarDelegate(this));
}

QListWidgetItem *Sidebar::addEntry(const QIcon &icon, const QString &title)
{
    auto *item = new QListWidgetItem(icon, title, this);
    item->setData(Qt::AccessibleTextRole, title);
    return item;
}

void Sidebar::setBadgeCount(int row, int count, const QString &description)
{
    QListWidgetItem *entry = item(row);
    if (!entry)
        return;
    entry->setData(CountRole, count);
    entry->setToolTip(description);
    entry->setData(Qt::AccessibleDescriptionRole, description);
}

int Sidebar::badgeCount(int row) const
{
    const QListWidgetItem *entry = item(row);
    const QVariant value = entry ? entry->data(CountRole) : QVariant();
    return value.isValid() ? value.toInt() : -1;
}

void SidebarDelegate::paint(QPainter *painter,
                            const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    // The focus ring goes round the whole row, not only its text as the style would draw it.
    QStyleOptionViewItem plain(option);
    plain.state &= ~QStyle::State_HasFocus;
    QStyledItemDelegate::paint(painter, plain, index);
    paintBadge(painter, option, index);
    if ((option.state & QStyle::State_HasFocus)
        && (option.state & QStyle::State_KeyboardFocusChange)) {
        QStyleOptionFocusRect ring;
        ring.QStyleOption::operator=(option);
        ring.backgroundColor = option.palette.color(
            option.state & QStyle::State_Selected ? QPalette::Highlight : QPalette::Base);
        const QStyle *style = option.widget ? option.widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &ring, painter, option.widget);
    }
}

void SidebarDelegate::paintBadge(QPainter *painter,
                                 const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    const QVariant count = index.data(Sidebar::CountRole);
    if (!count.isValid() || count.toInt() < 0)
        return;
    const QString text = QLocale().toString(count.toInt());
    const QRect badge = badgeRect(option, text);
    const bool selected = option.state & QStyle::State_Selected;
    // A pill in the text's colour, faint, so it reads on the plain and the highlighted row.
    QColor fill = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    fill.setAlphaF(0.16f);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    painter->drawRoundedRect(badge, badge.height() / 2.0, badge.height() / 2.0);
    painter->setPen(option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setFont(option.font);
    painter->drawText(badge, Qt::AlignCenter, text);
    painter->restore();
}

QSize SidebarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(std::max(size.height(), QFontMetrics(option.font).height() + 14));
    return size;
}

} // namespace Berth
