#include "common/sha256.h"
#include "oci/manifest.h"
#include "oci/mediatypes.h"
#include "testpaths.h"

#include <QFile>
#include <QSysInfo>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

// The fixtures in tests/data/manifests are hand-written from the OCI image spec and Docker's
// manifest v2 spec. Their digests are the sha256 of a readable label ("node-20-amd64"), so rows
// name the label rather than paste hex.
QString labelDigest(const char *label)
{
    return Sha256::digestOf(QByteArrayView(label));
}

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(BERTH_TEST_DATA_DIR "/manifests/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

// QVERIFY2 evaluates its message even when the check passes: never touch error() of a value.
template<typename T>
QByteArray errorText(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

QByteArray nested(int depth, bool objects = false)
{
    QByteArray out;
    for (int i = 0; i < depth; ++i)
        out += objects ? "{\"a\":" : "[";
    out += "1";
    for (int i = 0; i < depth; ++i)
        out += objects ? "}" : "]";
    return out;
}

QByteArray descriptorJson(const QByteArray &mediaType,
                          const QByteArray &digest,
                          qint64 size,
                          const QByteArray &platform = {})
{
    QByteArray out = "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest
                     + "\",\"size\":" + QByteArray::number(size);
    if (!platform.isEmpty())
        out += ",\"platform\":" + platform;
    return out + '}';
}

QByteArray validConfigDescriptor()
{
    return descriptorJson(MediaType::OciConfig, labelDigest("oci-config").toLatin1(), 7023);
}

Platform platform(const char *text)
{
    return *Platform::parse(QString::fromLatin1(text));
}

} // namespace

Q_DECLARE_METATYPE(Error::Kind)

class tst_Manifest final : public QObject
{
    Q_OBJECT

private slots:
    void platformParse_data();
    void platformParse();
    void platformSatisfies_data();
    void platformSatisfies();
    void platformHost();

    void parseIndexFixtures();
    void select_data();
    void select();
    void selectWithoutPlatforms();

    void parseManifestFixtures();
    void layersSizeSaturates();
    void detectMediaType_data();
    void detectMediaType();
    void refuseManifest_data();
    void refuseManifest();
    void refuseIndex_data();
    void refuseIndex();
    void serialiseRoundTrip_data();
    void serialiseRoundTrip();

    void parseConfigFixtures();
    void configTimestamps_data();
    void configTimestamps();
    void refuseConfig_data();
    void refuseConfig();
    void dockerfileLine_data();
    void dockerfileLine();
    void reconstructedDockerfile();
};

void tst_Manifest::platformParse_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // toString(); empty: refused
    QTest::addColumn<QString>("error");

    const auto ok = [](const char *in, const char *out) {
        QTest::newRow(in) << QString::fromUtf8(in) << QString::fromUtf8(out) << QString();
    };
    const auto bad = [](const char *name, const QString &in, const QString &error) {
        QTest::newRow(name) << in << QString() << error;
    };
    ok("linux/amd64", "linux/amd64");
    ok("linux/arm64/v8", "linux/arm64/v8");
    ok("linux/arm64", "linux/arm64");
    ok("linux/arm/v7", "linux/arm/v7");
    ok("linux/arm/v6", "linux/arm/v6");
    ok("linux/amd64/v3", "linux/amd64/v3");
    ok("windows/amd64", "windows/amd64");
    ok("linux/ppc64le", "linux/ppc64le");
    ok("linux/s390x", "linux/s390x");
    ok("linux/riscv64", "linux/riscv64");
    ok("linux/386", "linux/386");
    ok("Linux/AMD64", "linux/amd64");
    ok("linux/x86_64", "linux/amd64");
    ok("linux/x86-64", "linux/amd64");
    ok("linux/aarch64", "linux/arm64");
    ok("linux/i686", "linux/386");
    ok("linux/i386", "linux/386");
    ok("linux/armhf", "linux/arm/v7");
    ok("linux/armel", "linux/arm/v6");
    ok("linux/arm/7", "linux/arm/v7");
    ok("linux/arm64/8", "linux/arm64/v8");
    ok(" linux / amd64 ", "linux/amd64");
    bad("empty", QString(), u"expected os/architecture[/variant]"_s);
    bad("os only", u"linux"_s, u"expected os/architecture[/variant]"_s);
    bad("four parts", u"linux/arm/v7/extra"_s, u"expected os/architecture[/variant]"_s);
    bad("empty arch", u"linux/"_s, u"the architecture is empty"_s);
    bad("empty os", u"/amd64"_s, u"the operating system is empty"_s);
    bad("empty variant", u"linux/arm/"_s, u"the variant is empty"_s);
    bad("empty middle", u"linux//v7"_s, u"the architecture is empty"_s);
    bad("space inside", u"linux/amd 64"_s, u"'amd 64' is not a valid architecture"_s);
    bad("leading dash", u"linux/-x"_s, u"is not a valid architecture"_s);
    bad("non-ASCII", u"linüx/amd64"_s, u"is not a valid operating system"_s);
    bad("newline inside", u"linux/am\nd64"_s, u"is not a valid architecture"_s);
}

void tst_Manifest::platformParse()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    const auto parsed = Platform::parse(input);
    if (expected.isEmpty()) {
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().kind, Error::Kind::InvalidArgument);
        QVERIFY2(parsed.error().message.contains(error), errorText(parsed).constData());
        return;
    }
    QVERIFY2(parsed, errorText(parsed).constData());
    QCOMPARE(parsed->toString(), expected);
    QCOMPARE(*Platform::parse(parsed->toString()), *parsed);
}

void tst_Manifest::platformSatisfies_data()
{
    QTest::addColumn<QString>("candidate");
    QTest::addColumn<QString>("wanted");
    QTest::addColumn<bool>("expected");

    const auto row = [](const char *candidate, const char *wanted, bool expected) {
        QTest::addRow("%s for %s", candidate, wanted)
            << QString::fromLatin1(candidate) << QString::fromLatin1(wanted) << expected;
    };
    row("linux/amd64", "linux/amd64", true);
    row("linux/amd64", "linux/arm64", false);
    row("windows/amd64", "linux/amd64", false);
    row("linux/amd64/v3", "linux/amd64", true); // no variant asked: any will do
    row("linux/amd64", "linux/amd64/v3", false);
    row("linux/arm64", "linux/arm64/v8", true); // arm64 without variant is v8
    row("linux/arm64/v8", "linux/arm64", true);
    row("linux/arm64/v8", "linux/arm64/v8", true);
    row("linux/arm64/v9", "linux/arm64/v8", false);
    row("linux/arm/v7", "linux/arm/v7", true);
    row("linux/arm/v6", "linux/arm/v7", false);
    row("linux/arm/v7", "linux/arm", true);
    row("linux/arm", "linux/arm/v7", false);
    row("unknown/unknown", "unknown/unknown", false); // attestations never match
}

