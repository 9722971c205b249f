#include "credentialtestenv.h"

#include "credentials/dockerconfig.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;
using namespace BerthTest;

namespace {

QByteArray basicAuth(const QString &user, const QString &password)
{
    return (user + u':' + password).toUtf8().toBase64();
}

QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

} // namespace

class tst_DockerConfig final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void dockerConfigPath_data();
    void dockerConfigPath();
    void podmanAuthPaths_data();
    void podmanAuthPaths();

    void missingOrBlankFile_data();
    void missingOrBlankFile();
    void malformedFile_data();
    void malformedFile();

    void authKeyMatching_data();
    void authKeyMatching();
    void authEntryShapes_data();
    void authEntryShapes();
    void exactKeyPreferred();
    void undecodableAuth_data();
    void undecodableAuth();
    void registries_data();
    void registries();
    void helperFor_data();
    void helperFor();
    void serverKey_data();
    void serverKey();
    void podmanAuthFile();

    void writePlainText_data();
    void writePlainText();
    void writePlainTextCreatesPrivateFile();
    void writeRefusesMalformedFile();
    void removeAuths_data();
    void removeAuths();
    void removeAuthsMissingFile();

private:
    QString configPath() const { return m_configDir->filePath(QStringLiteral("config.json")); }

    std::unique_ptr<TestHome> m_home;
    std::unique_ptr<QTemporaryDir> m_configDir;
};

void tst_DockerConfig::initTestCase()
{
    m_home = std::make_unique<TestHome>();
}

void tst_DockerConfig::init()
{
    m_configDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_configDir->isValid());
    qputenv("DOCKER_CONFIG", QFile::encodeName(m_configDir->path()));
}

void tst_DockerConfig::cleanup()
{
    qunsetenv("DOCKER_CONFIG");
    qunsetenv("REGISTRY_AUTH_FILE");
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_home->path(u"run")));
    m_configDir.reset();
}

void tst_DockerConfig::dockerConfigPath_data()
{
    QTest::addColumn<QString>("dockerConfig");
    QTest::addColumn<QString>("expected"); // relative to HOME unless absolute

    QTest::newRow("unset") << QString() << QStringLiteral(".docker/config.json");
    QTest::newRow("empty") << QStringLiteral("") << QStringLiteral(".docker/config.json");
    QTest::newRow("set") << QStringLiteral("/opt/docker-cfg")
                         << QStringLiteral("/opt/docker-cfg/config.json");
}

void tst_DockerConfig::dockerConfigPath()
{
    QFETCH(QString, dockerConfig);
    QFETCH(QString, expected);
    if (dockerConfig.isNull())
        qunsetenv("DOCKER_CONFIG");
    else
        qputenv("DOCKER_CONFIG", QFile::encodeName(dockerConfig));
    const QString want = expected.startsWith(u'/') ? expected : m_home->path(expected);
    QCOMPARE(DockerConfig::dockerConfigPath(), want);
}

void tst_DockerConfig::podmanAuthPaths_data()
{
    QTest::addColumn<QString>("authFile");
    QTest::addColumn<QString>("runtimeDir");
    QTest::addColumn<QStringList>("expected");

    const QString home = QDir::homePath(); // TestHome is in place before data functions run
    QTest::newRow("REGISTRY_AUTH_FILE alone")
        << QStringLiteral("/etc/auth.json") << QStringLiteral("/run/user/1")
        << QStringList{QStringLiteral("/etc/auth.json")};
    QTest::newRow("runtime dir then home")
        << QString() << QStringLiteral("/run/user/1")
        << QStringList{QStringLiteral("/run/user/1/containers/auth.json"),
                       home + u"/.config/containers/auth.json"};
    QTest::newRow("no runtime dir")
        << QString() << QString() << QStringList{home + u"/.config/containers/auth.json"};
}

void tst_DockerConfig::podmanAuthPaths()
{
    QFETCH(QString, authFile);
    QFETCH(QString, runtimeDir);
    QFETCH(QStringList, expected);
    if (authFile.isEmpty())
        qunsetenv("REGISTRY_AUTH_FILE");
    else
        qputenv("REGISTRY_AUTH_FILE", QFile::encodeName(authFile));
    if (runtimeDir.isEmpty())
        qunsetenv("XDG_RUNTIME_DIR");
    else
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtimeDir));
    QCOMPARE(DockerConfig::podmanAuthPaths(), expected);
}

