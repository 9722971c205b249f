// The registry client (core/registry) against the real registries of the test services: plain,
// htpasswd Basic and token auth (DESIGN §5). Fixture digests come from services.json, which the
// harness read back from the registries with its own client, so a match here is a match with an
// independent implementation.

#include "asynctest.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "common/sha256.h"
#include "oci/manifest.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QTemporaryFile>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// One client as the application makes it, with short retry delays so failures stay fast.
struct Client
{
    Client()
    {
        client.setCredentialProvider(&credentials);
        RegistryTransportOptions options;
        options.retryBase = 10ms;
        client.transport().setOptions(options);
    }
    // Logs in to the registry of `flavour` with its test user (nothing for "plain").
    void login(const TestRegistry &registry, const QString &password = {})
    {
        if (!registry.username.isEmpty())
            credentials.set(registry.host,
                            Credential{registry.username,
                                       password.isEmpty() ? registry.password : password,
                                       false});
    }

    QNetworkAccessManager network;
    TestCredentials credentials;
    RegistryClient client{&network};
};

// A repository name no other run used: the registries live as long as the ctest run.
QString uniqueRepository(const QString &prefix)
{
    return prefix + u'-' + QString::number(QRandomGenerator::global()->generate64(), 16);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QStringList toStringList(const QJsonArray &array)
{
    QStringList list;
    for (const QJsonValue &v : array)
        list << v.toString();
    return list;
}

void addFlavourRows(const QStringList &flavours = {u"plain"_s, u"basic"_s, u"token"_s})
{
    QTest::addColumn<QString>("flavour");
    for (const QString &f : flavours)
        QTest::newRow(qPrintable(f)) << f;
}

} // namespace

class tst_RegistryClient final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void ping_data();
    void ping();
    void fetchManifest_data();
    void fetchManifest();
    void indexPlatforms_data();
    void indexPlatforms();
    void configAndLayers_data();
    void configAndLayers();
    void headBlob_data();
    void headBlob();
    void listTags_data();
    void listTags();
    void listManyTags();
    void catalog_data();
    void catalog();
    void privateRepository_data();
    void privateRepository();
    void wrongPassword_data();
    void wrongPassword();
    void verifyLogin_data();
    void verifyLogin();
    void notFound_data();
    void notFound();
    void uploadMonolithic_data();
    void uploadMonolithic();
    void uploadChunked_data();
    void uploadChunked();
    void mountBlob_data();
    void mountBlob();
    void putManifest_data();
    void putManifest();
    void anonymousPushRefused_data();
    void anonymousPushRefused();

private:
    // The image manifest of `reference`, parsed; fails the test when it cannot be read.
    std::optional<ImageManifest> imageManifest(const ImageReference &reference);

    std::unique_ptr<Client> m_client;
};

void tst_RegistryClient::initTestCase()
{
    // Everything is on loopback; a proxy from the environment must not get in the way.
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
}

void tst_RegistryClient::init()
{
    // A fresh client per test and row: no token, challenge or endpoint carries over.
    m_client = std::make_unique<Client>();
}

void tst_RegistryClient::cleanup()
{
    m_client.reset();
}

std::optional<ImageManifest> tst_RegistryClient::imageManifest(const ImageReference &reference)
{
    auto response = await<ManifestResponse>(
        [&](auto done) { m_client->client.fetchManifest(reference, done); });
    if (!response) {
        QTest::qFail(
            qPrintable(u"fetching " + reference.toString() + u": " + describe(response.error())),
            __FILE__,
            __LINE__);
        return std::nullopt;
    }
    auto manifest = parseImageManifest(response->body, response->mediaType);
    if (!manifest) {
        QTest::qFail(qPrintable(describe(manifest.error())), __FILE__, __LINE__);
        return std::nullopt;
    }
    return *manifest;
}

void tst_RegistryClient::ping_data()
{
    addFlavourRows();
}