void tst_Manifest::platformSatisfies()
{
    QFETCH(QString, candidate);
    QFETCH(QString, wanted);
    QFETCH(bool, expected);
    QCOMPARE(platform(qPrintable(candidate)).satisfies(platform(qPrintable(wanted))), expected);
}

void tst_Manifest::platformHost()
{
    const Platform host = Platform::host();
    QVERIFY(!host.os.isEmpty());
    QVERIFY(!host.architecture.isEmpty());
#ifdef Q_OS_LINUX
    QCOMPARE(host.os, u"linux"_s);
#endif
    const QString cpu = QSysInfo::currentCpuArchitecture();
    if (cpu == u"x86_64")
        QCOMPARE(host.toString(), u"linux/amd64"_s);
    else if (cpu == u"arm64")
        QCOMPARE(host.toString(), u"linux/arm64/v8"_s);
    // The host must be something an index can offer: parse() accepts what host() gives.
    const auto reparsed = Platform::parse(host.toString());
    QVERIFY2(reparsed, errorText(reparsed).constData());
    QVERIFY(host.satisfies(host));
}

void tst_Manifest::parseIndexFixtures()
{
    const auto oci = parseImageIndex(fixture(u"oci-index-attestations.json"_s));
    QVERIFY2(oci, errorText(oci).constData());
    QCOMPARE(oci->mediaType, QLatin1String(MediaType::OciIndex));
    QCOMPARE(oci->manifests.size(), 10);
    QStringList platforms;
    for (const Platform &p : oci->platforms())
        platforms << p.toString();
    // The five attestation manifests (unknown/unknown) are left out.
    QCOMPARE(platforms,
             QStringList({u"linux/amd64"_s,
                          u"linux/arm/v7"_s,
                          u"linux/arm64/v8"_s,
                          u"linux/ppc64le"_s,
                          u"linux/s390x"_s}));
    const Descriptor &first = oci->manifests.first();
    QCOMPARE(first.digest.toString(), labelDigest("node-20-amd64"));
    QCOMPARE(first.size, 1781);
    QCOMPARE(first.annotations.value(u"org.opencontainers.image.version"_s), u"20.13.1-bookworm"_s);
    const Descriptor &attestation = oci->manifests.at(5);
    QVERIFY(attestation.platform && attestation.platform->isUnknown());
    QCOMPARE(attestation.annotations.value(u"vnd.docker.reference.digest"_s),
             labelDigest("node-20-amd64"));

    const auto list = parseImageIndex(fixture(u"docker-manifest-list.json"_s));
    QVERIFY2(list, errorText(list).constData());
    QCOMPARE(list->mediaType, QLatin1String(MediaType::DockerManifestList));
    QCOMPARE(list->manifests.size(), 9);
    QCOMPARE(list->platforms().size(), 9);
    const Descriptor &windows = list->manifests.last();
    QCOMPARE(windows.platform->os, u"windows"_s);
    QCOMPARE(windows.platform->osVersion, u"10.0.17763.5329"_s);
    QCOMPARE(windows.mediaType, QLatin1String(MediaType::DockerManifest));
}

void tst_Manifest::select_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("wanted");
    QTest::addColumn<QString>("expected"); // digest; empty: nothing fits

    const QString oci = u"oci-index-attestations.json"_s;
    const QString list = u"docker-manifest-list.json"_s;
    const auto row = [](const QString &file, const char *wanted, const char *label) {
        QTest::addRow("%s %s", qPrintable(file.section(u'-', 0, 1)), wanted)
            << file << QString::fromLatin1(wanted) << (label ? labelDigest(label) : QString());
    };
    row(oci, "linux/amd64", "node-20-amd64");
    row(oci, "linux/arm64/v8", "node-20-arm64v8");
    row(oci, "linux/arm64", "node-20-arm64v8");
    row(oci, "linux/arm/v7", "node-20-armv7");
    row(oci, "linux/arm/v8", "node-20-armv7"); // an ARMv8 CPU in 32-bit mode runs v7
    row(oci, "linux/arm/v6", nullptr);         // and a v6 CPU cannot run v7
    row(oci, "linux/ppc64le", "node-20-ppc64le");
    row(oci, "linux/s390x", "node-20-s390x");
    row(oci, "linux/386", nullptr);
    row(oci, "windows/amd64", nullptr);
    row(oci, "unknown/unknown", nullptr); // attestations are never selected
    row(list, "linux/amd64", "busybox-amd64");
    row(list, "windows/amd64", "busybox-windows");
    row(list, "linux/arm/v7", "busybox-armv7");
    row(list, "linux/arm/v5", "busybox-armv5");
    row(list, "linux/arm/v6", "busybox-armv5"); // v6 falls back to v5, never up to v7
    row(list, "linux/arm", "busybox-armv5");    // no variant asked: index order
    row(list, "linux/arm64", "busybox-arm64v8");
    row(list, "linux/386", "busybox-386");
    row(list, "linux/mips64le", "busybox-mips64le");
    row(list, "linux/riscv64", nullptr);
}

void tst_Manifest::select()
{
    QFETCH(QString, file);
    QFETCH(QString, wanted);
    QFETCH(QString, expected);
    const auto index = parseImageIndex(fixture(file));
    QVERIFY2(index, errorText(index).constData());
    const auto chosen = index->select(platform(qPrintable(wanted)));
    if (expected.isEmpty()) {
        QVERIFY2(!chosen, chosen ? qPrintable(chosen->digest.toString()) : "");
        return;
    }
    QVERIFY(chosen);
    QCOMPARE(chosen->digest.toString(), expected);
}

