#include "updatechipdelegate.h"

#include "localimagesmodel.h"
#include "statechip.h"

#include "registryops/updatecheck.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace Berth {

namespace {

constexpr int Margin = 4;

bool hasUpdate(const QModelIndex &index)
{
    return UpdateState(index.data(LocalImagesModel::UpdateStateRole).toInt())
           == UpdateState::UpdateAvailable;
}

} // namespace

QString UpdateChipDelegate::chipText()
{
    return LocalImagesModel::tr("Update available");
}

QRect UpdateChipDelegate::chipRect(const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (!hasUpdate(index))
        return {};
    const QSize chip = StateChip::sizeHint(option.font, chipText());
    const QRect cell = option.rect.adjusted(Margin, 0, -Margin, 0);
    return QRect(cell.right() - chip.width() + 1,
                 cell.top() + (cell.height() - chip.height()) / 2,
                 chip.width(),
                 chip.height());
}

void UpdateChipDelegate::paint(QPainter *painter,
                               const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    const QRect chip = chipRect(option, index);
    QStyleOptionViewItem text = option;
    if (!chip.isNull())
        text.rect.setRight(chip.left() - Margin); // the name gives way (elided) to the chip
    QStyledItemDelegate::paint(painter, text, index);
    if (chip.isNull())
        return;
    QRect area = option.rect;
    area.setLeft(chip.left());
    StateChip::paint(painter, area, ChipKind::UpdateAvailable, chipText(), option.palette);
}

QSize UpdateChipDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const QSize chip = StateChip::sizeHint(option.font, chipText());
    size.setHeight(std::max(size.height(), chip.height() + 2));
    if (hasUpdate(index))
        size.setWidth(size.width() + chip.width() + 2 * Margin);
    return size;
}

bool UpdateChipDelegate::helpEvent(QHelpEvent *event,
                                   QAbstractItemView *view,
                                   const QStyleOptionViewItem &option,
                                   const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && chipRect(option, index).contains(event->pos())) {
        QToolTip::showText(
            event->globalPos(), index.data(LocalImagesModel::UpdateTextRole).toString(), view);
        return true;
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

} // namespace Berth
