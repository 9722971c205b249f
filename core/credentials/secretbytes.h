#pragma once

#include <QByteArray>

namespace Berth {

// Best effort: overwrite our copy of a secret before it is freed. Qt's implicit sharing means
// other copies may exist; this only avoids leaving this one behind in freed memory.
inline void wipe(QByteArray &bytes)
{
    if (!bytes.isEmpty() && !bytes.isDetached())
        bytes = QByteArray();
    bytes.fill('\0');
    bytes.clear();
}

} // namespace Berth
