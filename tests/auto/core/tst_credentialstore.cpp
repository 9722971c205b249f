#include "credentialtestenv.h"

#include "asynctest.h"
#include "common/logging.h"
#include "credentials/credentialstore.h"
#include "credentials/dockerconfig.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <iostream>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;
using Found = CredentialStore::Found;
using Source = CredentialStore::Source;
using Remember = CredentialStore::Remember;

Q_DECLARE_METATYPE(Berth::Credential)
Q_DECLARE_METATYPE(CredentialStore::Source)
Q_DECLARE_METATYPE(CredentialStore::Remember)

namespace {

// Everything Qt logs in this process, at every level (berth.* debug is switched on in main()),
// so that a test can look for a secret in it.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker locker(&g_logMutex);
        g_log.append(QString::fromLatin1(context.category ? context.category : "") + u": "
                     + message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QString capturedLog()
{
    QMutexLocker locker(&g_logMutex);
    return g_log.join(u'\n');
}

QByteArray basicAuth(const QString &user, const QString &password)
{
    return (user + u':' + password).toUtf8().toBase64();
}

Status storeLogin(CredentialStore &store,
                  const QString &registry,
                  const Credential &credential,
                  const CredentialStore::StoreOptions &options = {})
{
    return await<void>([&](auto done) { store.storeLogin(registry, credential, options, done); });
}

Status logout(CredentialStore &store, const QString &registry, bool alsoDockerCli)
{
    return await<void>([&](auto done) { store.logout(registry, alsoDockerCli, done); });
}

Result<std::optional<Found>> find(CredentialStore &store, const QString &registry)
{
    return await<std::optional<Found>>([&](auto done) { store.find(registry, done); });
}

QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

bool helperStore(const QString &suffix,
                 const QString &serverUrl,
                 const QString &user,
                 const QString &secret)
{
    const QByteArray request = QJsonDocument(QJsonObject{{u"ServerURL"_s, serverUrl},
                                                         {u"Username"_s, user},
                                                         {u"Secret"_s, secret}})
                                   .toJson(QJsonDocument::Compact);
    return runTool(u"docker-credential-"_s + suffix, {u"store"_s}, request).ok();
}

void helperErase(const QString &suffix, const QString &serverUrl)
{
    runTool(u"docker-credential-"_s + suffix, {u"erase"_s}, serverUrl.toUtf8());
}

QMap<QString, QString> helperList(const QString &suffix)
{
    const ProcessResult listed = runTool(u"docker-credential-"_s + suffix, {u"list"_s});
    QMap<QString, QString> logins;
    const QJsonObject object = QJsonDocument::fromJson(listed.out).object();
    for (auto it = object.begin(); it != object.end(); ++it)
        logins.insert(it.key(), it.value().toString());
    return logins;
}

const QString ChildVariable = u"BERTH_CREDENTIALS_CHILD"_s;

// The child side of the keychain failure cases: one CredentialStore call in a process whose
// D-Bus environment the parent chose. The secret arrives on stdin, the outcome leaves as JSON.
int runChild()
{
    const QString mode = qEnvironmentVariable("BERTH_CREDENTIALS_CHILD");
    const QString registry = qEnvironmentVariable("BERTH_CHILD_REGISTRY");
    const QString user = qEnvironmentVariable("BERTH_CHILD_USER");
    std::string secret;
    std::getline(std::cin, secret);

    CredentialStore store;
    QJsonObject outcome;
    auto report = [&outcome](const Error *error) {
        outcome.insert(u"ok"_s, error == nullptr);
        if (error) {
            outcome.insert(u"kind"_s, errorKindName(error->kind));
            outcome.insert(u"message"_s, error->message);
        }
    };
    if (mode == u"store") {
        const Status stored
            = storeLogin(store, registry, Credential{user, QString::fromStdString(secret), false});
        report(stored ? nullptr : &stored.error());
    } else if (mode == u"lookup") {
        const auto found = find(store, registry);
        report(found ? nullptr : &found.error());
        outcome.insert(u"found"_s, found && found->has_value());
    } else if (mode == u"logout") {
        const Status removed = logout(store, registry, false);
        report(removed ? nullptr : &removed.error());
    } else {
        return 2;
    }
    std::cout << QJsonDocument(outcome).toJson(QJsonDocument::Compact).toStdString() << std::endl;
    return 0;
}

} // namespace

class tst_CredentialStore final : public QObject
{
    Q_OBJECT

public:
    void setHome(TestHome *home) { m_home = home; }

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void keychainLogin_data();
    void keychainLogin();
    void reloginReplaces();
    void sessionOnlyLogin();
    void sharedComputerMode_data();
    void sharedComputerMode();
    void accounts();
    void invalidLogin_data();
    void invalidLogin();

    void lookupOrder_data();
    void lookupOrder();
    void lookupWithoutAnyLogin();
    void malformedDockerConfig();
    void malformedPodmanAuthFile();
    void knownRegistries();

    void alsoDockerCli_data();
    void alsoDockerCli();
    void alsoDockerCliWithoutHelper();
    void alsoDockerCliPlainText();
    void alsoDockerCliHelperNotInstalled();
    void logoutLeavesDockerUnlessAsked();
    void logoutUnknownRegistry();

    void keychainUnavailable_data();
    void keychainUnavailable();
    void keychainLocked();