void tst_RegistryClient::ping()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    auto result = await<PingResult>([&](auto done) { m_client->client.ping(registry.host, done); });
    VERIFY_OK(result);
    // Loopback registries speak plain HTTP here: the HTTPS probe must have fallen back.
    QCOMPARE(result->endpoint, QUrl(u"http://" + registry.host));
    QCOMPARE(result->authRequired, flavour != u"plain");
    if (flavour == u"plain") {
        QCOMPARE(result->apiVersion, u"registry/2.0"_s);
        QVERIFY(!result->challenge);
    } else if (flavour == u"basic") {
        QVERIFY(result->challenge);
        QCOMPARE(result->challenge->scheme, AuthChallenge::Scheme::Basic);
    } else {
        QVERIFY(result->challenge);
        QCOMPARE(result->challenge->scheme, AuthChallenge::Scheme::Bearer);
        QCOMPARE(result->challenge->realm(), registry.realm);
        QCOMPARE(result->challenge->service(), registry.service);
    }
}

void tst_RegistryClient::fetchManifest_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<QString>("image");
    QTest::addColumn<bool>("byDigest");
    for (const QString &flavour : {u"plain"_s, u"basic"_s, u"token"_s}) {
        for (const QString &image : {u"busybox"_s, u"busybox-docker"_s, u"multiarch"_s}) {
            for (const bool byDigest : {false, true}) {
                QTest::addRow(
                    "%s/%s/%s", qPrintable(flavour), qPrintable(image), byDigest ? "digest" : "tag")
                    << flavour << image << byDigest;
            }
        }
    }
}

void tst_RegistryClient::fetchManifest()
{
    QFETCH(QString, flavour);
    QFETCH(QString, image);
    QFETCH(bool, byDigest);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    const QJsonObject fixture = TestServices::instance().image(image);
    const QString expectedDigest = fixture.value(u"digest").toString();
    const QString expectedType = fixture.value(u"mediaType").toString();
    m_client->login(registry);

    const QString repository = registry.host + u'/' + fixture.value(u"repository").toString();
    const ImageReference reference = parseReference(
        byDigest ? repository + u'@' + expectedDigest
                 : repository + u':' + fixture.value(u"tags").toArray().first().toString());

    auto fetched = await<ManifestResponse>(
        [&](auto done) { m_client->client.fetchManifest(reference, done); });
    VERIFY_OK(fetched);
    QCOMPARE(fetched->mediaType, expectedType);
    QCOMPARE(fetched->digest.toString(), expectedDigest);
    QCOMPARE(Sha256::digestOf(fetched->body), expectedDigest);
    QCOMPARE(fetched->size, qint64(fetched->body.size()));
    // The body is what its media type says: a manifest list of platforms, or layers.
    if (MediaType::isIndex(expectedType)) {
        auto index = parseImageIndex(fetched->body, fetched->mediaType);
        VERIFY_OK(index);
        QCOMPARE(index->manifests.size(), fixture.value(u"platforms").toArray().size());
    } else {
        auto manifest = parseImageManifest(fetched->body, fetched->mediaType);
        VERIFY_OK(manifest);
        QCOMPARE(int(manifest->layers.size()), fixture.value(u"layers").toInt());
        QCOMPARE(manifest->config.digest.toString(), fixture.value(u"config").toString());
    }

    // HEAD agrees with GET without the body.
    auto head = await<ManifestResponse>(
        [&](auto done) { m_client->client.headManifest(reference, done); });
    VERIFY_OK(head);
    QCOMPARE(head->digest.toString(), expectedDigest);
    QCOMPARE(head->mediaType, expectedType);
    QCOMPARE(head->size, fetched->size);
    QVERIFY(head->body.isEmpty());
}

void tst_RegistryClient::indexPlatforms_data()
{
    addFlavourRows();
}

void tst_RegistryClient::indexPlatforms()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    const QJsonObject fixture = TestServices::instance().image(u"multiarch"_s);
    m_client->login(registry);
    const ImageReference reference = parseReference(registry.host + u"/berth/multiarch:1.0");

    auto fetched = await<ManifestResponse>(
        [&](auto done) { m_client->client.fetchManifest(reference, done); });
    VERIFY_OK(fetched);
    auto index = parseImageIndex(fetched->body, fetched->mediaType);
    VERIFY_OK(index);
    QStringList platforms;
    for (const Platform &p : index->platforms())
        platforms << p.toString();
    QCOMPARE(platforms, toStringList(fixture.value(u"platforms").toArray()));

    // Each platform's manifest, fetched by the digest the index names, is verified against it.
    const QJsonObject perPlatform = fixture.value(u"manifests").toObject();
    for (const QString &key : perPlatform.keys()) {
        auto platform = Platform::parse(key);
        VERIFY_OK(platform);
        const auto chosen = index->select(*platform);
        QVERIFY2(chosen, qPrintable(key));
        QCOMPARE(chosen->digest.toString(), perPlatform.value(key).toString());
        auto child = await<ManifestResponse>([&](auto done) {
            m_client->client.fetchManifest(reference.withDigest(chosen->digest), done);
        });
        VERIFY_OK(child);
        QCOMPARE(child->digest, chosen->digest);
        QCOMPARE(child->size, chosen->size);
        QVERIFY(MediaType::isImageManifest(child->mediaType));
    }
}

