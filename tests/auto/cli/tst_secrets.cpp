// No secret leaks from berthctl: real logins (right and wrong passwords), pulls, pushes and
// inspects against the basic-auth and token-auth registries of the test services, docker's real
// credential helper, crashes after the login was read, and logouts. Every logging category is on
// at debug level; then everything berthctl printed, every file it wrote under its HOME (settings,
// docker's config.json, the image store), /proc/<pid>/cmdline and environ of berthctl and of the
// credential helpers it ran, and its crash output are searched for the password, user:password
// in base64 and any bearer token. Logout must leave nothing in the keychain or config files.
#include "../core/credentialtestenv.h"
#include "berthctlrunner.h"
#include "faultproxy.h"
#include "secretscan.h"
#include "testservices.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <csignal>
#include <functional>

using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// What one berthctl run left: its output and what /proc showed of it while it ran.
struct WatchedRun
{
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::NormalExit;
    QByteArray out;
    QByteArray err;
    QList<QByteArray> cmdlines;
    QList<QByteArray> environs;
};

QByteArray readProc(qint64 pid, const char *what)
{
    QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1StringView(what)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString randomSecret(const char *prefix)
{
    return QLatin1StringView(prefix) + QUuid::createUuid().toString(QUuid::Id128);
}

} // namespace

class tst_Secrets final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void loginPullPushLogout_data();
    void loginPullPushLogout();
    void crashAfterLogin_data();
    void crashAfterLogin();
    void enginePullWithLogin_data();
    void enginePullWithLogin();
    void dockerCliThroughHelper_data();
    void dockerCliThroughHelper();
    void dockerCliWithoutHelperRefused();
    void passwordArgumentNotEchoed();

private:
    void addFlavours();
    // Runs berthctl with the test's environment, reading /proc/<pid>/cmdline and environ from
    // the start until it ends. With `crashWhen`, sends `signal` once it holds for stderr so far.
    WatchedRun run(const QStringList &arguments,
                   const QByteArray &input = {},
                   const std::function<bool(const QByteArray &err)> &crashWhen = {},
                   int signal = 0,
                   bool allowCoreDump = false);
    QProcessEnvironment crashEnvironment() const;
    void scanRun(const WatchedRun &run, const QString &what);
    int keychainEntries(const QStringList &attributes);
    QByteArray settingsText();

    bool m_keyring = false;
    std::unique_ptr<QTemporaryDir> m_home;
    QProcessEnvironment m_env;
    SecretScan m_scan;
    int m_findingsBefore = 0;
    int m_runs = 0;
    int m_procSnapshots = 0;
    QStringList m_flows;
};

void tst_Secrets::initTestCase()
{
    TestServices::instance();
    const bool privateSession = qEnvironmentVariableIsSet("BERTH_REQUIRE_KEYRING");
    m_keyring = privateSession && secretServiceRunning();
    if (privateSession && !m_keyring)
        QFAIL("no Secret Service on the session bus, though scripts/with-keyring should start one");
    if (!m_keyring)
        QSKIP("needs the private keyring session: run under scripts/with-keyring");
    for (const char *flavour : {"basic", "token"}) {
        const TestRegistry registry = TestServices::instance().registry(QLatin1StringView(flavour));
        m_scan.addSecret(registry.username, registry.password);
    }
}

