// The registry client's failure paths, against a real registry behind tests/shared/faultproxy.h:
// dropped connections, corrupted bytes, 5xx and 429 answers, a lying Content-Length, a redirect
// to another host, a stalled transfer cancelled by the user. The proxy counts what it injected, so
// the assertions are about behaviour (a Range request was sent, N attempts were made), never time.

#include "asynctest.h"
#include "faultproxy.h"
#include "registryfaultfixture.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "common/sha256.h"
#include "oci/manifest.h"
#include "registry/registryclient.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSet>
#include <QTemporaryFile>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

constexpr int MaxAttempts = 4;

// The distinct Authorization headers the client sent, and in how many requests.
QSet<QByteArray> authorizationsSent(const FaultProxy &proxy, int *authorized)
{
    QSet<QByteArray> seen;
    *authorized = 0;
    for (const SeenRequest &request : proxy.requests()) {
        if (!request.hasHeader("Authorization"))
            continue;
        ++*authorized;
        seen.insert(request.header("Authorization"));
    }
    return seen;
}

} // namespace

class tst_RegistryFaults final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void passThrough();
    void dropMidBlob_data();
    void dropMidBlob();
    void resumeIgnored_data();
    void resumeIgnored();
    void droppedManifestRetried();
    void corruptByte_data();
    void corruptByte();
    void serverErrorThenSuccess_data();
    void serverErrorThenSuccess();
    void serverErrorForever();
    void rateLimitedThenSuccess();
    void rateLimitedForever();
    void wrongContentLength_data();
    void wrongContentLength();
    void redirectDropsAuthorization();
    void cancelMidDownload();
    void tokenCached();
    void concurrentRequestsAskOnce_data();
    void concurrentRequestsAskOnce();
    void chunkedUploadThroughProxy();

private:
    // Starts the proxy in front of the registry of `flavour` and logs the client in to it.
    bool startProxy(const QString &flavour);
    ImageReference busybox() const
    {
        return parseReference(m_proxy->host() + u"/berth/busybox:1.0"_s);
    }
    // The image manifest of berth/busybox:1.0 through the proxy; also teaches the client the
    // registry's challenge, so later requests carry credentials from the start.
    std::optional<ImageManifest> busyboxManifest();
    // The largest layer: the one a fault can hit mid-body.
    std::optional<Descriptor> bigLayer();
    Result<qint64>
    download(const Descriptor &layer, QByteArray *content, BlobDownloadOptions options = {});

    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TestCredentials> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<FaultProxy> m_proxy;
};

void tst_RegistryFaults::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
}

void tst_RegistryFaults::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_credentials = std::make_unique<TestCredentials>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_client->setCredentialProvider(m_credentials.get());
    m_client->transport().setOptions(quickRetries(MaxAttempts));
}

void tst_RegistryFaults::cleanup()
{
    m_client.reset();
    m_proxy.reset();
    m_credentials.reset();
    m_network.reset();
}

bool tst_RegistryFaults::startProxy(const QString &flavour)
{
    m_proxy = startFaultProxy(flavour, *m_credentials);
    return m_proxy != nullptr;
}

std::optional<ImageManifest> tst_RegistryFaults::busyboxManifest()
{
    return fetchImageManifest(*m_client, busybox());
}

std::optional<Descriptor> tst_RegistryFaults::bigLayer()
{
    const auto manifest = busyboxManifest();
    if (!manifest)
        return std::nullopt;
    const auto layer = std::max_element(
        manifest->layers.begin(),
        manifest->layers.end(),
        [](const Descriptor &a, const Descriptor &b) { return a.size < b.size; });
    if (layer == manifest->layers.end() || layer->size < 512 * 1024) {
        QTest::qFail(
            "the busybox fixture has no layer large enough to fault mid-body", __FILE__, __LINE__);
        return std::nullopt;
    }
    return *layer;
}

Result<qint64> tst_RegistryFaults::download(const Descriptor &layer,
                                            QByteArray *content,
                                            BlobDownloadOptions options)
{
    return downloadBlobInto(*m_client, busybox(), layer.digest, content, std::move(options));
}

