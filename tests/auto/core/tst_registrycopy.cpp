// copyImage (core/registryops/registrycopy.h) between the real registries of the test services:
// across registries with and without logins, within one registry by cross-repository mount, an
// index whole or one platform of it, a second copy that finds everything there, and through the
// fault proxy a drop mid-blob, a cancel mid-blob and a corrupt source byte. Every copy goes to a
// repository of its own, so runs never see each other's blobs.

#include "asynctest.h"
#include "faultproxy.h"
#include "registryfaultfixture.h"
#include "testcredentials.h"
#include "testhelpers.h"
#include "testservices.h"

#include "oci/mediatypes.h"
#include "registry/registryclient.h"
#include "registryops/registrycopy.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// A repository name no earlier run used.
QString freshRepository(const QString &name)
{
    return u"copy-%1/%2"_s.arg(QRandomGenerator::global()->generate64(), 0, 16).arg(name);
}

QString fixtureDigest(const QString &name)
{
    return TestServices::instance().image(name).value(u"digest").toString();
}

// The requests a proxy saw, one a line: "METHOD path -> status", uploads' session ids and state
// left out.
QStringList sequence(const FaultProxy &proxy)
{
    static const QRegularExpression session(u"/blobs/uploads/[^?]+"_s);
    static const QRegularExpression state(u"\\?_state=[^&]*&"_s);
    QStringList lines;
    for (const SeenRequest &r : proxy.requests()) {
        QString target = QString::fromLatin1(r.target);
        target.replace(session, u"/blobs/uploads/<session>"_s);
        target.replace(state, u"?"_s);
        lines << u"%1 %2 -> %3"_s.arg(QString::fromLatin1(r.method), target).arg(r.status);
    }
    return lines;
}

} // namespace

class tst_RegistryCopy final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void acrossRegistries_data();
    void acrossRegistries();
    void secondCopySkipsEverything();
    void sameRegistryMounts();
    void crossRegistryRequests();
    void allPlatformsKeepIndex();
    void onePlatformKeepsManifest();
    void byDigestLeavesNoTag();
    void dropMidBlobResumes();
    void cancelLeavesNoTag();
    void corruptSourceByte();

private:
    Result<CopyResult>
    copy(const ImageReference &source, const ImageReference &destination, CopyOptions options = {});
    // The digest the registry holds for reference, or the error (NotFound when it has none).
    Result<Digest> headDigest(const ImageReference &reference);
    bool hasBlob(const ImageReference &repository, const Descriptor &blob);
    // The config and layers of an image manifest.
    QList<Descriptor> blobsOf(const ImageReference &reference);
    ImageReference at(const TestRegistry &registry, const QString &name)
    {
        return parseReference(registry.host + u'/' + name);
    }

    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<TestCredentials> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    TestRegistry m_plain;
    TestRegistry m_basic;
    TestRegistry m_token;
};

void tst_RegistryCopy::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    m_plain = TestServices::instance().registry(u"plain"_s);
    m_basic = TestServices::instance().registry(u"basic"_s);
    m_token = TestServices::instance().registry(u"token"_s);
}

void tst_RegistryCopy::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_credentials = std::make_unique<TestCredentials>();
    for (const TestRegistry &r : {m_basic, m_token})
        m_credentials->set(r.host, Credential{r.username, r.password, false});
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_client->setCredentialProvider(m_credentials.get());
    m_client->transport().setOptions(quickRetries(4));
}

void tst_RegistryCopy::cleanup()
{
    m_client.reset();
    m_credentials.reset();
    m_network.reset();
}

Result<CopyResult> tst_RegistryCopy::copy(const ImageReference &source,
                                          const ImageReference &destination,
                                          CopyOptions options)
{
    return await<CopyResult>(
        [&](auto done) { copyImage(*m_client, source, destination, std::move(options), done); });
}

Result<Digest> tst_RegistryCopy::headDigest(const ImageReference &reference)
{
    auto head
        = await<ManifestResponse>([&](auto done) { m_client->headManifest(reference, done); });
    if (!head)
        return fail(head.error());
    return head->digest;
}

bool tst_RegistryCopy::hasBlob(const ImageReference &repository, const Descriptor &blob)
{
    auto held = await<std::optional<qint64>>(
        [&](auto done) { m_client->headBlob(repository, blob.digest, done); });
    return held && held->has_value() && **held == blob.size;
}

