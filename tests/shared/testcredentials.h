#pragma once

#include "credentials/credential.h"

#include <QHash>

namespace BerthTest {

// Credentials per registry, answered the way the keychain-backed store answers, for tests that
// need a login without a keychain. Counts look-ups so tests can check what is cached.
class TestCredentials final : public Berth::CredentialProvider
{
public:
    void set(const QString &registry, std::optional<Berth::Credential> credential)
    {
        m_credentials.insert(registry, std::move(credential));
    }
    void lookup(const QString &registry,
                std::function<void(Berth::Result<std::optional<Berth::Credential>>)> done) override
    {
        ++m_lookups;
        done(m_credentials.value(registry));
    }
    int lookups() const { return m_lookups; }

private:
    QHash<QString, std::optional<Berth::Credential>> m_credentials;
    int m_lookups = 0;
};

} // namespace BerthTest
