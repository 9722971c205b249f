#pragma once

// Shared by the credential tests: a private HOME and XDG tree, real gpg + pass, a private D-Bus
// bus (with or without its own gnome-keyring) for the keychain failure cases, and small process
// helpers. Every process started here is stopped by its PID.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace BerthTest {

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool ok() const { return exitCode == 0; }
};

// Runs a short tool to completion. Tests may block; Berth's code never does.
inline ProcessResult runTool(const QString &program,
                             const QStringList &arguments,
                             const QByteArray &input = {},
                             const QProcessEnvironment &environment
                             = QProcessEnvironment::systemEnvironment(),
                             int timeoutMs = 60000)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    ProcessResult result;
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.err = "timed out";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// The user's world, moved into a temporary directory: HOME, the XDG directories QSettings and
// podman read, and the docker/podman variables cleared. Must exist before anything reads them.
class TestHome
{
public:
    TestHome()
    {
        QVERIFY(m_dir.isValid());
        const QString home = m_dir.path();
        qputenv("HOME", QFile::encodeName(home));
        for (const char *sub : {".config", ".local/share", ".cache", "run", "gnupg"})
            QDir(home).mkpath(QString::fromLatin1(sub));
        QFile::setPermissions(
            path(u"run"), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QFile::setPermissions(path(u"gnupg"),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                  | QFileDevice::ExeOwner);
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(path(u".config")));
        qputenv("XDG_DATA_HOME", QFile::encodeName(path(u".local/share")));
        qputenv("XDG_CACHE_HOME", QFile::encodeName(path(u".cache")));
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(path(u"run")));
        qputenv("GNUPGHOME", QFile::encodeName(path(u"gnupg")));
        qputenv("PASSWORD_STORE_DIR", QFile::encodeName(path(u".password-store")));
        qunsetenv("DOCKER_CONFIG");
        qunsetenv("REGISTRY_AUTH_FILE");
    }

    ~TestHome()
    {
        if (m_gpgStarted)
            runTool(QStringLiteral("gpgconf"),
                    {QStringLiteral("--kill"), QStringLiteral("gpg-agent")});
    }

    QString path(QStringView relative = {}) const
    {
        return relative.isEmpty() ? m_dir.path() : m_dir.filePath(relative.toString());
    }

    // A gpg key without passphrase and `pass init` with it, so docker-credential-pass works with
    // no prompt. Answers the reason on failure.
    QString setUpPass()
    {
        m_gpgStarted = true;
        const ProcessResult key = runTool(QStringLiteral("gpg"),
                                          {QStringLiteral("--batch"),
                                           QStringLiteral("--passphrase"),
                                           QString(),
                                           QStringLiteral("--quick-gen-key"),
                                           QStringLiteral("Berth Test <test@berth.invalid>"),
                                           QStringLiteral("future-default"),
                                           QStringLiteral("default"),
                                           QStringLiteral("never")});
        if (!key.ok())
            return QStringLiteral("gpg --quick-gen-key failed: ") + QString::fromUtf8(key.err);
        const ProcessResult keys
            = runTool(QStringLiteral("gpg"),
                      {QStringLiteral("--list-keys"), QStringLiteral("--with-colons")});
        const QRegularExpression fpr(QStringLiteral("^fpr:+([0-9A-F]{40}):"),
                                     QRegularExpression::MultilineOption);
        const QRegularExpressionMatch match = fpr.match(QString::fromUtf8(keys.out));
        if (!match.hasMatch())
            return QStringLiteral("no gpg fingerprint in: ") + QString::fromUtf8(keys.out);
        const ProcessResult init
            = runTool(QStringLiteral("pass"), {QStringLiteral("init"), match.captured(1)});
        if (!init.ok())
            return QStringLiteral("pass init failed: ") + QString::fromUtf8(init.err);
        return {};
    }

private:
    QTemporaryDir m_dir;
    bool m_gpgStarted = false;
};

// The running Secret Service of the session (gnome-keyring under scripts/with-keyring).
inline bool secretServiceRunning(const QProcessEnvironment &environment
                                 = QProcessEnvironment::systemEnvironment())
{
    if (environment.value(QStringLiteral("DBUS_SESSION_BUS_ADDRESS")).isEmpty())
        return false;
    const ProcessResult owner = runTool(QStringLiteral("gdbus"),
                                        {QStringLiteral("call"),
                                         QStringLiteral("--session"),
                                         QStringLiteral("--dest"),
                                         QStringLiteral("org.freedesktop.DBus"),
                                         QStringLiteral("--object-path"),
                                         QStringLiteral("/org/freedesktop/DBus"),
                                         QStringLiteral("--method"),
                                         QStringLiteral("org.freedesktop.DBus.NameHasOwner"),
                                         QStringLiteral("org.freedesktop.secrets")},
                                        {},
                                        environment,
                                        10000);
    return owner.ok() && owner.out.contains("true");
}