void tst_RegistryFaults::passThrough()
{
    // The proxy without rules is transparent: chunked answers (the tags of berth/many), HEADs,
    // Content-Length bodies, upload Locations all come through.
    QVERIFY(startProxy(u"plain"_s));
    const auto layer = bigLayer();
    QVERIFY(layer);
    QByteArray content;
    auto downloaded = download(*layer, &content);
    VERIFY_OK(downloaded);
    QCOMPARE(Sha256::digestOf(content), layer->digest.toString());

    auto head = await<std::optional<qint64>>(
        [&](auto done) { m_client->headBlob(busybox(), layer->digest, done); });
    VERIFY_OK(head);
    QCOMPARE(head->value_or(-1), layer->size);

    auto tags = await<QStringList>([&](auto done) {
        m_client->listTags(parseReference(m_proxy->host() + u"/berth/many"_s), done);
    });
    VERIFY_OK(tags);
    QCOMPARE(int(tags->size()), TestServices::instance().many().value(u"tags").toInt());
    for (const SeenRequest &request : m_proxy->requests())
        QCOMPARE(request.rule, -1);
}

void tst_RegistryFaults::dropMidBlob_data()
{
    QTest::addColumn<int>("times");
    QTest::addColumn<bool>("succeeds");
    QTest::newRow("once") << 1 << true;
    QTest::newRow("three times") << 3 << true;
    // Each resume moves 100 000 bytes on: five resumes cannot finish a 1 MB layer.
    QTest::newRow("every time") << -1 << false;
}

void tst_RegistryFaults::dropMidBlob()
{
    QFETCH(int, times);
    QFETCH(bool, succeeds);
    QVERIFY(startProxy(u"plain"_s));
    const auto layer = bigLayer();
    QVERIFY(layer);
    constexpr qint64 dropAfter = 100000;
    const int rule = m_proxy->addRule(
        FaultRule::dropAfter("GET", blobPath(u"berth/busybox"_s), dropAfter, times));

    QByteArray content;
    BlobDownloadOptions options;
    options.expectedSize = layer->size;
    auto downloaded = download(*layer, &content, options);
    if (!succeeds) {
        QVERIFY(!downloaded);
        QCOMPARE(downloaded.error().kind, Error::Kind::Network);
        // The first attempt and its bounded resumes, no more.
        QCOMPARE(m_proxy->applied(rule), BlobDownloadOptions().maxResumes + 1);
        return;
    }
    VERIFY_OK(downloaded);
    QCOMPARE(*downloaded, layer->size);
    QCOMPARE(Sha256::digestOf(content), layer->digest.toString());
    QVERIFY2(m_proxy->applied(rule) == times, qPrintable(requestLog(*m_proxy)));

    // Each resume asked for the rest only, from where the previous attempt stopped. Only answered
    // requests count: Qt may re-send a GET on a fresh connection on its own and drop it again.
    QStringList ranges;
    for (const SeenRequest &request : m_proxy->requests()) {
        const QString range = QString::fromLatin1(request.header("Range"));
        if (request.method == "GET" && request.path().contains("/blobs/") && request.status != 0
            && (ranges.isEmpty() || ranges.last() != range))
            ranges << range;
    }
    QStringList expected{QString()};
    for (int i = 1; i <= times; ++i)
        expected << u"bytes=%1-"_s.arg(i * dropAfter);
    QVERIFY2(ranges == expected, qPrintable(requestLog(*m_proxy)));
}

void tst_RegistryFaults::resumeIgnored_data()
{
    QTest::addColumn<bool>("file");
    QTest::newRow("file") << true;
    QTest::newRow("buffer") << false;
}

void tst_RegistryFaults::resumeIgnored()
{
    // A server that ignores Range answers a resume with the whole blob (200): the sink starts
    // over, so the result holds each byte once and still verifies.
    QFETCH(bool, file);
    QVERIFY(startProxy(u"plain"_s));
    const auto layer = bigLayer();
    QVERIFY(layer);
    const int drop
        = m_proxy->addRule(FaultRule::dropAfter("GET", blobPath(u"berth/busybox"_s), 300000, 1));
    const int ignore
        = m_proxy->addRule(FaultRule::ignoreRange("GET", blobPath(u"berth/busybox"_s)));

    QTemporaryFile temporary;
    QBuffer buffer;
    QIODevice *device = file ? static_cast<QIODevice *>(&temporary) : &buffer;
    QVERIFY(file ? temporary.open() : buffer.open(QIODevice::ReadWrite));
    DeviceBlobSink sink(device);
    BlobDownloadOptions options;
    options.expectedSize = layer->size;
    auto downloaded = await<qint64>(
        [&](auto done) { m_client->downloadBlob(busybox(), layer->digest, &sink, options, done); });
    VERIFY_OK(downloaded);
    QCOMPARE(m_proxy->applied(drop), 1);
    QCOMPARE(m_proxy->applied(ignore), 1);
    QCOMPARE(*downloaded, layer->size);
    QCOMPARE(device->size(), layer->size);
    QVERIFY(device->seek(0));
    QCOMPARE(Sha256::digestOf(device->readAll()), layer->digest.toString());
}

