#include "storedimage.h"

#include "common/logging.h"
#include "oci/mediatypes.h"

#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Berth {

Result<StoredImage> loadStoredImage(const OciStore &store, const OciIndexEntry &entry)
{
    StoredImage image;
    image.entry = entry;
    // An image pulled by digest has no ref.name (it has no tag) but keeps its name for display.
    const QString name
        = entry.refName().isEmpty()
              ? entry.descriptor.annotations.value(QLatin1String(ContainerdNameAnnotation))
              : entry.refName();
    if (!name.isEmpty()) {
        if (auto ref = ImageReference::parse(name))
            image.reference = *ref;
    }
    Descriptor manifestDescriptor = entry.descriptor;
    if (MediaType::isIndex(manifestDescriptor.mediaType)) {
        auto body = store.readBlob(manifestDescriptor.digest, MaxManifestSize);
        if (!body)
            return fail(body.error());
        auto index = parseImageIndex(*body, manifestDescriptor.mediaType);
        if (!index)
            return fail(index.error());
        auto selected = index->select(Platform::host());
        if (!selected) {
            const auto platforms = index->platforms();
            if (platforms.isEmpty())
                return fail(Error::Kind::Unsupported,
                            tr("Image %1 has no platform.").arg(entry.refName()));
            selected = index->select(platforms.first());
        }
        if (!selected)
            return fail(Error::Kind::Unsupported,
                        tr("Image %1 has no platform.").arg(entry.refName()));
        manifestDescriptor = *selected;
    }
    auto body = store.readBlob(manifestDescriptor.digest, MaxManifestSize);
    if (!body)
        return fail(body.error());
    auto manifest = parseImageManifest(*body, manifestDescriptor.mediaType);
    if (!manifest)
        return fail(manifest.error());
    auto configBody = store.readBlob(manifest->config.digest, MaxConfigSize);
    if (!configBody)
        return fail(configBody.error());
    auto config = parseImageConfig(*configBody);
    if (!config)
        return fail(config.error());
    image.manifestDescriptor = manifestDescriptor;
    image.manifestDescriptor.mediaType
        = manifest->mediaType.isEmpty() ? manifestDescriptor.mediaType : manifest->mediaType;
    image.manifest = *manifest;
    image.config = *config;
    image.imageId = manifest->config.digest;
    return image;
}

QList<StoredImage> loadStoredImages(const OciStore &store, const QList<OciIndexEntry> &entries)
{
    QList<StoredImage> images;
    for (const OciIndexEntry &e : entries) {
        auto image = loadStoredImage(store, e);
        if (image)
            images << *image;
        else
            qCWarning(lcStore) << "skipping" << e.refName() << e.descriptor.digest.toString()
                               << image.error().message;
    }
    return images;
}

Result<QList<int>>
resolveStoredImage(const QList<StoredImage> &images, const QString &nameOrId, bool *byId)
{
    if (byId)
        *byId = false;
    const QString text = nameOrId.trimmed();
    if (!text.startsWith(u"sha256:")) {
        if (auto ref = ImageReference::parse(text)) {
            for (int i = 0; i < images.size(); ++i) {
                const Descriptor &d = images.at(i).entry.descriptor;
                if (images.at(i).entry.refName() == OciStore::refNameFor(*ref)
                    || d.annotations.value(QLatin1String(ContainerdNameAnnotation))
                           == ref->toString())
                    return QList<int>{i};
            }
        }
    }
    static const QRegularExpression hex(u"^(sha256:)?([0-9a-f]{4,64})$"_s);
    const auto match = hex.match(text);
    if (match.hasMatch()) {
        const QString prefix = match.captured(2);
        const bool full = !match.captured(1).isEmpty();
        QList<int> found;
        QSet<QString> ids;
        for (int i = 0; i < images.size(); ++i) {
            const QString id = images.at(i).imageId.encoded();
            if (full ? id == prefix : id.startsWith(prefix)) {
                found << i;
                ids.insert(id);
            }
        }
        if (ids.size() > 1)
            return fail(
                Error::Kind::InvalidArgument,
                tr("The short image ID %1 matches several images; give more of it.").arg(text));
        if (!found.isEmpty()) {
            if (byId)
                *byId = true;
            return found;
        }
    }
    return fail(Error::Kind::NotFound, tr("No such image: %1").arg(text));
}

} // namespace Berth
