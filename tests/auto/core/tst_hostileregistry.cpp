// A hostile registry (issue 19), in process (tests/shared/fakehubserver.h): a token that smuggles
// headers, a tag list whose Link leads back to itself, a million-tag repository, a server that
// drips its answers a byte at a time, one that says yes to every blob HEAD, and an oversized
// manifest. Each must end bounded, with a message naming the registry, or be refused.

#include "asynctest.h"
#include "berthctlrunner.h"
#include "fakehubserver.h"
#include "testhelpers.h"

#include "common/sha256.h"
#include "oci/manifest.h"
#include "oci/mediatypes.h"
#include "oci/ocilayout.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registry/registrytags.h"
#include "registry/taggrouping.h"
#include "store/embeddedbackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

const QString Repository = u"test/app"_s;
const QString ManifestPath = u"/v2/test/app/manifests/1"_s;
const QString TagsPath = u"/v2/test/app/tags/list"_s;
// Slow enough to fall below any rate floor, fast enough that a test that fails still ends.
constexpr int DripMs = 20;

Digest digestOf(const QByteArray &data)
{
    return *Digest::parse(Sha256::digestOf(data));
}

// A one-layer image: its config, layer and manifest bytes.
struct Image
{
    QByteArray config;
    QByteArray layer;
    QByteArray manifest;
};

Image makeImage()
{
    Image image;
    image.config
        = QJsonDocument(
              QJsonObject{{u"architecture"_s, u"amd64"_s},
                          {u"os"_s, u"linux"_s},
                          {u"rootfs"_s,
                           QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, QJsonArray()}}}})
              .toJson(QJsonDocument::Compact);
    image.layer = QByteArray(3000, 'l');
    ImageManifest m;
    m.mediaType = QString::fromLatin1(MediaType::OciManifest);
    m.config = Descriptor{QString::fromLatin1(MediaType::OciConfig),
                          digestOf(image.config),
                          image.config.size(),
                          {},
                          {},
                          {}};
    m.layers = {Descriptor{QString::fromLatin1(MediaType::OciLayerGzip),
                           digestOf(image.layer),
                           image.layer.size(),
                           {},
                           {},
                           {}}};
    image.manifest = toJson(m);
    return image;
}

FakeHubResponse manifestResponse(const QByteArray &body)
{
    FakeHubResponse r;
    r.body = body;
    r.withHeader("Content-Type", MediaType::OciManifest);
    return r;
}

FakeHubResponse tagPage(const QStringList &names, const QByteArray &link = {})
{
    FakeHubResponse r = FakeHubResponse::json(
        QJsonDocument(
            QJsonObject{{u"name"_s, Repository}, {u"tags"_s, QJsonArray::fromStringList(names)}})
            .toJson(QJsonDocument::Compact));
    if (!link.isEmpty())
        r.withHeader("Link", '<' + link + ">; rel=\"next\"");
    return r;
}

bool anyRequestHas(const FakeHubServer &server, const QByteArray &header)
{
    const QList<FakeHubRequest> requests = server.requests();
    return std::any_of(requests.cbegin(), requests.cend(), [&](const FakeHubRequest &r) {
        return !r.header(header).isEmpty();
    });
}

// Messages seen while a test ran, for the ones no code path should print.
QStringList &seenMessages()
{
    static QStringList messages;
    return messages;
}

QtMessageHandler previousHandler = nullptr;

void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    seenMessages().append(message);
    if (previousHandler)
        previousHandler(type, context, message);
}

} // namespace

class tst_HostileRegistry final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void tokenCannotInjectHeaders_data();
    void tokenCannotInjectHeaders();
    void headerValueWithLineBreakRefused();
    void tagListStopsOnLoops_data();
    void tagListStopsOnLoops();
    void tagLookupsCapped();
    void cliShowsUnknownDigests();
    void tricklingServerFails_data();
    void tricklingServerFails();
    void tricklingHubFails();
    void blobHeadMustMatchSize_data();
    void blobHeadMustMatchSize();
    void oversizedManifestLeavesNoStrayWarning();

private:
    QString registry() const;
    ImageReference reference(const QString &suffix = u":1"_s) const;
    void serveBearerChallenge(const QByteArray &token, const QByteArray &manifest);
    QStringList serveManyTags(const Image &image, int count);

    std::unique_ptr<FakeHubServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
};

