// EngineBackend: what the Images page and `berthctl history` need beyond docker's image list —
// the build history, each image's platform, and why a removal was refused.

#include "enginebackend.h"
#include "engineevents.h"
#include "imagehistory.h"
#include "imageinuse.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

#include <memory>

namespace Berth {

void EngineBackend::history(const QString &nameOrId, Callback<QList<ImageHistoryRow>> done)
{
    EngineRequest request;
    request.path = QStringLiteral("/images/%1/history").arg(EngineClient::encodeName(nameOrId));
    m_client->send(std::move(request), [done = std::move(done)](Result<EngineResponse> r) {
        if (!r)
            return done(fail(r.error()));
        QList<ImageHistoryRow> rows = parseEngineHistory(r->body);
        if (rows.isEmpty())
            return done(
                fail(Error::Kind::Protocol, tr("The engine sent an unreadable image history.")));
        done(rows);
    });
}

void EngineBackend::addPlatforms(QList<LocalImage> images, Callback<QList<LocalImage>> done)
{
    struct Pending
    {
        QList<LocalImage> images;
        Callback<QList<LocalImage>> done;
        int waiting = 0;
    };
    auto pending = std::make_shared<Pending>();
    pending->done = std::move(done);
    QStringList unknown;
    for (LocalImage &image : images) {
        const QString id = image.id.toString();
        if (const auto it = m_platforms.constFind(id); it != m_platforms.constEnd())
            image.platform = *it;
        else if (!unknown.contains(id))
            unknown.append(id);
    }
    pending->images = std::move(images);
    if (unknown.isEmpty())
        return pending->done(std::move(pending->images));
    pending->waiting = int(unknown.size());
    QPointer<EngineBackend> self(this);
    for (const QString &id : std::as_const(unknown)) {
        EngineRequest request;
        request.path = QStringLiteral("/images/%1/json").arg(EngineClient::encodeName(id));
        m_client->send(std::move(request), [self, pending, id](Result<EngineResponse> r) {
            // An image removed meanwhile, or an engine hiccup, leaves only its platform blank.
            if (r && self) {
                const QJsonObject o = QJsonDocument::fromJson(r->body).object();
                Platform platform;
                platform.os = o.value(u"Os").toString();
                platform.architecture = o.value(u"Architecture").toString();
                platform.variant = o.value(u"Variant").toString();
                if (!platform.os.isEmpty())
                    self->m_platforms.insert(id, platform);
            }
            if (--pending->waiting > 0)
                return;
            if (self) {
                for (LocalImage &image : pending->images)
                    image.platform = self->m_platforms.value(image.id.toString());
            }
            pending->done(std::move(pending->images));
        });
    }
}

void EngineBackend::explainConflict(const QString &nameOrId,
                                    Error error,
                                    Callback<RemoveResult> done)
{
    // Only a refusal costs this second request: the container list turns IDs into names.
    listContainers([nameOrId, error, done](Result<QList<LocalContainer>> containers) {
        if (!containers)
            return done(fail(error));
        done(fail(imageInUseError(nameOrId, containersNamedIn(error.message, *containers), error)));
    });
}

void EngineBackend::startWatching()
{
    if (!m_events) {
        m_events = new EngineEventWatcher(m_client, this);
        connect(m_events, &EngineEventWatcher::changed, this, &EngineBackend::noteChange);
    }
    m_events->start();
}

} // namespace Berth