void tst_RegistryFaults::droppedManifestRetried()
{
    // A connection closed before any byte of a manifest: an idempotent GET is simply sent again.
    QVERIFY(startProxy(u"plain"_s));
    const int rule
        = m_proxy->addRule(FaultRule::dropAfter("GET", manifestPath(u"berth/busybox"_s), 0, 2));
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    QCOMPARE(m_proxy->applied(rule), 2);
    QCOMPARE(m_proxy->matched(rule), 3);
}

void tst_RegistryFaults::corruptByte_data()
{
    QTest::addColumn<QString>("object");
    QTest::newRow("layer") << u"layer"_s;
    QTest::newRow("config") << u"config"_s;
    QTest::newRow("manifest by tag") << u"tag"_s;       // against Docker-Content-Digest
    QTest::newRow("manifest by digest") << u"digest"_s; // against the digest asked for
}

void tst_RegistryFaults::corruptByte()
{
    QFETCH(QString, object);
    QVERIFY(startProxy(u"plain"_s));
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    const QString digest = TestServices::instance().image(u"busybox"_s).value(u"digest").toString();

    Error::Kind kind = Error::Kind::InvalidArgument;
    QString message;
    if (object == u"layer" || object == u"config") {
        const int rule
            = m_proxy->addRule(FaultRule::corruptByte("GET", blobPath(u"berth/busybox"_s), 100));
        Descriptor blob = manifest->config;
        if (object == u"layer")
            blob = *std::max_element(
                manifest->layers.begin(),
                manifest->layers.end(),
                [](const Descriptor &a, const Descriptor &b) { return a.size < b.size; });
        QByteArray content;
        auto downloaded = download(blob, &content);
        QVERIFY(!downloaded);
        kind = downloaded.error().kind;
        message = downloaded.error().message;
        QCOMPARE(m_proxy->applied(rule), 1);
        QCOMPARE(qint64(content.size()),
                 blob.size); // written, but the caller was told not to keep it
        QVERIFY(message.contains(blob.digest.toString()));
    } else {
        const int rule
            = m_proxy->addRule(FaultRule::corruptByte("GET", manifestPath(u"berth/busybox"_s), 10));
        const ImageReference reference
            = object == u"tag" ? busybox() : busybox().withDigest(*Digest::parse(digest));
        auto fetched
            = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(reference, done); });
        QVERIFY(!fetched);
        kind = fetched.error().kind;
        message = fetched.error().message;
        QCOMPARE(m_proxy->applied(rule), 1);
        QVERIFY(message.contains(digest));
    }
    QVERIFY2(kind == Error::Kind::DigestMismatch, qPrintable(message));
}

void tst_RegistryFaults::serverErrorThenSuccess_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("object");
    for (const int status : {500, 502, 503, 504}) {
        QTest::addRow("%d/manifest", status) << status << u"manifest"_s;
        QTest::addRow("%d/blob", status) << status << u"blob"_s;
    }
}

void tst_RegistryFaults::serverErrorThenSuccess()
{
    QFETCH(int, status);
    QFETCH(QString, object);
    QVERIFY(startProxy(u"plain"_s));
    if (object == u"manifest") {
        const int rule = m_proxy->addRule(
            FaultRule::answer("GET", manifestPath(u"berth/busybox"_s), status, 2));
        QVERIFY(busyboxManifest());
        QCOMPARE(m_proxy->applied(rule), 2);
        QCOMPARE(m_proxy->matched(rule), 3);
        return;
    }
    const auto layer = bigLayer();
    QVERIFY(layer);
    const int rule
        = m_proxy->addRule(FaultRule::answer("GET", blobPath(u"berth/busybox"_s), status, 2));
    QByteArray content;
    auto downloaded = download(*layer, &content);
    VERIFY_OK(downloaded);
    QCOMPARE(Sha256::digestOf(content), layer->digest.toString());
    QCOMPARE(m_proxy->applied(rule), 2);
    QCOMPARE(m_proxy->matched(rule), 3);
}