void tst_Manifest::selectWithoutPlatforms()
{
    const QByteArray manifest
        = descriptorJson(MediaType::OciManifest, labelDigest("only").toLatin1(), 500);
    const QByteArray attestation = descriptorJson(MediaType::OciManifest,
                                                  labelDigest("att").toLatin1(),
                                                  500,
                                                  R"({"architecture":"unknown","os":"unknown"})");
    const auto sole = parseImageIndex("{\"schemaVersion\":2,\"manifests\":[" + manifest + ','
                                      + attestation + "]}");
    QVERIFY2(sole, errorText(sole).constData());
    QCOMPARE(sole->mediaType, QLatin1String(MediaType::OciIndex)); // inferred from its shape
    const auto chosen = sole->select(platform("linux/amd64"));
    QVERIFY(chosen);
    QCOMPARE(chosen->digest.toString(), labelDigest("only"));
    QVERIFY(sole->platforms().isEmpty());

    // Two images without platforms: no way to choose, so no guess.
    const auto two = parseImageIndex(
        "{\"schemaVersion\":2,\"manifests\":[" + manifest + ','
        + descriptorJson(MediaType::OciManifest, labelDigest("other").toLatin1(), 1) + "]}");
    QVERIFY(two);
    QVERIFY(!two->select(platform("linux/amd64")));

    // An exact variant wins over an earlier compatible entry.
    const auto variants = parseImageIndex(
        "{\"schemaVersion\":2,\"manifests\":["
        + descriptorJson(MediaType::OciManifest,
                         labelDigest("v3").toLatin1(),
                         1,
                         R"({"architecture":"amd64","os":"linux","variant":"v3"})")
        + ','
        + descriptorJson(MediaType::OciManifest,
                         labelDigest("plain").toLatin1(),
                         1,
                         R"({"architecture":"amd64","os":"linux"})")
        + "]}");
    QVERIFY(variants);
    QCOMPARE(variants->select(platform("linux/amd64"))->digest.toString(), labelDigest("plain"));
    QCOMPARE(variants->select(platform("linux/amd64/v3"))->digest.toString(), labelDigest("v3"));
    QVERIFY(!variants->select(platform("linux/amd64/v2")));
}

void tst_Manifest::parseManifestFixtures()
{
    const auto oci = parseImageManifest(fixture(u"oci-manifest.json"_s));
    QVERIFY2(oci, errorText(oci).constData());
    QCOMPARE(oci->mediaType, QLatin1String(MediaType::OciManifest));
    QCOMPARE(oci->config.mediaType, QLatin1String(MediaType::OciConfig));
    QCOMPARE(oci->config.digest.toString(), labelDigest("oci-config"));
    QCOMPARE(oci->config.size, 7023);
    QCOMPARE(oci->layers.size(), 3);
    QCOMPARE(oci->layers.at(1).digest.toString(), labelDigest("layer-2"));
    QCOMPARE(oci->layers.at(1).mediaType, QLatin1String(MediaType::OciLayerGzip));
    QCOMPARE(oci->layersSize(), 32654 + 16724 + 73109);
    QCOMPARE(oci->annotations.value(u"org.opencontainers.image.base.name"_s),
             u"docker.io/library/debian:bookworm-slim"_s);

    const auto docker
        = parseImageManifest(fixture(u"docker-manifest-v2.json"_s), u"application/octet-stream"_s);
    QVERIFY2(docker, errorText(docker).constData());
    QCOMPARE(docker->mediaType, QLatin1String(MediaType::DockerManifest));
    QCOMPARE(docker->config.mediaType, QLatin1String(MediaType::DockerConfig));
    QCOMPARE(docker->layers.size(), 3);
    const Descriptor &foreign = docker->layers.first();
    QCOMPARE(foreign.mediaType, QLatin1String(MediaType::DockerForeignLayerGzip));
    QCOMPARE(foreign.size, Q_INT64_C(1430455498));
    QCOMPARE(foreign.urls.size(), 1);
    QVERIFY(foreign.urls.first().startsWith(u"https://mcr.microsoft.com/"));
    QCOMPARE(docker->layersSize(), Q_INT64_C(1430455498) + 32654 + 16724);
}

void tst_Manifest::layersSizeSaturates()
{
    ImageManifest manifest;
    Descriptor big;
    big.size = std::numeric_limits<qint64>::max() - 10;
    manifest.layers = {big, big, big};
    QCOMPARE(manifest.layersSize(), std::numeric_limits<qint64>::max());
    QCOMPARE(ImageManifest().layersSize(), 0);
}

void tst_Manifest::detectMediaType_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("contentType");
    QTest::addColumn<QString>("expected");

    const QString oci = QLatin1String(MediaType::OciManifest);
    const QString ociIndex = QLatin1String(MediaType::OciIndex);
    const QString docker = QLatin1String(MediaType::DockerManifest);
    const QString list = QLatin1String(MediaType::DockerManifestList);
    const QByteArray config = validConfigDescriptor();
    const QByteArray dockerConfig
        = descriptorJson(MediaType::DockerConfig, labelDigest("c").toLatin1(), 1);

    QTest::newRow("oci index fixture")
        << fixture(u"oci-index-attestations.json"_s) << QString() << ociIndex;
    QTest::newRow("list fixture") << fixture(u"docker-manifest-list.json"_s) << QString() << list;
    QTest::newRow("oci fixture") << fixture(u"oci-manifest.json"_s) << QString() << oci;
    QTest::newRow("docker fixture") << fixture(u"docker-manifest-v2.json"_s) << QString() << docker;
    QTest::newRow("schema1 signed") << fixture(u"schema1-signed.json"_s) << QString()
                                    << QString::fromLatin1(MediaType::DockerManifestV1Signed);
    QTest::newRow("schema1 unsigned") << QByteArray(R"({"schemaVersion":1,"fsLayers":[]})")
                                      << QString::fromLatin1(MediaType::DockerManifest)
                                      << QString::fromLatin1(MediaType::DockerManifestV1);
    QTest::newRow("body wins over header")
        << fixture(u"oci-manifest.json"_s) << QString::fromLatin1(MediaType::DockerManifestList)
        << oci;
    QTest::newRow("header with parameters")
        << QByteArray("{\"schemaVersion\":2,\"config\":" + config + ",\"layers\":[]}")
        << u"application/vnd.docker.distribution.manifest.v2+json; charset=utf-8"_s << docker;
    QTest::newRow("shape: manifest")
        << QByteArray("{\"schemaVersion\":2,\"config\":" + config + ",\"layers\":[]}")
        << u"application/json"_s << oci;
    QTest::newRow("shape: docker config")
        << QByteArray("{\"schemaVersion\":2,\"config\":" + dockerConfig + ",\"layers\":[]}")
        << QString() << docker;
    QTest::newRow("shape: index") << QByteArray(R"({"schemaVersion":2,"manifests":[]})")
                                  << u"text/plain"_s << ociIndex;
    QTest::newRow("not JSON, header") << QByteArray("<html>") << list << list;
    QTest::newRow("not JSON, no header") << QByteArray("<html>") << QString() << QString();
    QTest::newRow("too deep") << nested(100) << oci << oci;
    QTest::newRow("array") << QByteArray("[]") << QString() << QString();
    QTest::newRow("empty object") << QByteArray("{}") << QString() << QString();
}