    void secretNeverLeaks();

private:
    bool keyringAvailable() const { return m_secretService; }
    QString configPath() const { return m_dockerDir->filePath(u"config.json"_s); }
    QString settingsPath() const { return QSettings().fileName(); }
    bool hasAccount(const QString &registry) const;
    QJsonObject runChildProcess(const QString &mode,
                                const QString &registry,
                                const QString &secret,
                                const QProcessEnvironment &environment);
    void touch(const QString &registry) { m_touched.append(registry); }

    TestHome *m_home = nullptr;
    std::unique_ptr<QTemporaryDir> m_dockerDir;
    QStringList m_touched;
    bool m_secretService = false;
};

#define REQUIRE_KEYRING()                                                                          \
    do {                                                                                           \
        if (!keyringAvailable())                                                                   \
            QSKIP("needs the private keyring session: run under scripts/with-keyring");            \
    } while (false)

void tst_CredentialStore::initTestCase()
{
    // Here rather than in main(): QTest installs its own handler in qExec(); ours chains to it.
    g_previousHandler = qInstallMessageHandler(captureMessage);
    QVERIFY2(m_home, "TestHome is set up in main()");
    const QString passError = m_home->setUpPass();
    QVERIFY2(passError.isEmpty(), qPrintable(passError));
    // Only the throwaway keyring of scripts/with-keyring is written to, never a developer's
    // own session keyring (which may hold real Berth logins under the same keys).
    const bool privateSession = qEnvironmentVariableIsSet("BERTH_REQUIRE_KEYRING");
    m_secretService = privateSession && secretServiceRunning();
    if (!m_secretService && privateSession)
        QFAIL("no Secret Service on the session bus, though scripts/with-keyring should start one");
    // The settings file lives in the temporary HOME, not in the user's.
    QVERIFY2(settingsPath().startsWith(m_home->path()), qPrintable(settingsPath()));
}

void tst_CredentialStore::init()
{
    m_dockerDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dockerDir->isValid());
    qputenv("DOCKER_CONFIG", QFile::encodeName(m_dockerDir->path()));
    qunsetenv("REGISTRY_AUTH_FILE");
    QDir(m_home->path(u"run/containers")).removeRecursively();
    QFile::remove(m_home->path(u".config/containers/auth.json"));
    QSettings().clear();
    m_touched.clear();
}

void tst_CredentialStore::cleanup()
{
    // Leave nothing in the shared keyring or helpers for the next test, even after a failure.
    if (keyringAvailable()) {
        CredentialStore store;
        for (const QString &registry : std::as_const(m_touched))
            logout(store, registry, true);
    }
    m_dockerDir.reset();
    qunsetenv("DOCKER_CONFIG");
}

void tst_CredentialStore::cleanupTestCase()
{
    qInstallMessageHandler(g_previousHandler);
    QSettings().clear();
}

bool tst_CredentialStore::hasAccount(const QString &registry) const
{
    QSettings settings;
    settings.sync(); // another process may have written it
    settings.beginGroup(CredentialStore::settingsGroup());
    return settings.childGroups().contains(registry);
}

QJsonObject tst_CredentialStore::runChildProcess(const QString &mode,
                                                 const QString &registry,
                                                 const QString &secret,
                                                 const QProcessEnvironment &environment)
{
    QProcessEnvironment childEnvironment = environment;
    childEnvironment.insert(ChildVariable, mode);
    childEnvironment.insert(u"BERTH_CHILD_REGISTRY"_s, registry);
    childEnvironment.insert(u"BERTH_CHILD_USER"_s, u"alice"_s);
    const ProcessResult child = runTool(QCoreApplication::applicationFilePath(),
                                        {},
                                        secret.toUtf8() + '\n',
                                        childEnvironment,
                                        60000);
    if (!child.ok()) {
        qWarning() << "child" << mode << "failed:" << child.exitCode << child.err;
        return {};
    }
    const QByteArray lastLine = child.out.trimmed().split('\n').last();
    return QJsonDocument::fromJson(lastLine).object();
}

void tst_CredentialStore::keychainLogin_data()
{
    QTest::addColumn<QString>("loginAs");
    QTest::addColumn<QString>("lookupAs");
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("identityToken");

    QTest::newRow("docker.io") << u"docker.io"_s << u"docker.io"_s << u"docker.io"_s << false;
    QTest::newRow("hub config key, looked up as registry-1")
        << u"https://index.docker.io/v1/"_s << u"registry-1.docker.io"_s << u"docker.io"_s << false;
    QTest::newRow("index.docker.io, looked up as docker.io")
        << u"index.docker.io"_s << u"docker.io"_s << u"docker.io"_s << false;
    QTest::newRow("registry-1, looked up as the config key")
        << u"registry-1.docker.io"_s << u"https://index.docker.io/v1/"_s << u"docker.io"_s << false;
    QTest::newRow("host:port via http")
        << u"http://localhost:5000"_s << u"localhost:5000"_s << u"localhost:5000"_s << false;
    QTest::newRow("identity token")
        << u"https://ghcr.io/"_s << u"ghcr.io"_s << u"ghcr.io"_s << true;
}

