// The delaying TCP pipe of the latency bench (tests/shared/delaypipe.h): bytes cross it intact
// both ways whatever the delay, cap and window; a round trip through it takes at least the round
// trip it adds (a lower bound: nothing here says how fast anything is); and its HTTP reading
// (tests/shared/httpflow.h) pairs every request with its answer however the bytes are split,
// and stops following a stream that is not HTTP instead of misreading it.

#include "delaypipe.h"
#include "httpflow.h"
#include "testhelpers.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <thread>

using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// The pipe's upstream: sends back every byte it receives, on every connection.
class EchoServer final : public QTcpServer
{
public:
    EchoServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    QString host() const { return u"127.0.0.1:" + QString::number(serverPort()); }
};

QByteArray roundTrip(QTcpSocket &socket, const QByteArray &bytes)
{
    socket.write(bytes);
    QByteArray back;
    QElapsedTimer limit;
    limit.start();
    while (back.size() < bytes.size() && limit.elapsed() < 60000) {
        if (socket.bytesAvailable() == 0)
            socket.waitForReadyRead(1000);
        back += socket.readAll();
    }
    return back;
}

QStringList exchangesOf(const QList<HttpExchange> &exchanges)
{
    QStringList out;
    for (const HttpExchange &e : exchanges)
        out << QString::fromLatin1(e.method + ' ' + e.target + ' ' + QByteArray::number(e.status));
    return out;
}

} // namespace

class tst_DelayPipe final : public QObject
{
    Q_OBJECT

private slots:
    void forwardsBytesIntact_data();
    void forwardsBytesIntact();
    void roundTripTakesAtLeastTheDelay_data();
    void roundTripTakesAtLeastTheDelay();
    void followsHttpExchanges_data();
    void followsHttpExchanges();
};

void tst_DelayPipe::forwardsBytesIntact_data()
{
    QTest::addColumn<int>("rttMs");
    QTest::addColumn<qint64>("rate");
    QTest::addColumn<qint64>("window");
    QTest::addColumn<int>("size");
    QTest::newRow("no delay") << 0 << qint64(0) << qint64(4 << 20) << (1 << 20);
    QTest::newRow("delayed") << 40 << qint64(0) << qint64(4 << 20) << (3 << 20);
    QTest::newRow("capped") << 20 << qint64(40'000'000) << qint64(4 << 20) << (2 << 20);
    QTest::newRow("window smaller than a chunk") << 10 << qint64(0) << qint64(1000) << 300'000;
    QTest::newRow("one byte") << 10 << qint64(1000) << qint64(4 << 20) << 1;
}

void tst_DelayPipe::forwardsBytesIntact()
{
    QFETCH(int, rttMs);
    QFETCH(qint64, rate);
    QFETCH(qint64, window);
    QFETCH(int, size);
    EchoServer echo;
    QVERIFY(echo.listen(QHostAddress(QHostAddress::LocalHost)));
    QBuffer log;
    log.open(QIODevice::WriteOnly);
    DelayPipe pipe(echo.host(), {rttMs / 2, rate, window});
    pipe.setLog(&log);
    QVERIFY(pipe.listen());

    // The pipe runs on this thread's event loop: the client talks to it from a thread of its own.
    const QByteArray data = randomBytes(size, 41);
    const quint16 port = pipe.port();
    QByteArray back;
    std::thread client([&] {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
        if (socket.waitForConnected(10000))
            back = roundTrip(socket, data);
        socket.disconnectFromHost();
        if (socket.state() != QAbstractSocket::UnconnectedState)
            socket.waitForDisconnected(10000);
    });
    QTRY_VERIFY_WITH_TIMEOUT(pipe.connections().size() == 1, 60000);
    client.join();
    QCOMPARE(back.size(), data.size());
    QVERIFY(back == data);
    const PipeConnection c = pipe.connections().first();
    QCOMPARE(c.up, qint64(size));
    QCOMPARE(c.down, qint64(size));
    QVERIFY(c.closed >= c.opened);
    QVERIFY2(log.data().startsWith("connection conn=1 opened="), log.data().constData());
    const QByteArray bytes
        = " up=" + QByteArray::number(size) + " down=" + QByteArray::number(size) + " protocol=";
    QVERIFY2(log.data().contains(bytes), log.data().constData());
}

void tst_DelayPipe::roundTripTakesAtLeastTheDelay_data()
{
    QTest::addColumn<int>("rttMs");
    QTest::addColumn<qint64>("rate");
    QTest::newRow("20 ms") << 20 << qint64(0);
    QTest::newRow("60 ms") << 60 << qint64(0);
    QTest::newRow("100 ms, capped") << 100 << qint64(10'000'000);
}

