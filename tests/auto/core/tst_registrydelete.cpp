// Delete and untag (core/registryops/registrydelete.h) against the real registries of the test
// services: plain, basic and token with deletes enabled, nodelete with them turned off; and the
// Docker Hub path against the fake Hub's account API. Every test pushes a repository of its own.

#include "asynctest.h"
#include "fakehubserver.h"
#include "faultproxy.h"
#include "pushedimage.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "common/sha256.h"
#include "oci/manifest.h"
#include "oci/mediatypes.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registryops/registrydelete.h"
#include "registryops/throwawaymanifest.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

struct Client
{
    Client()
    {
        client.setCredentialProvider(&credentials);
        RegistryTransportOptions options;
        options.retryBase = 10ms;
        client.transport().setOptions(options);
    }
    void login(const TestRegistry &registry)
    {
        if (!registry.username.isEmpty())
            credentials.set(registry.host, Credential{registry.username, registry.password, false});
    }

    QNetworkAccessManager network;
    TestCredentials credentials;
    RegistryClient client{&network};
};

// Image A under three tags, image B under one: what a delete or an untag of A must leave.
struct Repository
{
    ImageReference name;
    Digest a;
    Digest b;
};
const QStringList TagsOfA = {u"latest"_s, u"1.2"_s, u"1.2.3"_s};
const QStringList TagsOfAMostSpecificFirst = {u"1.2.3"_s, u"1.2"_s, u"latest"_s};

QString uniqueRepository(const QString &prefix)
{
    return prefix + u'-' + QString::number(QRandomGenerator::global()->generate64(), 16);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

void addFlavourRows()
{
    QTest::addColumn<QString>("flavour");
    for (const QString &f : {u"plain"_s, u"basic"_s, u"token"_s})
        QTest::newRow(qPrintable(f)) << f;
}

} // namespace

class tst_RegistryDelete final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void throwAwayManifestIsUniqueAndEmpty_data();
    void throwAwayManifestIsUniqueAndEmpty();
    void planListsEverySharingTag_data();
    void planListsEverySharingTag();
    void untagKeepsTheOtherTags_data();
    void untagKeepsTheOtherTags();
    void deleteRemovesEverySharingTag_data();
    void deleteRemovesEverySharingTag();
    void deleteAMultiPlatformIndex();
    void refusedWhenDeletesAreOff_data();
    void refusedWhenDeletesAreOff();
    void refusedWithoutPermission_data();
    void refusedWithoutPermission();
    void unknownReferenceDeletesNothing();
    void untagNeedsATag();
    void untagRequestSequence();
    void tagDeleteRefusedAloneFallsBack();
    void throwAwayRefusedPutsTheTagBack();
    void hubDeleteAndUntag();
    void hubRefusals_data();
    void hubRefusals();

private:
    // A fresh repository on `flavour`'s registry with images A and B pushed (logged in).
    std::optional<Repository> pushRepository(const QString &flavour);
    // The same on the plain registry, through a fault proxy whose host names it.
    std::optional<Repository> pushThrough(const FaultProxy &proxy);
    QStringList tagsOf(const ImageReference &repository);
    Result<ManifestResponse> head(const ImageReference &reference);

    std::unique_ptr<Client> m_client;
};

void tst_RegistryDelete::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
}

void tst_RegistryDelete::init()
{
    m_client = std::make_unique<Client>();
}

void tst_RegistryDelete::cleanup()
{
    m_client.reset();
}

std::optional<Repository> tst_RegistryDelete::pushRepository(const QString &flavour)
{
    const TestRegistry registry = TestServices::instance().registry(flavour);
    m_client->login(registry);
    Repository repo;
    repo.name
        = parseReference(registry.host + u'/' + uniqueRepository(u"berth/delete"_s)).withTag({});
    auto a = pushSmallImage(m_client->client, repo.name, TagsOfA);
    auto b = pushSmallImage(m_client->client, repo.name, {u"old"_s});
    if (!a || !b) {
        QTest::qFail(qPrintable(describe(!a ? a.error() : b.error())), __FILE__, __LINE__);
        return std::nullopt;
    }
    repo.a = *a;
    repo.b = *b;
    return repo;
}

