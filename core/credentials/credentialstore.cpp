#include "credentialstore.h"

#include "common/logging.h"
#include "credentials/credentialhelper.h"
#include "credentials/dockerconfig.h"
#include "credentials/keychainstore.h"
#include "reference/imagereference.h"

#include <QSettings>

#include <algorithm>

namespace Berth {

namespace {

const QString NoDockerHelperCode = QStringLiteral("DOCKER_NO_CREDENTIAL_HELPER");
const QString UsernameKey = QStringLiteral("username");
const QString DockerCliKey = QStringLiteral("dockerCli");

// Best effort: overwrite our copy of a secret before it is released (other implicitly shared
// copies are not reachable from here).
void wipe(Credential &credential)
{
    if (credential.secret.isDetached())
        credential.secret.fill(QChar(0));
    credential.secret.clear();
}

const char *sourceName(CredentialStore::Source source)
{
    switch (source) {
    case CredentialStore::Source::Session:
        return "session";
    case CredentialStore::Source::Keychain:
        return "keychain";
    case CredentialStore::Source::DockerCredentialHelper:
        return "docker credential helper";
    case CredentialStore::Source::DockerConfig:
        return "docker config.json";
    case CredentialStore::Source::PodmanAuthFile:
        return "podman auth.json";
    }
    return "?";
}

// The config.json and auth.json part of the lookup, after any credential helper.
Result<std::optional<CredentialStore::Found>> findInFiles(const QString &registry,
                                                          const DockerConfig &dockerConfig)
{
    using Found = CredentialStore::Found;
    Result<std::optional<Credential>> fromDocker = dockerConfig.authFor(registry);
    if (!fromDocker)
        return fail(fromDocker.error());
    if (*fromDocker) {
        return std::optional<Found>(
            Found{**fromDocker, CredentialStore::Source::DockerConfig, dockerConfig.path()});
    }
    for (const QString &path : DockerConfig::podmanAuthPaths()) {
        Result<DockerConfig> podmanConfig = DockerConfig::load(path);
        if (!podmanConfig)
            return fail(podmanConfig.error());
        Result<std::optional<Credential>> fromPodman = podmanConfig->authFor(registry);
        if (!fromPodman)
            return fail(fromPodman.error());
        if (*fromPodman) {
            return std::optional<Found>(
                Found{**fromPodman, CredentialStore::Source::PodmanAuthFile, path});
        }
    }
    return std::optional<Found>();
}

Status validateLogin(const QString &registry, const Credential &credential)
{
    if (registry.contains(u'/') || registry.contains(u'\\') || registry.contains(u' ')) {
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("“%1” is not a registry name.").arg(registry));
    }
    if (credential.secret.isEmpty()) {
        return fail(
            Error::Kind::InvalidArgument,
            Berth::tr("A password or access token is needed to log in to %1.").arg(registry));
    }
    if (credential.username.isEmpty() && !credential.identityToken) {
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("A user name is needed to log in to %1.").arg(registry));
    }
    return {};
}

} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
    , m_keychain(new KeychainStore(this))
{}

CredentialStore::~CredentialStore()
{
    for (SessionLogin &login : m_session)
        wipe(login.credential);
    m_session.clear();
}

template<typename T>
void CredentialStore::answerLater(std::function<void(T)> done, T value)
{
    // Callers must be able to rely on never being re-entered from inside their own call.
    QMetaObject::invokeMethod(
        this,
        [done = std::move(done), value = std::move(value)]() mutable { done(std::move(value)); },
        Qt::QueuedConnection);
}

bool CredentialStore::isNoDockerHelperError(const Error &error)
{
    return error.code == NoDockerHelperCode;
}

void CredentialStore::lookup(const QString &registry,
                             std::function<void(Result<std::optional<Credential>>)> done)
{
    find(registry, [done = std::move(done)](Result<std::optional<Found>> found) {
        if (!found) {
            done(fail(found.error()));
            return;
        }
        if (!*found) {
            done(std::optional<Credential>());
            return;
        }
        done(std::optional<Credential>((*found)->credential));
    });
}

