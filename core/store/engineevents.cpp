#include "engineevents.h"

#include "engineclient.h"

#include "common/guarded.h"
#include "common/logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace Berth {

namespace {

// A stream that lived this long was connected: its end is a drop, not a refusal.
constexpr qint64 WorkingStreamMs = 5000;

} // namespace

EngineEventWatcher::EngineEventWatcher(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_retry(new QTimer(this))
{
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &EngineEventWatcher::connectStream);
}

EngineEventWatcher::~EngineEventWatcher()
{
    m_cancel.cancel();
}

void EngineEventWatcher::start()
{
    if (m_running)
        return;
    m_running = true;
    connectStream();
}

EngineEventWatcher::Change EngineEventWatcher::classify(const QByteArray &line)
{
    const QJsonObject event = QJsonDocument::fromJson(line).object();
    const QString type = event.value(u"Type").toString();
    // Docker names the action "exec_start: sh" and "health_status: healthy".
    const QString action = event.value(u"Action").toString().section(u':', 0, 0);
    Change change;
    if (type == u"image") {
        static const QStringList unchanged
            = {QStringLiteral("push"), QStringLiteral("save"), QStringLiteral("mount")};
        change.images = !unchanged.contains(action);
    } else if (type == u"container") {
        static const QStringList listed = {QStringLiteral("create"),
                                           QStringLiteral("start"),
                                           QStringLiteral("die"),
                                           QStringLiteral("destroy"),
                                           QStringLiteral("remove"),
                                           QStringLiteral("rename"),
                                           QStringLiteral("pause"),
                                           QStringLiteral("unpause"),
                                           QStringLiteral("stop"),
                                           QStringLiteral("kill"),
                                           QStringLiteral("restart"),
                                           QStringLiteral("died"),
                                           QStringLiteral("cleanup"),
                                           QStringLiteral("init")};
        change.containers = listed.contains(action);
    }
    return change;
}

void EngineEventWatcher::connectStream()
{
    if (!m_client || m_cancel.isCancelled())
        return;
    EngineRequest request;
    request.path = QStringLiteral("/events");
    request.query.addQueryItem(QStringLiteral("filters"),
                               QStringLiteral(R"({"type":["image","container"]})"));
    request.cancel = m_cancel;
    // Both callbacks come on the client's thread, which is this watcher's.
    request.onLine = guarded(this, [this](const QByteArray &line) {
        m_retryMs = FirstRetryMs;
        const Change change = classify(line);
        if (change.images || change.containers)
            emit changed(change.images, change.containers);
    });
    m_connectedFor.start();
    m_client->send(std::move(request), guarded(this, [this](Result<EngineResponse> r) {
                       if (!r && r.error().isCancelled())
                           return;
                       if (!r)
                           qCDebug(lcStore) << "engine events:" << r.error().message;
                       streamEnded();
                   }));
}

void EngineEventWatcher::streamEnded()
{
    if (m_connectedFor.elapsed() >= WorkingStreamMs) {
        // What happened while we were not listening is unknown: look again.
        emit changed(true, true);
        m_retryMs = FirstRetryMs;
    }
    m_retry->start(m_retryMs);
    m_retryMs = std::min(m_retryMs * 2, MaxRetryMs);
}

} // namespace Berth