void tst_RegistryFaults::serverErrorForever()
{
    QVERIFY(startProxy(u"plain"_s));
    const int rule
        = m_proxy->addRule(FaultRule::answer("GET", manifestPath(u"berth/busybox"_s), 500, -1));
    auto fetched
        = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(busybox(), done); });
    QVERIFY(!fetched);
    QCOMPARE(fetched.error().kind, Error::Kind::Server);
    QCOMPARE(fetched.error().httpStatus, 500);
    QVERIFY2(fetched.error().message.contains(u"berth/busybox"),
             qPrintable(fetched.error().message));
    // Bounded: exactly the configured attempts.
    QCOMPARE(m_proxy->matched(rule), MaxAttempts);
}

void tst_RegistryFaults::rateLimitedThenSuccess()
{
    QVERIFY(startProxy(u"plain"_s));
    const int rule
        = m_proxy->addRule(FaultRule::rateLimit("GET", manifestPath(u"berth/busybox"_s), "1", 1));
    QVERIFY(busyboxManifest());
    QCOMPARE(m_proxy->applied(rule), 1);
    QCOMPARE(m_proxy->matched(rule), 2);
}

void tst_RegistryFaults::rateLimitedForever()
{
    QVERIFY(startProxy(u"plain"_s));
    RegistryTransportOptions options = m_client->transport().options();
    options.maxAttempts = 2; // each attempt waits the Retry-After second
    m_client->transport().setOptions(options);
    const int rule
        = m_proxy->addRule(FaultRule::rateLimit("GET", manifestPath(u"berth/busybox"_s), "1", -1));
    auto fetched
        = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(busybox(), done); });
    QVERIFY(!fetched);
    QCOMPARE(fetched.error().kind, Error::Kind::RateLimited);
    QCOMPARE(fetched.error().retryAfter, std::optional(std::chrono::seconds(1)));
    QCOMPARE(m_proxy->matched(rule), 2);
}

void tst_RegistryFaults::wrongContentLength_data()
{
    QTest::addColumn<QString>("object");
    QTest::newRow("layer") << u"layer"_s;
    QTest::newRow("manifest") << u"manifest"_s;
}

void tst_RegistryFaults::wrongContentLength()
{
    // The server declares more than it sends, then closes: the client must notice the short body.
    // It may fail (Network) or recover (a retry, a resume), but never report success with
    // content that is not the blob.
    QFETCH(QString, object);
    QVERIFY(startProxy(u"plain"_s));
    if (object == u"manifest") {
        const int rule = m_proxy->addRule(
            FaultRule::wrongContentLength("GET", manifestPath(u"berth/busybox"_s), 1000, 1));
        auto fetched
            = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(busybox(), done); });
        QCOMPARE(m_proxy->applied(rule), 1);
        if (fetched) {
            QCOMPARE(fetched->digest.toString(),
                     TestServices::instance().image(u"busybox"_s).value(u"digest").toString());
        } else {
            QCOMPARE(fetched.error().kind, Error::Kind::Network);
        }
        return;
    }
    const auto layer = bigLayer();
    QVERIFY(layer);
    const int rule = m_proxy->addRule(
        FaultRule::wrongContentLength("GET", blobPath(u"berth/busybox"_s), 1000, 1));
    QByteArray content;
    auto downloaded = download(*layer, &content);
    QCOMPARE(m_proxy->applied(rule), 1);
    if (downloaded) {
        QCOMPARE(*downloaded, layer->size);
        QCOMPARE(Sha256::digestOf(content), layer->digest.toString());
    } else {
        qInfo() << "failed as" << describe(downloaded.error());
        QVERIFY2(downloaded.error().kind != Error::Kind::Cancelled,
                 qPrintable(describe(downloaded.error())));
    }
}