void tst_Secrets::init()
{
    // A HOME of berthctl's own for every test: settings, docker's config.json and the image store
    // all land in it, and all of it is searched.
    m_findingsBefore = int(m_scan.findings().size());
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    const QString home = m_home->path();
    for (const char *sub : {".config", ".local/share", ".cache", "run", ".docker", "bin", "spy"})
        QVERIFY(QDir(home).mkpath(QLatin1StringView(sub)));
    QFile::setPermissions(home + QStringLiteral("/run"),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(QStringLiteral("HOME"), home);
    m_env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    m_env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    m_env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
    m_env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/run"));
    m_env.insert(QStringLiteral("DOCKER_CONFIG"), home + QStringLiteral("/.docker"));
    m_env.insert(QStringLiteral("REGISTRY_AUTH_FILE"), home + QStringLiteral("/auth.json"));
    m_env.insert(QStringLiteral("BERTH_STORE"), home + QStringLiteral("/store"));
    m_env.insert(QStringLiteral("BERTH_BACKEND"), QStringLiteral("embedded"));
    m_env.insert(QStringLiteral("PATH"),
                 home + QStringLiteral("/bin:") + m_env.value(QStringLiteral("PATH")));
    // Every category at every level, on stderr where it is captured.
    m_env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
    m_env.insert(QStringLiteral("QT_FORCE_STDERR_LOGGING"), QStringLiteral("1"));
    m_env.insert(QStringLiteral("QT_MESSAGE_PATTERN"),
                 QStringLiteral("%{type} %{category}: %{message}"));
}

void tst_Secrets::cleanup()
{
    // Whatever the test did, nothing of Berth's stays in the shared test keyring.
    if (m_keyring && m_home) {
        for (const char *flavour : {"basic", "token"}) {
            const QString host = TestServices::instance().registry(QLatin1StringView(flavour)).host;
            run({QStringLiteral("logout"), host});
        }
    }
    if (m_home) {
        m_scan.scanTree(m_home->path());
        m_home.reset();
    }
    const QStringList findings = m_scan.findings().mid(m_findingsBefore);
    QVERIFY2(findings.isEmpty(), qPrintable(findings.join(u'\n')));
}

void tst_Secrets::cleanupTestCase()
{
    // The figures docs/RELIABILITY.md reports.
    qInfo("secrets: %d berthctl runs, %d /proc snapshots, %d places (%d files) searched, %lld "
          "bytes, %lld findings; flows: %s",
          m_runs,
          m_procSnapshots,
          m_scan.places(),
          m_scan.files(),
          m_scan.bytes(),
          qint64(m_scan.findings().size()),
          qPrintable(m_flows.join(QStringLiteral(", "))));
}

void tst_Secrets::addFlavours()
{
    QTest::addColumn<QString>("flavour");
    QTest::newRow("basic auth") << QStringLiteral("basic");
    QTest::newRow("token auth") << QStringLiteral("token");
}

// A process this test crashes on purpose dies of the signal itself, as it would in a release build:
// under AddressSanitizer its handlers would otherwise catch the signal, report it as a bug of
// Berth (which fails the run) and turn off core dumps, so the check that berthctl leaves no core
// file would pass whether berthctl is dumpable or not.
QProcessEnvironment tst_Secrets::crashEnvironment() const
{
    QProcessEnvironment env = m_env;
    const QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
    env.insert(QStringLiteral("ASAN_OPTIONS"),
               asan + (asan.isEmpty() ? QString() : QStringLiteral(":"))
                   + QStringLiteral("handle_segv=0:handle_abort=0:disable_coredump=0"));
    return env;
}

WatchedRun tst_Secrets::run(const QStringList &arguments,
                            const QByteArray &input,
                            const std::function<bool(const QByteArray &err)> &crashWhen,
                            int signal,
                            bool allowCoreDump)
{
    WatchedRun result;
    QProcess process;
    process.setProcessEnvironment(crashWhen ? crashEnvironment() : m_env);
    process.setWorkingDirectory(m_home->path());
    QSignalSpy finished(&process, &QProcess::finished);
    if (allowCoreDump) {
        // As on a machine where core dumps are on (systemd-coredump sets no limit): whatever
        // berthctl lets the kernel dump lands in its working directory, which is searched.
        process.start(QStringLiteral("/bin/sh"),
                      QStringList{QStringLiteral("-c"),
                                  QStringLiteral("ulimit -c unlimited; exec \"$0\" \"$@\""),
                                  berthctlPath()}
                          + arguments);
    } else {
        process.start(berthctlPath(), arguments);
    }
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    ++m_runs;
    const qint64 pid = process.processId();
    auto snapshot = [&] {
        const QByteArray cmdline = readProc(pid, "cmdline");
        const QByteArray environ = readProc(pid, "environ");
        if (!cmdline.isEmpty() || !environ.isEmpty()) {
            result.cmdlines.append(cmdline);
            result.environs.append(environ);
            ++m_procSnapshots;
        }
    };
    snapshot();
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    bool signalled = false;
    QDeadlineTimer deadline(120000);
    while (finished.isEmpty() && !deadline.hasExpired()) {
        if (!finished.wait(20)) {
            snapshot();
            result.err += process.readAllStandardError();
            if (crashWhen && !signalled && crashWhen(result.err)) {
                ::kill(pid_t(pid), signal);
                signalled = true;
            }
        }
    }
    if (finished.isEmpty()) {
        process.kill();
        process.waitForFinished(5000);
        result.err += "\n[did not finish within 120 s]";
    }
    result.exitStatus = process.exitStatus();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err += process.readAllStandardError();
    scanRun(result, QStringLiteral("berthctl ") + arguments.join(u' '));
    return result;
}

void tst_Secrets::scanRun(const WatchedRun &run, const QString &what)
{
    m_scan.scan(run.out, what + QStringLiteral(": stdout"));
    m_scan.scan(run.err, what + QStringLiteral(": stderr"));
    for (const QByteArray &cmdline : run.cmdlines)
        m_scan.scan(cmdline, what + QStringLiteral(": /proc/pid/cmdline"));
    for (const QByteArray &environ : run.environs)
        m_scan.scan(environ, what + QStringLiteral(": /proc/pid/environ"));
}

int tst_Secrets::keychainEntries(const QStringList &attributes)
{
    // secret-tool lists every matching item, locked or not, each with one "created = " line.
    const ProcessResult search = runTool(
        QStringLiteral("secret-tool"),
        QStringList{QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--unlock")}
            + attributes);
    return int(search.out.count("\ncreated = "));
}

QByteArray tst_Secrets::settingsText()
{
    QByteArray all;
    QDirIterator it(m_home->path() + QStringLiteral("/.config"),
                    QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly))
            all += file.readAll();
    }
    return all;
}

