#pragma once

#include <QStyledItemDelegate>

namespace Berth {

// The Images page's name column: the name as usual, and an "Update available" chip at the right
// of rows whose tag moved on in its registry (LocalImagesModel::UpdateStateRole). Hovering the
// chip tells which digests differ (UpdateTextRole).
class UpdateChipDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter,
               const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event,
                   QAbstractItemView *view,
                   const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // The chip's text, and where it sits in a cell (empty when the row has no update).
    static QString chipText();
    static QRect chipRect(const QStyleOptionViewItem &option, const QModelIndex &index);
};

} // namespace Berth