void tst_HostileRegistry::init()
{
    m_server = std::make_unique<FakeHubServer>();
    QVERIFY(m_server->listen());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    RegistryTransportOptions options;
    options.retryBase = 10ms;
    // Windows of a second, not a minute: the rules are the same, the test is short.
    options.rateWindow = 1s;
    options.requestDeadline = 1500ms;
    m_client->transport().setOptions(options);
}

void tst_HostileRegistry::cleanup()
{
    m_client.reset();
    m_network.reset();
    m_server.reset();
}

QString tst_HostileRegistry::registry() const
{
    return u"127.0.0.1:"_s + QString::number(m_server->url().port());
}

ImageReference tst_HostileRegistry::reference(const QString &suffix) const
{
    return ImageReference::parse(QString(registry() + u'/' + Repository + suffix)).value();
}

// /v2/test/app/manifests/1 wants a Bearer token from /token, which hands out `token`.
void tst_HostileRegistry::serveBearerChallenge(const QByteArray &token, const QByteArray &manifest)
{
    const QByteArray challenge
        = "Bearer realm=\"" + m_server->url().toEncoded() + "/token\",service=\"fake\"";
    m_server->route(
        u"/token"_s,
        FakeHubResponse::json(QJsonDocument(QJsonObject{{u"token"_s, QString::fromLatin1(token)},
                                                        {u"expires_in"_s, 300}})
                                  .toJson(QJsonDocument::Compact)));
    m_server->route(ManifestPath, [token, challenge, manifest](const FakeHubRequest &request) {
        if (request.header("authorization") == "Bearer " + token)
            return manifestResponse(manifest);
        return FakeHubResponse::json("{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}", 401)
            .withHeader("WWW-Authenticate", challenge);
    });
}

void tst_HostileRegistry::tokenCannotInjectHeaders_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("usable");
    QTest::newRow("CR LF and a header") << QByteArray("abc\r\nX-Injected: yes") << false;
    QTest::newRow("LF and a header") << QByteArray("abc\nX-Injected: yes") << false;
    QTest::newRow("space") << QByteArray("abc def") << false;
    QTest::newRow("quote") << QByteArray("abc\"") << false;
    QTest::newRow("padding inside") << QByteArray("ab=c") << false;
    QTest::newRow("every b64token character") << QByteArray("aZ09-._~+/==") << true;
    QTest::newRow("JWT") << QByteArray("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln") << true;
}

void tst_HostileRegistry::tokenCannotInjectHeaders()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, usable);
    serveBearerChallenge(token, makeImage().manifest);

    const auto manifest
        = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(reference(), done); });

    QVERIFY2(!anyRequestHas(*m_server, "x-injected"), "the token's header reached the registry");
    if (usable) {
        VERIFY_OK(manifest);
        return;
    }
    QVERIFY(!manifest);
    QCOMPARE(manifest.error().kind, Error::Kind::Protocol);
    QVERIFY2(manifest.error().message.contains(registry()), qPrintable(describe(manifest.error())));
    // The token was never sent: the registry saw no Authorization at all.
    QVERIFY(!anyRequestHas(*m_server, "authorization"));
}

void tst_HostileRegistry::headerValueWithLineBreakRefused()
{
    // Whatever the source (here a media type, which a pushed image's index supplies), a value
    // that would end its header line is never sent.
    m_server->route(ManifestPath, FakeHubResponse::json("{}", 201));
    const auto put = await<Digest>([&](auto done) {
        m_client->putManifest(reference(),
                              u"application/vnd.oci.image.manifest.v1+json\r\nX-Injected: yes"_s,
                              makeImage().manifest,
                              done);
    });
    QVERIFY(!put);
    QCOMPARE(put.error().kind, Error::Kind::Protocol);
    QVERIFY2(put.error().message.contains(registry()), qPrintable(describe(put.error())));
    QVERIFY2(put.error().message.contains(u"Content-Type"_s), qPrintable(describe(put.error())));
    QVERIFY(!anyRequestHas(*m_server, "x-injected"));
    QCOMPARE(m_server->requestCount(ManifestPath), 0);
}

