// One proxy decision per URL (core/network/proxypolicy): the proxy variables as curl and Go read
// them, the three modes, the loopback rule, a proxy's login, Qt's view of the decision, and the
// messages that name a proxy that failed.
#include "network/networkaccess.h"
#include "network/networkpolicy.h"
#include "network/proxyerror.h"
#include "network/proxypolicy.h"

#include <QNetworkProxy>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

class tst_ProxyPolicy : public QObject
{
    Q_OBJECT

private slots:
    void proxyText_data();
    void proxyText();
    void environment();
    void choose_data();
    void choose();
    void qtFactory();
    void errors_data();
    void errors();
    void qtErrorsAttributed_data();
    void qtErrorsAttributed();
};

void tst_ProxyPolicy::proxyText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("proxy"); // empty: direct
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::newRow("full") << u"http://proxy.corp:3128"_s << u"http://proxy.corp:3128"_s << QString()
                          << QString();
    QTest::newRow("no scheme") << u"proxy.corp:3128"_s << u"http://proxy.corp:3128"_s << QString()
                               << QString();
    QTest::newRow("no port: http's")
        << u"http://proxy.corp"_s << u"http://proxy.corp:80"_s << QString() << QString();
    QTest::newRow("no scheme, no port")
        << u"proxy.corp"_s << u"http://proxy.corp:80"_s << QString() << QString();
    QTest::newRow("trailing slash")
        << u"http://proxy.corp:3128/"_s << u"http://proxy.corp:3128"_s << QString() << QString();
    QTest::newRow("spaces") << u"  http://proxy.corp:3128  "_s << u"http://proxy.corp:3128"_s
                            << QString() << QString();
    QTest::newRow("login") << u"http://alice:s3cret@proxy.corp:3128"_s
                           << u"http://proxy.corp:3128"_s << u"alice"_s << u"s3cret"_s;
    QTest::newRow("login without scheme")
        << u"alice:s3cret@proxy.corp:3128"_s << u"http://proxy.corp:3128"_s << u"alice"_s
        << u"s3cret"_s;
    QTest::newRow("percent-encoded login")
        << u"http://CORP%5Calice:p%40ss%3Aword@proxy.corp:3128"_s << u"http://proxy.corp:3128"_s
        << u"CORP\\alice"_s << u"p@ss:word"_s;
    QTest::newRow("user only") << u"http://alice@proxy.corp:3128"_s << u"http://proxy.corp:3128"_s
                               << u"alice"_s << QString();
    QTest::newRow("socks5") << u"socks5://proxy.corp"_s << u"socks5://proxy.corp:1080"_s
                            << QString() << QString();
    QTest::newRow("ipv6 proxy") << u"http://[fd00::3]:3128"_s << u"http://[fd00::3]:3128"_s
                                << QString() << QString();
    QTest::newRow("upper-case scheme")
        << u"HTTP://proxy.corp:3128"_s << u"http://proxy.corp:3128"_s << QString() << QString();
    QTest::newRow("empty") << QString() << QString() << QString() << QString();
    QTest::newRow("blank") << u"   "_s << QString() << QString() << QString();
    QTest::newRow("unknown scheme")
        << u"ftp://proxy.corp:21"_s << QString() << QString() << QString();
    QTest::newRow("no host") << u"http://:3128"_s << QString() << QString() << QString();
    QTest::newRow("bad port") << u"http://proxy.corp:99999"_s << QString() << QString()
                              << QString();
}

void tst_ProxyPolicy::proxyText()
{
    QFETCH(QString, text);
    QFETCH(QString, proxy);
    QFETCH(QString, user);
    QFETCH(QString, password);
    const ProxyChoice choice = ProxyChoice::fromText(text);
    QCOMPARE(choice.proxy.toString(), proxy);
    QCOMPARE(choice.user, user);
    QCOMPARE(choice.password, password);
}

void tst_ProxyPolicy::environment()
{
    const char *names[]
        = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"};
    QHash<QByteArray, QByteArray> saved;
    for (const char *name : names)
        saved.insert(name, qgetenv(name));
    qputenv("http_proxy", "http://lower:1");
    qputenv("HTTP_PROXY", "http://upper:1");
    qunsetenv("https_proxy");
    qputenv("HTTPS_PROXY", "upper-only:2");
    qputenv("no_proxy", "");
    qputenv("NO_PROXY", ".corp");
    const ProxyEnvironment env = ProxyEnvironment::fromProcess();
    for (const char *name : names) {
        if (saved.value(name).isEmpty())
            qunsetenv(name);
        else
            qputenv(name, saved.value(name));
    }
    QCOMPARE(env.httpProxy, u"http://lower:1"_s); // lower-case wins
    QCOMPARE(env.httpsProxy, u"upper-only:2"_s);  // upper-case when alone
    QCOMPARE(env.noProxy, u".corp"_s);            // an empty lower-case one counts as unset
}