void tst_CredentialStore::keychainLogin()
{
    REQUIRE_KEYRING();
    QFETCH(QString, loginAs);
    QFETCH(QString, lookupAs);
    QFETCH(QString, key);
    QFETCH(bool, identityToken);
    touch(key);

    CredentialStore store;
    QSignalSpy changed(&store, &CredentialStore::accountsChanged);
    const Credential credential{
        identityToken ? QString() : u"jean"_s, u"k3ychain-pw"_s, identityToken};
    const Status stored = storeLogin(store, loginAs, credential);
    QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));
    QCOMPARE(changed.size(), 1);

    // One keychain entry, under the normalised key, whatever spelling the user typed.
    QCOMPARE(keychainItems(key), 1);
    QVERIFY(hasAccount(key));
    QVERIFY(!readAll(settingsPath()).contains("k3ychain-pw"));

    const auto found = find(store, lookupAs);
    QVERIFY2(found, found ? "" : qPrintable(found.error().message));
    QVERIFY(found->has_value());
    QCOMPARE((*found)->source, Source::Keychain);
    QCOMPARE((*found)->credential.username, credential.username);
    QCOMPARE((*found)->credential.secret, credential.secret);
    QCOMPARE((*found)->credential.identityToken, identityToken);

    // A second store object (another run of Berth) finds it too.
    CredentialStore later;
    const auto viaProvider
        = await<std::optional<Credential>>([&](auto done) { later.lookup(lookupAs, done); });
    QVERIFY(viaProvider && viaProvider->has_value());
    QCOMPARE((*viaProvider)->secret, credential.secret);

    const Status loggedOut = logout(store, lookupAs, false);
    QVERIFY2(loggedOut, loggedOut ? "" : qPrintable(loggedOut.error().message));
    QCOMPARE(keychainItems(key), 0);
    QVERIFY(!hasAccount(key));
    QVERIFY(store.accounts().isEmpty());
    const auto gone = find(store, loginAs);
    QVERIFY(gone);
    QVERIFY(!gone->has_value());
}

void tst_CredentialStore::reloginReplaces()
{
    REQUIRE_KEYRING();
    const QString registry = u"relogin.example.com"_s;
    touch(registry);
    CredentialStore store;
    QVERIFY(storeLogin(store, registry, Credential{u"old"_s, u"first"_s, false}));
    QVERIFY(storeLogin(
        store, u"https://relogin.example.com"_s, Credential{u"new"_s, u"second"_s, false}));
    QCOMPARE(keychainItems(registry), 1);
    const auto found = find(store, registry);
    QVERIFY(found && found->has_value());
    QCOMPARE((*found)->credential.username, u"new"_s);
    QCOMPARE((*found)->credential.secret, u"second"_s);
    QCOMPARE(store.accounts().size(), 1);
    QCOMPARE(store.accounts().first().username, u"new"_s);
}

void tst_CredentialStore::sessionOnlyLogin()
{
    const QString registry = u"session.example.com"_s;
    touch(registry);
    {
        CredentialStore store;
        QSignalSpy changed(&store, &CredentialStore::accountsChanged);
        const Status stored = storeLogin(store,
                                         registry,
                                         Credential{u"s"_s, u"sess-pw"_s, false},
                                         {.remember = Remember::SessionOnly});
        QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));
        QCOMPARE(changed.size(), 1);

        const auto found = find(store, registry);
        QVERIFY(found && found->has_value());
        QCOMPARE((*found)->source, Source::Session);
        QCOMPARE((*found)->credential.secret, u"sess-pw"_s);

        QCOMPARE(store.accounts().size(), 1);
        QCOMPARE(store.accounts().first().remember, Remember::SessionOnly);
        // Nothing persistent: no keychain entry, no account in the settings.
        if (keyringAvailable())
            QCOMPARE(keychainItems(registry), 0);
        QVERIFY(!hasAccount(registry));

        store.forgetSessionLogins();
        QCOMPARE(changed.size(), 2);
        const auto forgotten = find(store, registry);
        QVERIFY(forgotten);
        QVERIFY(!forgotten->has_value());

        QVERIFY(storeLogin(store,
                           registry,
                           Credential{u"s"_s, u"sess-pw"_s, false},
                           {.remember = Remember::SessionOnly}));
    }
    // Quitting (the store's destruction) forgets it as well.
    CredentialStore next;
    const auto afterQuit = find(next, registry);
    QVERIFY(afterQuit);
    QVERIFY(!afterQuit->has_value());
    QVERIFY(next.accounts().isEmpty());
}

void tst_CredentialStore::sharedComputerMode_data()
{
    QTest::addColumn<Remember>("asked");
    QTest::newRow("asked for the keychain") << Remember::Keychain;
    QTest::newRow("asked for the session") << Remember::SessionOnly;
}

void tst_CredentialStore::sharedComputerMode()
{
    QFETCH(Remember, asked);
    const QString registry = u"shared.example.com"_s;
    touch(registry);
    // A docker helper is configured: the refusal must come from the mode, not from its absence.
    QVERIFY(writeFile(configPath(), R"({"credsStore": "pass"})"));

    CredentialStore store;
    store.setSharedComputerMode(true);
    QVERIFY(store.sharedComputerMode());

    const Status withDocker = storeLogin(store,
                                         registry,
                                         Credential{u"u"_s, u"shared-pw"_s, false},
                                         {.remember = asked, .alsoDockerCli = true});
    QVERIFY(!withDocker);
    QCOMPARE(withDocker.error().kind, Error::Kind::InvalidArgument);
    QVERIFY(store.accounts().isEmpty());
    QVERIFY(!helperList(u"pass"_s).contains(registry));

    const Status stored = storeLogin(
        store, registry, Credential{u"u"_s, u"shared-pw"_s, false}, {.remember = asked});
    QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));
    const auto found = find(store, registry);
    QVERIFY(found && found->has_value());
    QCOMPARE((*found)->source, Source::Session);
    QVERIFY(!hasAccount(registry));
    if (keyringAvailable())
        QCOMPARE(keychainItems(registry), 0);
    QCOMPARE(store.accounts().first().remember, Remember::SessionOnly);
}

