#include "deletesupport.h"

#include "reference/versionorder.h"
#include "registry/registryclient.h"

#include <algorithm>

namespace Berth {

HubRepositoryName hubRepositoryName(const ImageReference &reference)
{
    return {reference.path().section(u'/', 0, 0), reference.path().section(u'/', 1)};
}

SharingTags tagsSharing(const QList<TagInfo> &tags, const Digest &digest)
{
    SharingTags sharing;
    for (const TagInfo &t : tags) {
        if (t.digestNotLookedUp || !t.digest.isValid())
            sharing.complete = false;
        else if (t.digest == digest)
            sharing.tags.append(t.name);
    }
    std::sort(sharing.tags.begin(), sharing.tags.end(), [](const QString &a, const QString &b) {
        return moreSpecificTag(a, b);
    });
    return sharing;
}

void hubCredential(RegistryClient &client, std::function<void(Result<Credential>)> done)
{
    const QString registry = ImageReference::dockerHubDomain();
    CredentialProvider *provider = client.transport().credentialProvider();
    const auto noLogin = [] {
        return Error::make(Error::Kind::Unauthorized,
                           tr("Docker Hub deletes tags only for a logged-in account; log in to "
                              "docker.io with a password or a personal access token first."));
    };
    if (!provider)
        return done(fail(noLogin()));
    provider->lookup(registry, [done, noLogin](Result<std::optional<Credential>> c) {
        if (!c)
            return done(fail(c.error()));
        if (!*c || (*c)->isEmpty())
            return done(fail(noLogin()));
        done(**c);
    });
}

} // namespace Berth
