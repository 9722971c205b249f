#include "imagecarddelegate.h"

#include "delegatefonts.h"

#include "common/humanize.h"
#include "logocache.h"
#include "searchresultdelegate.h"
#include "searchresultsmodel.h"
#include "statechip.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

namespace Berth {

namespace {

constexpr int Spacing = 6;
constexpr qreal Radius = 8;

// `text` wrapped at `width` in at most `maxLines` lines, the last one elided when text remains.
QStringList wrappedLines(const QString &text, const QFont &font, int width, int maxLines)
{
    QStringList lines;
    QTextLayout layout(text, font);
    layout.beginLayout();
    while (lines.size() < maxLines) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        const bool last = lines.size() == maxLines - 1;
        const QString rest = text.mid(line.textStart());
        lines.append(last ? QFontMetrics(font).elidedText(rest, Qt::ElideRight, width)
                          : text.mid(line.textStart(), line.textLength()).trimmed());
    }
    layout.endLayout();
    return lines;
}

QColor secondaryColour(const QStyleOptionViewItem &option)
{
    const QPalette::ColorGroup group
        = (option.state & QStyle::State_Enabled) ? QPalette::Active : QPalette::Disabled;
    return option.palette.color(group, QPalette::PlaceholderText);
}

} // namespace

ImageCardDelegate::ImageCardDelegate(LogoCache *logos, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_logos(logos)
{}

QRect ImageCardDelegate::logoRect(const QRect &card)
{
    return QRect(card.left() + Padding, card.top() + Padding, LogoSize, LogoSize);
}

QSize ImageCardDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics name(boldFont(option.font));
    const QFontMetrics small(smallFont(option.font));
    const int head = std::max(LogoSize, name.height() + Spacing + small.height() + 2);
    const int height = Padding + head + Spacing + DescriptionLines * small.lineSpacing() + Spacing
                       + small.height() + Padding;
    return {std::max(minimumWidth(option.font), m_cardWidth), height};
}

int ImageCardDelegate::minimumWidth(const QFont &font)
{
    return std::max(220, QFontMetrics(smallFont(font)).averageCharWidth() * 38);
}

void ImageCardDelegate::paintFrame(QPainter *painter, const QStyleOptionViewItem &option) const
{
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;
    const bool focused = option.state & QStyle::State_HasFocus;
    const QColor highlight = option.palette.color(QPalette::Highlight);
    QColor fill = option.palette.color(QPalette::Base);
    if (selected) {
        fill = QColor::fromRgbF(float(fill.redF() * 0.85 + highlight.redF() * 0.15),
                                float(fill.greenF() * 0.85 + highlight.greenF() * 0.15),
                                float(fill.blueF() * 0.85 + highlight.blueF() * 0.15));
    }
    QColor border = option.palette.color(QPalette::Mid);
    if (selected || focused || hovered)
        border = highlight;
    const int width = (selected && focused) ? 2 : 1;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const qreal inset = width / 2.0 + 1;
    QPainterPath path;
    path.addRoundedRect(QRectF(option.rect).adjusted(inset, inset, -inset, -inset), Radius, Radius);
    painter->fillPath(path, fill);
    painter->setPen(QPen(border, width));
    painter->drawPath(path);
    painter->restore();
}

