#include "fakehubserver.h"
#include "testpaths.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace BerthTest {

namespace {

constexpr qsizetype MaxHeaderBytes = 64 * 1024;
constexpr qint64 MaxRequestBody = 16 * 1024 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 301:
        return "Moved Permanently";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 410:
        return "Gone";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

// A page of the official images as the v4 search would answer `request`, logo URLs on `base`.
FakeHubResponse officialImagesPage(const FakeHubRequest &request, const QUrl &base)
{
    QByteArray text = hubFixture(QStringLiteral("search-v4-official.json"));
    text.replace("@HUB@", base.toString(QUrl::StripTrailingSlash).toUtf8());
    const QJsonObject all = QJsonDocument::fromJson(text).object();
    QList<QJsonValue> results;
    for (const QJsonValue &result : all.value(u"results").toArray())
        results.append(result);
    const auto pulls = [](const QJsonValue &result) {
        const QJsonValue count = result.toObject().value(u"pull_count");
        return count.isString() ? count.toString().toLongLong() : count.toInteger();
    };
    if (request.queryItem(QStringLiteral("sort")) == u"pull_count"
        && request.queryItem(QStringLiteral("order")) == u"desc") {
        std::stable_sort(results.begin(), results.end(), [&](const auto &a, const auto &b) {
            return pulls(a) > pulls(b);
        });
    }
    const qsizetype from = std::clamp<qsizetype>(
        request.queryItem(QStringLiteral("from")).toInt(), 0, results.size());
    const qsizetype size = std::max(0, request.queryItem(QStringLiteral("size")).toInt());
    QJsonArray page;
    for (qsizetype i = from; i < std::min(results.size(), from + size); ++i)
        page.append(results.at(i));
    const QJsonObject answer{{QStringLiteral("total"), all.value(u"total")},
                             {QStringLiteral("results"), page}};
    return FakeHubResponse::json(QJsonDocument(answer).toJson(QJsonDocument::Compact));
}

} // namespace

QByteArray FakeHubRequest::header(QByteArrayView name) const
{
    const QByteArray wanted = name.toByteArray().toLower();
    for (const auto &[key, value] : headers) {
        if (key == wanted)
            return value;
    }
    return {};
}

QString FakeHubRequest::queryItem(const QString &key) const
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

FakeHubResponse &FakeHubResponse::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append(std::pair(name, value));
    return *this;
}

FakeHubResponse &FakeHubResponse::withDelay(int ms)
{
    delayMs = ms;
    return *this;
}

FakeHubResponse &FakeHubResponse::withDrip(int intervalMs)
{
    dripIntervalMs = intervalMs;
    return *this;
}

FakeHubResponse FakeHubResponse::json(const QByteArray &body, int status)
{
    FakeHubResponse response;
    response.status = status;
    response.body = body;
    response.headers.append(std::pair(QByteArray("Content-Type"), QByteArray("application/json")));
    return response;
}

FakeHubResponse FakeHubResponse::fixture(const QString &name, int status)
{
    const QByteArray body = hubFixture(name);
    if (body.isEmpty())
        return json("{\"message\":\"missing fixture\"}", 599);
    return json(body, status);
}

FakeHubResponse FakeHubResponse::notFound()
{
    return json("{\"message\":\"object not found\",\"errinfo\":{}}", 404);
}

FakeHubResponse FakeHubResponse::tooManyRequests(int retryAfterSeconds)
{
    return json("{\"message\":\"Too Many Requests\"}", 429)
        .withHeader("Retry-After", QByteArray::number(retryAfterSeconds));
}

FakeHubResponse FakeHubResponse::serverError(int status)
{
    return json("{\"message\":\"internal error\"}", status);
}

FakeHubResponse FakeHubResponse::malformedJson()
{
    return fixture(QStringLiteral("malformed.json"));
}

QByteArray hubFixture(const QString &name)
{
    QFile file(QStringLiteral(BERTH_TEST_DATA_DIR "/hub/") + name);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning() << "missing Hub fixture" << file.fileName();
        return {};
    }
    return file.readAll();
}

