#pragma once

#include "common/result.h"
#include "credentials/credential.h"
#include "reference/imagereference.h"
#include "registry/taginfo.h"

#include <QStringList>

#include <functional>

namespace Berth {

class RegistryClient;

// What planDelete, deleteImage and untag share.

// Docker Hub's namespace and repository name of a docker.io reference ("library", "node").
struct HubRepositoryName
{
    QString namespaceName;
    QString name;
};
HubRepositoryName hubRepositoryName(const ImageReference &reference);

// The tags of `tags` that point at `digest`, most specific first (as a TagGroup lists them).
// complete is false when some tag's digest is not known, so it may belong too.
struct SharingTags
{
    QStringList tags;
    bool complete = true;
};
SharingTags tagsSharing(const QList<TagInfo> &tags, const Digest &digest);

// The docker.io login of the client's credential provider, for the Hub's account API; an error
// saying to log in when there is none.
void hubCredential(RegistryClient &client, std::function<void(Result<Credential>)> done);

} // namespace Berth
