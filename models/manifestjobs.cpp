// TransferManager::pushManifestList(): a multi-platform image pushed as one Transfers job.

#include "transfermanager.h"

#include "registry/registryclient.h"
#include "registryops/manifestlist.h"

namespace Berth {

TransferJob *TransferManager::pushManifestList(RegistryClient *client, const ManifestList &list)
{
    const QString name = list.target.familiarString();
    m_nextSubject = {name, list.target.domain(), {}};
    QPointer<RegistryClient> guard(client);
    return addFree(
        TransferJob::Kind::Push,
        tr("Push the multi-platform image %1").arg(name),
        [guard, list, name](const TransferJob::Run &run) {
            if (!guard)
                return run.finish(
                    fail(Error::Kind::Network,
                         tr("The registry connection closed before %1 was pushed.").arg(name)));
            ManifestPushOptions options;
            options.cancel = run.cancel;
            options.progress = run.transferProgress;
            const int platforms = int(list.entries.size());
            Berth::pushManifestList(*guard, list, options, [run, name, platforms](auto pushed) {
                if (!pushed)
                    return run.finish(fail(pushed.error()));
                TransferJob::Outcome outcome;
                outcome.summary = tr("Pushed %1 (%n platform(s)) as %2", nullptr, platforms)
                                      .arg(name, pushed->digest.toString());
                outcome.images = {pushed->target.withDigest(pushed->digest).familiarString()};
                run.finish(outcome);
            });
        },
        nullptr);
}

} // namespace Berth
