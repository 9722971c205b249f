#include "transferdelegate.h"

#include "transferjob.h"
#include "transfersmodel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace Berth {

TransferDelegate::TransferDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

void TransferDelegate::paint(QPainter *painter,
                             const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    if (index.column() != TransfersModel::ProgressColumn) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The row's background and selection first, then the bar inside the cell.
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    cell.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);

    const double fraction = index.data(TransfersModel::RawValueRole).toDouble();
    const bool isItem = index.data(TransfersModel::IsItemRole).toBool();
    const auto *job = index.data(TransfersModel::JobRole).value<TransferJob *>();
    const bool running = job && job->state() == TransferJob::State::Running;
    if (fraction < 0 && !(running && !isItem))
        return; // unknown and not moving: nothing worth a bar

    QStyleOptionProgressBar bar;
    bar.initFrom(widget ? widget : nullptr);
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.minimum = 0;
    if (fraction < 0) {
        bar.maximum = 0; // busy indicator
        bar.progress = 0;
    } else {
        bar.maximum = 1000;
        bar.progress = qRound(fraction * 1000);
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
    }
    bar.textAlignment = Qt::AlignCenter;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

QSize TransferDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (index.column() == TransfersModel::ProgressColumn)
        size.setWidth(std::max(size.width(), 120));
    return size;
}

} // namespace Berth