void tst_CredentialStore::accounts()
{
    REQUIRE_KEYRING();
    for (const QString &registry : {u"b.example.com"_s, u"a.example.com"_s, u"c.example.com"_s})
        touch(registry);
    CredentialStore store;
    QVERIFY(storeLogin(store, u"b.example.com"_s, Credential{u"bob"_s, u"pb"_s, false}));
    QVERIFY(storeLogin(store,
                       u"c.example.com"_s,
                       Credential{u"carol"_s, u"pc"_s, false},
                       {.remember = Remember::SessionOnly}));
    QVERIFY(storeLogin(store, u"https://a.example.com"_s, Credential{u"ann"_s, u"pa"_s, false}));

    const QList<CredentialStore::Account> accounts = store.accounts();
    QCOMPARE(accounts.size(), 3);
    QCOMPARE(accounts.at(0).registry, u"a.example.com"_s);
    QCOMPARE(accounts.at(0).username, u"ann"_s);
    QCOMPARE(accounts.at(0).remember, Remember::Keychain);
    QCOMPARE(accounts.at(1).registry, u"b.example.com"_s);
    QCOMPARE(accounts.at(2).registry, u"c.example.com"_s);
    QCOMPARE(accounts.at(2).remember, Remember::SessionOnly);

    // The settings hold names only, in the documented place.
    QSettings settings;
    QCOMPARE(settings.value(u"accounts/b.example.com/username"_s).toString(), u"bob"_s);
    QCOMPARE(settings.value(u"accounts/b.example.com/dockerCli"_s).toBool(), false);
    QVERIFY(!settings.childGroups().isEmpty());
    const QByteArray file = readAll(settingsPath());
    for (const char *secret : {"pa", "pb", "pc"})
        QVERIFY(!file.contains(QByteArray(QByteArray("=") + secret + "\n")));
}

void tst_CredentialStore::invalidLogin_data()
{
    QTest::addColumn<QString>("registry");
    QTest::addColumn<Credential>("credential");

    QTest::newRow("no secret") << u"quay.io"_s << Credential{u"u"_s, QString(), false};
    QTest::newRow("no user") << u"quay.io"_s << Credential{QString(), u"p"_s, false};
    QTest::newRow("space in registry") << u"bad registry"_s << Credential{u"u"_s, u"p"_s, false};
}

void tst_CredentialStore::invalidLogin()
{
    QFETCH(QString, registry);
    QFETCH(Credential, credential);
    CredentialStore store;
    const Status stored
        = storeLogin(store, registry, credential, {.remember = Remember::SessionOnly});
    QVERIFY(!stored);
    QCOMPARE(stored.error().kind, Error::Kind::InvalidArgument);
    QVERIFY(store.accounts().isEmpty());
}

void tst_CredentialStore::lookupOrder_data()
{
    // Each source holds a login with its own user name; the expected source is the first of
    // Berth's keychain, credHelpers, credsStore, auths, podman that has one.
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QStringList>("sources");
    QTest::addColumn<QString>("credsStore");   // overrides "secretservice" when set
    QTest::addColumn<QString>("expectedUser"); // empty: no login at all
    QTest::addColumn<Source>("expectedSource");

    const QStringList all{
        u"keychain"_s, u"credHelpers"_s, u"credsStore"_s, u"auths"_s, u"podman"_s};
    QTest::newRow("keychain first")
        << u"order1.example.com"_s << all << QString() << u"k"_s << Source::Keychain;
    QTest::newRow("then credHelpers") << u"order2.example.com"_s << all.mid(1) << QString()
                                      << u"h"_s << Source::DockerCredentialHelper;
    QTest::newRow("then credsStore") << u"order3.example.com"_s << all.mid(2) << QString() << u"s"_s
                                     << Source::DockerCredentialHelper;
    QTest::newRow("then auths") << u"order4.example.com"_s << all.mid(3) << QString() << u"a"_s
                                << Source::DockerConfig;
    QTest::newRow("then podman") << u"order5.example.com"_s << all.mid(4) << QString() << u"p"_s
                                 << Source::PodmanAuthFile;
    QTest::newRow("hub, through credsStore")
        << u"docker.io"_s << QStringList{u"credsStore"_s, u"auths"_s} << QString() << u"s"_s
        << Source::DockerCredentialHelper;
    QTest::newRow("helper without this login falls through to auths")
        << u"order6.example.com"_s << QStringList{u"emptyCredHelpers"_s, u"auths"_s} << QString()
        << u"a"_s << Source::DockerConfig;
    QTest::newRow("uninstalled credsStore is ignored")
        << u"order7.example.com"_s << QStringList{u"credsStore"_s, u"auths"_s}
        << u"berth-not-installed"_s << u"a"_s << Source::DockerConfig;
    QTest::newRow("podman only") << u"localhost:5999"_s << QStringList{u"podman"_s} << QString()
                                 << u"p"_s << Source::PodmanAuthFile;
    QTest::newRow("nothing") << u"order8.example.com"_s << QStringList() << QString() << QString()
                             << Source::Keychain;
}

