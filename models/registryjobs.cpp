// TransferManager's registry actions: deleting an image, removing one tag, copying an image from
// one registry to another. They need no image store: the app's RegistryClient (and the HubClient,
// for Docker Hub's tag API) does the work, so they are free jobs; a copy reports each blob as an
// item of the job, as a pull reports its layers.

#include "transfermanager.h"

#include "common/humanize.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "registryops/registrycopy.h"
#include "registryops/registrydelete.h"

namespace Berth {

namespace {

Error clientGone(const QString &what)
{
    return Error::make(Error::Kind::Io,
                       TransferManager::tr("The registry connection was closed before %1 was done. "
                                           "Retry to run it again.")
                           .arg(what));
}

// "registry/app:1.0" for a plan with tags, "registry/app@sha256:0123456789ab" without.
QString planName(const DeletePlan &plan)
{
    if (!plan.tags.isEmpty())
        return plan.repository.withTag(plan.tags.first()).familiarString();
    return plan.repository.familiarRepository() + u'@' + plan.digest.toString().left(19);
}

TransferJob::Outcome deleteOutcome(const DeletePlan &plan)
{
    TransferJob::Outcome outcome;
    for (const QString &tag : plan.tags)
        outcome.images.append(plan.repository.withTag(tag).familiarString());
    outcome.summary = plan.tags.isEmpty()
                          ? TransferManager::tr("Deleted %1").arg(planName(plan))
                          : TransferManager::tr("Deleted the image and its %n tag(s)",
                                                nullptr,
                                                int(plan.tags.size()));
    return outcome;
}

TransferJob::Outcome untagOutcome(const ImageReference &tagged, const UntagResult &result)
{
    TransferJob::Outcome outcome;
    outcome.images = {tagged.familiarString()};
    outcome.summary
        = result.remaining.isEmpty()
              ? TransferManager::tr("Removed %1; the image has no other tag").arg(tagged.tag())
              : TransferManager::tr("Removed %1; %n other tag(s) still point at the "
                                    "image",
                                    nullptr,
                                    int(result.remaining.size()))
                    .arg(tagged.tag());
    return outcome;
}

TransferJob::Outcome copyOutcome(const CopyResult &result)
{
    TransferJob::Outcome outcome;
    outcome.images = {result.destination.familiarString()};
    outcome.bytes = result.bytesCopied;
    const int reused = result.blobsMounted + result.blobsSkipped;
    const QString copied = TransferManager::tr("Copied %n blob(s), %1", nullptr, result.blobsCopied)
                               .arg(formatSize(result.bytesCopied));
    outcome.summary
        = reused == 0
              ? copied
              : TransferManager::tr("%1; %n already there or mounted", nullptr, reused).arg(copied);
    return outcome;
}

} // namespace

TransferJob *
TransferManager::deleteImage(RegistryClient *client, HubClient *hub, const DeletePlan &plan)
{
    const QString name = planName(plan);
    m_nextSubject = {name, plan.repository.domain(), {}};
    QPointer<RegistryClient> guard(client);
    QPointer<HubClient> hubGuard(hub);
    return addFree(
        TransferJob::Kind::Delete,
        tr("Delete %1").arg(name),
        [guard, hubGuard, plan, name](const TransferJob::Run &run) {
            if (!guard)
                return run.finish(fail(clientGone(name)));
            Berth::deleteImage(*guard, hubGuard.data(), plan, [run, plan](Status status) {
                if (!status)
                    return run.finish(fail(status.error()));
                run.finish(deleteOutcome(plan));
            });
        },
        nullptr);
}

TransferJob *
TransferManager::untag(RegistryClient *client, HubClient *hub, const ImageReference &tagged)
{
    const QString name = tagged.familiarString();
    m_nextSubject = {name, tagged.domain(), {}};
    QPointer<RegistryClient> guard(client);
    QPointer<HubClient> hubGuard(hub);
    return addFree(
        TransferJob::Kind::Delete,
        tr("Remove tag %1").arg(name),
        [guard, hubGuard, tagged, name](const TransferJob::Run &run) {
            if (!guard)
                return run.finish(fail(clientGone(name)));
            Berth::untag(*guard, hubGuard.data(), tagged, [run, tagged](Result<UntagResult> r) {
                if (!r)
                    return run.finish(fail(r.error()));
                run.finish(untagOutcome(tagged, *r));
            });
        },
        nullptr);
}

TransferJob *TransferManager::copyImage(RegistryClient *client,
                                        const ImageReference &source,
                                        const ImageReference &destination,
                                        const CopyRequest &request)
{
    const QString from = source.familiarString();
    const QString to = destination.familiarString();
    m_nextSubject = {from, destination.domain(), {}};
    QPointer<RegistryClient> guard(client);
    return addFree(
        TransferJob::Kind::Copy,
        tr("Copy %1 to %2").arg(from, to),
        [guard, source, destination, request, from](const TransferJob::Run &run) {
            if (!guard)
                return run.finish(fail(clientGone(from)));
            CopyOptions options;
            options.platform = request.platform;
            options.allPlatforms = request.allPlatforms;
            options.cancel = run.cancel;
            options.progress = run.transferProgress;
            Berth::copyImage(*guard, source, destination, options, [run](Result<CopyResult> r) {
                if (!r)
                    return run.finish(fail(r.error()));
                run.finish(copyOutcome(*r));
            });
        },
        nullptr);
}

} // namespace Berth