// Parsing state of one client connection; answers go out in request order, one at a time.
struct FakeHubServer::Connection
{
    QByteArray buffer;
    bool answering = false; // a (possibly delayed) answer is pending: parse nothing more yet
    bool closing = false;
};

FakeHubServer::FakeHubServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeHubServer::accept);
}

FakeHubServer::~FakeHubServer()
{
    for (QTcpSocket *socket : m_connections.keys()) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

bool FakeHubServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QUrl FakeHubServer::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_server->serverPort());
    return url;
}

void FakeHubServer::setHandler(Handler handler)
{
    m_fallback = std::move(handler);
}

void FakeHubServer::route(const QString &path, Handler handler)
{
    m_routes.insert(path, std::move(handler));
}

void FakeHubServer::route(const QString &path, const FakeHubResponse &response)
{
    m_routes.insert(path, [response](const FakeHubRequest &) { return response; });
}

void FakeHubServer::routeSequence(const QString &path, const QList<FakeHubResponse> &responses)
{
    auto next = std::make_shared<qsizetype>(0);
    m_routes.insert(path, [responses, next](const FakeHubRequest &) {
        if (responses.isEmpty())
            return FakeHubResponse::notFound();
        const qsizetype index = std::min(*next, responses.size() - 1);
        ++*next;
        return responses.at(index);
    });
}

void FakeHubServer::clearRoutes()
{
    m_routes.clear();
    m_fallback = {};
}

void FakeHubServer::serveOfficialImages(const FakeHubResponse &others)
{
    route(QStringLiteral("/api/search/v4"), [this, others](const FakeHubRequest &request) {
        const bool browsingOfficial = request.queryItem(QStringLiteral("query")).isEmpty()
                                      && request.queryItem(QStringLiteral("badges")) == u"official";
        return browsingOfficial ? officialImagesPage(request, url()) : others;
    });
    const QDir logos(QStringLiteral(BERTH_TEST_DATA_DIR "/hub/logos"));
    for (const QString &file : logos.entryList({QStringLiteral("*.png")}, QDir::Files)) {
        FakeHubResponse logo;
        logo.body = hubFixture(u"logos/" + file);
        logo.withHeader("Content-Type", "image/png");
        route(officialLogoPath(file.chopped(4)), logo);
    }
}

QString FakeHubServer::officialLogoPath(const QString &name)
{
    return u"/logos/library/" + name + u".png";
}

QUrl FakeHubServer::officialLogoUrl(const QString &name) const
{
    return url().resolved(QUrl(officialLogoPath(name)));
}

QList<FakeHubRequest> FakeHubServer::requests(const QString &path) const
{
    QList<FakeHubRequest> result;
    for (const FakeHubRequest &request : m_requests) {
        if (request.path == path)
            result.append(request);
    }
    return result;
}

void FakeHubServer::resetCounters()
{
    m_requests.clear();
    m_countByPath.clear();
    m_maxInFlight = m_inFlight;
}

void FakeHubServer::accept()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // The server owns its sockets; QTcpServer would otherwise keep them as children.
        socket->setParent(nullptr);
        ++m_accepted;
        m_connections.insert(socket, std::make_shared<Connection>());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
        connect(
            socket, &QTcpSocket::disconnected, this, [this, socket] { dropConnection(socket); });
    }
}

void FakeHubServer::dropConnection(QTcpSocket *socket)
{
    const auto connection = m_connections.take(socket);
    if (!connection)
        return;
    if (connection->answering)
        --m_inFlight;
    socket->disconnect(this);
    socket->deleteLater();
}

void FakeHubServer::readFrom(QTcpSocket *socket)
{
    const auto connection = m_connections.value(socket);
    if (!connection)
        return;
    connection->buffer += socket->readAll();
    processBuffered(socket);
}