void tst_DockerConfig::missingOrBlankFile_data()
{
    QTest::addColumn<std::optional<QByteArray>>("content");
    QTest::addColumn<bool>("exists");

    QTest::newRow("missing") << std::optional<QByteArray>() << false;
    QTest::newRow("empty") << std::optional<QByteArray>(QByteArray()) << true;
    QTest::newRow("blank") << std::optional<QByteArray>(QByteArray(" \n\t\n")) << true;
    QTest::newRow("empty object") << std::optional<QByteArray>(QByteArray("{}")) << true;
}

void tst_DockerConfig::missingOrBlankFile()
{
    QFETCH(std::optional<QByteArray>, content);
    QFETCH(bool, exists);
    if (content)
        QVERIFY(writeFile(configPath(), *content));
    const Result<DockerConfig> config = DockerConfig::load(configPath());
    QVERIFY2(config, config ? "" : qPrintable(config.error().message));
    QCOMPARE(config->exists(), exists);
    QVERIFY(config->credsStore().isEmpty());
    QVERIFY(config->credHelpers().isEmpty());
    QVERIFY(config->helperFor(QStringLiteral("docker.io")).isEmpty());
    const auto auth = config->authFor(QStringLiteral("docker.io"));
    QVERIFY(auth);
    QVERIFY(!auth->has_value());
}

void tst_DockerConfig::malformedFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("truncated") << QByteArray(R"({"auths": {"h": {"auth": "eDp5"})")
                               << QStringLiteral("not valid JSON");
    QTest::newRow("trailing garbage") << QByteArray("{} x") << QStringLiteral("not valid JSON");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("JSON object");
    QTest::newRow("auths array") << QByteArray(R"({"auths": []})") << QStringLiteral("auths");
    QTest::newRow("auths entry number")
        << QByteArray(R"({"auths": {"h": 3}})") << QStringLiteral("auths");
    QTest::newRow("credsStore number")
        << QByteArray(R"({"credsStore": 5})") << QStringLiteral("credsStore");
    QTest::newRow("credHelpers entry bool")
        << QByteArray(R"({"credHelpers": {"h": true}})") << QStringLiteral("credHelpers");
}

void tst_DockerConfig::malformedFile()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mentions);
    QVERIFY(writeFile(configPath(), content));
    const Result<DockerConfig> config = DockerConfig::load(configPath());
    QVERIFY(!config);
    QCOMPARE(config.error().kind, Error::Kind::Io);
    QVERIFY2(config.error().message.contains(configPath()), qPrintable(config.error().message));
    QVERIFY2(config.error().message.contains(mentions), qPrintable(config.error().message));
}

void tst_DockerConfig::authKeyMatching_data()
{
    QTest::addColumn<QString>("fileKey");
    QTest::addColumn<QString>("registry");
    QTest::addColumn<bool>("found");

    const QString hubKey = QStringLiteral("https://index.docker.io/v1/");
    QTest::newRow("hub key, docker.io") << hubKey << QStringLiteral("docker.io") << true;
    QTest::newRow("hub key, index.docker.io")
        << hubKey << QStringLiteral("index.docker.io") << true;
    QTest::newRow("hub key, registry-1")
        << hubKey << QStringLiteral("registry-1.docker.io") << true;
    QTest::newRow("hub key, itself") << hubKey << hubKey << true;
    QTest::newRow("bare docker.io key, hub")
        << QStringLiteral("docker.io") << QStringLiteral("docker.io") << true;
    QTest::newRow("host:port") << QStringLiteral("localhost:5000")
                               << QStringLiteral("localhost:5000") << true;
    QTest::newRow("host:port via http")
        << QStringLiteral("localhost:5000") << QStringLiteral("http://localhost:5000") << true;
    QTest::newRow("https key") << QStringLiteral("https://reg.example.com")
                               << QStringLiteral("reg.example.com") << true;
    QTest::newRow("http key") << QStringLiteral("http://reg.example.com:8080")
                              << QStringLiteral("reg.example.com:8080") << true;
    QTest::newRow("v1 path key") << QStringLiteral("reg.example.com/v1/")
                                 << QStringLiteral("reg.example.com") << true;
    QTest::newRow("https v2 path key") << QStringLiteral("https://reg.example.com/v2/")
                                       << QStringLiteral("reg.example.com") << true;
    QTest::newRow("other host") << QStringLiteral("other.example.com")
                                << QStringLiteral("reg.example.com") << false;
    QTest::newRow("other port") << QStringLiteral("localhost:5001")
                                << QStringLiteral("localhost:5000") << false;
    QTest::newRow("hub key, not another registry") << hubKey << QStringLiteral("quay.io") << false;
    QTest::newRow("suffix is not a match")
        << QStringLiteral("evil-reg.example.com") << QStringLiteral("reg.example.com") << false;
}

