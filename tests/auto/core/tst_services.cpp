// Proves the test-services harness (tests/shared/services/berth-services): the three registries
// answer with the right challenge, the token server grants what DESIGN §5 says, and the fixture
// images are where services.json says they are.
//
// Anonymous access to private/* is refused by the token server with a 200 and a token whose
// `access` list is empty (as Docker Hub does); the registry then answers 401 insufficient_scope.
// A wrong password is a 401 from the token server itself.

#include "testservices.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace BerthTest;

namespace {

struct Response
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QByteArray wwwAuthenticate;
    QByteArray contentDigest;
    QByteArray contentType;
    QByteArray rateLimit;     // ratelimit-limit
    QByteArray rateRemaining; // ratelimit-remaining
    QByteArray rateSource;    // docker-ratelimit-source
};

QByteArray basicAuthorization(const QString &user, const QString &password)
{
    return "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64();
}

// {"alg": …} and {"iss": …} of a compact JWS.
QJsonObject jwtPart(const QByteArray &jwt, int part)
{
    const QList<QByteArray> parts = jwt.split('.');
    if (parts.size() != 3)
        return {};
    const auto decoded = QByteArray::fromBase64Encoding(
        parts.at(part), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return {};
    return QJsonDocument::fromJson(*decoded).object();
}

// Actions granted for `name` in a token's access claim, sorted.
QStringList grantedActions(const QJsonObject &claims, const QString &type, const QString &name)
{
    QStringList actions;
    const QJsonArray access = claims.value(QLatin1String("access")).toArray();
    for (const QJsonValue &entry : access) {
        const QJsonObject o = entry.toObject();
        if (o.value(QLatin1String("type")).toString() != type
            || o.value(QLatin1String("name")).toString() != name)
            continue;
        for (const QJsonValue &a : o.value(QLatin1String("actions")).toArray())
            actions << a.toString();
    }
    actions.sort();
    return actions;
}

} // namespace

class tst_Services final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void ping_data();
    void ping();
    void token_data();
    void token();
    void tokenAgainstRegistry_data();
    void tokenAgainstRegistry();
    void fixtures_data();
    void fixtures();
    void manyTags();
    void deletesRefused();
    void pullLimitFront();

private:
    // Sends the request and waits for the answer; false if it never came.
    bool send(const QNetworkRequest &request,
              Response *response,
              const QByteArray &method = "GET",
              const QByteArray &body = {});
    QByteArray
    tokenFor(const QString &scope, const QString &user = {}, const QString &password = {});

    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void tst_Services::initTestCase()
{
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy);
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    const QJsonObject raw = TestServices::instance().raw();
    QVERIFY2(raw.contains(QLatin1String("registries")), "services.json has no registries");
}

bool tst_Services::send(const QNetworkRequest &request,
                        Response *response,
                        const QByteArray &method,
                        const QByteArray &body)
{
    // HEAD must go through head(): a custom "HEAD" would wait for a body that never comes.
    std::unique_ptr<QNetworkReply> reply(method == "HEAD" ? m_nam->head(request)
                                         : method == "GET"
                                             ? m_nam->get(request)
                                             : m_nam->sendCustomRequest(request, method, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(20000))
        return false;
    response->status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response->error = reply->error();
    response->body = reply->readAll();
    response->wwwAuthenticate = reply->rawHeader("WWW-Authenticate");
    response->contentDigest = reply->rawHeader("Docker-Content-Digest");
    response->contentType = reply->rawHeader("Content-Type");
    response->rateLimit = reply->rawHeader("ratelimit-limit");
    response->rateRemaining = reply->rawHeader("ratelimit-remaining");
    response->rateSource = reply->rawHeader("docker-ratelimit-source");
    return true;
}

QByteArray
tst_Services::tokenFor(const QString &scope, const QString &user, const QString &password)
{
    const TestRegistry token = TestServices::instance().registry(QStringLiteral("token"));
    QUrl url(token.realm);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("service"), token.service);
    query.addQueryItem(QStringLiteral("scope"), scope);
    url.setQuery(query);
    QNetworkRequest request(url);
    if (!user.isEmpty())
        request.setRawHeader("Authorization", basicAuthorization(user, password));
    Response r;
    if (!send(request, &r) || r.status != 200)
        return {};
    return QJsonDocument::fromJson(r.body)
        .object()
        .value(QLatin1String("token"))
        .toString()
        .toUtf8();
}

