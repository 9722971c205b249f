// Faults on the wire (issue 8), between Berth and the real registries of the test services through
// tests/shared/faultproxy.h: connection drops at seeded random offsets across manifest, config and
// layer GETs and upload PATCH/PUTs, stalls against the transfer timeout, 5xx and 429 answers, lying
// Content-Lengths, wrong bodies, redirects to another host, and TLS with an untrusted certificate.
// Every transfer must either complete with content verified against the registry's digest or fail
// with a message naming what failed; retries are counted in the proxy's log and must stay bounded;
// an embedded store filled under faults must pass fsck. The seed is printed (set BERTH_FAULT_SEED
// to replay a run) and the last line is a summary of the faults injected and survived.

#include "asynctest.h"
#include "berthctlrunner.h"
#include "faultproxy.h"
#include "registryfaultfixture.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "common/sha256.h"
#include "oci/manifest.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

constexpr int MaxAttempts = 4;
const int MaxResumes = BlobDownloadOptions().maxResumes;
// Qt re-sends a request once on a fresh connection when the first closed before any answer.
constexpr int QtResends = 2;
// RegistryClient starts a failed upload again from a new session, this many times in all.
constexpr int UploadAttempts = 3;

QString fixtureDigest()
{
    return TestServices::instance().image(u"busybox"_s).value(u"digest").toString();
}

// What happened to the faults of one kind, for the summary line and docs/RELIABILITY.md.
struct Tally
{
    int injected = 0;  // faults the proxy applied
    int transfers = 0; // transfers that met at least one
    int recovered = 0; // of those, completed with verified content
    int failed = 0;    // of those, failed with a clear message (nothing kept)
};

QMap<QString, Tally> &tallies()
{
    static QMap<QString, Tally> t;
    return t;
}

void count(const QString &kind, int injected, bool recovered)
{
    if (injected <= 0)
        return;
    Tally &t = tallies()[kind];
    t.injected += injected;
    ++t.transfers;
    ++(recovered ? t.recovered : t.failed);
}

int iterations(const char *variable, int otherwise)
{
    bool ok = false;
    const int n = qEnvironmentVariableIntValue(variable, &ok);
    return ok && n > 0 ? n : otherwise;
}

} // namespace

class tst_WireFaults final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void dropSweepDownloads();
    void dropSweepUploads();
    void dropSweepPulls();
    void stallShorterThanTimeout_data();
    void stallShorterThanTimeout();
    void stallLongerThanTimeout_data();
    void stallLongerThanTimeout();
    void serverErrors_data();
    void serverErrors();
    void uploadServerError();
    void uploadRecovers_data();
    void uploadRecovers();
    void rateLimited_data();
    void rateLimited();
    void wrongContentLength_data();
    void wrongContentLength();
    void wrongBody_data();
    void wrongBody();
    void redirectElsewhere_data();
    void redirectElsewhere();
    void tlsUntrustedRefused();
    void tlsInsecureAccepted();
    void tlsBerthctlPull();
    void tlsFailureDoesNotFallBackToHttp();

private:
    bool startProxy(const QString &flavour);
    ImageReference busybox() const
    {
        return parseReference(m_proxy->host() + u"/berth/busybox:1.0"_s);
    }
    std::optional<ImageManifest> busyboxManifest();
    Result<qint64> download(const ImageReference &repository,
                            const Descriptor &blob,
                            QByteArray *content,
                            BlobDownloadOptions options = {});
    Result<void> upload(const ImageReference &repository, const QByteArray &data, qint64 chunkSize);
    // A failure's message names the registry, the repository or the digest involved.
    static bool isClear(const Error &e, const QStringList &names);
    void setTransport(int maxAttempts, int timeoutMs);

    quint32 m_seed = 0;
    QRandomGenerator m_random;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TestCredentials> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<FaultProxy> m_proxy;
    QElapsedTimer m_clock;
};

void tst_WireFaults::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
    bool ok = false;
    m_seed = qEnvironmentVariable("BERTH_FAULT_SEED").toUInt(&ok);
    if (!ok)
        m_seed = QRandomGenerator::system()->generate();
    m_random.seed(m_seed);
    qInfo("wirefaults: seed %u (BERTH_FAULT_SEED=%u replays this run)", m_seed, m_seed);
    m_clock.start();
}

void tst_WireFaults::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_credentials = std::make_unique<TestCredentials>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_client->setCredentialProvider(m_credentials.get());
    setTransport(MaxAttempts, 60000);
}

void tst_WireFaults::setTransport(int maxAttempts, int timeoutMs)
{
    RegistryTransportOptions options = quickRetries(maxAttempts);
    options.transferTimeoutMs = timeoutMs;
    m_client->transport().setOptions(options);
}

void tst_WireFaults::cleanup()
{
    m_client.reset();
    m_proxy.reset();
    m_credentials.reset();
    m_network.reset();
}

void tst_WireFaults::cleanupTestCase()
{
    Tally all;
    QStringList parts;
    for (auto it = tallies().cbegin(); it != tallies().cend(); ++it) {
        const Tally &t = *it;
        all.injected += t.injected;
        all.transfers += t.transfers;
        all.recovered += t.recovered;
        all.failed += t.failed;
        parts << u"%1 %2 in %3 transfers (%4 recovered, %5 failed cleanly)"_s.arg(it.key())
                     .arg(t.injected)
                     .arg(t.transfers)
                     .arg(t.recovered)
                     .arg(t.failed);
    }
    qInfo("wirefaults: %s", qPrintable(parts.join(u"; "_s)));
    qInfo("wirefaults summary: seed %u, %d faults injected in %d transfers: %d completed with "
          "verified content, %d failed with a clear message, 0 corrupt results kept; %.1f s",
          m_seed,
          all.injected,
          all.transfers,
          all.recovered,
          all.failed,
          m_clock.elapsed() / 1000.0);
}

