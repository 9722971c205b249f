// The update check (core/registryops/updatecheck) against the real registries: the embedded store
// behind a FaultProxy that records every request (an up-to-date check is one HEAD), and dockerd
// and podman (`--with docker,podman`), each with a repository of its own that the test moves on
// with skopeo.

#include "asynctest.h"
#include "faultproxy.h"
#include "handtar.h"
#include "movingtag.h"
#include "testhelpers.h"
#include "testservices.h"

#include "registry/registryclient.h"
#include "registryops/updatecheck.h"
#include "store/embeddedbackend.h"
#include "store/enginebackend.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

UpdateStatus statusOf(const QList<UpdateStatus> &statuses, const QString &name)
{
    for (const UpdateStatus &s : statuses)
        if (s.name == name)
            return s;
    return {};
}

QString describe(const UpdateStatus &s)
{
    return u"%1: %2, local %3, remote %4, %5 request(s) %6"_s
        .arg(s.name, updateStateName(s.state), s.local.toString(), s.remote.toString())
        .arg(s.requests)
        .arg(s.message);
}

} // namespace

class tst_UpdateCheck final : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<EmbeddedBackend> m_embedded;

    Result<QList<UpdateStatus>> check(ImageBackend &backend)
    {
        auto images = await<QList<LocalImage>>([&](auto done) { backend.listImages(done); });
        if (!images)
            return fail(images.error());
        return await<QList<UpdateStatus>>(
            [&](auto done) { checkForUpdates(*m_client, updateCheckTargets(*images), {}, done); });
    }
    UpdateStatus checkOne(ImageBackend &backend, const QString &name)
    {
        auto statuses = check(backend);
        if (!statuses)
            qWarning("the check failed: %s", qPrintable(statuses.error().message));
        return statuses ? statusOf(*statuses, name) : UpdateStatus{};
    }
    Result<PullResult>
    pull(ImageBackend &backend, const QString &reference, std::optional<Platform> platform = {})
    {
        PullOptions options;
        options.platform = platform;
        return await<PullResult>(
            [&](auto done) { backend.pull(*ImageReference::parse(reference), options, done); },
            300000);
    }
    // The manifest requests the proxy saw since the last clearLog(): "HEAD", "GET".
    QStringList manifestRequests() const
    {
        QStringList out;
        for (const SeenRequest &r : m_proxy->requests())
            if (r.path().contains("/manifests/"))
                out << QString::fromLatin1(r.method);
        return out;
    }
    std::unique_ptr<EngineBackend> engine(const QString &name);
    void engineCheck(const QString &name);

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void upToDateIsOneHead();
    void movedTagIsAnUpdate();
    void deletedTagIsNotInRegistry();
    void importedImageIsLocalOnly();
    void multiarchIsPlatformAware();
    void cancelStopsTheCheck();
    void hostileAnswers_data();
    void hostileAnswers();
    void upToDateCostsNoPull();
    void manyTagsOneHeadEach();
    void docker() { engineCheck(u"docker"_s); }
    void podman() { engineCheck(u"podman"_s); }
};

void tst_UpdateCheck::initTestCase()
{
    m_client = std::make_unique<RegistryClient>(&m_network);
}

void tst_UpdateCheck::init()
{
    m_proxy = std::make_unique<FaultProxy>(plainRegistryHost());
    QVERIFY(m_proxy->listen());
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_embedded = std::make_unique<EmbeddedBackend>(m_dir->filePath(u"store"_s), m_client.get());
}

void tst_UpdateCheck::cleanup()
{
    m_embedded.reset();
    m_dir.reset();
    m_proxy.reset();
}

void tst_UpdateCheck::upToDateIsOneHead()
{
    const QString repository = freshRepository(u"head"_s);
    QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, repository + u":1.0"));
    const QString name = m_proxy->host() + u'/' + repository + u":1.0";
    VERIFY_OK(pull(*m_embedded, name));

    m_proxy->clearLog();
    const UpdateStatus s = checkOne(*m_embedded, name);
    QVERIFY2(s.state == UpdateState::UpToDate, qPrintable(describe(s)));
    QCOMPARE(s.local.toString(), fixtureDigest(u"busybox"_s));
    QCOMPARE(s.remote.toString(), fixtureDigest(u"busybox"_s));
    QCOMPARE(s.requests, 1);
    QCOMPARE(manifestRequests(), QStringList{u"HEAD"_s});
}

