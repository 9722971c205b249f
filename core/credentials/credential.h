#pragma once

#include "common/result.h"

#include <QString>

#include <functional>
#include <optional>

namespace Berth {

// A login for one registry. `secret` is a password, an access token or (identityToken) an OAuth
// refresh token as docker's config.json stores it. Never logged, never put in an error message.
struct Credential
{
    QString username;
    QString secret;
    bool identityToken = false;

    bool isEmpty() const { return username.isEmpty() && secret.isEmpty(); }
};

// Where the registry client gets credentials from. Asynchronous because keychains are.
// `registry` is a normalised registry name as ImageReference::domain() gives it ("docker.io",
// "localhost:5000"). Answers nullopt when there is no login (anonymous access), an Error when the
// store could not be read (locked keychain): the caller reports it rather than going anonymous.
class CredentialProvider
{
public:
    virtual ~CredentialProvider() = default;
    virtual void lookup(const QString &registry,
                        std::function<void(Result<std::optional<Credential>>)> done)
        = 0;
};

} // namespace Berth