void tst_HostileRegistry::tagListStopsOnLoops_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("maxPages");
    QTest::newRow("Link to itself") << u"self"_s << QStringList{u"a"_s, u"b"_s} << 1;
    QTest::newRow("two pages linking to each other")
        << u"cycle"_s << QStringList{u"a"_s, u"b"_s, u"c"_s} << 2;
    QTest::newRow("new URLs, the same names") << u"repeat"_s << QStringList{u"a"_s, u"b"_s} << 2;
    QStringList endless;
    for (qsizetype i = 0; i < MaxListedNames; ++i)
        endless << u"t"_s + QString::number(i);
    QTest::newRow("new names without end") << u"endless"_s << endless << int(MaxListedNames / 1000);
}

void tst_HostileRegistry::tagListStopsOnLoops()
{
    QFETCH(QString, mode);
    QFETCH(QStringList, expected);
    QFETCH(int, maxPages);
    const QByteArray first = "/v2/test/app/tags/list?n=1000";
    m_server->route(TagsPath, [mode, first](const FakeHubRequest &request) {
        const int page = request.queryItem(u"page"_s).toInt();
        const QByteArray next
            = "/v2/test/app/tags/list?n=1000&page=" + QByteArray::number(page + 1);
        if (mode == u"self")
            return tagPage({u"a"_s, u"b"_s, u"a"_s}, request.target);
        if (mode == u"cycle")
            return page == 0 ? tagPage({u"a"_s, u"b"_s}, next) : tagPage({u"b"_s, u"c"_s}, first);
        if (mode == u"repeat")
            return tagPage({u"a"_s, u"b"_s}, next);
        QStringList names;
        for (int i = 0; i < 1000; ++i)
            names << u"t"_s + QString::number(page * 1000 + i);
        return tagPage(names, next);
    });

    const auto tags = await<QStringList>([&](auto done) { m_client->listTags(reference(), done); });

    VERIFY_OK(tags);
    QVERIFY2(m_server->requestCount(TagsPath) <= maxPages,
             qPrintable(QString::number(m_server->requestCount(TagsPath)) + u" pages read"_s));
    QCOMPARE(tags->size(), expected.size());
    QCOMPARE(*tags, expected);
}

// A repository of `count` tags, all of one image.
QStringList tst_HostileRegistry::serveManyTags(const Image &image, int count)
{
    QStringList names;
    for (int i = 0; i < count; ++i)
        names << u"v"_s + QString::number(i);
    m_server->route(TagsPath, tagPage(names));
    m_server->route(u"/v2/test/app/blobs/"_s + digestOf(image.config).toString(),
                    FakeHubResponse::json(image.config));
    const QByteArray digest = Sha256::digestOf(image.manifest).toLatin1();
    const QByteArray manifest = image.manifest;
    m_server->setHandler([digest, manifest](const FakeHubRequest &request) {
        if (!request.path.startsWith(u"/v2/test/app/manifests/"_s))
            return FakeHubResponse::notFound();
        if (request.method == "HEAD")
            return manifestResponse({})
                .withHeader("Docker-Content-Digest", digest)
                .withHeader("Content-Length", QByteArray::number(manifest.size()));
        return manifestResponse(manifest);
    });
    return names;
}

void tst_HostileRegistry::tagLookupsCapped()
{
    const Image image = makeImage();
    const Digest manifestDigest = digestOf(image.manifest);
    constexpr int Beyond = 300;
    const QStringList names = serveManyTags(image, MaxDigestLookups + Beyond);

    QList<std::pair<int, int>> progress;
    const auto tags = await<QList<TagInfo>>([&](auto done) {
        listRegistryTags(*m_client, reference(), done, [&](int finished, int total) {
            progress.append({finished, total});
        });
    });

    VERIFY_OK(tags);
    int heads = 0;
    for (const FakeHubRequest &request : m_server->requests())
        heads += request.method == "HEAD" ? 1 : 0;
    QCOMPARE(heads, MaxDigestLookups);
    QCOMPARE(tags->size(), names.size());
    QCOMPARE(progress.size(), MaxDigestLookups);
    QCOMPARE(progress.constLast(), std::pair(MaxDigestLookups, MaxDigestLookups));

    const QList<TagGroup> groups = groupTagsByDigest(*tags);
    QCOMPARE(groups.size(), 2);
    QCOMPARE(groups.first().digest, manifestDigest);
    QCOMPARE(groups.first().tags.size(), MaxDigestLookups);
    QVERIFY(groups.last().digestUnknown);
    QVERIFY(!groups.last().digest.isValid());
    QCOMPARE(groups.last().tags.size(), Beyond);
}

