#include "proxypolicy.h"

// FOUNDATION PLACEHOLDER: helper "proxy" replaces this file.

namespace Berth {

ProxyEnvironment ProxyEnvironment::fromProcess()
{
    return {};
}

ProxyPolicy ProxyPolicy::system(const ProxyEnvironment &environment)
{
    ProxyPolicy policy;
    policy.m_mode = ProxyMode::System;
    policy.m_environment = environment;
    return policy;
}

ProxyPolicy ProxyPolicy::none()
{
    return {};
}

ProxyPolicy ProxyPolicy::manual(const ManualProxy &proxy)
{
    ProxyPolicy policy;
    policy.m_mode = ProxyMode::Manual;
    policy.m_manual = proxy;
    return policy;
}

ProxyChoice ProxyPolicy::choose(const QUrl &) const
{
    return {};
}

} // namespace Berth
