#include "credentialtestenv.h"

#include "asynctest.h"
#include "credentials/credentialhelper.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// Real docker credential helpers from Debian's golang-docker-credential-helpers: `pass` (gpg +
// pass in the temporary HOME) and `secretservice` (the session's gnome-keyring). Small scripts
// stand in only for what a real helper cannot be made to do: hang, fail, report its argv.
class tst_CredentialHelper final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void roundTrip_data();
    void roundTrip();
    void getUnknown_data();
    void getUnknown();
    void eraseUnknown_data();
    void eraseUnknown();
    void getForRegistry_data();
    void getForRegistry();
    void eraseForRegistry_data();
    void eraseForRegistry();
    void serverUrls_data();
    void serverUrls();

    void missingHelper();
    void invalidSuffix_data();
    void invalidSuffix();
    void timeout();
    void secretOnlyOnStdin();
    void failureMessageHidesSecret();
    void destroyingKillsHelper();

private:
    void addHelperColumn();
    bool skipUnavailable(const QString &suffix);
    QMap<QString, QString> listWithTool(const QString &suffix);

    std::unique_ptr<TestHome> m_home;
    QString m_scripts;
    bool m_secretService = false;
};

void tst_CredentialHelper::initTestCase()
{
    m_home = std::make_unique<TestHome>();
    const QString passError = m_home->setUpPass();
    QVERIFY2(passError.isEmpty(), qPrintable(passError));
    // Only the throwaway keyring of scripts/with-keyring is written to, never a developer's
    // own session keyring (which may hold real Berth logins under the same keys).
    const bool privateSession = qEnvironmentVariableIsSet("BERTH_REQUIRE_KEYRING");
    m_secretService = privateSession && secretServiceRunning();
    if (!m_secretService && privateSession)
        QFAIL("no Secret Service on the session bus, though scripts/with-keyring should start one");
    m_scripts = m_home->path(u"bin");
    QVERIFY(QDir().mkpath(m_scripts));
    prependToPath(m_scripts);
}

void tst_CredentialHelper::cleanupTestCase()
{
    m_home.reset();
}

void tst_CredentialHelper::addHelperColumn()
{
    QTest::addColumn<QString>("suffix");
}

bool tst_CredentialHelper::skipUnavailable(const QString &suffix)
{
    return suffix == u"secretservice" && !m_secretService;
}

QMap<QString, QString> tst_CredentialHelper::listWithTool(const QString &suffix)
{
    const ProcessResult listed = runTool(u"docker-credential-"_s + suffix, {u"list"_s});
    QMap<QString, QString> logins;
    const QJsonObject object = QJsonDocument::fromJson(listed.out).object();
    for (auto it = object.begin(); it != object.end(); ++it)
        logins.insert(it.key(), it.value().toString());
    return logins;
}

void tst_CredentialHelper::roundTrip_data()
{
    addHelperColumn();
    QTest::addColumn<QString>("serverUrl");
    QTest::addColumn<QString>("username");
    QTest::addColumn<bool>("identityToken");

    for (const QString &suffix : {u"pass"_s, u"secretservice"_s}) {
        const QByteArray s = suffix.toUtf8();
        QTest::addRow("%s: host:port", s.data())
            << suffix << u"localhost:5100"_s << u"alice"_s << false;
        // Docker Hub's key is one for everybody: only pass (a store private to this test) uses
        // it, so that tst_credentialstore may run in parallel on the same keyring.
        if (suffix == u"pass") {
            QTest::addRow("%s: hub", s.data())
                << suffix << u"https://index.docker.io/v1/"_s << u"jean"_s << false;
        }
        QTest::addRow("%s: identity token", s.data())
            << suffix << u"token.helper.example.com"_s << QString() << true;
        QTest::addRow("%s: non-ASCII user", s.data())
            << suffix << u"https://reg.example.com"_s << u"zoë"_s << false;
    }
}

