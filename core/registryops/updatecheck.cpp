#include "updatecheck.h"

#include "common/boundedparallel.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <memory>

namespace Berth {

namespace {

// One tag's check on its way through the requests.
struct Check
{
    RegistryClient *client = nullptr;
    UpdateCheckTarget target;
    UpdateStatus status;
    std::function<void(UpdateStatus)> done;

    void finish(UpdateState state, QString message = {})
    {
        status.state = state;
        status.message = std::move(message);
        done(status);
    }
    void failWith(const Error &error)
    {
        if (error.kind == Error::Kind::NotFound)
            return finish(UpdateState::NotInRegistry,
                          Berth::tr("%1 is no longer in its registry.").arg(target.name));
        finish(UpdateState::Failed, error.message);
    }
    bool isLocal(const Digest &digest) const { return target.localDigests.contains(digest); }
};

Platform wantedPlatform(const UpdateCheckTarget &target)
{
    const Platform &p = target.platform;
    if (p.os.isEmpty() || p.architecture.isEmpty() || p.isUnknown())
        return Platform::host();
    return p;
}

// The platform's manifest was not recorded locally: its config is the image ID, so one GET says
// whether it is the same image.
void compareConfig(const std::shared_ptr<Check> &check, const Digest &manifest)
{
    ++check->status.requests;
    check->client->fetchManifest(
        check->target.reference.withDigest(manifest), [check](Result<ManifestResponse> r) {
            if (!r)
                return check->failWith(r.error());
            const auto parsed = parseImageManifest(r->body, r->mediaType);
            if (!parsed)
                return check->finish(UpdateState::Failed, parsed.error().message);
            check->finish(parsed->config.digest == check->target.imageId
                              ? UpdateState::UpToDate
                              : UpdateState::UpdateAvailable);
        });
}

void comparePlatform(const std::shared_ptr<Check> &check, const Digest &index)
{
    ++check->status.requests;
    check->client->fetchManifest(
        check->target.reference.withDigest(index), [check](Result<ManifestResponse> r) {
            if (!r)
                return check->failWith(r.error());
            const auto parsed = parseImageIndex(r->body, r->mediaType);
            if (!parsed)
                return check->finish(UpdateState::Failed, parsed.error().message);
            const Platform wanted = wantedPlatform(check->target);
            const auto selected = parsed->select(wanted);
            if (!selected)
                return check->finish(UpdateState::Failed,
                                     tr("%1 no longer has an image for %2.")
                                         .arg(check->target.name, wanted.toString()));
            if (check->isLocal(selected->digest))
                return check->finish(UpdateState::UpToDate);
            compareConfig(check, selected->digest);
        });
}

void headed(const std::shared_ptr<Check> &check, const ManifestResponse &head)
{
    check->status.remote = head.digest;
    if (check->isLocal(head.digest)) {
        check->status.local = head.digest;
        return check->finish(UpdateState::UpToDate);
    }
    if (MediaType::isIndex(head.mediaType))
        return comparePlatform(check, head.digest);
    check->finish(UpdateState::UpdateAvailable);
}

} // namespace

QString updateStateName(UpdateState state)
{
    switch (state) {
    case UpdateState::Unknown:
        return QStringLiteral("unknown");
    case UpdateState::UpToDate:
        return QStringLiteral("up-to-date");
    case UpdateState::UpdateAvailable:
        return QStringLiteral("update-available");
    case UpdateState::NotInRegistry:
        return QStringLiteral("not-in-registry");
    case UpdateState::LocalOnly:
        return QStringLiteral("local-only");
    case UpdateState::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QString updateStateText(UpdateState state)
{
    switch (state) {
    case UpdateState::Unknown:
        return tr("Not checked");
    case UpdateState::UpToDate:
        return tr("Up to date");
    case UpdateState::UpdateAvailable:
        return tr("Update available");
    case UpdateState::NotInRegistry:
        return tr("Not in registry");
    case UpdateState::LocalOnly:
        return tr("Local only");
    case UpdateState::Failed:
        return tr("Check failed");
    }
    return {};
}

QList<UpdateCheckTarget> updateCheckTargets(const QList<LocalImage> &images)
{
    QList<UpdateCheckTarget> targets;
    for (const LocalImage &image : images) {
        for (const QString &tag : image.repoTags) {
            const auto reference = ImageReference::parse(tag);
            if (!reference || reference->tag().isEmpty())
                continue;
            UpdateCheckTarget target;
            target.name = tag;
            target.reference = *reference;
            target.imageId = image.id;
            target.platform = image.platform;
            for (const QString &repoDigest : image.repoDigests) {
                const auto recorded = ImageReference::parse(repoDigest);
                if (recorded && recorded->hasDigest()
                    && recorded->repository() == reference->repository())
                    target.localDigests << recorded->digest();
            }
            targets << target;
        }
    }
    return targets;
}

void checkForUpdate(RegistryClient &client,
                    const UpdateCheckTarget &target,
                    std::function<void(UpdateStatus)> done)
{
    auto check = std::make_shared<Check>();
    check->client = &client;
    check->target = target;
    check->status.name = target.name;
    check->status.imageId = target.imageId;
    check->done = std::move(done);
    if (target.localDigests.isEmpty())
        return check->finish(UpdateState::LocalOnly,
                             tr("%1 was not pulled from a registry: it was built, imported, "
                                "loaded or tagged here, so there is nothing to compare.")
                                 .arg(target.name));
    check->status.local = target.localDigests.first();
    check->status.requests = 1;
    client.headManifest(target.reference.withTag(target.reference.tag()),
                        [check](Result<ManifestResponse> r) {
                            if (!r)
                                return check->failWith(r.error());
                            headed(check, *r);
                        });
}

void checkForUpdates(RegistryClient &client,
                     QList<UpdateCheckTarget> targets,
                     UpdateCheckOptions options,
                     std::function<void(Result<QList<UpdateStatus>>)> done)
{
    auto statuses = std::make_shared<QList<UpdateStatus>>(targets.size());
    const int count = int(targets.size());
    const CancelToken cancel = options.cancel;
    auto progress = options.progress;
    runBounded(
        count,
        qMax(1, options.parallel),
        [&client, targets = std::move(targets), statuses, cancel, progress](int i,
                                                                            StepDone finished) {
            if (cancel.isCancelled())
                return finished(fail(Error::Kind::Cancelled, tr("Cancelled.")));
            checkForUpdate(client, targets.at(i), [=](UpdateStatus status) {
                (*statuses)[i] = status;
                if (progress)
                    progress(status);
                finished({});
            });
        },
        [statuses, done = std::move(done)](Status s) {
            if (!s)
                return done(fail(s.error()));
            done(*statuses);
        });
}

} // namespace Berth