void tst_Secrets::loginPullPushLogout_data()
{
    addFlavours();
}

void tst_Secrets::loginPullPushLogout()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    const QString privateRef = registry.host + QStringLiteral("/private/secret:1.0");
    const QString wrongPassword = randomSecret("wrong-");
    m_scan.addSecret(registry.username, wrongPassword);
    const QStringList login{QStringLiteral("login"),
                            registry.host,
                            QStringLiteral("--username"),
                            registry.username,
                            QStringLiteral("--password-stdin")};

    // A wrong password: refused, in words that hold neither password, and nothing kept.
    for (const QStringList &format : {QStringList(), QStringList{u"--format"_s, u"json"_s}}) {
        const WatchedRun wrong = run(login + format, wrongPassword.toUtf8() + '\n');
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains("refused the user name or password"), wrong.err.constData());
    }
    QVERIFY(!settingsText().contains(registry.host.toUtf8()));
    QCOMPARE(keychainEntries({u"server"_s, u"berth"_s, u"user"_s, registry.host}), 0);

    const WatchedRun right = run(login, registry.password.toUtf8() + '\n');
    QVERIFY2(right.exitCode == 0, right.err.constData());
    QVERIFY(right.err.contains("Login Succeeded"));
    // The debug log was on (this is what makes the search mean something).
    QVERIFY2(right.err.contains("berth.credentials"), right.err.constData());
    QCOMPARE(keychainEntries({u"server"_s, u"berth"_s, u"user"_s, registry.host}), 1);
    // Docker's config.json is not touched without --docker-cli.
    QVERIFY(!QFile::exists(m_home->path() + QStringLiteral("/.docker/config.json")));

    const WatchedRun list
        = run({QStringLiteral("login"), QStringLiteral("--list"), u"--format"_s, u"json"_s});
    QCOMPARE(list.exitCode, 0);
    QVERIFY(list.out.contains(registry.host.toUtf8()));

    const WatchedRun pull = run({QStringLiteral("pull"), privateRef});
    QVERIFY2(pull.exitCode == 0, pull.err.constData());
    QVERIFY2(pull.err.contains("found in keychain"), pull.err.constData());
    const WatchedRun push = run({QStringLiteral("push"), privateRef});
    QVERIFY2(push.exitCode == 0, push.err.constData());
    const WatchedRun inspect
        = run({QStringLiteral("inspect"), privateRef, u"--format"_s, u"json"_s});
    QVERIFY2(inspect.exitCode == 0, inspect.err.constData());
    // A repository the user may not push to: the registry's refusal holds no secret either.
    const WatchedRun tags = run({QStringLiteral("tags"), registry.host + u"/private/secret"_s});
    QVERIFY2(tags.exitCode == 0, tags.err.constData());

    const WatchedRun logout = run({QStringLiteral("logout"), registry.host});
    QVERIFY2(logout.exitCode == 0, logout.err.constData());
    // No trace: not in the keychain, not in the settings, and the registry refuses again.
    QCOMPARE(keychainEntries({u"server"_s, u"berth"_s, u"user"_s, registry.host}), 0);
    QVERIFY2(!settingsText().contains(registry.host.toUtf8()), settingsText().constData());
    const WatchedRun refused = run({QStringLiteral("inspect"), privateRef});
    QCOMPARE(refused.exitCode, 1);
    m_flows << flavour
                   + QStringLiteral(": wrong login x2, login, list, pull, push, inspect, tags, "
                                    "logout, refused inspect");
}

