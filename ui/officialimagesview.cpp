#include "officialimagesview.h"

#include "imagecarddelegate.h"
#include "logocache.h"

#include <QPainter>

namespace Berth {

namespace {

constexpr int CardSpacing = 6;
constexpr int PlaceholderIconSize = 64;

} // namespace

OfficialImagesView::OfficialImagesView(LogoCache *logos, QWidget *parent)
    : QListView(parent)
    , m_delegate(new ImageCardDelegate(logos, this))
{
    setViewMode(QListView::IconMode);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setUniformItemSizes(true);
    setSpacing(CardSpacing);
    setDragEnabled(false);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionRectVisible(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setContextMenuPolicy(Qt::CustomContextMenu);
    // The card under the mouse gets its ring.
    setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_Hover);
    setItemDelegate(m_delegate);
    if (logos) {
        // A logo arrived: repaint the cards (the delegate asks the cache again).
        connect(logos, &LogoCache::logoReady, viewport(), qOverload<>(&QWidget::update));
    }
}

void OfficialImagesView::setPlaceholder(const QIcon &icon, const QString &text)
{
    m_placeholderIcon = icon;
    m_placeholderText = text;
    viewport()->update();
}

void OfficialImagesView::resizeEvent(QResizeEvent *event)
{
    QListView::resizeEvent(event);
    fitCardsToWidth();
}

void OfficialImagesView::fitCardsToWidth()
{
    // IconMode puts the spacing before the first card and after each one; a pixel is kept
    // spare so that rounding never wraps the last card to the next row.
    const int available = viewport()->width() - CardSpacing - 1;
    const int minimum = ImageCardDelegate::minimumWidth(font());
    const int columns = std::max(1, available / (minimum + CardSpacing));
    const int width = std::max(minimum, available / columns - CardSpacing);
    if (width == m_cardWidth)
        return;
    m_cardWidth = width;
    m_delegate->setCardWidth(width);
    scheduleDelayedItemsLayout();
}

void OfficialImagesView::paintEvent(QPaintEvent *event)
{
    QListView::paintEvent(event);
    if (!model() || model()->rowCount(rootIndex()) > 0 || m_placeholderText.isEmpty())
        return;
    QPainter painter(viewport());
    const QRect area = viewport()->rect().adjusted(24, 24, -24, -24);
    const QFontMetrics metrics(font());
    const QRect textBounds
        = metrics.boundingRect(area, Qt::AlignHCenter | Qt::TextWordWrap, m_placeholderText);
    const int iconSize = m_placeholderIcon.isNull() ? 0 : PlaceholderIconSize + 12;
    const int top = area.top() + (area.height() - iconSize - textBounds.height()) / 2;
    if (!m_placeholderIcon.isNull()) {
        const QRect iconRect(area.left() + (area.width() - PlaceholderIconSize) / 2,
                             top,
                             PlaceholderIconSize,
                             PlaceholderIconSize);
        m_placeholderIcon.paint(&painter, iconRect, Qt::AlignCenter, QIcon::Disabled);
    }
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRect(area.left(), top + iconSize, area.width(), textBounds.height()),
                     Qt::AlignHCenter | Qt::TextWordWrap,
                     m_placeholderText);
}

} // namespace Berth