void tst_CredentialStore::lookupOrder()
{
    REQUIRE_KEYRING();
    QFETCH(QString, registry);
    QFETCH(QStringList, sources);
    QFETCH(QString, credsStore);
    QFETCH(QString, expectedUser);
    QFETCH(Source, expectedSource);
    touch(registry);

    const QString serverKey = DockerConfig::serverKey(registry);
    CredentialStore store;
    if (sources.contains(u"keychain"))
        QVERIFY(storeLogin(store, registry, Credential{u"k"_s, u"pk"_s, false}));
    QJsonObject config;
    if (sources.contains(u"credHelpers") || sources.contains(u"emptyCredHelpers"))
        config.insert(u"credHelpers"_s, QJsonObject{{registry, u"pass"_s}});
    if (sources.contains(u"credHelpers"))
        QVERIFY(helperStore(u"pass"_s, serverKey, u"h"_s, u"ph"_s));
    if (sources.contains(u"credsStore")) {
        config.insert(u"credsStore"_s, credsStore.isEmpty() ? u"secretservice"_s : credsStore);
        QVERIFY(helperStore(u"secretservice"_s, serverKey, u"s"_s, u"ps"_s));
    }
    if (sources.contains(u"auths")) {
        config.insert(
            u"auths"_s,
            QJsonObject{
                {u"https://"_s + registry,
                 QJsonObject{{u"auth"_s, QString::fromLatin1(basicAuth(u"a"_s, u"pa"_s))}}}});
    }
    QVERIFY(writeFile(configPath(), QJsonDocument(config).toJson()));
    if (sources.contains(u"podman")) {
        QVERIFY(writeFile(m_home->path(u"run/containers/auth.json"),
                          R"({"auths": {")" + registry.toUtf8() + R"(": {"auth": ")"
                              + basicAuth(u"p"_s, u"pp"_s) + R"("}}})"));
    }

    const auto found = find(store, registry);
    helperErase(u"pass"_s, serverKey);
    helperErase(u"secretservice"_s, serverKey);
    QVERIFY2(found, found ? "" : qPrintable(found.error().message));
    if (expectedUser.isEmpty()) {
        QVERIFY(!found->has_value());
        return;
    }
    QVERIFY(found->has_value());
    QCOMPARE((*found)->credential.username, expectedUser);
    QCOMPARE((*found)->credential.secret, u"p"_s + expectedUser);
    QCOMPARE((*found)->source, expectedSource);
    if (expectedSource == Source::DockerConfig)
        QCOMPARE((*found)->origin, configPath());
}

void tst_CredentialStore::lookupWithoutAnyLogin()
{
    // No docker config, no podman file, no account: anonymous, and the keychain is not asked.
    CredentialStore store;
    const auto found = await<std::optional<Credential>>(
        [&](auto done) { store.lookup(u"anonymous.example.com"_s, done); });
    QVERIFY2(found, found ? "" : qPrintable(found.error().message));
    QVERIFY(!found->has_value());
}

void tst_CredentialStore::malformedDockerConfig()
{
    QVERIFY(writeFile(configPath(), "{\"auths\": {"));
    CredentialStore store;
    const auto found = find(store, u"quay.io"_s);
    QVERIFY(!found);
    QVERIFY2(found.error().message.contains(configPath()), qPrintable(found.error().message));

    // Berth's own login does not depend on docker's file being readable.
    REQUIRE_KEYRING();
    touch(u"quay.io"_s);
    QVERIFY(storeLogin(store, u"quay.io"_s, Credential{u"q"_s, u"pq"_s, false}));
    const auto mine = find(store, u"quay.io"_s);
    QVERIFY(mine && mine->has_value());
    QCOMPARE((*mine)->source, Source::Keychain);
}

void tst_CredentialStore::malformedPodmanAuthFile()
{
    const QString path = m_home->path(u"run/containers/auth.json");
    QVERIFY(writeFile(path, "[1, 2"));
    CredentialStore store;
    const auto found = find(store, u"quay.io"_s);
    QVERIFY(!found);
    QVERIFY2(found.error().message.contains(path), qPrintable(found.error().message));
}

void tst_CredentialStore::knownRegistries()
{
    CredentialStore store;
    const QString session = u"session.example.com"_s;
    touch(session);
    QVERIFY(storeLogin(
        store, session, Credential{u"s"_s, u"pw"_s, false}, {.remember = Remember::SessionOnly}));
    const QByteArray docker = "{\"auths\": {\"https://index.docker.io/v1/\": {}, "
                              "\"https://Quay.io\": {}}, \"credHelpers\": {\"ghcr.io\": \"pass\"}}";
    QVERIFY(writeFile(configPath(), docker));
    const QByteArray podman = "{\"auths\": {\"registry-1.docker.io\": {}, \"ghcr.io\": {}, "
                              "\"localhost:5000\": {}}}";
    QVERIFY(writeFile(m_home->path(u"run/containers/auth.json"), podman));
    // A file that cannot be read names nothing; the others still count.
    QVERIFY(writeFile(m_home->path(u".config/containers/auth.json"), "[1, 2"));

    // Each registry once, whatever the spelling; names only.
    QCOMPARE(
        store.knownRegistries(),
        (QStringList{u"docker.io"_s, u"ghcr.io"_s, u"localhost:5000"_s, u"quay.io"_s, session}));
    store.forgetSessionLogins();
    QVERIFY(!store.knownRegistries().contains(session));
}

void tst_CredentialStore::alsoDockerCli_data()
{
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QString>("helper");
    QTest::addColumn<QByteArray>("config");

    QTest::newRow("credsStore pass, host:port")
        << u"localhost:5000"_s << u"pass"_s << QByteArray(R"({"credsStore": "pass"})");
    QTest::newRow("credsStore pass, hub")
        << u"docker.io"_s << u"pass"_s << QByteArray(R"({"credsStore": "pass"})");
    QTest::newRow("credHelpers secretservice")
        << u"ghcr.io"_s << u"secretservice"_s
        << QByteArray(R"({"credsStore": "pass", "credHelpers": {"ghcr.io": "secretservice"}})");
    QTest::newRow("credsStore secretservice, hub")
        << u"index.docker.io"_s << u"secretservice"_s
        << QByteArray(R"({"credsStore": "secretservice"})");
}