void tst_Manifest::detectMediaType()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, contentType);
    QFETCH(QString, expected);
    QCOMPARE(detectManifestMediaType(body, contentType), expected);
}

void tst_Manifest::refuseManifest_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("contentType");
    QTest::addColumn<Error::Kind>("kind");
    QTest::addColumn<QString>("error");

    const QByteArray config = validConfigDescriptor();
    const QByteArray layer
        = descriptorJson(MediaType::OciLayerGzip, labelDigest("layer").toLatin1(), 10);
    const auto manifest = [](const QByteArray &members) -> QByteArray {
        return QByteArray("{\"schemaVersion\":2,\"mediaType\":\"") + MediaType::OciManifest + "\","
               + members + '}';
    };
    const QString none;
    const auto P = Error::Kind::Protocol;
    const auto U = Error::Kind::Unsupported;

    QTest::newRow("schema 1") << fixture(u"schema1-signed.json"_s) << none << U
                              << u"schema 1 manifest, which is deprecated and unsupported"_s;
    QTest::newRow("schema 1 by header")
        << QByteArray(R"({"name":"x","tag":"y","fsLayers":[]})")
        << QString::fromLatin1(MediaType::DockerManifestV1Signed) << U << u"schema 1"_s;
    QTest::newRow("schemaVersion 3")
        << QByteArray("{\"schemaVersion\":3,\"config\":" + config + ",\"layers\":[]}") << none << U
        << u"schemaVersion 3, only 2"_s;
    QTest::newRow("schemaVersion string")
        << QByteArray("{\"schemaVersion\":\"2\",\"config\":" + config + ",\"layers\":[]}") << none
        << U << u"schemaVersion \"2\""_s;
    QTest::newRow("empty body") << QByteArray() << none << P << u"the manifest is empty"_s;
    QTest::newRow("whitespace body") << QByteArray(" \n\t") << none << P << u"is empty"_s;
    QTest::newRow("truncated") << fixture(u"oci-manifest.json"_s).left(200) << none << P
                               << u"the manifest is not valid JSON:"_s;
    QTest::newRow("trailing garbage")
        << QByteArray(fixture(u"oci-manifest.json"_s) + "}") << none << P << u"at offset"_s;
    QTest::newRow("html") << QByteArray("<html>502 Bad Gateway</html>") << none << P
                          << u"is not valid JSON"_s;
    // Qt's parser lets a raw NUL through inside a string; the body is still no manifest.
    QTest::newRow("nul byte") << QByteArray("{\"a\":\"\0\"}", 9) << none << P
                              << u"malformed manifest: no media type"_s;
    QTest::newRow("empty object") << QByteArray("{}") << none << P << u"no media type"_s;
    QTest::newRow("array") << QByteArray("[1,2]") << none << P << u"is not a JSON object"_s;
    QTest::newRow("string") << QByteArray("\"manifest\"") << none << P << u"not valid JSON"_s;
    QTest::newRow("65 levels") << nested(65) << none << P << u"more than 64 levels deep"_s;
    QTest::newRow("65 object levels") << nested(65, true) << none << P << u"64 levels"_s;
    QTest::newRow("100000 levels") << nested(100000) << none << P << u"64 levels"_s;
    QTest::newRow("64 levels is JSON but no manifest")
        << QByteArray("{\"x\":" + nested(63) + '}') << QString::fromLatin1(MediaType::OciManifest)
        << P << u"'config' is missing"_s;
    QTest::newRow("over 4 MiB") << QByteArray(MaxManifestSize + 1, ' ') << none << P
                                << u"more than the 4 MiB"_s;
    QTest::newRow("index instead") << fixture(u"oci-index-attestations.json"_s) << none << P
                                   << u"expected an image manifest but got an image index"_s;
    QTest::newRow("unknown media type")
        << QByteArray("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example+json\","
                      "\"config\":"
                      + config + ",\"layers\":[]}")
        << none << U << u"unsupported manifest media type 'application/vnd.example+json'"_s;
    QTest::newRow("mediaType not a string") << QByteArray(
        "{\"schemaVersion\":2,\"mediaType\":5,\"config\":" + config + ",\"layers\":[]}")
                                            << none << P << u"'mediaType' must be a string"_s;
    QTest::newRow("no config") << manifest("\"layers\":[]") << none << P
                               << u"malformed manifest: 'config' is missing"_s;
    QTest::newRow("null config") << manifest("\"config\":null,\"layers\":[]") << none << P
                                 << u"'config' is missing"_s;
    QTest::newRow("config array") << manifest("\"config\":[],\"layers\":[]") << none << P
                                  << u"'config' must be an object"_s;
    QTest::newRow("no layers") << manifest("\"config\":" + config) << none << P
                               << u"'layers' is missing"_s;
    QTest::newRow("layers object") << manifest("\"config\":" + config + ",\"layers\":{}") << none
                                   << P << u"'layers' must be an array"_s;
    QTest::newRow("layer not object") << manifest("\"config\":" + config + ",\"layers\":[1]")
                                      << none << P << u"'layers[0]' must be an object"_s;
    QTest::newRow("bad layer digest")
        << manifest("\"config\":" + config + ",\"layers\":[" + layer + ','
                    + descriptorJson(MediaType::OciLayerGzip, "sha256:1234", 5) + "]")
        << none << P << u"'layers[1].digest' is not a valid digest: invalid digest 'sha256:1234'"_s;
    QTest::newRow("uppercase digest")
        << manifest("\"config\":"
                    + descriptorJson(MediaType::OciConfig, labelDigest("c").toUpper().toLatin1(), 5)
                    + ",\"layers\":[]")
        << none << P << u"'config.digest' is not a valid digest"_s;
    QTest::newRow("md5 digest") << manifest(
        "\"config\":"
        + descriptorJson(MediaType::OciConfig, "md5:d41d8cd98f00b204e9800998ecf8427e", 5)
        + ",\"layers\":[]") << none
                                << P << u"unsupported digest algorithm 'md5'"_s;
    QTest::newRow("no digest") << manifest(
        "\"config\":{\"mediaType\":\"x\",\"size\":1},\"layers\":[]")
                               << none << P << u"'config.digest' is missing"_s;
    QTest::newRow("digest number")
        << manifest("\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":7},\"layers\":[]")
        << none << P << u"'config.digest' must be a string"_s;
    QTest::newRow("no mediaType in descriptor") << manifest(
        "\"config\":{\"digest\":\"" + labelDigest("c").toLatin1() + "\",\"size\":1},\"layers\":[]")
                                                << none << P << u"'config.mediaType' is missing"_s;
    QTest::newRow("no size") << manifest("\"config\":{\"mediaType\":\"x\",\"digest\":\""
                                         + labelDigest("c").toLatin1() + "\"},\"layers\":[]")
                             << none << P << u"'config.size' is missing"_s;
    QTest::newRow("negative size") << manifest(
        "\"config\":" + descriptorJson(MediaType::OciConfig, labelDigest("c").toLatin1(), -1)
        + ",\"layers\":[]") << none << P
                                   << u"'config.size' must be a non-negative integer"_s;
    QTest::newRow("fractional size")
        << manifest("\"config\":{\"mediaType\":\"x\",\"size\":1.5,\"digest\":\""
                    + labelDigest("c").toLatin1() + "\"},\"layers\":[]")
        << none << P << u"non-negative integer"_s;
    QTest::newRow("size string") << manifest(
        "\"config\":{\"mediaType\":\"x\",\"size\":\"1\",\"digest\":\"" + labelDigest("c").toLatin1()
        + "\"},\"layers\":[]") << none
                                 << P << u"non-negative integer"_s;
    QTest::newRow("size 1e300") << manifest(
        "\"config\":{\"mediaType\":\"x\",\"size\":1e300,\"digest\":\"" + labelDigest("c").toLatin1()
        + "\"},\"layers\":[]") << none
                                << P << u"non-negative integer"_s;
    QTest::newRow("annotations not strings")
        << manifest("\"config\":" + config + ",\"layers\":[],\"annotations\":{\"a\":1}") << none
        << P << u"'annotations' must be an object of strings"_s;
    QTest::newRow("layer annotations array")
        << manifest("\"config\":" + config
                    + ",\"layers\":[{\"mediaType\":\"x\",\"size\":1,"
                      "\"digest\":\""
                    + labelDigest("l").toLatin1() + "\",\"annotations\":[]}]")
        << none << P << u"'layers[0].annotations' must be an object of strings"_s;
    QTest::newRow("urls not strings")
        << manifest("\"config\":" + config
                    + ",\"layers\":[{\"mediaType\":\"x\",\"size\":1,"
                      "\"digest\":\""
                    + labelDigest("l").toLatin1() + "\",\"urls\":[1]}]")
        << none << P << u"'layers[0].urls' must be an array of strings"_s;
}

