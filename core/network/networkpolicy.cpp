#include "networkpolicy.h"

#include <mutex>

namespace Berth {

namespace {

std::mutex policyMutex;
std::shared_ptr<const NetworkPolicy> installedPolicy;

} // namespace

std::shared_ptr<const NetworkPolicy> NetworkPolicy::fromEnvironment()
{
    auto policy = std::make_shared<NetworkPolicy>();
    policy->proxy = ProxyPolicy::system(ProxyEnvironment::fromProcess());
    policy->tls = std::make_shared<const TlsTrust>();
    policy->registries = std::make_shared<const RegistriesConf>(RegistriesConf::load());
    return policy;
}

std::shared_ptr<const NetworkPolicy> currentNetworkPolicy()
{
    const std::lock_guard lock(policyMutex);
    if (!installedPolicy)
        installedPolicy = NetworkPolicy::fromEnvironment();
    return installedPolicy;
}

void setNetworkPolicy(std::shared_ptr<const NetworkPolicy> policy)
{
    const std::lock_guard lock(policyMutex);
    installedPolicy = policy ? std::move(policy) : NetworkPolicy::fromEnvironment();
}

} // namespace Berth
