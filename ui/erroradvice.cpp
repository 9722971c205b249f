#include "erroradvice.h"

namespace Berth {

QString ErrorAdvice::forHub(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Network:
    case Error::Kind::Tls:
        return tr("Check your internet connection, or the Docker Hub address in "
                  "Settings, then try again.");
    case Error::Kind::RateLimited:
        return tr("Docker Hub limits how many requests an address may make; wait a "
                  "moment, or log in to Docker Hub, then try again.");
    case Error::Kind::Server:
        return tr("Docker Hub is having trouble; try again in a few minutes.");
    case Error::Kind::Protocol:
        return tr("Check that the Docker Hub address in Settings points at Docker Hub.");
    case Error::Kind::NotFound:
        return tr("Check the repository name; search for it on the Explore page.");
    case Error::Kind::InvalidArgument:
        return tr("Refine the search to find other repositories.");
    default:
        return tr("Try again in a moment.");
    }
}

QString ErrorAdvice::forRegistry(const Error &error, const QString &registry)
{
    switch (error.kind) {
    case Error::Kind::Network:
        return tr("Check that %1 is running and reachable from this computer, then "
                  "try again.")
            .arg(registry);
    case Error::Kind::Tls:
        return tr("If you trust this network, allow plain HTTP for %1 in Settings.").arg(registry);
    case Error::Kind::Unauthorized:
    case Error::Kind::Denied:
        return tr("Log in to %1 with an account that may read this repository.").arg(registry);
    case Error::Kind::NotFound:
        return tr("Check the name; the tag or repository may have been deleted.");
    case Error::Kind::RateLimited:
        return tr("%1 limits how many requests an address may make; wait a moment, or "
                  "log in, then try again.")
            .arg(registry);
    case Error::Kind::Server:
        return tr("%1 is having trouble; try again in a few minutes.").arg(registry);
    default:
        return tr("Try again in a moment.");
    }
}

} // namespace Berth