void tst_Secrets::crashAfterLogin_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<int>("signal");
    for (const char *flavour : {"basic", "token"}) {
        QTest::addRow("%s, SIGABRT", flavour) << QString::fromLatin1(flavour) << SIGABRT;
        QTest::addRow("%s, SIGSEGV", flavour) << QString::fromLatin1(flavour) << SIGSEGV;
    }
}

// berthctl crashing with the login in memory prints nothing of it. A proxy in front of the
// registry never answers the blob requests, so the pull is surely past the keychain read and the
// registry's authentication, and still running, when the signal comes.
void tst_Secrets::crashAfterLogin()
{
    QFETCH(QString, flavour);
    QFETCH(int, signal);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    FaultProxy proxy(registry.host);
    QVERIFY(proxy.listen());
    proxy.addRule(FaultRule::hang("GET", QStringLiteral("/blobs/"), -1));
    const WatchedRun login = run({QStringLiteral("login"),
                                  proxy.host(),
                                  QStringLiteral("-u"),
                                  registry.username,
                                  QStringLiteral("--password-stdin")},
                                 registry.password.toUtf8());
    QVERIFY2(login.exitCode == 0, login.err.constData());
    auto blobRequested = [&proxy](const QByteArray &err) {
        if (!err.contains("found in keychain"))
            return false;
        const QList<SeenRequest> seen = proxy.requests();
        return std::any_of(seen.cbegin(), seen.cend(), [](const SeenRequest &request) {
            return request.path().contains("/blobs/");
        });
    };
    const WatchedRun crashed
        = run({QStringLiteral("pull"), proxy.host() + QStringLiteral("/private/secret:1.0")},
              {},
              blobRequested,
              signal,
              true);
    QCOMPARE(crashed.exitStatus, QProcess::CrashExit);
    QVERIFY2(crashed.err.contains("found in keychain"), crashed.err.constData());
    // berthctl holds secrets, so it is not dumpable: no core file with the login in it.
    const QStringList cores
        = QDir(m_home->path()).entryList({QStringLiteral("core*")}, QDir::Files);
    QVERIFY2(cores.isEmpty(), qPrintable(cores.join(u", ")));
    const WatchedRun logout = run({QStringLiteral("logout"), proxy.host()});
    QVERIFY2(logout.exitCode == 0, logout.err.constData());
    QCOMPARE(keychainEntries({u"server"_s, u"berth"_s, u"user"_s, proxy.host()}), 0);
    m_flows
        << flavour
               + QStringLiteral(": crash (signal %1) mid-pull after the keychain read").arg(signal);
}