void tst_DockerConfig::authKeyMatching()
{
    QFETCH(QString, fileKey);
    QFETCH(QString, registry);
    QFETCH(bool, found);
    const QJsonObject root{
        {QStringLiteral("auths"),
         QJsonObject{{fileKey,
                      QJsonObject{{QStringLiteral("auth"),
                                   QString::fromLatin1(basicAuth(QStringLiteral("jean"),
                                                                 QStringLiteral("pw")))}}}}}};
    QVERIFY(writeFile(configPath(), QJsonDocument(root).toJson()));
    const Result<DockerConfig> config = DockerConfig::load(configPath());
    QVERIFY(config);
    const auto auth = config->authFor(registry);
    QVERIFY(auth);
    QCOMPARE(auth->has_value(), found);
    QCOMPARE(config->authKeysFor(registry).contains(fileKey), found);
    if (found) {
        QCOMPARE((*auth)->username, QStringLiteral("jean"));
        QCOMPARE((*auth)->secret, QStringLiteral("pw"));
        QVERIFY(!(*auth)->identityToken);
    }
}

void tst_DockerConfig::authEntryShapes_data()
{
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<bool>("identityToken");

    QTest::newRow("base64 auth") << QByteArray(R"({"auth": ")" + basicAuth(u"jean"_s, u"hunter2"_s)
                                               + R"("})")
                                 << true << u"jean"_s << u"hunter2"_s << false;
    QTest::newRow("colon in password")
        << QByteArray(R"({"auth": ")" + basicAuth(u"jean"_s, u"a:b:c"_s) + R"("})") << true
        << u"jean"_s << u"a:b:c"_s << false;
    QTest::newRow("non-ASCII") << QByteArray(R"({"auth": ")" + basicAuth(u"zoë"_s, u"mötörhead€"_s)
                                             + R"("})")
                               << true << u"zoë"_s << u"mötörhead€"_s << false;
    QTest::newRow("identity token with user") << QByteArray(
        R"({"auth": ")" + basicAuth(u"jean"_s, QString()) + R"(", "identitytoken": "refresh-123"})")
                                              << true << u"jean"_s << u"refresh-123"_s << true;
    QTest::newRow("identity token alone") << QByteArray(R"({"identitytoken": "refresh-123"})")
                                          << true << QString() << u"refresh-123"_s << true;
    QTest::newRow("username and password fields")
        << QByteArray(R"({"username": "jean", "password": "pw"})") << true << u"jean"_s << u"pw"_s
        << false;
    QTest::newRow("empty marker next to a helper")
        << QByteArray("{}") << false << QString() << QString() << false;
    QTest::newRow("empty auth string")
        << QByteArray(R"({"auth": ""})") << false << QString() << QString() << false;
    QTest::newRow("unknown fields kept quiet") << QByteArray(
        R"({"email": "j@example.com", "auth": ")" + basicAuth(u"j"_s, u"p"_s) + R"("})")
                                               << true << u"j"_s << u"p"_s << false;
}

void tst_DockerConfig::authEntryShapes()
{
    QFETCH(QByteArray, entry);
    QFETCH(bool, found);
    QFETCH(QString, username);
    QFETCH(QString, secret);
    QFETCH(bool, identityToken);
    QVERIFY(writeFile(configPath(), R"({"auths": {"registry.example.com": )" + entry + "}}"));
    const Result<DockerConfig> config = DockerConfig::load(configPath());
    QVERIFY2(config, config ? "" : qPrintable(config.error().message));
    const auto auth = config->authFor(QStringLiteral("registry.example.com"));
    QVERIFY2(auth, auth ? "" : qPrintable(auth.error().message));
    QCOMPARE(auth->has_value(), found);
    if (!found)
        return;
    QCOMPARE((*auth)->username, username);
    QCOMPARE((*auth)->secret, secret);
    QCOMPARE((*auth)->identityToken, identityToken);
}