std::optional<Repository> tst_RegistryDelete::pushThrough(const FaultProxy &proxy)
{
    Repository repo;
    repo.name
        = parseReference(proxy.host() + u'/' + uniqueRepository(u"berth/delete"_s)).withTag({});
    auto a = pushSmallImage(m_client->client, repo.name, TagsOfA);
    auto b = pushSmallImage(m_client->client, repo.name, {u"old"_s});
    if (!a || !b) {
        QTest::qFail(qPrintable(describe(!a ? a.error() : b.error())), __FILE__, __LINE__);
        return std::nullopt;
    }
    repo.a = *a;
    repo.b = *b;
    return repo;
}

QStringList tst_RegistryDelete::tagsOf(const ImageReference &repository)
{
    auto tags = await<QStringList>([&](auto done) { m_client->client.listTags(repository, done); });
    return tags ? sorted(*tags) : QStringList{u"<"_s + describe(tags.error()) + u'>'};
}

Result<ManifestResponse> tst_RegistryDelete::head(const ImageReference &reference)
{
    return await<ManifestResponse>(
        [&](auto done) { m_client->client.headManifest(reference, done); });
}

void tst_RegistryDelete::throwAwayManifestIsUniqueAndEmpty_data()
{
    QTest::addColumn<QString>("tag");
    QTest::newRow("plain tag") << u"latest"_s;
    QTest::newRow("version") << u"1.2.3-alpine3.19"_s;
    QTest::newRow("longest tag") << QString(128, u'x');
}

void tst_RegistryDelete::throwAwayManifestIsUniqueAndEmpty()
{
    QFETCH(QString, tag);
    // The empty descriptor's digest is that of the two bytes it names.
    QCOMPARE(Sha256::digestOf(QByteArray(EmptyConfigContent)),
             QString::fromLatin1(EmptyConfigDigest));
    const QByteArray first = throwAwayManifest(tag, untagNonce());
    const QByteArray second = throwAwayManifest(tag, untagNonce());
    QVERIFY(first != second); // two untags never meet on one digest
    auto manifest = parseImageManifest(first, QString::fromLatin1(MediaType::OciManifest));
    VERIFY_OK(manifest);
    QCOMPARE(manifest->config.digest.toString(), QString::fromLatin1(EmptyConfigDigest));
    QCOMPARE(manifest->config.size, 2);
    QCOMPARE(manifest->config.mediaType, QString::fromLatin1(EmptyConfigMediaType));
    QVERIFY(manifest->layers.isEmpty());
    const QJsonObject annotations
        = QJsonDocument::fromJson(first).object().value(u"annotations").toObject();
    QVERIFY(
        annotations.value(QString::fromLatin1(UntagAnnotation)).toString().startsWith(tag + u' '));
}

void tst_RegistryDelete::planListsEverySharingTag_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<bool>("byDigest");
    for (const QString &f : {u"plain"_s, u"basic"_s, u"token"_s}) {
        QTest::newRow(qPrintable(f + u" by tag")) << f << false;
        QTest::newRow(qPrintable(f + u" by digest")) << f << true;
    }
}

void tst_RegistryDelete::planListsEverySharingTag()
{
    QFETCH(QString, flavour);
    QFETCH(bool, byDigest);
    const auto repo = pushRepository(flavour);
    QVERIFY(repo);
    const ImageReference ref
        = byDigest ? repo->name.withDigest(repo->a) : repo->name.withTag(u"1.2"_s);
    auto plan
        = await<DeletePlan>([&](auto done) { planDelete(m_client->client, nullptr, ref, done); });
    VERIFY_OK(plan);
    QCOMPARE(plan->digest, repo->a);
    QCOMPARE(plan->repository.repository(), repo->name.repository());
    QCOMPARE(plan->tags, TagsOfAMostSpecificFirst);
    QVERIFY(plan->tagsComplete);
    QCOMPARE(plan->mediaType, QString::fromLatin1(MediaType::OciManifest));
    // Planning changes nothing.
    QCOMPARE(tagsOf(repo->name), sorted(TagsOfA + QStringList{u"old"_s}));
}

