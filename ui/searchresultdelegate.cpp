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

namespace {} // namespace

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

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (option.state & QStyle::State_Active) ? QPalette::Active
                                                                               : QPalette::Inactive;
    const QColor textColor
        = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor secondaryColor = textColor;
    if (!selected)
        secondaryColor = option.palette.color(group, QPalette::PlaceholderText);

    const QString name = index.data(SearchResultsModel::NameRole).toString();
    const QString description = index.data(SearchResultsModel::DescriptionRole).toString();
    const QString badge = index.data(SearchResultsModel::BadgeTextRole).toString();
    const qint64 stars = index.data(SearchResultsModel::StarsRole).toLongLong();
    const qint64 pulls = index.data(SearchResultsModel::PullsRole).toLongLong();
    const QUrl logoUrl = index.data(SearchResultsModel::LogoUrlRole).toUrl();

    const QRect content = option.rect.adjusted(Margin, Margin, -Margin, -Margin);
    const QRect logoRect(
        content.left(), content.top() + (content.height() - LogoSize) / 2, LogoSize, LogoSize);
    const QPixmap logo = m_logos ? m_logos->logo(logoUrl) : QPixmap();
    if (logo.isNull()) {
        paintPlaceholder(painter, logoRect, option, name);
    } else {
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

    painter->save();
    const QFont nameFont = boldFont(option.font);
    const QFont detailFont = smallFont(option.font);
    const QFontMetrics nameMetrics(nameFont);
    const QFontMetrics detailMetrics(detailFont);
    const int textLeft = logoRect.right() + 1 + Margin;
    const int textTop
        = content.top()
          + (content.height() - nameMetrics.height() - 4 - detailMetrics.height()) / 2;

    // Right column: stars and pulls, short forms in the view's locale.
    const QString starsText = tr("★ %1", "star count").arg(formatCount(stars, option.locale));
    const QString pullsText = tr("↓ %1", "pull count").arg(formatCount(pulls, option.locale));
    const int countsWidth = std::max(detailMetrics.horizontalAdvance(starsText),
                                     detailMetrics.horizontalAdvance(pullsText));
    const QRect countsRect(
        content.right() - countsWidth, content.top(), countsWidth, content.height());
    painter->setFont(detailFont);
    painter->setPen(secondaryColor);
    painter->drawText(QRect(countsRect.left(), textTop, countsWidth, nameMetrics.height()),
                      Qt::AlignRight | Qt::AlignVCenter,
                      starsText);
    painter->drawText(QRect(countsRect.left(),
                            textTop + nameMetrics.height() + 4,
                            countsWidth,
                            detailMetrics.height()),
                      Qt::AlignRight | Qt::AlignVCenter,
                      pullsText);

    const int textRight = countsRect.left() - Margin;
    int x = textLeft;

    // First line: name, then the badge as a chip in its state's colour.
    painter->setFont(nameFont);
    painter->setPen(textColor);
    const int available = std::max(0, textRight - x);
    const int badgeWidth = badge.isEmpty() ? 0 : StateChip::sizeHint(detailFont, badge).width();
    const QString shownName
        = nameMetrics.elidedText(name, Qt::ElideMiddle, std::max(0, available - badgeWidth - 6));
    const QRect nameRect(
        x, textTop, nameMetrics.horizontalAdvance(shownName), nameMetrics.height());
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter, shownName);
    x = nameRect.right() + 1 + 6;

    if (!badge.isEmpty() && x + badgeWidth <= textRight) {
        const QRect badgeRect(x,
                              textTop + (nameMetrics.height() - detailMetrics.height() - 2) / 2,
                              badgeWidth,
                              detailMetrics.height() + 2);
        painter->setFont(detailFont);
        StateChip::paint(painter,
                         badgeRect,
                         chipKindOf(HubBadge(index.data(SearchResultsModel::BadgeRole).toInt())),
                         badge,
                         option.palette);
    }

    // Second line: the short description, elided.
    painter->setFont(detailFont);
    painter->setPen(secondaryColor);
    const QRect descriptionRect(textLeft,
                                textTop + nameMetrics.height() + 4,
                                std::max(0, textRight - textLeft),
                                detailMetrics.height());
    painter->drawText(descriptionRect,
                      Qt::AlignLeft | Qt::AlignVCenter,
                      detailMetrics.elidedText(
                          description.simplified(), Qt::ElideRight, descriptionRect.width()));
    painter->restore();
}

} // namespace Berth