QList<Descriptor> tst_RegistryCopy::blobsOf(const ImageReference &reference)
{
    const auto manifest = fetchImageManifest(*m_client, reference);
    if (!manifest)
        return {};
    return QList<Descriptor>{manifest->config} + manifest->layers;
}

void tst_RegistryCopy::acrossRegistries_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::newRow("plain to basic") << u"plain"_s << u"basic"_s;
    // Two logins: Basic at the source, a Bearer token with push scope at the destination.
    QTest::newRow("basic to token") << u"basic"_s << u"token"_s;
}

void tst_RegistryCopy::acrossRegistries()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    const auto source = at(TestServices::instance().registry(from), u"berth/busybox:1.0"_s);
    const auto destination
        = at(TestServices::instance().registry(to), freshRepository(u"busybox"_s) + u":1.0"_s);
    QList<TransferProgress> seen;
    CopyOptions options;
    options.progress = [&seen](const TransferProgress &p) {
        seen << p;
    };
    auto copied = copy(source, destination, options);
    VERIFY_OK(copied);

    const QList<Descriptor> blobs = blobsOf(source);
    QVERIFY(!blobs.isEmpty());
    QCOMPARE(copied->digest.toString(), fixtureDigest(u"busybox"_s));
    QCOMPARE(copied->blobsCopied, int(blobs.size()));
    QCOMPARE(copied->blobsSkipped + copied->blobsMounted, 0);
    QCOMPARE(copied->manifests, 1);
    qint64 bytes = 0;
    for (const Descriptor &b : blobs) {
        bytes += b.size;
        QVERIFY2(hasBlob(destination, b), qPrintable(b.digest.toString()));
    }
    QCOMPARE(copied->bytesCopied, bytes);
    auto stored = headDigest(destination);
    VERIFY_OK(stored);
    QCOMPARE(*stored, copied->digest);
    // The total line ends complete; every blob ends Done.
    QVERIFY(!seen.isEmpty());
    QCOMPARE(seen.last().item, QString());
    QCOMPARE(seen.last().current, bytes);
    for (const Descriptor &b : blobs) {
        auto last = std::find_if(seen.crbegin(), seen.crend(), [&](const TransferProgress &p) {
            return p.item == b.digest.toString();
        });
        QVERIFY(last != seen.crend());
        QCOMPARE(last->state, TransferProgress::State::Done);
    }
}

void tst_RegistryCopy::secondCopySkipsEverything()
{
    const auto source = at(m_plain, u"berth/busybox:1.0"_s);
    const auto destination = at(m_token, freshRepository(u"busybox"_s) + u":1.0"_s);
    VERIFY_OK(copy(source, destination));
    auto again = copy(source, destination);
    VERIFY_OK(again);
    QCOMPARE(again->blobsCopied, 0);
    QCOMPARE(again->bytesCopied, 0);
    QCOMPARE(again->blobsSkipped, int(blobsOf(source).size()));
    QCOMPARE(again->digest.toString(), fixtureDigest(u"busybox"_s));
}

void tst_RegistryCopy::sameRegistryMounts()
{
    // Through a proxy, to see that no blob bytes went up: every blob is a mount.
    auto proxy = startFaultProxy(u"basic"_s, *m_credentials);
    QVERIFY(proxy);
    const auto source = parseReference(proxy->host() + u"/berth/busybox:1.0"_s);
    const auto destination
        = parseReference(proxy->host() + u'/' + freshRepository(u"busybox"_s) + u":1.0"_s);
    auto copied = copy(source, destination);
    VERIFY_OK(copied);
    const int blobs = int(blobsOf(source).size());
    QCOMPARE(copied->blobsMounted, blobs);
    QCOMPARE(copied->blobsCopied, 0);
    QCOMPARE(copied->bytesCopied, 0);
    int mounts = 0;
    for (const SeenRequest &r : proxy->requests()) {
        QVERIFY2(!(r.method == "PUT" && r.path().contains("/blobs/uploads/")),
                 qPrintable(sequence(*proxy).join(u'\n')));
        QVERIFY2(!(r.method == "GET" && r.path().contains("/blobs/sha256:")),
                 qPrintable(sequence(*proxy).join(u'\n')));
        if (r.method == "POST" && r.target.contains("mount=") && r.status == 201)
            ++mounts;
    }
    QCOMPARE(mounts, blobs);
    auto stored = headDigest(destination);
    VERIFY_OK(stored);
    QCOMPARE(stored->toString(), fixtureDigest(u"busybox"_s));
    qInfo().noquote() << "same-registry copy, as the registry saw it:\n"
                      << sequence(*proxy).join(u'\n');
}