void CredentialStore::find(const QString &registry,
                           std::function<void(Result<std::optional<Found>>)> done)
{
    using Answer = Result<std::optional<Found>>;
    const QString normalized = ImageReference::normalizeRegistry(registry);
    auto report = [normalized, done = std::move(done)](Answer answer) {
        if (!answer)
            qCDebug(lcCredentials) << "lookup for" << normalized << "failed";
        else if (!*answer)
            qCDebug(lcCredentials) << "lookup for" << normalized << ": no login";
        else
            qCDebug(lcCredentials)
                << "lookup for" << normalized << ": found in" << sourceName((*answer)->source);
        done(std::move(answer));
    };

    if (const auto it = m_session.constFind(normalized); it != m_session.cend()) {
        answerLater<Answer>(
            report, std::optional<Found>(Found{it->credential, Source::Session, QString()}));
        return;
    }
    // Berth's keychain is only asked about registries Berth logged in to: a machine where the
    // keychain is locked or absent must not prompt or fail for anonymous pulls.
    if (hasKeychainAccount(normalized)) {
        m_keychain->read(
            normalized, [this, normalized, report](Result<std::optional<Credential>> read) {
                if (!read) {
                    report(fail(read.error()));
                    return;
                }
                if (!*read) {
                    // gnome-keyring answers a locked collection it cannot prompt for as "no such
                    // entry", so this is either a locked keychain or an entry removed behind our
                    // back.
                    report(fail(
                        Error::Kind::Keychain,
                        Berth::tr("Berth's saved login for %1 could not be read from the keychain: "
                                  "the keychain is locked or the entry was removed. Unlock the "
                                  "keychain, or log in again.")
                            .arg(normalized)));
                    return;
                }
                report(
                    std::optional<Found>(Found{**read, Source::Keychain, m_keychain->service()}));
            });
        return;
    }
    findInDocker(normalized, report);
}

void CredentialStore::findInDocker(const QString &registry,
                                   std::function<void(Result<std::optional<Found>>)> done)
{
    using Answer = Result<std::optional<Found>>;
    Result<DockerConfig> config = DockerConfig::load(DockerConfig::dockerConfigPath());
    if (!config) {
        answerLater<Answer>(done, fail(config.error()));
        return;
    }
    const QString suffix = config->helperFor(registry);
    if (suffix.isEmpty()) {
        answerLater<Answer>(done, findInFiles(registry, *config));
        return;
    }
    auto helper = new CredentialHelper(suffix, this);
    helper->setTimeout(m_helperTimeout);
    helper->getForRegistry(
        registry,
        [helper, registry, config = *config, done](Result<std::optional<Credential>> fromHelper) {
            helper->deleteLater();
            if (fromHelper && *fromHelper) {
                done(std::optional<Found>(
                    Found{**fromHelper, Source::DockerCredentialHelper, helper->program()}));
                return;
            }
            if (!fromHelper) {
                // A helper that is not installed here cannot hold a login here: a config.json
                // copied from another machine must not break anonymous pulls.
                if (!CredentialHelper::isNotInstalledError(fromHelper.error())) {
                    done(fail(fromHelper.error()));
                    return;
                }
                qCWarning(lcCredentials) << helper->program() << "is configured for" << registry
                                         << "but not installed; ignoring it";
            }
            done(findInFiles(registry, config));
        });
}

void CredentialStore::storeLogin(const QString &registry,
                                 const Credential &credential,
                                 const StoreOptions &options,
                                 std::function<void(Status)> done)
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    if (Status valid = validateLogin(normalized, credential); !valid) {
        answerLater<Status>(std::move(done), valid);
        return;
    }
    const Remember remember = m_sharedComputer ? Remember::SessionOnly : options.remember;

    // Everything that can refuse the docker half is checked before anything is stored, so a
    // refusal leaves no half-made login behind.
    QString dockerHelper;
    if (options.alsoDockerCli) {
        Result<QString> helper = dockerHelperForLogin(normalized, options);
        if (!helper) {
            answerLater<Status>(std::move(done), fail(helper.error()));
            return;
        }
        dockerHelper = *helper;
    }

    auto afterBerth
        = [this, normalized, credential, alsoDockerCli = options.alsoDockerCli, dockerHelper, done](
              Status stored) {
              if (!stored || !alsoDockerCli) {
                  done(stored);
                  return;
              }
              writeDockerLogin(normalized, credential, dockerHelper, done);
          };
    storeBerthLogin(normalized, credential, remember, options.alsoDockerCli, afterBerth);
}

