// The embedded store backend (core/store/embeddedbackend) against the real registries of the test
// services: pull, second pull, shared layers, multi-arch, push with cross-repository mounts, tags,
// remove and prune; faults through the proxy of tests/shared/faultproxy.h. skopeo, an independent
// implementation, reads what we stored (`oci:STORE:REF`) and what we pushed (`docker://`).

#include "asynctest.h"
#include "faultproxy.h"
#include "handtar.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "archive/compressedstream.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// Evaluates its argument once: most calls checked here change the store.
QString uniqueRepository(const QString &prefix)
{
    return prefix + u'-' + QString::number(QRandomGenerator::global()->generate64(), 16);
}

struct Skopeo
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Skopeo skopeo(const QStringList &arguments)
{
    QProcess process;
    process.start(u"skopeo"_s, arguments);
    Skopeo result;
    if (!process.waitForStarted() || !process.waitForFinished(180000)) {
        process.kill();
        process.waitForFinished();
        result.err = "skopeo did not run or did not finish";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QStringList blobFiles(const QString &storePath)
{
    return QDir(storePath + u"/blobs/sha256").entryList(QDir::Files | QDir::Hidden);
}

QByteArray gzipped(const QByteArray &data)
{
    QByteArray out;
    auto stream = CompressedStream::open(Compression::Gzip, [&](const char *p, qint64 n) -> Status {
        out.append(p, n);
        return {};
    });
    if (!stream || !(*stream)->write(data) || !(*stream)->finish())
        qFatal("cannot gzip a test layer");
    return out;
}

QByteArray compactJson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void addFlavourRows(const QStringList &flavours = {u"plain"_s, u"basic"_s, u"token"_s})
{
    QTest::addColumn<QString>("flavour");
    for (const QString &f : flavours)
        QTest::newRow(qPrintable(f)) << f;
}

} // namespace

class tst_EmbeddedBackend final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void pullThenSkopeo_data();
    void pullThenSkopeo();
    void pullSharedLayers();
    void pullByDigest();
    void pullMultiarch_data();
    void pullMultiarch();
    void pushWithMount_data();
    void pushWithMount();
    void pushToOtherRegistry();
    void pushIndex();
    void pushUnknownImage();
    void wrongDigestStoresNothing();
    void cancelMidPull();
    void collectionDuringPull_data();
    void collectionDuringPull();
    void pullRefusesHostileLayer_data();
    void pullRefusesHostileLayer();
    void listGroupsTags();
    void historyFromStore();
    void watchSeesOtherProcesses();
    void removeAndForce();
    void prune();
    void concurrentPulls();
    void concurrentProcesses();
    void resumeAfterDrop();
    void pushLargeBlobChunked();

private:
    void login(const TestRegistry &registry, const QString &host = {});
    Result<PullResult>
    pull(const QString &reference, PullOptions options = {}, EmbeddedBackend *backend = nullptr);
    Result<PushResult> push(const QString &reference);
    Status tag(const QString &source, const QString &target);
    Result<QList<LocalImage>> images();
    // The sha256 of what skopeo reads as the raw manifest of `ref` in our store.
    QString skopeoStoreDigest(const QString &ref);
    QString skopeoRegistryDigest(const TestRegistry &registry, const QString &reference);
    void verifyFsckClean();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TestCredentials> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
};

void tst_EmbeddedBackend::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
}

void tst_EmbeddedBackend::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(!m_dir->path().contains(u':')); // skopeo's oci: transport splits at the first ':'
    m_network = std::make_unique<QNetworkAccessManager>();
    m_credentials = std::make_unique<TestCredentials>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_client->setCredentialProvider(m_credentials.get());
    RegistryTransportOptions options;
    options.retryBase = 10ms;
    m_client->transport().setOptions(options);
    m_backend = std::make_unique<EmbeddedBackend>(m_dir->path() + u"/store", m_client.get());
}

void tst_EmbeddedBackend::cleanup()
{
    m_backend.reset();
    m_client.reset();
    m_credentials.reset();
    m_network.reset();
    m_dir.reset();
}

void tst_EmbeddedBackend::login(const TestRegistry &registry, const QString &host)
{
    if (!registry.username.isEmpty())
        m_credentials->set(host.isEmpty() ? registry.host : host,
                           Credential{registry.username, registry.password, false});
}

Result<PullResult>
tst_EmbeddedBackend::pull(const QString &reference, PullOptions options, EmbeddedBackend *backend)
{
    EmbeddedBackend *b = backend ? backend : m_backend.get();
    return await<PullResult>([&](auto done) { b->pull(parseReference(reference), options, done); },
                             300000);
}

Result<PushResult> tst_EmbeddedBackend::push(const QString &reference)
{
    return await<PushResult>(
        [&](auto done) { m_backend->push(parseReference(reference), {}, done); }, 300000);
}

