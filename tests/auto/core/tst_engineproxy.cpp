// A Docker engine's own proxy (GET /info: HttpProxy, HttpsProxy, NoProxy) compared with Berth's
// decision for a registry (core/store/engineproxy): the note berthctl pull prints when they differ.
#include "store/engineproxy.h"

#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

class tst_EngineProxy : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void difference_data();
    void difference();
};

void tst_EngineProxy::parse_data()
{
    QTest::addColumn<QByteArray>("info");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("https");
    QTest::addColumn<QString>("noProxy");
    QTest::newRow("docker with a proxy")
        << QByteArray(R"({"HttpProxy":"http://xxxxx:xxxxx@p.corp:3128","HttpsProxy":"p.corp:3128",)"
                      R"("NoProxy":"*.corp,10.0.0.0/8","ServerVersion":"20.10.24"})")
        << true << u"p.corp:3128"_s << u"*.corp,10.0.0.0/8"_s;
    QTest::newRow("docker without")
        << QByteArray(R"({"HttpProxy":"","HttpsProxy":""})") << true << QString() << QString();
    QTest::newRow("fields absent (podman)")
        << QByteArray(R"({"host":{}})") << true << QString() << QString();
    QTest::newRow("wrong types") << QByteArray(R"({"HttpsProxy":42,"NoProxy":[]})") << true
                                 << QString() << QString();
    QTest::newRow("not json") << QByteArray("<html>") << false << QString() << QString();
    QTest::newRow("an array") << QByteArray("[]") << false << QString() << QString();
    QTest::newRow("empty") << QByteArray() << false << QString() << QString();
}

void tst_EngineProxy::parse()
{
    QFETCH(QByteArray, info);
    QFETCH(bool, ok);
    QFETCH(QString, https);
    QFETCH(QString, noProxy);
    const auto parsed = parseEngineProxy(info);
    QCOMPARE(bool(parsed), ok);
    if (!ok)
        return;
    QCOMPARE(parsed->httpsProxy, https);
    QCOMPARE(parsed->noProxy, noProxy);
}

void tst_EngineProxy::difference_data()
{
    QTest::addColumn<QString>("engineHttps");
    QTest::addColumn<QString>("engineNoProxy");
    QTest::addColumn<QString>("berthHttps");
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("note"); // empty: none
    QTest::newRow("both direct") << QString() << QString() << QString() << u"r.corp"_s << QString();
    QTest::newRow("same proxy") << u"http://p.corp:3128"_s << QString() << u"p.corp:3128"_s
                                << u"r.corp"_s << QString();
    QTest::newRow("same proxy, the engine's login masked")
        << u"http://xxxxx:xxxxx@p.corp:3128"_s << QString() << u"http://u:pw@p.corp:3128"_s
        << u"r.corp"_s << QString();
    QTest::newRow("engine direct, Berth proxied")
        << QString() << QString() << u"p.corp:3128"_s << u"r.corp:5000"_s
        << u"Note: the engine reaches r.corp:5000 directly (its own proxy settings), where Berth "
           "would go through the proxy p.corp:3128."_s;
    QTest::newRow("engine proxied, Berth direct")
        << u"p.corp:3128"_s << QString() << QString() << u"registry-1.docker.io"_s
        << u"Note: the engine reaches registry-1.docker.io through the proxy p.corp:3128 (its own "
           "proxy settings), where Berth would go directly."_s;
    QTest::newRow("other proxies")
        << u"a.corp:3128"_s << QString() << u"b.corp:3128"_s << u"r.corp"_s
        << u"Note: the engine reaches r.corp through the proxy a.corp:3128 (its own proxy "
           "settings), where Berth would go through the proxy b.corp:3128."_s;
    QTest::newRow("engine's NO_PROXY names it")
        << u"p.corp:3128"_s << u".corp"_s << u"p.corp:3128"_s << u"r.corp"_s
        << u"Note: the engine reaches r.corp directly "
           "(its own proxy settings), where Berth would "
           "go through the proxy p.corp:3128."_s;
    QTest::newRow("loopback: both direct")
        << u"p.corp:3128"_s << QString() << u"p.corp:3128"_s << u"127.0.0.1:5000"_s << QString();
}

void tst_EngineProxy::difference()
{
    QFETCH(QString, engineHttps);
    QFETCH(QString, engineNoProxy);
    QFETCH(QString, berthHttps);
    QFETCH(QString, registry);
    QFETCH(QString, note);
    const EngineProxy engine{{}, engineHttps, engineNoProxy};
    const ProxyPolicy berth = ProxyPolicy::system({{}, berthHttps, {}});
    QCOMPARE(engineRouteDifference(engine, berth, registry), note);
}

QTEST_GUILESS_MAIN(tst_EngineProxy)
#include "tst_engineproxy.moc"
