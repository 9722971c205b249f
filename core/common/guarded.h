#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <type_traits>
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
// still lives then: an answer that must not re-enter its caller. Qt drops events posted to an
// object when the object is destroyed.
template<typename T, typename Callback>
void postGuarded(const QPointer<T> &context, Callback &&callback)
{
    if (!context)
        return;
    QMetaObject::invokeMethod(
        const_cast<std::remove_const_t<T> *>(context.data()),
        [context, callback = std::forward<Callback>(callback)]() mutable {
            if (context)
                callback();
        },
        Qt::QueuedConnection);
}

// The same from the context's own thread. From a worker thread, hold a QPointer made on the
// context's thread and pass that: a raw pointer may already dangle there.
template<typename Callback>
void postGuarded(const QObject *context, Callback &&callback)
{
    postGuarded(QPointer<const QObject>(context), std::forward<Callback>(callback));
}

} // namespace Berth