Status tst_EmbeddedBackend::tag(const QString &source, const QString &target)
{
    return await<void>([&](auto done) { m_backend->tag(source, parseReference(target), done); });
}

Result<QList<LocalImage>> tst_EmbeddedBackend::images()
{
    return await<QList<LocalImage>>([&](auto done) { m_backend->listImages(done); });
}

QString tst_EmbeddedBackend::skopeoStoreDigest(const QString &ref)
{
    const Skopeo s
        = skopeo({u"inspect"_s, u"--raw"_s, u"oci:"_s + m_backend->store().path() + u':' + ref});
    if (s.exitCode != 0) {
        qWarning("skopeo: %s", s.err.constData());
        return QString();
    }
    return Sha256::digestOf(s.out);
}

QString tst_EmbeddedBackend::skopeoRegistryDigest(const TestRegistry &registry,
                                                  const QString &reference)
{
    QStringList args{u"inspect"_s, u"--raw"_s, u"--tls-verify=false"_s};
    if (!registry.username.isEmpty())
        args << u"--creds"_s << registry.username + u':' + registry.password;
    else
        args << u"--no-creds"_s;
    args << u"docker://"_s + registry.host + u'/' + reference;
    const Skopeo s = skopeo(args);
    if (s.exitCode != 0) {
        qWarning("skopeo: %s", s.err.constData());
        return QString();
    }
    return Sha256::digestOf(s.out);
}

void tst_EmbeddedBackend::verifyFsckClean()
{
    auto report = await<FsckReport>([&](auto done) { m_backend->fsck({}, CancelToken(), done); });
    VERIFY_OK(report);
    QVERIFY2(report->isClean(), qPrintable(report->problems.join(u'\n')));
    QVERIFY2(report->tempFiles.isEmpty(), qPrintable(report->tempFiles.join(u'\n')));
}

void tst_EmbeddedBackend::pullThenSkopeo_data()
{
    addFlavourRows();
}

void tst_EmbeddedBackend::pullThenSkopeo()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    login(registry);
    const QJsonObject image = TestServices::instance().image(u"busybox"_s);
    const int blobs = image.value(u"layers").toInt() + 1; // and the config
    const QString ref = registry.host + u'/' + image.value(u"repository").toString() + u":1.0";

    QList<TransferProgress> progress;
    PullOptions options;
    options.progress = [&](const TransferProgress &p) {
        progress << p;
    };
    auto first = pull(ref, options);
    VERIFY_OK(first);
    QCOMPARE(first->digest.toString(), image.value(u"digest").toString());
    QCOMPARE(first->imageId.toString(), image.value(u"config").toString());
    QCOMPARE(first->layersTransferred, blobs);
    QCOMPARE(first->layersSkipped, 0);
    QVERIFY(first->bytesTransferred > 0);
    QVERIFY(std::any_of(progress.cbegin(), progress.cend(), [](const TransferProgress &p) {
        return !p.item.isEmpty() && p.state == TransferProgress::State::Done;
    }));

    // skopeo reads the tag under its full name and finds the registry's manifest, byte for byte.
    QCOMPARE(skopeoStoreDigest(parseReference(ref).toString()), image.value(u"digest").toString());
    verifyFsckClean();

    // As the Docker course promises: the second pull downloads nothing.
    auto second = pull(ref);
    VERIFY_OK(second);
    QCOMPARE(second->layersTransferred, 0);
    QCOMPARE(second->bytesTransferred, 0);
    QCOMPARE(second->layersSkipped, blobs);
    QCOMPARE(second->bytesSkipped, first->bytesTransferred);
    QCOMPARE(second->digest, first->digest);
}

void tst_EmbeddedBackend::pullSharedLayers()
{
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    const QJsonObject multiarch = TestServices::instance().image(u"multiarch"_s);
    VERIFY_OK(pull(registry.host + u"/berth/busybox:1.0"));
    // The arm64 image has the same layers under another config: only the config comes down.
    PullOptions options;
    options.platform = *Platform::parse(u"linux/arm64/v8");
    auto arm = pull(registry.host + u"/berth/multiarch:1.0", options);
    VERIFY_OK(arm);
    QCOMPARE(arm->layersTransferred, 1);
    QCOMPARE(arm->layersSkipped, busybox.value(u"layers").toInt());
    QCOMPARE(arm->digest.toString(), multiarch.value(u"digest").toString());
    QCOMPARE(skopeoStoreDigest(registry.host + u"/berth/multiarch:1.0"),
             multiarch.value(u"manifests").toObject().value(u"linux/arm64/v8").toString());
    verifyFsckClean();
}