void tst_Manifest::refuseManifest()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, contentType);
    QFETCH(Error::Kind, kind);
    QFETCH(QString, error);
    const auto parsed = parseImageManifest(body, contentType);
    QVERIFY(!parsed);
    QVERIFY2(parsed.error().message.contains(error), errorText(parsed).constData());
    QCOMPARE(parsed.error().kind, kind);
    QVERIFY(parsed.error().message.size() < 500);
}

void tst_Manifest::refuseIndex_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Error::Kind>("kind");
    QTest::addColumn<QString>("error");

    const auto P = Error::Kind::Protocol;
    const QByteArray entry = descriptorJson(MediaType::OciManifest,
                                            labelDigest("m").toLatin1(),
                                            1,
                                            R"({"architecture":"amd64","os":"linux"})");
    const auto index = [](const QByteArray &manifests) -> QByteArray {
        return QByteArray("{\"schemaVersion\":2,\"mediaType\":\"") + MediaType::OciIndex
               + "\",\"manifests\":" + manifests + '}';
    };

    QTest::newRow("manifest instead") << fixture(u"oci-manifest.json"_s) << P
                                      << u"expected an image index but got an image manifest"_s;
    QTest::newRow("schema 1") << fixture(u"schema1-signed.json"_s) << Error::Kind::Unsupported
                              << u"schema 1"_s;
    QTest::newRow("no manifests") << QByteArray(QByteArray("{\"schemaVersion\":2,\"mediaType\":\"")
                                                + MediaType::OciIndex + "\"}")
                                  << P << u"malformed image index: 'manifests' is missing"_s;
    QTest::newRow("empty object") << QByteArray("{}") << P
                                  << u"malformed image index: no media type"_s;
    QTest::newRow("manifests object") << index("{}") << P << u"'manifests' must be an array"_s;
    QTest::newRow("entry string") << index("[\"x\"]") << P << u"'manifests[0]' must be an object"_s;
    QTest::newRow("platform string") << index(
        "["
        + descriptorJson(MediaType::OciManifest, labelDigest("m").toLatin1(), 1, "\"linux/amd64\"")
        + "]") << P << u"'manifests[0].platform' must be an object"_s;
    QTest::newRow("platform without os") << index(
        "[" + entry + ","
        + descriptorJson(
            MediaType::OciManifest, labelDigest("m").toLatin1(), 1, R"({"architecture":"amd64"})")
        + "]") << P << u"'manifests[1].platform.os' is missing"_s;
    QTest::newRow("variant number")
        << index("["
                 + descriptorJson(MediaType::OciManifest,
                                  labelDigest("m").toLatin1(),
                                  1,
                                  R"({"architecture":"arm","os":"linux","variant":7})")
                 + "]")
        << P << u"'manifests[0].platform.variant' must be a string"_s;
    QTest::newRow("bad digest in entry")
        << index("[" + descriptorJson(MediaType::OciManifest, "sha256:xyz", 1) + "]") << P
        << u"'manifests[0].digest' is not a valid digest"_s;
    QTest::newRow("too deep") << QByteArray("{\"manifests\":" + nested(64) + "}") << P
                              << u"64 levels"_s;
    QTest::newRow("over 4 MiB") << index(
        "[" + QByteArray(entry + ',').repeated(MaxManifestSize / entry.size()) + entry + "]")
                                << P << u"more than the 4 MiB"_s;
}