void tst_DockerConfig::exactKeyPreferred()
{
    // docker itself looks the exact key up first; a stale https:// spelling must not win.
    const QByteArray content = R"({"auths": {
        "https://reg.example.com": {"auth": ")"
                               + basicAuth(u"old"_s, u"p1"_s) + R"("},
        "reg.example.com": {"auth": ")"
                               + basicAuth(u"new"_s, u"p2"_s) + R"("},
        "http://reg.example.com": {"auth": ")"
                               + basicAuth(u"older"_s, u"p3"_s) + R"("}}})";
    QVERIFY(writeFile(configPath(), content));
    const Result<DockerConfig> config = DockerConfig::load(configPath());
    QVERIFY(config);
    QCOMPARE(
        config->authKeysFor(u"reg.example.com"_s),
        QStringList(
            {u"reg.example.com"_s, u"https://reg.example.com"_s, u"http://reg.example.com"_s}));
    const auto auth = config->authFor(u"reg.example.com"_s);
    QVERIFY(auth && auth->has_value());
    QCOMPARE((*auth)->username, u"new"_s);

    // An empty marker under the exact key does not hide a login under another spelling.
    const QByteArray withMarker = R"({"auths": {"reg.example.com": {},
        "https://reg.example.com": {"auth": ")"
                                  + basicAuth(u"old"_s, u"p1"_s) + R"("}}})";
    QVERIFY(writeFile(configPath(), withMarker));
    const Result<DockerConfig> second = DockerConfig::load(configPath());
    QVERIFY(second);
    const auto fallback = second->authFor(u"reg.example.com"_s);
    QVERIFY(fallback && fallback->has_value());
    QCOMPARE((*fallback)->username, u"old"_s);
}

void tst_DockerConfig::undecodableAuth_data()
{
    QTest::addColumn<QByteArray>("auth");
    QTest::addColumn<QByteArray>("decodedSecretPart");

    QTest::newRow("no colon") << QByteArray("bm90LWEtbG9naW4tc2VjcmV0eA==")
                              << QByteArray("not-a-login-secretx");
    QTest::newRow("not base64") << QByteArray("***secret-looking***")
                                << QByteArray("secret-looking");
}

void tst_DockerConfig::undecodableAuth()
{
    QFETCH(QByteArray, auth);
    QFETCH(QByteArray, decodedSecretPart);
    QVERIFY(
        writeFile(configPath(), R"({"auths": {"reg.example.com": {"auth": ")" + auth + R"("}}})"));
    const Result<DockerConfig> config = DockerConfig::load(configPath());
    QVERIFY(config);
    const auto result = config->authFor(u"reg.example.com"_s);
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Error::Kind::Io);
    QVERIFY(result.error().message.contains(configPath()));
    QVERIFY(result.error().message.contains(u"reg.example.com"));
    // The message names the entry, never its content.
    QVERIFY(!result.error().message.contains(QString::fromLatin1(decodedSecretPart)));
    QVERIFY(!result.error().message.contains(QString::fromLatin1(auth)));
}

void tst_DockerConfig::registries_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("registries");

    QTest::newRow("nothing") << QByteArray("{}") << QStringList();
    QTest::newRow("hub's three spellings are one")
        << QByteArray(R"({"auths": {"https://index.docker.io/v1/": {"auth": "YTpi"},
                                    "registry-1.docker.io": {}},
                         "credHelpers": {"docker.io": "pass"}})")
        << QStringList{u"docker.io"_s};
    QTest::newRow("schemes and paths dropped, host lower-cased")
        << QByteArray(R"({"auths": {"https://Quay.io/v1/": {}, "http://localhost:5000": {},
                                    "127.0.0.1:5000": {"auth": "YTpi"}}})")
        << QStringList{u"127.0.0.1:5000"_s, u"localhost:5000"_s, u"quay.io"_s};
    QTest::newRow("credHelpers too, once each")
        << QByteArray(R"({"auths": {"ghcr.io": {}}, "credHelpers": {"ghcr.io": "secretservice",
                                                                      "[::1]:5000": "pass"}})")
        << QStringList{u"[::1]:5000"_s, u"ghcr.io"_s};
    QTest::newRow("credsStore alone names no registry")
        << QByteArray(R"({"credsStore": "pass"})") << QStringList();
}

