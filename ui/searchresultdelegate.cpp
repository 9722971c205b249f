#include "searchresultdelegate.h"

#include "delegatefonts.h"

#include "common/humanize.h"
#include "logocache.h"
#include "searchresultsmodel.h"
#include "statechip.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace Berth {

namespace {

// The fonts and colours of a row's text, in the row's state (selected, enabled, active).
struct RowText
{
    QFont nameFont;
    QFont detailFont;
    QFontMetrics nameMetrics;
    QFontMetrics detailMetrics;
    QColor textColor;
    QColor secondaryColor;
};

RowText rowText(const QStyleOptionViewItem &option)
{
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (option.state & QStyle::State_Active) ? QPalette::Active
                                                                               : QPalette::Inactive;
    const QColor textColor
        = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor secondaryColor = textColor;
    if (!selected)
        secondaryColor = option.palette.color(group, QPalette::PlaceholderText);
    const QFont nameFont = boldFont(option.font);
    const QFont detailFont = smallFont(option.font);
    return {nameFont,
            detailFont,
            QFontMetrics(nameFont),
            QFontMetrics(detailFont),
            textColor,
            secondaryColor};
}

// Right column: stars and pulls, short forms in the view's locale. Answers where it starts.
int paintCounts(QPainter *painter,
                const QStyleOptionViewItem &option,
                const QModelIndex &index,
                const RowText &text,
                const QRect &content,
                int textTop)
{
    const qint64 stars = index.data(SearchResultsModel::StarsRole).toLongLong();
    const qint64 pulls = index.data(SearchResultsModel::PullsRole).toLongLong();
    const QString starsText
        = SearchResultDelegate::tr("★ %1", "star count").arg(formatCount(stars, option.locale));
    const QString pullsText
        = SearchResultDelegate::tr("↓ %1", "pull count").arg(formatCount(pulls, option.locale));
    const int countsWidth = std::max(text.detailMetrics.horizontalAdvance(starsText),
                                     text.detailMetrics.horizontalAdvance(pullsText));
    const QRect countsRect(
        content.right() - countsWidth, content.top(), countsWidth, content.height());
    painter->setFont(text.detailFont);
    painter->setPen(text.secondaryColor);
    painter->drawText(QRect(countsRect.left(), textTop, countsWidth, text.nameMetrics.height()),
                      Qt::AlignRight | Qt::AlignVCenter,
                      starsText);
    painter->drawText(QRect(countsRect.left(),
                            textTop + text.nameMetrics.height() + 4,
                            countsWidth,
                            text.detailMetrics.height()),
                      Qt::AlignRight | Qt::AlignVCenter,
                      pullsText);
    return countsRect.left();
}

// First line: name, then the badge as a chip in its state's colour.
void paintNameLine(QPainter *painter,
                   const QStyleOptionViewItem &option,
                   const QModelIndex &index,
                   const RowText &text,
                   int textLeft,
                   int textTop,
                   int textRight)
{
    const QString name = index.data(SearchResultsModel::NameRole).toString();
    const QString badge = index.data(SearchResultsModel::BadgeTextRole).toString();
    int x = textLeft;
    painter->setFont(text.nameFont);
    painter->setPen(text.textColor);
    const int available = std::max(0, textRight - x);
    const int badgeWidth
        = badge.isEmpty() ? 0 : StateChip::sizeHint(text.detailFont, badge).width();
    const QString shownName = text.nameMetrics.elidedText(
        name, Qt::ElideMiddle, std::max(0, available - badgeWidth - 6));
    const QRect nameRect(
        x, textTop, text.nameMetrics.horizontalAdvance(shownName), text.nameMetrics.height());
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter, shownName);
    x = nameRect.right() + 1 + 6;

    if (!badge.isEmpty() && x + badgeWidth <= textRight) {
        const QRect badgeRect(
            x,
            textTop + (text.nameMetrics.height() - text.detailMetrics.height() - 2) / 2,
            badgeWidth,
            text.detailMetrics.height() + 2);
        painter->setFont(text.detailFont);
        StateChip::paint(painter,
                         badgeRect,
                         chipKindOf(HubBadge(index.data(SearchResultsModel::BadgeRole).toInt())),
                         badge,
                         option.palette);
    }
}

