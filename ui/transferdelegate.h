#pragma once

#include <QStyledItemDelegate>

namespace Berth {

// Paints the progress column of TransfersModel as the style's progress bar (busy when the total
// is unknown while the job runs), with the percentage in it; other columns as usual.
class TransferDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit TransferDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter,
               const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace Berth
