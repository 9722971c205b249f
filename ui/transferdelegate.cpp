#include "transferdelegate.h"

#include "statechip.h"
#include "transferjob.h"
#include "transfersmodel.h"

#include <QApplication>
#include <QHeaderView>
#include <QPainter>
#include <QStyleOptionProgressBar>
#include <QTreeView>

#include <optional>

namespace Berth {

namespace {

constexpr int Margin = 3;

const TransferJob *jobOf(const QModelIndex &index)
{
    return index.data(TransfersModel::JobRole).value<TransferJob *>();
}

bool isJobRow(const QModelIndex &index)
{
    return !index.data(TransfersModel::IsItemRole).toBool();
}

bool isFailedStatus(const QModelIndex &index)
{
    const TransferJob *job = jobOf(index);
    return index.column() == TransfersModel::StatusColumn && isJobRow(index) && job
           && job->state() == TransferJob::State::Failed;
}

std::optional<ChipKind> chipOf(const QModelIndex &index)
{
    const TransferJob *job = jobOf(index);
    if (index.column() != TransfersModel::StateColumn || !isJobRow(index) || !job)
        return std::nullopt;
    if (job->state() == TransferJob::State::Failed)
        return ChipKind::Failed;
    if (job->state() == TransferJob::State::Running)
        return ChipKind::Running;
    return std::nullopt;
}

// The width a cell has to wrap its text in: the column's, when the view is a tree.
int cellWidth(const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (const auto *tree = qobject_cast<const QTreeView *>(option.widget))
        return tree->columnWidth(index.column());
    return option.rect.width();
}

} // namespace

TransferDelegate::TransferDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

void TransferDelegate::paint(QPainter *painter,
                             const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    if (index.column() == TransfersModel::ProgressColumn)
        paintProgress(painter, option, index);
    else if (chipOf(index))
        paintState(painter, option, index);
    else if (isFailedStatus(index))
        paintFailure(painter, option, index);
    else
        QStyledItemDelegate::paint(painter, option, index);
}

void TransferDelegate::paintBackground(QPainter *painter,
                                       const QStyleOptionViewItem &option,
                                       const QModelIndex &index) const
{
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    cell.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);
}

void TransferDelegate::paintProgress(QPainter *painter,
                                     const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    paintBackground(painter, option, index);
    const double fraction = index.data(TransfersModel::RawValueRole).toDouble();
    const TransferJob *job = jobOf(index);
    const bool running = job && job->state() == TransferJob::State::Running;
    if (fraction < 0 && !(running && isJobRow(index)))
        return; // unknown and not moving: nothing worth a bar

    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    QStyleOptionProgressBar bar;
    bar.initFrom(widget);
    // One line high, centred like the row's text: a failed job's row may be several lines.
    const int height = std::min(option.rect.height(), option.fontMetrics.height() + 2 * Margin);
    bar.rect = QRect(option.rect.left(),
                     option.rect.top() + (option.rect.height() - height) / 2,
                     option.rect.width(),
                     height)
                   .adjusted(2, 2, -2, -2);
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

void TransferDelegate::paintState(QPainter *painter,
                                  const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    paintBackground(painter, option, index);
    painter->save();
    painter->setFont(option.font);
    StateChip::paint(painter,
                     option.rect.adjusted(Margin, 0, 0, 0),
                     *chipOf(index),
                     index.data(Qt::DisplayRole).toString(),
                     option.palette);
    painter->restore();
}

void TransferDelegate::paintFailure(QPainter *painter,
                                    const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    paintBackground(painter, option, index);
    const bool selected = option.state & QStyle::State_Selected;
    // On a selection the highlight's own text colour keeps the contrast.
    const QColor colour = selected ? option.palette.color(QPalette::HighlightedText)
                                   : StateChip::colours(ChipKind::Failed, option.palette).text;
    painter->save();
    painter->setFont(option.font);
    painter->setPen(colour);
    painter->drawText(option.rect.adjusted(Margin, Margin, -Margin, -Margin),
                      Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                      index.data(Qt::DisplayRole).toString());
    painter->restore();
}

QSize TransferDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (index.column() == TransfersModel::ProgressColumn)
        size.setWidth(std::max(size.width(), 120));
    if (const auto chip = chipOf(index)) {
        const QSize chipSize
            = StateChip::sizeHint(option.font, index.data(Qt::DisplayRole).toString());
        size = size.expandedTo(chipSize + QSize(2 * Margin, 2 * Margin));
    }
    if (isFailedStatus(index)) {
        // As tall as the whole message wrapped in the column: nothing is cut off.
        const int width = std::max(80, cellWidth(option, index) - 2 * Margin);
        const QRect text = option.fontMetrics.boundingRect(QRect(0, 0, width, 1 << 20),
                                                           Qt::AlignLeft | Qt::TextWordWrap,
                                                           index.data(Qt::DisplayRole).toString());
        size.setHeight(std::max(size.height(), text.height() + 2 * Margin));
    }
    return size;
}

} // namespace Berth
