#pragma once

#include <QStyledItemDelegate>

namespace Berth {

// Paints TransfersModel's rows: the progress column as the style's progress bar (busy when the
// total is unknown while the job runs) with the percentage in it; a Failed or Running chip in
// the state column; a failed job's status whole, wrapped over as many lines as it needs, in the
// palette's error colour. Other columns as usual.
class TransferDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit TransferDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter,
               const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    void paintProgress(QPainter *painter,
                       const QStyleOptionViewItem &option,
                       const QModelIndex &index) const;
    void paintState(QPainter *painter,
                    const QStyleOptionViewItem &option,
                    const QModelIndex &index) const;
    void paintFailure(QPainter *painter,
                      const QStyleOptionViewItem &option,
                      const QModelIndex &index) const;
    // The row's background and selection, without the text.
    void paintBackground(QPainter *painter,
                         const QStyleOptionViewItem &option,
                         const QModelIndex &index) const;
};

} // namespace Berth
