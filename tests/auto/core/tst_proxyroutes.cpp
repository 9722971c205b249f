// Both HTTP stacks under one proxy decision, against real squid proxies and real registries: a
// manifest (Qt's stack) and a blob (libcurl) go through the proxy the installed policy names, with
// its Basic login; a missing or wrong login and a proxy that is down end in a message naming the
// proxy; import's URL download decides again at each redirect. The registry is reached by a name
// only squid resolves, so nothing can bypass the proxy and still work.
#include "asynctest.h"
#include "fakehubserver.h"
#include "proxyaccesslog.h"
#include "testhelpers.h"
#include "testservices.h"

#include "archive/urldownload.h"
#include "network/networkaccess.h"
#include "network/networkpolicy.h"
#include "oci/blobsink.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"
#include "registry/registryclient.h"

#include <QTcpServer>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// The policy of a test, installed for its duration; the previous one comes back after it.
class ScopedPolicy
{
public:
    explicit ScopedPolicy(const ManualProxy &proxy)
        : m_before(currentNetworkPolicy())
    {
        auto policy = std::make_shared<NetworkPolicy>(*m_before);
        policy->proxy = ProxyPolicy::manual(proxy);
        setNetworkPolicy(policy);
    }
    ~ScopedPolicy() { setNetworkPolicy(m_before); }

private:
    std::shared_ptr<const NetworkPolicy> m_before;
};

ManualProxy manualProxy(const QString &url, const QString &user = {}, const QString &password = {})
{
    const QUrl parsed(url);
    return ManualProxy{parsed.host(), parsed.port(), user, password, {}};
}

// The plain registry under the name only the proxies resolve.
QString proxiedRegistry()
{
    const QString host = TestServices::instance().registry(u"plain"_s).host;
    return TestServices::instance().proxy(u"open"_s).proxiedName + host.mid(host.indexOf(u':'));
}

struct Client
{
    Client()
    {
        client.setInsecureRegistries({proxiedRegistry()});
        RegistryTransportOptions options;
        options.retryBase = 10ms;
        client.transport().setOptions(options);
    }
    NetworkAccessManager network;
    RegistryClient client{&network};
};

} // namespace

class tst_ProxyRoutes final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void bothStacksThroughTheProxy();
    void proxyRefusals_data();
    void proxyRefusals();
    void redirectsDecideAgain();

private:
    // The busybox fixture's manifest (Qt's stack), then its first layer (curl), through the
    // policy in force.
    Result<ManifestResponse> fetchManifest(Client &c);
    Result<qint64> downloadLayer(Client &c, const Descriptor &layer);

    ImageReference m_reference;
    Descriptor m_layer;
};

void tst_ProxyRoutes::initTestCase()
{
    TestServices::instance();
    m_reference = parseReference(proxiedRegistry() + u"/berth/busybox:1.0"_s);
    // The layer's descriptor, read straight from the registry on loopback (always direct).
    Client direct;
    auto loopback = parseReference(TestServices::instance().registry(u"plain"_s).host
                                   + u"/berth/busybox:1.0"_s);
    auto manifest
        = await<ManifestResponse>([&](auto done) { direct.client.fetchManifest(loopback, done); });
    VERIFY_OK(manifest);
    auto parsed = parseImageManifest(manifest->body, manifest->mediaType);
    VERIFY_OK(parsed);
    QVERIFY(!parsed->layers.isEmpty());
    m_layer = parsed->layers.first();
}

Result<ManifestResponse> tst_ProxyRoutes::fetchManifest(Client &c)
{
    return await<ManifestResponse>([&](auto done) { c.client.fetchManifest(m_reference, done); });
}

Result<qint64> tst_ProxyRoutes::downloadLayer(Client &c, const Descriptor &layer)
{
    auto file = std::make_shared<QTemporaryFile>();
    if (!file->open())
        return fail(Error::Kind::Io, u"no temporary file"_s);
    auto sink = std::make_shared<DeviceBlobSink>(file.get());
    BlobDownloadOptions options;
    options.expectedSize = layer.size;
    return await<qint64>([&](auto done) {
        c.client.downloadBlob(m_reference, layer.digest, sink.get(), options, done);
    });
}