// How many Secret Service items, locked or not, Berth's QtKeychain entry for `key` matches
// (QtKeychain's libsecret schema: server = service, user = key). -1 when the search failed.
inline int keychainItems(const QString &key,
                         const QProcessEnvironment &environment
                         = QProcessEnvironment::systemEnvironment(),
                         const QString &service = QStringLiteral("berth"))
{
    const QString attributes = QStringLiteral("{'server': '%1', 'user': '%2'}").arg(service, key);
    const ProcessResult search
        = runTool(QStringLiteral("gdbus"),
                  {QStringLiteral("call"),
                   QStringLiteral("--session"),
                   QStringLiteral("--dest"),
                   QStringLiteral("org.freedesktop.secrets"),
                   QStringLiteral("--object-path"),
                   QStringLiteral("/org/freedesktop/secrets"),
                   QStringLiteral("--method"),
                   QStringLiteral("org.freedesktop.Secret.Service.SearchItems"),
                   attributes},
                  {},
                  environment,
                  10000);
    if (!search.ok())
        return -1;
    return int(search.out.count("/org/freedesktop/secrets/collection/"));
}

// A D-Bus session bus of our own with no service activation, so nothing answers on it unless
// we start it: "no Secret Service running". Optionally with a gnome-keyring of its own (in its
// own HOME), which can then be locked without disturbing the session's keyring.
class PrivateBus
{
public:
    PrivateBus()
    {
        QVERIFY(m_dir.isValid());
        const QString config = m_dir.filePath(QStringLiteral("bus.conf"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QStringLiteral(
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
                "1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                "<busconfig><type>session</type><listen>unix:path=%1</listen>"
                "<auth>EXTERNAL</auth><policy context=\"default\">"
                "<allow send_destination=\"*\" eavesdrop=\"true\"/>"
                "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n")
                .arg(m_dir.filePath(QStringLiteral("bus")))
                .toUtf8());
        file.close();
        m_bus.start(QStringLiteral("dbus-daemon"),
                    {QStringLiteral("--config-file=") + config,
                     QStringLiteral("--nofork"),
                     QStringLiteral("--print-address=1")});
        QVERIFY2(m_bus.waitForStarted(10000), qPrintable(m_bus.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(m_bus.canReadLine(), 10000);
        m_address = QString::fromUtf8(m_bus.readLine()).trimmed();
        QVERIFY(!m_address.isEmpty());
    }

    ~PrivateBus()
    {
        // Keyring first: it must not outlive the bus it serves. Both by PID, through QProcess.
        for (QProcess *process : {&m_keyring, &m_bus}) {
            if (process->state() != QProcess::NotRunning) {
                process->terminate();
                if (!process->waitForFinished(5000)) {
                    process->kill();
                    process->waitForFinished(5000);
                }
            }
        }
    }

    QString address() const { return m_address; }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), m_address);
        environment.remove(QStringLiteral("DISPLAY"));
        environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
        return environment;
    }

    // Starts gnome-keyring-daemon on this bus, its login collection unlocked with "pw".
    void startKeyring()
    {
        const QString home = m_dir.filePath(QStringLiteral("keyring-home"));
        const QString runtime = m_dir.filePath(QStringLiteral("keyring-run"));
        QVERIFY(QDir().mkpath(home));
        QVERIFY(QDir().mkdir(
            runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        QProcessEnvironment environment = this->environment();
        environment.insert(QStringLiteral("HOME"), home);
        environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home + u"/.local/share");
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + u"/.config");
        environment.insert(QStringLiteral("XDG_CACHE_HOME"), home + u"/.cache");
        m_keyring.setProcessEnvironment(environment);
        m_keyring.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_keyring.start(QStringLiteral("gnome-keyring-daemon"),
                        {QStringLiteral("--foreground"),
                         QStringLiteral("--components=secrets"),
                         QStringLiteral("--unlock")});
        QVERIFY2(m_keyring.waitForStarted(10000), qPrintable(m_keyring.errorString()));
        m_keyring.write("pw");
        m_keyring.closeWriteChannel();
        QTRY_VERIFY_WITH_TIMEOUT(secretServiceRunning(this->environment()), 20000);
    }

    // Locks the keyring's login collection, as the desktop does after a timeout or on suspend.
    bool lockLogin() const
    {
        const ProcessResult lock
            = runTool(QStringLiteral("gdbus"),
                      {QStringLiteral("call"),
                       QStringLiteral("--session"),
                       QStringLiteral("--dest"),
                       QStringLiteral("org.freedesktop.secrets"),
                       QStringLiteral("--object-path"),
                       QStringLiteral("/org/freedesktop/secrets"),
                       QStringLiteral("--method"),
                       QStringLiteral("org.freedesktop.Secret.Service.Lock"),
                       QStringLiteral("['/org/freedesktop/secrets/collection/login']")},
                      {},
                      environment(),
                      10000);
        return lock.ok() && lock.out.contains("collection/login");
    }

private:
    QTemporaryDir m_dir;
    QProcess m_bus;
    QProcess m_keyring;
    QString m_address;
};

// A small shell script standing in for a credential helper, for what real helpers cannot be
// made to do (hang, fail loudly, report their argv).
inline bool writeScript(const QString &path, const QByteArray &body)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(QByteArray("#!/bin/sh\n") + body);
    file.close();
    return file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                               | QFileDevice::ExeOwner);
}

inline void prependToPath(const QString &dir)
{
    qputenv("PATH", QFile::encodeName(dir) + ':' + qgetenv("PATH"));
}

inline QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    return file.write(content) == content.size();
}

} // namespace BerthTest
