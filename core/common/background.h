#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

namespace Berth {

// Runs work on the global thread pool, then done(result) on the context's thread: the one hop
// from blocking work (disk, fsync, hashing, a child process) back to the object that asked.
// done is dropped if the context is destroyed before the work ends; the work itself runs to its
// end, so it must own what it uses (copies, shared_ptrs), never the context. Call it on the
// context's thread. The result is moved, not copied, to done.
//
//     runInBackground(this, [store] { return store.readIndex(); },
//                     [this](Result<QList<OciIndexEntry>> entries) { … });
template<typename Work, typename Done>
void runInBackground(QObject *context, Work &&work, Done &&done)
{
    using R = std::invoke_result_t<std::decay_t<Work>>;
    // The watcher is the context's child: destroying the context destroys it and its connection,
    // which is what drops done.
    auto *watcher = new QFutureWatcher<R>(context);
    QObject::connect(watcher,
                     &QFutureWatcherBase::finished,
                     context,
                     [watcher, done = std::forward<Done>(done)]() mutable {
                         watcher->deleteLater();
                         if constexpr (std::is_void_v<R>) {
                             done();
                         } else {
                             done(watcher->future().takeResult());
                         }
                     });
    watcher->setFuture(QtConcurrent::run(std::forward<Work>(work)));
}

} // namespace Berth