void tst_HostileRegistry::cliShowsUnknownDigests()
{
    constexpr int Beyond = 300;
    serveManyTags(makeImage(), MaxDigestLookups + Beyond);
    QTemporaryDir home;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"HOME"_s, home.path());
    environment.insert(u"XDG_CONFIG_HOME"_s, home.path() + u"/.config"_s);

    const CtlRun run = runBerthctl({u"tags"_s, registry() + u'/' + Repository}, environment);

    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QList<QByteArray> rows = run.out.trimmed().split('\n');
    QVERIFY2(rows.constLast().startsWith("unknown "), run.out.right(300).constData());
    QVERIFY(rows.constLast().contains(
        QByteArray("v" + QByteArray::number(MaxDigestLookups + Beyond - 1))));
    const QByteArray done = QByteArray::number(MaxDigestLookups);
    QVERIFY2(
        run.err.contains(QByteArray("Looked up the digests of " + done + " of " + done + " tags")),
        run.err.constData());
    QVERIFY2(run.err.contains(QByteArray("the other " + QByteArray::number(Beyond) + " tag")),
             run.err.constData());
}

void tst_HostileRegistry::tricklingServerFails_data()
{
    QTest::addColumn<QString>("what");
    QTest::newRow("manifest") << u"manifest"_s;
    QTest::newRow("blob") << u"blob"_s;
    QTest::newRow("token") << u"token"_s;
}

void tst_HostileRegistry::tricklingServerFails()
{
    QFETCH(QString, what);
    const Image image = makeImage();
    // Padding a manifest keeps it valid JSON and long enough to drip for minutes.
    const QByteArray longManifest = image.manifest + QByteArray(8000, ' ');
    const QByteArray longBlob(8000, 'b');
    Result<QByteArray> result = QByteArray();
    if (what == u"manifest") {
        m_server->route(ManifestPath, manifestResponse(longManifest).withDrip(DripMs));
        const auto m = await<ManifestResponse>(
            [&](auto done) { m_client->fetchManifest(reference(), done); }, 30000);
        result = m ? Result<QByteArray>(m->body) : fail(m.error());
    } else if (what == u"blob") {
        m_server->route(u"/v2/test/app/blobs/"_s + digestOf(longBlob).toString(),
                        FakeHubResponse::json(longBlob).withDrip(DripMs));
        result = await<QByteArray>(
            [&](auto done) {
                m_client->fetchBlob(reference(), digestOf(longBlob), 1024 * 1024, done);
            },
            30000);
    } else {
        serveBearerChallenge("good-token", image.manifest);
        m_server->route(
            u"/token"_s,
            FakeHubResponse::json("{\"token\":\"good-token\"" + QByteArray(8000, ' ') + '}')
                .withDrip(DripMs));
        const auto m = await<ManifestResponse>(
            [&](auto done) { m_client->fetchManifest(reference(), done); }, 30000);
        result = m ? Result<QByteArray>(m->body) : fail(m.error());
    }

    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::Network);
    QVERIFY2(result.error().message.contains(registry()), qPrintable(describe(result.error())));
    QVERIFY2(result.error().message.contains(u"too slow"_s), qPrintable(describe(result.error())));
}

void tst_HostileRegistry::tricklingHubFails()
{
    // Docker Hub's API (HubClient, Qt's stack): the same drip meets the request deadline.
    HubClient hub(m_network.get());
    hub.setBaseUrl(m_server->url());
    hub.setRequestDeadline(1500ms);
    m_server->setHandler([](const FakeHubRequest &) {
        return FakeHubResponse::json("{\"name\":\"node\"" + QByteArray(8000, ' ') + '}')
            .withDrip(DripMs);
    });
    const auto repository = await<HubRepository>(
        [&](auto done) { hub.repository(u"library"_s, u"node"_s, done); }, 30000);
    QVERIFY(!repository);
    QCOMPARE(repository.error().kind, Error::Kind::Network);
    QVERIFY2(repository.error().message.contains(u"127.0.0.1"_s),
             qPrintable(describe(repository.error())));
    QVERIFY2(repository.error().message.contains(u"did not answer within 2 seconds"_s),
             qPrintable(describe(repository.error())));
}