void tst_RegistryFaults::redirectDropsAuthorization()
{
    // Behind Basic auth every registry request carries the password: a blob redirected to another
    // port (another origin, as S3 or a CDN would be) must be fetched without it.
    QVERIFY(startProxy(u"basic"_s));
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    const int rule = m_proxy->addRule(FaultRule::redirect("GET", blobPath(u"berth/busybox"_s)));

    QList<Descriptor> blobs = manifest->layers;
    blobs << manifest->config;
    for (const Descriptor &blob : blobs) {
        QByteArray content;
        auto downloaded = download(blob, &content);
        VERIFY_OK(downloaded);
        QCOMPARE(Sha256::digestOf(content), blob.digest.toString());
    }
    QCOMPARE(m_proxy->applied(rule), int(blobs.size()));

    // There was something to leak: the registry got the credentials on the same requests.
    int redirectedFromRegistry = 0;
    for (const SeenRequest &request : m_proxy->requests()) {
        if (request.status == 307) {
            ++redirectedFromRegistry;
            QVERIFY(request.header("Authorization").startsWith("Basic "));
        }
    }
    QCOMPARE(redirectedFromRegistry, int(blobs.size()));

    const QList<SeenRequest> elsewhere = m_proxy->redirectedRequests();
    QCOMPARE(int(elsewhere.size()), int(blobs.size()));
    for (const SeenRequest &request : elsewhere) {
        QVERIFY2(!request.hasHeader("Authorization"), request.header("Authorization").constData());
        QCOMPARE(request.status, 200);
    }
}

void tst_RegistryFaults::cancelMidDownload()
{
    QVERIFY(startProxy(u"plain"_s));
    const auto layer = bigLayer();
    QVERIFY(layer);
    // 64 KiB, then nothing for far longer than the test lasts: only the cancellation ends it.
    const int rule = m_proxy->addRule(
        FaultRule::stall("GET", blobPath(u"berth/busybox"_s), 64 * 1024, 600000));
    CancelToken cancel;
    qint64 seen = 0;
    BlobDownloadOptions options;
    options.cancel = cancel;
    options.progress = [&](qint64 done, qint64) {
        seen = done;
        cancel.cancel();
    };
    QByteArray content;
    auto downloaded = download(*layer, &content, options);
    QVERIFY(!downloaded);
    QCOMPARE(downloaded.error().kind, Error::Kind::Cancelled);
    QVERIFY(seen > 0);
    QVERIFY(seen < layer->size);
    QCOMPARE(m_proxy->applied(rule), 1);
    // Cancelled is final: no resume was attempted.
    QCOMPARE(m_proxy->matched(rule), 1);

    // Cancelled before it starts: nothing is sent at all.
    const qsizetype before = m_proxy->requests().size();
    CancelToken early;
    early.cancel();
    BlobDownloadOptions earlyOptions;
    earlyOptions.cancel = early;
    auto never = download(*layer, &content, earlyOptions);
    QVERIFY(!never);
    QCOMPARE(never.error().kind, Error::Kind::Cancelled);
    QCOMPARE(m_proxy->requests().size(), before);
}

void tst_RegistryFaults::tokenCached()
{
    // One token per (registry, scope): after the first challenge, every pull of the repository
    // carries the same Bearer token (each token the server issues has a unique jti).
    QVERIFY(startProxy(u"token"_s));
    m_credentials->set(m_proxy->host(), std::nullopt); // anonymous pull
    const auto manifest = busyboxManifest();
    QVERIFY(manifest);
    QVERIFY(busyboxManifest());
    auto head
        = await<ManifestResponse>([&](auto done) { m_client->headManifest(busybox(), done); });
    VERIFY_OK(head);
    auto config = await<QByteArray>([&](auto done) {
        m_client->fetchBlob(busybox(), manifest->config.digest, MaxConfigSize, done);
    });
    VERIFY_OK(config);
    auto tags = await<QStringList>([&](auto done) { m_client->listTags(busybox(), done); });
    VERIFY_OK(tags);

    int authorized = 0;
    const QSet<QByteArray> tokens = authorizationsSent(*m_proxy, &authorized);
    for (const QByteArray &token : tokens)
        QVERIFY(token.startsWith("Bearer "));
    QCOMPARE(authorized, 5);
    QCOMPARE(tokens.size(), 1);
    // Only the very first request went without a token, to learn the challenge.
    QCOMPARE(int(m_proxy->requests().size()), authorized + 1);
}