void tst_Manifest::refuseIndex()
{
    QFETCH(QByteArray, body);
    QFETCH(Error::Kind, kind);
    QFETCH(QString, error);
    const auto parsed = parseImageIndex(body);
    QVERIFY(!parsed);
    QVERIFY2(parsed.error().message.contains(error), errorText(parsed).constData());
    QCOMPARE(parsed.error().kind, kind);
}

void tst_Manifest::serialiseRoundTrip_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("oci index") << u"oci-index-attestations.json"_s;
    QTest::newRow("docker list") << u"docker-manifest-list.json"_s;
    QTest::newRow("oci manifest") << u"oci-manifest.json"_s;
    QTest::newRow("docker manifest") << u"docker-manifest-v2.json"_s;
}

// toJson() writes what the parsers read back unchanged, field for field.
void tst_Manifest::serialiseRoundTrip()
{
    QFETCH(QString, file);
    const QByteArray body = fixture(file);
    const auto compareDescriptors = [](const Descriptor &a, const Descriptor &b) {
        return a.mediaType == b.mediaType && a.digest == b.digest && a.size == b.size
               && a.platform == b.platform && a.annotations == b.annotations && a.urls == b.urls;
    };
    if (MediaType::isIndex(detectManifestMediaType(body))) {
        const auto index = parseImageIndex(body);
        QVERIFY(index);
        const auto again = parseImageIndex(toJson(*index));
        QVERIFY2(again, errorText(again).constData());
        QCOMPARE(again->mediaType, index->mediaType);
        QCOMPARE(again->annotations, index->annotations);
        QCOMPARE(again->manifests.size(), index->manifests.size());
        for (qsizetype i = 0; i < index->manifests.size(); ++i)
            QVERIFY(compareDescriptors(again->manifests[i], index->manifests[i]));
        QCOMPARE(toJson(*again), toJson(*index));
        return;
    }
    const auto manifest = parseImageManifest(body);
    QVERIFY(manifest);
    const QByteArray json = toJson(*manifest);
    QVERIFY(json.startsWith('{') && !json.contains('\n'));
    const auto again = parseImageManifest(json);
    QVERIFY2(again, errorText(again).constData());
    QCOMPARE(again->mediaType, manifest->mediaType);
    QVERIFY(compareDescriptors(again->config, manifest->config));
    QCOMPARE(again->layers.size(), manifest->layers.size());
    for (qsizetype i = 0; i < manifest->layers.size(); ++i)
        QVERIFY(compareDescriptors(again->layers[i], manifest->layers[i]));
    QCOMPARE(again->annotations, manifest->annotations);
}

void tst_Manifest::parseConfigFixtures()
{
    const auto classic = parseImageConfig(fixture(u"config-classic.json"_s));
    QVERIFY2(classic, errorText(classic).constData());
    QCOMPARE(classic->platform.toString(), u"linux/amd64"_s);
    QCOMPARE(classic->created, QDateTime(QDate(2020, 10, 22), QTime(22, 22, 2, 812), Qt::UTC));
    QCOMPARE(classic->env.size(), 3);
    QCOMPARE(classic->env.at(1), u"NODE_VERSION=15.0.1"_s);
    QCOMPARE(classic->entrypoint, QStringList{u"docker-entrypoint.sh"_s});
    QCOMPARE(classic->cmd, QStringList{u"node"_s});
    QCOMPARE(classic->exposedPorts, QStringList{u"3000/tcp"_s});
    QVERIFY(classic->volumes.isEmpty()); // "Volumes": null
    QVERIFY(classic->labels.isEmpty());  // "Labels": null
    QCOMPARE(classic->diffIds.size(), 4);
    QCOMPARE(classic->diffIds.first(), labelDigest("diff-1"));
    QCOMPARE(classic->history.size(), 9);
    QVERIFY(classic->history.at(1).emptyLayer);
    QVERIFY(!classic->history.at(0).emptyLayer);
    // "+02:00" offsets are converted to UTC.
    QCOMPARE(classic->history.at(4).created,
             QDateTime(QDate(2020, 10, 22), QTime(20, 22, 1), Qt::UTC));

    const auto buildkit = parseImageConfig(fixture(u"config-buildkit.json"_s));
    QVERIFY2(buildkit, errorText(buildkit).constData());
    QCOMPARE(buildkit->platform.toString(), u"linux/arm64/v8"_s);
    QCOMPARE(buildkit->author, u"Jean <jean@example.com>"_s);
    QCOMPARE(buildkit->user, u"node"_s);
    QCOMPARE(buildkit->workingDir, u"/app"_s);
    QCOMPARE(buildkit->stopSignal, u"SIGTERM"_s);
    QCOMPARE(buildkit->exposedPorts, QStringList({u"3000/tcp"_s, u"9229/tcp"_s}));
    QCOMPARE(buildkit->volumes, QStringList{u"/data"_s});
    QCOMPARE(buildkit->labels.value(u"maintainer"_s), u"Jean"_s);
    QCOMPARE(buildkit->history.size(), 10);
    QCOMPARE(buildkit->history.last().comment, u"Imported from -"_s);
    QCOMPARE(buildkit->history.last().author, u"Jean <jean@example.com>"_s);
    QCOMPARE(buildkit->created, QDateTime(QDate(2024, 5, 14), QTime(1, 21, 34, 567), Qt::UTC));

    // The smallest valid config: every field is optional.
    const auto empty = parseImageConfig("{}");
    QVERIFY2(empty, errorText(empty).constData());
    QVERIFY(empty->history.isEmpty());
    QVERIFY(!empty->created.isValid());
}

