#pragma once

#include "credentials/credential.h"

#include <QHash>
#include <QList>

#include <utility>

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
        if (m_holding)
            m_held.append({registry, std::move(done)});
        else
            done(m_credentials.value(registry));
    }
    int lookups() const { return m_lookups; }

    // Holds every answer until releaseHeld(), the way a keychain that is still unlocking keeps
    // its callers waiting.
    void holdAnswers() { m_holding = true; }
    int held() const { return int(m_held.size()); }
    void releaseHeld()
    {
        m_holding = false;
        const auto held = std::exchange(m_held, {});
        for (const auto &[registry, done] : held)
            done(m_credentials.value(registry));
    }

private:
    using Answer = std::function<void(Berth::Result<std::optional<Berth::Credential>>)>;
    QHash<QString, std::optional<Berth::Credential>> m_credentials;
    QList<std::pair<QString, Answer>> m_held;
    int m_lookups = 0;
    bool m_holding = false;
};

} // namespace BerthTest