Result<QString> CredentialStore::dockerHelperForLogin(const QString &registry,
                                                      const StoreOptions &options) const
{
    if (m_sharedComputer) {
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("On a shared computer Berth keeps logins in memory only, so it does "
                              "not log the docker CLI in: that login would stay on this computer "
                              "after Berth quits."));
    }
    const QString configPath = DockerConfig::dockerConfigPath();
    Result<DockerConfig> config = DockerConfig::load(configPath);
    if (!config)
        return fail(config.error());
    const QString dockerHelper = config->helperFor(registry);
    if (!dockerHelper.isEmpty()) {
        CredentialHelper helper(dockerHelper);
        if (!helper.isInstalled()) {
            return fail(Error::Kind::NotFound,
                        Berth::tr("Docker is configured to keep logins with “%1”, which is not "
                                  "installed, so the docker CLI cannot be logged in. Install it, "
                                  "or change “credsStore” or “credHelpers” in %2.")
                            .arg(helper.program(), configPath));
        }
    } else if (!options.allowPlainTextDockerConfig) {
        Error error = Error::make(
            Error::Kind::Unsupported,
            Berth::tr("No docker credential helper is configured in %1, so logging the docker CLI "
                      "in would write the password into that file as plain text (base64). "
                      "Configure “credsStore” (for example “pass” or “secretservice”), or allow "
                      "the plain-text login explicitly.")
                .arg(configPath));
        error.code = NoDockerHelperCode;
        return fail(std::move(error));
    }
    return dockerHelper;
}

void CredentialStore::storeBerthLogin(const QString &registry,
                                      const Credential &credential,
                                      Remember remember,
                                      bool alsoDockerCli,
                                      std::function<void(Status)> done)
{
    if (remember == Remember::SessionOnly) {
        removeSessionLogin(registry);
        m_session.insert(registry, SessionLogin{credential, alsoDockerCli});
        qCDebug(lcCredentials) << "session-only login for" << registry;
        emit accountsChanged();
        answerLater<Status>(std::move(done), {});
        return;
    }
    m_keychain->write(
        registry,
        credential,
        [this, registry, credential, alsoDockerCli, done = std::move(done)](Status written) {
            if (written) {
                saveAccount(registry, credential, alsoDockerCli);
                // The keychain login supersedes an earlier session one.
                removeSessionLogin(registry);
                emit accountsChanged();
            }
            done(written);
        });
}

void CredentialStore::writeDockerLogin(const QString &registry,
                                       const Credential &credential,
                                       const QString &helperSuffix,
                                       std::function<void(Status)> done)
{
    auto explain = [registry](const Error &error) {
        return Error::make(
            error.kind,
            Berth::tr("Berth saved the login for %1, but the docker CLI could not be "
                      "logged in: %2")
                .arg(registry, error.message));
    };
    if (helperSuffix.isEmpty()) {
        Status written = DockerConfig::writePlainTextAuthToDockerConfig(
            DockerConfig::dockerConfigPath(), registry, credential);
        answerLater<Status>(std::move(done), written ? written : fail(explain(written.error())));
        return;
    }
    auto helper = new CredentialHelper(helperSuffix, this);
    helper->setTimeout(m_helperTimeout);
    helper->storeForRegistry(
        registry, credential, [helper, registry, explain, done](Status stored) {
            helper->deleteLater();
            if (!stored) {
                done(fail(explain(stored.error())));
                return;
            }
            qCDebug(lcCredentials)
                << "logged the docker CLI in to" << registry << "through" << helper->program();
            done({});
        });
}

void CredentialStore::logout(const QString &registry,
                             bool alsoDockerCli,
                             std::function<void(Status)> done)
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    const bool hadSession = m_session.contains(normalized);
    removeSessionLogin(normalized);
    const bool hadAccount = hasKeychainAccount(normalized);
    if (hadSession)
        emit accountsChanged();

    auto afterKeychain = [this, normalized, hadAccount, alsoDockerCli, done](Status removed) {
        Status first;
        if (removed) {
            if (hadAccount) {
                removeAccount(normalized);
                emit accountsChanged();
            }
        } else if (hadAccount) {
            // Keep the account listed: the secret is still in the keychain, and the user has to
            // see that to retry once the keychain is usable.
            first = removed;
        } else {
            qCDebug(lcCredentials) << "keychain unusable while logging out of" << normalized
                                   << "; Berth had no login there";
        }
        if (!alsoDockerCli) {
            done(first);
            return;
        }
        logoutDocker(normalized, [first, done](Status docker) { done(first ? docker : first); });
    };
    if (hadAccount) {
        m_keychain->overwriteAndRemove(normalized, afterKeychain);
    } else {
        // Without an account a plain delete is enough: it only catches an entry whose account
        // was lost (settings reset), and must not make the desktop prompt to unlock the keychain.
        m_keychain->remove(normalized, afterKeychain);
    }
}

