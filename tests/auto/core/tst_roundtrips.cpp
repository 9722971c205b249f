// Requests and connections per operation, counted by the delaying pipe (tests/shared/delaypipe.h,
// no delay) in front of the real test registries: what a network's round trips would cost
// (issue 25's figures are in docs/PERFORMANCE.md; nothing here is timed). Each operation asks for
// each thing once, shares connections, sends a push's existence check and upload session
// together, and remembers between runs whether an insecure registry speaks HTTP or HTTPS.

#include "asynctest.h"
#include "delaypipe.h"
#include "pushedimage.h"
#include "testhelpers.h"
#include "testservices.h"

#include "common/sha256.h"
#include "http/curlpool.h"
#include "network/networkaccess.h"
#include "registry/endpointmemory.h"
#include "registry/imageinspector.h"
#include "registry/registryclient.h"
#include "registry/registrytags.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// A client as a fresh berthctl run has: nothing known of any registry yet.
struct Client
{
    NetworkAccessManager network;
    RegistryClient client{&network};
};

QString uniqueRepository(const QString &prefix)
{
    return prefix + u'-' + QString::number(QRandomGenerator::global()->generate64(), 16);
}

// "METHOD target-kind" for each request, e.g. "HEAD manifests", "GET blobs".
QStringList requestKinds(const QList<HttpExchange> &exchanges)
{
    QStringList kinds;
    for (const HttpExchange &e : exchanges) {
        const QList<QByteArray> parts = e.target.split('?').first().split('/');
        const QByteArray kind = parts.size() >= 2 ? parts.at(parts.size() - 2) : e.target;
        kinds << QString::fromLatin1(e.method + ' ' + kind);
    }
    return kinds;
}

// What uploadBlobIfMissing reads the blob from, afresh for each attempt.
std::function<std::unique_ptr<QIODevice>()> openerOf(const QByteArray &data)
{
    return [data] {
        auto buffer = std::make_unique<QBuffer>();
        buffer->setData(data);
        buffer->open(QIODevice::ReadOnly);
        return std::unique_ptr<QIODevice>(std::move(buffer));
    };
}

int connectionsSpeaking(const DelayPipe &pipe, const QByteArray &protocol)
{
    int n = 0;
    for (const PipeConnection &c : pipe.connections())
        n += c.protocol == protocol;
    return n;
}

} // namespace

class tst_RoundTrips final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void memoryReadsOnlyWhatItWrote_data();
    void memoryReadsOnlyWhatItWrote();
    void inspectAsksForEachThingOnce();
    void tagsLookUpEachTagAndDigestOnce();
    void pushChecksAndOpensTogether();
    void http2CarriesEverythingOnOneConnection();
    void wrongRememberedSchemeIsProbedAgain_data();
    void wrongRememberedSchemeIsProbedAgain();

private:
    std::unique_ptr<DelayPipe> pipeTo(const QString &upstream, quint16 port = 0);
    void listManyThrough(const DelayPipe &pipe);

    QTemporaryDir m_cache;
    TestRegistry m_plain;
};

void tst_RoundTrips::initTestCase()
{
    QVERIFY(m_cache.isValid());
    // The endpoint memory lives in the cache directory: this test's own.
    qputenv("XDG_CACHE_HOME", QFile::encodeName(m_cache.path()));
    m_plain = TestServices::instance().registry(u"plain"_s);
}

void tst_RoundTrips::init()
{
    QFile::remove(EndpointMemory::path());
}

std::unique_ptr<DelayPipe> tst_RoundTrips::pipeTo(const QString &upstream, quint16 port)
{
    auto pipe = std::make_unique<DelayPipe>(upstream, DelayPipeLink{});
    if (!pipe->listen(port))
        return nullptr;
    return pipe;
}

// berth/many's 300 tags, listed through the pipe by a fresh client that is gone on return (its
// connections closing).
void tst_RoundTrips::listManyThrough(const DelayPipe &pipe)
{
    const auto repository = *ImageReference::parse(QString(pipe.host() + u"/berth/many"_s));
    Client fresh;
    const auto tags = await<QList<TagInfo>>(
        [&](auto done) { listRegistryTags(fresh.client, repository, done); });
    QVERIFY2(tags, why(tags));
    QCOMPARE(tags->size(), 300);
}