bool tst_WireFaults::startProxy(const QString &flavour)
{
    m_proxy = startFaultProxy(flavour, *m_credentials);
    return m_proxy != nullptr;
}

std::optional<ImageManifest> tst_WireFaults::busyboxManifest()
{
    return fetchImageManifest(*m_client, busybox());
}

Result<qint64> tst_WireFaults::download(const ImageReference &repository,
                                        const Descriptor &blob,
                                        QByteArray *content,
                                        BlobDownloadOptions options)
{
    return downloadBlobInto(*m_client, repository, blob.digest, content, std::move(options));
}

Result<void>
tst_WireFaults::upload(const ImageReference &repository, const QByteArray &data, qint64 chunkSize)
{
    const Digest digest = *Digest::parse(Sha256::digestOf(data));
    BlobUploadOptions options;
    options.chunkSize = chunkSize;
    return await<void>([&](auto done) {
        m_client->uploadBlob(
            repository,
            digest,
            data.size(),
            [data] {
                auto buffer = std::make_unique<QBuffer>();
                buffer->setData(data);
                buffer->open(QIODevice::ReadOnly);
                return std::unique_ptr<QIODevice>(std::move(buffer));
            },
            options,
            done);
    });
}

bool tst_WireFaults::isClear(const Error &e, const QStringList &names)
{
    if (e.message.isEmpty() || e.kind == Error::Kind::Cancelled)
        return false;
    for (const QString &name : names) {
        if (e.message.contains(name))
            return true;
    }
    return false;
}

void tst_WireFaults::dropSweepDownloads()
{
    // Seeded drops at offsets spread over each object's whole length: a manifest by tag, the
    // config, the largest layer. 1–3 drops must be survived (retries, then Range resumes); drops on
    // every answer must end in a clear network error after a bounded number of requests.
    QVERIFY(startProxy(u"plain"_s));
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    const Descriptor layer
        = *std::max_element(manifest->layers.begin(),
                            manifest->layers.end(),
                            [](const auto &a, const auto &b) { return a.size < b.size; });
    const Descriptor config = manifest->config;
    const QString digest = fixtureDigest();
    auto sizeOfManifest
        = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(busybox(), done); });
    VERIFY_OK(sizeOfManifest);
    const qint64 manifestSize = sizeOfManifest->body.size();
    const QStringList names{m_proxy->host(), u"berth/busybox"_s};

    const int rounds = iterations("BERTH_FAULT_DOWNLOADS", 150);
    for (int round = 0; round < rounds; ++round) {
        const int object = int(m_random.bounded(3)); // 0 manifest, 1 config, 2 layer
        const qint64 size = object == 0 ? manifestSize : object == 1 ? config.size : layer.size;
        const qint64 offset = qint64(m_random.bounded(quint64(size)));
        const bool always = m_random.bounded(8) == 0;
        const int times = always ? -1 : 1 + int(m_random.bounded(3));
        const QString path
            = object == 0 ? manifestPath(u"berth/busybox"_s) : blobPath(u"berth/busybox"_s);
        const QString where = u"round %1: %2 drop%3 after %4 of %5 bytes"_s.arg(round)
                                  .arg(object == 0   ? u"manifest"_s
                                       : object == 1 ? u"config"_s
                                                     : u"layer"_s)
                                  .arg(always ? u"s on every answer"_s : u" ×%1"_s.arg(times))
                                  .arg(offset)
                                  .arg(size);
        m_proxy->clearRules();
        m_proxy->clearLog();
        const int rule = m_proxy->addRule(FaultRule::dropAfter("GET", path, offset, times));

        bool ok = false;
        Error error;
        if (object == 0) {
            auto fetched = await<ManifestResponse>(
                [&](auto done) { m_client->fetchManifest(busybox(), done); });
            if (fetched) {
                QCOMPARE(fetched->digest.toString(), digest);
                QCOMPARE(Sha256::digestOf(fetched->body), digest);
                ok = true;
            } else {
                error = fetched.error();
            }
        } else {
            const Descriptor &blob = object == 1 ? config : layer;
            QByteArray content;
            BlobDownloadOptions options;
            options.expectedSize = blob.size;
            auto downloaded = download(busybox(), blob, &content, options);
            if (downloaded) {
                QCOMPARE(*downloaded, blob.size);
                QCOMPARE(Sha256::digestOf(content), blob.digest.toString());
                ok = true;
            } else {
                error = downloaded.error();
            }
        }
        const int injected = m_proxy->applied(rule);
        count(u"drop (GET)"_s, injected, ok);
        QVERIFY2(injected >= 1, qPrintable(where + u'\n' + requestLog(*m_proxy)));
        if (!always)
            QVERIFY2(ok,
                     qPrintable(where + u": " + describe(error) + u'\n' + requestLog(*m_proxy)));
        if (!ok) {
            QVERIFY2(error.kind == Error::Kind::Network, qPrintable(where + describe(error)));
            QVERIFY2(isClear(error, names), qPrintable(where + describe(error)));
        }
        // Bounded: the transport's attempts for the first request, then one request per resume.
        const int bound = (MaxAttempts + MaxResumes) * QtResends;
        QVERIFY2(m_proxy->matched(rule) <= bound, qPrintable(where + u'\n' + requestLog(*m_proxy)));
    }
}