void tst_ProxyPolicy::choose_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("proxy");
    QTest::addColumn<QString>("user");

    auto row = [](const char *name,
                  const char *mode,
                  const char *url,
                  const char *proxy,
                  const char *user = "") {
        QTest::newRow(name) << QString::fromUtf8(mode) << QString::fromUtf8(url)
                            << QString::fromUtf8(proxy) << QString::fromUtf8(user);
    };
    row("system https", "system", "https://registry.example/v2/", "http://secure.corp:3129");
    row("system http", "system", "http://registry.example/v2/", "http://plain.corp:3128");
    row("system https with login",
        "system",
        "https://registry.example/v2/",
        "http://secure.corp:3129");
    row("system no_proxy name", "system", "https://registry.corp/v2/", "");
    row("system no_proxy subdomain", "system", "https://a.registry.corp/v2/", "");
    row("system no_proxy cidr", "system", "http://10.3.4.5:5000/v2/", "");
    row("system loopback", "system", "http://127.0.0.1:5000/v2/", "");
    row("system localhost", "system", "http://localhost:5000/v2/", "");
    row("system ipv6 loopback", "system", "http://[::1]:5000/v2/", "");
    row("system other scheme", "system", "ftp://registry.example/", "");
    row("manual https", "manual", "https://registry.example/v2/", "http://manual.corp:8080", "bob");
    row("manual http", "manual", "http://registry.example/v2/", "http://manual.corp:8080", "bob");
    row("manual own no_proxy", "manual", "https://intra.example/v2/", "");
    row("manual ignores environment's no_proxy",
        "manual",
        "https://registry.corp/v2/",
        "http://manual.corp:8080",
        "bob");
    row("manual loopback", "manual", "http://127.0.0.1:5000/v2/", "");
    row("none", "none", "https://registry.example/v2/", "");
}

void tst_ProxyPolicy::choose()
{
    QFETCH(QString, mode);
    QFETCH(QString, url);
    QFETCH(QString, proxy);
    QFETCH(QString, user);
    ProxyEnvironment env;
    env.httpProxy = u"plain.corp:3128"_s;
    env.httpsProxy = u"http://secure.corp:3129"_s;
    env.noProxy = u"registry.corp, 10.0.0.0/8"_s;
    ManualProxy manual{u"manual.corp"_s, 8080, u"bob"_s, u"pw"_s, u"intra.example"_s};
    const ProxyPolicy policy = mode == u"system"   ? ProxyPolicy::system(env)
                               : mode == u"manual" ? ProxyPolicy::manual(manual)
                                                   : ProxyPolicy::none();
    const ProxyChoice choice = policy.choose(QUrl(url));
    QCOMPARE(choice.proxy.toString(), proxy);
    QCOMPARE(choice.user, user);
    QCOMPARE(choice.isDirect(), proxy.isEmpty());
}

// Qt's stack asks the installed policy for each URL and gets the same answer curl does.
void tst_ProxyPolicy::qtFactory()
{
    const auto before = currentNetworkPolicy();
    auto policy = std::make_shared<NetworkPolicy>(*before);
    policy->proxy = ProxyPolicy::manual({u"manual.corp"_s, 8080, u"bob"_s, u"p@ss"_s, {}});
    setNetworkPolicy(policy);
    PolicyProxyFactory factory;
    const auto proxied = factory.queryProxy(QNetworkProxyQuery(QUrl(u"https://r.example/v2/"_s)));
    const auto direct = factory.queryProxy(QNetworkProxyQuery(QUrl(u"http://127.0.0.1:5000/"_s)));
    setNetworkPolicy(before);
    QCOMPARE(proxied.size(), 1);
    QCOMPARE(proxied.first().type(), QNetworkProxy::HttpProxy);
    QCOMPARE(proxied.first().hostName(), u"manual.corp"_s);
    QCOMPARE(proxied.first().port(), 8080);
    QCOMPARE(proxied.first().user(), u"bob"_s);
    QCOMPARE(proxied.first().password(), u"p@ss"_s);
    QCOMPARE(direct.size(), 1);
    QCOMPARE(direct.first().type(), QNetworkProxy::NoProxy);
}