void tst_RegistryDelete::untagKeepsTheOtherTags_data()
{
    addFlavourRows();
}

void tst_RegistryDelete::untagKeepsTheOtherTags()
{
    QFETCH(QString, flavour);
    const auto repo = pushRepository(flavour);
    QVERIFY(repo);
    auto result = await<UntagResult>(
        [&](auto done) { untag(m_client->client, nullptr, repo->name.withTag(u"1.2"_s), done); });
    VERIFY_OK(result);
    // distribution 2.8 cannot delete a tag: the throw-away manifest took it.
    QCOMPARE(result->method, UntagMethod::ThrowAwayManifest);
    QVERIFY(result->throwAway.isValid());
    QCOMPARE(result->remaining, (QStringList{u"1.2.3"_s, u"latest"_s}));

    QCOMPARE(tagsOf(repo->name), (QStringList{u"1.2.3"_s, u"latest"_s, u"old"_s}));
    for (const QString &tag : {u"1.2.3"_s, u"latest"_s}) {
        auto still = head(repo->name.withTag(tag));
        VERIFY_OK(still);
        QCOMPARE(still->digest, repo->a);
    }
    QCOMPARE(head(repo->name.withTag(u"1.2"_s)).error().kind, Error::Kind::NotFound);
    // The throw-away manifest is gone, the image stays.
    QCOMPARE(head(repo->name.withDigest(result->throwAway)).error().kind, Error::Kind::NotFound);
    VERIFY_OK(head(repo->name.withDigest(repo->a)));
}

void tst_RegistryDelete::deleteRemovesEverySharingTag_data()
{
    addFlavourRows();
}

void tst_RegistryDelete::deleteRemovesEverySharingTag()
{
    QFETCH(QString, flavour);
    const auto repo = pushRepository(flavour);
    QVERIFY(repo);
    auto plan = await<DeletePlan>([&](auto done) {
        planDelete(m_client->client, nullptr, repo->name.withTag(u"latest"_s), done);
    });
    VERIFY_OK(plan);
    auto deleted
        = await<void>([&](auto done) { deleteImage(m_client->client, nullptr, *plan, done); });
    VERIFY_OK(deleted);
    QCOMPARE(tagsOf(repo->name), QStringList{u"old"_s});
    QCOMPARE(head(repo->name.withDigest(repo->a)).error().kind, Error::Kind::NotFound);
    auto other = head(repo->name.withTag(u"old"_s));
    VERIFY_OK(other);
    QCOMPARE(other->digest, repo->b);
}

// A multi-platform image copied from the fixtures' OCI layout with skopeo: deleting its index
// takes both tags; the platform manifests stay for the garbage collection to find.
void tst_RegistryDelete::deleteAMultiPlatformIndex()
{
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const ImageReference repo
        = parseReference(registry.host + u'/' + uniqueRepository(u"berth/delete-index"_s))
              .withTag({});
    QProcess skopeo;
    skopeo.setProcessChannelMode(QProcess::MergedChannels);
    skopeo.start(u"skopeo"_s,
                 {u"--insecure-policy"_s,
                  u"copy"_s,
                  u"--quiet"_s,
                  u"--all"_s,
                  u"--dest-tls-verify=false"_s,
                  u"--dest-no-creds"_s,
                  u"oci:"_s + TestServices::instance().ociLayout() + u":multiarch"_s,
                  u"docker://"_s + repo.withTag(u"1.0"_s).toString()});
    QVERIFY(skopeo.waitForFinished(120000));
    QVERIFY2(skopeo.exitCode() == 0, skopeo.readAll().constData());
    auto index = await<ManifestResponse>(
        [&](auto done) { m_client->client.fetchManifest(repo.withTag(u"1.0"_s), done); });
    VERIFY_OK(index);
    VERIFY_OK(await<Digest>([&](auto done) {
        m_client->client.putManifest(
            repo.withTag(u"latest"_s), index->mediaType, index->body, done);
    }));
    auto plan = await<DeletePlan>(
        [&](auto done) { planDelete(m_client->client, nullptr, repo.withTag(u"latest"_s), done); });
    VERIFY_OK(plan);
    QVERIFY(MediaType::isIndex(plan->mediaType));
    QCOMPARE(plan->digest, index->digest);
    QCOMPARE(plan->tags, (QStringList{u"1.0"_s, u"latest"_s}));
    VERIFY_OK(await<void>([&](auto done) { deleteImage(m_client->client, nullptr, *plan, done); }));
    QCOMPARE(tagsOf(repo), QStringList{});
    QCOMPARE(head(repo.withDigest(index->digest)).error().kind, Error::Kind::NotFound);
    auto parsed = parseImageIndex(index->body, index->mediaType);
    VERIFY_OK(parsed);
    VERIFY_OK(head(repo.withDigest(parsed->manifests.first().digest)));
}