void tst_EmbeddedBackend::pullByDigest()
{
    // No tag: listed with its digest only (docker's <none>), and a dangling image for prune.
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    const QString digest = busybox.value(u"digest").toString();
    auto pulled = pull(registry.host + u"/berth/busybox@" + digest);
    VERIFY_OK(pulled);
    QCOMPARE(pulled->digest.toString(), digest);
    auto list = images();
    VERIFY_OK(list);
    QCOMPARE(list->size(), 1);
    QVERIFY(list->first().repoTags.isEmpty());
    QCOMPARE(list->first().repoDigests, QStringList{registry.host + u"/berth/busybox@" + digest});
    auto details = await<LocalImageDetails>([&](auto done) {
        m_backend->inspectImage(registry.host + u"/berth/busybox@" + digest, done);
    });
    VERIFY_OK(details);
    QCOMPARE(details->manifestDigest.toString(), digest);
    auto pruned = await<PruneResult>([&](auto done) { m_backend->prune({}, done); });
    VERIFY_OK(pruned);
    QCOMPARE(pruned->removed.size(), 1);
    QVERIFY(blobFiles(m_backend->store().path()).isEmpty());
}

void tst_EmbeddedBackend::pullMultiarch_data()
{
    addFlavourRows();
}

void tst_EmbeddedBackend::pullMultiarch()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    login(registry);
    const QJsonObject multiarch = TestServices::instance().image(u"multiarch"_s);
    const QString ref = registry.host + u"/berth/multiarch:1.0";
    const QString hostManifest
        = multiarch.value(u"manifests").toObject().value(Platform::host().toString()).toString();
    if (hostManifest.isEmpty())
        QSKIP("the fixture has no image for this machine's platform");

    auto single = pull(ref);
    VERIFY_OK(single);
    QCOMPARE(single->digest.toString(), multiarch.value(u"digest").toString());
    QCOMPARE(skopeoStoreDigest(ref), hostManifest);
    auto list = images();
    VERIFY_OK(list);
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().platform.architecture, Platform::host().architecture);
    // The registry's digest (the index's) is the one shown, as docker does.
    QCOMPARE(
        list->first().repoDigests,
        QStringList{registry.host + u"/berth/multiarch@" + multiarch.value(u"digest").toString()});

    // --all-platforms: the index itself is stored and tagged, with every platform's blobs.
    PullOptions all;
    all.allPlatforms = true;
    auto whole = pull(ref, all);
    VERIFY_OK(whole);
    QCOMPARE(whole->digest.toString(), multiarch.value(u"digest").toString());
    QCOMPARE(skopeoStoreDigest(ref), multiarch.value(u"digest").toString());
    QCOMPARE(whole->layersTransferred, 1); // the arm64 config; the rest came with the first pull
    const Skopeo arm = skopeo({u"inspect"_s,
                               u"--override-arch"_s,
                               u"arm64"_s,
                               u"--override-variant"_s,
                               u"v8"_s,
                               u"oci:"_s + m_backend->store().path() + u':' + ref});
    QVERIFY2(arm.exitCode == 0, arm.err.constData());
    QVERIFY(arm.out.contains("\"Architecture\": \"arm64\""));
    verifyFsckClean();
}

void tst_EmbeddedBackend::pushWithMount_data()
{
    addFlavourRows();
}

void tst_EmbeddedBackend::pushWithMount()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    login(registry);
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    VERIFY_OK(pull(registry.host + u"/berth/busybox:1.0"));
    // The Docker course's `tag mon-app jean/mon-app:1.0.0`, then push: same registry, a new
    // repository.
    const QString repository = uniqueRepository(u"berth/pushed"_s);
    const QString target = registry.host + u'/' + repository + u":1.0.0";
    VERIFY_OK(tag(registry.host + u"/berth/busybox:1.0", target));
    auto pushed = push(target);
    VERIFY_OK(pushed);
    QCOMPARE(pushed->digest.toString(), busybox.value(u"digest").toString());
    QVERIFY2(
        pushed->blobsMounted > 0,
        qPrintable(
            u"uploaded %1, skipped %2"_s.arg(pushed->blobsUploaded).arg(pushed->blobsSkipped)));
    QCOMPARE(pushed->blobsMounted + pushed->blobsUploaded + pushed->blobsSkipped,
             busybox.value(u"layers").toInt() + 1);
    QCOMPARE(skopeoRegistryDigest(registry, repository + u":1.0.0"),
             busybox.value(u"digest").toString());

    // Pushing again finds everything there.
    auto again = push(target);
    VERIFY_OK(again);
    QCOMPARE(again->blobsSkipped, busybox.value(u"layers").toInt() + 1);
    QCOMPARE(again->blobsUploaded, 0);
}

