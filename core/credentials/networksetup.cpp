#include "networksetup.h"

#include "keychainstore.h"

#include "common/logging.h"
#include "network/networkpolicy.h"

#include <QSettings>

#include <atomic>

namespace Berth {

namespace {

// The store lives until its one job has answered.
KeychainStore *proxyKeychain()
{
    return new KeychainStore(ProxySettings::proxyKeychainService());
}

void install(const ProxySettings &settings, const QString &password)
{
    auto policy = std::make_shared<NetworkPolicy>();
    policy->proxy = settings.policy(password, ProxyEnvironment::fromProcess());
    policy->tls = std::make_shared<const TlsTrust>();
    policy->registries = std::make_shared<const RegistriesConf>(RegistriesConf::load());
    setNetworkPolicy(std::move(policy));
}

Error passwordError(const Error &keychain)
{
    return Error::make(Error::Kind::Keychain,
                       Berth::tr("The proxy's password could not be read from the keychain: %1")
                           .arg(keychain.message));
}

} // namespace

void readProxyPassword(const ProxySettings &settings, std::function<void(Result<QString>)> done)
{
    KeychainStore *store = proxyKeychain();
    store->read(settings.keychainKey(),
                [store, done = std::move(done)](Result<std::optional<Credential>> read) {
                    store->deleteLater();
                    if (!read)
                        return done(std::unexpected(read.error()));
                    done(*read ? (*read)->secret : QString());
                });
}

void writeProxyPassword(const ProxySettings &settings,
                        const QString &password,
                        std::function<void(Status)> done)
{
    KeychainStore *store = proxyKeychain();
    auto finished = [store, done = std::move(done)](Status status) {
        store->deleteLater();
        done(status);
    };
    if (password.isEmpty())
        return store->remove(settings.keychainKey(), std::move(finished));
    store->write(settings.keychainKey(), {settings.user, password, false}, std::move(finished));
}

void installNetworkPolicyFromSettings(std::function<void(Status)> done)
{
    // Each call supersedes the ones before it: a keychain answer that comes back after a newer
    // call must not put older settings back.
    static std::atomic<quint64> generations{0};
    const quint64 generation = ++generations;
    QSettings stored;
    const ProxySettings settings = ProxySettings::load(stored);
    if (settings.mode != ProxyMode::Manual || settings.user.isEmpty() || !settings.isComplete()) {
        install(settings, {});
        if (done)
            done({});
        return;
    }
    // The policy in force stays until the password is there: a proxy asked without its login
    // would only answer 407 to what starts meanwhile.
    readProxyPassword(
        settings, [settings, generation, done = std::move(done)](Result<QString> password) {
            if (generation != generations.load()) {
                if (done)
                    done({}); // a newer call installs, and reports, its own
                return;
            }
            install(settings, password ? *password : QString());
            if (!password)
                qCWarning(lcCredentials) << "proxy password not read:" << password.error().message;
            if (done)
                done(password ? Status{}
                              : Status(std::unexpected(passwordError(password.error()))));
        });
}

} // namespace Berth
