#include "embeddedbackend.h"
#include "embeddedjobs.h"

#include "oci/bloblease.h"
#include "oci/storedimage.h"

#include "common/boundedparallel.h"
#include "common/logging.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QIODevice>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Berth {

namespace Embedded {

QString refNameOf(const ImageReference &reference)
{
    if (!reference.tag().isEmpty())
        return OciStore::refNameFor(reference.withTag(reference.tag()));
    return OciStore::refNameFor(reference);
}

Descriptor taggedDescriptor(Descriptor d, const QString &refName)
{
    d.annotations.remove(QLatin1String(RefNameAnnotation));
    d.annotations.insert(QLatin1String(ContainerdNameAnnotation), refName);
    if (refName.contains(u'@'))
        return d; // untagged: a digest is no tag, skopeo and prune treat it as such
    d.annotations.insert(QLatin1String(RefNameAnnotation), refName);
    return d;
}

TransferProgress progressLine(const QString &item,
                              TransferProgress::State state,
                              qint64 current,
                              qint64 total,
                              const QString &message)
{
    TransferProgress p;
    p.item = item;
    p.state = state;
    p.current = current;
    p.total = total;
    p.message = message;
    return p;
}

Error cancelledError()
{
    return Error::make(Error::Kind::Cancelled, Berth::tr("Cancelled."));
}

} // namespace Embedded

using Embedded::refNameOf;
using Embedded::taggedDescriptor;

// ---- EmbeddedBackend

EmbeddedBackend::EmbeddedBackend(const QString &storePath, RegistryClient *client, QObject *parent)
    : ImageBackend(parent)
    , m_store(storePath)
    , m_client(client)
{}

QString EmbeddedBackend::description() const
{
    return tr("Embedded store at %1").arg(QDir::toNativeSeparators(m_store.path()));
}

void EmbeddedBackend::listImages(Callback<QList<LocalImage>> done)
{
    const OciStore store = m_store;
    inBackground<QList<LocalImage>>(
        [store]() -> Result<QList<LocalImage>> {
            auto entries = store.readIndex();
            if (!entries)
                return fail(entries.error());
            QList<LocalImage> out;
            QHash<QString, int> byId;
            for (const StoredImage &image : loadStoredImages(store, *entries)) {
                const QString id = image.imageId.toString();
                auto it = byId.constFind(id);
                if (it == byId.cend()) {
                    LocalImage local;
                    local.id = image.imageId;
                    local.created = image.config.created;
                    local.size = image.manifest.layersSize();
                    local.platform = image.config.platform;
                    it = byId.insert(id, int(out.size()));
                    out << local;
                }
                LocalImage &local = out[*it];
                if (image.reference) {
                    if (image.isTagged()
                        && !local.repoTags.contains(image.reference->familiarString()))
                        local.repoTags << image.reference->familiarString();
                    // Only what came from a registry has a repository digest (as docker's
                    // RepoDigests): an imported, loaded or retagged image has none.
                    const QString registryDigest = image.entry.descriptor.annotations.value(
                        QLatin1String(RegistryDigestAnnotation));
                    const QString repoDigest
                        = image.reference->familiarRepository() + u'@' + registryDigest;
                    if (!registryDigest.isEmpty() && !local.repoDigests.contains(repoDigest))
                        local.repoDigests << repoDigest;
                }
            }
            std::sort(out.begin(), out.end(), [](const LocalImage &a, const LocalImage &b) {
                return a.created > b.created;
            });
            return out;
        },
        std::move(done));
}

void EmbeddedBackend::inspectImage(const QString &nameOrId, Callback<LocalImageDetails> done)
{
    const OciStore store = m_store;
    inBackground<LocalImageDetails>(
        [store, nameOrId]() -> Result<LocalImageDetails> {
            auto entries = store.readIndex();
            if (!entries)
                return fail(entries.error());
            const QList<StoredImage> images = loadStoredImages(store, *entries);
            auto found = resolveStoredImage(images, nameOrId);
            if (!found)
                return fail(found.error());
            const StoredImage &image = images.at(found->first());
            LocalImageDetails details;
            details.image.id = image.imageId;
            details.image.created = image.config.created;
            details.image.size = image.manifest.layersSize();
            details.image.platform = image.config.platform;
            for (const StoredImage &other : images) {
                if (other.imageId == image.imageId && other.isTagged())
                    details.image.repoTags << other.reference->familiarString();
            }
            details.manifestDigest = image.manifestDescriptor.digest;
            details.manifestMediaType = image.manifestDescriptor.mediaType;
            details.config = image.config;
            details.layers = image.manifest.layers;
            return details;
        },
        std::move(done));
}