void tst_DockerConfig::registries()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, registries);
    QVERIFY(writeFile(configPath(), content));
    const Result<DockerConfig> config = DockerConfig::load(configPath());
    QVERIFY2(config, config ? "" : qPrintable(config.error().message));
    QCOMPARE(config->registries(), registries);
}

void tst_DockerConfig::helperFor_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("helper");

    QTest::newRow("nothing") << QByteArray("{}") << u"quay.io"_s << QString();
    QTest::newRow("credsStore") << QByteArray(R"({"credsStore": "pass"})") << u"quay.io"_s
                                << u"pass"_s;
    QTest::newRow("credHelpers exact")
        << QByteArray(R"({"credsStore": "pass", "credHelpers": {"quay.io": "secretservice"}})")
        << u"quay.io"_s << u"secretservice"_s;
    QTest::newRow("credHelpers other host uses credsStore")
        << QByteArray(R"({"credsStore": "pass", "credHelpers": {"ghcr.io": "secretservice"}})")
        << u"quay.io"_s << u"pass"_s;
    QTest::newRow("credHelpers https key")
        << QByteArray(R"({"credHelpers": {"https://quay.io": "secretservice"}})") << u"quay.io"_s
        << u"secretservice"_s;
    QTest::newRow("credHelpers hub as index.docker.io")
        << QByteArray(R"({"credHelpers": {"index.docker.io": "secretservice"}})") << u"docker.io"_s
        << u"secretservice"_s;
    QTest::newRow("credHelpers hub as registry-1, asked as docker.io")
        << QByteArray(R"({"credHelpers": {"registry-1.docker.io": "pass"}})") << u"docker.io"_s
        << u"pass"_s;
    QTest::newRow("credHelpers host:port")
        << QByteArray(R"({"credHelpers": {"localhost:5000": "pass"}})")
        << u"http://localhost:5000"_s << u"pass"_s;
    QTest::newRow("empty credHelpers value falls back")
        << QByteArray(R"({"credsStore": "secretservice", "credHelpers": {"quay.io": ""}})")
        << u"quay.io"_s << u"secretservice"_s;
}

void tst_DockerConfig::helperFor()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, registry);
    QFETCH(QString, helper);
    QVERIFY(writeFile(configPath(), content));
    const Result<DockerConfig> config = DockerConfig::load(configPath());
    QVERIFY(config);
    QCOMPARE(config->helperFor(registry), helper);
}

void tst_DockerConfig::serverKey_data()
{
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("key");

    const QString hub = u"https://index.docker.io/v1/"_s;
    QTest::newRow("docker.io") << u"docker.io"_s << hub;
    QTest::newRow("index.docker.io") << u"index.docker.io"_s << hub;
    QTest::newRow("registry-1.docker.io") << u"registry-1.docker.io"_s << hub;
    QTest::newRow("hub key") << hub << hub;
    QTest::newRow("host:port") << u"localhost:5000"_s << u"localhost:5000"_s;
    QTest::newRow("https host") << u"https://ghcr.io"_s << u"ghcr.io"_s;
}

void tst_DockerConfig::serverKey()
{
    QFETCH(QString, registry);
    QFETCH(QString, key);
    QCOMPARE(DockerConfig::serverKey(registry), key);
}

void tst_DockerConfig::podmanAuthFile()
{
    // podman writes the same `auths` shape, sometimes keyed by repository.
    const QString path = m_home->path(u"run/containers/auth.json");
    QVERIFY(writeFile(path,
                      R"({"auths": {
        "quay.io/team/app": {"auth": ")"
                          + basicAuth(u"robot"_s, u"tok"_s) + R"("},
        "localhost:5000": {"auth": ")"
                          + basicAuth(u"alice"_s, u"pw"_s) + R"("}}})"));
    QCOMPARE(DockerConfig::podmanAuthPaths().first(), path);
    const Result<DockerConfig> config = DockerConfig::load(path);
    QVERIFY(config);
    const auto local = config->authFor(u"localhost:5000"_s);
    QVERIFY(local && local->has_value());
    QCOMPARE((*local)->username, u"alice"_s);
    const auto quay = config->authFor(u"quay.io"_s);
    QVERIFY(quay && quay->has_value());
    QCOMPARE((*quay)->username, u"robot"_s);
}

