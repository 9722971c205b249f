#include "manifestlist.h"

#include "common/sha256.h"
#include "oci/mediatypes.h"

namespace Berth {

QString ManifestList::mediaType() const
{
    const bool allDocker
        = !entries.isEmpty() && std::all_of(entries.begin(), entries.end(), [](const auto &entry) {
              return entry.descriptor.mediaType == QLatin1String(MediaType::DockerManifest);
          });
    return QLatin1String(allDocker ? MediaType::DockerManifestList : MediaType::OciIndex);
}

ImageIndex ManifestList::index() const
{
    ImageIndex index;
    index.mediaType = mediaType();
    for (const ManifestListEntry &entry : entries)
        index.manifests.append(entry.descriptor);
    return index;
}

QByteArray ManifestList::indexJson() const
{
    return toJson(index());
}

Digest ManifestList::indexDigest() const
{
    return *Digest::parse(Sha256::digestOf(indexJson()));
}

Status ManifestList::add(const QList<ManifestListEntry> &more)
{
    QList<ManifestListEntry> merged = entries;
    for (const ManifestListEntry &entry : more) {
        const auto same = std::find_if(merged.begin(), merged.end(), [&](const auto &known) {
            return known.descriptor.platform == entry.descriptor.platform;
        });
        if (same == merged.end()) {
            merged.append(entry);
            continue;
        }
        if (same->descriptor.digest == entry.descriptor.digest)
            continue;
        return fail(
            Error::Kind::InvalidArgument,
            Berth::tr("%1 and %2 are both for the platform %3: a multi-platform image can list "
                      "only one image per platform.")
                .arg(same->displayName(),
                     entry.displayName(),
                     entry.descriptor.platform->toString()));
    }
    entries = std::move(merged);
    return {};
}

Result<ImageReference> manifestListTarget(const QString &text)
{
    auto target = ImageReference::parse(text);
    if (!target)
        return target;
    if (target->hasDigest())
        return fail(
            Error::Kind::InvalidArgument,
            Berth::tr("The multi-platform image %1 needs a tag, not a digest: its digest is "
                      "only known once it is pushed.")
                .arg(text));
    return target;
}

} // namespace Berth
