#include "appearance.h"

#include "icontheme.h"

#include <QApplication>
#include <QPainter>
#include <QStyleFactory>
#include <QStyleOptionFocusRect>

namespace Berth {

namespace {

const QString Fusion = QStringLiteral("fusion");

// The roles both palettes set, from a few base colours; the rest (bevels) Qt derives.
struct Colors
{
    QColor window, text, base, alternateBase, button, highlight, highlightedText, link, linkVisited,
        disabledText, placeholder;
};

QPalette paletteFrom(const Colors &c)
{
    QPalette p(c.button, c.window); // derives Light, Midlight, Mid, Dark, Shadow
    for (QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        const bool disabled = group == QPalette::Disabled;
        const QColor text = disabled ? c.disabledText : c.text;
        p.setColor(group, QPalette::WindowText, text);
        p.setColor(group, QPalette::Text, text);
        p.setColor(group, QPalette::ButtonText, text);
        p.setColor(group, QPalette::Base, disabled ? c.window : c.base);
        p.setColor(group, QPalette::AlternateBase, c.alternateBase);
        p.setColor(group, QPalette::ToolTipBase, c.button);
        p.setColor(group, QPalette::ToolTipText, c.text);
        p.setColor(group, QPalette::PlaceholderText, c.placeholder);
        p.setColor(group, QPalette::BrightText, Qt::white);
        p.setColor(group, QPalette::Highlight, disabled ? c.disabledText : c.highlight);
        p.setColor(group, QPalette::HighlightedText, c.highlightedText);
        p.setColor(group, QPalette::Link, c.link);
        p.setColor(group, QPalette::LinkVisited, c.linkVisited);
    }
    return p;
}

// The platform's style, as it was before Berth changed anything.
QString platformStyleName()
{
    static const QString name = QApplication::style() ? QApplication::style()->name() : Fusion;
    return name;
}

} // namespace

QPalette lightPalette()
{
    return paletteFrom({QColor(0xef, 0xf0, 0xf1),
                        QColor(0x23, 0x26, 0x29),
                        QColor(0xff, 0xff, 0xff),
                        QColor(0xf7, 0xf7, 0xf7),
                        QColor(0xfc, 0xfc, 0xfc),
                        QColor(0x3d, 0xae, 0xe9),
                        QColor(0xff, 0xff, 0xff),
                        QColor(0x1f, 0x6f, 0xa3), // Breeze's #2980b9 (4.3:1 on white), darkened
                        QColor(0x8e, 0x44, 0xad),
                        QColor(0xa0, 0xa2, 0xa4),
                        QColor(0x70, 0x74, 0x78)});
}

QPalette darkPalette()
{
    return paletteFrom(
        {QColor(0x2a, 0x2e, 0x32),
         QColor(0xfc, 0xfc, 0xfc),
         QColor(0x1b, 0x1e, 0x20),
         QColor(0x23, 0x26, 0x29),
         QColor(0x31, 0x36, 0x3b),
         QColor(0x3d, 0xae, 0xe9),
         QColor(0xfc, 0xfc, 0xfc),
         QColor(0x25, 0x9e, 0xf4), // Breeze's #1d99f3, 4.5:1 on the window too
         QColor(0xb4, 0x8a, 0xd6), // Breeze's #9b59b6 (2.9:1 on the window), lightened
         QColor(0x6e, 0x71, 0x75),
         QColor(0xa1, 0xa9, 0xb1)});
}

void applyAppearance(Appearance appearance)
{
    const QString styleName = appearance == Appearance::System ? platformStyleName() : Fusion;
    const bool fusion = styleName.compare(Fusion, Qt::CaseInsensitive) == 0;
    // The platform's own style, still in place (as at start), is left as it is.
    const bool inPlace
        = !fusion && QApplication::style()
          && QApplication::style()->name().compare(styleName, Qt::CaseInsensitive) == 0;
    if (!inPlace) {
        QStyle *style = QStyleFactory::create(styleName);
        if (!style)
            style = QStyleFactory::create(Fusion);
        if (style && style->name().compare(Fusion, Qt::CaseInsensitive) == 0)
            style = new FocusRingStyle(style);
        if (style)
            QApplication::setStyle(style);
    }
    switch (appearance) {
    case Appearance::System:
        // No role set: every colour comes from the platform (and follows its dark mode). Left
        // alone when Berth never set one, as at start.
        if (QApplication::palette().resolveMask() != 0)
            QApplication::setPalette(QPalette());
        break;
    case Appearance::Light:
        QApplication::setPalette(lightPalette());
        break;
    case Appearance::Dark:
        QApplication::setPalette(darkPalette());
        break;
    }
    installBundledIcons();
}

FocusRingStyle::FocusRingStyle(QStyle *base)
    : QProxyStyle(base)
{}

void FocusRingStyle::drawPrimitive(PrimitiveElement element,
                                   const QStyleOption *option,
                                   QPainter *painter,
                                   const QWidget *widget) const
{
    const auto *focus = qstyleoption_cast<const QStyleOptionFocusRect *>(option);
    if (element != PE_FrameFocusRect || !focus) {
        QProxyStyle::drawPrimitive(element, option, painter, widget);
        return;
    }
    if (!(option->state & State_KeyboardFocusChange))
        return;
    const QPalette &palette = option->palette;
    // On a selected item the highlight is the background: draw in the text's colour there.
    const bool onHighlight = focus->backgroundColor.isValid()
                             && focus->backgroundColor == palette.color(QPalette::Highlight);
    const QColor ring
        = palette.color(onHighlight ? QPalette::HighlightedText : QPalette::Highlight);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(QPen(ring, 2));
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(QRectF(option->rect).adjusted(1, 1, -1, -1), 2, 2);
    painter->restore();
}

} // namespace Berth