void tst_RegistryClient::configAndLayers_data()
{
    addFlavourRows();
}

void tst_RegistryClient::configAndLayers()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    const QJsonObject fixture = TestServices::instance().image(u"busybox"_s);
    m_client->login(registry);
    const ImageReference reference = parseReference(registry.host + u"/berth/busybox:1.0");
    const auto manifest = imageManifest(reference);
    QVERIFY(manifest);

    auto config = await<QByteArray>([&](auto done) {
        m_client->client.fetchBlob(reference, manifest->config.digest, MaxConfigSize, done);
    });
    VERIFY_OK(config);
    QCOMPARE(qint64(config->size()), manifest->config.size);
    QCOMPARE(Sha256::digestOf(*config), manifest->config.digest.toString());
    auto parsedConfig = parseImageConfig(*config);
    VERIFY_OK(parsedConfig);
    QCOMPARE(int(parsedConfig->history.size()), fixture.value(u"history").toInt());
    QCOMPARE(parsedConfig->platform.toString(),
             fixture.value(u"platforms").toArray().first().toString());

    // A config larger than the caller allows is refused, not truncated.
    auto tooSmall = await<QByteArray>([&](auto done) {
        m_client->client.fetchBlob(
            reference, manifest->config.digest, manifest->config.size - 1, done);
    });
    QVERIFY(!tooSmall);

    for (const Descriptor &layer : manifest->layers) {
        QTemporaryFile file;
        QVERIFY(file.open());
        DeviceBlobSink sink(&file);
        qint64 lastDone = 0;
        qint64 lastTotal = 0;
        int calls = 0;
        bool monotonic = true;
        BlobDownloadOptions options;
        options.expectedSize = layer.size;
        options.progress = [&](qint64 done, qint64 total) {
            monotonic = monotonic && done >= lastDone;
            lastDone = done;
            lastTotal = total;
            ++calls;
        };
        auto downloaded = await<qint64>([&](auto done) {
            m_client->client.downloadBlob(reference, layer.digest, &sink, options, done);
        });
        VERIFY_OK(downloaded);
        QCOMPARE(*downloaded, layer.size);
        QVERIFY(calls > 0);
        QVERIFY(monotonic);
        QCOMPARE(lastDone, layer.size);
        QCOMPARE(lastTotal, layer.size);
        QVERIFY(file.flush());
        QCOMPARE(file.size(), layer.size);
        QVERIFY(file.seek(0));
        QCOMPARE(Sha256::digestOf(file.readAll()), layer.digest.toString());
    }
}

void tst_RegistryClient::headBlob_data()
{
    addFlavourRows();
}

void tst_RegistryClient::headBlob()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    const QJsonObject fixture = TestServices::instance().image(u"busybox"_s);
    m_client->login(registry);
    const ImageReference repository = parseReference(registry.host + u"/berth/busybox");
    const auto manifest = imageManifest(repository.withTag(u"1.0"_s));
    QVERIFY(manifest);

    auto present = await<std::optional<qint64>>(
        [&](auto done) { m_client->client.headBlob(repository, manifest->config.digest, done); });
    VERIFY_OK(present);
    QVERIFY(present->has_value());
    QCOMPARE(**present, manifest->config.size);

    const Digest absentDigest = parseDigest(Sha256::digestOf(randomBytes(64)));
    auto absent = await<std::optional<qint64>>(
        [&](auto done) { m_client->client.headBlob(repository, absentDigest, done); });
    VERIFY_OK(absent);
    QVERIFY(!absent->has_value());
}

void tst_RegistryClient::listTags_data()
{
    addFlavourRows();
}