void tst_RegistryDelete::refusedWhenDeletesAreOff_data()
{
    QTest::addColumn<bool>("untagging");
    QTest::newRow("delete") << false;
    QTest::newRow("untag") << true;
}

void tst_RegistryDelete::refusedWhenDeletesAreOff()
{
    QFETCH(bool, untagging);
    const auto repo = pushRepository(u"nodelete"_s);
    QVERIFY(repo);
    Error error;
    if (untagging) {
        auto r = await<UntagResult>([&](auto done) {
            untag(m_client->client, nullptr, repo->name.withTag(u"1.2"_s), done);
        });
        QVERIFY(!r);
        error = r.error();
    } else {
        auto plan = await<DeletePlan>([&](auto done) {
            planDelete(m_client->client, nullptr, repo->name.withTag(u"1.2"_s), done);
        });
        VERIFY_OK(plan);
        auto r
            = await<void>([&](auto done) { deleteImage(m_client->client, nullptr, *plan, done); });
        QVERIFY(!r);
        error = r.error();
    }
    QCOMPARE(error.kind, Error::Kind::Unsupported);
    QCOMPARE(error.httpStatus, 405);
    QVERIFY2(error.message.contains(repo->name.domain() + u" does not allow deleting images"),
             qPrintable(error.message));
    QVERIFY2(error.message.contains(u"storage.delete.enabled"_s), qPrintable(error.message));
    // Nothing changed: every tag is there and still names its image.
    QCOMPARE(tagsOf(repo->name), sorted(TagsOfA + QStringList{u"old"_s}));
    auto tagged = head(repo->name.withTag(u"1.2"_s));
    VERIFY_OK(tagged);
    QCOMPARE(tagged->digest, repo->a);
}

void tst_RegistryDelete::refusedWithoutPermission_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::newRow("basic") << u"basic"_s;
    QTest::newRow("token") << u"token"_s;
}

void tst_RegistryDelete::refusedWithoutPermission()
{
    QFETCH(QString, flavour);
    const auto repo = pushRepository(flavour);
    QVERIFY(repo);
    auto plan = await<DeletePlan>([&](auto done) {
        planDelete(m_client->client, nullptr, repo->name.withTag(u"latest"_s), done);
    });
    VERIFY_OK(plan);
    // The same plan from a client that never logged in.
    Client anonymous;
    auto r = await<void>([&](auto done) { deleteImage(anonymous.client, nullptr, *plan, done); });
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::Denied);
    QVERIFY2(r.error().message.contains(u"does not let anonymous users delete"_s),
             qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(repo->name.domain()));
    QCOMPARE(tagsOf(repo->name), sorted(TagsOfA + QStringList{u"old"_s}));
}

void tst_RegistryDelete::unknownReferenceDeletesNothing()
{
    const auto repo = pushRepository(u"plain"_s);
    QVERIFY(repo);
    auto plan = await<DeletePlan>([&](auto done) {
        planDelete(m_client->client, nullptr, repo->name.withTag(u"missing"_s), done);
    });
    QVERIFY(!plan);
    QCOMPARE(plan.error().kind, Error::Kind::NotFound);
    auto untagged = await<UntagResult>([&](auto done) {
        untag(m_client->client, nullptr, repo->name.withTag(u"missing"_s), done);
    });
    QVERIFY(!untagged);
    QCOMPARE(untagged.error().kind, Error::Kind::NotFound);
    QCOMPARE(tagsOf(repo->name), sorted(TagsOfA + QStringList{u"old"_s}));
}