void tst_ProxyRoutes::bothStacksThroughTheProxy()
{
    const TestProxy proxy = TestServices::instance().proxy(u"auth"_s);
    const ProxyAccessLog log(proxy.accessLog);
    const ScopedPolicy policy(manualProxy(proxy.url, proxy.user, proxy.password));
    Client c;
    auto manifest = fetchManifest(c);
    VERIFY_OK(manifest);
    auto layer = downloadLayer(c, m_layer);
    VERIFY_OK(layer);
    QCOMPARE(*layer, m_layer.size);
    const QString base = u"http://"_s + proxiedRegistry() + u"/v2/berth/busybox/"_s;
    QTRY_VERIFY(!log.linesContaining(base + u"manifests/1.0"_s).isEmpty());
    QTRY_VERIFY(!log.linesContaining(base + u"blobs/"_s + m_layer.digest.toString()).isEmpty());
    // Both went through with the login (Qt sends it once squid asked for it with a 407).
    const QString user = u' ' + proxy.user + u' ';
    for (const QString &path :
         QStringList{u"manifests/1.0"_s, u"blobs/"_s + m_layer.digest.toString()}) {
        const QStringList lines = log.linesContaining(base + path);
        QVERIFY(std::any_of(lines.begin(), lines.end(), [&](const QString &line) {
            return line.contains(u"/200 "_s) && line.contains(user);
        }));
    }
}

void tst_ProxyRoutes::proxyRefusals_data()
{
    const TestProxy auth = TestServices::instance().proxy(u"auth"_s);
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QString down = u"http://127.0.0.1:"_s + QString::number(closed.serverPort());
    closed.close();
    QTest::addColumn<QString>("proxy");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("expected");
    const QString shown = QUrl(auth.url).authority();
    QTest::newRow("no login") << auth.url << QString() << QString()
                              << u"The proxy %1 requires a login (HTTP 407)."_s.arg(shown);
    QTest::newRow("wrong password")
        << auth.url << auth.user << u"not-the-password"_s
        << u"The proxy %1 refused its user name or password (HTTP 407)."_s.arg(shown);
    QTest::newRow("proxy down") << down << QString() << QString()
                                << u"The proxy %1 refused the connection"_s.arg(
                                       QUrl(down).authority());
}

// Both stacks say the same, naming the proxy, at once: no retries with backoff.
void tst_ProxyRoutes::proxyRefusals()
{
    QFETCH(QString, proxy);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, expected);
    const ScopedPolicy policy(manualProxy(proxy, user, password));
    const ProxyAccessLog log(TestServices::instance().proxy(u"auth"_s).accessLog);
    Client c;
    auto manifest = fetchManifest(c);
    QVERIFY(!manifest);
    QVERIFY2(manifest.error().message.startsWith(expected), qPrintable(manifest.error().message));
    QVERIFY(manifest.error().message.contains(u"Settings → Network"_s));
    auto layer = downloadLayer(c, m_layer);
    QVERIFY(!layer);
    QVERIFY2(layer.error().message.startsWith(expected), qPrintable(layer.error().message));
    QCOMPARE(layer.error().code, u"PROXY"_s);
    // Four attempts would leave four lines or more for the blob.
    QVERIFY(log.linesContaining(m_layer.digest.toString()).size() <= 2);
}

// import's URL download follows redirects itself: the first hop by the proxied name goes through
// the proxy, the second to 127.0.0.1 goes direct, as the policy says for each.
void tst_ProxyRoutes::redirectsDecideAgain()
{
    FakeHubServer server;
    QVERIFY(server.listen());
    const QByteArray body = randomBytes(300000);
    const QString port = QString::number(server.url().port());
    server.route(u"/blob"_s, FakeHubResponse{200, {}, body});
    server.route(u"/start"_s,
                 FakeHubResponse{302, {}, {}}.withHeader(
                     "Location", (u"http://127.0.0.1:"_s + port + u"/blob"_s).toUtf8()));
    const TestProxy proxy = TestServices::instance().proxy(u"open"_s);
    const ProxyAccessLog log(proxy.accessLog);
    const ScopedPolicy policy(manualProxy(proxy.url));
    QTemporaryDir dir;
    const QString target = dir.filePath(u"download"_s);
    const QUrl start(u"http://"_s + proxy.proxiedName + u':' + port + u"/start"_s);
    QFuture<Status> future
        = QtConcurrent::run([&] { return downloadUrlToFile(start, target, {}, {}); });
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
    VERIFY_OK(future.result());
    QFile file(target);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), body);
    QCOMPARE(server.requestCount(u"/blob"_s), 1);
    QTRY_VERIFY(!log.linesContaining(start.toString()).isEmpty());
    QVERIFY(log.linesContaining(u"/blob"_s).isEmpty());
}

QTEST_GUILESS_MAIN(tst_ProxyRoutes)
#include "tst_proxyroutes.moc"
