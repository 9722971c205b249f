#include "pullstatus.h"

#include "erroradvice.h"
#include "transferjob.h"

#include <QStatusBar>

namespace Berth {

namespace {

QString registryName(const ImageReference &reference)
{
    return reference.domain() == u"docker.io" ? QStringLiteral("Docker Hub") : reference.domain();
}

} // namespace

void PullStatus::follow(TransferJob *job, const ImageReference &reference, QStatusBar *bar)
{
    if (!job || !bar)
        return;
    const QString name = reference.familiarString();
    const auto show = [job, reference, bar, name](TransferJob::State state) {
        switch (state) {
        case TransferJob::State::Queued:
        case TransferJob::State::Running:
            bar->showMessage(tr("Pulling %1…").arg(name));
            return;
        case TransferJob::State::Done:
            bar->showMessage(outcome(*job, reference), DoneTimeoutMs);
            return;
        case TransferJob::State::Failed:
        case TransferJob::State::Cancelled:
            bar->showMessage(outcome(*job, reference), FailedTimeoutMs);
            return;
        }
    };
    show(job->state());
    // The bar is the context: once it is gone, so is the connection.
    QObject::connect(job, &TransferJob::stateChanged, bar, show);
}

QString PullStatus::outcome(const TransferJob &job, const ImageReference &reference)
{
    const QString name = reference.familiarString();
    switch (job.state()) {
    case TransferJob::State::Done:
        return tr("Pulled %1.").arg(name);
    case TransferJob::State::Cancelled:
        return tr("Pull of %1 cancelled.").arg(name);
    case TransferJob::State::Failed:
        return failure(job.error(), reference);
    case TransferJob::State::Queued:
    case TransferJob::State::Running:
        break;
    }
    return tr("Pulling %1…").arg(name);
}

QString PullStatus::failure(const Error &error, const ImageReference &reference)
{
    const QString name = reference.familiarString();
    const QString registry = registryName(reference);
    switch (error.kind) {
    case Error::Kind::NotFound:
        return tr("Could not pull %1: %2 has no such image or tag. Check the tag; it may have "
                  "been deleted.")
            .arg(name, registry);
    case Error::Kind::Unauthorized:
    case Error::Kind::Denied:
    case Error::Kind::Network:
    case Error::Kind::Tls:
    case Error::Kind::RateLimited:
    case Error::Kind::Server:
        return tr("Could not pull %1. %2").arg(name, ErrorAdvice::forRegistry(error, registry));
    case Error::Kind::Cancelled:
        return tr("Pull of %1 cancelled.").arg(name);
    case Error::Kind::InvalidArgument:
        return tr("Could not pull %1: the image backend refused the name or the platform. "
                  "Check both, then try again.")
            .arg(name);
    case Error::Kind::Protocol:
        return tr("Could not pull %1: the answer from %2 was not understood. Try again in a "
                  "moment.")
            .arg(name, registry);
    case Error::Kind::DigestMismatch:
    case Error::Kind::Io:
    case Error::Kind::Keychain:
    case Error::Kind::Unsupported:
        // Berth's own words (a full disk, a locked keychain, a request the backend cannot
        // keep): already a sentence for the user.
        return tr("Could not pull %1: %2").arg(name, error.message);
    }
    return tr("Could not pull %1.").arg(name);
}

} // namespace Berth
