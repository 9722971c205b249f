#include "archive/imagesave.h"

#include "oci/mediatypes.h"
#include "oci/ocilayout.h"
#include "oci/storedimage.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

QString blobName(const Digest &digest)
{
    return u"blobs/"_s + digest.algorithm() + u'/' + digest.encoded();
}

// One image of manifest.json: docker groups the tags of an image on one element.
struct SavedImage
{
    Digest configDigest;
    QStringList layers;
    QStringList repoTags;
};

// What the archive will hold, gathered from the names before anything is written.
struct SavePlan
{
    QList<Descriptor> indexEntries;
    QList<SavedImage> saved;
    QHash<QString, int> savedById;
    QJsonObject repositories;
    QStringList blobs; // digests, each once, in the order first reached
    QSet<QString> seenBlobs;
    QSet<QString> seenEntries;
};

// Every blob the image reaches, once; an image missing one cannot be saved.
Status
addBlobs(SavePlan &plan, const OciStore &store, const StoredImage &image, const QString &name)
{
    QStringList missing;
    for (const QString &d : store.reachableBlobs(image.entry.descriptor, &missing)) {
        if (!plan.seenBlobs.contains(d)) {
            plan.seenBlobs.insert(d);
            plan.blobs << d;
        }
    }
    if (!missing.isEmpty())
        return fail(Error::Kind::NotFound,
                    tr("Image %1 is incomplete in the store (%2 is missing); pull it again "
                       "or run 'berthctl fsck'.")
                        .arg(name, missing.first()));
    return {};
}

// The manifest.json element of the image, made on its first name.
int savedImageFor(SavePlan &plan, const StoredImage &image)
{
    const QString id = image.imageId.toString();
    auto it = plan.savedById.constFind(id);
    if (it != plan.savedById.cend())
        return *it;
    SavedImage s;
    s.configDigest = image.imageId;
    for (const Descriptor &layer : image.manifest.layers)
        s.layers << blobName(layer.digest);
    plan.saved << s;
    return *plan.savedById.insert(id, int(plan.saved.size()) - 1);
}

// The tag goes on the image's manifest.json element, into repositories, and on its index.json
// entry as annotations.
void addTag(SavePlan &plan, int saved, const StoredImage &image, Descriptor &d)
{
    const ImageReference &ref = *image.reference;
    const QString familiar = ref.familiarString();
    if (!plan.saved[saved].repoTags.contains(familiar))
        plan.saved[saved].repoTags << familiar;
    QJsonObject tags = plan.repositories.value(ref.familiarRepository()).toObject();
    tags.insert(ref.tag(), image.imageId.encoded());
    plan.repositories.insert(ref.familiarRepository(), tags);
    d.annotations.insert(QLatin1String(ContainerdNameAnnotation), ref.toString());
    d.annotations.insert(QLatin1String(RefNameAnnotation), ref.tag());
}

Status addImage(SavePlan &plan,
                const OciStore &store,
                const QList<StoredImage> &images,
                const QString &name)
{
    bool byId = false;
    auto found = resolveStoredImage(images, name, &byId);
    if (!found)
        return fail(found.error());
    const StoredImage &image = images.at(found->first());
    if (Status s = addBlobs(plan, store, image, name); !s)
        return s;
    const int saved = savedImageFor(plan, image);
    Descriptor d = image.entry.descriptor;
    d.annotations.clear();
    if (!byId && image.isTagged())
        addTag(plan, saved, image, d);
    const QString key
        = d.digest.toString() + u' ' + d.annotations.value(QLatin1String(ContainerdNameAnnotation));
    if (!plan.seenEntries.contains(key)) {
        plan.seenEntries.insert(key);
        plan.indexEntries << d;
    }
    return {};
}

// Bytes copied against the blobs' total, as the options' progress function wants them.
struct SaveProgress
{
    const SaveOptions &options;
    qint64 total = 0;
    qint64 done = 0;

    void report(const QString &item) const
    {
        if (options.progress)
            options.progress({item, done, total});
    }
};

Status writeBlobs(TarWriter &writer,
                  const OciStore &store,
                  const QStringList &blobs,
                  SaveProgress &progress)
{
    if (Status s = writer.addBytes(u"oci-layout"_s, R"({"imageLayoutVersion":"1.0.0"})"); !s)
        return s;
    if (Status s = writer.addDirectory(u"blobs"_s); !s)
        return s;
    if (Status s = writer.addDirectory(u"blobs/sha256"_s); !s)
        return s;
    for (const QString &d : blobs) {
        const Digest digest = *Digest::parse(d);
        progress.report(d);
        Status s = writer.addFile(blobName(digest), store.blobPath(digest), {}, [&](qint64 n) {
            progress.done += n;
            progress.report(d);
            return !progress.options.cancel.isCancelled();
        });
        if (!s)
            return s;
    }
    return {};
}

QByteArray manifestJson(const QList<SavedImage> &saved)
{
    QJsonArray manifest;
    for (const SavedImage &s : saved) {
        QJsonObject o{{u"Config"_s, blobName(s.configDigest)},
                      {u"RepoTags"_s,
                       s.repoTags.isEmpty() ? QJsonValue(QJsonValue::Null)
                                            : QJsonValue(QJsonArray::fromStringList(s.repoTags))},
                      {u"Layers"_s, QJsonArray::fromStringList(s.layers)}};
        manifest.append(o);
    }
    return QJsonDocument(manifest).toJson(QJsonDocument::Compact);
}

// What describes the blobs: index.json for OCI tools, manifest.json and repositories for docker.
Status writeIndexes(TarWriter &writer, const SavePlan &plan)
{
    if (Status s = writer.addBytes(u"index.json"_s, ociIndexJson(plan.indexEntries)); !s)
        return s;
    if (Status s = writer.addBytes(u"manifest.json"_s, manifestJson(plan.saved)); !s)
        return s;
    if (plan.repositories.isEmpty())
        return {};
    return writer.addBytes(u"repositories"_s,
                           QJsonDocument(plan.repositories).toJson(QJsonDocument::Compact));
}

} // namespace

Result<SaveResult> saveImageArchive(const OciStore &store,
                                    const QStringList &names,
                                    TarWriter &writer,
                                    const SaveOptions &options)
{
    if (names.isEmpty())
        return fail(Error::Kind::InvalidArgument, tr("Name at least one image to save."));
    auto entries = store.readIndex();
    if (!entries)
        return fail(entries.error());
    const QList<StoredImage> images = loadStoredImages(store, *entries);

    SavePlan plan;
    SaveResult result;
    for (const QString &name : names) {
        if (Status s = addImage(plan, store, images, name); !s)
            return fail(s.error());
        result.images << name;
    }
    SaveProgress progress{options};
    for (const QString &d : plan.blobs)
        progress.total += store.blobSize(*Digest::parse(d));
    if (Status s = writeBlobs(writer, store, plan.blobs, progress); !s)
        return fail(s.error());
    if (Status s = writeIndexes(writer, plan); !s)
        return fail(s.error());
    if (Status s = writer.finish(); !s)
        return fail(s.error());
    result.bytesWritten = writer.bytesWritten();
    progress.report({});
    return result;
}

} // namespace Berth
