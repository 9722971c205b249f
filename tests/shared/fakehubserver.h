#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <utility>

class QTcpServer;
class QTcpSocket;

namespace BerthTest {

// One request as the fake Hub received it.
struct FakeHubRequest
{
    QByteArray method;
    QByteArray target; // as sent: "/v2/namespaces/library/repositories/node/tags?page=2"
    QString path;      // decoded path, what routes match on
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers; // names lowercased
    QByteArray body;

    QByteArray header(QByteArrayView name) const;
    // The decoded value of a query item ("c++ & go"), empty when absent.
    QString queryItem(const QString &key) const;
};

struct FakeHubResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // Answer after this long: requests then pile up, so a test can see how many were in flight.
    int delayMs = 0;
    bool closeConnection = false;
    // A hostile server: the answer, head and body, goes out one byte at a time this many ms
    // apart, so the connection never looks idle yet never finishes.
    int dripIntervalMs = 0;

    FakeHubResponse &withHeader(const QByteArray &name, const QByteArray &value);
    FakeHubResponse &withDelay(int ms);
    FakeHubResponse &withDrip(int intervalMs);

    static FakeHubResponse json(const QByteArray &body, int status = 200);
    // A file under tests/data/hub/; a missing fixture fails loudly with a 599.
    static FakeHubResponse fixture(const QString &name, int status = 200);
    static FakeHubResponse notFound();
    static FakeHubResponse tooManyRequests(int retryAfterSeconds);
    static FakeHubResponse serverError(int status = 500);
    static FakeHubResponse malformedJson();
};

// The bytes of tests/data/hub/<name>; empty (with a warning) when it does not exist.
QByteArray hubFixture(const QString &name);

// An in-process HTTP/1.1 server on 127.0.0.1 that plays Docker Hub for a test: routes by exact
// decoded path, a fallback handler, canned sequences (429 then 200), request counting.
// Lives on the test's thread and answers from its event loop, so tests must wait with
// BerthTest::await (never a blocking call).
class FakeHubServer final : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<FakeHubResponse(const FakeHubRequest &)>;

    explicit FakeHubServer(QObject *parent = nullptr);
    ~FakeHubServer() override;

    bool listen();    // 127.0.0.1, a free port
    QUrl url() const; // http://127.0.0.1:PORT

    // For paths without a route; without a handler those answer 404.
    void setHandler(Handler handler);
    void route(const QString &path, Handler handler);
    void route(const QString &path, const FakeHubResponse &response);
    // Answers in this order; the last one repeats.
    void routeSequence(const QString &path, const QList<FakeHubResponse> &responses);
    void clearRoutes();
    // Docker Hub's official images (tests/data/hub/search-v4-official.json): the v4 search
    // answers them when asked for badges=official with no words, sorted by pulls when asked
    // (sort=pull_count&order=desc, as the Hub does) and paged by from/size; every other search
    // gets `others`. Their logo URLs point at this server, which serves tests/data/hub/logos/.
    void serveOfficialImages(const FakeHubResponse &others);
    // The logo URL of an official image served by serveOfficialImages().
    QUrl officialLogoUrl(const QString &name) const;
    static QString officialLogoPath(const QString &name);

    // Docker Hub's account API over one repository (fakehubaccount.cpp): POST /v2/users/login
    // answers a JWT for `username` and `password` (401 for anything else); GET of the
    // repository's tags lists `tags` (name -> digest) as one page; DELETE of
    // /v2/namespaces/NS/repositories/NAME/tags/TAG with "Bearer <JWT>" removes the tag (204), 401
    // without the JWT, 403 when `readOnly`, 404 for a tag it does not have.
    struct HubAccount
    {
        QString username;
        QString password;
        bool readOnly = false;
    };
    void serveWritableRepository(const QString &namespaceName,
                                 const QString &name,
                                 const QList<std::pair<QString, QString>> &tags,
                                 const HubAccount &account);
    // The tags serveWritableRepository() still has, in the order given.
    QStringList writableTags() const;

    int requestCount() const { return int(m_requests.size()); }
    int connectionsAccepted() const { return m_accepted; }
    int requestCount(const QString &path) const { return m_countByPath.value(path); }
    QList<FakeHubRequest> requests() const { return m_requests; }
    QList<FakeHubRequest> requests(const QString &path) const;
    // Requests received and not yet answered (nor dropped by the client).
    int inFlight() const { return m_inFlight; }
    // The most requests received and not yet answered at one time.
    int maxInFlight() const { return m_maxInFlight; }
    void resetCounters();

private:
    struct Connection;

    void accept();
    void readFrom(QTcpSocket *socket);
    void processBuffered(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const FakeHubRequest &request);
    void write(QTcpSocket *socket, const FakeHubResponse &response, bool close);
    void drip(QTcpSocket *socket, const QByteArray &bytes, int intervalMs, bool close);
    void sent(QTcpSocket *socket, bool close);
    void dropConnection(QTcpSocket *socket);

    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, std::shared_ptr<Connection>> m_connections;
    QHash<QString, Handler> m_routes;
    Handler m_fallback;
    QList<FakeHubRequest> m_requests;
    QHash<QString, int> m_countByPath;
    int m_accepted = 0;
    std::shared_ptr<QList<std::pair<QString, QString>>> m_writableTags;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
};

} // namespace BerthTest