void tst_DelayPipe::roundTripTakesAtLeastTheDelay()
{
    QFETCH(int, rttMs);
    QFETCH(qint64, rate);
    EchoServer echo;
    QVERIFY(echo.listen(QHostAddress(QHostAddress::LocalHost)));
    DelayPipe pipe(echo.host(), {rttMs / 2, rate, 4 << 20});
    QVERIFY(pipe.listen());

    qint64 firstNs = 0;
    qint64 secondNs = 0;
    QByteArray first;
    QByteArray second;
    const quint16 port = pipe.port();
    std::thread client([&] {
        QElapsedTimer clock;
        clock.start();
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
        if (!socket.waitForConnected(10000))
            return;
        first = roundTrip(socket, "ping");
        firstNs = clock.nsecsElapsed();
        clock.restart();
        second = roundTrip(socket, "pong");
        secondNs = clock.nsecsElapsed();
        socket.disconnectFromHost();
        if (socket.state() != QAbstractSocket::UnconnectedState)
            socket.waitForDisconnected(10000);
    });
    QTRY_VERIFY_WITH_TIMEOUT(pipe.connections().size() == 1, 30000);
    client.join();
    QCOMPARE(first, QByteArray("ping"));
    QCOMPARE(second, QByteArray("pong"));
    // A new connection pays the handshake's round trip before its first one.
    const qint64 rttNs = qint64(rttMs) * 1'000'000;
    QVERIFY2(firstNs >= 2 * rttNs, qPrintable(QString::number(firstNs / 1e6) + u" ms"_s));
    QVERIFY2(secondNs >= rttNs, qPrintable(QString::number(secondNs / 1e6) + u" ms"_s));
}

void tst_DelayPipe::followsHttpExchanges_data()
{
    QTest::addColumn<QByteArray>("client");
    QTest::addColumn<QByteArray>("server");
    QTest::addColumn<QByteArray>("protocol");
    QTest::addColumn<QStringList>("exchanges");
    const QByteArray get = "GET /v2/ HTTP/1.1\r\nHost: r\r\n\r\n";
    const QByteArray ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    QTest::newRow("one exchange") << get << ok << QByteArray("http")
                                  << QStringList{u"GET /v2/ 200"_s};
    QTest::newRow("keep-alive, two in a row")
        << get + "HEAD /v2/a/manifests/1 HTTP/1.1\r\n\r\n"
        << ok + "HTTP/1.1 404 Not Found\r\nContent-Length: 19\r\n\r\n"
        << QByteArray("http") << QStringList{u"GET /v2/ 200"_s, u"HEAD /v2/a/manifests/1 404"_s};
    QTest::newRow("chunked answer with a trailer")
        << get + get
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5;x=y\r\nhello\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n")
               + ok
        << QByteArray("http") << QStringList{u"GET /v2/ 200"_s, u"GET /v2/ 200"_s};
    QTest::newRow("chunked upload after a 100 Continue, then a 204")
        << QByteArray("PATCH /v2/a/blobs/uploads/u HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                      "Expect: 100-continue\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"
                      "DELETE /v2/a/manifests/sha256:1 HTTP/1.1\r\n\r\n")
        << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: "
                      "0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
        << QByteArray("http")
        << QStringList{u"PATCH /v2/a/blobs/uploads/u 202"_s,
                       u"DELETE /v2/a/manifests/sha256:1 204"_s};
    QTest::newRow("body until close") << get << QByteArray("HTTP/1.0 200 OK\r\n\r\nsome bytes")
                                      << QByteArray("http") << QStringList{u"GET /v2/ 200"_s};
    QTest::newRow("unanswered at close")
        << get + get << ok << QByteArray("http") << QStringList{u"GET /v2/ 200"_s, u"GET /v2/ 0"_s};
    QTest::newRow("TLS handshake to a plain-HTTP registry")
        << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)
        << QByteArray("HTTP/1.1 400 Bad Request\r\n\r\n") << QByteArray("tls") << QStringList{};
    QTest::newRow("hostile: a field without a colon")
        << QByteArray("GET / HTTP/1.1\r\nno colon here\r\n\r\n" + get) << ok << QByteArray("http")
        << QStringList{};
    QTest::newRow("hostile: a chunk size that is not hex")
        << get + get
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") + ok
        << QByteArray("http") << QStringList{u"GET /v2/ 200"_s, u"GET /v2/ 0"_s};
    QTest::newRow("hostile: an answer nobody asked for")
        << QByteArray() << ok << QByteArray() << QStringList{};
    QTest::newRow("hostile: a head that never ends")
        << QByteArray("GET /") + QByteArray(MaxHttpHead + 10, 'a') << ok << QByteArray("http")
        << QStringList{};
}

void tst_DelayPipe::followsHttpExchanges()
{
    QFETCH(QByteArray, client);
    QFETCH(QByteArray, server);
    QFETCH(QByteArray, protocol);
    QFETCH(QStringList, exchanges);
    // Every split of the stream into pieces must read the same: a proxy sees whatever TCP gives.
    for (const qsizetype piece : {qsizetype(1), qsizetype(2), qsizetype(7), qsizetype(1) << 30}) {
        QList<HttpExchange> seen;
        HttpFlow flow([&seen](const HttpExchange &e) { seen.append(e); });
        for (qsizetype at = 0; at < client.size(); at += piece)
            flow.fromClient(QByteArrayView(client).sliced(at, std::min(piece, client.size() - at)),
                            1);
        for (qsizetype at = 0; at < server.size(); at += piece)
            flow.fromServer(QByteArrayView(server).sliced(at, std::min(piece, server.size() - at)),
                            2);
        flow.closed(3);
        QCOMPARE(exchangesOf(seen), exchanges);
        QCOMPARE(flow.protocol(), protocol);
        for (const HttpExchange &e : seen) {
            QCOMPARE(e.requested, 1.0);
            QCOMPARE(e.answered, e.status ? 2.0 : 0.0);
        }
    }
}

QTEST_GUILESS_MAIN(tst_DelayPipe)
#include "tst_delaypipe.moc"