void tst_RegistryClient::listTags()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    m_client->login(registry);
    const QJsonObject fixture = TestServices::instance().image(u"busybox"_s);
    const ImageReference repository = parseReference(registry.host + u"/berth/busybox");
    auto tags = await<QStringList>([&](auto done) { m_client->client.listTags(repository, done); });
    VERIFY_OK(tags);
    QCOMPARE(sorted(*tags), sorted(toStringList(fixture.value(u"tags").toArray())));
}

void tst_RegistryClient::listManyTags()
{
    const QJsonObject many = TestServices::instance().many();
    const TestRegistry registry
        = TestServices::instance().registry(many.value(u"registry").toString());
    const ImageReference repository
        = parseReference(registry.host + u'/' + many.value(u"repository").toString());
    QStringList expected;
    const QJsonObject groups = many.value(u"groups").toObject();
    for (auto it = groups.begin(); it != groups.end(); ++it)
        expected += toStringList(it.value().toArray());
    QCOMPARE(int(expected.size()), many.value(u"tags").toInt());

    auto tags = await<QStringList>([&](auto done) { m_client->client.listTags(repository, done); });
    VERIFY_OK(tags);
    QCOMPARE(int(tags->size()), 300);
    QCOMPARE(sorted(*tags), sorted(expected));
}

void tst_RegistryClient::catalog_data()
{
    addFlavourRows();
}

void tst_RegistryClient::catalog()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    // The token server grants registry:catalog:* to logged-in users only.
    m_client->login(registry);
    auto repositories
        = await<QStringList>([&](auto done) { m_client->client.catalog(registry.host, done); });
    VERIFY_OK(repositories);
    const QJsonObject images = TestServices::instance().images();
    for (auto it = images.begin(); it != images.end(); ++it) {
        const QJsonObject image = it.value().toObject();
        if (toStringList(image.value(u"registries").toArray()).contains(flavour))
            QVERIFY2(repositories->contains(image.value(u"repository").toString()),
                     qPrintable(repositories->join(u' ')));
    }
    if (flavour == u"plain")
        QVERIFY(repositories->contains(
            TestServices::instance().many().value(u"repository").toString()));
    QVERIFY(!repositories->contains(u"private/secret"_s) || flavour != u"plain");
}

void tst_RegistryClient::privateRepository_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<bool>("logged");
    for (const QString &flavour : {u"basic"_s, u"token"_s}) {
        QTest::addRow("%s/anonymous", qPrintable(flavour)) << flavour << false;
        QTest::addRow("%s/logged-in", qPrintable(flavour)) << flavour << true;
    }
}

void tst_RegistryClient::privateRepository()
{
    QFETCH(QString, flavour);
    QFETCH(bool, logged);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    if (logged)
        m_client->login(registry);
    const QJsonObject fixture = TestServices::instance().image(u"private"_s);
    const ImageReference reference = parseReference(registry.host + u"/private/secret:1.0");
    auto fetched = await<ManifestResponse>(
        [&](auto done) { m_client->client.fetchManifest(reference, done); });
    if (logged) {
        VERIFY_OK(fetched);
        QCOMPARE(fetched->digest.toString(), fixture.value(u"digest").toString());
        return;
    }
    QVERIFY(!fetched);
    QCOMPARE(fetched.error().kind, Error::Kind::Unauthorized);
    QVERIFY2(fetched.error().message.contains(u"private/secret"),
             qPrintable(fetched.error().message));
}

void tst_RegistryClient::wrongPassword_data()
{
    addFlavourRows({u"basic"_s, u"token"_s});
}

void tst_RegistryClient::wrongPassword()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    m_client->login(registry, u"not-the-password"_s);
    const ImageReference reference = parseReference(registry.host + u"/berth/busybox:1.0");
    auto fetched = await<ManifestResponse>(
        [&](auto done) { m_client->client.fetchManifest(reference, done); });
    QVERIFY(!fetched);
    QCOMPARE(fetched.error().kind, Error::Kind::Unauthorized);
    QVERIFY2(fetched.error().message.contains(u"user name or password"),
             qPrintable(fetched.error().message));
    // Never the secret itself.
    QVERIFY(!fetched.error().message.contains(u"not-the-password"));
}