void tst_Services::ping_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("scheme");

    QTest::newRow("plain") << QStringLiteral("plain") << 200 << QString();
    QTest::newRow("basic") << QStringLiteral("basic") << 401 << QStringLiteral("Basic");
    QTest::newRow("token") << QStringLiteral("token") << 401 << QStringLiteral("Bearer");
    QTest::newRow("nodelete") << QStringLiteral("nodelete") << 200 << QString();
    QTest::newRow("ratelimit") << QStringLiteral("ratelimit") << 200 << QString();
}

void tst_Services::ping()
{
    QFETCH(QString, flavour);
    QFETCH(int, status);
    QFETCH(QString, scheme);

    const TestRegistry registry = TestServices::instance().registry(flavour);
    QVERIFY(registry.host.startsWith(QLatin1String("127.0.0.1:")));
    Response r;
    QVERIFY2(send(QNetworkRequest(
                      QUrl(QLatin1String("http://") + registry.host + QLatin1String("/v2/"))),
                  &r),
             "no answer from the registry");
    QCOMPARE(r.status, status);
    if (scheme.isEmpty()) {
        QVERIFY(r.wwwAuthenticate.isEmpty());
        return;
    }
    const QString challenge = QString::fromUtf8(r.wwwAuthenticate);
    QVERIFY2(challenge.startsWith(scheme + QLatin1Char(' ')), qPrintable(challenge));
    if (flavour == QLatin1String("token")) {
        QVERIFY(!registry.realm.isEmpty());
        QCOMPARE(registry.service, QStringLiteral("berth-test-registry"));
        QVERIFY2(challenge.contains(QLatin1String("realm=\"") + registry.realm + QLatin1Char('"')),
                 qPrintable(challenge));
        QVERIFY2(
            challenge.contains(QLatin1String("service=\"") + registry.service + QLatin1Char('"')),
            qPrintable(challenge));
    } else {
        QVERIFY(!registry.username.isEmpty());
        QVERIFY(!registry.password.isEmpty());
    }
}

void tst_Services::token_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password"); // "<right>" = the registry's password
    QTest::addColumn<QString>("scope");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("actions");

    const QString busybox = QStringLiteral("repository:berth/busybox:pull,push");
    const QString secret = QStringLiteral("repository:private/secret:pull,push");
    const QString catalog = QStringLiteral("registry:catalog:*");
    const QString right = QStringLiteral("<right>");
    const QString repo = QStringLiteral("repository");
    const QString reg = QStringLiteral("registry");
    const QStringList pull{QStringLiteral("pull")};
    const QStringList pullPush{QStringLiteral("pull"), QStringLiteral("push")};

    QTest::newRow("anonymous busybox: pull only")
        << QByteArray("GET") << QString() << QString() << busybox << 200 << repo
        << QStringLiteral("berth/busybox") << pull;
    QTest::newRow("anonymous private: nothing")
        << QByteArray("GET") << QString() << QString() << secret << 200 << repo
        << QStringLiteral("private/secret") << QStringList();
    QTest::newRow("anonymous catalog: nothing")
        << QByteArray("GET") << QString() << QString() << catalog << 200 << reg
        << QStringLiteral("catalog") << QStringList();
    QTest::newRow("user busybox: pull+push")
        << QByteArray("GET") << QStringLiteral("berth") << right << busybox << 200 << repo
        << QStringLiteral("berth/busybox") << pullPush;
    QTest::newRow("user private: pull+push")
        << QByteArray("GET") << QStringLiteral("berth") << right << secret << 200 << repo
        << QStringLiteral("private/secret") << pullPush;
    QTest::newRow("user catalog: *")
        << QByteArray("GET") << QStringLiteral("berth") << right << catalog << 200 << reg
        << QStringLiteral("catalog") << QStringList{QStringLiteral("*")};
    QTest::newRow("wrong password: 401")
        << QByteArray("GET") << QStringLiteral("berth") << QStringLiteral("wrong") << busybox << 401
        << repo << QStringLiteral("berth/busybox") << QStringList();
    QTest::newRow("unknown user: 401")
        << QByteArray("GET") << QStringLiteral("nobody") << right << busybox << 401 << repo
        << QStringLiteral("berth/busybox") << QStringList();
    QTest::newRow("oauth2 POST password grant")
        << QByteArray("POST") << QStringLiteral("berth") << right << secret << 200 << repo
        << QStringLiteral("private/secret") << pullPush;
    QTest::newRow("oauth2 POST wrong password: 401")
        << QByteArray("POST") << QStringLiteral("berth") << QStringLiteral("wrong") << secret << 401
        << repo << QStringLiteral("private/secret") << QStringList();
}