void tst_CredentialHelper::roundTrip()
{
    QFETCH(QString, suffix);
    QFETCH(QString, serverUrl);
    QFETCH(QString, username);
    QFETCH(bool, identityToken);
    if (skipUnavailable(suffix))
        QSKIP("needs the private keyring session: run under scripts/with-keyring");

    CredentialHelper helper(suffix);
    const Credential credential{username, u"s3cr3t-\"quoted\" ü"_s, identityToken};
    const Status stored
        = await<void>([&](auto done) { helper.store(serverUrl, credential, done); });
    QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));

    // The helper's own `list`, as the docker CLI would see it.
    const QMap<QString, QString> listed = listWithTool(suffix);
    QVERIFY2(listed.contains(serverUrl), qPrintable(listed.keys().join(u", ")));
    QCOMPARE(listed.value(serverUrl),
             identityToken ? CredentialHelper::identityTokenUsername() : username);

    const auto viaList = await<QMap<QString, QString>>([&](auto done) { helper.list(done); });
    QVERIFY(viaList);
    QCOMPARE(viaList->value(serverUrl), listed.value(serverUrl));

    const auto got
        = await<std::optional<Credential>>([&](auto done) { helper.get(serverUrl, done); });
    QVERIFY2(got, got ? "" : qPrintable(got.error().message));
    QVERIFY(got->has_value());
    QCOMPARE((*got)->username, username);
    QCOMPARE((*got)->secret, credential.secret);
    QCOMPARE((*got)->identityToken, identityToken);

    const auto erased = await<void>([&](auto done) { helper.erase(serverUrl, done); });
    QVERIFY2(erased, erased ? "" : qPrintable(erased.error().message));
    QVERIFY(!listWithTool(suffix).contains(serverUrl));
    const auto gone
        = await<std::optional<Credential>>([&](auto done) { helper.get(serverUrl, done); });
    QVERIFY(gone);
    QVERIFY(!gone->has_value());
}

void tst_CredentialHelper::getUnknown_data()
{
    addHelperColumn();
    // The two helpers answer an unknown server differently (pass: an empty login and success,
    // secretservice: "credentials not found" and failure); both mean "no login".
    QTest::newRow("pass") << u"pass"_s;
    QTest::newRow("secretservice") << u"secretservice"_s;
}

void tst_CredentialHelper::getUnknown()
{
    QFETCH(QString, suffix);
    if (skipUnavailable(suffix))
        QSKIP("needs the private keyring session: run under scripts/with-keyring");
    CredentialHelper helper(suffix);
    const auto got = await<std::optional<Credential>>(
        [&](auto done) { helper.get(u"never-logged-in.example.com"_s, done); });
    QVERIFY2(got, got ? "" : qPrintable(got.error().message));
    QVERIFY(!got->has_value());
}

void tst_CredentialHelper::eraseUnknown_data()
{
    getUnknown_data();
}

void tst_CredentialHelper::eraseUnknown()
{
    QFETCH(QString, suffix);
    if (skipUnavailable(suffix))
        QSKIP("needs the private keyring session: run under scripts/with-keyring");
    CredentialHelper helper(suffix);
    const auto erased
        = await<void>([&](auto done) { helper.erase(u"never-logged-in.example.com"_s, done); });
    QVERIFY2(erased, erased ? "" : qPrintable(erased.error().message));
}

void tst_CredentialHelper::getForRegistry_data()
{
    addHelperColumn();
    QTest::addColumn<QString>("storedUnder");
    QTest::addColumn<QString>("registry");
    QTest::addColumn<bool>("found");

    for (const QString &suffix : {u"pass"_s, u"secretservice"_s}) {
        const QByteArray s = suffix.toUtf8();
        QTest::addRow("%s: bare host", s.data())
            << suffix << u"reg1.example.com"_s << u"reg1.example.com"_s << true;
        QTest::addRow("%s: https host", s.data())
            << suffix << u"https://reg2.example.com"_s << u"reg2.example.com"_s << true;
        if (suffix == u"pass") {
            QTest::addRow("%s: hub, asked as registry-1", s.data())
                << suffix << u"https://index.docker.io/v1/"_s << u"registry-1.docker.io"_s << true;
            QTest::addRow("%s: hub, asked as docker.io", s.data())
                << suffix << u"https://index.docker.io/v1/"_s << u"docker.io"_s << true;
        }
        QTest::addRow("%s: other port", s.data())
            << suffix << u"localhost:5101"_s << u"localhost:5100"_s << false;
    }
}

void tst_CredentialHelper::getForRegistry()
{
    QFETCH(QString, suffix);
    QFETCH(QString, storedUnder);
    QFETCH(QString, registry);
    QFETCH(bool, found);
    if (skipUnavailable(suffix))
        QSKIP("needs the private keyring session: run under scripts/with-keyring");

    // Stored by the helper itself, as `docker login` does.
    const QByteArray request = QJsonDocument(QJsonObject{{u"ServerURL"_s, storedUnder},
                                                         {u"Username"_s, u"u"_s},
                                                         {u"Secret"_s, u"p"_s}})
                                   .toJson(QJsonDocument::Compact);
    QVERIFY(runTool(u"docker-credential-"_s + suffix, {u"store"_s}, request).ok());

    CredentialHelper helper(suffix);
    const auto got = await<std::optional<Credential>>(
        [&](auto done) { helper.getForRegistry(registry, done); });
    runTool(u"docker-credential-"_s + suffix, {u"erase"_s}, storedUnder.toUtf8());
    QVERIFY2(got, got ? "" : qPrintable(got.error().message));
    QCOMPARE(got->has_value(), found);
    if (found)
        QCOMPARE((*got)->secret, u"p"_s);
}