void tst_WireFaults::dropSweepUploads()
{
    // Seeded drops while pushing: the connection closed after a random number of body bytes of a
    // PATCH chunk or a monolithic PUT (nothing reaches the registry), or after the registry acted
    // on the request but before its answer (POST, PATCH, PUT). One fault never fails an upload:
    // a step that loses its connection starts the upload again (or, for a final PUT whose answer
    // was lost, finds the blob already there), and the registry then serves exactly the blob.
    QVERIFY(startProxy(u"basic"_s));
    const ImageReference repository
        = parseReference(m_proxy->host() + u"/berth/wirefaults-upload"_s);
    const QStringList names{m_proxy->host(), u"wirefaults-upload"_s};
    const int rounds = iterations("BERTH_FAULT_UPLOADS", 60);
    for (int round = 0; round < rounds; ++round) {
        QByteArray data(100 * 1024 + int(m_random.bounded(200 * 1024)), Qt::Uninitialized);
        for (qsizetype i = 0; i < data.size(); i += 4) {
            const quint32 word = m_random.generate();
            memcpy(data.data() + i, &word, std::min<qsizetype>(4, data.size() - i));
        }
        const Digest digest = *Digest::parse(Sha256::digestOf(data));
        const bool chunked = m_random.bounded(2) == 0;
        const qint64 chunkSize = chunked ? 64 * 1024 : 0;
        const int kind = int(m_random.bounded(4)); // 0,1 drop request; 2 drop answer; 3 POST answer
        QByteArray verb = chunked ? (m_random.bounded(3) == 0 ? "PUT" : "PATCH") : "PUT";
        m_proxy->clearRules();
        m_proxy->clearLog();
        int rule = -1;
        QString what;
        if (kind <= 1 && verb == "PATCH") {
            const qint64 offset = qint64(m_random.bounded(quint32(chunkSize)));
            rule = m_proxy->addRule(
                FaultRule::dropRequest("PATCH", uploadPath(u"berth/wirefaults-upload"_s), offset));
            what = u"PATCH dropped after %1 bytes"_s.arg(offset);
        } else if (kind <= 1 && !chunked) {
            const qint64 offset = qint64(m_random.bounded(quint32(data.size())));
            rule = m_proxy->addRule(
                FaultRule::dropRequest("PUT", uploadPath(u"berth/wirefaults-upload"_s), offset));
            what = u"PUT dropped after %1 of %2 bytes"_s.arg(offset).arg(data.size());
        } else {
            if (kind == 3)
                verb = "POST";
            rule = m_proxy->addRule(
                FaultRule::dropAnswer(verb, uploadPath(u"berth/wirefaults-upload"_s)));
            what = QString::fromLatin1(verb) + u" answer dropped"_s;
        }
        what = u"round %1 (%2, %3 bytes): "_s.arg(round)
                   .arg(chunked ? u"chunked"_s : u"monolithic"_s)
                   .arg(data.size())
               + what;
        auto uploaded = upload(repository, data, chunkSize);
        const int injected = m_proxy->applied(rule);
        count(u"drop (upload)"_s, injected, bool(uploaded));
        QVERIFY2(injected == 1, qPrintable(what + u'\n' + requestLog(*m_proxy)));
        if (!uploaded) {
            QVERIFY2(isClear(uploaded.error(), names),
                     qPrintable(what + describe(uploaded.error())));
            QFAIL(qPrintable(what + u": one fault failed the upload: "_s
                             + describe(uploaded.error()) + u'\n' + requestLog(*m_proxy)));
        }
        // Bounded: per attempt one POST, the chunks, one PUT and a HEAD of the blob, and Qt's
        // own re-sends of unanswered requests; one fault costs at most one more attempt.
        const int bound = 2 * (2 + int(data.size() / (64 * 1024)) + 2) * QtResends;
        QVERIFY2(m_proxy->requests().size() <= bound,
                 qPrintable(what + u'\n' + requestLog(*m_proxy)));

        // Whatever the registry holds under the digest now is the blob itself.
        auto head = await<std::optional<qint64>>(
            [&](auto done) { m_client->headBlob(repository, digest, done); });
        VERIFY_OK(head);
        if (uploaded)
            QCOMPARE(head->value_or(-1), qint64(data.size()));
        if (!*head) {
            m_proxy->clearRules();
            auto retried = upload(repository, data, chunkSize);
            if (!retried)
                QFAIL(qPrintable(what + u", retry: " + describe(retried.error()) + u'\n'
                                 + requestLog(*m_proxy)));
        }
        QByteArray content;
        Descriptor descriptor;
        descriptor.digest = digest;
        descriptor.size = data.size();
        auto fetched = download(repository, descriptor, &content);
        VERIFY_OK(fetched);
        QCOMPARE(content, data);
    }
}

void tst_WireFaults::dropSweepPulls()
{
    // Whole pulls into an embedded store with 1–3 seeded drops across the manifest, config and
    // layer GETs (sometimes on every answer): a pull either stores the image whose digest the
    // registry serves or fails with a clear message, fsck finds the store clean either way, and a
    // pull without faults then completes.
    QVERIFY(startProxy(u"token"_s));
    m_credentials->set(m_proxy->host(), std::nullopt);
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    qint64 largest = 0;
    for (const Descriptor &layer : manifest->layers)
        largest = std::max(largest, layer.size);
    const QString digest = fixtureDigest();
    const QStringList names{m_proxy->host(), u"berth/busybox"_s};
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const int rounds = iterations("BERTH_FAULT_PULLS", 25);
    for (int round = 0; round < rounds; ++round) {
        EmbeddedBackend backend(dir.path() + u"/store-"_s + QString::number(round), m_client.get());
        m_proxy->clearRules();
        m_proxy->clearLog();
        QList<int> rules;
        QStringList what;
        const int faults = 1 + int(m_random.bounded(3));
        for (int i = 0; i < faults; ++i) {
            const bool onManifest = m_random.bounded(4) == 0;
            const qint64 offset = qint64(m_random.bounded(quint64(onManifest ? 400 : largest)));
            const int times = m_random.bounded(10) == 0 ? -1 : 1 + int(m_random.bounded(2));
            rules << m_proxy->addRule(FaultRule::dropAfter(
                "GET",
                onManifest ? manifestPath(u"berth/busybox"_s) : blobPath(u"berth/busybox"_s),
                offset,
                times));
            what << u"%1 drop after %2 ×%3"_s.arg(onManifest ? u"manifest"_s : u"blob"_s)
                        .arg(offset)
                        .arg(times);
        }
        const QString where = u"pull round %1: "_s.arg(round) + what.join(u", "_s);
        auto pulled
            = await<PullResult>([&](auto done) { backend.pull(busybox(), PullOptions{}, done); });
        int injected = 0;
        for (const int rule : rules)
            injected += m_proxy->applied(rule);
        count(u"drop (pull)"_s, injected, bool(pulled));
        if (pulled) {
            QCOMPARE(pulled->digest.toString(), digest);
        } else {
            QVERIFY2(isClear(pulled.error(), names), qPrintable(where + describe(pulled.error())));
        }
        auto report = await<FsckReport>([&](auto done) { backend.fsck({}, CancelToken(), done); });
        VERIFY_OK(report);
        QVERIFY2(report->isClean(), qPrintable(where + u": " + report->problems.join(u"; ")));
        QVERIFY2(report->corruptBlobs.isEmpty(), qPrintable(where));
        if (!pulled) {
            m_proxy->clearRules();
            auto again = await<PullResult>(
                [&](auto done) { backend.pull(busybox(), PullOptions{}, done); });
            VERIFY_OK(again);
            QCOMPARE(again->digest.toString(), digest);
            auto second
                = await<FsckReport>([&](auto done) { backend.fsck({}, CancelToken(), done); });
            VERIFY_OK(second);
            QVERIFY2(second->isClean(), qPrintable(second->problems.join(u"; ")));
        }
    }
}