void tst_DockerConfig::writePlainText_data()
{
    QTest::addColumn<QString>("registry");
    QTest::addColumn<bool>("identityToken");
    QTest::addColumn<QString>("expectedKey");
    QTest::addColumn<QStringList>("staleKeys");

    QTest::newRow("host:port") << u"localhost:5000"_s << false << u"localhost:5000"_s
                               << QStringList{u"http://localhost:5000"_s,
                                              u"https://localhost:5000"_s};
    QTest::newRow("hub") << u"registry-1.docker.io"_s << false << u"https://index.docker.io/v1/"_s
                         << QStringList{u"docker.io"_s, u"https://index.docker.io"_s};
    QTest::newRow("identity token") << u"https://ghcr.io"_s << true << u"ghcr.io"_s
                                    << QStringList{u"https://ghcr.io"_s, u"ghcr.io/v1/"_s};
}

void tst_DockerConfig::writePlainText()
{
    QFETCH(QString, registry);
    QFETCH(bool, identityToken);
    QFETCH(QString, expectedKey);
    QFETCH(QStringList, staleKeys);

    // Other keys of the file, other registries and other spellings of this one.
    QJsonObject auths{{u"other.example.com"_s,
                       QJsonObject{{u"auth"_s, QString::fromLatin1(basicAuth(u"o"_s, u"op"_s))}}}};
    for (const QString &key : staleKeys)
        auths.insert(key,
                     QJsonObject{{u"auth"_s, QString::fromLatin1(basicAuth(u"x"_s, u"old"_s))}});
    const QJsonObject beforeRoot{
        {u"currentContext"_s, u"rootless"_s},
        {u"proxies"_s,
         QJsonObject{{u"default"_s, QJsonObject{{u"httpProxy"_s, u"http://proxy:3128"_s}}}}},
        {u"psFormat"_s, u"table {{.ID}}"_s},
        {u"auths"_s, auths}};
    const QByteArray before = QJsonDocument(beforeRoot).toJson();
    QVERIFY(writeFile(configPath(), before));

    const Credential credential{u"jean"_s, u"s3cr3t"_s, identityToken};
    const Status written
        = DockerConfig::writePlainTextAuthToDockerConfig(configPath(), registry, credential);
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));

    const QJsonObject root = readJson(configPath());
    QCOMPARE(root.value(u"currentContext").toString(), u"rootless"_s);
    QCOMPARE(root.value(u"psFormat").toString(), u"table {{.ID}}"_s);
    QCOMPARE(root.value(u"proxies")[u"default"][u"httpProxy"].toString(), u"http://proxy:3128"_s);
    const QJsonObject writtenAuths = root.value(u"auths").toObject();
    QVERIFY(writtenAuths.contains(u"other.example.com"));
    QVERIFY(writtenAuths.contains(expectedKey));
    for (const QString &key : staleKeys)
        QVERIFY2(!writtenAuths.contains(key), qPrintable(key));
    QCOMPARE(writtenAuths.size(), 2);
    const QJsonObject entry = writtenAuths.value(expectedKey).toObject();
    if (identityToken) {
        QCOMPARE(entry.value(u"identitytoken").toString(), u"s3cr3t"_s);
        QCOMPARE(entry.value(u"auth").toString().toLatin1(), basicAuth(u"jean"_s, QString()));
    } else {
        QCOMPARE(entry.value(u"auth").toString().toLatin1(), basicAuth(u"jean"_s, u"s3cr3t"_s));
    }
    QCOMPARE(QFileInfo(configPath()).permissions() & 0x0777,
             QFileDevice::ReadUser | QFileDevice::WriteUser);

    // And it reads back.
    const Result<DockerConfig> config = DockerConfig::load(configPath());
    QVERIFY(config);
    const auto auth = config->authFor(registry);
    QVERIFY(auth && auth->has_value());
    QCOMPARE((*auth)->secret, u"s3cr3t"_s);
    QCOMPARE((*auth)->identityToken, identityToken);
}