void tst_UpdateCheck::movedTagIsAnUpdate()
{
    const QString repository = freshRepository(u"moved"_s);
    QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, repository + u":1.0"));
    const QString name = m_proxy->host() + u'/' + repository + u":1.0";
    VERIFY_OK(pull(*m_embedded, name));

    const auto [other, otherDigest] = anotherImage();
    QVERIFY(copyInPlainRegistry(other, repository + u":1.0"));
    m_proxy->clearLog();
    const UpdateStatus s = checkOne(*m_embedded, name);
    QVERIFY2(s.state == UpdateState::UpdateAvailable, qPrintable(describe(s)));
    QCOMPARE(s.local.toString(), fixtureDigest(u"busybox"_s));
    QCOMPARE(s.remote.toString(), otherDigest);
    // A single manifest that differs is an update: no GET, no pull counted.
    QCOMPARE(manifestRequests(), QStringList{u"HEAD"_s});

    // Pulling it makes the image up to date again.
    VERIFY_OK(pull(*m_embedded, name));
    const UpdateStatus after = checkOne(*m_embedded, name);
    QVERIFY2(after.state == UpdateState::UpToDate, qPrintable(describe(after)));
    QCOMPARE(after.local.toString(), otherDigest);
}

void tst_UpdateCheck::deletedTagIsNotInRegistry()
{
    const QString repository = freshRepository(u"gone"_s);
    QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, repository + u":1.0"));
    const QString name = m_proxy->host() + u'/' + repository + u":1.0";
    VERIFY_OK(pull(*m_embedded, name));
    QVERIFY(deleteInPlainRegistry(repository + u":1.0"));

    const UpdateStatus s = checkOne(*m_embedded, name);
    QVERIFY2(s.state == UpdateState::NotInRegistry, qPrintable(describe(s)));
    QCOMPARE(s.local.toString(), fixtureDigest(u"busybox"_s));
    QVERIFY(!s.remote.isValid());
    QVERIFY2(s.message.contains(name), qPrintable(s.message));
}

void tst_UpdateCheck::importedImageIsLocalOnly()
{
    const QString tarPath = m_dir->filePath(u"rootfs.tar"_s);
    QFile tar(tarPath);
    QVERIFY(tar.open(QIODevice::WriteOnly));
    tar.write(tarEntry("hello.txt", '0', "bonjour\n") + tarEnd());
    tar.close();
    const QString name = m_proxy->host() + u"/berth/imported:1.0";
    ImportOptions options;
    options.reference = *ImageReference::parse(name);
    VERIFY_OK(await<ImportResult>([&](auto done) {
        m_embedded->importFilesystem(ArchiveSource::file(tarPath), options, done);
    }));
    // A retagged pulled image has no registry digest for its new name either.
    VERIFY_OK(pull(*m_embedded, plainRegistryHost() + u"/berth/busybox:1.0"));
    const QString retagged = m_proxy->host() + u"/berth/retagged:1.0";
    VERIFY_OK(await<void>([&](auto done) {
        m_embedded->tag(
            plainRegistryHost() + u"/berth/busybox:1.0", *ImageReference::parse(retagged), done);
    }));

    m_proxy->clearLog();
    auto statuses = check(*m_embedded);
    VERIFY_OK(statuses);
    for (const QString &local : {name, retagged}) {
        const UpdateStatus s = statusOf(*statuses, local);
        QVERIFY2(s.state == UpdateState::LocalOnly, qPrintable(describe(s)));
        QCOMPARE(s.requests, 0);
        QVERIFY(!s.local.isValid());
    }
    QVERIFY(manifestRequests().isEmpty());
}

