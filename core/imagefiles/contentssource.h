#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "oci/blobsink.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace Berth {

class ImageBackend;
class RegistryClient;

// One layer of an image being looked at: its blob as stored and its diff_id (the cache's key).
struct ContentsLayer
{
    Descriptor blob;   // digest, media type and size as the manifest (or archive) gives them
    Digest diffId;     // from the configuration's rootfs.diff_ids
    QString createdBy; // the history step that made it, when the history says
};

struct ContentsImage
{
    QString name;          // as the user named it: "debian:12", "archive:app.tar:app:1.0"
    Digest manifestDigest; // the platform manifest's digest, when there is one
    Digest configDigest;   // the image ID
    ImageConfig config;
    QList<ContentsLayer> layers; // bottom first
};

// Where an image's layers come from. Callbacks come on the thread that owns the source (the
// GUI's or berthctl's main thread); sinks are written on a worker or transfer thread, one write
// after another. A sink that fails its write stops that layer's stream (LayerFileExtractor does
// so once it has what it wants).
class ContentsSource
{
public:
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    struct FetchOptions
    {
        std::function<void(qint64 done, qint64 total)> progress; // bytes of the layers asked for
        CancelToken cancel;
        int parallel = 3; // layers in flight at once where the source can (a registry)
    };

    virtual ~ContentsSource() = default;
    // "debian:12 from 127.0.0.1:5000", "app.tar", "node:22 in Docker Engine": for messages.
    virtual QString displayName() const = 0;
    // Manifest and configuration: the layer list, without fetching any layer.
    virtual void describe(Callback<ContentsImage> done) = 0;
    // Streams the blobs of `layers` (positions in ContentsImage::layers) into sinkFor(position),
    // each from its first byte; done() once all have ended or at the first failure (the others
    // stopped). A sink's own failure comes back as it was.
    virtual void fetchLayers(const QList<int> &layers,
                             std::function<BlobSink *(int)> sinkFor,
                             FetchOptions options,
                             std::function<void(Status)> done)
        = 0;
};

// A source that learns the layer list by describing the image: fetchLayers() describes first when
// that has not happened yet, then hands over to fetchDescribed().
class DescribingContentsSource : public ContentsSource
{
public:
    void fetchLayers(const QList<int> &layers,
                     std::function<BlobSink *(int)> sinkFor,
                     FetchOptions options,
                     std::function<void(Status)> done) final;

protected:
    virtual bool isDescribed() const = 0;
    virtual void fetchDescribed(const QList<int> &layers,
                                std::function<BlobSink *(int)> sinkFor,
                                FetchOptions options,
                                std::function<void(Status)> done)
        = 0;
};

// A tag or digest in a registry; `platform` picks from an index (default: the host's).
std::unique_ptr<ContentsSource> registryContentsSource(RegistryClient &client,
                                                       ImageReference reference,
                                                       std::optional<Platform> platform = {});
// A `docker save` / `podman save` / skopeo / OCI archive on disk (plain or compressed). `image`
// picks one of several images by reference or ID; empty: the only one (an error lists them when
// there are several).
std::unique_ptr<ContentsSource> archiveContentsSource(QString path, QString image = {});
// An image of a backend (embedded store, Docker, Podman): described by inspect, layers read from
// the backend's own `save` stream (never written to disk).
std::unique_ptr<ContentsSource> backendContentsSource(ImageBackend &backend, QString nameOrId);

} // namespace Berth