void tst_EmbeddedBackend::pushToOtherRegistry()
{
    const TestRegistry plain = TestServices::instance().registry(u"plain"_s);
    const TestRegistry token = TestServices::instance().registry(u"token"_s);
    login(token);
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    VERIFY_OK(pull(plain.host + u"/berth/busybox:1.0"));
    const QString repository = uniqueRepository(u"berth/moved"_s);
    const QString target = token.host + u'/' + repository + u":1.0";
    VERIFY_OK(tag(plain.host + u"/berth/busybox:1.0", target));
    auto pushed = push(target);
    VERIFY_OK(pushed);
    QCOMPARE(pushed->digest.toString(), busybox.value(u"digest").toString());
    QCOMPARE(pushed->blobsMounted, 0); // another registry: nothing to mount from
    QCOMPARE(pushed->blobsUploaded + pushed->blobsSkipped, busybox.value(u"layers").toInt() + 1);
    QCOMPARE(skopeoRegistryDigest(token, repository + u":1.0"),
             busybox.value(u"digest").toString());

    // Without credentials (a fresh client: no cached token) the token registry refuses the push.
    QNetworkAccessManager network;
    RegistryClient anonymousClient(&network);
    EmbeddedBackend anonymousBackend(m_backend->store().path(), &anonymousClient);
    auto anonymous = await<PushResult>(
        [&](auto done) { anonymousBackend.push(parseReference(target), {}, done); }, 300000);
    QVERIFY(!anonymous);
    QVERIFY2(anonymous.error().kind == Error::Kind::Unauthorized
                 || anonymous.error().kind == Error::Kind::Denied,
             qPrintable(describe(anonymous.error())));
}

void tst_EmbeddedBackend::pushIndex()
{
    const TestRegistry plain = TestServices::instance().registry(u"plain"_s);
    const TestRegistry token = TestServices::instance().registry(u"token"_s);
    login(token);
    const QJsonObject multiarch = TestServices::instance().image(u"multiarch"_s);
    PullOptions all;
    all.allPlatforms = true;
    VERIFY_OK(pull(plain.host + u"/berth/multiarch:1.0", all));
    const QString repository = uniqueRepository(u"berth/multi"_s);
    const QString target = token.host + u'/' + repository + u":1.0";
    VERIFY_OK(tag(plain.host + u"/berth/multiarch:1.0", target));
    auto pushed = push(target);
    VERIFY_OK(pushed);
    QCOMPARE(pushed->digest.toString(), multiarch.value(u"digest").toString());
    QCOMPARE(skopeoRegistryDigest(token, repository + u":1.0"),
             multiarch.value(u"digest").toString());
}

void tst_EmbeddedBackend::pushUnknownImage()
{
    auto pushed = push(u"127.0.0.1:9/nothing/here:1"_s);
    QVERIFY(!pushed);
    QCOMPARE(pushed.error().kind, Error::Kind::NotFound);
}

void tst_EmbeddedBackend::wrongDigestStoresNothing()
{
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    FaultProxy proxy(registry.host);
    QVERIFY(proxy.listen());
    const int rule = proxy.addRule(
        FaultRule::corruptByte("GET", u"^/v2/berth/busybox/blobs/sha256:"_s, 100, -1));
    auto pulled = pull(proxy.host() + u"/berth/busybox:1.0");
    QVERIFY(!pulled);
    QCOMPARE(pulled.error().kind, Error::Kind::DigestMismatch);
    QVERIFY(proxy.applied(rule) > 0);
    QVERIFY2(blobFiles(m_backend->store().path()).isEmpty(),
             qPrintable(blobFiles(m_backend->store().path()).join(u' ')));
    auto list = images();
    VERIFY_OK(list);
    QVERIFY(list->isEmpty());
    verifyFsckClean();
}

void tst_EmbeddedBackend::cancelMidPull()
{
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    FaultProxy proxy(registry.host);
    QVERIFY(proxy.listen());
    // 64 KiB of each blob, then nothing for far longer than the test: only cancelling ends it.
    proxy.addRule(
        FaultRule::stall("GET", u"^/v2/berth/busybox/blobs/sha256:"_s, 64 * 1024, 600000, -1));
    PullOptions options;
    CancelToken cancel = options.cancel;
    bool sawPartial = false;
    options.progress = [&](const TransferProgress &p) {
        if (!p.item.isEmpty() && p.state == TransferProgress::State::Transferring && p.current > 0
            && (p.total < 0 || p.current < p.total)) {
            sawPartial = true;
            cancel.cancel();
        }
    };
    auto pulled = pull(proxy.host() + u"/berth/busybox:1.0", options);
    QVERIFY(!pulled);
    QCOMPARE(pulled.error().kind, Error::Kind::Cancelled);
    QVERIFY(sawPartial);
    QVERIFY2(blobFiles(m_backend->store().path()).isEmpty(),
             qPrintable(blobFiles(m_backend->store().path()).join(u' ')));
    auto list = images();
    VERIFY_OK(list);
    QVERIFY(list->isEmpty());
    verifyFsckClean();
}

