#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"
#include "store/imagebackend.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace Berth {

class RegistryClient;

// One platform's image in a manifest list being built: where its manifest lives (repository and
// digest) and the descriptor the index will carry, its platform read from the image's config.
struct ManifestListEntry
{
    ImageReference source; // repository@digest
    Descriptor descriptor; // mediaType, digest, size, platform
    // The source as the user named it ("repo:arm64", or the index it came from), for messages;
    // not kept in the local file (invalid there, and messages then name `source`).
    ImageReference givenAs;

    QString displayName() const { return (givenAs.isValid() ? givenAs : source).toString(); }
};

// A multi-platform image being put together before it is pushed, as `docker manifest create`
// keeps one: the tag it will be pushed to and the platform images it will list.
struct ManifestList
{
    ImageReference target; // repository:tag
    QList<ManifestListEntry> entries;

    // A Docker manifest list when every entry is a Docker schema 2 manifest (what docker itself
    // writes for such sources), else an OCI image index.
    QString mediaType() const;
    ImageIndex index() const;
    // The index's bytes as `push` sends them; their sha256 is the pushed digest.
    QByteArray indexJson() const;
    Digest indexDigest() const;

    // Adds entries, refusing (naming both sources) one whose platform another entry already has
    // with a different digest; an entry already in the list (same digest) is left as it is.
    Status add(const QList<ManifestListEntry> &more);
};

// A target a list can be pushed to: a repository and a tag, no digest (the index's digest is only
// known once it is written).
Result<ImageReference> manifestListTarget(const QString &text);

// Reads what each source is: an image manifest gives one entry, its platform from its config; an
// index (or manifest list) gives one entry per platform image it lists, attestations left out.
void resolveManifestListSources(RegistryClient &client,
                                const QList<ImageReference> &sources,
                                CancelToken cancel,
                                std::function<void(Result<QList<ManifestListEntry>>)> done);

struct ManifestPushOptions
{
    CancelToken cancel;
    // Each source image copied into the target's repository: its digest (item) and the copy's
    // blob progress, as copyImage reports it; a Done with item "" at the end.
    std::function<void(const TransferProgress &)> progress;
};

struct ManifestPushResult
{
    ImageReference target;
    Digest digest; // as the registry stored the index
    QString mediaType;
    int imagesCopied = 0; // sources brought into the target's repository first
    int blobsCopied = 0;
    int blobsMounted = 0;
    int blobsSkipped = 0;
};

// Pushes a list: every source not in the target's repository is first copied there by digest
// (mounted on one registry), then the index is written under the target's tag.
void pushManifestList(RegistryClient &client,
                      const ManifestList &list,
                      ManifestPushOptions options,
                      std::function<void(Result<ManifestPushResult>)> done);

} // namespace Berth