void tst_RegistryDelete::untagNeedsATag()
{
    const ImageReference byDigest = parseReference(
        u"127.0.0.1:9/x@sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"_s);
    auto r
        = await<UntagResult>([&](auto done) { untag(m_client->client, nullptr, byDigest, done); });
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::InvalidArgument);
}

// What an untag sends once the plan is made, as the registry received it: distribution 2.8 refuses
// the tag DELETE with 400, then the throw-away manifest takes the tag and is deleted by digest.
void tst_RegistryDelete::untagRequestSequence()
{
    FaultProxy proxy(TestServices::instance().registry(u"plain"_s).host);
    QVERIFY(proxy.listen());
    const auto repo = pushThrough(proxy);
    QVERIFY(repo);
    proxy.clearLog();
    auto result = await<UntagResult>(
        [&](auto done) { untag(m_client->client, nullptr, repo->name.withTag(u"1.2"_s), done); });
    VERIFY_OK(result);
    const QString base = u"/v2/"_s + repo->name.path();
    // The repository lacks the empty config blob: it is uploaded (POST, PUT) before the PUT of
    // the throw-away manifest.
    QStringList writes;
    for (const SeenRequest &r : proxy.requests()) {
        if (r.method == "GET" || r.method == "HEAD")
            continue;
        QString path = QString::fromLatin1(r.path());
        if (path.startsWith(base + u"/blobs/uploads/"_s))
            path = base + u"/blobs/uploads/…"_s;
        writes << QString::fromLatin1(r.method) + u' ' + path + u' ' + QString::number(r.status);
    }
    QCOMPARE(writes,
             (QStringList{u"DELETE "_s + base + u"/manifests/1.2 400"_s,
                          u"POST "_s + base + u"/blobs/uploads/… 202"_s,
                          u"PUT "_s + base + u"/blobs/uploads/… 201"_s,
                          u"PUT "_s + base + u"/manifests/1.2 201"_s,
                          u"DELETE "_s + base + u"/manifests/"_s + result->throwAway.toString()
                              + u" 202"_s}));
}

// A registry that refuses tag deletes alone with 405 (the OCI spec allows it): a DELETE of a
// digest that cannot exist answers 404, so digest deletes work and the throw-away method runs.
void tst_RegistryDelete::tagDeleteRefusedAloneFallsBack()
{
    FaultProxy proxy(TestServices::instance().registry(u"plain"_s).host);
    QVERIFY(proxy.listen());
    const auto repo = pushThrough(proxy);
    QVERIFY(repo);
    const int rule = proxy.addRule(FaultRule::answer("DELETE", u"/manifests/1\\.2$"_s, 405, -1));
    auto result = await<UntagResult>(
        [&](auto done) { untag(m_client->client, nullptr, repo->name.withTag(u"1.2"_s), done); });
    VERIFY_OK(result);
    QCOMPARE(proxy.applied(rule), 1);
    QCOMPARE(result->method, UntagMethod::ThrowAwayManifest);
    QCOMPARE(result->remaining, (QStringList{u"1.2.3"_s, u"latest"_s}));
    QCOMPARE(tagsOf(repo->name), (QStringList{u"1.2.3"_s, u"latest"_s, u"old"_s}));
}

// The throw-away manifest cannot be deleted: the tag goes back to the image it named.
void tst_RegistryDelete::throwAwayRefusedPutsTheTagBack()
{
    FaultProxy proxy(TestServices::instance().registry(u"plain"_s).host);
    QVERIFY(proxy.listen());
    const auto repo = pushThrough(proxy);
    QVERIFY(repo);
    proxy.addRule(FaultRule::answer("DELETE", u"/manifests/sha256:"_s, 403, -1));
    auto result = await<UntagResult>(
        [&](auto done) { untag(m_client->client, nullptr, repo->name.withTag(u"1.2"_s), done); });
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::Denied);
    QVERIFY2(result.error().message.contains(repo->name.domain()),
             qPrintable(result.error().message));
    QCOMPARE(tagsOf(repo->name), sorted(TagsOfA + QStringList{u"old"_s}));
    auto back = head(repo->name.withTag(u"1.2"_s));
    VERIFY_OK(back);
    QCOMPARE(back->digest, repo->a);
}