void tst_HostileRegistry::blobHeadMustMatchSize_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<int>("uploaded");
    QTest::newRow("empty answer to every HEAD") << u"empty"_s << 2;
    QTest::newRow("another size") << u"other"_s << 2;
    QTest::newRow("the blob's size (the registry has it)") << u"right"_s << 0;
}

void tst_HostileRegistry::blobHeadMustMatchSize()
{
    QFETCH(QString, answer);
    QFETCH(int, uploaded);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EmbeddedBackend backend(dir.path() + u"/store"_s, m_client.get());
    const Image image = makeImage();
    const OciStore &store = backend.store();
    QVERIFY(store.init());
    QVERIFY(store.writeBlob(image.config));
    QVERIFY(store.writeBlob(image.layer));
    QVERIFY(store.writeBlob(image.manifest));
    const ImageReference target = reference();
    QVERIFY(store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
        Descriptor d{QString::fromLatin1(MediaType::OciManifest),
                     digestOf(image.manifest),
                     image.manifest.size(),
                     {},
                     {},
                     {}};
        d.annotations.insert(QLatin1String(RefNameAnnotation), OciStore::refNameFor(target));
        entries.append(OciIndexEntry{d});
        return {};
    }));

    const QHash<QString, qint64> sizes{{digestOf(image.config).toString(), image.config.size()},
                                       {digestOf(image.layer).toString(), image.layer.size()}};
    QSet<QString> received;
    m_server->setHandler([&](const FakeHubRequest &request) {
        const QString blobs = u"/v2/test/app/blobs/"_s;
        if (request.method == "HEAD" && request.path.startsWith(blobs)) {
            const qint64 size = answer == u"empty"   ? 0
                                : answer == u"other" ? 123456
                                                     : sizes.value(request.path.mid(blobs.size()));
            return FakeHubResponse().withHeader("Content-Length", QByteArray::number(size));
        }
        if (request.method == "POST" && request.path == blobs + u"uploads/"_s)
            return FakeHubResponse::json({}, 202).withHeader("Location", "/upload/1");
        if (request.method == "PUT" && request.path == u"/upload/1"_s) {
            const QString digest = request.queryItem(u"digest"_s);
            if (Sha256::digestOf(request.body) != digest)
                return FakeHubResponse::json("{}", 400);
            received.insert(digest);
            return FakeHubResponse::json({}, 201).withHeader("Docker-Content-Digest",
                                                             digest.toLatin1());
        }
        if (request.method == "PUT" && request.path == ManifestPath)
            return FakeHubResponse::json({}, 201).withHeader(
                "Docker-Content-Digest", Sha256::digestOf(request.body).toLatin1());
        return FakeHubResponse::notFound();
    });

    const auto pushed
        = await<PushResult>([&](auto done) { backend.push(target, {}, done); }, 60000);

    VERIFY_OK(pushed);
    QCOMPARE(pushed->blobsUploaded, uploaded);
    QCOMPARE(pushed->blobsSkipped, 2 - uploaded);
    QCOMPARE(int(received.size()), uploaded);
}

void tst_HostileRegistry::oversizedManifestLeavesNoStrayWarning()
{
    m_server->route(ManifestPath,
                    manifestResponse('{' + QByteArray(MaxManifestSize + 64 * 1024, ' ') + '}'));
    seenMessages().clear();
    previousHandler = qInstallMessageHandler(recordMessage);
    const auto manifest
        = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(reference(), done); });
    qInstallMessageHandler(previousHandler);

    QVERIFY(!manifest);
    QVERIFY2(manifest.error().message.contains(u"larger"_s),
             qPrintable(describe(manifest.error())));
    for (const QString &message : std::as_const(seenMessages()))
        QVERIFY2(!message.contains(u"device not open"_s), qPrintable(message));
}

QTEST_MAIN(tst_HostileRegistry)
#include "tst_hostileregistry.moc"
