#pragma once

#include "credentials/credential.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <chrono>

namespace Berth {

class KeychainStore;

// Where Berth keeps and finds registry logins.
//
// Lookup order for a registry: a session-only login, Berth's own keychain entry, then docker's
// credHelpers entry, credsStore, config.json `auths`, then podman's auth.json — so logins made
// with `docker login` or `podman login` just work. Berth writes its own logins to the OS keychain
// (or keeps them in memory for the session), and touches docker's files only when asked: through
// the configured credential helper, or as base64 in config.json after an explicit choice.
//
// The list of accounts (registry, user name — never a secret) is kept in QSettings, group
// "accounts", one child group per registry holding "username" and "dockerCli". Only keychain
// logins are listed there; session-only logins live in memory and are wiped on destruction.
//
// Every callback runs later on this object's thread, never from inside the call, and is dropped
// if the store is destroyed first. Secrets never reach logs, errors, settings or process args.
class CredentialStore final : public QObject, public CredentialProvider
{
    Q_OBJECT

public:
    enum class Remember {
        Keychain,    // the OS keychain; fails with a Keychain error rather than falling back
        SessionOnly, // memory only, forgotten by forgetSessionLogins() or when the store goes
    };

    struct StoreOptions
    {
        Remember remember = Remember::Keychain;
        // Also log the docker CLI in, through docker's configured credential helper.
        bool alsoDockerCli = false;
        // With alsoDockerCli and no helper configured: write base64 user:password into
        // config.json. Only after the user was warned that this is plain text.
        bool allowPlainTextDockerConfig = false;
    };

    enum class Source {
        Session,                // a session-only login made in Berth
        Keychain,               // Berth's entry in the OS keychain
        DockerCredentialHelper, // docker's credHelpers / credsStore
        DockerConfig,           // docker's config.json `auths`
        PodmanAuthFile,         // podman's auth.json
    };

    struct Found
    {
        Credential credential;
        Source source = Source::Keychain;
        QString origin; // the helper program or the file the login came from; never a secret
    };

    struct Account
    {
        QString registry;
        QString username;
        Remember remember = Remember::Keychain;
        bool dockerCli = false; // the docker CLI was logged in too, when Berth logged in
    };

    explicit CredentialStore(QObject *parent = nullptr);
    ~CredentialStore() override;

    // CredentialProvider. `registry` may be any spelling (normalised here). nullopt: no login
    // anywhere, go anonymous. An error when a place that may hold the login could not be read
    // (locked keychain, malformed config.json, a helper that failed): report it.
    void lookup(const QString &registry,
                std::function<void(Result<std::optional<Credential>>)> done) override;
    // The same, saying where the login was found.
    void find(const QString &registry, std::function<void(Result<std::optional<Found>>)> done);

    // Stores a login the caller has already verified against the registry. With
    // Remember::Keychain and an unusable keychain the answer is that Keychain error and nothing
    // is stored anywhere, so the UI can offer a session-only login. The docker CLI preconditions
    // (a helper is configured and installed, or plain text is allowed) are checked before
    // anything is stored; an error writing docker's side after Berth's login was saved says so.
    // In shared-computer mode every login is session-only and alsoDockerCli is refused (the
    // docker login would outlive the session).
    void storeLogin(const QString &registry,
                    const Credential &credential,
                    const StoreOptions &options,
                    std::function<void(Status)> done);

    // Forgets the registry's login: the session entry, the keychain entry, the account; with
    // alsoDockerCli also docker's helper entries and config.json `auths` keys for every spelling
    // of the server (host, http://host, https://host). Does not stop at the first failure; the
    // answer is the first error met. Logging out of an unknown registry succeeds.
    void logout(const QString &registry, bool alsoDockerCli, std::function<void(Status)> done);

    // Berth's logins, sorted by registry; a session login hides a keychain one for the same
    // registry, as in lookup.
    QList<Account> accounts() const;

    // Every registry a login is known for, normalised, each once, sorted: Berth's accounts,
    // docker's config.json (auths and credHelpers) and podman's auth.json. Names only, no secret
    // and no helper run; a file that cannot be read adds nothing (lookup reports it when used).
    QStringList knownRegistries() const;

    // Shared computer: logins are kept in memory only and wiped on quit.
    bool sharedComputerMode() const { return m_sharedComputer; }
    void setSharedComputerMode(bool enabled);
    // Wipes every session-only login (also done by the destructor).
    void forgetSessionLogins();

    std::chrono::milliseconds helperTimeout() const { return m_helperTimeout; }
    void setHelperTimeout(std::chrono::milliseconds timeout) { m_helperTimeout = timeout; }

    // storeLogin's refusal to write a plain-text docker login without the caller's permission.
    static bool isNoDockerHelperError(const Error &error);

    static QString settingsGroup() { return QStringLiteral("accounts"); }

signals:
    void accountsChanged();

private:
    struct SessionLogin
    {
        Credential credential;
        bool dockerCli = false;
    };

    bool hasKeychainAccount(const QString &registry) const;
    void saveAccount(const QString &registry, const Credential &credential, bool dockerCli);
    void removeAccount(const QString &registry);
    void removeSessionLogin(const QString &registry);
    void findInDocker(const QString &registry,
                      std::function<void(Result<std::optional<Found>>)> done);
    Result<QString> dockerHelperForLogin(const QString &registry,
                                         const StoreOptions &options) const;
    void storeBerthLogin(const QString &registry,
                         const Credential &credential,
                         Remember remember,
                         bool alsoDockerCli,
                         std::function<void(Status)> done);
    void writeDockerLogin(const QString &registry,
                          const Credential &credential,
                          const QString &helper,
                          std::function<void(Status)> done);
    void logoutDocker(const QString &registry, std::function<void(Status)> done);
    template<typename T>
    void answerLater(std::function<void(T)> done, T value);

    KeychainStore *m_keychain = nullptr;
    QHash<QString, SessionLogin> m_session;
    bool m_sharedComputer = false;
    std::chrono::milliseconds m_helperTimeout{std::chrono::seconds(30)};
};

} // namespace Berth