void tst_WireFaults::stallShorterThanTimeout_data()
{
    QTest::addColumn<QString>("object");
    QTest::addColumn<qint64>("at");
    QTest::newRow("manifest, before the body") << u"manifest"_s << qint64(0);
    QTest::newRow("layer, mid-body") << u"layer"_s << qint64(200 * 1024);
}

void tst_WireFaults::stallShorterThanTimeout()
{
    // A pause of a quarter of the transfer timeout is a slow server, not a dead one: no retry.
    QFETCH(QString, object);
    QFETCH(qint64, at);
    QVERIFY(startProxy(u"plain"_s));
    setTransport(MaxAttempts, 2000);
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    const QString path
        = object == u"manifest" ? manifestPath(u"berth/busybox"_s) : blobPath(u"berth/busybox"_s);
    const int rule = m_proxy->addRule(FaultRule::stall("GET", path, at, 500));
    if (object == u"manifest") {
        auto fetched
            = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(busybox(), done); });
        VERIFY_OK(fetched);
        QCOMPARE(fetched->digest.toString(), fixtureDigest());
    } else {
        const Descriptor layer
            = *std::max_element(manifest->layers.begin(),
                                manifest->layers.end(),
                                [](const auto &a, const auto &b) { return a.size < b.size; });
        QByteArray content;
        auto downloaded = download(busybox(), layer, &content);
        VERIFY_OK(downloaded);
        QCOMPARE(Sha256::digestOf(content), layer.digest.toString());
    }
    QCOMPARE(m_proxy->applied(rule), 1);
    QCOMPARE(m_proxy->matched(rule), 1); // survived in place, not by a retry
    count(u"stall < timeout"_s, 1, true);
}

void tst_WireFaults::stallLongerThanTimeout_data()
{
    QTest::addColumn<QString>("object");
    QTest::addColumn<QString>("how");
    QTest::newRow("manifest, no answer at all") << u"manifest"_s << u"hang"_s;
    QTest::newRow("manifest, head then nothing") << u"manifest"_s << u"stall"_s;
    QTest::newRow("layer, no answer at all") << u"layer"_s << u"hang"_s;
    QTest::newRow("layer, mid-body for good") << u"layer"_s << u"stall"_s;
}

void tst_WireFaults::stallLongerThanTimeout()
{
    // A server that stops sending (before the head, or mid-body) for longer than the transfer
    // timeout: each attempt ends at the timeout, the attempts (retries, Range resumes) are
    // bounded, and the message says it timed out.
    QFETCH(QString, object);
    QFETCH(QString, how);
    QVERIFY(startProxy(u"plain"_s));
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    constexpr int Attempts = 2;
    constexpr int TimeoutMs = 1000;
    setTransport(Attempts, TimeoutMs);
    const QString path
        = object == u"manifest" ? manifestPath(u"berth/busybox"_s) : blobPath(u"berth/busybox"_s);
    const int rule
        = m_proxy->addRule(how == u"hang" ? FaultRule::hang("GET", path, -1)
                                          : FaultRule::stall("GET", path, 100, 600000, -1));
    QElapsedTimer clock;
    clock.start();
    Error error;
    int bound = Attempts;
    if (object == u"manifest") {
        auto fetched
            = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(busybox(), done); });
        QVERIFY(!fetched);
        error = fetched.error();
    } else {
        const Descriptor layer = manifest->layers.first();
        QByteArray content;
        BlobDownloadOptions options;
        options.maxResumes = 2;
        bound = Attempts + options.maxResumes;
        auto downloaded = download(busybox(), layer, &content, options);
        QVERIFY(!downloaded);
        error = downloaded.error();
    }
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(error.kind == Error::Kind::Network, qPrintable(describe(error)));
    QVERIFY2(error.message.contains(u"timed out"_s), qPrintable(describe(error)));
    QVERIFY2(error.message.contains(m_proxy->host()), qPrintable(describe(error)));
    QVERIFY2(m_proxy->applied(rule) >= 1 && m_proxy->applied(rule) <= bound,
             qPrintable(requestLog(*m_proxy)));
    qInfo("%s/%s: gave up after %d stalled requests in %lld ms (timeout %d ms): %s",
          qPrintable(object),
          qPrintable(how),
          m_proxy->applied(rule),
          elapsed,
          TimeoutMs,
          qPrintable(error.message));
    count(u"stall > timeout"_s, m_proxy->applied(rule), false);
}

void tst_WireFaults::serverErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("object");
    QTest::addColumn<int>("times");
    for (const int status : {500, 502, 503}) {
        for (const QString &object : {u"manifest"_s, u"config"_s, u"layer"_s}) {
            QTest::addRow("%d/%s/twice", status, qPrintable(object)) << status << object << 2;
            QTest::addRow("%d/%s/every time", status, qPrintable(object)) << status << object << -1;
        }
    }
}

