// berthctl behind a proxy, as a user on a company network runs it: with HTTP_PROXY / HTTPS_PROXY
// set, a pull, a push, a Hub search and a URL import all go through squid (manifests AND blobs),
// by a name only squid resolves, so nothing can bypass it and still work; NO_PROXY sends a host
// direct; the Basic-auth proxy works with the login in the variable and says what is wrong
// without; a proxy that is down is named.
#include "berthctlrunner.h"
#include "fakehubserver.h"
#include "proxyaccesslog.h"
#include "testhelpers.h"
#include "testservices.h"

#include <QHostInfo>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

QString plainPort()
{
    const QString host = TestServices::instance().registry(u"plain"_s).host;
    return host.mid(host.indexOf(u':') + 1);
}

// The plain registry by the name only squid resolves.
QString proxiedRegistry()
{
    return TestServices::instance().proxy(u"open"_s).proxiedName + u':' + plainPort();
}

QString withLogin(const TestProxy &proxy)
{
    QUrl url(proxy.url);
    url.setUserName(proxy.user);
    url.setPassword(proxy.password);
    return url.toString();
}

} // namespace

class tst_BerthctlProxy final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeHubServer m_hub;

    // berthctl's environment: its own store and config, and these proxy variables only.
    QProcessEnvironment environment(const QString &proxy, const QString &noProxy = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"http_proxy", "https_proxy", "no_proxy", "all_proxy"}) {
            env.remove(QString::fromLatin1(name));
            env.remove(QString::fromLatin1(name).toUpper());
        }
        env.insert(u"BERTH_STORE"_s, m_dir.filePath(u"store"_s));
        env.insert(u"DOCKER_CONFIG"_s, m_dir.filePath(u"docker"_s));
        env.insert(u"REGISTRY_AUTH_FILE"_s, m_dir.filePath(u"auth.json"_s));
        if (!proxy.isEmpty()) {
            env.insert(u"HTTP_PROXY"_s, proxy);
            env.insert(u"HTTPS_PROXY"_s, proxy);
        }
        if (!noProxy.isEmpty())
            env.insert(u"NO_PROXY"_s, noProxy);
        return env;
    }
    CtlRun ctl(QStringList arguments, const QProcessEnvironment &env, const QString &registry)
    {
        arguments << u"--backend"_s << u"embedded"_s << u"--insecure-registry"_s << registry;
        return runBerthctl(arguments, env);
    }
    QString hubBase(const QString &name) const
    {
        return u"http://"_s + name + u':' + QString::number(m_hub.url().port());
    }
    // A request of the test's own through the proxy, seen in its log: every line berthctl caused
    // is written by then.
    static void awaitSentinel(const TestProxy &proxy, const ProxyAccessLog &log, const QUrl &url)
    {
        QNetworkAccessManager network;
        const QUrl proxyUrl(proxy.url);
        network.setProxy(
            QNetworkProxy(QNetworkProxy::HttpProxy, proxyUrl.host(), quint16(proxyUrl.port())));
        QNetworkReply *reply = network.get(QNetworkRequest(url));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30000);
        delete reply;
        QTRY_VERIFY(!log.linesContaining(url.toString()).isEmpty());
    }