void tst_RegistryCopy::crossRegistryRequests()
{
    // A proxy in front of each registry: what each side was sent, in order.
    auto from = startFaultProxy(u"plain"_s, *m_credentials);
    auto to = startFaultProxy(u"token"_s, *m_credentials);
    QVERIFY(from && to);
    const auto source = parseReference(from->host() + u"/berth/busybox:1.0"_s);
    const auto destination
        = parseReference(to->host() + u'/' + freshRepository(u"busybox"_s) + u":1.0"_s);
    auto copied = copy(source, destination);
    VERIFY_OK(copied);
    const int blobs = int(blobsOf(source).size());
    int downloads = 0;
    for (const SeenRequest &r : from->requests()) {
        QVERIFY(r.method == "GET" || r.method == "HEAD");
        if (r.method == "GET" && r.path().contains("/blobs/sha256:") && r.status == 200)
            ++downloads;
    }
    QCOMPARE(downloads, blobs);
    int uploads = 0;
    for (const SeenRequest &r : to->requests())
        if (r.method == "PUT" && r.path().contains("/blobs/uploads/") && r.status == 201)
            ++uploads;
    QCOMPARE(uploads, blobs);
    // The manifest goes up last, once every blob is there.
    const SeenRequest last = to->requests().constLast();
    QCOMPARE(last.method, QByteArray("PUT"));
    QVERIFY(last.path().endsWith("/manifests/1.0"));
    qInfo().noquote() << "cross-registry copy, the source saw:\n"
                      << sequence(*from).join(u'\n') << "\nthe destination saw:\n"
                      << sequence(*to).join(u'\n');
}

void tst_RegistryCopy::allPlatformsKeepIndex()
{
    const auto source = at(m_plain, u"berth/multiarch:1.0"_s);
    const auto destination = at(m_basic, freshRepository(u"multiarch"_s) + u":1.0"_s);
    CopyOptions options;
    options.allPlatforms = true;
    auto copied = copy(source, destination, options);
    VERIFY_OK(copied);
    const QJsonObject fixture = TestServices::instance().image(u"multiarch"_s);
    QCOMPARE(copied->digest.toString(), fixture.value(u"digest").toString());
    QVERIFY(MediaType::isIndex(copied->mediaType));
    const QJsonObject platforms = fixture.value(u"manifests").toObject();
    QCOMPARE(copied->manifests, int(platforms.size()) + 1);
    auto stored = headDigest(destination);
    VERIFY_OK(stored);
    QCOMPARE(*stored, copied->digest);
    for (const QJsonValue &digest : platforms)
        VERIFY_OK(headDigest(destination.withDigest(parseDigest(digest.toString()))));
}

void tst_RegistryCopy::onePlatformKeepsManifest()
{
    const auto source = at(m_plain, u"berth/multiarch:1.0"_s);
    const auto destination = at(m_token, freshRepository(u"multiarch"_s) + u":arm64"_s);
    CopyOptions options;
    options.platform = *Platform::parse(u"linux/arm64"_s);
    auto copied = copy(source, destination, options);
    VERIFY_OK(copied);
    const QJsonObject platforms
        = TestServices::instance().image(u"multiarch"_s).value(u"manifests").toObject();
    QCOMPARE(copied->digest.toString(), platforms.value(u"linux/arm64/v8").toString());
    QVERIFY(MediaType::isImageManifest(copied->mediaType));
    QCOMPARE(copied->manifests, 1);
    auto stored = headDigest(destination);
    VERIFY_OK(stored);
    QCOMPARE(*stored, copied->digest);
}

void tst_RegistryCopy::byDigestLeavesNoTag()
{
    // What `manifest push` needs for its sources: the manifest by digest, and no tag.
    const auto source = at(m_plain, u"berth/busybox:1.0"_s);
    const QString name = m_basic.host + u'/' + freshRepository(u"busybox"_s);
    const auto repository = parseReference(name);
    const auto destination = parseReference(name + u'@' + fixtureDigest(u"busybox"_s));
    QVERIFY(destination.tag().isEmpty());
    VERIFY_OK(copy(source, destination));
    VERIFY_OK(headDigest(destination));
    auto tags = await<QStringList>([&](auto done) { m_client->listTags(repository, done); });
    QVERIFY(!tags || tags->isEmpty());

    // A digest the copy would not produce is refused before anything is written.
    const auto wrong = parseReference(m_basic.host + u'/' + freshRepository(u"busybox"_s)
                                      + u"@sha256:"_s + QString(64, u'a'));
    auto refused = copy(source, wrong);
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Error::Kind::InvalidArgument);
}

