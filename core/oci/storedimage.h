#pragma once

#include "ocilayout.h"

#include <QList>
#include <QString>

#include <optional>

namespace Berth {

// An index.json entry with what list and inspect show of it, read from its blobs.
struct StoredImage
{
    OciIndexEntry entry;
    std::optional<ImageReference> reference; // from ref.name; nullopt when untagged or unparsable
    Descriptor manifestDescriptor; // the image manifest (the host's when the entry is an index)
    ImageManifest manifest;
    ImageConfig config;
    Digest imageId;

    bool isTagged() const { return reference && !reference->tag().isEmpty(); }
};

Result<StoredImage> loadStoredImage(const OciStore &store, const OciIndexEntry &entry);
// Every readable entry; a damaged one is left out (fsck names it) rather than hiding the others.
QList<StoredImage> loadStoredImages(const OciStore &store, const QList<OciIndexEntry> &entries);
// What `nameOrId` names, the way docker resolves it: a reference first, then a full or short
// (at least 4 hex digits) image ID. Answers the indices of the matching images.
Result<QList<int>>
resolveStoredImage(const QList<StoredImage> &images, const QString &nameOrId, bool *byId = nullptr);

} // namespace Berth