void tst_RegistryClient::verifyLogin_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<bool>("right");
    QTest::newRow("plain/any") << u"plain"_s << true;
    for (const QString &flavour : {u"basic"_s, u"token"_s}) {
        QTest::addRow("%s/right", qPrintable(flavour)) << flavour << true;
        QTest::addRow("%s/wrong", qPrintable(flavour)) << flavour << false;
    }
}

void tst_RegistryClient::verifyLogin()
{
    QFETCH(QString, flavour);
    QFETCH(bool, right);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    // A registry without auth accepts any login, as `docker login` reports.
    const Credential credential{
        registry.username.isEmpty() ? u"someone"_s : registry.username,
        right ? (registry.password.isEmpty() ? u"anything"_s : registry.password)
              : u"wrong-password"_s,
        false};
    auto result = await<void>(
        [&](auto done) { m_client->client.verifyLogin(registry.host, credential, done); });
    if (right) {
        VERIFY_OK(result);
    } else {
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::Unauthorized);
        QVERIFY2(result.error().message.contains(u"user name or password"),
                 qPrintable(result.error().message));
    }

    // The credentials under test serve nothing else: the client stays anonymous.
    if (flavour != u"plain") {
        const ImageReference reference = parseReference(registry.host + u"/private/secret:1.0");
        auto fetched = await<ManifestResponse>(
            [&](auto done) { m_client->client.fetchManifest(reference, done); });
        QVERIFY(!fetched);
        QCOMPARE(fetched.error().kind, Error::Kind::Unauthorized);
    }
}

void tst_RegistryClient::notFound_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("named");
    for (const QString &flavour : {u"plain"_s, u"basic"_s, u"token"_s}) {
        QTest::addRow("%s/repository", qPrintable(flavour))
            << flavour << u"berth/no-such-repository:1.0"_s << u"berth/no-such-repository"_s;
        QTest::addRow("%s/tag", qPrintable(flavour))
            << flavour << u"berth/busybox:no-such-tag"_s << u"no-such-tag"_s;
    }
}

void tst_RegistryClient::notFound()
{
    QFETCH(QString, flavour);
    QFETCH(QString, reference);
    QFETCH(QString, named);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    m_client->login(registry);
    const ImageReference ref = parseReference(registry.host + u'/' + reference);

    auto fetched
        = await<ManifestResponse>([&](auto done) { m_client->client.fetchManifest(ref, done); });
    QVERIFY(!fetched);
    QCOMPARE(fetched.error().kind, Error::Kind::NotFound);
    QVERIFY2(fetched.error().message.contains(named), qPrintable(fetched.error().message));

    auto head
        = await<ManifestResponse>([&](auto done) { m_client->client.headManifest(ref, done); });
    QVERIFY(!head);
    QCOMPARE(head.error().kind, Error::Kind::NotFound);
    QVERIFY2(head.error().message.contains(named), qPrintable(head.error().message));

    if (ref.path() == u"berth/no-such-repository") {
        auto tags = await<QStringList>([&](auto done) { m_client->client.listTags(ref, done); });
        QVERIFY(!tags);
        QCOMPARE(tags.error().kind, Error::Kind::NotFound);
        QVERIFY2(tags.error().message.contains(named), qPrintable(tags.error().message));
    }
}

void tst_RegistryClient::uploadMonolithic_data()
{
    addFlavourRows();
}

void tst_RegistryClient::uploadMonolithic()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    m_client->login(registry);
    const ImageReference repository
        = parseReference(registry.host + u'/' + uniqueRepository(u"berth/upload"_s));
    const QByteArray data = randomBytes(1024 * 1024 + 1000);
    const Digest digest = parseDigest(Sha256::digestOf(data));

    auto before = await<std::optional<qint64>>(
        [&](auto done) { m_client->client.headBlob(repository, digest, done); });
    VERIFY_OK(before);
    QVERIFY(!before->has_value());

    auto uploaded = await<void>(
        [&](auto done) { m_client->client.uploadBlob(repository, digest, data, done); });
    VERIFY_OK(uploaded);

    auto after = await<std::optional<qint64>>(
        [&](auto done) { m_client->client.headBlob(repository, digest, done); });
    VERIFY_OK(after);
    QCOMPARE(after->value_or(-1), qint64(data.size()));

    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::ReadWrite));
    DeviceBlobSink sink(&buffer);
    auto downloaded = await<qint64>(
        [&](auto done) { m_client->client.downloadBlob(repository, digest, &sink, {}, done); });
    VERIFY_OK(downloaded);
    QCOMPARE(*downloaded, qint64(data.size()));
    QVERIFY(buffer.data() == data);
}