void tst_ProxyPolicy::errors_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("proxyText");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QStringList>("expected");
    const QString refused = u"The proxy proxy.corp:3128 refused the connection"_s;
    QTest::newRow("refused, https")
        << int(QNetworkReply::ProxyConnectionRefusedError) << u"proxy.corp:3128"_s
        << u"https://r.example/v2/"_s << QStringList{refused, u"r.example"_s, u"https_proxy"_s};
    QTest::newRow("refused, http")
        << int(QNetworkReply::ProxyConnectionRefusedError) << u"proxy.corp:3128"_s
        << u"http://r.example:5000/v2/"_s
        << QStringList{refused, u"r.example:5000"_s, u"http_proxy"_s, u"Settings → Network"_s};
    QTest::newRow("407 without login")
        << int(QNetworkReply::ProxyAuthenticationRequiredError) << u"proxy.corp:3128"_s
        << u"https://r.example/v2/"_s
        << QStringList{u"proxy.corp:3128 requires a login (HTTP 407)"_s,
                       u"http://user:password@host:port"_s};
    QTest::newRow("407 with login")
        << int(QNetworkReply::ProxyAuthenticationRequiredError) << u"http://a:b@proxy.corp:3128"_s
        << u"https://r.example/v2/"_s
        << QStringList{u"proxy.corp:3128 refused its user name or password"_s};
    QTest::newRow("not found") << int(QNetworkReply::ProxyNotFoundError) << u"nowhere.corp:1"_s
                               << u"https://r.example/v2/"_s
                               << QStringList{u"nowhere.corp:1 was not found"_s};
    QTest::newRow("connect refused by the proxy")
        << int(QNetworkReply::UnknownProxyError) << u"proxy.corp:3128"_s
        << u"https://r.example/v2/"_s
        << QStringList{u"proxy.corp:3128 could not reach r.example: CONNECT 503"_s};
}

void tst_ProxyPolicy::errors()
{
    QFETCH(int, code);
    QFETCH(QString, proxyText);
    QFETCH(QString, url);
    QFETCH(QStringList, expected);
    ProxyEnvironment env;
    env.httpProxy = env.httpsProxy = proxyText;
    const auto e = QNetworkReply::NetworkError(code);
    QVERIFY(isProxyError(e));
    const Error error = proxyError(e, u"CONNECT 503"_s, QUrl(url), ProxyPolicy::system(env));
    QCOMPARE(error.kind, Error::Kind::Network);
    QCOMPARE(error.code, u"PROXY"_s);
    for (const QString &part : expected)
        QVERIFY2(error.message.contains(part), qPrintable(error.message));
    QVERIFY(!error.message.contains(u"b@"_s)); // never the password
    QVERIFY(!isProxyError(QNetworkReply::ConnectionRefusedError));
    QVERIFY(!isProxyError(QNetworkReply::ContentNotFoundError));
}

void tst_ProxyPolicy::qtErrorsAttributed_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("expected");
    const QString proxied = u"http://r.example/v2/"_s;
    const QString direct = u"http://127.0.0.1:5000/v2/"_s;
    QTest::newRow("refused through the proxy")
        << proxied << int(QNetworkReply::ConnectionRefusedError)
        << int(QNetworkReply::ProxyConnectionRefusedError);
    QTest::newRow("not found through the proxy") << proxied << int(QNetworkReply::HostNotFoundError)
                                                 << int(QNetworkReply::ProxyNotFoundError);
    QTest::newRow("failed tunnel") << proxied << int(QNetworkReply::UnknownNetworkError)
                                   << int(QNetworkReply::UnknownProxyError);
    QTest::newRow("timeout stays")
        << proxied << int(QNetworkReply::TimeoutError) << int(QNetworkReply::TimeoutError);
    QTest::newRow("407 stays") << proxied << int(QNetworkReply::ProxyAuthenticationRequiredError)
                               << int(QNetworkReply::ProxyAuthenticationRequiredError);
    QTest::newRow("direct: refused stays") << direct << int(QNetworkReply::ConnectionRefusedError)
                                           << int(QNetworkReply::ConnectionRefusedError);
    QTest::newRow("direct: unknown stays") << direct << int(QNetworkReply::UnknownNetworkError)
                                           << int(QNetworkReply::UnknownNetworkError);
}

// Through a proxy, Qt connects to the proxy only: a refusal is the proxy's.
void tst_ProxyPolicy::qtErrorsAttributed()
{
    QFETCH(QString, url);
    QFETCH(int, code);
    QFETCH(int, expected);
    const auto before = currentNetworkPolicy();
    auto policy = std::make_shared<NetworkPolicy>(*before);
    policy->proxy = ProxyPolicy::manual({u"manual.corp"_s, 8080, {}, {}, {}});
    setNetworkPolicy(policy);
    const auto attributed = attributeToProxy(QNetworkReply::NetworkError(code), QUrl(url));
    setNetworkPolicy(before);
    QCOMPARE(int(attributed), expected);
}

QTEST_GUILESS_MAIN(tst_ProxyPolicy)
#include "tst_proxypolicy.moc"