void ImageCardDelegate::paintLogo(QPainter *painter,
                                  const QRect &rect,
                                  const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    const QUrl url = index.data(SearchResultsModel::LogoUrlRole).toUrl();
    const QPixmap logo = m_logos ? m_logos->logo(url) : QPixmap();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    if (!logo.isNull()) {
        const QSize size = logo.size().scaled(rect.size(), Qt::KeepAspectRatio);
        const QRect target(rect.left() + (rect.width() - size.width()) / 2,
                           rect.top() + (rect.height() - size.height()) / 2,
                           size.width(),
                           size.height());
        painter->drawPixmap(target, logo);
        painter->restore();
        return;
    }
    // Until the logo comes (or when there is none): the repository's first letter on a tile.
    QPainterPath tile;
    tile.addRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter->fillPath(tile, option.palette.brush(QPalette::Button));
    painter->setPen(option.palette.color(QPalette::Mid));
    painter->drawPath(tile);
    QFont font = boldFont(option.font);
    font.setPixelSize(rect.height() / 2);
    painter->setFont(font);
    painter->setPen(option.palette.color(QPalette::ButtonText));
    const QString name = index.data(SearchResultsModel::NameRole).toString();
    painter->drawText(rect, Qt::AlignCenter, name.section(u'/', -1).left(1).toUpper());
    painter->restore();
}

void ImageCardDelegate::paintCounts(QPainter *painter,
                                    const QRect &rect,
                                    const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    const qint64 stars = index.data(SearchResultsModel::StarsRole).toLongLong();
    const qint64 pulls = index.data(SearchResultsModel::PullsRole).toLongLong();
    const QString starsText = tr("★ %1", "star count").arg(formatCount(stars, option.locale));
    const QString pullsText = tr("↓ %1 pulls", "pull count").arg(formatCount(pulls, option.locale));
    painter->save();
    painter->setFont(smallFont(option.font));
    painter->setPen(secondaryColour(option));
    painter->drawText(rect, Qt::AlignLeft | Qt::AlignVCenter, pullsText);
    painter->drawText(rect, Qt::AlignRight | Qt::AlignVCenter, starsText);
    painter->restore();
}

void ImageCardDelegate::paint(QPainter *painter,
                              const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    paintFrame(painter, option);
    const QRect card = option.rect.adjusted(Padding, Padding, -Padding, -Padding);
    const QRect logo = logoRect(option.rect);
    paintLogo(painter, logo, option, index);

    const QFont nameFont = boldFont(option.font);
    const QFont detailFont = smallFont(option.font);
    const QFontMetrics nameMetrics(nameFont);
    const QFontMetrics detailMetrics(detailFont);
    const int textLeft = logo.right() + 1 + Spacing + 4;
    const int textWidth = std::max(0, card.right() - textLeft);

    painter->save();
    painter->setFont(nameFont);
    painter->setPen(option.palette.color(QPalette::Text));
    const QString name = index.data(SearchResultsModel::NameRole).toString();
    const QRect nameRect(textLeft, logo.top(), textWidth, nameMetrics.height());
    painter->drawText(nameRect,
                      Qt::AlignLeft | Qt::AlignVCenter,
                      nameMetrics.elidedText(name, Qt::ElideMiddle, textWidth));

    const QString badge = index.data(SearchResultsModel::BadgeTextRole).toString();
    if (!badge.isEmpty()) {
        painter->setFont(detailFont);
        const QRect chipRect(
            textLeft, nameRect.bottom() + 1 + Spacing, textWidth, detailMetrics.height() + 2);
        StateChip::paint(painter,
                         chipRect,
                         chipKindOf(HubBadge(index.data(SearchResultsModel::BadgeRole).toInt())),
                         badge,
                         option.palette);
    }

    const int descriptionTop = logo.bottom() + 1 + Spacing;
    painter->setFont(detailFont);
    painter->setPen(option.palette.color(QPalette::Text));
    const QString description
        = index.data(SearchResultsModel::DescriptionRole).toString().simplified();
    const QStringList lines = wrappedLines(description, detailFont, card.width(), DescriptionLines);
    for (int i = 0; i < lines.size(); ++i) {
        const QRect line(card.left(),
                         descriptionTop + i * detailMetrics.lineSpacing(),
                         card.width(),
                         detailMetrics.height());
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, lines.at(i));
    }
    painter->restore();

    const QRect counts(card.left(),
                       card.bottom() + 1 - detailMetrics.height(),
                       card.width(),
                       detailMetrics.height());
    paintCounts(painter, counts, option, index);
}

} // namespace Berth
