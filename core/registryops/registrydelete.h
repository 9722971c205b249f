#pragma once

#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <QStringList>

#include <functional>

namespace Berth {

class HubClient;
class RegistryClient;

// What deleting a manifest takes with it: every tag of the repository that points at its digest
// (a registry deletes manifests, not tags, so they all go).
struct DeletePlan
{
    ImageReference repository; // normalised, no tag or digest
    Digest digest;
    QString mediaType;
    QStringList tags;         // every tag sharing the digest, most specific first
    bool tagsComplete = true; // false when some tags' digests could not be looked up
};

// Finds the digest of `reference` (a tag or a digest) and every tag sharing it.
void planDelete(RegistryClient &client,
                HubClient *hub,
                const ImageReference &reference,
                std::function<void(Result<DeletePlan>)> done);

// DELETE the plan's manifest by digest. A registry that refuses (deletes disabled: 405 or
// UNSUPPORTED; no permission: DENIED/401/403) gives an error naming the registry and what to do.
// On Docker Hub `hub` is required: the Hub deletes tags, not manifests, so every tag of the plan
// goes through its tag API, one after another, with the docker.io login of client's credential
// provider (a plan for docker.io without a HubClient is refused by the Hub's registry API).
void deleteImage(RegistryClient &client,
                 HubClient *hub,
                 const DeletePlan &plan,
                 std::function<void(Status)> done);

// How a tag was removed while the other tags on its digest kept working.
enum class UntagMethod {
    DeleteTag,         // DELETE /v2/<name>/manifests/<tag> (OCI distribution 1.1)
    ThrowAwayManifest, // a unique throw-away manifest PUT to the tag, then deleted by digest
    HubTagApi,         // Docker Hub's tag API
};

struct UntagResult
{
    UntagMethod method = UntagMethod::DeleteTag;
    Digest throwAway;      // ThrowAwayManifest: the manifest written then deleted
    QStringList remaining; // tags still on the digest the removed tag pointed at
};

// Removes only this tag; the image and its other tags stay.
void untag(RegistryClient &client,
           HubClient *hub,
           const ImageReference &tagged,
           std::function<void(Result<UntagResult>)> done);

} // namespace Berth