void tst_Services::token()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, scope);
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QString, name);
    QFETCH(QStringList, actions);

    const TestRegistry registry = TestServices::instance().registry(QStringLiteral("token"));
    if (password == QLatin1String("<right>"))
        password = registry.password;

    QUrl url(registry.realm);
    QNetworkRequest request;
    QByteArray body;
    if (method == "GET") {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("service"), registry.service);
        query.addQueryItem(QStringLiteral("scope"), scope);
        url.setQuery(query);
        request.setUrl(url);
        if (!user.isEmpty())
            request.setRawHeader("Authorization", basicAuthorization(user, password));
    } else {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("password"));
        form.addQueryItem(QStringLiteral("username"), user);
        form.addQueryItem(QStringLiteral("password"), password);
        form.addQueryItem(QStringLiteral("service"), registry.service);
        form.addQueryItem(QStringLiteral("scope"), scope);
        form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("berth-tests"));
        body = form.query(QUrl::FullyEncoded).toUtf8();
        request.setUrl(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArray("application/x-www-form-urlencoded"));
    }
    Response r;
    QVERIFY2(send(request, &r, method, body), "no answer from the token server");
    QCOMPARE(r.status, status);
    const QJsonObject answer = QJsonDocument::fromJson(r.body).object();
    if (status != 200) {
        QVERIFY2(answer.value(QLatin1String("errors")).isArray(), r.body.constData());
        QVERIFY(!answer.contains(QLatin1String("token")));
        return;
    }
    const QByteArray jwt = answer.value(QLatin1String("access_token")).toString().toUtf8();
    QVERIFY(!jwt.isEmpty());
    if (method == "GET")
        QCOMPARE(answer.value(QLatin1String("token")).toString().toUtf8(), jwt);
    QVERIFY(answer.value(QLatin1String("expires_in")).toInt() > 0);
    QVERIFY(!answer.value(QLatin1String("issued_at")).toString().isEmpty());

    const QJsonObject header = jwtPart(jwt, 0);
    QCOMPARE(header.value(QLatin1String("alg")).toString(), QStringLiteral("RS256"));
    QCOMPARE(header.value(QLatin1String("x5c")).toArray().size(), 1);
    const QJsonObject claims = jwtPart(jwt, 1);
    QCOMPARE(claims.value(QLatin1String("aud")).toString(), registry.service);
    QCOMPARE(claims.value(QLatin1String("iss")).toString(), QStringLiteral("berth-test-issuer"));
    QVERIFY(claims.value(QLatin1String("exp")).toInteger()
            > claims.value(QLatin1String("iat")).toInteger());
    QCOMPARE(claims.value(QLatin1String("sub")).toString(), user);
    QVERIFY(claims.value(QLatin1String("access")).isArray());
    QCOMPARE(grantedActions(claims, type, name), actions);
}

void tst_Services::tokenAgainstRegistry_data()
{
    QTest::addColumn<QString>("repository");
    QTest::addColumn<bool>("withCredentials");
    QTest::addColumn<int>("status");

    QTest::newRow("anonymous berth/busybox") << QStringLiteral("berth/busybox") << false << 200;
    QTest::newRow("anonymous private/secret") << QStringLiteral("private/secret") << false << 401;
    QTest::newRow("user private/secret") << QStringLiteral("private/secret") << true << 200;
}