void tst_RegistryCopy::dropMidBlobResumes()
{
    auto proxy = startFaultProxy(u"plain"_s, *m_credentials);
    QVERIFY(proxy);
    const auto source = parseReference(proxy->host() + u"/berth/busybox:1.0"_s);
    const auto destination = at(m_basic, freshRepository(u"busybox"_s) + u":1.0"_s);
    const QList<Descriptor> blobs = blobsOf(source);
    const auto big = std::max_element(
        blobs.begin(), blobs.end(), [](auto &a, auto &b) { return a.size < b.size; });
    QVERIFY(big != blobs.end() && big->size > 200000);
    const int rule = proxy->addRule(FaultRule::dropAfter(
        "GET", u"^/v2/berth/busybox/blobs/"_s + big->digest.toString(), 100000, 1));
    auto copied = copy(source, destination);
    VERIFY_OK(copied);
    QCOMPARE(proxy->applied(rule), 1);
    bool resumed = false;
    for (const SeenRequest &r : proxy->requests())
        resumed |= r.header("Range") == "bytes=100000-" && r.status == 206;
    QVERIFY2(resumed, qPrintable(requestLog(*proxy)));
    QVERIFY(hasBlob(destination, *big));
    auto stored = headDigest(destination);
    VERIFY_OK(stored);
    QCOMPARE(stored->toString(), fixtureDigest(u"busybox"_s));
}

void tst_RegistryCopy::cancelLeavesNoTag()
{
    auto proxy = startFaultProxy(u"plain"_s, *m_credentials);
    QVERIFY(proxy);
    const auto source = parseReference(proxy->host() + u"/berth/busybox:1.0"_s);
    const auto destination = at(m_basic, freshRepository(u"busybox"_s) + u":1.0"_s);
    const QList<Descriptor> blobs = blobsOf(source);
    // Every blob stops after its first bytes, long enough for the cancel to land mid-blob.
    proxy->addRule(FaultRule::stall("GET", blobPath(u"berth/busybox"_s), 1000, 60000, -1));
    CopyOptions options;
    options.progress = [cancel = options.cancel](const TransferProgress &p) {
        if (!p.item.isEmpty() && p.state == TransferProgress::State::Transferring && p.current > 0)
            cancel.cancel();
    };
    auto copied = copy(source, destination, options);
    QVERIFY(!copied);
    QVERIFY2(copied.error().isCancelled(), qPrintable(describe(copied.error())));
    auto stored = headDigest(destination);
    QVERIFY(!stored);
    QCOMPARE(stored.error().kind, Error::Kind::NotFound);
    // A blob smaller than what the proxy lets through before it stalls may have gone up whole.
    for (const Descriptor &b : blobs) {
        if (b.size > 1000)
            QVERIFY2(!hasBlob(destination, b), qPrintable(b.digest.toString()));
    }
}

void tst_RegistryCopy::corruptSourceByte()
{
    auto proxy = startFaultProxy(u"plain"_s, *m_credentials);
    QVERIFY(proxy);
    const auto source = parseReference(proxy->host() + u"/berth/busybox:1.0"_s);
    const auto destination = at(m_token, freshRepository(u"busybox"_s) + u":1.0"_s);
    const QList<Descriptor> blobs = blobsOf(source);
    proxy->addRule(FaultRule::corruptByte("GET", blobPath(u"berth/busybox"_s), 1000));
    auto copied = copy(source, destination);
    QVERIFY(!copied);
    QCOMPARE(copied.error().kind, Error::Kind::DigestMismatch);
    QVERIFY2(copied.error().message.contains(u"sha256:"_s), qPrintable(copied.error().message));
    for (const Descriptor &b : blobs)
        QVERIFY2(!hasBlob(destination, b), qPrintable(b.digest.toString()));
    QCOMPARE(headDigest(destination).error().kind, Error::Kind::NotFound);
}

QTEST_GUILESS_MAIN(tst_RegistryCopy)
#include "tst_registrycopy.moc"