void tst_CredentialStore::alsoDockerCli()
{
    REQUIRE_KEYRING();
    QFETCH(QString, registry);
    QFETCH(QString, helper);
    QFETCH(QByteArray, config);
    const QString normalized = DockerConfig::serverKey(registry) == u"https://index.docker.io/v1/"
                                   ? u"docker.io"_s
                                   : registry;
    touch(normalized);
    QVERIFY(writeFile(configPath(), config));

    CredentialStore store;
    const QString secret = u"docker-cli-pw-4411"_s;
    const Status stored
        = storeLogin(store, registry, Credential{u"dev"_s, secret, false}, {.alsoDockerCli = true});
    QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));

    // What the docker CLI will see: the helper's own list and get.
    const QString serverKey = DockerConfig::serverKey(registry);
    const QMap<QString, QString> listed = helperList(helper);
    QVERIFY2(listed.contains(serverKey), qPrintable(listed.keys().join(u", ")));
    QCOMPARE(listed.value(serverKey), u"dev"_s);
    const ProcessResult got
        = runTool(u"docker-credential-"_s + helper, {u"get"_s}, serverKey.toUtf8());
    QCOMPARE(QJsonDocument::fromJson(got.out).object().value(u"Secret").toString(), secret);
    // And nothing in plain text.
    QVERIFY(!readAll(configPath()).contains(secret.toUtf8()));
    QVERIFY(!readAll(configPath()).contains(basicAuth(u"dev"_s, secret)));
    QCOMPARE(keychainItems(normalized), 1);
    QVERIFY(store.accounts().first().dockerCli);

    const Status loggedOut = logout(store, registry, true);
    QVERIFY2(loggedOut, loggedOut ? "" : qPrintable(loggedOut.error().message));
    QVERIFY(!helperList(helper).contains(serverKey));
    QCOMPARE(keychainItems(normalized), 0);
    QVERIFY(store.accounts().isEmpty());
    const auto gone = find(store, registry);
    QVERIFY(gone);
    QVERIFY(!gone->has_value());
}

void tst_CredentialStore::alsoDockerCliWithoutHelper()
{
    const QString registry = u"nohelper.example.com"_s;
    touch(registry);
    CredentialStore store;
    const Status stored = storeLogin(
        store, registry, Credential{u"u"_s, u"nohelper-pw"_s, false}, {.alsoDockerCli = true});
    QVERIFY(!stored);
    QVERIFY(CredentialStore::isNoDockerHelperError(stored.error()));
    QVERIFY2(stored.error().message.contains(u"No docker credential helper is configured"),
             qPrintable(stored.error().message));
    QVERIFY(stored.error().message.contains(configPath()));
    // Refused before anything was stored.
    QVERIFY(store.accounts().isEmpty());
    QVERIFY(!hasAccount(registry));
    if (keyringAvailable())
        QCOMPARE(keychainItems(registry), 0);
    QVERIFY(!QFileInfo::exists(configPath()));
}

void tst_CredentialStore::alsoDockerCliPlainText()
{
    REQUIRE_KEYRING();
    const QString registry = u"plain.example.com"_s;
    touch(registry);
    QVERIFY(writeFile(configPath(), R"({"currentContext": "default", "auths": {
        "http://plain.example.com": {"auth": "b2xkOm9sZA=="},
        "https://plain.example.com": {"auth": "b2xkOm9sZA=="},
        "keep.example.com": {"auth": "a2VlcDprZWVw"}}})"));
    CredentialStore store;
    const Status stored = storeLogin(store,
                                     registry,
                                     Credential{u"u"_s, u"plain-pw"_s, false},
                                     {.alsoDockerCli = true, .allowPlainTextDockerConfig = true});
    QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));

    QJsonObject root = readJson(configPath());
    QCOMPARE(root.value(u"currentContext").toString(), u"default"_s);
    QCOMPARE(root.value(u"auths").toObject().keys(),
             QStringList({u"keep.example.com"_s, registry}));
    QCOMPARE(root.value(u"auths")[registry][u"auth"].toString().toLatin1(),
             basicAuth(u"u"_s, u"plain-pw"_s));
    QCOMPARE(QFileInfo(configPath()).permissions() & 0x0777,
             QFileDevice::ReadUser | QFileDevice::WriteUser);

    // docker logout's spellings go, the other registry stays.
    QVERIFY(writeFile(configPath(), QJsonDocument(root).toJson()));
    QJsonObject auths = root.value(u"auths").toObject();
    auths.insert(u"http://plain.example.com"_s, auths.value(registry));
    auths.insert(u"https://plain.example.com"_s, auths.value(registry));
    root.insert(u"auths"_s, auths);
    QVERIFY(writeFile(configPath(), QJsonDocument(root).toJson()));
    QVERIFY(logout(store, registry, true));
    root = readJson(configPath());
    QCOMPARE(root.value(u"auths").toObject().keys(), QStringList{u"keep.example.com"_s});
    QCOMPARE(root.value(u"currentContext").toString(), u"default"_s);
}