void FakeHubServer::processBuffered(QTcpSocket *socket)
{
    const auto connection = m_connections.value(socket);
    while (connection && !connection->answering && !connection->closing) {
        QByteArray &buffer = connection->buffer;
        // A TLS ClientHello (Berth asks a loopback registry over https first): hang up, as a
        // plain HTTP server's TLS failure looks to the client.
        if (buffer.startsWith('\x16')) {
            socket->abort();
            return;
        }
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            if (buffer.size() > MaxHeaderBytes)
                write(socket, FakeHubResponse::json("{}", 431), true);
            return;
        }

        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
            write(socket, FakeHubResponse::json("{}", 400), true);
            return;
        }
        FakeHubRequest request;
        request.method = requestLine.at(0);
        request.target = requestLine.at(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                request.headers.append(
                    std::pair(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()));
        }
        bool lengthOk = true;
        const QByteArray lengthHeader = request.header("content-length");
        const qint64 length = lengthHeader.isEmpty() ? 0 : lengthHeader.toLongLong(&lengthOk);
        if (!lengthOk || length < 0 || length > MaxRequestBody) {
            write(socket, FakeHubResponse::json("{}", 413), true);
            return;
        }
        const qsizetype bodyStart = headerEnd + 4;
        if (buffer.size() - bodyStart < length)
            return; // the rest of the body is still on its way
        request.body = buffer.mid(bodyStart, length);
        buffer.remove(0, bodyStart + length);

        const QUrl url = QUrl::fromEncoded(request.target);
        request.path = url.path(QUrl::FullyDecoded);
        request.query = QUrlQuery(url.query(QUrl::FullyEncoded));
        // HTTP/1.0 closes unless asked not to; HTTP/1.1 keeps alive unless asked to close.
        const QByteArray connectionHeader = request.header("connection").toLower();
        connection->closing = requestLine.at(2) == "HTTP/1.0" ? connectionHeader != "keep-alive"
                                                              : connectionHeader == "close";
        answer(socket, request);
    }
}

void FakeHubServer::answer(QTcpSocket *socket, const FakeHubRequest &request)
{
    m_requests.append(request);
    ++m_countByPath[request.path];
    m_maxInFlight = std::max(m_maxInFlight, ++m_inFlight);

    const auto connection = m_connections.value(socket);
    connection->answering = true;

    const Handler handler = m_routes.value(request.path, m_fallback);
    FakeHubResponse response = handler ? handler(request) : FakeHubResponse::notFound();
    const bool close = connection->closing || response.closeConnection;
    if (response.delayMs <= 0) {
        write(socket, response, close);
        return;
    }
    QTimer::singleShot(response.delayMs, socket, [this, socket, response, close] {
        write(socket, response, close);
    });
}

void FakeHubServer::write(QTcpSocket *socket, const FakeHubResponse &response, bool close)
{
    const auto connection = m_connections.value(socket);
    if (!connection)
        return;
    if (connection->answering) {
        connection->answering = false;
        --m_inFlight;
    }

    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
                      + reasonPhrase(response.status) + "\r\n";
    bool hasLength = false;
    for (const auto &[name, value] : response.headers) {
        hasLength = hasLength || name.compare("content-length", Qt::CaseInsensitive) == 0;
        head += name + ": " + value + "\r\n";
    }
    if (!hasLength)
        head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    if (close)
        head += "Connection: close\r\n";
    head += "\r\n";
    if (response.dripIntervalMs > 0)
        return drip(socket, head + response.body, response.dripIntervalMs, close);
    socket->write(head);
    socket->write(response.body);
    sent(socket, close);
}

void FakeHubServer::drip(QTcpSocket *socket, const QByteArray &bytes, int intervalMs, bool close)
{
    // A child of the socket: it stops when the client hangs up.
    auto *timer = new QTimer(socket);
    auto offset = std::make_shared<qsizetype>(0);
    connect(timer, &QTimer::timeout, socket, [this, socket, timer, bytes, offset, close] {
        if (!m_connections.contains(socket))
            return timer->stop();
        socket->write(bytes.mid((*offset)++, 1));
        if (*offset < bytes.size())
            return;
        timer->deleteLater();
        sent(socket, close);
    });
    timer->start(intervalMs);
}

void FakeHubServer::sent(QTcpSocket *socket, bool close)
{
    const auto connection = m_connections.value(socket);
    if (!connection)
        return;
    if (close) {
        connection->closing = true;
        socket->disconnectFromHost(); // after the written data is flushed
        return;
    }
    // The client may have sent its next request already (pipelining or a fast keep-alive).
    QTimer::singleShot(0, socket, [this, socket] { processBuffered(socket); });
}

} // namespace BerthTest