void tst_RegistryFaults::concurrentRequestsAskOnce_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<bool>("forPush");
    QTest::addColumn<int>("requests");
    QTest::addColumn<bool>("slowKeychain");

    QTest::newRow("token, pull scope, 3") << u"token"_s << false << 3 << false;
    QTest::newRow("token, pull scope, 8, slow keychain") << u"token"_s << false << 8 << true;
    QTest::newRow("token, push scope, 3") << u"token"_s << true << 3 << false;
    QTest::newRow("token, push scope, 8, slow keychain") << u"token"_s << true << 8 << true;
    QTest::newRow("basic, 8, slow keychain") << u"basic"_s << true << 8 << true;
}

void tst_RegistryFaults::concurrentRequestsAskOnce()
{
    // A push HEADs all its blobs at once, before the registry's challenge is known: the 401s
    // come back together, and all of them must share one keychain read and one token fetch
    // (each token the server issues has a unique jti, so distinct tokens count fetches).
    QFETCH(QString, flavour);
    QFETCH(bool, forPush);
    QFETCH(int, requests);
    QFETCH(bool, slowKeychain);
    QVERIFY(startProxy(flavour));
    if (slowKeychain)
        m_credentials->holdAnswers();
    const ImageReference repository = parseReference(m_proxy->host() + u"/berth/concurrent"_s);
    const auto scope = forPush ? RegistryClient::Scope::Push : RegistryClient::Scope::Pull;
    int finished = 0;
    QStringList failures;
    for (int i = 0; i < requests; ++i) {
        const Digest absent
            = *Digest::parse(Sha256::digestOf(QByteArray("absent " + QByteArray::number(i))));
        m_client->headBlob(
            repository,
            absent,
            [&](Result<std::optional<qint64>> r) {
                ++finished;
                if (!r)
                    failures << describe(r.error());
                else if (r->has_value())
                    failures << u"a blob that was never pushed is reported present"_s;
            },
            scope);
    }
    if (slowKeychain) {
        // Every first contact is answered 401 while the keychain is still "unlocking".
        QTRY_VERIFY2(std::count_if(m_proxy->requests().cbegin(),
                                   m_proxy->requests().cend(),
                                   [](const SeenRequest &r) { return r.status == 401; })
                         == requests,
                     qPrintable(requestLog(*m_proxy)));
        QTRY_COMPARE(m_credentials->held(), 1);
        m_credentials->releaseHeld();
    }
    QTRY_COMPARE(finished, requests);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u'\n')));
    QCOMPARE(m_credentials->lookups(), 1);

    int authorized = 0;
    const QSet<QByteArray> authorizations = authorizationsSent(*m_proxy, &authorized);
    QCOMPARE(authorized, requests);
    QCOMPARE(authorizations.size(), 1); // one token (or one Basic credential) for all
}

void tst_RegistryFaults::chunkedUploadThroughProxy()
{
    // Upload Locations come back absolute for the Host the registry saw: through the proxy they
    // must lead back to the proxy, and the PATCH/PUT sequence must work as direct.
    QVERIFY(startProxy(u"basic"_s));
    QByteArray data(300 * 1024 + 17, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 131) % 251);
    const Digest digest = *Digest::parse(Sha256::digestOf(data));
    const ImageReference repository = parseReference(m_proxy->host() + u"/berth/proxied-upload"_s);
    BlobUploadOptions options;
    options.chunkSize = 64 * 1024;
    auto uploaded = await<void>([&](auto done) {
        m_client->uploadBlob(
            repository,
            digest,
            data.size(),
            [&] {
                auto buffer = std::make_unique<QBuffer>();
                buffer->setData(data);
                buffer->open(QIODevice::ReadOnly);
                return std::unique_ptr<QIODevice>(std::move(buffer));
            },
            options,
            done);
    });
    VERIFY_OK(uploaded);
    int patches = 0;
    for (const SeenRequest &request : m_proxy->requests()) {
        if (request.method == "PATCH")
            ++patches;
        QVERIFY2(request.status != 502, request.target.constData());
    }
    QCOMPARE(patches, 5);
    auto head = await<std::optional<qint64>>(
        [&](auto done) { m_client->headBlob(repository, digest, done); });
    VERIFY_OK(head);
    QCOMPARE(head->value_or(-1), qint64(data.size()));
}

QTEST_GUILESS_MAIN(tst_RegistryFaults)

#include "tst_registryfaults.moc"