void tst_CredentialStore::alsoDockerCliHelperNotInstalled()
{
    const QString registry = u"missinghelper.example.com"_s;
    touch(registry);
    QVERIFY(writeFile(configPath(), R"({"credsStore": "berth-not-installed"})"));
    CredentialStore store;
    const Status stored = storeLogin(store,
                                     registry,
                                     Credential{u"u"_s, u"pw-x"_s, false},
                                     {.alsoDockerCli = true, .allowPlainTextDockerConfig = true});
    QVERIFY(!stored);
    QVERIFY2(stored.error().message.contains(u"docker-credential-berth-not-installed"),
             qPrintable(stored.error().message));
    QVERIFY(store.accounts().isEmpty());
    if (keyringAvailable())
        QCOMPARE(keychainItems(registry), 0);
    QVERIFY(!readAll(configPath()).contains("auths"));
}

void tst_CredentialStore::logoutLeavesDockerUnlessAsked()
{
    REQUIRE_KEYRING();
    const QString registry = u"keepdocker.example.com"_s;
    touch(registry);
    const QByteArray config = R"({"auths": {"keepdocker.example.com": {"auth": ")"
                              + basicAuth(u"d"_s, u"pd"_s) + R"("}}})";
    QVERIFY(writeFile(configPath(), config));
    CredentialStore store;
    QVERIFY(storeLogin(store, registry, Credential{u"b"_s, u"pb"_s, false}));
    QCOMPARE((*find(store, registry))->source, Source::Keychain);

    QVERIFY(logout(store, registry, false));
    QCOMPARE(readAll(configPath()), config);
    const auto found = find(store, registry);
    QVERIFY(found && found->has_value());
    QCOMPARE((*found)->source, Source::DockerConfig);
    QCOMPARE((*found)->credential.username, u"d"_s);
}

void tst_CredentialStore::logoutUnknownRegistry()
{
    CredentialStore store;
    const Status loggedOut = logout(store, u"never.example.com"_s, true);
    QVERIFY2(loggedOut, loggedOut ? "" : qPrintable(loggedOut.error().message));
    QVERIFY(!QFileInfo::exists(configPath()));
}

void tst_CredentialStore::keychainUnavailable_data()
{
    QTest::addColumn<bool>("withBus");
    QTest::newRow("no Secret Service on the bus") << true;
    QTest::newRow("no session bus at all") << false;
}

void tst_CredentialStore::keychainUnavailable()
{
    QFETCH(bool, withBus);
    const QString registry = withBus ? u"nobackend1.example.com"_s : u"nobackend2.example.com"_s;
    touch(registry);

    // libsecret keeps one D-Bus connection per process, so the store runs in a child process
    // whose bus has nobody answering for org.freedesktop.secrets (and no service activation).
    std::unique_ptr<PrivateBus> bus;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (withBus) {
        bus = std::make_unique<PrivateBus>();
        if (QTest::currentTestFailed())
            return;
        environment = bus->environment();
    } else {
        environment.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
        environment.remove(u"DISPLAY"_s);
        environment.remove(u"WAYLAND_DISPLAY"_s);
    }

    const QString secret = u"unavailable-pw-5521"_s;
    const QJsonObject stored = runChildProcess(u"store"_s, registry, secret, environment);
    QVERIFY2(!stored.isEmpty(), "the child process did not report");
    QCOMPARE(stored.value(u"ok").toBool(), false);
    QCOMPARE(stored.value(u"kind").toString(), errorKindName(Error::Kind::Keychain));
    const QString message = stored.value(u"message").toString();
    QVERIFY2(message.startsWith(u"The system keychain is not available (no Secret Service "
                                u"running)"),
             qPrintable(message));
    QVERIFY(!message.contains(secret));

    // Nothing stored: not in the settings, not in the session's real keychain, no plain text.
    QVERIFY(!hasAccount(registry));
    if (keyringAvailable())
        QCOMPARE(keychainItems(registry), 0);
    QVERIFY(!readAll(settingsPath()).contains(secret.toUtf8()));
    QVERIFY(!QFileInfo::exists(configPath()));

    // A missing keychain does not break anonymous access to registries Berth has no login for.
    const QJsonObject looked = runChildProcess(u"lookup"_s, registry, QString(), environment);
    QCOMPARE(looked.value(u"ok").toBool(), true);
    QCOMPARE(looked.value(u"found").toBool(), false);
}

void tst_CredentialStore::keychainLocked()
{
    // A gnome-keyring of our own on a private bus, so locking it cannot disturb other tests.
    // The bus has no service activation, so gnome-keyring cannot start gcr-prompter to ask for
    // the password: the unlock prompt fails at once, as "dismissed", instead of waiting for a
    // user (on the session bus it would try gcr-prompter, which fails without a display).
    PrivateBus bus;
    if (QTest::currentTestFailed())
        return;
    bus.startKeyring();
    if (QTest::currentTestFailed())
        return;
    const QProcessEnvironment environment = bus.environment();
    const QString saved = u"locked1.example.com"_s;
    const QString refused = u"locked2.example.com"_s;
    const QString secret = u"locked-pw-8830"_s;

    const QJsonObject first = runChildProcess(u"store"_s, saved, secret, environment);
    QCOMPARE(first.value(u"ok").toBool(), true);
    QCOMPARE(keychainItems(saved, environment), 1);
    QVERIFY(hasAccount(saved));

    QVERIFY(bus.lockLogin());

    const QJsonObject second = runChildProcess(u"store"_s, refused, secret, environment);
    QCOMPARE(second.value(u"ok").toBool(), false);
    QCOMPARE(second.value(u"kind").toString(), errorKindName(Error::Kind::Keychain));
    QVERIFY2(second.value(u"message").toString().startsWith(u"The keychain is locked."),
             qPrintable(second.value(u"message").toString()));
    QCOMPARE(keychainItems(refused, environment), 0);
    QVERIFY(!hasAccount(refused));

    // The saved login cannot be read: an error, not a silent anonymous pull.
    const QJsonObject looked = runChildProcess(u"lookup"_s, saved, QString(), environment);
    QCOMPARE(looked.value(u"ok").toBool(), false);
    QCOMPARE(looked.value(u"kind").toString(), errorKindName(Error::Kind::Keychain));
    QVERIFY2(looked.value(u"message").toString().contains(u"locked"),
             qPrintable(looked.value(u"message").toString()));

    // Logging out cannot remove the secret while locked: it says so and keeps the account.
    const QJsonObject loggedOut = runChildProcess(u"logout"_s, saved, QString(), environment);
    QCOMPARE(loggedOut.value(u"ok").toBool(), false);
    QVERIFY2(loggedOut.value(u"message").toString().contains(u"locked"),
             qPrintable(loggedOut.value(u"message").toString()));
    QVERIFY(hasAccount(saved));
    QCOMPARE(keychainItems(saved, environment), 1);

    for (const QString &text : {QString::fromUtf8(QJsonDocument(second).toJson()),
                                QString::fromUtf8(QJsonDocument(looked).toJson()),
                                QString::fromUtf8(QJsonDocument(loggedOut).toJson())}) {
        QVERIFY(!text.contains(secret));
    }
    QVERIFY(!readAll(settingsPath()).contains(secret.toUtf8()));
}