private slots:
    void initTestCase()
    {
        TestServices::instance();
        QVERIFY(m_dir.isValid());
        QVERIFY(m_hub.listen());
        m_hub.route(u"/api/search/v4"_s, FakeHubResponse::fixture(u"search-v4.json"_s));
    }

    // The bug of issue 24: blobs went direct while manifests took the proxy.
    void pullPushSearchImportThroughTheProxy()
    {
        const TestProxy proxy = TestServices::instance().proxy(u"open"_s);
        const QProcessEnvironment env = environment(proxy.url);
        const QString registry = proxiedRegistry();
        const QString base = u"http://"_s + registry + u"/v2/"_s;
        const ProxyAccessLog log(proxy.accessLog);

        const CtlRun pulled = ctl({u"pull"_s, registry + u"/berth/busybox:1.0"_s}, env, registry);
        QVERIFY2(pulled.exitCode == 0, pulled.err.constData());
        QTRY_VERIFY(!log.linesContaining(base + u"berth/busybox/manifests/1.0"_s).isEmpty());
        QTRY_VERIFY(!log.linesContaining(base + u"berth/busybox/blobs/sha256:"_s).isEmpty());

        const QString repository
            = u"berth/proxied-"_s + QString::number(QRandomGenerator::global()->generate(), 16);
        const QString pushed = registry + u'/' + repository + u":1"_s;
        QCOMPARE(
            ctl({u"tag"_s, registry + u"/berth/busybox:1.0"_s, pushed}, env, registry).exitCode, 0);
        const CtlRun push = ctl({u"push"_s, pushed}, env, registry);
        QVERIFY2(push.exitCode == 0, push.err.constData());
        QTRY_VERIFY(
            !log.linesContaining(u"PUT "_s + base + repository + u"/manifests/1"_s).isEmpty());
        QTRY_VERIFY(!log.linesContaining(base + repository + u"/blobs/"_s).isEmpty());

        QProcessEnvironment hubEnv = env;
        hubEnv.insert(u"BERTH_HUB_URL"_s, hubBase(proxy.proxiedName));
        const CtlRun search = runBerthctl({u"search"_s, u"node"_s}, hubEnv);
        QVERIFY2(search.exitCode == 0, search.err.constData());
        QTRY_VERIFY(
            !log.linesContaining(hubBase(proxy.proxiedName) + u"/api/search/v4"_s).isEmpty());

        const QString rootfs = m_dir.filePath(u"rootfs.tar"_s);
        QCOMPARE(
            ctl({u"export"_s, u"-o"_s, rootfs, registry + u"/berth/busybox:1.0"_s}, env, registry)
                .exitCode,
            0);
        QFile file(rootfs);
        QVERIFY(file.open(QIODevice::ReadOnly));
        m_hub.route(u"/rootfs.tar"_s, FakeHubResponse{200, {}, file.readAll()});
        const QString url = hubBase(proxy.proxiedName) + u"/rootfs.tar"_s;
        const CtlRun imported = ctl({u"import"_s, url, u"proxied/import:1"_s}, env, registry);
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QTRY_VERIFY(!log.linesContaining(u"GET "_s + url).isEmpty());
    }

    // HTTPS through the proxy, with CONNECT: the TLS registry by the name only squid resolves, so
    // the pull works only if the manifests (Qt's stack) and the blobs (curl's, into a store that
    // has none of them yet) all went through a tunnel; squid logs each tunnel as it closes.
    void httpsThroughConnect()
    {
        const TestProxy proxy = TestServices::instance().proxy(u"open"_s);
        const QString tlsHost = TestServices::instance().tlsRegistry().host;
        const QString registry = proxy.proxiedName + tlsHost.mid(tlsHost.indexOf(u':'));
        const ProxyAccessLog log(proxy.accessLog);
        QProcessEnvironment env = environment(proxy.url);
        env.insert(u"BERTH_STORE"_s, m_dir.filePath(u"connect-store"_s));
        const CtlRun pulled = ctl({u"pull"_s, registry + u"/berth/busybox:1.0"_s}, env, registry);
        QVERIFY2(pulled.exitCode == 0, pulled.err.constData());
        QTRY_VERIFY_WITH_TIMEOUT(!log.linesContaining(u"CONNECT "_s + registry).isEmpty(), 20000);
        // Nothing of it went as plain HTTP through the proxy.
        QVERIFY(log.linesContaining(u"http://"_s + registry).isEmpty());
    }

    // NO_PROXY names the host: berthctl goes straight to it, and squid sees nothing. The
    // machine's own name reaches the registry directly; without one, the name only squid knows
    // then fails to resolve, which shows the proxy was not asked either.
    void noProxySendsTheHostDirect()
    {
        const TestProxy proxy = TestServices::instance().proxy(u"open"_s);
        const QString hostName = QHostInfo::localHostName();
        const QHostInfo info = QHostInfo::fromName(hostName);
        const bool loopbackName = !info.addresses().isEmpty()
                                  && info.addresses().first().isLoopback()
                                  && hostName.compare(u"localhost"_s, Qt::CaseInsensitive) != 0;
        const QString name = loopbackName ? hostName : proxy.proxiedName;
        const QString registry = name + u':' + plainPort();
        const ProxyAccessLog log(proxy.accessLog);

        const CtlRun pulled = ctl({u"pull"_s, registry + u"/berth/busybox:1.0"_s},
                                  environment(proxy.url, u"example.org, ."_s + name.toUpper()),
                                  registry);
        if (loopbackName) {
            QVERIFY2(pulled.exitCode == 0, pulled.err.constData());
        } else {
            QCOMPARE(pulled.exitCode, 1);
            QVERIFY2(pulled.err.contains("Could not find the host"), pulled.err.constData());
        }
        QProcessEnvironment hubEnv = environment(proxy.url, name);
        hubEnv.insert(u"BERTH_HUB_URL"_s, hubBase(name));
        const CtlRun search = runBerthctl({u"search"_s, u"node"_s}, hubEnv);
        QCOMPARE(search.exitCode, loopbackName ? 0 : 1);
        awaitSentinel(proxy, log, QUrl(hubBase(proxy.proxiedName) + u"/sentinel"_s));
        QCOMPARE(log.linesContaining(registry), QStringList());
        QCOMPARE(log.linesContaining(hubBase(name)), QStringList());
    }

    void authProxy_data()
    {
        const TestProxy proxy = TestServices::instance().proxy(u"auth"_s);
        QTest::addColumn<QString>("proxyUrl");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString shown = QUrl(proxy.url).authority();
        QTest::newRow("no login") << proxy.url << 1
                                  << u"The proxy %1 requires a login (HTTP 407)."_s.arg(shown);
        QUrl wrong(withLogin(proxy));
        wrong.setPassword(u"wrong"_s);
        QTest::newRow("wrong login")
            << wrong.toString() << 1
            << u"The proxy %1 refused its user name or password (HTTP 407)."_s.arg(shown);
        QTest::newRow("login in the variable") << withLogin(proxy) << 0 << QString();
    }

    void authProxy()
    {
        QFETCH(QString, proxyUrl);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QDir(m_dir.filePath(u"store"_s)).removeRecursively();
        const TestProxy proxy = TestServices::instance().proxy(u"auth"_s);
        const QString registry = proxiedRegistry();
        const ProxyAccessLog log(proxy.accessLog);
        const CtlRun pulled
            = ctl({u"pull"_s, registry + u"/berth/busybox:1.0"_s}, environment(proxyUrl), registry);
        QVERIFY2(pulled.exitCode == exitCode, pulled.err.constData());
        const QString err = QString::fromUtf8(pulled.err);
        QVERIFY2(err.contains(message), pulled.err.constData());
        QVERIFY(!err.contains(proxy.password));
        if (exitCode == 0) {
            QTRY_VERIFY(!log.linesContaining(u"/berth/busybox/blobs/sha256:"_s).isEmpty());
            // Every request that squid let through carried the login (Qt's stack sends it once
            // squid asked for it with a 407).
            for (const QString &line : log.linesContaining(registry)) {
                if (!line.contains(u"TCP_DENIED/407"_s))
                    QVERIFY2(line.contains(u' ' + proxy.user + u' '), qPrintable(line));
            }
        } else {
            QVERIFY(err.contains(u"http_proxy"_s) || err.contains(u"https_proxy"_s));
        }
    }

    // The engine pulls with its own proxy settings (the test services start dockerd with none):
    // berthctl says so in one line when Berth would route the registry otherwise.
    void engineRouteNote_data()
    {
        const TestProxy proxy = TestServices::instance().proxy(u"open"_s);
        QTest::addColumn<QString>("registry");
        QTest::addColumn<QString>("noProxy");
        QTest::addColumn<QString>("note"); // empty: none
        QTest::newRow("proxied by Berth, direct by the engine")
            << proxiedRegistry() << QString()
            << u"Note: the engine reaches %1 directly (its own proxy settings), where Berth would "
               "go through the proxy %2."_s.arg(proxiedRegistry(), QUrl(proxy.url).authority());
        QTest::newRow("NO_PROXY: direct for both")
            << proxiedRegistry() << proxy.proxiedName << QString();
        QTest::newRow("loopback: direct for both")
            << TestServices::instance().registry(u"plain"_s).host << QString() << QString();
    }

    void engineRouteNote()
    {
        QFETCH(QString, registry);
        QFETCH(QString, noProxy);
        QFETCH(QString, note);
        const QString socket = TestServices::instance().engineSocket(u"docker"_s);
        QVERIFY2(!socket.isEmpty(), "the test services were started without the engines");
        QProcessEnvironment env
            = environment(TestServices::instance().proxy(u"open"_s).url, noProxy);
        env.insert(u"DOCKER_HOST"_s, u"unix://"_s + socket);
        const CtlRun pulled = runBerthctl(
            {u"pull"_s, registry + u"/berth/busybox:1.0"_s, u"--backend"_s, u"docker"_s}, env);
        const QString err = QString::fromUtf8(pulled.err);
        if (note.isEmpty()) {
            QVERIFY2(!err.contains(u"Note: the engine"_s), pulled.err.constData());
        } else {
            QVERIFY2(err.contains(note), pulled.err.constData());
            QCOMPARE(err.count(u"Note: the engine"_s), 1);
        }
        // dockerd reaches the loopback registry; the name only squid knows, it cannot.
        if (registry == TestServices::instance().registry(u"plain"_s).host)
            QVERIFY2(pulled.exitCode == 0, pulled.err.constData());
        else
            QCOMPARE(pulled.exitCode, 1);
    }

    void proxyDown()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QString down = u"http://127.0.0.1:"_s + QString::number(closed.serverPort());
        closed.close();
        const QString registry = proxiedRegistry();
        const CtlRun pulled
            = ctl({u"pull"_s, registry + u"/berth/busybox:1.0"_s}, environment(down), registry);
        QCOMPARE(pulled.exitCode, 1);
        QVERIFY2(pulled.err.contains(
                     u"The proxy %1 refused the connection"_s.arg(QUrl(down).authority()).toUtf8()),
                 pulled.err.constData());
        QProcessEnvironment hubEnv = environment(down);
        hubEnv.insert(u"BERTH_HUB_URL"_s,
                      hubBase(TestServices::instance().proxy(u"open"_s).proxiedName));
        const CtlRun search = runBerthctl({u"search"_s, u"node"_s}, hubEnv);
        QCOMPARE(search.exitCode, 1);
        QVERIFY2(search.err.contains("refused the connection"), search.err.constData());
    }
};

QTEST_GUILESS_MAIN(tst_BerthctlProxy)
#include "tst_berthctl_proxy.moc"