void tst_WireFaults::serverErrors()
{
    QFETCH(int, status);
    QFETCH(QString, object);
    QFETCH(int, times);
    QVERIFY(startProxy(u"basic"_s));
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    const QString path
        = object == u"manifest" ? manifestPath(u"berth/busybox"_s) : blobPath(u"berth/busybox"_s);
    const int rule = m_proxy->addRule(FaultRule::answer("GET", path, status, times));
    bool ok = false;
    Error error;
    if (object == u"manifest") {
        auto fetched
            = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(busybox(), done); });
        if (fetched)
            QCOMPARE(fetched->digest.toString(), fixtureDigest());
        ok = bool(fetched);
        error = fetched ? Error() : fetched.error();
    } else {
        const Descriptor blob = object == u"config" ? manifest->config : manifest->layers.first();
        QByteArray content;
        auto downloaded = download(busybox(), blob, &content);
        if (downloaded)
            QCOMPARE(Sha256::digestOf(content), blob.digest.toString());
        ok = bool(downloaded);
        error = downloaded ? Error() : downloaded.error();
    }
    count(u"HTTP 5xx"_s, m_proxy->applied(rule), ok);
    if (times > 0) {
        QVERIFY2(ok, qPrintable(describe(error)));
        QCOMPARE(m_proxy->applied(rule), times);
        return;
    }
    QVERIFY(!ok);
    QCOMPARE(error.kind, Error::Kind::Server);
    QCOMPARE(error.httpStatus, status);
    QVERIFY2(error.message.contains(QString::number(status)), qPrintable(error.message));
    QVERIFY2(error.message.contains(m_proxy->host()), qPrintable(error.message));
    QCOMPARE(m_proxy->matched(rule), MaxAttempts); // bounded: exactly the configured attempts
}

void tst_WireFaults::uploadServerError()
{
    // A registry that fails every PATCH with 503: the upload starts again from a new session a
    // bounded number of times, then fails clearly, and the registry has no blob under the digest.
    QVERIFY(startProxy(u"plain"_s));
    const int rule = m_proxy->addRule(
        FaultRule::answer("PATCH", uploadPath(u"berth/wirefaults-5xx"_s), 503, -1));
    QByteArray data(200 * 1024, 'x');
    data += QByteArray::number(m_seed);
    const ImageReference repository = parseReference(m_proxy->host() + u"/berth/wirefaults-5xx"_s);
    auto uploaded = upload(repository, data, 64 * 1024);
    QVERIFY(!uploaded);
    QCOMPARE(uploaded.error().kind, Error::Kind::Server);
    QVERIFY2(uploaded.error().message.contains(u"503"_s), qPrintable(uploaded.error().message));
    QVERIFY2(uploaded.error().message.contains(QString::number(UploadAttempts)),
             qPrintable(uploaded.error().message));
    QCOMPARE(m_proxy->matched(rule), UploadAttempts); // one PATCH per attempt, never re-sent
    auto head = await<std::optional<qint64>>([&](auto done) {
        m_client->headBlob(repository, *Digest::parse(Sha256::digestOf(data)), done);
    });
    VERIFY_OK(head);
    QVERIFY(!head->has_value());
    count(u"HTTP 5xx"_s, m_proxy->applied(rule), false);
}

void tst_WireFaults::uploadRecovers_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("fault");
    QTest::addColumn<qint64>("chunkSize");
    // Upload sessions opened at most: 1 when the upload must not start again. (Qt may re-send a
    // chunk whose connection dropped before the registry saw it whole, needing no new session.)
    QTest::addColumn<int>("posts");

    // The registry stored the blob but the answer never came: a HEAD proves it, no new session.
    QTest::newRow("final PUT answer lost, chunked")
        << QByteArray("PUT") << u"answer"_s << qint64(64 * 1024) << 1;
    QTest::newRow("monolithic PUT answer lost")
        << QByteArray("PUT") << u"answer"_s << qint64(0) << 1;
    // The session is out of step (or gone) after these: a new one carries the whole blob.
    QTest::newRow("PATCH answer lost")
        << QByteArray("PATCH") << u"answer"_s << qint64(64 * 1024) << 2;
    QTest::newRow("PATCH dropped mid-body")
        << QByteArray("PATCH") << u"request"_s << qint64(64 * 1024) << 2;
    QTest::newRow("monolithic PUT dropped mid-body")
        << QByteArray("PUT") << u"request"_s << qint64(0) << 2;
    QTest::newRow("PATCH 503 once") << QByteArray("PATCH") << u"503"_s << qint64(64 * 1024) << 2;
    QTest::newRow("final PUT 502 once") << QByteArray("PUT") << u"502"_s << qint64(64 * 1024) << 2;
}

void tst_WireFaults::uploadRecovers()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, fault);
    QFETCH(qint64, chunkSize);
    QFETCH(int, posts);
    QVERIFY(startProxy(u"basic"_s));
    const QString repo = u"berth/wirefaults-recover"_s;
    QByteArray data(150 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char(m_random.generate());
    int rule = -1;
    if (fault == u"answer"_s)
        rule = m_proxy->addRule(FaultRule::dropAnswer(verb, uploadPath(repo)));
    else if (fault == u"request"_s)
        rule = m_proxy->addRule(FaultRule::dropRequest(verb, uploadPath(repo), 10 * 1024));
    else
        rule = m_proxy->addRule(FaultRule::answer(verb, uploadPath(repo), fault.toInt(), 1));
    const ImageReference repository = parseReference(m_proxy->host() + u'/' + repo);
    auto uploaded = upload(repository, data, chunkSize);
    if (!uploaded)
        QFAIL(qPrintable(describe(uploaded.error()) + u'\n' + requestLog(*m_proxy)));
    QCOMPARE(m_proxy->applied(rule), 1);
    int opened = 0;
    for (const auto &request : m_proxy->requests())
        opened += request.method == "POST" && request.status == 202 ? 1 : 0;
    QVERIFY2(opened >= 1 && opened <= posts, qPrintable(requestLog(*m_proxy)));
    QByteArray content;
    Descriptor descriptor;
    descriptor.digest = *Digest::parse(Sha256::digestOf(data));
    descriptor.size = data.size();
    VERIFY_OK(download(repository, descriptor, &content));
    QCOMPARE(content, data);
    count(u"upload recovered"_s, 1, true);
}