void tst_EmbeddedBackend::collectionDuringPull_data()
{
    QTest::addColumn<bool>("alreadyStored");
    QTest::newRow("fetched") << false;
    QTest::newRow("already stored, untagged") << true;
}

// A prune elsewhere between a pull's downloads and its tag, every time (issue 19: two loops of
// pull, rmi and prune on one store ran out of the pull's three retries): the pull's lease keeps
// what it fetched, or found there, and it completes without fetching anything twice.
void tst_EmbeddedBackend::collectionDuringPull()
{
    QFETCH(bool, alreadyStored);
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    const QString ref = registry.host + u"/berth/busybox:1.0"_s;
    const int blobs = busybox.value(u"layers").toInt() + 1;
    if (alreadyStored)
        VERIFY_OK(pull(registry.host + u"/berth/busybox@"_s + busybox.value(u"digest").toString()));
    const OciStore elsewhere(m_backend->store().path());
    std::atomic<int> prunes = 0;
    PullOptions options;
    options.progress = [&](const TransferProgress &p) {
        const bool stored = p.state == TransferProgress::State::Done
                            || p.state == TransferProgress::State::Skipped;
        if (!p.item.isEmpty() && stored) {
            if (elsewhere.prune(false))
                ++prunes;
        }
    };
    auto pulled = pull(ref, options);
    VERIFY_OK(pulled);
    QCOMPARE(prunes.load(), blobs);
    QCOMPARE(pulled->layersTransferred + pulled->layersSkipped, blobs);
    QCOMPARE(pulled->layersSkipped, alreadyStored ? blobs : 0);
    QCOMPARE(pulled->digest.toString(), busybox.value(u"digest").toString());
    auto list = images();
    VERIFY_OK(list);
    QCOMPARE(list->size(), 1);
    verifyFsckClean();
    // The lease ended with the pull: a prune now takes nothing of the tagged image, and the
    // lease directory is empty.
    auto pruned = elsewhere.prune(false);
    VERIFY_OK(pruned);
    QVERIFY(pruned->removedBlobs.isEmpty());
    QVERIFY(QDir(m_backend->store().path() + u"/berth-leases"_s).isEmpty());
}

void tst_EmbeddedBackend::pullRefusesHostileLayer_data()
{
    QTest::addColumn<QByteArray>("layer"); // before gzip
    QTest::addColumn<bool>("wrongDiffId");
    QTest::addColumn<QStringList>("fragments"); // each must appear in the message
    const QByteArray hello = tarEntry("hello.txt", '0', "hello\n");
    QTest::newRow("dot dot") << hello + tarEntry("../../etc/cron.d/evil", '0', "x") + tarEnd()
                             << false
                             << QStringList{u"'../../etc/cron.d/evil'"_s, u"contains '..'"_s};
    QTest::newRow("absolute") << tarEntry("/etc/evil", '0', "x") + tarEnd() << false
                              << QStringList{u"'/etc/evil'"_s, u"absolute path"_s};
    QTest::newRow("hard link escapes") << hello + tarEntry("x", '1', {}, "../../outside") + tarEnd()
                                       << false << QStringList{u"'x'"_s, u"outside the archive"_s};
    QTest::newRow("not a tar") << QByteArray(4096, 'z') << false << QStringList{u"is refused"_s};
    QTest::newRow("diff_id mismatch")
        << hello + tarEnd() << true << QStringList{u"does not match the image configuration"_s};
}