void tst_Manifest::configTimestamps_data()
{
    QTest::addColumn<QString>("created");
    QTest::addColumn<QDateTime>("expected"); // invalid: read as "unknown"

    const auto utc = [](int y, int mo, int d, int h, int mi, int s, int ms = 0) {
        return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
    };
    QTest::newRow("Z") << u"2024-05-14T01:21:34Z"_s << utc(2024, 5, 14, 1, 21, 34);
    QTest::newRow("nanoseconds") << u"2024-05-14T01:21:34.123456789Z"_s
                                 << utc(2024, 5, 14, 1, 21, 34, 123);
    QTest::newRow("one fraction digit")
        << u"2024-05-14T01:21:34.5Z"_s << utc(2024, 5, 14, 1, 21, 34, 500);
    QTest::newRow("lowercase t and z") << u"2024-05-14t01:21:34z"_s << utc(2024, 5, 14, 1, 21, 34);
    QTest::newRow("positive offset")
        << u"2024-05-14T03:21:34+02:00"_s << utc(2024, 5, 14, 1, 21, 34);
    QTest::newRow("negative offset")
        << u"2024-05-13T20:21:34-05:00"_s << utc(2024, 5, 14, 1, 21, 34);
    QTest::newRow("epoch (reproducible builds)")
        << u"1970-01-01T00:00:00Z"_s << utc(1970, 1, 1, 0, 0, 0);
    QTest::newRow("Go zero time") << u"0001-01-01T00:00:00Z"_s << QDateTime();
    QTest::newRow("no zone") << u"2024-05-14T01:21:34"_s << QDateTime();
    QTest::newRow("date only") << u"2024-05-14"_s << QDateTime();
    QTest::newRow("month 13") << u"2024-13-14T01:21:34Z"_s << QDateTime();
    QTest::newRow("garbage") << u"yesterday"_s << QDateTime();
    QTest::newRow("trailing newline") << u"2024-05-14T01:21:34Z\n"_s << QDateTime();
    QTest::newRow("ten fraction digits") << u"2024-05-14T01:21:34.1234567890Z"_s << QDateTime();
}

void tst_Manifest::configTimestamps()
{
    QFETCH(QString, created);
    QFETCH(QDateTime, expected);
    const QByteArray body = "{\"created\":\"" + created.toUtf8().replace("\n", "\\n")
                            + "\",\"history\":[{\"created\":\""
                            + created.toUtf8().replace("\n", "\\n") + "\"}]}";
    const auto config = parseImageConfig(body);
    QVERIFY2(config, errorText(config).constData());
    QCOMPARE(config->created, expected);
    QCOMPARE(config->history.first().created, expected);
    if (expected.isValid())
        QCOMPARE(config->created.timeSpec(), Qt::UTC);
}

void tst_Manifest::refuseConfig_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty") << QByteArray() << u"the image configuration is empty"_s;
    QTest::newRow("not JSON") << QByteArray("{\"architecture\":") << u"is not valid JSON"_s;
    QTest::newRow("array") << QByteArray("[]") << u"is not a JSON object"_s;
    QTest::newRow("too deep") << QByteArray("{\"config\":{\"Labels\":" + nested(63, true) + "}}")
                              << u"more than 64 levels deep"_s;
    QTest::newRow("over 16 MiB") << QByteArray(MaxConfigSize + 1, ' ') << u"16 MiB"_s;
    QTest::newRow("architecture number")
        << QByteArray(R"({"architecture":64})") << u"'architecture' must be a string"_s;
    QTest::newRow("config string")
        << QByteArray(R"({"config":"x"})") << u"'config' must be an object"_s;
    QTest::newRow("Env string") << QByteArray(R"({"config":{"Env":"PATH=/bin"}})")
                                << u"'config.Env' must be an array of strings"_s;
    QTest::newRow("Cmd numbers") << QByteArray(R"({"config":{"Cmd":[1,2]}})")
                                 << u"'config.Cmd' must be an array of strings"_s;
    QTest::newRow("Labels array") << QByteArray(R"({"config":{"Labels":["a"]}})")
                                  << u"'config.Labels' must be an object of strings"_s;
    QTest::newRow("Label number") << QByteArray(R"({"config":{"Labels":{"a":1}}})")
                                  << u"'config.Labels' must be an object of strings"_s;
    QTest::newRow("ExposedPorts array") << QByteArray(R"({"config":{"ExposedPorts":["80/tcp"]}})")
                                        << u"'config.ExposedPorts' must be an object"_s;
    QTest::newRow("rootfs array") << QByteArray(R"({"rootfs":[]})")
                                  << u"'rootfs' must be an object"_s;
    QTest::newRow("bad diff_id") << QByteArray(
        R"({"rootfs":{"type":"layers","diff_ids":["sha256:00"]}})")
                                 << u"'rootfs.diff_ids[0]' is not a valid digest"_s;
    QTest::newRow("history object")
        << QByteArray(R"({"history":{}})") << u"'history' must be an array"_s;
    QTest::newRow("history entry string")
        << QByteArray(R"({"history":["RUN x"]})") << u"'history[0]' must be an object"_s;
    QTest::newRow("created_by number") << QByteArray(R"({"history":[{},{"created_by":1}]})")
                                       << u"'history[1].created_by' must be a string"_s;
    QTest::newRow("empty_layer string") << QByteArray(R"({"history":[{"empty_layer":"true"}]})")
                                        << u"'history[0].empty_layer' must be true or false"_s;
    QTest::newRow("created number")
        << QByteArray(R"({"created":1715650000})") << u"'created' must be a string"_s;
}

void tst_Manifest::refuseConfig()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    const auto parsed = parseImageConfig(body);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().kind, Error::Kind::Protocol);
    QVERIFY2(parsed.error().message.contains(error), errorText(parsed).constData());
}

