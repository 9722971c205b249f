#pragma once

#include <QListWidget>
#include <QStyledItemDelegate>

namespace Berth {

// The window's list of pages: an icon and a name per row, and a live count at the right (images,
// containers, running transfers) painted as a rounded badge. The count is in CountRole (an int;
// none or a negative one shows no badge) and in the row's tooltip and accessible description.
class Sidebar final : public QListWidget
{
    Q_OBJECT

public:
    static constexpr int CountRole = Qt::UserRole + 1;

    explicit Sidebar(QWidget *parent = nullptr);

    QListWidgetItem *addEntry(const QIcon &icon, const QString &title);
    // -1 hides the badge; description says what is counted ("3 images").
    void setBadgeCount(int row, int count, const QString &description);
    int badgeCount(int row) const;
};

class SidebarDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter,
               const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    void paintBadge(QPainter *painter,
                    const QStyleOptionViewItem &option,
                    const QModelIndex &index) const;
};

} // namespace Berth