void tst_Secrets::enginePullWithLogin_data()
{
    QTest::addColumn<QString>("engine");
    QTest::addColumn<QString>("flavour");
    for (const char *engine : {"docker", "podman"}) {
        for (const char *flavour : {"basic", "token"})
            QTest::addRow("%s, %s", engine, flavour)
                << QString::fromLatin1(engine) << QString::fromLatin1(flavour);
    }
}

// Through an engine the login travels in X-Registry-Auth (base64 JSON) over the engine's socket:
// berthctl's own output and logs must not show it.
void tst_Secrets::enginePullWithLogin()
{
    QFETCH(QString, engine);
    QFETCH(QString, flavour);
    const QString socket = TestServices::instance().engineSocket(engine);
    if (socket.isEmpty())
        QSKIP("the engine was not started: berth-services start --with docker,podman");
    const TestRegistry registry = TestServices::instance().registry(flavour);
    m_env.insert(QStringLiteral("DOCKER_HOST"), QStringLiteral("unix://") + socket);
    m_env.insert(QStringLiteral("BERTH_BACKEND"), engine);
    const WatchedRun login = run({QStringLiteral("login"),
                                  registry.host,
                                  QStringLiteral("-u"),
                                  registry.username,
                                  QStringLiteral("--password-stdin")},
                                 registry.password.toUtf8());
    QVERIFY2(login.exitCode == 0, login.err.constData());
    const WatchedRun pull
        = run({QStringLiteral("pull"), registry.host + QStringLiteral("/private/secret:1.0")});
    QVERIFY2(pull.exitCode == 0, pull.err.constData());
    QVERIFY2(pull.err.contains("found in keychain"), pull.err.constData());
    m_flows << engine + u", "_s + flavour + u": login, pull through the engine"_s;
}

void tst_Secrets::dockerCliThroughHelper_data()
{
    addFlavours();
}

// `login --docker-cli` with docker's real secretservice helper (behind a recording wrapper): the
// secret reaches it on stdin only, never in its argv or environment; config.json holds no
// password; the login is used through the helper; `logout --docker-cli` erases it everywhere.
void tst_Secrets::dockerCliThroughHelper()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    const QString spyDir = m_home->path() + QStringLiteral("/spy");
    QVERIFY(writeScript(m_home->path() + QStringLiteral("/bin/docker-credential-berthspy"),
                        "cat /proc/$$/cmdline > '" + spyDir.toUtf8()
                            + "'/\"$1.$$.cmdline\"\n"
                              "cat /proc/$$/environ > '"
                            + spyDir.toUtf8()
                            + "'/\"$1.$$.environ\"\n"
                              "exec docker-credential-secretservice \"$@\"\n"));
    const QString configPath = m_home->path() + QStringLiteral("/.docker/config.json");
    QVERIFY(writeFile(configPath, R"({"credsStore": "berthspy"})"));
    const QStringList dockerEntry{u"server"_s, registry.host, u"docker_cli"_s, u"1"_s};

    const WatchedRun login = run({QStringLiteral("login"),
                                  registry.host,
                                  QStringLiteral("-u"),
                                  registry.username,
                                  QStringLiteral("--password-stdin"),
                                  QStringLiteral("--docker-cli")},
                                 registry.password.toUtf8());
    QVERIFY2(login.exitCode == 0, login.err.constData());
    QCOMPARE(keychainEntries(dockerEntry), 1);
    QCOMPARE(keychainEntries({u"server"_s, u"berth"_s, u"user"_s, registry.host}), 1);
    const QByteArray config = readAll(configPath);
    QVERIFY2(!config.contains("auths") || !config.contains("auth\""), config.constData());

    // Berth's own login gone, the docker CLI's is found through the helper ("get").
    QCOMPARE(run({QStringLiteral("logout"), registry.host}).exitCode, 0);
    const WatchedRun inspect
        = run({QStringLiteral("inspect"), registry.host + QStringLiteral("/private/secret:1.0")});
    QVERIFY2(inspect.exitCode == 0, inspect.err.constData());
    QVERIFY2(inspect.err.contains("found in docker credential helper"), inspect.err.constData());

    const WatchedRun logout
        = run({QStringLiteral("logout"), registry.host, QStringLiteral("--docker-cli")});
    QVERIFY2(logout.exitCode == 0, logout.err.constData());
    QCOMPARE(keychainEntries(dockerEntry), 0);
    QCOMPARE(keychainEntries({u"server"_s, u"berth"_s, u"user"_s, registry.host}), 0);
    QVERIFY(!readAll(configPath).contains(registry.host.toUtf8()));

    // What the helpers were given besides stdin: every verb ran, none saw the secret.
    const QStringList recorded = QDir(spyDir).entryList(QDir::Files);
    for (const char *verb : {"store", "get", "list", "erase"}) {
        QVERIFY2(!recorded
                      .filter(QRegularExpression(
                          QStringLiteral("^%1\\.\\d+\\.environ$").arg(QLatin1StringView(verb))))
                      .isEmpty(),
                 qPrintable(recorded.join(u", ")));
    }
    for (const QString &file : recorded)
        m_scan.scanFile(spyDir + u'/' + file);
    m_flows << flavour
                   + QStringLiteral(": docker CLI login through a credential helper (%1 helper "
                                    "runs recorded), helper lookup, logout --docker-cli")
                         .arg(recorded.size() / 2);
}