// A layer is judged as it arrives (issue 19): a name leaving the root, bytes that are no tar, or
// a diff_id the configuration does not list fail the pull, naming image, layer and entry, and
// nothing is tagged.
void tst_EmbeddedBackend::pullRefusesHostileLayer()
{
    QFETCH(QByteArray, layer);
    QFETCH(bool, wrongDiffId);
    QFETCH(QStringList, fragments);
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const QString repository = registry.host + u'/' + uniqueRepository(u"berth/hostile"_s);
    const QByteArray blob = gzipped(layer);
    const QString diffId = Sha256::digestOf(wrongDiffId ? QByteArray("other") : layer);
    const QByteArray config = compactJson(QJsonObject{
        {u"architecture"_s, u"amd64"_s},
        {u"os"_s, u"linux"_s},
        {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, QJsonArray{diffId}}}}});
    const auto descriptor = [](const char *mediaType, const QByteArray &data) {
        return QJsonObject{{u"mediaType"_s, QLatin1String(mediaType)},
                           {u"digest"_s, Sha256::digestOf(data)},
                           {u"size"_s, data.size()}};
    };
    const QByteArray manifest = compactJson(
        QJsonObject{{u"schemaVersion"_s, 2},
                    {u"mediaType"_s, QLatin1String(MediaType::OciManifest)},
                    {u"config"_s, descriptor(MediaType::OciConfig, config)},
                    {u"layers"_s, QJsonArray{descriptor(MediaType::OciLayerGzip, blob)}}});
    const ImageReference repo = parseReference(repository);
    for (const QByteArray &data : {config, blob}) {
        VERIFY_OK(await<void>([&](auto done) {
            m_client->uploadBlob(repo, *Digest::parse(Sha256::digestOf(data)), data, done);
        }));
    }
    VERIFY_OK(await<Digest>([&](auto done) {
        m_client->putManifest(parseReference(repository + u":1.0"_s),
                              QLatin1String(MediaType::OciManifest),
                              manifest,
                              done);
    }));

    auto pulled = pull(repository + u":1.0"_s);
    QVERIFY2(!pulled, "a hostile layer was pulled");
    const QString message = pulled.error().message;
    for (const QString &fragment :
         fragments
             + QStringList{Sha256::digestOf(blob),
                           parseReference(repository + u":1.0"_s).familiarString()})
        QVERIFY2(message.contains(fragment),
                 qPrintable(u"'"_s + fragment + u"' not in: "_s + message));
    auto list = images();
    VERIFY_OK(list);
    QVERIFY(list->isEmpty());
    verifyFsckClean();
}

void tst_EmbeddedBackend::listGroupsTags()
{
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    VERIFY_OK(pull(registry.host + u"/berth/busybox:1.0"));
    VERIFY_OK(pull(registry.host + u"/berth/busybox:latest"));
    VERIFY_OK(tag(registry.host + u"/berth/busybox:1.0", u"jean/mon-app:1.0.0"_s));
    PullOptions arm;
    arm.platform = *Platform::parse(u"linux/arm64/v8");
    VERIFY_OK(pull(registry.host + u"/berth/multiarch:1.0", arm));

    auto list = images();
    VERIFY_OK(list);
    QCOMPARE(list->size(), 2);
    const auto it = std::find_if(list->cbegin(), list->cend(), [&](const LocalImage &i) {
        return i.id.toString() == busybox.value(u"config").toString();
    });
    QVERIFY(it != list->cend());
    QStringList tags = it->repoTags;
    tags.sort();
    QCOMPARE(tags,
             (QStringList{registry.host + u"/berth/busybox:1.0",
                          registry.host + u"/berth/busybox:latest",
                          u"jean/mon-app:1.0.0"_s}));
    QVERIFY(it->size > 0);
    QVERIFY(it->created.isValid());
    QCOMPARE(it->platform.architecture, u"amd64"_s);

    // inspect by name, full ID, and a docker-style short ID.
    const QString id = busybox.value(u"config").toString();
    for (const QString &name : {u"jean/mon-app:1.0.0"_s, id, id.mid(7, 12), id.mid(7, 4)}) {
        auto details
            = await<LocalImageDetails>([&](auto done) { m_backend->inspectImage(name, done); });
        VERIFY_OK(details);
        QCOMPARE(details->image.id.toString(), id);
        QCOMPARE(details->manifestDigest.toString(), busybox.value(u"digest").toString());
        QCOMPARE(details->layers.size(), busybox.value(u"layers").toInt());
        QCOMPARE(details->image.repoTags.size(), 3);
    }
    auto unknown = await<LocalImageDetails>(
        [&](auto done) { m_backend->inspectImage(u"nothing:here"_s, done); });
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().kind, Error::Kind::NotFound);
}

void tst_EmbeddedBackend::historyFromStore()
{
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    const QString name = registry.host + u"/berth/busybox:1.0";
    VERIFY_OK(pull(name));
    auto details
        = await<LocalImageDetails>([&](auto done) { m_backend->inspectImage(name, done); });
    VERIFY_OK(details);
    auto rows = await<QList<ImageHistoryRow>>([&](auto done) { m_backend->history(name, done); });
    VERIFY_OK(rows);
    // One row per step of the configuration, newest first, the image itself on top.
    QCOMPARE(rows->size(), details->config.history.size());
    QCOMPARE(rows->first().id, busybox.value(u"config").toString());
    QCOMPARE(rows->first().tags, QStringList{name});
    QCOMPARE(rows->last().createdBy, details->config.history.first().createdBy);
    // Steps that made layers carry the stored layers' sizes; the others none.
    qint64 total = 0;
    for (const ImageHistoryRow &row : std::as_const(*rows)) {
        QVERIFY(row.id == rows->first().id || row.id == u"<missing>"_s);
        if (row.emptyLayer)
            QCOMPARE(row.size, 0);
        total += row.size;
    }
    QCOMPARE(total, details->image.size);
    auto unknown = await<QList<ImageHistoryRow>>(
        [&](auto done) { m_backend->history(u"nothing:here"_s, done); });
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().kind, Error::Kind::NotFound);
}

