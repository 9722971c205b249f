#pragma once

#include <QByteArray>

namespace Berth {

// True when the JSON text nests objects/arrays deeper than limit. One linear pass that stops as
// soon as the limit is passed; brackets inside strings do not count. Run before QJsonDocument,
// whose own limit is far deeper than any registry or Hub answer needs, to bound the work hostile
// input causes.
bool nestsDeeperThan(const QByteArray &body, int limit);

} // namespace Berth