void tst_UpdateCheck::multiarchIsPlatformAware()
{
    const QString repository = freshRepository(u"multi"_s);
    QVERIFY(copyInPlainRegistry(u"berth/multiarch:1.0"_s, repository + u":1.0"));
    const QString name = m_proxy->host() + u'/' + repository + u":1.0";
    const Platform arm = *Platform::parse(u"linux/arm64/v8"_s);
    VERIFY_OK(pull(*m_embedded, name, arm));

    m_proxy->clearLog();
    const UpdateStatus same = checkOne(*m_embedded, name);
    QVERIFY2(same.state == UpdateState::UpToDate, qPrintable(describe(same)));
    QCOMPARE(same.local.toString(), fixtureDigest(u"multiarch"_s));
    QCOMPARE(manifestRequests(), QStringList{u"HEAD"_s});

    // A new index whose arm64 image is unchanged (only an annotation differs): still up to date,
    // found by reading the index once and this platform's manifest once.
    auto index = await<ManifestResponse>([&](auto done) {
        m_client->fetchManifest(
            *ImageReference::parse(QString(plainRegistryHost() + u'/' + repository + u":1.0")),
            done);
    });
    VERIFY_OK(index);
    QJsonObject json = QJsonDocument::fromJson(index->body).object();
    json.insert(u"annotations"_s, QJsonObject{{u"org.example.rebuilt"_s, u"yes"_s}});
    const ImageReference target
        = *ImageReference::parse(QString(plainRegistryHost() + u'/' + repository + u":1.0"));
    auto annotated = await<Digest>([&](auto done) {
        m_client->putManifest(target, index->mediaType, QJsonDocument(json).toJson(), done);
    });
    VERIFY_OK(annotated);
    m_proxy->clearLog();
    const UpdateStatus rebuilt = checkOne(*m_embedded, name);
    QVERIFY2(rebuilt.state == UpdateState::UpToDate, qPrintable(describe(rebuilt)));
    QCOMPARE(rebuilt.remote, *annotated);
    QCOMPARE(manifestRequests(), (QStringList{u"HEAD"_s, u"GET"_s, u"GET"_s}));

    // The arm64 entry now names the amd64 image: an update for this arm64 image.
    QJsonArray manifests = json.value(u"manifests").toArray();
    QJsonObject amd64;
    for (const QJsonValue &entry : std::as_const(manifests))
        if (entry.toObject().value(u"platform").toObject().value(u"architecture").toString()
            == u"amd64")
            amd64 = entry.toObject();
    QVERIFY(!amd64.isEmpty());
    for (qsizetype i = 0; i < manifests.size(); ++i) {
        QJsonObject entry = manifests.at(i).toObject();
        if (entry.value(u"platform").toObject().value(u"architecture").toString() != u"arm64")
            continue;
        entry.insert(u"digest"_s, amd64.value(u"digest"));
        entry.insert(u"size"_s, amd64.value(u"size"));
        manifests.replace(i, entry);
    }
    json.insert(u"manifests"_s, manifests);
    VERIFY_OK(await<Digest>([&](auto done) {
        m_client->putManifest(target, index->mediaType, QJsonDocument(json).toJson(), done);
    }));
    const UpdateStatus moved = checkOne(*m_embedded, name);
    QVERIFY2(moved.state == UpdateState::UpdateAvailable, qPrintable(describe(moved)));
    QCOMPARE(moved.local.toString(), fixtureDigest(u"multiarch"_s));
}

void tst_UpdateCheck::hostileAnswers_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");        // 0: replace the body instead
    QTest::addColumn<int>("expected");      // UpdateState
    QTest::addColumn<QString>("mentioned"); // in the message
    const QString head = u"/manifests/1\\.0$"_s;
    const QString byDigest = u"/manifests/sha256:"_s;
    QTest::newRow("tag gone (404)")
        << QByteArray("HEAD") << head << 404 << int(UpdateState::NotInRegistry) << u"1.0"_s;
    QTest::newRow("server error (500)")
        << QByteArray("HEAD") << head << 500 << int(UpdateState::Failed) << u"500"_s;
    QTest::newRow("index or manifest replaced")
        << QByteArray("GET") << byDigest << 0 << int(UpdateState::Failed) << u"sha256:"_s;
}