void tst_Manifest::dockerfileLine_data()
{
    QTest::addColumn<QString>("createdBy");
    QTest::addColumn<QString>("comment");
    QTest::addColumn<QString>("expected"); // empty: the entry gives no line

    const auto row = [](const char *name,
                        const QString &createdBy,
                        const QString &expected,
                        const QString &comment = {}) {
        QTest::newRow(name) << createdBy << comment << expected;
    };
    // Classic builder.
    row("nop CMD", u"/bin/sh -c #(nop)  CMD [\"node\"]"_s, u"CMD [\"node\"]"_s);
    row("nop ADD",
        u"/bin/sh -c #(nop) ADD file:f17f65714f703db9 in / "_s,
        u"ADD file:f17f65714f703db9 in /"_s);
    row("nop ENV", u"/bin/sh -c #(nop)  ENV NODE_VERSION=15.0.1"_s, u"ENV NODE_VERSION=15.0.1"_s);
    row("nop EXPOSE", u"/bin/sh -c #(nop)  EXPOSE 3000"_s, u"EXPOSE 3000"_s);
    row("nop no space", u"/bin/sh -c #(nop)WORKDIR /app"_s, u"WORKDIR /app"_s);
    row("run", u"/bin/sh -c apk add --no-cache curl"_s, u"RUN apk add --no-cache curl"_s);
    row("run with args",
        u"|2 YARN_VERSION=1.22.5 NODE_ENV=production /bin/sh -c set -ex"_s,
        u"RUN set -ex"_s);
    row("run multi-line",
        u"/bin/sh -c set -eux; \\\n\tapt-get update"_s,
        u"RUN set -eux; \\\n\tapt-get update"_s);
    row("bash", u"/bin/bash -c echo hi"_s, u"RUN echo hi"_s);
    row("windows nop", u"cmd /S /C #(nop)  CMD [\"cmd\"]"_s, u"CMD [\"cmd\"]"_s);
    row("windows run", u"cmd /S /C mkdir C:\\app"_s, u"RUN mkdir C:\\app"_s);
    row("powershell", u"powershell -Command Install-Module x"_s, u"RUN Install-Module x"_s);
    // BuildKit.
    row("buildkit run", u"RUN /bin/sh -c groupadd node # buildkit"_s, u"RUN groupadd node"_s);
    row("buildkit run with args",
        u"RUN |1 TARGETARCH=arm64 /bin/sh -c echo \"${TARGETARCH}\" # buildkit"_s,
        u"RUN echo \"${TARGETARCH}\""_s);
    row("buildkit copy",
        u"COPY docker-entrypoint.sh /usr/local/bin/ # buildkit"_s,
        u"COPY docker-entrypoint.sh /usr/local/bin/"_s);
    row("buildkit env", u"ENV NODE_VERSION=20.13.1"_s, u"ENV NODE_VERSION=20.13.1"_s);
    row("buildkit expose map",
        u"EXPOSE map[3000/tcp:{} 9229/tcp:{}]"_s,
        u"EXPOSE 3000/tcp 9229/tcp"_s);
    row("buildkit expose one", u"EXPOSE map[80/tcp:{}]"_s, u"EXPOSE 80/tcp"_s);
    row("buildkit exec form",
        u"RUN [\"apt-get\", \"update\"]"_s,
        u"RUN [\"apt-get\", \"update\"]"_s);
    row("buildkit heredoc",
        u"RUN /bin/sh -c <<EOF\necho a\nEOF # buildkit"_s,
        u"RUN <<EOF\necho a\nEOF"_s);
    // Debian's rootfs tarball and other tools.
    row("debuerreotype",
        u"# debian.sh --arch 'arm64' out/ 'bookworm' '@1715558400'"_s,
        u"# debian.sh --arch 'arm64' out/ 'bookworm' '@1715558400'"_s);
    row("kaniko-like", u"COPY dir:abc in /app"_s, u"COPY dir:abc in /app"_s);
    row("import with comment", QString(), u"# Imported from -"_s, u"Imported from -"_s);
    row("commit comment multi-line", QString(), u"# fix the build"_s, u"fix\nthe build"_s);
    row("nothing", QString(), QString());
    row("blank", u"   "_s, QString());
    row("only marker", u"# buildkit"_s, QString());
    // Nothing to strip: kept as written.
    row("shell word later", u"echo /bin/sh -c x"_s, u"echo /bin/sh -c x"_s);
}

void tst_Manifest::dockerfileLine()
{
    QFETCH(QString, createdBy);
    QFETCH(QString, comment);
    QFETCH(QString, expected);
    ImageConfig config;
    HistoryEntry entry;
    entry.createdBy = createdBy;
    entry.comment = comment;
    config.history = {entry};
    const QStringList lines = config.reconstructedDockerfile();
    if (expected.isEmpty()) {
        QVERIFY(lines.isEmpty());
        return;
    }
    QCOMPARE(lines, QStringList{expected});
}

void tst_Manifest::reconstructedDockerfile()
{
    const auto classic = parseImageConfig(fixture(u"config-classic.json"_s));
    QVERIFY(classic);
    QCOMPARE(
        classic->reconstructedDockerfile(),
        QStringList({
            u"ADD file:f17f65714f703db9012f00e5ec98d0b2541ff6147c2633f7ab9ba659d0c507f4 in /"_s,
            u"CMD [\"/bin/sh\"]"_s,
            u"ENV NODE_VERSION=15.0.1"_s,
            u"RUN addgroup -g 1000 node     && adduser -u 1000 -G node -s /bin/sh -D node"_s,
            u"RUN set -ex   && apk add --no-cache --virtual .build-deps-yarn curl gnupg tar"_s,
            u"COPY file:238737301d47304174e4d24f4def935b29b3069c03c72ae8de97d94624382fce in /usr/local/bin/"_s,
            u"ENTRYPOINT [\"docker-entrypoint.sh\"]"_s,
            u"EXPOSE 3000"_s,
            u"CMD [\"node\"]"_s,
        }));

    const auto buildkit = parseImageConfig(fixture(u"config-buildkit.json"_s));
    QVERIFY(buildkit);
    const QStringList lines = buildkit->reconstructedDockerfile();
    QCOMPARE(lines.size(), 10);
    QCOMPARE(lines.at(0), u"# debian.sh --arch 'arm64' out/ 'bookworm' '@1715558400'"_s);
    QCOMPARE(lines.at(2),
             u"RUN groupadd --gid 1000 node   && useradd --uid 1000 --gid node --shell /bin/bash "
             "--create-home node"_s);
    QVERIFY(lines.at(3).startsWith(u"RUN set -eux; \tcase"));
    QCOMPARE(lines.at(6), u"EXPOSE 3000/tcp 9229/tcp"_s);
    QCOMPARE(lines.at(9), u"# Imported from -"_s);
}

QTEST_GUILESS_MAIN(tst_Manifest)
#include "tst_manifest.moc"
