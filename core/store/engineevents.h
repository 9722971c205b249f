#pragma once

#include "common/cancel.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QTimer;

namespace Berth {

class EngineClient;

// Follows an engine's GET /events (images and containers) for as long as it lives: the stream
// stays open, each event a JSON line; after a drop it reconnects with a growing pause (1 s to
// 30 s), and a drop of a stream that was working counts as a change (events may have been lost).
class EngineEventWatcher final : public QObject
{
    Q_OBJECT

public:
    explicit EngineEventWatcher(EngineClient *client, QObject *parent = nullptr);
    ~EngineEventWatcher() override;

    void start();
    bool isRunning() const { return m_running; }

    static constexpr int FirstRetryMs = 1000;
    static constexpr int MaxRetryMs = 30000;

    // What a line of the stream says changed; both false for events that change nothing listed
    // (exec, attach, a push, a save…).
    struct Change
    {
        bool images = false;
        bool containers = false;
    };
    static Change classify(const QByteArray &line);

signals:
    void changed(bool images, bool containers);

private:
    void connectStream();
    void streamEnded();

    QPointer<EngineClient> m_client;
    CancelToken m_cancel;
    QTimer *m_retry;
    QElapsedTimer m_connectedFor;
    int m_retryMs = FirstRetryMs;
    bool m_running = false;
};

} // namespace Berth
