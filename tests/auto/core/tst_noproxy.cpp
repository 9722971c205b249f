// NO_PROXY's rules as curl and Go's httpproxy read them (core/network/noproxy): names and their
// subdomains, addresses, CIDRs, ports, "*", case and separators; garbage entries are ignored.
#include "network/noproxy.h"

#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

class tst_NoProxy : public QObject
{
    Q_OBJECT

private slots:
    void matches_data();
    void matches();
    void alwaysDirect_data();
    void alwaysDirect();
};

void tst_NoProxy::matches_data()
{
    QTest::addColumn<QString>("rules");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("direct");

    auto row = [](const char *name, const char *rules, const char *url, bool direct) {
        QTest::newRow(name) << QString::fromUtf8(rules) << QString::fromUtf8(url) << direct;
    };
    row("empty rules", "", "https://registry.example/v2/", false);
    row("star", "*", "https://registry.example/v2/", true);
    // Go takes "*" anywhere in the list (curl only alone): docker and podman are Go programs.
    row("star among others, as in Go", "a.example,*", "https://b.example/", true);
    row("name itself", "example.com", "https://example.com/", true);
    row("name's subdomain", "example.com", "https://registry.example.com/", true);
    row("name's deep subdomain", "example.com", "https://a.b.example.com/", true);
    row("not a suffix of a label", "example.com", "https://badexample.com/", false);
    row("other name", "example.com", "https://example.org/", false);
    row("leading dot: subdomain", ".example.com", "https://registry.example.com/", true);
    row("leading dot: the name too", ".example.com", "https://example.com/", true);
    row("star dot", "*.example.com", "https://registry.example.com/", true);
    row("case of the rule", "EXAMPLE.Com", "https://registry.example.com/", true);
    row("case of the host", "example.com", "https://Registry.EXAMPLE.com/", true);
    row("trailing dot of the host", "example.com", "https://registry.example.com./", true);
    row("trailing dot of the rule", "example.com.", "https://example.com/", true);
    row("rule names a subdomain only", "registry.example.com", "https://example.com/", false);
    row("name with port: that port", "example.com:5000", "http://example.com:5000/", true);
    row("name with port: other port", "example.com:5000", "http://example.com:5001/", false);
    row("name with port: scheme's default", "example.com:443", "https://example.com/", true);
    row("name with port: http default", "example.com:80", "http://example.com/", true);
    row("name with port: default differs", "example.com:80", "https://example.com/", false);
    row("ipv4 literal", "10.1.2.3", "http://10.1.2.3:5000/", true);
    row("ipv4 literal other", "10.1.2.3", "http://10.1.2.4:5000/", false);
    row("ipv4 with port", "10.1.2.3:5000", "http://10.1.2.3:5000/", true);
    row("ipv4 with other port", "10.1.2.3:5000", "http://10.1.2.3:6000/", false);
    row("ipv4 cidr inside", "10.0.0.0/8", "http://10.200.3.4/", true);
    row("ipv4 cidr outside", "10.0.0.0/8", "http://11.0.0.1/", false);
    row("ipv4 cidr /32", "192.168.1.7/32", "http://192.168.1.7/", true);
    row("ipv4 cidr /0", "0.0.0.0/0", "http://8.8.8.8/", true);
    row("ipv6 literal", "fd00::1", "http://[fd00::1]:5000/", true);
    row("ipv6 literal bracketed", "[fd00::1]", "http://[fd00::1]/", true);
    row("ipv6 bracketed with port", "[fd00::1]:5000", "http://[fd00::1]:5000/", true);
    row("ipv6 bracketed other port", "[fd00::1]:5000", "http://[fd00::1]:5001/", false);
    row("ipv6 cidr inside", "fd00::/8", "http://[fd12:3456::1]/", true);
    row("ipv6 cidr outside", "fd00::/8", "http://[fe80::1]/", false);
    row("ipv6 case", "FD00::ABCD", "http://[fd00::abcd]/", true);
    row("cidr never matches a name", "10.0.0.0/8", "http://ten.example/", false);
    row("an address rule never matches a name", "10.1.2.3", "http://host.example/", false);
    row("a name rule never matches an address", "example.com", "http://10.1.2.3/", false);
    row("comma list", "a.example,b.example,c.example", "https://b.example/", true);
    row("spaces around entries", " a.example , b.example ", "https://b.example/", true);
    row("space separated", "a.example b.example", "https://b.example/", true);
    row("tab separated", "a.example\tb.example", "https://b.example/", true);
    row("empty entries", ",,a.example,,", "https://a.example/", true);
    row("only separators", " , ,, ", "https://a.example/", false);
    row("garbage: bad port", "example.com:abc", "https://example.com/", false);
    row("garbage: port zero", "example.com:0", "https://example.com/", false);
    row("garbage: port too large", "example.com:70000", "https://example.com/", false);
    row("garbage: empty host", ":5000", "http://example.com:5000/", false);
    row("garbage: bad cidr prefix", "10.0.0.0/99", "http://10.0.0.1/", false);
    row("garbage: cidr of nothing", "/8", "http://10.0.0.1/", false);
    row("garbage: open bracket", "[fd00::1", "http://[fd00::1]/", false);
    row("garbage: stuff after bracket", "[fd00::1]x", "http://[fd00::1]/", false);
    row("garbage: slashes", "///", "http://a.example/", false);
    row("garbage: a URL", "http://a.example", "http://a.example/", false);
    row("garbage: double dot", "a..example", "http://a..example/", false);
    row("garbage does not spoil the rest", "10.0.0.0/99,[x,b.example", "http://b.example/", true);
    row("bare dot", ".", "http://a.example/", false);
    row("star dot alone", "*.", "http://a.example/", false);
}

void tst_NoProxy::matches()
{
    QFETCH(QString, rules);
    QFETCH(QString, url);
    QFETCH(bool, direct);
    const NoProxyRules parsed = NoProxyRules::parse(rules);
    QCOMPARE(parsed.matches(QUrl(url)), direct);
}

void tst_NoProxy::alwaysDirect_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("direct");
    QTest::newRow("localhost") << u"localhost"_s << true;
    QTest::newRow("LOCALHOST") << u"LOCALHOST"_s << true;
    QTest::newRow("below localhost") << u"registry.localhost"_s << true;
    QTest::newRow("127.0.0.1") << u"127.0.0.1"_s << true;
    QTest::newRow("127.8.9.10") << u"127.8.9.10"_s << true;
    QTest::newRow("::1") << u"::1"_s << true;
    QTest::newRow("[::1]") << u"[::1]"_s << true;
    QTest::newRow("a name") << u"registry.example"_s << false;
    QTest::newRow("localhost as a label") << u"localhost.example"_s << false;
    QTest::newRow("private address") << u"10.0.0.1"_s << false;
    QTest::newRow("ipv6 not loopback") << u"fd00::1"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void tst_NoProxy::alwaysDirect()
{
    QFETCH(QString, host);
    QFETCH(bool, direct);
    QCOMPARE(isAlwaysDirect(host), direct);
}

QTEST_GUILESS_MAIN(tst_NoProxy)
#include "tst_noproxy.moc"
