#include "imagebackend.h"

#include "common/guarded.h"

#include <QElapsedTimer>
#include <QPointer>

#include <atomic>
#include <memory>
#include <utility>

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

void ImageBackend::noteChange(bool images, bool containers)
{
    m_imagesChanged = m_imagesChanged || images;
    m_containersChanged = m_containersChanged || containers;
    if (!m_changeTimer) {
        m_changeTimer = new QTimer(this);
        m_changeTimer->setSingleShot(true);
        m_changeTimer->setInterval(ChangeDelayMs);
        connect(m_changeTimer, &QTimer::timeout, this, [this] {
            const bool images = std::exchange(m_imagesChanged, false);
            const bool containers = std::exchange(m_containersChanged, false);
            if (images)
                emit imagesChanged();
            if (containers)
                emit containersChanged();
        });
    }
    // Each change restarts the wait, so a pull of ten layers and its tag make one refresh; a
    // stream that never pauses (a container restarting in a loop) still refreshes every 2 s.
    if (!m_changeTimer->isActive())
        m_burst.start();
    if (!m_changeTimer->isActive() || m_burst.elapsed() < MaxChangeDelayMs)
        m_changeTimer->start();
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
    // Made here, on this object's thread: the transfer threads only read it.
    const QPointer<ImageBackend> self(this);
    return [self, throttle, progress = std::move(progress)](const ArchiveProgress &p) {
        const qint64 now = throttle->clock.elapsed();
        const bool complete = p.total >= 0 && p.current >= p.total;
        if (!complete && now - throttle->lastPost.load() < 50)
            return;
        throttle->lastPost = now;
        postGuarded(self, [progress, p] { progress(p); });
    };
}

} // namespace Berth