void tst_RoundTrips::memoryReadsOnlyWhatItWrote_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<bool>("recalled");
    const QByteArray now = QByteArray::number(QDateTime::currentSecsSinceEpoch());
    const QByteArray weekAgo = QByteArray::number(QDateTime::currentSecsSinceEpoch() - 8 * 86400);
    const QByteArray tomorrow = QByteArray::number(QDateTime::currentSecsSinceEpoch() + 86400);
    QTest::newRow("fresh") << R"({"r:5000":{"endpoint":"http://r:5000","seen":)" + now + "}}"
                           << true;
    QTest::newRow("https") << R"({"r:5000":{"endpoint":"https://r:5000","seen":)" + now + "}}"
                           << true;
    QTest::newRow("older than a week")
        << R"({"r:5000":{"endpoint":"http://r:5000","seen":)" + weekAgo + "}}" << false;
    QTest::newRow("seen in the future")
        << R"({"r:5000":{"endpoint":"http://r:5000","seen":)" + tomorrow + "}}" << false;
    QTest::newRow("another scheme")
        << R"({"r:5000":{"endpoint":"ftp://r:5000","seen":)" + now + "}}" << false;
    QTest::newRow("a path") << R"({"r:5000":{"endpoint":"http://r:5000/v2/","seen":)" + now + "}}"
                            << false;
    QTest::newRow("not json") << QByteArray("http://r:5000") << false;
    QTest::newRow("an array") << QByteArray(R"([{"endpoint":"http://r:5000"}])") << false;
    QTest::newRow("no seen") << QByteArray(R"({"r:5000":{"endpoint":"http://r:5000"}})") << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("huge") << QByteArray(300 * 1024, ' ') + "{}" << false;
}

void tst_RoundTrips::memoryReadsOnlyWhatItWrote()
{
    QFETCH(QByteArray, file);
    QFETCH(bool, recalled);
    QVERIFY(QDir().mkpath(QFileInfo(EndpointMemory::path()).absolutePath()));
    QFile out(EndpointMemory::path());
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(file);
    out.close();
    QCOMPARE(EndpointMemory::recall(u"r:5000"_s).has_value(), recalled);
    // Whatever was there, what is remembered next is read back, and forgotten.
    EndpointMemory::remember(u"q:1"_s, QUrl(u"http://q:1"_s));
    QCOMPARE(EndpointMemory::recall(u"q:1"_s), std::optional<QUrl>(QUrl(u"http://q:1"_s)));
    EndpointMemory::forget(u"q:1"_s);
    QVERIFY(!EndpointMemory::recall(u"q:1"_s));
}

// The manifest once, its config once, on one connection; the HTTPS probe of this plain-HTTP
// registry only the first time: the next run remembers.
void tst_RoundTrips::inspectAsksForEachThingOnce()
{
    Client seed;
    const auto repository = *ImageReference::parse(
        QString(m_plain.host + u'/' + uniqueRepository(u"roundtrips/inspect"_s)));
    VERIFY_OK(pushSmallImage(seed.client, repository, {u"v1"_s}));

    quint16 port = 0; // the second run reaches the registry by the same name
    for (int run = 0; run < 2; ++run) {
        auto pipe = pipeTo(m_plain.host, port);
        QVERIFY(pipe);
        port = pipe->port();
        const auto reference
            = *ImageReference::parse(QString(pipe->host() + u'/' + repository.path() + u":v1"_s));
        {
            Client fresh;
            const auto inspected = await<InspectResult>(
                [&](auto done) { inspectImage(fresh.client, reference, {}, done); });
            QVERIFY2(inspected, why(inspected));
            QCOMPARE(inspected->images.size(), 1);
        }
        // Closed once the client is gone.
        QTRY_COMPARE_WITH_TIMEOUT(connectionsSpeaking(*pipe, "http"), 1, 30000);
        QCOMPARE(requestKinds(pipe->exchanges()),
                 QStringList({u"GET manifests"_s, u"GET blobs"_s}));
        QCOMPARE(connectionsSpeaking(*pipe, "tls"), run == 0 ? 1 : 0);
    }
}

// berth/many: 300 tags over 20 digests. Each tag's HEAD once, each digest's manifest and config
// once, the HEADs spread over many connections (a few rounds, not 50).
void tst_RoundTrips::tagsLookUpEachTagAndDigestOnce()
{
    auto pipe = pipeTo(m_plain.host);
    QVERIFY(pipe);
    listManyThrough(*pipe);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(connectionsSpeaking(*pipe, "http") >= 2, 30000);
    const QStringList kinds = requestKinds(pipe->exchanges());
    QCOMPARE(kinds.count(u"GET tags"_s), 1);
    QCOMPARE(kinds.count(u"HEAD manifests"_s), 300);
    QCOMPARE(kinds.count(u"GET manifests"_s), 20);
    QCOMPARE(kinds.count(u"GET blobs"_s), 20);
    QCOMPARE(kinds.size(), 341);
    QStringList targets;
    for (const HttpExchange &e : pipe->exchanges())
        targets << QString::fromLatin1(e.method + ' ' + e.target);
    targets.removeDuplicates();
    QCOMPARE(targets.size(), 341);
    const int connections = connectionsSpeaking(*pipe, "http");
    // More than Qt's 6, at most the pool's limit a host.
    QVERIFY2(connections > 6 && connections <= CurlPoolOptions().maxHostConnections,
             qPrintable(QString::number(connections)));
}

// A push's blob: its HEAD and the upload session's POST go together, then the PUT; a blob the
// registry holds already gets its session dropped (DELETE) instead of a PUT.
void tst_RoundTrips::pushChecksAndOpensTogether()
{
    auto pipe = pipeTo(m_plain.host);
    QVERIFY(pipe);
    const auto repository = *ImageReference::parse(
        QString(pipe->host() + u'/' + uniqueRepository(u"roundtrips/push"_s)));
    constexpr int Blobs = 6;
    QList<QByteArray> blobs;
    for (int i = 0; i < Blobs; ++i)
        blobs << randomBytes(2048 + i);
    Client fresh;
    for (bool expectUpload : {true, false}) {
        const qsizetype before = pipe->exchanges().size();
        int answered = 0;
        QList<bool> uploaded(Blobs, !expectUpload);
        for (int i = 0; i < Blobs; ++i) {
            const QByteArray data = blobs.at(i);
            fresh.client.uploadBlobIfMissing(repository,
                                             *Digest::parse(Sha256::digestOf(data)),
                                             data.size(),
                                             openerOf(data),
                                             {},
                                             [&, i](Result<bool> r) {
                                                 QVERIFY2(r, why(r));
                                                 uploaded[i] = *r;
                                                 ++answered;
                                             });
        }
        QTRY_COMPARE_WITH_TIMEOUT(answered, Blobs, 60000);
        QCOMPARE(uploaded, QList<bool>(Blobs, expectUpload));
        // The DELETEs nobody waits for.
        QTRY_COMPARE_WITH_TIMEOUT(pipe->exchanges().size(), before + 3 * Blobs, 30000);
        QStringList kinds = requestKinds(pipe->exchanges().mid(before));
        kinds.sort();
        QStringList expected;
        for (int i = 0; i < Blobs; ++i)
            expected << u"HEAD blobs"_s << u"POST uploads"_s
                     << (expectUpload ? u"PUT uploads"_s : u"DELETE uploads"_s);
        expected.sort();
        QCOMPARE(kinds, expected);
    }
}

// A TLS registry speaks HTTP/2: a 300-tag look-up rides one connection (plus the endpoint probe,
// which Qt's stack makes).
void tst_RoundTrips::http2CarriesEverythingOnOneConnection()
{
    auto pipe = pipeTo(TestServices::instance().tlsRegistry().host);
    QVERIFY(pipe);
    listManyThrough(*pipe);
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(connectionsSpeaking(*pipe, "tls") >= 2, 30000);
    QCOMPARE(connectionsSpeaking(*pipe, "tls"), 2);
}

void tst_RoundTrips::wrongRememberedSchemeIsProbedAgain_data()
{
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("push");
    QTest::newRow("plain registry remembered as https, tags") << false << false;
    QTest::newRow("TLS registry remembered as http, tags") << true << false;
    // A push starts with a HEAD (whose 400 has no body) and a POST at once.
    QTest::newRow("plain registry remembered as https, push") << false << true;
    QTest::newRow("TLS registry remembered as http, push") << true << true;
}

// The registry changed since the last run: the remembered scheme fails, Berth probes again,
// the operation succeeds and the memory is put right.
void tst_RoundTrips::wrongRememberedSchemeIsProbedAgain()
{
    QFETCH(bool, tls);
    QFETCH(bool, push);
    const TestRegistry registry = tls ? TestServices::instance().tlsRegistry() : m_plain;
    auto pipe = pipeTo(registry.host);
    QVERIFY(pipe);
    const QString wrong = (tls ? u"http://"_s : u"https://"_s) + pipe->host();
    const QString right = (tls ? u"https://"_s : u"http://"_s) + pipe->host();
    EndpointMemory::remember(pipe->host(), QUrl(wrong));
    Client fresh;
    if (push) {
        const auto repository = *ImageReference::parse(
            QString(pipe->host() + u'/' + uniqueRepository(u"roundtrips/rescheme"_s)));
        const QByteArray data = randomBytes(4096);
        const auto uploaded = await<bool>([&](auto done) {
            fresh.client.uploadBlobIfMissing(repository,
                                             *Digest::parse(Sha256::digestOf(data)),
                                             data.size(),
                                             openerOf(data),
                                             {},
                                             done);
        });
        QVERIFY2(uploaded, why(uploaded));
        QVERIFY(*uploaded);
    } else {
        const auto repository = *ImageReference::parse(QString(pipe->host() + u"/berth/many"_s));
        const auto tags
            = await<QStringList>([&](auto done) { fresh.client.listTags(repository, done); });
        QVERIFY2(tags, why(tags));
        QCOMPARE(tags->size(), 300);
    }
    QCOMPARE(EndpointMemory::recall(pipe->host()), std::optional<QUrl>(QUrl(right)));
}

QTEST_GUILESS_MAIN(tst_RoundTrips)
#include "tst_roundtrips.moc"