void tst_CredentialHelper::eraseForRegistry_data()
{
    addHelperColumn();
    QTest::newRow("pass") << u"pass"_s;
    QTest::newRow("secretservice") << u"secretservice"_s;
}

void tst_CredentialHelper::eraseForRegistry()
{
    QFETCH(QString, suffix);
    if (skipUnavailable(suffix))
        QSKIP("needs the private keyring session: run under scripts/with-keyring");

    const QStringList spellings{u"logout.example.com"_s,
                                u"http://logout.example.com"_s,
                                u"https://logout.example.com"_s,
                                u"logout.example.com/v1/"_s};
    const QString other = u"logout.example.com:5000"_s;
    for (const QString &url : spellings + QStringList{other}) {
        const QByteArray request = QJsonDocument(QJsonObject{{u"ServerURL"_s, url},
                                                             {u"Username"_s, u"u"_s},
                                                             {u"Secret"_s, u"p"_s}})
                                       .toJson(QJsonDocument::Compact);
        QVERIFY(runTool(u"docker-credential-"_s + suffix, {u"store"_s}, request).ok());
    }
    CredentialHelper helper(suffix);
    const auto erased = await<void>(
        [&](auto done) { helper.eraseForRegistry(u"https://logout.example.com"_s, done); });
    QVERIFY2(erased, erased ? "" : qPrintable(erased.error().message));
    const QMap<QString, QString> listed = listWithTool(suffix);
    for (const QString &url : spellings)
        QVERIFY2(!listed.contains(url), qPrintable(url));
    QVERIFY(listed.contains(other));
    runTool(u"docker-credential-"_s + suffix, {u"erase"_s}, other.toUtf8());
}

void tst_CredentialHelper::serverUrls_data()
{
    QTest::addColumn<QString>("registry");
    QTest::addColumn<QStringList>("lookup");
    QTest::addColumn<QStringList>("logout");

    const QString hub = u"https://index.docker.io/v1/"_s;
    QTest::newRow("hub") << u"docker.io"_s << QStringList{hub}
                         << QStringList{
                                hub, u"docker.io"_s, u"http://docker.io"_s, u"https://docker.io"_s};
    QTest::newRow("hub alias") << u"index.docker.io"_s << QStringList{hub}
                               << QStringList{hub,
                                              u"docker.io"_s,
                                              u"http://docker.io"_s,
                                              u"https://docker.io"_s};
    QTest::newRow("host") << u"https://quay.io"_s << QStringList{u"quay.io"_s, u"https://quay.io"_s}
                          << QStringList{u"quay.io"_s, u"http://quay.io"_s, u"https://quay.io"_s};
}

void tst_CredentialHelper::serverUrls()
{
    QFETCH(QString, registry);
    QFETCH(QStringList, lookup);
    QFETCH(QStringList, logout);
    QCOMPARE(CredentialHelper::serverUrls(registry), lookup);
    QCOMPARE(CredentialHelper::logoutServerUrls(registry), logout);
}

void tst_CredentialHelper::missingHelper()
{
    CredentialHelper helper(u"berth-not-installed"_s);
    QVERIFY(!helper.isInstalled());
    const auto got
        = await<std::optional<Credential>>([&](auto done) { helper.get(u"quay.io"_s, done); });
    QVERIFY(!got);
    QVERIFY(CredentialHelper::isNotInstalledError(got.error()));
    QVERIFY2(got.error().message.contains(u"docker-credential-berth-not-installed"),
             qPrintable(got.error().message));
    QVERIFY(got.error().message.contains(u"not installed"));
}

void tst_CredentialHelper::invalidSuffix_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::newRow("path") << u"../../bin/sh"_s;
    QTest::newRow("slash") << u"a/b"_s;
    QTest::newRow("empty") << QString();
}

void tst_CredentialHelper::invalidSuffix()
{
    QFETCH(QString, suffix);
    CredentialHelper helper(suffix);
    QVERIFY(!helper.isInstalled());
    const auto listed = await<QMap<QString, QString>>([&](auto done) { helper.list(done); });
    QVERIFY(!listed);
    QCOMPARE(listed.error().kind, Error::Kind::InvalidArgument);
}