void CredentialStore::logoutDocker(const QString &registry, std::function<void(Status)> done)
{
    const QString configPath = DockerConfig::dockerConfigPath();
    Result<DockerConfig> config = DockerConfig::load(configPath);
    if (!config) {
        answerLater<Status>(std::move(done), fail(config.error()));
        return;
    }
    auto removeFromFile = [registry, configPath]() -> Status {
        Result<int> removed = DockerConfig::removeAuths(configPath, registry);
        if (!removed)
            return fail(removed.error());
        return {};
    };
    const QString suffix = config->helperFor(registry);
    if (suffix.isEmpty()) {
        answerLater<Status>(std::move(done), removeFromFile());
        return;
    }
    auto helper = new CredentialHelper(suffix, this);
    helper->setTimeout(m_helperTimeout);
    helper->eraseForRegistry(registry, [helper, removeFromFile, done](Status erased) {
        helper->deleteLater();
        // A helper that is not installed here holds nothing to forget.
        if (!erased && CredentialHelper::isNotInstalledError(erased.error()))
            erased = {};
        // The file's keys go even when the helper failed: forget as much as we can.
        Status fromFile = removeFromFile();
        done(erased ? fromFile : erased);
    });
}

QStringList CredentialStore::knownRegistries() const
{
    QStringList names;
    for (const Account &account : accounts())
        names.append(account.registry);
    QStringList files{DockerConfig::dockerConfigPath()};
    files += DockerConfig::podmanAuthPaths();
    for (const QString &path : std::as_const(files)) {
        if (const Result<DockerConfig> config = DockerConfig::load(path))
            names += config->registries();
    }
    for (QString &name : names)
        name = ImageReference::normalizeRegistry(name);
    names.removeDuplicates();
    names.sort();
    return names;
}

QList<CredentialStore::Account> CredentialStore::accounts() const
{
    QList<Account> list;
    QSettings settings;
    settings.beginGroup(settingsGroup());
    const QStringList registries = settings.childGroups();
    for (const QString &registry : registries) {
        if (m_session.contains(registry))
            continue;
        settings.beginGroup(registry);
        list.append(Account{registry,
                            settings.value(UsernameKey).toString(),
                            Remember::Keychain,
                            settings.value(DockerCliKey).toBool()});
        settings.endGroup();
    }
    for (auto it = m_session.cbegin(); it != m_session.cend(); ++it) {
        list.append(
            Account{it.key(), it->credential.username, Remember::SessionOnly, it->dockerCli});
    }
    std::sort(list.begin(), list.end(), [](const Account &a, const Account &b) {
        return a.registry < b.registry;
    });
    return list;
}

void CredentialStore::setSharedComputerMode(bool enabled)
{
    m_sharedComputer = enabled;
}

void CredentialStore::forgetSessionLogins()
{
    if (m_session.isEmpty())
        return;
    for (SessionLogin &login : m_session)
        wipe(login.credential);
    m_session.clear();
    qCDebug(lcCredentials) << "forgot the session-only logins";
    emit accountsChanged();
}

bool CredentialStore::hasKeychainAccount(const QString &registry) const
{
    QSettings settings;
    settings.beginGroup(settingsGroup());
    return settings.childGroups().contains(registry);
}

void CredentialStore::saveAccount(const QString &registry,
                                  const Credential &credential,
                                  bool dockerCli)
{
    QSettings settings;
    settings.beginGroup(settingsGroup());
    settings.beginGroup(registry);
    settings.setValue(UsernameKey, credential.username);
    settings.setValue(DockerCliKey, dockerCli);
}

void CredentialStore::removeAccount(const QString &registry)
{
    QSettings settings;
    settings.beginGroup(settingsGroup());
    settings.remove(registry);
}

void CredentialStore::removeSessionLogin(const QString &registry)
{
    if (auto it = m_session.find(registry); it != m_session.end()) {
        wipe(it->credential);
        m_session.erase(it);
    }
}

} // namespace Berth