void tst_WireFaults::rateLimited_data()
{
    QTest::addColumn<QString>("form");
    QTest::addColumn<int>("times");
    QTest::newRow("seconds, once") << u"seconds"_s << 1;
    QTest::newRow("HTTP-date, once") << u"date"_s << 1;
    QTest::newRow("seconds, every time") << u"seconds"_s << -1;
    QTest::newRow("HTTP-date, every time") << u"date"_s << -1;
    QTest::newRow("an hour, once") << u"hour"_s << 1;
}

void tst_WireFaults::rateLimited()
{
    QFETCH(QString, form);
    QFETCH(int, times);
    QVERIFY(startProxy(u"plain"_s));
    setTransport(2, 60000);
    QByteArray retryAfter = "1";
    if (form == u"date")
        retryAfter = QLocale::c()
                         .toString(QDateTime::currentDateTimeUtc().addSecs(2),
                                   u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
                         .toLatin1();
    else if (form == u"hour")
        retryAfter = "3600";
    const int rule = m_proxy->addRule(
        FaultRule::rateLimit("GET", manifestPath(u"berth/busybox"_s), retryAfter, times));
    auto fetched
        = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(busybox(), done); });
    count(u"HTTP 429"_s, m_proxy->applied(rule), bool(fetched));
    if (form == u"hour") {
        // Longer than the transport waits: reported at once, with the wait.
        QVERIFY(!fetched);
        QCOMPARE(fetched.error().kind, Error::Kind::RateLimited);
        QCOMPARE(fetched.error().retryAfter, std::optional(std::chrono::seconds(3600)));
        QVERIFY2(fetched.error().message.contains(u"3600"_s), qPrintable(fetched.error().message));
        QCOMPARE(m_proxy->matched(rule), 1);
        return;
    }
    if (times > 0) {
        VERIFY_OK(fetched);
        QCOMPARE(fetched->digest.toString(), fixtureDigest());
        QCOMPARE(m_proxy->matched(rule), 2);
        return;
    }
    QVERIFY(!fetched);
    QCOMPARE(fetched.error().kind, Error::Kind::RateLimited);
    QVERIFY(fetched.error().retryAfter.has_value());
    QVERIFY(*fetched.error().retryAfter <= 2s);
    QVERIFY2(fetched.error().message.contains(m_proxy->host()),
             qPrintable(fetched.error().message));
    QCOMPARE(m_proxy->matched(rule), 2);
}

void tst_WireFaults::wrongContentLength_data()
{
    QTest::addColumn<QString>("object");
    QTest::addColumn<bool>("longer");
    for (const QString &object : {u"manifest"_s, u"config"_s, u"layer"_s}) {
        QTest::addRow("%s/declared longer", qPrintable(object)) << object << true;
        QTest::addRow("%s/declared shorter", qPrintable(object)) << object << false;
    }
}

void tst_WireFaults::wrongContentLength()
{
    // A lying Content-Length: longer (the body ends early, then the close) or shorter (the client
    // stops reading early). Either way no unverified content is reported as a success.
    QFETCH(QString, object);
    QFETCH(bool, longer);
    QVERIFY(startProxy(u"plain"_s));
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    const QString path
        = object == u"manifest" ? manifestPath(u"berth/busybox"_s) : blobPath(u"berth/busybox"_s);
    const int rule = m_proxy->addRule(longer ? FaultRule::wrongContentLength("GET", path, 1000, 1)
                                             : FaultRule::shortContentLength("GET", path, 7, 1));
    bool ok = false;
    Error error;
    QString digest;
    if (object == u"manifest") {
        digest = fixtureDigest();
        auto fetched
            = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(busybox(), done); });
        if (fetched) {
            QCOMPARE(fetched->digest.toString(), digest);
            QCOMPARE(Sha256::digestOf(fetched->body), digest);
        }
        ok = bool(fetched);
        error = fetched ? Error() : fetched.error();
    } else {
        const Descriptor blob = object == u"config" ? manifest->config : manifest->layers.first();
        digest = blob.digest.toString();
        QByteArray content;
        BlobDownloadOptions options;
        options.expectedSize = blob.size;
        auto downloaded = download(busybox(), blob, &content, options);
        if (downloaded)
            QCOMPARE(Sha256::digestOf(content), digest);
        ok = bool(downloaded);
        error = downloaded ? Error() : downloaded.error();
    }
    QCOMPARE(m_proxy->applied(rule), 1);
    count(u"wrong Content-Length"_s, 1, ok);
    if (!ok) {
        qInfo() << "failed as" << describe(error);
        QVERIFY2(isClear(error, {m_proxy->host(), digest}), qPrintable(describe(error)));
        QVERIFY2(error.kind == Error::Kind::Network || error.kind == Error::Kind::DigestMismatch,
                 qPrintable(describe(error)));
    }
}

void tst_WireFaults::wrongBody_data()
{
    QTest::addColumn<QString>("object");
    QTest::newRow("manifest by tag") << u"tag"_s;
    QTest::newRow("manifest by digest") << u"digest"_s;
    QTest::newRow("config") << u"config"_s;
    QTest::newRow("layer, same length") << u"layer"_s;
    QTest::newRow("layer, another blob") << u"other"_s;
}