void tst_RegistryClient::uploadChunked_data()
{
    addFlavourRows();
}

void tst_RegistryClient::uploadChunked()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    m_client->login(registry);
    const ImageReference repository
        = parseReference(registry.host + u'/' + uniqueRepository(u"berth/chunked"_s));
    // Not a multiple of the chunk size: the last chunk is short.
    const QByteArray data = randomBytes(1024 * 1024 + 4321);
    const Digest digest = parseDigest(Sha256::digestOf(data));
    constexpr qint64 chunkSize = 64 * 1024;

    int opened = 0;
    QList<qint64> progress;
    BlobUploadOptions options;
    options.chunkSize = chunkSize;
    bool totalsRight = true;
    options.progress = [&](qint64 done, qint64 total) {
        totalsRight = totalsRight && total == data.size();
        progress << done;
    };
    auto uploaded = await<void>([&](auto done) {
        m_client->client.uploadBlob(
            repository,
            digest,
            data.size(),
            [&] {
                ++opened;
                auto buffer = std::make_unique<QBuffer>();
                buffer->setData(data);
                buffer->open(QIODevice::ReadOnly);
                return std::unique_ptr<QIODevice>(std::move(buffer));
            },
            options,
            done);
    });
    VERIFY_OK(uploaded);
    QCOMPARE(opened, 1);
    QVERIFY(totalsRight);
    // One report per chunk, the last one complete.
    QCOMPARE(qint64(progress.size()), (qint64(data.size()) + chunkSize - 1) / chunkSize);
    QCOMPARE(progress.last(), qint64(data.size()));
    QVERIFY(std::is_sorted(progress.begin(), progress.end()));

    auto after = await<std::optional<qint64>>(
        [&](auto done) { m_client->client.headBlob(repository, digest, done); });
    VERIFY_OK(after);
    QCOMPARE(after->value_or(-1), qint64(data.size()));

    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::ReadWrite));
    DeviceBlobSink sink(&buffer);
    auto downloaded = await<qint64>(
        [&](auto done) { m_client->client.downloadBlob(repository, digest, &sink, {}, done); });
    VERIFY_OK(downloaded);
    QVERIFY(buffer.data() == data);
}

void tst_RegistryClient::mountBlob_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<bool>("exists");
    for (const QString &flavour : {u"plain"_s, u"basic"_s, u"token"_s}) {
        QTest::addRow("%s/existing", qPrintable(flavour)) << flavour << true;
        QTest::addRow("%s/unknown", qPrintable(flavour)) << flavour << false;
    }
}

void tst_RegistryClient::mountBlob()
{
    QFETCH(QString, flavour);
    QFETCH(bool, exists);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    m_client->login(registry);
    const ImageReference source = parseReference(registry.host + u"/berth/busybox:1.0");
    const auto manifest = imageManifest(source);
    QVERIFY(manifest);
    const Descriptor layer = manifest->layers.first();
    const Digest digest = exists ? layer.digest : parseDigest(Sha256::digestOf(randomBytes(64)));
    const ImageReference target
        = parseReference(registry.host + u'/' + uniqueRepository(u"berth/mounted"_s));

    auto mounted = await<bool>(
        [&](auto done) { m_client->client.mountBlob(target, digest, source.path(), done); });
    VERIFY_OK(mounted);
    QCOMPARE(*mounted, exists);

    auto head = await<std::optional<qint64>>(
        [&](auto done) { m_client->client.headBlob(target, digest, done); });
    VERIFY_OK(head);
    if (exists)
        QCOMPARE(head->value_or(-1), layer.size);
    else
        QVERIFY(!head->has_value());
}

void tst_RegistryClient::putManifest_data()
{
    addFlavourRows();
}

