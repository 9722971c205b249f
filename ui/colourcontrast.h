#pragma once

#include <QColor>

namespace Berth {

// WCAG's contrast ratio of two colours, from 1 (the same) to 21 (black on white). Text must reach
// 4.5 (AA) on its background.
double contrastRatio(const QColor &a, const QColor &b);

constexpr double ReadableContrast = 4.5;

// `colour`, darkened on a light background (lightened on a dark one) until it reads as text
// should: a platform palette's link colour may not.
QColor readableOn(QColor colour, const QColor &background);

} // namespace Berth