// Without a helper, --docker-cli would write the password into config.json: refused unless
// asked for explicitly, and nothing is written.
void tst_Secrets::dockerCliWithoutHelperRefused()
{
    const TestRegistry registry = TestServices::instance().registry(u"basic"_s);
    const WatchedRun login = run({QStringLiteral("login"),
                                  registry.host,
                                  QStringLiteral("-u"),
                                  registry.username,
                                  QStringLiteral("--password-stdin"),
                                  QStringLiteral("--docker-cli")},
                                 registry.password.toUtf8());
    QCOMPARE(login.exitCode, 1);
    QVERIFY2(login.err.contains("plain text"), login.err.constData());
    QVERIFY(!QFile::exists(m_home->path() + QStringLiteral("/.docker/config.json")));
    QCOMPARE(keychainEntries({u"server"_s, u"berth"_s, u"user"_s, registry.host}), 0);
    m_flows << QStringLiteral("basic: docker CLI login without a helper refused");
}

// A password given with -p is refused; the refusal does not repeat it (the user's command line
// itself is theirs: only stdout and stderr are searched here).
void tst_Secrets::passwordArgumentNotEchoed()
{
    const TestRegistry registry = TestServices::instance().registry(u"basic"_s);
    const QString typed = randomSecret("typed-");
    m_scan.addSecret(registry.username, typed);
    for (const QStringList &option : {QStringList{u"-p"_s, typed},
                                      QStringList{u"--password="_s + typed},
                                      QStringList{u"--password-stdin"_s, u"--password"_s, typed}}) {
        const CtlRun refused = runBerthctl(
            QStringList{u"login"_s, registry.host, u"-u"_s, registry.username} + option, m_env);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("--password-stdin"), refused.err.constData());
        m_scan.scan(refused.out, u"berthctl login -p: stdout"_s);
        m_scan.scan(refused.err, u"berthctl login -p: stderr"_s);
        ++m_runs;
    }
    QCOMPARE(keychainEntries({u"server"_s, u"berth"_s, u"user"_s, registry.host}), 0);
    m_flows << QStringLiteral("basic: password on the command line refused (3 spellings)");
}

QTEST_GUILESS_MAIN(tst_Secrets)
#include "tst_secrets.moc"