void tst_WireFaults::wrongBody()
{
    // A well-framed answer whose content is not what was asked for: a manifest swapped for
    // another valid one, a blob of the right length but other bytes, another blob altogether.
    // Always a DigestMismatch naming the digest, never a success.
    QFETCH(QString, object);
    QVERIFY(startProxy(u"plain"_s));
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    Error error;
    QString digest;
    if (object == u"tag" || object == u"digest") {
        // Another image's manifest, valid JSON of the right media type.
        auto other = await<ManifestResponse>([&](auto done) {
            m_client->fetchManifest(parseReference(m_proxy->host() + u"/berth/many:1.0.0"_s), done);
        });
        VERIFY_OK(other);
        digest = fixtureDigest();
        const int rule = m_proxy->addRule(
            FaultRule::replaceBody("GET", manifestPath(u"berth/busybox"_s), other->body));
        const ImageReference reference
            = object == u"tag" ? busybox() : busybox().withDigest(*Digest::parse(digest));
        auto fetched
            = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(reference, done); });
        QCOMPARE(m_proxy->applied(rule), 1);
        QVERIFY(!fetched);
        error = fetched.error();
    } else {
        const Descriptor blob = object == u"config" ? manifest->config : manifest->layers.first();
        digest = blob.digest.toString();
        QByteArray replacement;
        if (object == u"other") {
            QByteArray content;
            const auto config = download(busybox(), manifest->config, &content);
            VERIFY_OK(config);
            replacement = content;
        } else {
            replacement = QByteArray(blob.size, '\0');
        }
        const int rule = m_proxy->addRule(
            FaultRule::replaceBody("GET", blobPath(u"berth/busybox"_s), replacement));
        QByteArray content;
        BlobDownloadOptions options;
        options.expectedSize = blob.size;
        auto downloaded = download(busybox(), blob, &content, options);
        QCOMPARE(m_proxy->applied(rule), 1);
        QVERIFY(!downloaded);
        error = downloaded.error();
    }
    count(u"wrong body digest"_s, 1, false);
    QVERIFY2(error.kind == Error::Kind::DigestMismatch, qPrintable(describe(error)));
    QVERIFY2(error.message.contains(digest), qPrintable(describe(error)));
}

void tst_WireFaults::redirectElsewhere_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<QString>("object");
    QTest::addColumn<bool>("corrupt");
    for (const QString &flavour : {u"basic"_s, u"token"_s}) {
        QTest::addRow("%s/blobs", qPrintable(flavour)) << flavour << u"blobs"_s << false;
        QTest::addRow("%s/manifest", qPrintable(flavour)) << flavour << u"manifest"_s << false;
        QTest::addRow("%s/blobs, corrupt there", qPrintable(flavour))
            << flavour << u"blobs"_s << true;
        QTest::addRow("%s/manifest by digest, corrupt there", qPrintable(flavour))
            << flavour << u"manifest"_s << true;
    }
}

void tst_WireFaults::redirectElsewhere()
{
    // The registry answers with a 307 to another origin (as to S3 or a CDN): the registry's
    // Authorization (Basic password or Bearer token) stays behind, and what the other host serves
    // is verified as if the registry had served it.
    QFETCH(QString, flavour);
    QFETCH(QString, object);
    QFETCH(bool, corrupt);
    QVERIFY(startProxy(flavour));
    if (flavour == u"token")
        m_credentials->set(m_proxy->host(), std::nullopt); // anonymous pull: a Bearer token
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    const QString path
        = object == u"manifest" ? manifestPath(u"berth/busybox"_s) : blobPath(u"berth/busybox"_s);
    const int rule = m_proxy->addRule(corrupt ? FaultRule::redirectCorrupt("GET", path, 50)
                                              : FaultRule::redirect("GET", path));
    int transfers = 0;
    if (object == u"manifest") {
        // By digest: a manifest fetched by tag from a host that sends no Docker-Content-Digest has
        // nothing to be checked against but the descriptors it leads to.
        const QString digest = fixtureDigest();
        auto fetched = await<ManifestResponse>([&](auto done) {
            m_client->fetchManifest(busybox().withDigest(*Digest::parse(digest)), done);
        });
        ++transfers;
        count(u"redirect"_s, 1, bool(fetched));
        if (corrupt) {
            QVERIFY(!fetched);
            QCOMPARE(fetched.error().kind, Error::Kind::DigestMismatch);
            QVERIFY2(fetched.error().message.contains(digest), qPrintable(fetched.error().message));
        } else {
            VERIFY_OK(fetched);
            QCOMPARE(fetched->digest.toString(), digest);
        }
    } else {
        QList<Descriptor> blobs = manifest->layers;
        blobs << manifest->config;
        for (const Descriptor &blob : blobs) {
            QByteArray content;
            BlobDownloadOptions options;
            options.expectedSize = blob.size;
            auto downloaded = download(busybox(), blob, &content, options);
            ++transfers;
            count(u"redirect"_s, 1, bool(downloaded));
            if (corrupt) {
                QVERIFY(!downloaded);
                QCOMPARE(downloaded.error().kind, Error::Kind::DigestMismatch);
                QVERIFY2(downloaded.error().message.contains(blob.digest.toString()),
                         qPrintable(downloaded.error().message));
            } else {
                VERIFY_OK(downloaded);
                QCOMPARE(Sha256::digestOf(content), blob.digest.toString());
            }
        }
    }
    QCOMPARE(m_proxy->applied(rule), transfers);

    // There was something to leak: the registry got credentials on the redirected requests.
    const QByteArray scheme = flavour == u"basic" ? "Basic " : "Bearer ";
    int redirected = 0;
    for (const SeenRequest &request : m_proxy->requests()) {
        if (request.status == 307) {
            ++redirected;
            QVERIFY2(request.header("Authorization").startsWith(scheme),
                     request.header("Authorization").constData());
        }
    }
    QCOMPARE(redirected, transfers);
    const QList<SeenRequest> elsewhere = m_proxy->redirectedRequests();
    QCOMPARE(int(elsewhere.size()), transfers);
    for (const SeenRequest &request : elsewhere) {
        QVERIFY2(!request.hasHeader("Authorization"), request.header("Authorization").constData());
        QCOMPARE(request.status, 200);
    }
}

