#include "imagebackend.h"

#include <QElapsedTimer>
#include <QPointer>

#include <atomic>
#include <memory>

namespace Berth {

QString ImageBackend::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Embedded:
        return QStringLiteral("embedded");
    case Kind::Docker:
        return QStringLiteral("docker");
    case Kind::Podman:
        return QStringLiteral("podman");
    }
    return QString();
}

ArchiveProgressFunction ImageBackend::progressOnThisThread(ArchiveProgressFunction progress)
{
    if (!progress)
        return {};
    struct Throttle
    {
        QElapsedTimer clock;
        std::atomic<qint64> lastPost{-1000};
    };
    auto throttle = std::make_shared<Throttle>();
    throttle->clock.start();
    QPointer<ImageBackend> self(this);
    return [self, throttle, progress = std::move(progress)](const ArchiveProgress &p) {
        const qint64 now = throttle->clock.elapsed();
        const bool complete = p.total >= 0 && p.current >= p.total;
        if (!complete && now - throttle->lastPost.load() < 50)
            return;
        throttle->lastPost = now;
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, progress, p] {
                if (self)
                    progress(p);
            },
            Qt::QueuedConnection);
    };
}

} // namespace Berth
