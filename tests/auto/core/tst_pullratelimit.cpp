#include "registry/pullratelimit.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

// "Name: value" lines, as an answer's head carries them (the name up to the first colon).
Headers headers(const QByteArray &lines)
{
    Headers out;
    for (const QByteArray &line : lines.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            out.append({line.first(colon), line.mid(colon + 1)});
    }
    return out;
}

// "limit=100 remaining=76 window=21600 source=192.0.2.1", unknown fields as "-"; "none" when
// the answer states nothing.
QString describe(const std::optional<PullRateLimit> &limit)
{
    if (!limit)
        return u"none"_s;
    auto number = [](int n) {
        return n < 0 ? u"-"_s : QString::number(n);
    };
    return u"limit=%1 remaining=%2 window=%3 source=%4"_s.arg(
        number(limit->limit),
        number(limit->remaining),
        number(limit->windowSeconds),
        limit->source.isEmpty() ? u"-"_s : limit->source);
}

} // namespace

class tst_PullRateLimit final : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void knownOnlyWithACount();
    void randomInputNeverCrashes();
};

void tst_PullRateLimit::parse_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QString>("expected");

    // What Docker Hub sends.
    QTest::newRow("docker hub") << QByteArray("ratelimit-limit: 100;w=21600\n"
                                              "ratelimit-remaining: 76;w=21600\n"
                                              "docker-ratelimit-source: 192.0.2.1")
                                << u"limit=100 remaining=76 window=21600 source=192.0.2.1"_s;
    QTest::newRow("names in any case")
        << QByteArray("RateLimit-Limit: 200;w=21600\n"
                      "RATELIMIT-REMAINING: 0;w=21600\n"
                      "Docker-RateLimit-Source: 5f2a-account")
        << u"limit=200 remaining=0 window=21600 source=5f2a-account"_s;
    QTest::newRow("spaces") << QByteArray("ratelimit-limit:   100 ; w = 21600  \n"
                                          "ratelimit-remaining:\t76\t;\tw=21600")
                            << u"limit=100 remaining=76 window=21600 source=-"_s;
    QTest::newRow("no window") << QByteArray("ratelimit-limit: 100\nratelimit-remaining: 3")
                               << u"limit=100 remaining=3 window=- source=-"_s;
    QTest::newRow("window only on remaining")
        << QByteArray("ratelimit-limit: 100\nratelimit-remaining: 3;w=60")
        << u"limit=100 remaining=3 window=60 source=-"_s;
    QTest::newRow("the limit's window wins")
        << QByteArray("ratelimit-remaining: 3;w=60\nratelimit-limit: 100;w=3600")
        << u"limit=100 remaining=3 window=3600 source=-"_s;
    QTest::newRow("extra parameters") << QByteArray("ratelimit-limit: 100;burst=5;W=21600;x")
                                      << u"limit=100 remaining=- window=21600 source=-"_s;
    QTest::newRow("quoted window") << QByteArray("ratelimit-limit: 100;w=\"21600\"")
                                   << u"limit=100 remaining=- window=21600 source=-"_s;
    QTest::newRow("draft list, first item")
        << QByteArray("ratelimit-limit: 100, 100;w=21600, 1000;w=86400")
        << u"limit=100 remaining=- window=- source=-"_s;
    QTest::newRow("first of repeated headers")
        << QByteArray("ratelimit-remaining: 5;w=10\nratelimit-remaining: 7;w=20")
        << u"limit=- remaining=5 window=10 source=-"_s;
    QTest::newRow("remaining alone") << QByteArray("ratelimit-remaining: 12;w=21600")
                                     << u"limit=- remaining=12 window=21600 source=-"_s;
    QTest::newRow("source alone") << QByteArray("docker-ratelimit-source: 192.0.2.1")
                                  << u"limit=- remaining=- window=- source=192.0.2.1"_s;
    QTest::newRow("nothing stated") << QByteArray("Content-Type: application/json\n"
                                                  "Docker-Content-Digest: sha256:00")
                                    << u"none"_s;
    QTest::newRow("no headers") << QByteArray() << u"none"_s;

    // Hostile or broken values: each field stands or falls alone.
    QTest::newRow("empty values") << QByteArray("ratelimit-limit:\nratelimit-remaining: ;w=")
                                  << u"none"_s;
    QTest::newRow("negative") << QByteArray("ratelimit-limit: -1;w=21600\n"
                                            "ratelimit-remaining: 4;w=-5")
                              << u"limit=- remaining=4 window=21600 source=-"_s;
    QTest::newRow("past an int") << QByteArray("ratelimit-limit: 2147483648;w=21600\n"
                                               "ratelimit-remaining: 2147483647;w=99999999999")
                                 << u"limit=- remaining=2147483647 window=21600 source=-"_s;
    QTest::newRow("huge") << QByteArray("ratelimit-limit: " + QByteArray(5000, '9') + ";w=1")
                          << u"none"_s;
    QTest::newRow("not numbers") << QByteArray("ratelimit-limit: lots;w=soon\n"
                                               "ratelimit-remaining: 1e3\n"
                                               "docker-ratelimit-source: 10.0.0.1")
                                 << u"limit=- remaining=- window=- source=10.0.0.1"_s;
    QTest::newRow("fractions and signs") << QByteArray("ratelimit-limit: 10.5\n"
                                                       "ratelimit-remaining: +7;w=0x10")
                                         << u"none"_s;
    QTest::newRow("zero window") << QByteArray("ratelimit-limit: 100;w=0")
                                 << u"limit=100 remaining=- window=- source=-"_s;
    QTest::newRow("control characters in the source")
        << QByteArray("ratelimit-limit: 1\ndocker-ratelimit-source: a\x1b[2Jb")
        << u"limit=1 remaining=- window=- source=-"_s;
    QTest::newRow("long source") << QByteArray("ratelimit-limit: 1\ndocker-ratelimit-source: "
                                               + QByteArray(300, 'a'))
                                 << u"limit=1 remaining=- window=- source=-"_s;
    QTest::newRow("semicolons only") << QByteArray("ratelimit-limit: ;;;;\n"
                                                   "ratelimit-remaining: ;w=5")
                                     << u"none"_s;
}

