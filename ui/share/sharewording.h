#pragma once

#include <QString>

class QLabel;
class QWidget;

namespace Berth {

// Words and labels the share wizard's pages have in common.

// "Docker Hub (docker.io)" for Docker Hub, the host for every other registry.
QString registryDisplayName(const QString &registry);
// `text` escaped and in bold, for the pages' rich-text labels.
QString bold(const QString &text);
QLabel *wrappedLabel(const QString &text, QWidget *parent);

} // namespace Berth