void tst_CredentialHelper::timeout()
{
    QVERIFY(writeScript(m_scripts + u"/docker-credential-berth-hang", "exec sleep 60\n"));
    CredentialHelper helper(u"berth-hang"_s);
    helper.setTimeout(300ms);

    bool answered = false;
    std::optional<Result<std::optional<Credential>>> result;
    QElapsedTimer clock;
    clock.start();
    helper.get(u"quay.io"_s, [&](Result<std::optional<Credential>> r) {
        answered = true;
        result = std::move(r);
    });
    // The call returns at once: the caller's thread is never blocked on a helper.
    QVERIFY(clock.elapsed() < 200);
    QVERIFY(!answered);
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QVERIFY(!*result);
    QCOMPARE(result->error().kind, Error::Kind::Keychain);
    QVERIFY2(result->error().message.contains(u"did not answer"),
             qPrintable(result->error().message));
    // The hung helper was killed, not left behind.
    QTRY_VERIFY_WITH_TIMEOUT(helper.findChildren<QProcess *>().isEmpty(), 10000);
}

void tst_CredentialHelper::secretOnlyOnStdin()
{
    const QString spyDir = m_home->path(u"spy");
    QVERIFY(QDir().mkpath(spyDir));
    qputenv("BERTH_SPY_DIR", QFile::encodeName(spyDir));
    QVERIFY(writeScript(m_scripts + u"/docker-credential-berth-spy",
                        "printf '%s\\n' \"$0\" \"$@\" > \"$BERTH_SPY_DIR/argv\"\n"
                        "env > \"$BERTH_SPY_DIR/env\"\n"
                        "cat > \"$BERTH_SPY_DIR/stdin\"\n"));
    CredentialHelper helper(u"berth-spy"_s);
    const QString secret = u"spy-secret-7d1f"_s;
    const auto stored = await<void>([&](auto done) {
        helper.store(u"localhost:5000"_s, Credential{u"alice"_s, secret, false}, done);
    });
    qunsetenv("BERTH_SPY_DIR");
    QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));

    const QByteArray argv = readAll(spyDir + u"/argv");
    QVERIFY(argv.endsWith("\nstore\n"));
    QVERIFY(!argv.contains(secret.toUtf8()));
    QVERIFY(!readAll(spyDir + u"/env").contains(secret.toUtf8()));
    const QJsonObject request = QJsonDocument::fromJson(readAll(spyDir + u"/stdin")).object();
    QCOMPARE(request.value(u"ServerURL").toString(), u"localhost:5000"_s);
    QCOMPARE(request.value(u"Username").toString(), u"alice"_s);
    QCOMPARE(request.value(u"Secret").toString(), secret);
}

void tst_CredentialHelper::failureMessageHidesSecret()
{
    // A badly behaved helper that echoes its input into its error.
    QVERIFY(writeScript(m_scripts + u"/docker-credential-berth-echo",
                        "read line\necho \"cannot store: $line\"\nexit 3\n"));
    CredentialHelper helper(u"berth-echo"_s);
    const QString secret = u"echoed-secret-91ab"_s;
    const auto stored = await<void>([&](auto done) {
        helper.store(u"localhost:5000"_s, Credential{u"alice"_s, secret, false}, done);
    });
    QVERIFY(!stored);
    QCOMPARE(stored.error().kind, Error::Kind::Keychain);
    QVERIFY2(stored.error().message.contains(u"cannot store"), qPrintable(stored.error().message));
    QVERIFY2(!stored.error().message.contains(secret), qPrintable(stored.error().message));
}

void tst_CredentialHelper::destroyingKillsHelper()
{
    const QString pidFile = m_home->path(u"hang.pid");
    qputenv("BERTH_PID_FILE", QFile::encodeName(pidFile));
    QVERIFY(writeScript(m_scripts + u"/docker-credential-berth-hang2",
                        "echo $$ > \"$BERTH_PID_FILE\"\nexec sleep 60\n"));
    bool answered = false;
    {
        CredentialHelper helper(u"berth-hang2"_s);
        helper.get(u"quay.io"_s, [&](auto) { answered = true; });
        QTRY_VERIFY_WITH_TIMEOUT(readAll(pidFile).trimmed().toInt() > 0, 10000);
    }
    qunsetenv("BERTH_PID_FILE");
    const QByteArray pid = readAll(pidFile).trimmed();
    // The helper process is gone (its /proc entry reaped) and the callback was dropped.
    QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(u"/proc/"_s + QString::fromLatin1(pid)), 10000);
    QVERIFY(!answered);
}

QTEST_GUILESS_MAIN(tst_CredentialHelper)
#include "tst_credentialhelper.moc"
