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

    QList<Descriptor> indexEntries;
    QList<SavedImage> saved;
    QHash<QString, int> savedById;
    QJsonObject repositories;
    QStringList blobs;
    QSet<QString> seenBlobs;
    QSet<QString> seenEntries;
    SaveResult result;

    for (const QString &name : names) {
        bool byId = false;
        auto found = resolveStoredImage(images, name, &byId);
        if (!found)
            return fail(found.error());
        const StoredImage &image = images.at(found->first());

        QStringList missing;
        for (const QString &d : store.reachableBlobs(image.entry.descriptor, &missing)) {
            if (!seenBlobs.contains(d)) {
                seenBlobs.insert(d);
                blobs << d;
            }
        }
        if (!missing.isEmpty())
            return fail(Error::Kind::NotFound,
                        tr("Image %1 is incomplete in the store (%2 is missing); pull it again "
                           "or run 'berthctl fsck'.")
                            .arg(name, missing.first()));

        const QString id = image.imageId.toString();
        auto it = savedById.constFind(id);
        if (it == savedById.cend()) {
            SavedImage s;
            s.configDigest = image.imageId;
            for (const Descriptor &layer : image.manifest.layers)
                s.layers << blobName(layer.digest);
            it = savedById.insert(id, int(saved.size()));
            saved << s;
        }

        Descriptor d = image.entry.descriptor;
        d.annotations.clear();
        if (!byId && image.isTagged()) {
            const ImageReference &ref = *image.reference;
            const QString familiar = ref.familiarString();
            if (!saved[*it].repoTags.contains(familiar))
                saved[*it].repoTags << familiar;
            QJsonObject tags = repositories.value(ref.familiarRepository()).toObject();
            tags.insert(ref.tag(), image.imageId.encoded());
            repositories.insert(ref.familiarRepository(), tags);
            d.annotations.insert(QLatin1String(ContainerdNameAnnotation), ref.toString());
            d.annotations.insert(QLatin1String(RefNameAnnotation), ref.tag());
        }
        const QString key = d.digest.toString() + u' '
                            + d.annotations.value(QLatin1String(ContainerdNameAnnotation));
        if (!seenEntries.contains(key)) {
            seenEntries.insert(key);
            indexEntries << d;
        }
        result.images << name;
    }

    qint64 total = 0;
    for (const QString &d : blobs)
        total += store.blobSize(*Digest::parse(d));
    qint64 done = 0;
    auto report = [&](const QString &item) {
        if (options.progress)
            options.progress({item, done, total});
    };

    if (Status s = writer.addBytes(u"oci-layout"_s, R"({"imageLayoutVersion":"1.0.0"})"); !s)
        return fail(s.error());
    if (Status s = writer.addDirectory(u"blobs"_s); !s)
        return fail(s.error());
    if (Status s = writer.addDirectory(u"blobs/sha256"_s); !s)
        return fail(s.error());
    for (const QString &d : blobs) {
        const Digest digest = *Digest::parse(d);
        report(d);
        Status s = writer.addFile(blobName(digest), store.blobPath(digest), {}, [&](qint64 n) {
            done += n;
            report(d);
            return !options.cancel.isCancelled();
        });
        if (!s)
            return fail(s.error());
    }

    if (Status s = writer.addBytes(u"index.json"_s, ociIndexJson(indexEntries)); !s)
        return fail(s.error());
    QJsonArray manifest;
    for (const SavedImage &s : saved) {
        QJsonObject o{{u"Config"_s, blobName(s.configDigest)},
                      {u"RepoTags"_s,
                       s.repoTags.isEmpty() ? QJsonValue(QJsonValue::Null)
                                            : QJsonValue(QJsonArray::fromStringList(s.repoTags))},
                      {u"Layers"_s, QJsonArray::fromStringList(s.layers)}};
        manifest.append(o);
    }
    if (Status s = writer.addBytes(u"manifest.json"_s,
                                   QJsonDocument(manifest).toJson(QJsonDocument::Compact));
        !s)
        return fail(s.error());
    if (!repositories.isEmpty()) {
        if (Status s = writer.addBytes(u"repositories"_s,
                                       QJsonDocument(repositories).toJson(QJsonDocument::Compact));
            !s)
            return fail(s.error());
    }
    if (Status s = writer.finish(); !s)
        return fail(s.error());
    result.bytesWritten = writer.bytesWritten();
    report({});
    return result;
}

} // namespace Berth
