#include "share/destinationdefaults.h"

#include "reference/imagereference.h"

#include <optional>

namespace Berth {

namespace {

// Podman names images built here `localhost/name`: a marker, not a registry to push to.
bool hasRegistryOfItsOwn(const ImageReference &reference)
{
    return reference.domain() != u"localhost";
}

DestinationDefaults dockerHubFor(const QString &hubUser)
{
    return {ImageReference::dockerHubDomain(), hubUser, {}, {}};
}

} // namespace

DestinationDefaults destinationDefaults(const QString &image, const QString &hubUser)
{
    const auto parsed = ImageReference::parse(image);
    const bool imageId = image.startsWith(u"sha256:");
    if (!parsed || imageId) {
        DestinationDefaults defaults = dockerHubFor(hubUser);
        defaults.tag = QStringLiteral("latest");
        return defaults;
    }
    const QString path = parsed->path();
    const qsizetype slash = path.lastIndexOf(u'/');
    DestinationDefaults defaults;
    defaults.registry = parsed->domain();
    defaults.ns = slash < 0 ? QString() : path.left(slash);
    defaults.repository = path.mid(slash + 1);
    defaults.tag = parsed->tag().isEmpty() ? QStringLiteral("latest") : parsed->tag();
    if (!hasRegistryOfItsOwn(*parsed)) {
        defaults.registry = ImageReference::dockerHubDomain();
        defaults.ns = hubUser;
    } else if (parsed->isDockerHub() && defaults.ns == u"library") {
        // Only Docker's own may push official images; the user's copy goes under their name.
        defaults.ns = hubUser;
    }
    return defaults;
}

DestinationDefaults destinationDefaults(const QStringList &images, const QString &hubUser)
{
    if (images.size() == 1)
        return destinationDefaults(images.first(), hubUser);
    std::optional<DestinationDefaults> shared;
    for (const QString &image : images) {
        DestinationDefaults one = destinationDefaults(image, hubUser);
        one.repository.clear();
        one.tag.clear();
        if (shared && *shared != one)
            return dockerHubFor(hubUser);
        shared = one;
    }
    return shared.value_or(dockerHubFor(hubUser));
}

QStringList destinationRegistries(const QStringList &added, const QStringList &withLogins)
{
    QStringList registries{ImageReference::dockerHubDomain()};
    for (const QStringList *list : {&added, &withLogins}) {
        for (const QString &registry : *list) {
            const QString normalized = ImageReference::normalizeRegistry(registry);
            if (!normalized.isEmpty() && !registries.contains(normalized))
                registries.append(normalized);
        }
    }
    return registries;
}

} // namespace Berth
