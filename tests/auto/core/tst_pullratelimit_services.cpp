// The transport against the test services' pull-limit front: it records what a manifest answer
// states, a HEAD leaves the remaining count alone, a GET takes one.

#include "asynctest.h"
#include "pulllimitfixture.h"
#include "testhelpers.h"
#include "testservices.h"

#include "registry/registryclient.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

class tst_PullRateLimitServices final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void headRecordsTheLimit();
    void headsCostNothingGetCostsOne();
    void plainRegistryStatesNothing();
    void streamedAnswersToo();

private:
    std::optional<PullRateLimit> head(const ImageReference &reference);

    PullLimitFront m_front;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
};

void tst_PullRateLimitServices::initTestCase()
{
    m_front = PullLimitFront::instance();
    QVERIFY2(!m_front.host.isEmpty(), "services.json has no ratelimit front");
    QVERIFY(m_front.limit > 0);
}

void tst_PullRateLimitServices::init()
{
    // A fresh transport per test: nothing remembered from another test's answers.
    m_client.reset();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
}

std::optional<PullRateLimit> tst_PullRateLimitServices::head(const ImageReference &reference)
{
    const auto r
        = await<ManifestResponse>([&](auto done) { m_client->headManifest(reference, done); });
    if (!r)
        qWarning() << "HEAD failed:" << describe(r.error());
    return r ? m_client->transport().pullRateLimit(reference.domain()) : std::nullopt;
}

void tst_PullRateLimitServices::headRecordsTheLimit()
{
    QString problem;
    const QString seeded = m_front.seedRepository(u"ratelimit/transport"_s, &problem);
    QVERIFY2(!seeded.isEmpty(), qPrintable(problem));
    const ImageReference reference = parseReference(seeded);
    QVERIFY(!m_client->transport().pullRateLimit(m_front.host));

    QSignalSpy seen(&m_client->transport(), &RegistryTransport::pullRateLimitSeen);
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    const auto limit = head(reference);
    QVERIFY(limit);
    QCOMPARE(limit->limit, m_front.limit);
    QCOMPARE(limit->remaining, m_front.limit);
    QCOMPARE(limit->windowSeconds, m_front.window);
    QCOMPARE(limit->source, m_front.source);
    QVERIFY(limit->seen >= before);
    QCOMPARE(limit->seen.timeSpec(), Qt::UTC);

    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.first().at(0).toString(), m_front.host);
    QCOMPARE(seen.first().at(1).value<PullRateLimit>().remaining, m_front.limit);
}

void tst_PullRateLimitServices::headsCostNothingGetCostsOne()
{
    QString problem;
    const QString seeded = m_front.seedRepository(u"ratelimit/counting"_s, &problem);
    QVERIFY2(!seeded.isEmpty(), qPrintable(problem));
    const ImageReference reference = parseReference(seeded);

    for (int i = 0; i < 3; ++i) {
        const auto limit = head(reference);
        QVERIFY(limit);
        QCOMPARE(limit->remaining, m_front.limit);
    }
    const auto fetched
        = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(reference, done); });
    QVERIFY2(fetched, why(fetched));
    const auto afterGet = m_client->transport().pullRateLimit(m_front.host);
    QVERIFY(afterGet);
    QCOMPARE(afterGet->remaining, m_front.limit - 1);
    QCOMPARE(afterGet->limit, m_front.limit);
    // The next HEAD states the same count: the GET alone was a pull.
    const auto again = head(reference);
    QVERIFY(again);
    QCOMPARE(again->remaining, m_front.limit - 1);

    // The front saw exactly what the transport sent: four HEADs and one GET of the manifest.
    const QStringList requests = m_front.manifestRequests(reference.path());
    QCOMPARE(requests.filter(QRegularExpression(u"^HEAD .* 200$"_s)).size(), 4);
    QCOMPARE(requests.filter(QRegularExpression(u"^GET .* 200$"_s)).size(), 1);
}

void tst_PullRateLimitServices::plainRegistryStatesNothing()
{
    const auto &services = TestServices::instance();
    const QJsonObject busybox = services.image(u"busybox"_s);
    const ImageReference reference
        = parseReference(services.registry(u"plain"_s).host + u'/'
                         + busybox.value(u"repository").toString() + u":1.0"_s);
    QSignalSpy seen(&m_client->transport(), &RegistryTransport::pullRateLimitSeen);
    const auto r
        = await<ManifestResponse>([&](auto done) { m_client->headManifest(reference, done); });
    QVERIFY2(r, why(r));
    QVERIFY(!m_client->transport().pullRateLimit(reference.domain()));
    QCOMPARE(seen.size(), 0);
}

// A streamed body goes through libcurl, not Qt's stack: its answer's headers are read as well.
void tst_PullRateLimitServices::streamedAnswersToo()
{
    QString problem;
    const QString seeded = m_front.seedRepository(u"ratelimit/streamed"_s, &problem);
    QVERIFY2(!seeded.isEmpty(), qPrintable(problem));
    const ImageReference reference = parseReference(seeded);

    RegistryRequest request;
    request.registry = reference.domain();
    request.path = u"/v2/%1/manifests/%2"_s.arg(reference.path(), reference.tag());
    request.scopes = {u"repository:%1:pull"_s.arg(reference.path())};
    request.headers = {{"Accept",
                        "application/vnd.oci.image.manifest.v1+json, "
                        "application/vnd.docker.distribution.manifest.v2+json"}};
    request.what = reference.toString();
    QByteArray body;
    request.onData = [&body](QByteArrayView chunk) {
        body += chunk;
        return Status();
    };
    QSignalSpy seen(&m_client->transport(), &RegistryTransport::pullRateLimitSeen);
    const auto r
        = await<RegistryResponse>([&](auto done) { m_client->transport().send(request, done); });
    QVERIFY2(r, why(r));
    QVERIFY(r->streamedBytes > 0);
    QCOMPARE(r->streamedBytes, body.size());
    QCOMPARE(seen.size(), 1);
    const auto limit = m_client->transport().pullRateLimit(m_front.host);
    QVERIFY(limit);
    QCOMPARE(limit->remaining, m_front.limit - 1); // a GET, even streamed, is a pull
    QCOMPARE(limit->windowSeconds, m_front.window);
}

QTEST_GUILESS_MAIN(tst_PullRateLimitServices)
#include "tst_pullratelimit_services.moc"