void tst_DockerConfig::writePlainTextCreatesPrivateFile()
{
    // DOCKER_CONFIG names a directory that does not exist yet, as on a fresh machine.
    const QString dir = m_configDir->filePath(u"fresh/docker"_s);
    const QString path = dir + u"/config.json";
    const Status written = DockerConfig::writePlainTextAuthToDockerConfig(
        path, u"localhost:5000"_s, Credential{u"a"_s, u"b"_s, false});
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QVERIFY(QFileInfo::exists(path));
    QCOMPARE(QFileInfo(dir).permissions() & 0x0777,
             QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser);
    QCOMPARE(QFileInfo(path).permissions() & 0x0777,
             QFileDevice::ReadUser | QFileDevice::WriteUser);
    // No temporary file left next to it.
    QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden), QStringList{u"config.json"_s});
}

void tst_DockerConfig::writeRefusesMalformedFile()
{
    const QByteArray broken = R"({"auths": {"x": )";
    QVERIFY(writeFile(configPath(), broken));
    const Status written = DockerConfig::writePlainTextAuthToDockerConfig(
        configPath(), u"localhost:5000"_s, Credential{u"a"_s, u"b"_s, false});
    QVERIFY(!written);
    QVERIFY(written.error().message.contains(configPath()));
    QCOMPARE(readAll(configPath()), broken);

    const Result<int> removed = DockerConfig::removeAuths(configPath(), u"x"_s);
    QVERIFY(!removed);
    QCOMPARE(readAll(configPath()), broken);
}

void tst_DockerConfig::removeAuths_data()
{
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QStringList>("remaining");

    const QStringList variants{u"reg.example.com"_s,
                               u"http://reg.example.com"_s,
                               u"https://reg.example.com"_s,
                               u"reg.example.com/v1/"_s};
    QTest::newRow("every spelling")
        << u"reg.example.com"_s << (variants + QStringList{u"other.example.com"_s})
        << QStringList{u"other.example.com"_s};
    QTest::newRow("asked as https") << u"https://reg.example.com"_s << variants << QStringList();
    QTest::newRow("hub") << u"docker.io"_s
                         << QStringList{u"https://index.docker.io/v1/"_s,
                                        u"docker.io"_s,
                                        u"localhost:5000"_s}
                         << QStringList{u"localhost:5000"_s};
    QTest::newRow("nothing to remove")
        << u"quay.io"_s << QStringList{u"ghcr.io"_s} << QStringList{u"ghcr.io"_s};
}

void tst_DockerConfig::removeAuths()
{
    QFETCH(QString, registry);
    QFETCH(QStringList, keys);
    QFETCH(QStringList, remaining);

    QJsonObject auths;
    for (const QString &key : keys)
        auths.insert(key, QJsonObject{{u"auth"_s, QString::fromLatin1(basicAuth(key, u"p"_s))}});
    const QJsonObject root{
        {u"auths"_s, auths}, {u"credsStore"_s, u"pass"_s}, {u"detachKeys"_s, u"ctrl-e,e"_s}};
    QVERIFY(writeFile(configPath(), QJsonDocument(root).toJson()));

    const Result<int> removed = DockerConfig::removeAuths(configPath(), registry);
    QVERIFY2(removed, removed ? "" : qPrintable(removed.error().message));
    QCOMPARE(*removed, int(keys.size() - remaining.size()));
    const QJsonObject after = readJson(configPath());
    QCOMPARE(after.value(u"auths").toObject().keys(), remaining);
    QCOMPARE(after.value(u"credsStore").toString(), u"pass"_s);
    QCOMPARE(after.value(u"detachKeys").toString(), u"ctrl-e,e"_s);
}

void tst_DockerConfig::removeAuthsMissingFile()
{
    const Result<int> removed = DockerConfig::removeAuths(configPath(), u"quay.io"_s);
    QVERIFY(removed);
    QCOMPARE(*removed, 0);
    QVERIFY(!QFileInfo::exists(configPath()));
}

QTEST_GUILESS_MAIN(tst_DockerConfig)
#include "tst_dockerconfig.moc"
