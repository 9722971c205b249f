#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "imagefiles/contentssource.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Berth {

class TarReader;

// What an image archive (`docker save`, `podman save`, skopeo's docker-archive and oci-archive,
// Berth's own save) holds, from one pass over its headers that keeps only the small JSON files
// (manifest.json, index.json, manifests, configurations) and skips every layer's data (a seek
// when the archive is a plain tar on disk).
struct ArchiveCatalogue
{
    struct File
    {
        qint64 size = 0;
        QByteArray head; // the first bytes: the compression magic of a layer
    };
    QString archive;                 // names the archive in messages
    QHash<QString, File> files;      // normalised path → file
    QHash<QString, QString> links;   // normalised path → the path it links to
    QHash<QString, QByteArray> json; // the JSON files kept, by path
    qint64 jsonBytes = 0;

    // `path` with links followed (at most a few hops): the file that holds its bytes, or "".
    QString resolve(const QString &path) const;
};

// One image of an archive: how it is named there, what it is, and which file holds each layer.
struct ArchiveImage
{
    QStringList names; // its tags (RepoTags, ref.name annotations)
    ContentsImage image;
    QStringList layerFiles;        // normalised paths of the files holding the layers, bottom first
    bool blobDigestsKnown = false; // every layer's blob digest is known before reading it
};

// Reads the headers and the JSON files. `cancel` is polled between entries.
Result<ArchiveCatalogue> readCatalogue(TarReader &reader, const CancelToken &cancel);
// The entry whose header `reader` has just read, into the catalogue (its data read or skipped).
Status catalogueEntry(TarReader &reader, ArchiveCatalogue &catalogue);

// The images the catalogue describes: manifest.json's when there is one, else index.json's
// (an index entry resolved to the host's platform, or the first platform the archive holds).
Result<QList<ArchiveImage>> archiveImages(const ArchiveCatalogue &catalogue);

// The image `wanted` names (a reference, a tag as the archive stores it, or an image ID, full
// or a prefix of at least 4 hex digits); empty: the only image. The errors list the images.
Result<ArchiveImage>
pickArchiveImage(const QList<ArchiveImage> &images, const QString &wanted, const QString &archive);

// The layers of `config` with the history steps that made them (non-empty-layer history
// entries, in order), for sources whose config comes first.
void attachHistory(ContentsImage &image);

} // namespace Berth
