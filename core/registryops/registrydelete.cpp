#include "registrydelete.h"

#include "common/boundedparallel.h"
#include "deletesupport.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registry/registrytags.h"

namespace Berth {

namespace {

using PlanDone = std::function<void(Result<DeletePlan>)>;

Error tagMovedMeanwhile(const ImageReference &reference)
{
    return Error::make(Error::Kind::NotFound,
                       tr("The tag '%1' of %2 changed while Berth looked at it; nothing was "
                          "deleted. Try again.")
                           .arg(reference.tag(), reference.repository()));
}

// A registry: the reference's digest from a manifest HEAD, then every tag's digest.
void planOnRegistry(RegistryClient &client, const ImageReference &reference, PlanDone done)
{
    client.headManifest(reference, [&client, reference, done](Result<ManifestResponse> m) {
        if (!m)
            return done(fail(m.error()));
        DeletePlan plan;
        plan.repository = reference.withTag({});
        plan.digest = m->digest;
        plan.mediaType = m->mediaType;
        listRegistryTags(client, plan.repository, [plan, reference, done](auto tags) mutable {
            if (!tags)
                return done(fail(tags.error()));
            const SharingTags sharing = tagsSharing(*tags, plan.digest);
            plan.tags = sharing.tags;
            plan.tagsComplete = sharing.complete;
            if (!reference.hasDigest() && !plan.tags.contains(reference.tag()))
                return done(fail(tagMovedMeanwhile(reference)));
            done(std::move(plan));
        });
    });
}

Result<DeletePlan> planFromHubTags(const ImageReference &reference, const QList<TagInfo> &tags)
{
    DeletePlan plan;
    plan.repository = reference.withTag({});
    plan.digest = reference.digest();
    for (const TagInfo &t : tags) {
        if (!reference.hasDigest() && t.name == reference.tag()) {
            plan.digest = t.digest;
            plan.mediaType = t.mediaType;
        }
    }
    if (!reference.hasDigest() && !plan.digest.isValid())
        return fail(Error::Kind::NotFound,
                    tr("Docker Hub lists no tag '%1' with a digest in %2; nothing was deleted.")
                        .arg(reference.tag(), plan.repository.familiarRepository()));
    const SharingTags sharing = tagsSharing(tags, plan.digest);
    plan.tags = sharing.tags;
    plan.tagsComplete = sharing.complete;
    if (plan.tags.isEmpty())
        return fail(Error::Kind::NotFound,
                    tr("No tag of %1 on Docker Hub points at %2, and Docker Hub deletes images "
                       "only through their tags; nothing was deleted.")
                        .arg(plan.repository.familiarRepository(), plan.digest.toString()));
    return plan;
}

// Docker Hub: its tag API knows every tag's digest in a few requests.
void planOnHub(HubClient &hub, const ImageReference &reference, PlanDone done)
{
    const HubRepositoryName name = hubRepositoryName(reference);
    hub.tags(name.namespaceName, name.name, [reference, done](Result<QList<TagInfo>> tags) {
        if (!tags)
            return done(fail(tags.error()));
        done(planFromHubTags(reference, *tags));
    });
}

void deleteOnHub(RegistryClient &client,
                 HubClient &hub,
                 const DeletePlan &plan,
                 std::function<void(Status)> done)
{
    hubCredential(client, [&hub, plan, done](Result<Credential> credential) {
        if (!credential)
            return done(fail(credential.error()));
        const HubRepositoryName name = hubRepositoryName(plan.repository);
        // One after another: a refusal stops before the next tag goes.
        forEachBounded<QString>(
            plan.tags,
            1,
            [&hub, name, credential](const QString &tag, StepDone next) {
                hub.deleteTag(name.namespaceName, name.name, tag, *credential, next);
            },
            done);
    });
}

} // namespace

void planDelete(RegistryClient &client,
                HubClient *hub,
                const ImageReference &reference,
                std::function<void(Result<DeletePlan>)> done)
{
    if (hub && reference.isDockerHub())
        return planOnHub(*hub, reference, std::move(done));
    planOnRegistry(client, reference, std::move(done));
}

void deleteImage(RegistryClient &client,
                 HubClient *hub,
                 const DeletePlan &plan,
                 std::function<void(Status)> done)
{
    if (hub && plan.repository.isDockerHub())
        return deleteOnHub(client, *hub, plan, std::move(done));
    client.deleteManifest(plan.repository.withDigest(plan.digest), std::move(done));
}

} // namespace Berth
