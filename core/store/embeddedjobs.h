#pragma once

// Inside the embedded backend only: the state of one pull or one push, which the steps in
// embeddedpull.cpp and embeddedpush.cpp pass along, and the small helpers they share with
// embeddedbackend.cpp.

#include "embeddedbackend.h"

#include "common/boundedparallel.h"
#include "oci/bloblease.h"
#include "oci/manifest.h"
#include "registry/registryclient.h"

#include <QHash>
#include <QStringList>

#include <memory>
#include <optional>

namespace Berth {

namespace Embedded {

// The ref.name a pull or tag records: tagged references by tag, digest-only ones by digest.
QString refNameOf(const ImageReference &reference);
// d as the index entry of refName: containerd's name always, the OCI ref.name only for a tag.
Descriptor taggedDescriptor(Descriptor d, const QString &refName);
TransferProgress progressLine(const QString &item,
                              TransferProgress::State state,
                              qint64 current,
                              qint64 total,
                              const QString &message = {});
Error cancelledError();

} // namespace Embedded

struct EmbeddedBackend::PullJob
{
    ImageReference reference;
    PullOptions options;
    Callback<PullResult> done;
    PullResult result;
    ManifestResponse top;
    std::optional<ImageIndex> index;
    QList<Descriptor> manifestDescriptors; // the image manifests to store
    QList<ManifestResponse> manifests;     // their bodies, same order
    QList<Descriptor> blobs;               // configs and layers, each digest once
    QList<Descriptor> missing;             // of blobs, those the store lacks
    QStringList committed;                 // blobs this pull stored: discarded on failure
    QHash<QString, qint64> transferred;    // per blob, for the total line
    QHash<QString, Digest> diffIds;        // layer digest -> diff_id, of the layers fetched
    qint64 totalBytes = 0;
    int retries = 0; // times blobs went missing (a prune or rmi elsewhere) and were fetched again
    // Keeps collections elsewhere off what this pull needs until its tag is written.
    std::shared_ptr<OciBlobLease> lease;
    // The registry client's word on mirrors (served by one, fell back past one), shown as a line
    // of the pull's details until the pull ends.
    QMetaObject::Connection sourceReports;

    // Every blob the tag will reach: manifests (and the index), configs and layers.
    QStringList neededDigests() const;
    // The image manifests to store: the top one, or the platforms chosen from its index. Answers
    // whether those platforms' manifests are still to be fetched.
    Result<bool> planPlatforms();
    // The configs and layers of the manifests, each once, and the image ID the pull answers.
    Status planBlobs();
    // The store has all but `missing`: the others are reported skipped, the missing waiting.
    void setMissing(QList<Descriptor> missing);
    // Starts over after another process removed blobs the tag needs.
    void resetForRetry();
    // The index entry the tag gets: the index for all platforms, else the one image manifest.
    Descriptor indexEntry() const;

    void report(const TransferProgress &p) const
    {
        if (options.progress)
            options.progress(p);
    }
    void reportTotal() const;
};

struct PushBlob
{
    Descriptor descriptor;
    QString path;
};

struct EmbeddedBackend::PushJob
{
    ImageReference reference;
    PushOptions options;
    Callback<PushResult> done;
    PushResult result;
    QList<PushBlob> blobs;
    // Manifests in the order they go up: platform manifests first, the tagged one last.
    QList<std::pair<Descriptor, QByteArray>> manifests;
    QHash<QString, QStringList> sources;
    QStringList pushed; // blobs now in the destination repository

    void report(const TransferProgress &p) const
    {
        if (options.progress)
            options.progress(p);
    }
};

// One blob of a push: already there (HEAD), mounted from another repository of the registry, or
// uploaded, in that order.
struct EmbeddedBackend::BlobPush
{
    PushBlob blob;
    QString item;
    qint64 size = 0;
    QStringList mountFrom; // other repositories of the same registry this blob came from
    StepDone done;
};

} // namespace Berth