// Second line: the short description, elided.
void paintDescription(QPainter *painter,
                      const QModelIndex &index,
                      const RowText &text,
                      const QRect &line)
{
    const QString description = index.data(SearchResultsModel::DescriptionRole).toString();
    painter->setFont(text.detailFont);
    painter->setPen(text.secondaryColor);
    painter->drawText(
        line,
        Qt::AlignLeft | Qt::AlignVCenter,
        text.detailMetrics.elidedText(description.simplified(), Qt::ElideRight, line.width()));
}

} // namespace

ChipKind chipKindOf(HubBadge badge)
{
    switch (badge) {
    case HubBadge::Official:
        return ChipKind::Official;
    case HubBadge::VerifiedPublisher:
        return ChipKind::Verified;
    case HubBadge::OpenSource:
        return ChipKind::OpenSource;
    case HubBadge::None:
        break;
    }
    return ChipKind::Neutral;
}

SearchResultDelegate::SearchResultDelegate(LogoCache *logos, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_logos(logos)
{}

QSize SearchResultDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics name(boldFont(option.font));
    const QFontMetrics small(smallFont(option.font));
    const int text = name.height() + 4 + small.height();
    return {name.averageCharWidth() * 40, std::max(LogoSize, text) + 2 * Margin};
}

void SearchResultDelegate::paintPlaceholder(QPainter *painter,
                                            const QRect &rect,
                                            const QStyleOptionViewItem &option,
                                            const QString &name) const
{
    // The first letter of the repository (not the namespace) on a neutral tile.
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath tile;
    tile.addRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter->fillPath(tile, option.palette.brush(QPalette::Button));
    painter->setPen(option.palette.color(QPalette::Mid));
    painter->drawPath(tile);
    QFont font = boldFont(option.font);
    font.setPixelSize(rect.height() / 2);
    painter->setFont(font);
    painter->setPen(option.palette.color(QPalette::ButtonText));
    const QString letter = name.section(u'/', -1).left(1).toUpper();
    painter->drawText(rect, Qt::AlignCenter, letter);
    painter->restore();
}

void SearchResultDelegate::paintLogo(QPainter *painter,
                                     const QRect &logoRect,
                                     const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    const QString name = index.data(SearchResultsModel::NameRole).toString();
    const QUrl logoUrl = index.data(SearchResultsModel::LogoUrlRole).toUrl();
    const QPixmap logo = m_logos ? m_logos->logo(logoUrl) : QPixmap();
    if (logo.isNull()) {
        paintPlaceholder(painter, logoRect, option, name);
        return;
    }
    const QSize size = logo.size().scaled(logoRect.size(), Qt::KeepAspectRatio);
    const QRect target(logoRect.left() + (LogoSize - size.width()) / 2,
                       logoRect.top() + (LogoSize - size.height()) / 2,
                       size.width(),
                       size.height());
    painter->save();
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    painter->drawPixmap(target, logo);
    painter->restore();
}

void SearchResultDelegate::paint(QPainter *painter,
                                 const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // The row background, selection and focus as the style draws them, without the text.
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QRect content = option.rect.adjusted(Margin, Margin, -Margin, -Margin);
    const QRect logoRect(
        content.left(), content.top() + (content.height() - LogoSize) / 2, LogoSize, LogoSize);
    paintLogo(painter, logoRect, option, index);

    painter->save();
    const RowText text = rowText(option);
    const int textLeft = logoRect.right() + 1 + Margin;
    const int textTop
        = content.top()
          + (content.height() - text.nameMetrics.height() - 4 - text.detailMetrics.height()) / 2;
    const int textRight = paintCounts(painter, option, index, text, content, textTop) - Margin;
    paintNameLine(painter, option, index, text, textLeft, textTop, textRight);
    paintDescription(painter,
                     index,
                     text,
                     QRect(textLeft,
                           textTop + text.nameMetrics.height() + 4,
                           std::max(0, textRight - textLeft),
                           text.detailMetrics.height()));
    painter->restore();
}

} // namespace Berth