void tst_RegistryDelete::hubDeleteAndUntag()
{
    FakeHubServer hub;
    QVERIFY(hub.listen());
    const QString a = Sha256::digestOf("a"), b = Sha256::digestOf("b");
    hub.serveWritableRepository(u"jean"_s,
                                u"app"_s,
                                {{u"latest"_s, a}, {u"2"_s, a}, {u"2.1"_s, a}, {u"1"_s, b}},
                                {u"jean"_s, u"dckr_pat_secret"_s, false});
    m_client->credentials.set(u"docker.io"_s, Credential{u"jean"_s, u"dckr_pat_secret"_s, false});
    HubClient hubClient(&m_client->network);
    hubClient.setBaseUrl(hub.url());

    auto untagged = await<UntagResult>([&](auto done) {
        untag(m_client->client, &hubClient, parseReference(u"jean/app:2"_s), done);
    });
    VERIFY_OK(untagged);
    QCOMPARE(untagged->method, UntagMethod::HubTagApi);
    QCOMPARE(untagged->remaining, (QStringList{u"2.1"_s, u"latest"_s}));
    QCOMPARE(hub.writableTags(), (QStringList{u"latest"_s, u"2.1"_s, u"1"_s}));

    auto plan = await<DeletePlan>([&](auto done) {
        planDelete(m_client->client, &hubClient, parseReference(u"jean/app:latest"_s), done);
    });
    VERIFY_OK(plan);
    QCOMPARE(plan->digest, parseDigest(a));
    QCOMPARE(plan->tags, (QStringList{u"2.1"_s, u"latest"_s}));
    auto deleted
        = await<void>([&](auto done) { deleteImage(m_client->client, &hubClient, *plan, done); });
    VERIFY_OK(deleted);
    QCOMPARE(hub.writableTags(), QStringList{u"1"_s});
    // One login served every DELETE.
    QCOMPARE(hub.requestCount(u"/v2/users/login"_s), 1);
}

void tst_RegistryDelete::hubRefusals_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("readOnly");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("wrong password") << u"wrong"_s << false << int(Error::Kind::Unauthorized)
                                    << u"Docker Hub refused the login of 'jean'"_s;
    QTest::newRow("read-only token") << u"dckr_pat_secret"_s << true << int(Error::Kind::Denied)
                                     << u"Docker Hub does not let 'jean' delete the tag '2'"_s;
    QTest::newRow("no login") << QString() << false << int(Error::Kind::Unauthorized)
                              << u"log in to docker.io"_s;
}

void tst_RegistryDelete::hubRefusals()
{
    QFETCH(QString, password);
    QFETCH(bool, readOnly);
    QFETCH(int, kind);
    QFETCH(QString, message);
    FakeHubServer hub;
    QVERIFY(hub.listen());
    const QString a = Sha256::digestOf("a");
    hub.serveWritableRepository(u"jean"_s,
                                u"app"_s,
                                {{u"latest"_s, a}, {u"2"_s, a}},
                                {u"jean"_s, u"dckr_pat_secret"_s, readOnly});
    if (!password.isEmpty())
        m_client->credentials.set(u"docker.io"_s, Credential{u"jean"_s, password, false});
    HubClient hubClient(&m_client->network);
    hubClient.setBaseUrl(hub.url());
    auto r = await<UntagResult>([&](auto done) {
        untag(m_client->client, &hubClient, parseReference(u"jean/app:2"_s), done);
    });
    QVERIFY(!r);
    QCOMPARE(int(r.error().kind), kind);
    QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
    QCOMPARE(hub.writableTags(), (QStringList{u"latest"_s, u"2"_s}));
}

QTEST_GUILESS_MAIN(tst_RegistryDelete)
#include "tst_registrydelete.moc"
