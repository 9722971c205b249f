#pragma once

#include <QPointer>
#include <QStyledItemDelegate>

namespace Berth {

class LogoCache;

// Paints a repository of SearchResultsModel as a card for a grid (QListView in IconMode): logo
// (a lettered tile until it is loaded), name, badge chip, a short description over two lines,
// stars and pulls in the locale's short form. Colours come from the palette, so cards follow
// light and dark themes; the current card gets a ring in the highlight colour.
class ImageCardDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ImageCardDelegate(LogoCache *logos, QObject *parent = nullptr);

    void paint(QPainter *painter,
               const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Cards are at least MinimumWidth wide; a view sets a wider width so that a row of cards
    // fills it.
    void setCardWidth(int width) { m_cardWidth = width; }
    static int minimumWidth(const QFont &font);

    static constexpr int LogoSize = 48;
    static constexpr int Padding = 12;
    static constexpr int DescriptionLines = 2;

    // Where the logo sits in a card painted in `card`.
    static QRect logoRect(const QRect &card);

private:
    void paintFrame(QPainter *painter, const QStyleOptionViewItem &option) const;
    void paintLogo(QPainter *painter,
                   const QRect &rect,
                   const QStyleOptionViewItem &option,
                   const QModelIndex &index) const;
    void paintCounts(QPainter *painter,
                     const QRect &rect,
                     const QStyleOptionViewItem &option,
                     const QModelIndex &index) const;

    QPointer<LogoCache> m_logos;
    int m_cardWidth = 0;
};

} // namespace Berth
