#include "tlstrust.h"

// FOUNDATION PLACEHOLDER: helper "tls" replaces this file.

namespace Berth {

struct TlsTrust::Cache
{
};

QStringList TlsTrust::defaultRoots()
{
    return {};
}

TlsTrust::TlsTrust(QStringList roots)
    : m_roots(std::move(roots))
    , m_cache(std::make_unique<Cache>())
{}

TlsTrust::~TlsTrust() = default;

std::shared_ptr<const HostTls> TlsTrust::forAuthority(const QString &) const
{
    return std::make_shared<const HostTls>();
}

} // namespace Berth