void tst_EmbeddedBackend::watchSeesOtherProcesses()
{
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const QString name = registry.host + u"/berth/busybox:1.0";
    VERIFY_OK(pull(name));
    QSignalSpy changed(m_backend.get(), &ImageBackend::imagesChanged);
    m_backend->startWatching();
    // Another backend on the same store stands for another process (berthctl, a second window).
    EmbeddedBackend other(m_backend->store().path(), m_client.get());
    for (const QString &target : {u"watch/one:1"_s, u"watch/two:1"_s}) {
        const int before = int(changed.count());
        auto tagged = await<void>(
            [&](auto done) { other.tag(name, *ImageReference::parse(target), done); });
        VERIFY_OK(tagged);
        // Each change is seen, the file replaced by the first one included.
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() > before, 10000);
    }
}

void tst_EmbeddedBackend::removeAndForce()
{
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    VERIFY_OK(pull(registry.host + u"/berth/busybox:1.0"));
    VERIFY_OK(tag(registry.host + u"/berth/busybox:1.0", u"mon-app:1"_s));
    const QString id = busybox.value(u"config").toString();

    auto refused
        = await<RemoveResult>([&](auto done) { m_backend->remove(id.mid(7, 12), false, done); });
    QVERIFY(!refused); // several tags: docker wants -f

    auto untag
        = await<RemoveResult>([&](auto done) { m_backend->remove(u"mon-app:1"_s, false, done); });
    VERIFY_OK(untag);
    QCOMPARE(untag->untagged, QStringList{u"mon-app:1"_s});
    QVERIFY(untag->deleted.isEmpty());
    VERIFY_OK(tag(registry.host + u"/berth/busybox:1.0", u"mon-app:1"_s));

    auto forced = await<RemoveResult>([&](auto done) { m_backend->remove(id, true, done); });
    VERIFY_OK(forced);
    QCOMPARE(forced->untagged.size(), 2);
    QCOMPARE(forced->deleted, QStringList{id});
    auto list = images();
    VERIFY_OK(list);
    QVERIFY(list->isEmpty());
    QVERIFY(blobFiles(m_backend->store().path()).isEmpty());
    verifyFsckClean();
}

void tst_EmbeddedBackend::prune()
{
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    VERIFY_OK(pull(registry.host + u"/berth/busybox:1.0"));
    PullOptions arm;
    arm.platform = *Platform::parse(u"linux/arm64/v8");
    VERIFY_OK(pull(registry.host + u"/berth/multiarch:1.0", arm));

    auto dangling = await<PruneResult>([&](auto done) { m_backend->prune({}, done); });
    VERIFY_OK(dangling);
    QVERIFY(dangling->removed.isEmpty()); // everything is tagged
    auto list = images();
    VERIFY_OK(list);
    QCOMPARE(list->size(), 2);

    PruneOptions all;
    all.all = true;
    auto everything = await<PruneResult>([&](auto done) { m_backend->prune(all, done); });
    VERIFY_OK(everything);
    QCOMPARE(everything->removed.size(), 2);
    QVERIFY(everything->reclaimedBytes > 0);
    QVERIFY(blobFiles(m_backend->store().path()).isEmpty());
    list = images();
    VERIFY_OK(list);
    QVERIFY(list->isEmpty());
}

void tst_EmbeddedBackend::concurrentPulls()
{
    // Two backends (as the GUI and berthctl) pulling into one store at once: both tags survive.
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    EmbeddedBackend other(m_backend->store().path(), m_client.get());
    std::optional<Result<PullResult>> first, second;
    QEventLoop loop;
    auto check = [&] {
        if (first && second)
            loop.quit();
    };
    m_backend->pull(
        parseReference(registry.host + u"/berth/busybox:1.0"), {}, [&](Result<PullResult> r) {
            first = std::move(r);
            check();
        });
    PullOptions arm;
    arm.platform = *Platform::parse(u"linux/arm64/v8");
    other.pull(
        parseReference(registry.host + u"/berth/multiarch:1.0"), arm, [&](Result<PullResult> r) {
            second = std::move(r);
            check();
        });
    if (!(first && second)) {
        QTimer::singleShot(300000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    QVERIFY(first && second);
    VERIFY_OK(*first);
    VERIFY_OK(*second);
    auto list = images();
    VERIFY_OK(list);
    QCOMPARE(list->size(), 2);
    verifyFsckClean();
}

void tst_EmbeddedBackend::concurrentProcesses()
{
    // Another process (berthctl, say) pulls into the same store while this one does.
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"TST_EMBEDDED_CHILD_STORE"_s, m_backend->store().path());
    env.insert(u"TST_EMBEDDED_CHILD_PULL"_s, registry.host + u"/berth/busybox:1.0");
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForStarted());
    PullOptions arm;
    arm.platform = *Platform::parse(u"linux/arm64/v8");
    VERIFY_OK(pull(registry.host + u"/berth/multiarch:1.0", arm));
    QVERIFY(child.waitForFinished(300000));
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 0);
    auto list = images();
    VERIFY_OK(list);
    QCOMPARE(list->size(), 2);
    verifyFsckClean();
}