void tst_Services::tokenAgainstRegistry()
{
    QFETCH(QString, repository);
    QFETCH(bool, withCredentials);
    QFETCH(int, status);

    const TestRegistry registry = TestServices::instance().registry(QStringLiteral("token"));
    const QByteArray jwt
        = withCredentials
              ? tokenFor(QLatin1String("repository:") + repository + QLatin1String(":pull"),
                         registry.username,
                         registry.password)
              : tokenFor(QLatin1String("repository:") + repository + QLatin1String(":pull"));
    QVERIFY(!jwt.isEmpty());

    QNetworkRequest request(QUrl(QLatin1String("http://") + registry.host + QLatin1String("/v2/")
                                 + repository + QLatin1String("/manifests/1.0")));
    request.setRawHeader("Authorization", "Bearer " + jwt);
    request.setRawHeader("Accept", "application/vnd.oci.image.manifest.v1+json");
    Response r;
    QVERIFY(send(request, &r));
    QCOMPARE(r.status, status);
    if (status == 200) {
        QCOMPARE(QString::fromLatin1(r.contentDigest),
                 TestServices::instance()
                     .image(QStringLiteral("busybox"))
                     .value(QLatin1String("digest"))
                     .toString());
    } else {
        QVERIFY2(r.wwwAuthenticate.contains("insufficient_scope"), r.wwwAuthenticate.constData());
    }
}

void tst_Services::fixtures_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<QString>("fixture");

    const QJsonObject images = TestServices::instance().images();
    QVERIFY(images.contains(QLatin1String("busybox")));
    QVERIFY(images.contains(QLatin1String("busybox-docker")));
    QVERIFY(images.contains(QLatin1String("multiarch")));
    QVERIFY(images.contains(QLatin1String("private")));
    for (auto it = images.begin(); it != images.end(); ++it) {
        const QJsonArray registries
            = it.value().toObject().value(QLatin1String("registries")).toArray();
        for (const QJsonValue &flavour : registries) {
            const QString row = flavour.toString() + QLatin1Char('/') + it.key();
            QTest::newRow(qPrintable(row)) << flavour.toString() << it.key();
        }
    }
}

// Every tag of every fixture is there, with the digest and media type services.json promises.
void tst_Services::fixtures()
{
    QFETCH(QString, flavour);
    QFETCH(QString, fixture);

    const TestRegistry registry = TestServices::instance().registry(flavour);
    const QJsonObject image = TestServices::instance().image(fixture);
    const QString repository = image.value(QLatin1String("repository")).toString();
    QByteArray authorization;
    if (flavour == QLatin1String("basic"))
        authorization = basicAuthorization(registry.username, registry.password);
    else if (flavour == QLatin1String("token"))
        authorization
            = "Bearer "
              + tokenFor(QLatin1String("repository:") + repository + QLatin1String(":pull"),
                         registry.username,
                         registry.password);

    const QJsonArray tags = image.value(QLatin1String("tags")).toArray();
    QVERIFY(!tags.isEmpty());
    for (const QJsonValue &tag : tags) {
        QNetworkRequest request(QUrl(QLatin1String("http://") + registry.host
                                     + QLatin1String("/v2/") + repository
                                     + QLatin1String("/manifests/") + tag.toString()));
        request.setRawHeader("Accept",
                             "application/vnd.oci.image.index.v1+json, "
                             "application/vnd.oci.image.manifest.v1+json, "
                             "application/vnd.docker.distribution.manifest.list.v2+json, "
                             "application/vnd.docker.distribution.manifest.v2+json");
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        Response r;
        QVERIFY(send(request, &r, "HEAD"));
        QCOMPARE(r.status, 200);
        QCOMPARE(QString::fromLatin1(r.contentDigest),
                 image.value(QLatin1String("digest")).toString());
        QCOMPARE(QString::fromLatin1(r.contentType),
                 image.value(QLatin1String("mediaType")).toString());
    }
    const QJsonArray platforms = image.value(QLatin1String("platforms")).toArray();
    if (fixture == QLatin1String("multiarch")) {
        QCOMPARE(platforms.size(), 2);
        QCOMPARE(platforms.at(1).toString(), QStringLiteral("linux/arm64/v8"));
    } else {
        QCOMPARE(platforms.size(), 1);
    }
    QVERIFY(image.value(QLatin1String("layers")).toInt() >= 2);
}