// What the registry answers is checked, never trusted: a body that is not what its digest says,
// an error status, a missing tag each end the check with a state and a sentence.
void tst_UpdateCheck::hostileAnswers()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(int, expected);
    QFETCH(QString, mentioned);
    const QString repository = freshRepository(u"hostile"_s);
    QVERIFY(copyInPlainRegistry(u"berth/multiarch:1.0"_s, repository + u":1.0"));
    const QString name = m_proxy->host() + u'/' + repository + u":1.0";
    VERIFY_OK(pull(*m_embedded, name, *Platform::parse(u"linux/arm64/v8"_s)));
    // A rebuilt index, so that the check reads it and the platform's manifest.
    const ImageReference target
        = *ImageReference::parse(QString(plainRegistryHost() + u'/' + repository + u":1.0"));
    auto index = await<ManifestResponse>([&](auto done) { m_client->fetchManifest(target, done); });
    VERIFY_OK(index);
    QJsonObject json = QJsonDocument::fromJson(index->body).object();
    json.insert(u"annotations"_s, QJsonObject{{u"org.example.rebuilt"_s, u"yes"_s}});
    VERIFY_OK(await<Digest>([&](auto done) {
        m_client->putManifest(target, index->mediaType, QJsonDocument(json).toJson(), done);
    }));

    const QByteArray replacement = R"({"schemaVersion":2,"manifests":[]})";
    const int rule
        = m_proxy->addRule(status ? FaultRule::answer(method, path, status, -1)
                                  : FaultRule::replaceBody(method, path, replacement, -1));
    const UpdateStatus s = checkOne(*m_embedded, name);
    QVERIFY2(int(s.state) == expected, qPrintable(describe(s)));
    QVERIFY2(s.message.contains(mentioned), qPrintable(s.message));
    QVERIFY(m_proxy->applied(rule) > 0);
}

void tst_UpdateCheck::cancelStopsTheCheck()
{
    VERIFY_OK(pull(*m_embedded, m_proxy->host() + u"/berth/busybox:1.0"));
    auto images = await<QList<LocalImage>>([&](auto done) { m_embedded->listImages(done); });
    VERIFY_OK(images);
    UpdateCheckOptions options;
    options.cancel.cancel();
    auto cancelled = await<QList<UpdateStatus>>(
        [&](auto done) { checkForUpdates(*m_client, updateCheckTargets(*images), options, done); });
    QVERIFY(!cancelled);
    QVERIFY(cancelled.error().isCancelled());
}

// The pull-limit front counts manifest GETs as Docker Hub does: an up-to-date check leaves the
// remaining pulls where they were, and its log shows only HEADs for the repository.
void tst_UpdateCheck::upToDateCostsNoPull()
{
    const QJsonObject front = TestServices::instance().raw().value(u"ratelimit").toObject();
    const QString host = front.value(u"host").toString();
    const QString repository = freshRepository(u"limit"_s);
    QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, repository + u":1.0"));
    const QString name = host + u'/' + repository + u":1.0";
    VERIFY_OK(pull(*m_embedded, name));

    const QString path = u"/v2/"_s + repository + u"/manifests/1.0";
    const auto remaining = [&]() -> QByteArray {
        QNetworkRequest request(QUrl(u"http://"_s + host + path));
        request.setRawHeader("Accept", "application/vnd.oci.image.manifest.v1+json");
        QNetworkReply *reply = m_network.head(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(30000))
            return {};
        reply->deleteLater();
        return reply->rawHeader("ratelimit-remaining");
    };
    const QByteArray before = remaining();
    QVERIFY2(before.contains(";w="), before.constData());
    QFile log(front.value(u"log").toString());
    QVERIFY(log.open(QIODevice::ReadOnly));
    log.seek(log.size());

    const UpdateStatus s = checkOne(*m_embedded, name);
    QVERIFY2(s.state == UpdateState::UpToDate, qPrintable(describe(s)));
    QCOMPARE(remaining(), before);
    QStringList seen;
    for (const QByteArray &line : log.readAll().split('\n'))
        if (line.contains(repository.toUtf8()))
            seen << QString::fromUtf8(line.split(' ').first());
    QCOMPARE(seen, (QStringList{u"HEAD"_s, u"HEAD"_s})); // the check's, then ours
}