void tst_EmbeddedBackend::resumeAfterDrop()
{
    // The connection drops mid-blob once (50 bytes in: every blob of the image is larger): the
    // pull resumes with a Range request and succeeds.
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    FaultProxy proxy(registry.host);
    QVERIFY(proxy.listen());
    const int rule
        = proxy.addRule(FaultRule::dropAfter("GET", u"^/v2/berth/busybox/blobs/sha256:"_s, 50, 1));
    auto pulled = pull(proxy.host() + u"/berth/busybox:1.0");
    VERIFY_OK(pulled);
    QCOMPARE(proxy.applied(rule), 1);
    const QList<SeenRequest> requests = proxy.requests();
    QVERIFY(std::any_of(requests.cbegin(), requests.cend(), [](const SeenRequest &r) {
        return r.hasHeader("Range");
    }));
    QCOMPARE(pulled->digest.toString(), busybox.value(u"digest").toString());
    verifyFsckClean();
}

void tst_EmbeddedBackend::pushLargeBlobChunked()
{
    // A layer past the chunking threshold goes up in PATCH chunks; the registry must end up with
    // exactly our manifest.
    const TestRegistry registry = TestServices::instance().registry(u"plain"_s);
    const OciStore &store = m_backend->store();
    VERIFY_OK(store.init());
    // A small threshold keeps the test light; the code path is the one a 1 GiB layer takes.
    m_backend->setChunking(4 * 1024 * 1024, 1024 * 1024);
    QByteArray layer(4 * 1024 * 1024 + 12345, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(layer.data()),
                                          layer.size() / 4);
    const QByteArray config
        = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})";
    ImageManifest manifest;
    manifest.mediaType = QString::fromLatin1("application/vnd.oci.image.manifest.v1+json");
    auto configDigest = store.writeBlob(config);
    VERIFY_OK(configDigest);
    auto layerDigest = store.writeBlob(layer);
    VERIFY_OK(layerDigest);
    manifest.config = Descriptor{
        u"application/vnd.oci.image.config.v1+json"_s, *configDigest, config.size(), {}, {}, {}};
    manifest.layers = {Descriptor{
        u"application/vnd.oci.image.layer.v1.tar"_s, *layerDigest, layer.size(), {}, {}, {}}};
    layer.clear();
    const QByteArray body = toJson(manifest);
    auto manifestDigest = store.writeBlob(body);
    VERIFY_OK(manifestDigest);

    FaultProxy proxy(registry.host);
    QVERIFY(proxy.listen());
    const QString repository = uniqueRepository(u"berth/big"_s);
    const QString target = proxy.host() + u'/' + repository + u":1";
    VERIFY_OK(store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
        Descriptor d{manifest.mediaType, *manifestDigest, body.size(), {}, {}, {}};
        d.annotations.insert(QLatin1String(RefNameAnnotation), parseReference(target).toString());
        entries.append(OciIndexEntry{d});
        return {};
    }));
    auto pushed = push(target);
    VERIFY_OK(pushed);
    QCOMPARE(pushed->digest, *manifestDigest);
    QCOMPARE(pushed->blobsUploaded, 2);
    const auto requests = proxy.requests();
    const auto patches = std::count_if(requests.cbegin(),
                                       requests.cend(),
                                       [](const SeenRequest &r) { return r.method == "PATCH"; });
    QVERIFY2(patches >= 5, qPrintable(QString::number(patches)));
    QCOMPARE(skopeoRegistryDigest(registry, repository + u":1"), manifestDigest->toString());
}

// The child process of concurrentProcesses(): one pull into the store named in the environment.
static int childPull()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QNetworkAccessManager network;
    RegistryClient client(&network);
    EmbeddedBackend backend(qEnvironmentVariable("TST_EMBEDDED_CHILD_STORE"), &client);
    auto pulled = await<PullResult>(
        [&](auto done) {
            backend.pull(parseReference(qEnvironmentVariable("TST_EMBEDDED_CHILD_PULL")), {}, done);
        },
        300000);
    if (!pulled) {
        qWarning("child pull failed: %s", qPrintable(describe(pulled.error())));
        return 1;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("TST_EMBEDDED_CHILD_PULL"))
        return childPull();
    tst_EmbeddedBackend test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_embeddedbackend.moc"