void tst_Services::manyTags()
{
    const QJsonObject many = TestServices::instance().many();
    QCOMPARE(many.value(QLatin1String("tags")).toInt(), 300);
    QCOMPARE(many.value(QLatin1String("digests")).toInt(), 20);
    const QJsonObject groups = many.value(QLatin1String("groups")).toObject();
    QCOMPARE(groups.size(), 20);
    QSet<QString> expected;
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        QCOMPARE(it.value().toArray().size(), 15);
        for (const QJsonValue &tag : it.value().toArray())
            expected.insert(tag.toString());
    }
    QCOMPARE(expected.size(), 300);

    // Registry 2.8 ignores `n` on tags/list and answers everything at once.
    const TestRegistry plain = TestServices::instance().registry(QStringLiteral("plain"));
    Response r;
    QVERIFY(send(QNetworkRequest(QUrl(QLatin1String("http://") + plain.host + QLatin1String("/v2/")
                                      + many.value(QLatin1String("repository")).toString()
                                      + QLatin1String("/tags/list"))),
                 &r));
    QCOMPARE(r.status, 200);
    QSet<QString> listed;
    for (const QJsonValue &tag :
         QJsonDocument::fromJson(r.body).object().value(QLatin1String("tags")).toArray())
        listed.insert(tag.toString());
    QCOMPARE(listed, expected);
}

// The "nodelete" registry refuses every DELETE as a registry with deletes turned off does (405
// UNSUPPORTED), and keeps the image.
void tst_Services::deletesRefused()
{
    const TestRegistry registry = TestServices::instance().registry(QStringLiteral("nodelete"));
    const QJsonObject image = TestServices::instance().image(QStringLiteral("busybox"));
    const QString manifest = QLatin1String("http://") + registry.host + QLatin1String("/v2/")
                             + image.value(QLatin1String("repository")).toString()
                             + QLatin1String("/manifests/")
                             + image.value(QLatin1String("digest")).toString();
    Response r;
    QVERIFY(send(QNetworkRequest(QUrl(manifest)), &r, "DELETE"));
    QCOMPARE(r.status, 405);
    QVERIFY2(r.body.contains("UNSUPPORTED"), r.body.constData());
    QNetworkRequest head{QUrl(manifest)};
    head.setRawHeader("Accept", "application/vnd.oci.image.manifest.v1+json");
    QVERIFY(send(head, &r, "HEAD"));
    QCOMPARE(r.status, 200);
}

// The pull-limit front states Docker Hub's headers on manifest answers: a GET counts, a HEAD does
// not, blobs carry nothing; every request is in its log.
void tst_Services::pullLimitFront()
{
    const QJsonObject front
        = TestServices::instance().raw().value(QLatin1String("ratelimit")).toObject();
    const TestRegistry registry = TestServices::instance().registry(QStringLiteral("ratelimit"));
    QCOMPARE(registry.host, front.value(QLatin1String("host")).toString());
    // Only this test reads berth/busybox-docker through the front: its count is ours.
    const QJsonObject image = TestServices::instance().image(QStringLiteral("busybox-docker"));
    const QString base = QLatin1String("http://") + registry.host + QLatin1String("/v2/")
                         + image.value(QLatin1String("repository")).toString();
    QNetworkRequest manifest(QUrl(base + QLatin1String("/manifests/1.0")));
    manifest.setRawHeader("Accept", "application/vnd.docker.distribution.manifest.v2+json");

    Response r;
    QVERIFY(send(manifest, &r, "HEAD"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.rateLimit, QByteArray("100;w=21600"));
    QCOMPARE(r.rateRemaining, QByteArray("100;w=21600"));
    QCOMPARE(r.rateSource, QByteArray("127.0.0.1"));
    QVERIFY(send(manifest, &r, "GET"));
    QCOMPARE(r.status, 200);
    QCOMPARE(QString::fromLatin1(r.contentDigest), image.value(QLatin1String("digest")).toString());
    QCOMPARE(r.rateRemaining, QByteArray("99;w=21600"));
    QVERIFY(send(manifest, &r, "HEAD"));
    QCOMPARE(r.rateRemaining, QByteArray("99;w=21600"));

    QVERIFY(send(QNetworkRequest(QUrl(base + QLatin1String("/blobs/")
                                      + image.value(QLatin1String("config")).toString())),
                 &r));
    QCOMPARE(r.status, 200);
    QVERIFY(r.rateRemaining.isEmpty());

    QFile log(front.value(QLatin1String("log")).toString());
    QVERIFY2(log.open(QIODevice::ReadOnly), qPrintable(log.fileName()));
    const QByteArray lines = log.readAll();
    const QByteArray expected = "GET /v2/"
                                + image.value(QLatin1String("repository")).toString().toUtf8()
                                + "/manifests/1.0 200\n";
    QVERIFY2(lines.contains(expected), lines.right(2000).constData());
}

QTEST_GUILESS_MAIN(tst_Services)
#include "tst_services.moc"