void EmbeddedBackend::tag(const QString &source, const ImageReference &target, Callback<void> done)
{
    if (target.tag().isEmpty() || target.hasDigest())
        return done(fail(Error::Kind::InvalidArgument,
                         tr("%1 cannot be a tag: give a name with a tag, without a digest.")
                             .arg(target.toString())));
    const OciStore store = m_store;
    inBackground<void>(
        [store, source, target]() -> Status {
            return store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
                const QList<StoredImage> images = loadStoredImages(store, entries);
                auto found = resolveStoredImage(images, source);
                if (!found)
                    return fail(found.error());
                const StoredImage &image = images.at(found->first());
                const QString refName = refNameOf(target);
                entries.removeIf([&](const OciIndexEntry &e) { return e.refName() == refName; });
                Descriptor d = image.entry.descriptor;
                // The registry digest belongs to the source repository; the new name has none yet.
                d.annotations.remove(QLatin1String(RegistryDigestAnnotation));
                entries.append(OciIndexEntry{taggedDescriptor(d, refName)});
                return {};
            });
        },
        std::move(done));
}

void EmbeddedBackend::remove(const QString &nameOrId, bool force, Callback<RemoveResult> done)
{
    const OciStore store = m_store;
    inBackground<RemoveResult>(
        [store, nameOrId, force]() -> Result<RemoveResult> {
            RemoveResult result;
            Status s = store.updateIndex([&](QList<OciIndexEntry> &entries) -> Status {
                const QList<StoredImage> images = loadStoredImages(store, entries);
                bool byId = false;
                auto found = resolveStoredImage(images, nameOrId, &byId);
                if (!found)
                    return fail(found.error());
                const Digest id = images.at(found->first()).imageId;
                QSet<QString> removeRefs;
                QList<int> targets = *found;
                if (byId) {
                    int tagged = 0;
                    for (int i : targets)
                        tagged += images.at(i).isTagged() ? 1 : 0;
                    if (tagged > 1 && !force)
                        return fail(Error::Kind::InvalidArgument,
                                    tr("Image %1 has several tags; remove them one by one, or "
                                       "force the removal.")
                                        .arg(id.shortId()));
                }
                QList<Descriptor> removed;
                for (int i : targets) {
                    const StoredImage &image = images.at(i);
                    if (image.isTagged())
                        result.untagged << image.reference->familiarString();
                    removed << image.entry.descriptor;
                }
                entries.removeIf([&](const OciIndexEntry &e) {
                    return std::any_of(removed.cbegin(), removed.cend(), [&](const Descriptor &d) {
                        return d.digest == e.descriptor.digest
                               && d.annotations == e.descriptor.annotations;
                    });
                });
                const bool stillUsed
                    = std::any_of(entries.cbegin(), entries.cend(), [&](const OciIndexEntry &e) {
                          return std::any_of(
                              images.cbegin(), images.cend(), [&](const StoredImage &image) {
                                  return image.imageId == id
                                         && image.entry.descriptor.digest == e.descriptor.digest
                                         && image.entry.descriptor.annotations
                                                == e.descriptor.annotations;
                              });
                      });
                if (!stillUsed)
                    result.deleted << id.toString();
                return {};
            });
            if (!s)
                return fail(s.error());
            if (!result.deleted.isEmpty()) {
                // The image's blobs go with its last tag, as `docker rmi` frees its layers.
                if (auto gc = store.collectGarbage(); !gc)
                    qCWarning(lcStore)
                        << "could not free the blobs of" << result.deleted << gc.error().message;
            }
            return result;
        },
        std::move(done));
}

void EmbeddedBackend::prune(PruneOptions options, Callback<PruneResult> done)
{
    const OciStore store = m_store;
    inBackground<PruneResult>(
        [store, options]() -> Result<PruneResult> {
            auto report = store.prune(options.all);
            if (!report)
                return fail(report.error());
            PruneResult result;
            for (const QString &name : std::as_const(report->removedEntries)) {
                auto ref = ImageReference::parse(name);
                result.removed << (ref ? ref->familiarString() : name);
            }
            result.reclaimedBytes = report->reclaimedBytes;
            return result;
        },
        std::move(done));
}

void EmbeddedBackend::fsck(FsckOptions options, CancelToken cancel, Callback<FsckReport> done)
{
    const OciStore store = m_store;
    inBackground<FsckReport>(
        [store, options, cancel]() -> Result<FsckReport> {
            return store.fsck(options, [cancel] { return cancel.isCancelled(); });
        },
        std::move(done));
}

} // namespace Berth