void tst_PullRateLimit::parse()
{
    QFETCH(QByteArray, head);
    QFETCH(QString, expected);
    QCOMPARE(describe(parsePullRateLimit(headers(head))), expected);
}

void tst_PullRateLimit::knownOnlyWithACount()
{
    const auto sourceOnly = parsePullRateLimit(headers("docker-ratelimit-source: 192.0.2.1"));
    QVERIFY(sourceOnly);
    QVERIFY(!sourceOnly->isKnown());
    const auto remaining = parsePullRateLimit(headers("ratelimit-remaining: 0"));
    QVERIFY(remaining);
    QVERIFY(remaining->isKnown());
    QCOMPARE(remaining->remaining, 0);
}

void tst_PullRateLimit::randomInputNeverCrashes()
{
    // Values built from the characters the grammar cares about, so the parser's every branch
    // sees nonsense; whatever it returns must be in range.
    const QByteArray alphabet = "0123456789;=w, \t\"-+.x";
    QRandomGenerator random(23);
    for (int round = 0; round < 2000; ++round) {
        QByteArray value;
        const int length = random.bounded(40);
        for (int i = 0; i < length; ++i)
            value += alphabet.at(random.bounded(alphabet.size()));
        const auto limit = parsePullRateLimit(
            {{"ratelimit-limit", value}, {"ratelimit-remaining", value.mid(length / 2)}});
        if (!limit)
            continue;
        QVERIFY2(limit->limit >= -1 && limit->remaining >= -1, value.constData());
        QVERIFY2(limit->windowSeconds == -1 || limit->windowSeconds > 0, value.constData());
    }
}

QTEST_GUILESS_MAIN(tst_PullRateLimit)
#include "tst_pullratelimit.moc"
