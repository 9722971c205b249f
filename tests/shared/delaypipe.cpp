#include "delaypipe.h"

#include <QPointer>

#include <QHostAddress>
#include <QIODevice>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <cmath>
#include <deque>

namespace BerthTest {

namespace {

// Bytes read and scheduled at a time: small enough for a capped link to pace, large enough that a
// 200 MB transfer is a few thousand timer events.
constexpr qint64 ChunkBytes = 64 * 1024;

QByteArray ms(double t)
{
    return QByteArray::number(t, 'f', 1);
}

// One direction of a connection: reads what its window allows, holds each chunk until its time
// and writes it on. A chunk's time is when it arrived (or the handshake's end, whichever is later)
// plus its turn on the capped link plus the one-way delay.
class PipeDirection final : public QObject
{
public:
    PipeDirection(DelayPipe *pipe, bool up, QTcpSocket *from, QTcpSocket *to, QObject *parent)
        : QObject(parent)
        , m_pipe(pipe)
        , m_up(up)
        , m_from(from)
        , m_to(to)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &PipeDirection::deliver);
        connect(m_from, &QTcpSocket::readyRead, this, &PipeDirection::pump);
        connect(m_to, &QTcpSocket::bytesWritten, this, &PipeDirection::pump);
        connect(m_from, &QTcpSocket::stateChanged, this, [this](QAbstractSocket::SocketState s) {
            if (s == QAbstractSocket::UnconnectedState) {
                m_sourceClosed = true;
                pump();
            }
        });
    }

    std::function<void(QByteArrayView bytes, double now)>
        observe; // up: as read; down: as delivered
    std::function<void()> onFinished;

    void holdUntil(double t) { m_earliest = t; }
    bool finished() const { return m_finished; }
    qint64 bytes() const { return m_bytes; }

    void pump()
    {
        const qint64 window = m_pipe->link().window;
        while (!m_eofQueued && m_from->bytesAvailable() > 0) {
            const qint64 room = window - m_queued - m_to->bytesToWrite();
            if (room <= 0)
                return;
            const QByteArray chunk
                = m_from->read(std::min({room, ChunkBytes, m_from->bytesAvailable()}));
            // A request leaves the client once its connection is up (after the handshake).
            if (m_up && observe)
                observe(chunk, std::max(m_pipe->now(), m_earliest));
            enqueue(chunk, false);
        }
        if (m_sourceClosed && !m_eofQueued && m_from->bytesAvailable() == 0)
            enqueue({}, true);
    }

private:
    struct Chunk
    {
        double due;
        QByteArray bytes;
        bool eof;
    };

    void enqueue(const QByteArray &bytes, bool eof)
    {
        const double sent = std::max(m_pipe->now(), m_earliest);
        const double due
            = m_pipe->departure(m_up, bytes.size(), sent) + m_pipe->link().oneWayDelayMs;
        m_queue.push_back({due, bytes, eof});
        m_queued += bytes.size();
        m_eofQueued = m_eofQueued || eof;
        schedule();
    }

    void schedule()
    {
        if (m_queue.empty() || m_timer.isActive())
            return;
        m_timer.start(int(std::max(0.0, std::ceil(m_queue.front().due - m_pipe->now()))));
    }

    void deliver()
    {
        const double now = m_pipe->now();
        while (!m_queue.empty() && m_queue.front().due <= now) {
            const Chunk chunk = std::move(m_queue.front());
            m_queue.pop_front();
            if (chunk.eof) {
                m_to->disconnectFromHost();
                m_finished = true;
                if (onFinished)
                    onFinished();
                return;
            }
            m_queued -= chunk.bytes.size();
            // Written while the upstream connection is still being made, Qt sends it once made;
            // a peer already gone gets nothing, and nothing is counted.
            if (m_to->state() != QAbstractSocket::UnconnectedState
                && m_to->state() != QAbstractSocket::ClosingState && m_to->write(chunk.bytes) > 0)
                m_bytes += chunk.bytes.size();
            if (!m_up && observe)
                observe(chunk.bytes, now);
        }
        schedule();
        pump();
    }

    DelayPipe *m_pipe;
    bool m_up;
    QTcpSocket *m_from;
    QTcpSocket *m_to;
    QTimer m_timer;
    std::deque<Chunk> m_queue;
    qint64 m_queued = 0;
    qint64 m_bytes = 0;
    double m_earliest = 0;
    bool m_sourceClosed = false;
    bool m_eofQueued = false;
    bool m_finished = false;
};

