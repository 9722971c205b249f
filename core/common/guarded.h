#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <utility>

namespace Berth {

// A continuation that runs only while its context object lives (Qt Creator's guarded-callback
// idea). An asynchronous answer can arrive after the object that asked was destroyed; the
// returned callable then does nothing, so the callback never touches a dead object and nobody
// writes `QPointer self; … if (!self) return;` by hand. Call the result on the context's thread:
// the check and the call are not atomic against a destruction on another thread.
//
//     m_client->fetchManifest(ref, guarded(this, [this, job](Result<ManifestResponse> r) { … }));
template<typename Callback>
auto guarded(const QObject *context, Callback &&callback)
{
    return [context = QPointer<const QObject>(context),
            callback = std::forward<Callback>(callback)](auto &&...args) mutable {
        if (context)
            callback(std::forward<decltype(args)>(args)...);
    };
}

// Runs callback on the context's thread at a later turn of its event loop, only if the context
// still lives then: an answer that must not re-enter its caller, or one handed over from a worker
// thread (the caller checks the context is alive when it posts; Qt drops events posted to an
// object when the object is destroyed).
template<typename Callback>
void postGuarded(const QObject *context, Callback &&callback)
{
    QPointer<const QObject> guard(context);
    if (!guard)
        return;
    QMetaObject::invokeMethod(
        const_cast<QObject *>(context),
        [guard, callback = std::forward<Callback>(callback)]() mutable {
            if (guard)
                callback();
        },
        Qt::QueuedConnection);
}

} // namespace Berth
