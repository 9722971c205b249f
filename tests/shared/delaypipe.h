#pragma once

#include "httpflow.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

class QIODevice;
class QTcpServer;

namespace BerthTest {

// How the pipe's link behaves.
struct DelayPipeLink
{
    int oneWayDelayMs = 0;     // added to every byte in each direction: the round trip is twice it
    qint64 bytesPerSecond = 0; // each direction, shared by all connections; 0: no cap
    qint64 window = 4 << 20;   // bytes one direction of a connection holds in flight before it
                               // stops reading (a TCP window: a bulk transfer keeps up to this)
};

// One connection through the pipe, as its log line says.
struct PipeConnection
{
    int id = 0;
    double opened = 0; // ms on the pipe's clock
    double closed = 0;
    qint64 up = 0;       // bytes from the client to upstream
    qint64 down = 0;     // bytes from upstream to the client
    QByteArray protocol; // "http", "tls", "other" or empty (no byte from the client)
};

// A TCP pipe on 127.0.0.1 in front of an upstream host:port that adds the delay of a real network:
// a byte that arrives at t leaves at t + oneWayDelayMs (plus its turn on a capped link), and bytes
// keep flowing meanwhile, so the delay costs round trips, not throughput. A new connection also
// waits one round trip before its first byte goes on, as a TCP handshake does (the client's own
// connect returns at once on loopback). Everything is logged as it happens: one line per
// connection and, for plain HTTP/1.1, one per request with the times the client would see (the
// request when it leaves the client, the answer when it reaches it):
//
//   request conn=3 t=120.4 method=GET target=/v2/ status=200 answered=171.0 done=171.2
//   connection conn=3 opened=110.1 closed=402.9 up=312 down=1042 protocol=http
//
// Everything runs on the thread that made the pipe (tests drive it with their own event loop;
// bench/latency-pipe runs it as a program).
class DelayPipe final : public QObject
{
    Q_OBJECT

public:
    DelayPipe(const QString &upstream, const DelayPipeLink &link, QObject *parent = nullptr);
    ~DelayPipe() override;

    bool listen(quint16 port = 0); // on 127.0.0.1
    quint16 port() const;
    QString host() const; // "127.0.0.1:PORT"
    void setLog(QIODevice *log) { m_log = log; }

    QList<PipeConnection> connections() const { return m_connections; } // closed ones
    QList<HttpExchange> exchanges() const { return m_exchanges; }

    // For the pipe's own connections.
    double now() const { return double(m_clock.nsecsElapsed()) / 1e6; }
    const DelayPipeLink &link() const { return m_link; }
    // When a chunk of `bytes` sent at `at` has left the capped link in that direction.
    double departure(bool up, qint64 bytes, double at);
    void exchanged(int connection, const HttpExchange &exchange);
    void connectionClosed(const PipeConnection &connection);

private:
    void accept();
    void writeLog(const QByteArray &line);

    QString m_upstream;
    DelayPipeLink m_link;
    QTcpServer *m_server = nullptr;
    QIODevice *m_log = nullptr;
    QElapsedTimer m_clock;
    double m_linkFree[2] = {0, 0}; // down, up: when the capped link is next free
    int m_nextId = 0;
    QList<PipeConnection> m_connections;
    QList<HttpExchange> m_exchanges;
};

} // namespace BerthTest
