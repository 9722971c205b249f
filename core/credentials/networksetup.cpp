#include "networksetup.h"

#include "keychainstore.h"

#include "common/logging.h"
#include "network/networkpolicy.h"

#include <QSettings>

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
    QSettings stored;
    const ProxySettings settings = ProxySettings::load(stored);
    install(settings, {});
    if (settings.mode != ProxyMode::Manual || settings.user.isEmpty() || !settings.isComplete()) {
        if (done)
            done({});
        return;
    }
    readProxyPassword(settings, [settings, done = std::move(done)](Result<QString> password) {
        if (!password) {
            qCWarning(lcCredentials) << "proxy password not read:" << password.error().message;
            if (done)
                done(std::unexpected(passwordError(password.error())));
            return;
        }
        install(settings, *password);
        if (done)
            done({});
    });
}

} // namespace Berth