// A client's connection and the pipe's own to upstream, with a direction each way.
class PipeSession final : public QObject
{
public:
    PipeSession(DelayPipe *pipe, int id, QTcpSocket *client, const QString &upstream)
        : QObject(pipe)
        , m_pipe(pipe)
        , m_client(client)
        , m_upstream(new QTcpSocket(this))
        , m_up(new PipeDirection(pipe, true, client, m_upstream, this))
        , m_down(new PipeDirection(pipe, false, m_upstream, client, this))
        , m_flow([pipe, id](const HttpExchange &e) { pipe->exchanged(id, e); })
    {
        client->setParent(this);
        m_record.id = id;
        m_record.opened = pipe->now();
        // The client's first byte goes when its SYN and the SYN-ACK would have crossed the link.
        m_up->holdUntil(m_record.opened + 2.0 * pipe->link().oneWayDelayMs);
        m_up->observe = [this](QByteArrayView b, double t) {
            m_flow.fromClient(b, t);
        };
        m_down->observe = [this](QByteArrayView b, double t) {
            m_flow.fromServer(b, t);
        };
        m_up->onFinished = [this] {
            finishOnce();
        };
        m_down->onFinished = [this] {
            finishOnce();
        };
        for (QTcpSocket *s : {m_client, m_upstream}) {
            s->setReadBufferSize(pipe->link().window);
            s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        }
        const qsizetype colon = upstream.lastIndexOf(u':');
        m_upstream->connectToHost(upstream.left(colon), upstream.mid(colon + 1).toUShort());
        m_up->pump();
    }

private:
    void finishOnce()
    {
        if (!m_up->finished() || !m_down->finished() || m_done)
            return;
        m_done = true;
        m_record.closed = m_pipe->now();
        m_record.up = m_up->bytes();
        m_record.down = m_down->bytes();
        m_record.protocol = m_flow.protocol();
        m_flow.closed(m_record.closed);
        m_pipe->connectionClosed(m_record);
        deleteLater();
    }

    DelayPipe *m_pipe;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    PipeDirection *m_up;
    PipeDirection *m_down;
    HttpFlow m_flow;
    PipeConnection m_record;
    bool m_done = false;
};

} // namespace

DelayPipe::DelayPipe(const QString &upstream, const DelayPipeLink &link, QObject *parent)
    : QObject(parent)
    , m_upstream(upstream)
    , m_link(link)
    , m_server(new QTcpServer(this))
{
    m_clock.start();
    connect(m_server, &QTcpServer::newConnection, this, &DelayPipe::accept);
}

// The connections go while the pipe is still whole: a socket closing tells its directions, which
// ask the pipe for the time and the link.
DelayPipe::~DelayPipe()
{
    QList<QPointer<QObject>> owned;
    for (QObject *child : children())
        owned << child;
    for (const QPointer<QObject> &child : owned) {
        if (child && child != m_server)
            delete child.data();
    }
}

bool DelayPipe::listen(quint16 port)
{
    return m_server->listen(QHostAddress(QHostAddress::LocalHost), port);
}

quint16 DelayPipe::port() const
{
    return m_server->serverPort();
}

QString DelayPipe::host() const
{
    return u"127.0.0.1:" + QString::number(port());
}

double DelayPipe::departure(bool up, qint64 bytes, double at)
{
    if (m_link.bytesPerSecond <= 0)
        return at;
    // A token bucket kept as time: the link is free again at m_linkFree, and an idle link has
    // saved up at most one chunk's worth of sending.
    const double perMs = double(m_link.bytesPerSecond) / 1000.0;
    double &free = m_linkFree[up ? 1 : 0];
    free = std::max(free, at - double(ChunkBytes) / perMs) + double(bytes) / perMs;
    return std::max(free, at);
}

void DelayPipe::accept()
{
    while (QTcpSocket *client = m_server->nextPendingConnection())
        new PipeSession(this, ++m_nextId, client, m_upstream);
}

void DelayPipe::exchanged(int connection, const HttpExchange &e)
{
    m_exchanges.append(e);
    writeLog("request conn=" + QByteArray::number(connection) + " t=" + ms(e.requested) + " method="
             + e.method + " target=" + e.target + " status=" + QByteArray::number(e.status)
             + " answered=" + ms(e.answered) + " done=" + ms(e.done));
}

void DelayPipe::connectionClosed(const PipeConnection &c)
{
    m_connections.append(c);
    writeLog("connection conn=" + QByteArray::number(c.id) + " opened=" + ms(c.opened)
             + " closed=" + ms(c.closed) + " up=" + QByteArray::number(c.up)
             + " down=" + QByteArray::number(c.down)
             + " protocol=" + (c.protocol.isEmpty() ? QByteArray("none") : c.protocol));
}

void DelayPipe::writeLog(const QByteArray &line)
{
    if (!m_log)
        return;
    m_log->write(line + '\n');
}

} // namespace BerthTest