void tst_WireFaults::tlsUntrustedRefused()
{
    // The TLS registry by a name that is not loopback: a registry like any other, whose
    // self-signed certificate nobody trusts. Refused, with the certificate problem named, and no
    // request ever made over plain HTTP instead.
    const TestRegistry tls = TestServices::instance().tlsRegistry();
    if (tls.name.isEmpty())
        QSKIP("this machine's host name does not resolve to loopback: no non-loopback name for "
              "the TLS registry");
    const ImageReference reference = parseReference(tls.name + u"/berth/busybox:1.0"_s);
    auto fetched
        = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(reference, done); });
    QVERIFY(!fetched);
    QCOMPARE(fetched.error().kind, Error::Kind::Tls);
    QVERIFY2(fetched.error().message.contains(tls.name), qPrintable(fetched.error().message));
    QVERIFY2(fetched.error().message.contains(u"self-signed"_s, Qt::CaseInsensitive)
                 || fetched.error().message.contains(u"self signed"_s, Qt::CaseInsensitive),
             qPrintable(fetched.error().message));
    QCOMPARE(m_client->transport().endpoint(tls.name).scheme(), u"https"_s);
    count(u"TLS untrusted"_s, 1, false);
    qInfo("refused: %s", qPrintable(fetched.error().message));
}

void tst_WireFaults::tlsInsecureAccepted()
{
    // The same registry marked insecure (the per-registry flag of the settings and of
    // --insecure-registry): TLS without verification, content still verified. By its loopback
    // address it is insecure without being marked, as in docker.
    const TestRegistry tls = TestServices::instance().tlsRegistry();
    QStringList hosts{tls.host};
    if (!tls.name.isEmpty()) {
        m_client->setInsecureRegistries({tls.name});
        hosts << tls.name;
    }
    for (const QString &host : hosts) {
        const ImageReference reference = parseReference(host + u"/berth/busybox:1.0"_s);
        auto fetched
            = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(reference, done); });
        VERIFY_OK(fetched);
        QCOMPARE(fetched->digest.toString(), fixtureDigest());
        QCOMPARE(m_client->transport().endpoint(host).scheme(), u"https"_s);
        auto manifest = parseImageManifest(fetched->body, fetched->mediaType);
        VERIFY_OK(manifest);
        QByteArray content;
        const auto layer = download(reference, manifest->layers.first(), &content);
        VERIFY_OK(layer);
        QCOMPARE(Sha256::digestOf(content), manifest->layers.first().digest.toString());
    }
}

void tst_WireFaults::tlsBerthctlPull()
{
    const TestRegistry tls = TestServices::instance().tlsRegistry();
    if (tls.name.isEmpty())
        QSKIP("this machine's host name does not resolve to loopback");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"BERTH_STORE"_s, dir.path() + u"/store"_s);
    const QString image = tls.name + u"/berth/busybox:1.0"_s;
    const CtlRun refused = runBerthctl({u"pull"_s, image, u"--backend"_s, u"embedded"_s}, env);
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.err.contains("self-signed") || refused.err.contains("self signed"),
             refused.err.constData());
    QVERIFY2(refused.err.contains(tls.name.toUtf8()), refused.err.constData());
    count(u"TLS untrusted"_s, 1, false);

    const CtlRun accepted = runBerthctl({u"pull"_s,
                                         image,
                                         u"--backend"_s,
                                         u"embedded"_s,
                                         u"--insecure-registry"_s,
                                         tls.name,
                                         u"--format"_s,
                                         u"json"_s},
                                        env);
    QVERIFY2(accepted.exitCode == 0, accepted.err.constData());
    QCOMPARE(QJsonDocument::fromJson(accepted.out).object().value(u"digest").toString(),
             fixtureDigest());
    const CtlRun fsck = runBerthctl({u"fsck"_s, u"--backend"_s, u"embedded"_s}, env);
    QVERIFY2(fsck.exitCode == 0, QByteArray(fsck.out + fsck.err).constData());
}

void tst_WireFaults::tlsFailureDoesNotFallBackToHttp()
{
    // A registry that only speaks plain HTTP, reached by a name that is not loopback: Berth asks
    // for TLS, the server cannot give it, and Berth stops there unless the registry is marked
    // insecure. The proxy logs every HTTP request, so "none" is observable.
    const TestRegistry tls = TestServices::instance().tlsRegistry();
    if (tls.name.isEmpty())
        QSKIP("this machine's host name does not resolve to loopback");
    QVERIFY(startProxy(u"plain"_s));
    const QString hostName = tls.name.left(tls.name.lastIndexOf(u':'));
    const QString named = hostName + u':' + m_proxy->host().section(u':', 1);
    const ImageReference reference = parseReference(named + u"/berth/busybox:1.0"_s);
    auto fetched
        = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(reference, done); });
    QVERIFY(!fetched);
    QVERIFY2(fetched.error().kind == Error::Kind::Tls
                 || fetched.error().kind == Error::Kind::Network,
             qPrintable(describe(fetched.error())));
    QVERIFY2(fetched.error().message.contains(named), qPrintable(fetched.error().message));
    QCOMPARE(int(m_proxy->requests().size()), 0);
    count(u"TLS unavailable"_s, 1, false);

    // A fresh client, as after the user marks the registry insecure (the endpoint is cached).
    RegistryClient marked(m_network.get());
    marked.setInsecureRegistries({named});
    auto insecure
        = await<ManifestResponse>([&](auto done) { marked.fetchManifest(reference, done); });
    VERIFY_OK(insecure);
    QCOMPARE(insecure->digest.toString(), fixtureDigest());
    QVERIFY(m_proxy->requests().size() > 0);
}

QTEST_GUILESS_MAIN(tst_WireFaults)

#include "tst_wirefaults.moc"
