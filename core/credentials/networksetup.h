#pragma once

#include "common/result.h"
#include "network/proxysettings.h"

#include <functional>

namespace Berth {

// The manual proxy's login lives in the keychain (service ProxySettings::proxyKeychainService(),
// key ProxySettings::keychainKey()), never in the settings file. The callbacks run later, on the
// calling thread.
void readProxyPassword(const ProxySettings &settings, std::function<void(Result<QString>)> done);
// An empty password removes the entry.
void writeProxyPassword(const ProxySettings &settings,
                        const QString &password,
                        std::function<void(Status)> done);

// Installs the network policy the saved settings describe: Settings → Network's proxy choice,
// the certs.d folders and registries.conf, read afresh. A manual proxy with a user goes in once
// the keychain has answered (the policy in force stays until then; a later call wins over an
// earlier one still waiting); done reports a keychain that could not be read (the proxy then asks
// for a login, and says so).
void installNetworkPolicyFromSettings(std::function<void(Status)> done = {});

} // namespace Berth