void tst_CredentialStore::secretNeverLeaks()
{
    REQUIRE_KEYRING();
    QVERIFY(lcCredentials().isDebugEnabled());
    const QString secret = u"Leak-Canary-6f0c1e"_s;
    const QString helperRegistry = u"leak1.example.com"_s;
    const QString plainRegistry = u"leak2.example.com"_s;
    const QString sessionRegistry = u"leak3.example.com"_s;
    for (const QString &registry : {helperRegistry, plainRegistry, sessionRegistry})
        touch(registry);
    QVERIFY(writeFile(configPath(), R"({"credHelpers": {"leak1.example.com": "pass"}})"));

    QStringList messages;
    auto check = [&messages](const Status &status) {
        if (!status)
            messages.append(status.error().message);
        return bool(status);
    };
    {
        CredentialStore store;
        QVERIFY(check(storeLogin(
            store, helperRegistry, Credential{u"u"_s, secret, false}, {.alsoDockerCli = true})));
        QVERIFY(check(storeLogin(store,
                                 plainRegistry,
                                 Credential{u"u"_s, secret, false},
                                 {.alsoDockerCli = true, .allowPlainTextDockerConfig = true})));
        QVERIFY(check(storeLogin(store,
                                 sessionRegistry,
                                 Credential{u"u"_s, secret, false},
                                 {.remember = Remember::SessionOnly})));
        // Failures on the way, whose messages must not carry the secret either.
        QVERIFY(!check(storeLogin(store,
                                  u"leak4.example.com"_s,
                                  Credential{u"u"_s, secret, false},
                                  {.alsoDockerCli = true})));
        for (const QString &registry : {helperRegistry, plainRegistry, sessionRegistry}) {
            const auto found = find(store, registry);
            QVERIFY(found && found->has_value());
            QCOMPARE((*found)->credential.secret, secret);
        }
        // The plain-text login is the one place the secret may be, until logout.
        QVERIFY(readAll(configPath()).contains(basicAuth(u"u"_s, secret)));

        for (const QString &registry : {helperRegistry, plainRegistry, sessionRegistry})
            QVERIFY(check(logout(store, registry, true)));
    }

    const QByteArray needle = secret.toUtf8();
    const QList<QByteArray> forms{needle, needle.toBase64(), basicAuth(u"u"_s, secret)};
    const QByteArray settings = readAll(settingsPath());
    const QByteArray config = readAll(configPath());
    const QByteArray log = capturedLog().toUtf8();
    QVERIFY2(log.contains("berth.credentials"), "debug logging of the store was not captured");
    for (const QByteArray &form : forms) {
        QVERIFY2(!settings.contains(form), settings.constData());
        QVERIFY2(!config.contains(form), config.constData());
        QVERIFY2(!log.contains(form), "the secret is in the log");
        for (const QString &message : std::as_const(messages))
            QVERIFY2(!message.toUtf8().contains(form), qPrintable(message));
    }
    QVERIFY(!messages.isEmpty()); // the failing call did report
    QVERIFY(!helperList(u"pass"_s).contains(helperRegistry));
    QCOMPARE(keychainItems(helperRegistry), 0);
    QCOMPARE(keychainItems(plainRegistry), 0);
}

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsSet("BERTH_CREDENTIALS_CHILD")) {
        QCoreApplication app(argc, argv);
        app.setOrganizationName(u"berth-test"_s);
        app.setApplicationName(u"tst_credentialstore"_s);
        return runChild();
    }
    // Before anything reads them: the temporary HOME and XDG tree (QSettings, podman, gpg).
    auto home = std::make_unique<TestHome>();
    QCoreApplication app(argc, argv);
    app.setOrganizationName(u"berth-test"_s);
    app.setApplicationName(u"tst_credentialstore"_s);
    QLoggingCategory::setFilterRules(u"berth.*=true"_s);
    tst_CredentialStore test;
    test.setHome(home.get());
    QTEST_SET_MAIN_SOURCE_PATH
    const int status = QTest::qExec(&test, argc, argv);
    home.reset(); // stops gpg-agent while the application still exists
    return status;
}

#include "tst_credentialstore.moc"
