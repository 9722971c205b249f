#pragma once

#include "proxypolicy.h"
#include "registriesconf.h"
#include "tlstrust.h"

#include <memory>

namespace Berth {

// Everything that decides how a request reaches its host, in one snapshot that Qt's stack (the
// registry API, tokens, Docker Hub) and libcurl's (blobs, URL downloads) both read, so that the
// API and the blobs of one pull always take the same route. Immutable: a change of settings
// installs a new snapshot, and requests already running keep the one they started with.
struct NetworkPolicy
{
    ProxyPolicy proxy;
    std::shared_ptr<const TlsTrust> tls;
    std::shared_ptr<const RegistriesConf> registries;

    // The proxies the environment names, the certs.d folders in their usual places, and the
    // registries.conf files podman would read.
    static std::shared_ptr<const NetworkPolicy> fromEnvironment();
};

// The policy in force (never null; fromEnvironment() until something is installed). Any thread.
std::shared_ptr<const NetworkPolicy> currentNetworkPolicy();
// Installs a new policy for every request that starts from now on. Any thread.
void setNetworkPolicy(std::shared_ptr<const NetworkPolicy> policy);

} // namespace Berth
