#pragma once

#include <QObject>

#include <memory>

namespace Berth {

// The object a source's background work answers to (runInBackground's context), on the thread
// that owns the source. It goes with deleteLater(): a source may be destroyed from inside one of
// that work's own callbacks (its last owner let go there), and deleting the context at once would
// delete the watcher whose callback is running. Callbacks that touch the source check `alive`.
struct LaterDeleter
{
    void operator()(QObject *object) const { object->deleteLater(); }
};
using SourceContext = std::unique_ptr<QObject, LaterDeleter>;

inline SourceContext makeSourceContext()
{
    return SourceContext(new QObject);
}

} // namespace Berth
