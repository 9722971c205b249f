#pragma once

#include "credentials/credential.h"

#include <QMap>
#include <QObject>
#include <QStringList>

#include <chrono>

namespace Berth {

// A docker credential helper, `docker-credential-<suffix>` (pass, secretservice, desktop,
// ecr-login…), spoken to with its protocol: one verb in argv, the request on stdin, the answer on
// stdout.
//   get    stdin: server URL       stdout: {"ServerURL","Username","Secret"}
//   store  stdin: that JSON         erase stdin: server URL        list  stdout: {"<url>":"<user>"}
// The secret travels on stdin/stdout only, never in argv or the environment, so other users
// cannot see it in /proc. Every call is asynchronous (QProcess, no waitFor*), answers exactly once
// on this object's thread, and is bounded by timeout(). Destroying the object kills the helpers
// still running and drops their callbacks.
class CredentialHelper final : public QObject
{
    Q_OBJECT

public:
    explicit CredentialHelper(const QString &suffix, QObject *parent = nullptr);
    ~CredentialHelper() override;

    QString suffix() const { return m_suffix; }
    QString program() const; // "docker-credential-<suffix>"
    // Whether the program can be found in PATH; lets callers refuse before changing anything.
    bool isInstalled() const;

    std::chrono::milliseconds timeout() const { return m_timeout; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // nullopt when the helper holds nothing for serverUrl. A Username of "<token>" means the
    // Secret is an identity token: it comes back with identityToken set and no user name.
    void get(const QString &serverUrl, std::function<void(Result<std::optional<Credential>>)> done);
    void
    store(const QString &serverUrl, const Credential &credential, std::function<void(Status)> done);
    // Erasing what the helper does not hold succeeds.
    void erase(const QString &serverUrl, std::function<void(Status)> done);
    // Server URL -> user name; never secrets.
    void list(std::function<void(Result<QMap<QString, QString>>)> done);

    // Registry-level conveniences. `registry` is normalised first.
    // Tries serverUrls(registry) in order; the first login found wins.
    void getForRegistry(const QString &registry,
                        std::function<void(Result<std::optional<Credential>>)> done);
    // Stores under DockerConfig::serverKey(registry), where `docker login` would.
    void storeForRegistry(const QString &registry,
                          const Credential &credential,
                          std::function<void(Status)> done);
    // Erases every spelling `docker logout` erases (host, http://host, https://host) plus every
    // server URL the helper lists that names the registry.
    void eraseForRegistry(const QString &registry, std::function<void(Status)> done);

    // The server URLs a login for `registry` may be stored under, in lookup order: for Docker Hub
    // "https://index.docker.io/v1/", for other registries the bare host, then "https://host".
    static QStringList serverUrls(const QString &registry);
    // The spellings `docker logout` erases.
    static QStringList logoutServerUrls(const QString &registry);

    // The helper program is missing (not in PATH, or could not be started).
    static bool isNotInstalledError(const Error &error);

    // The user name helpers use to mark an identity token.
    static QString identityTokenUsername() { return QStringLiteral("<token>"); }

private:
    void run(const QString &verb,
             QByteArray input,
             const QString &secretToScrub,
             std::function<void(Result<QByteArray>)> done);
    Result<QString> findExecutable() const;
    void startProcess(const QString &executable,
                      const QString &verb,
                      const QByteArray &input,
                      const QString &secretToScrub,
                      std::function<void(Result<QByteArray>)> done);
    void getFirst(QStringList urls, std::function<void(Result<std::optional<Credential>>)> done);
    void eraseAll(QStringList urls, std::function<void(Status)> done);

    QString m_suffix;
    std::chrono::milliseconds m_timeout{std::chrono::seconds(30)};
};

} // namespace Berth
