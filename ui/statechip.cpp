#include "statechip.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>

namespace Berth::StateChip {

namespace {

constexpr int HorizontalPadding = 6;
constexpr int VerticalPadding = 1;

// One hue per state, picked from the Breeze palette so chips sit well beside Breeze icons.
QColor hue(ChipKind kind)
{
    switch (kind) {
    case ChipKind::Official:
        return QColor(0x29, 0x80, 0xb9); // Plasma blue
    case ChipKind::Verified:
        return QColor(0x16, 0xa0, 0x85); // teal
    case ChipKind::OpenSource:
        return QColor(0x8e, 0x44, 0xad); // purple
    case ChipKind::InUse:
    case ChipKind::Running:
        return QColor(0x27, 0xae, 0x60); // green
    case ChipKind::UpdateAvailable:
        return QColor(0xf6, 0x74, 0x00); // orange
    case ChipKind::Failed:
        return QColor(0xda, 0x44, 0x53); // red
    case ChipKind::Neutral:
        break;
    }
    return QColor(0x7f, 0x8c, 0x8d); // grey
}

QColor mix(const QColor &a, const QColor &b, qreal towardsB)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * towardsB),
                            float(a.greenF() + (b.greenF() - a.greenF()) * towardsB),
                            float(a.blueF() + (b.blueF() - a.blueF()) * towardsB));
}

} // namespace

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

Colours colours(ChipKind kind, const QPalette &palette)
{
    const QColor base = hue(kind);
    const QColor window = palette.color(QPalette::Window);
    if (isDark(palette))
        return {mix(window, base, 0.45), base, mix(base, Qt::white, 0.75)};
    return {mix(window, base, 0.15), mix(window, base, 0.6), mix(base, Qt::black, 0.45)};
}

QSize sizeHint(const QFont &font, const QString &text)
{
    const QFontMetrics metrics(font);
    return {metrics.horizontalAdvance(text) + 2 * HorizontalPadding,
            metrics.height() + 2 * VerticalPadding};
}

int paint(QPainter *painter,
          const QRect &rect,
          ChipKind kind,
          const QString &text,
          const QPalette &palette)
{
    const QSize size = sizeHint(painter->font(), text);
    const QRect chip(rect.left(),
                     rect.top() + (rect.height() - size.height()) / 2,
                     qMin(size.width(), rect.width()),
                     size.height());
    const Colours c = colours(kind, palette);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    const qreal radius = chip.height() / 2.0;
    path.addRoundedRect(QRectF(chip).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
    painter->fillPath(path, c.fill);
    painter->setPen(c.border);
    painter->drawPath(path);
    painter->setPen(c.text);
    painter->drawText(chip.adjusted(HorizontalPadding, 0, -HorizontalPadding, 0),
                      Qt::AlignCenter,
                      painter->fontMetrics().elidedText(
                          text, Qt::ElideRight, chip.width() - 2 * HorizontalPadding));
    painter->restore();
    return chip.width();
}

} // namespace Berth::StateChip

namespace Berth {

ChipLabel::ChipLabel(ChipKind kind, const QString &text, QWidget *parent)
    : QLabel(text, parent)
    , m_kind(kind)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void ChipLabel::setKind(ChipKind kind)
{
    m_kind = kind;
    update();
}

QSize ChipLabel::sizeHint() const
{
    return StateChip::sizeHint(font(), text());
}

void ChipLabel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    StateChip::paint(&painter, rect(), m_kind, text(), palette());
}

} // namespace Berth