// Every tag of berth/many's groups (two tags per image) pulled through the proxy: one HEAD per tag,
// at most four at a time, and the wall time printed for PERFORMANCE.md (not asserted).
void tst_UpdateCheck::manyTagsOneHeadEach()
{
    const QJsonObject many = TestServices::instance().many();
    const QJsonObject groups = many.value(u"groups").toObject();
    QStringList names;
    for (const QString &digest : groups.keys()) {
        const QJsonArray tags = groups.value(digest).toArray();
        for (qsizetype i = 0; i < 2 && i < tags.size(); ++i)
            names << m_proxy->host() + u'/' + many.value(u"repository").toString() + u':'
                         + tags.at(i).toString();
    }
    for (const QString &name : std::as_const(names))
        VERIFY_OK(pull(*m_embedded, name));

    m_proxy->clearLog();
    QElapsedTimer timer;
    timer.start();
    auto statuses = check(*m_embedded);
    const qint64 elapsed = timer.elapsed();
    VERIFY_OK(statuses);
    QCOMPARE(statuses->size(), names.size());
    for (const UpdateStatus &s : std::as_const(*statuses)) {
        QVERIFY2(s.state == UpdateState::UpToDate, qPrintable(describe(s)));
        QCOMPARE(s.requests, 1);
    }
    QCOMPARE(manifestRequests(), QStringList(names.size(), u"HEAD"_s));
    qInfo("update check: %lld tags in %lld ms on loopback, %lld manifest requests",
          qint64(names.size()),
          elapsed,
          qint64(manifestRequests().size()));
}

std::unique_ptr<EngineBackend> tst_UpdateCheck::engine(const QString &name)
{
    const QString socket = TestServices::instance().engineSocket(name);
    if (socket.isEmpty())
        return {};
    const QByteArray saved = qgetenv("DOCKER_HOST");
    qputenv("DOCKER_HOST", (u"unix://"_s + socket).toUtf8());
    auto found = await<std::unique_ptr<EngineBackend>>(
        [&](auto done) { EngineBackend::discover(nullptr, std::nullopt, done); });
    qputenv("DOCKER_HOST", saved);
    return found ? std::move(*found) : nullptr;
}

// One up-to-date and one outdated image on an engine: its own records (RepoDigests) are what is
// compared.
void tst_UpdateCheck::engineCheck(const QString &name)
{
    auto backend = engine(name);
    QVERIFY2(backend, "the test services were started without the engines (--with docker,podman)");
    const QString repository = freshRepository(name);
    QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, repository + u":current"));
    QVERIFY(copyInPlainRegistry(u"berth/busybox:1.0"_s, repository + u":moving"));
    const QString current = plainRegistryHost() + u'/' + repository + u":current";
    const QString moving = plainRegistryHost() + u'/' + repository + u":moving";
    VERIFY_OK(pull(*backend, current));
    VERIFY_OK(pull(*backend, moving));
    const auto [other, otherDigest] = anotherImage();
    QVERIFY(copyInPlainRegistry(other, repository + u":moving"));

    auto statuses = check(*backend);
    VERIFY_OK(statuses);
    const UpdateStatus upToDate = statusOf(*statuses, current);
    QVERIFY2(upToDate.state == UpdateState::UpToDate, qPrintable(describe(upToDate)));
    QCOMPARE(upToDate.remote.toString(), fixtureDigest(u"busybox"_s));
    QCOMPARE(upToDate.requests, 1);
    const UpdateStatus outdated = statusOf(*statuses, moving);
    QVERIFY2(outdated.state == UpdateState::UpdateAvailable, qPrintable(describe(outdated)));
    QCOMPARE(outdated.local.toString(), fixtureDigest(u"busybox"_s));
    QCOMPARE(outdated.remote.toString(), otherDigest);

    for (const QString &tag : {current, moving})
        await<RemoveResult>([&](auto done) { backend->remove(tag, true, done); });
}

QTEST_GUILESS_MAIN(tst_UpdateCheck)
#include "tst_updatecheck.moc"
