#pragma once

#include "registry/hubclient.h"
#include "statechip.h"

#include <QPointer>
#include <QStyledItemDelegate>

namespace Berth {

class LogoCache;

// The chip a Hub badge is shown as (Neutral without a badge).
ChipKind chipKindOf(HubBadge badge);

// Paints a search result row of SearchResultsModel: logo (or a placeholder until it is loaded),
// name, badge, short description, stars and pulls in the locale's short form. Colours come from
// the palette, so rows follow light and dark themes.
class SearchResultDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit SearchResultDelegate(LogoCache *logos, QObject *parent = nullptr);

    void paint(QPainter *painter,
               const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static constexpr int LogoSize = 40;
    static constexpr int Margin = 8;

private:
    // The repository's logo, or its placeholder until the logo is loaded.
    void paintLogo(QPainter *painter,
                   const QRect &logoRect,
                   const QStyleOptionViewItem &option,
                   const QModelIndex &index) const;
    void paintPlaceholder(QPainter *painter,
                          const QRect &rect,
                          const QStyleOptionViewItem &option,
                          const QString &name) const;

    QPointer<LogoCache> m_logos;
};

} // namespace Berth