void tst_RegistryClient::putManifest()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    m_client->login(registry);
    const ImageReference repository
        = parseReference(registry.host + u'/' + uniqueRepository(u"berth/pushed"_s));

    // An uncompressed layer (its digest is its diff ID) and a config naming it. The registry does
    // not look inside layers, so random bytes stand in for a tar.
    const QByteArray layer = randomBytes(200 * 1024);
    const QString layerDigest = Sha256::digestOf(layer);
    const QByteArray config
        = QJsonDocument(
              QJsonObject{
                  {u"architecture"_s, u"amd64"_s},
                  {u"os"_s, u"linux"_s},
                  {u"config"_s, QJsonObject{{u"Cmd"_s, QJsonArray{u"/bin/sh"_s}}}},
                  {u"rootfs"_s,
                   QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, QJsonArray{layerDigest}}}},
              })
              .toJson(QJsonDocument::Compact);
    const QString configDigest = Sha256::digestOf(config);
    for (const auto &[bytes, digest] :
         {std::pair{layer, layerDigest}, std::pair{config, configDigest}}) {
        auto uploaded = await<void>([&](auto done) {
            m_client->client.uploadBlob(repository, parseDigest(digest), bytes, done);
        });
        VERIFY_OK(uploaded);
    }
    const QByteArray body
        = QJsonDocument(
              QJsonObject{
                  {u"schemaVersion"_s, 2},
                  {u"mediaType"_s, QString::fromLatin1(MediaType::OciManifest)},
                  {u"config"_s,
                   QJsonObject{{u"mediaType"_s, QString::fromLatin1(MediaType::OciConfig)},
                               {u"digest"_s, configDigest},
                               {u"size"_s, qint64(config.size())}}},
                  {u"layers"_s,
                   QJsonArray{
                       QJsonObject{{u"mediaType"_s, QString::fromLatin1(MediaType::OciLayer)},
                                   {u"digest"_s, layerDigest},
                                   {u"size"_s, qint64(layer.size())}}}},
              })
              .toJson(QJsonDocument::Indented); // indented on purpose: the bytes, not the JSON, are
                                                // digested
    const QString manifestDigest = Sha256::digestOf(body);
    const ImageReference tagged = repository.withTag(u"v1"_s);

    auto put = await<Digest>([&](auto done) {
        m_client->client.putManifest(
            tagged, QString::fromLatin1(MediaType::OciManifest), body, done);
    });
    VERIFY_OK(put);
    QCOMPARE(put->toString(), manifestDigest);

    for (const ImageReference &ref : {tagged, repository.withDigest(*put)}) {
        auto fetched = await<ManifestResponse>(
            [&](auto done) { m_client->client.fetchManifest(ref, done); });
        VERIFY_OK(fetched);
        QCOMPARE(fetched->body, body);
        QCOMPARE(fetched->digest.toString(), manifestDigest);
        QCOMPARE(fetched->mediaType, QString::fromLatin1(MediaType::OciManifest));
    }
    auto tags = await<QStringList>([&](auto done) { m_client->client.listTags(repository, done); });
    VERIFY_OK(tags);
    QCOMPARE(*tags, QStringList{u"v1"_s});
    auto fetchedConfig = await<QByteArray>([&](auto done) {
        m_client->client.fetchBlob(repository, parseDigest(configDigest), MaxConfigSize, done);
    });
    VERIFY_OK(fetchedConfig);
    QCOMPARE(*fetchedConfig, config);
}

void tst_RegistryClient::anonymousPushRefused_data()
{
    addFlavourRows({u"basic"_s, u"token"_s});
}

void tst_RegistryClient::anonymousPushRefused()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    const ImageReference repository = parseReference(registry.host + u"/berth/anonymous-push");
    const QByteArray data = randomBytes(1000);
    auto uploaded = await<void>([&](auto done) {
        m_client->client.uploadBlob(repository, parseDigest(Sha256::digestOf(data)), data, done);
    });
    QVERIFY(!uploaded);
    QCOMPARE(uploaded.error().kind, Error::Kind::Unauthorized);
    QVERIFY2(uploaded.error().message.contains(u"berth/anonymous-push"),
             qPrintable(uploaded.error().message));

    // The token registry lets anonymous callers pull the same repository they may not push to.
    if (flavour == u"token") {
        auto pulled = await<ManifestResponse>([&](auto done) {
            m_client->client.fetchManifest(parseReference(registry.host + u"/berth/busybox:1.0"),
                                           done);
        });
        VERIFY_OK(pulled);
    }
}

QTEST_GUILESS_MAIN(tst_RegistryClient)

#include "tst_registryclient.moc"
