#pragma once

#include <QColor>
#include <QLabel>
#include <QSize>
#include <QString>

class QFont;
class QPainter;
class QPalette;
class QRect;

namespace Berth {

// The states Berth marks with a small coloured chip, as Docker Desktop and Podman Desktop do.
enum class ChipKind {
    Official,
    Verified,
    OpenSource,
    InUse,
    Running,
    UpdateAvailable,
    Failed,
    Neutral,
};

// Colours and painting of a chip. The hue says the state; the palette decides light or dark,
// so the text keeps its contrast in both (a pale fill with dark text on a light window, a deep
// fill with light text on a dark one).
namespace StateChip {

struct Colours
{
    QColor fill;
    QColor border;
    QColor text;
};

bool isDark(const QPalette &palette);
Colours colours(ChipKind kind, const QPalette &palette);
QSize sizeHint(const QFont &font, const QString &text);
// Paints the chip at the left of rect, vertically centred; returns its width.
int paint(QPainter *painter,
          const QRect &rect,
          ChipKind kind,
          const QString &text,
          const QPalette &palette);

} // namespace StateChip

// A chip for layouts: a label that paints itself as a chip of its kind.
class ChipLabel final : public QLabel
{
    Q_OBJECT

public:
    explicit ChipLabel(ChipKind kind, const QString &text = {}, QWidget *parent = nullptr);

    ChipKind kind() const { return m_kind; }
    void setKind(ChipKind kind);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    ChipKind m_kind;
};

} // namespace Berth
