#pragma once

#include "common/result.h"
#include "oci/blobsink.h"
#include "reference/imagereference.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace Berth {

struct ImageConfig;
struct ImageManifest;

// Judges a layer while it streams past — a pull's download, a load's archive entry — so that a
// layer that is no tar, or names a file outside the root (`..`, an absolute path, a hard link
// leaving it), is refused when it arrives instead of failing the export that flattens it. On a
// thread of its own it decompresses the bytes (gzip, zstd, or none, recognised from the content),
// hashes the uncompressed tar (the layer's diff_id) and reads every header through
// checkArchiveEntry(ArchiveKind::Filesystem); entry data is skipped, never kept. Memory is
// bounded: feed() waits while the thread is more than a few MiB behind.
class LayerVerifier final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    // `layer` names the layer in messages ("Layer sha256:… of busybox:1.0"), `name` is what the
    // archive reader's own messages call it (its digest, its entry name).
    LayerVerifier(QString layer, QString name);
    ~LayerVerifier();
    Q_DISABLE_COPY_MOVE(LayerVerifier)

    // The next bytes of the layer. Fails as soon as the layer is known to be bad.
    Status feed(QByteArray data);
    // The source starts again from the first byte (a server that ignored a Range request).
    void restart();
    // The end of the layer: waits for the thread, answers the diff_id or why the layer is refused.
    // An uncompressed layer answers an invalid Digest: its diff_id is its own digest, which the
    // caller computes anyway.
    Result<Digest> finish();

private:
    struct Shared;
    void start();
    void stop();
    QString m_layer;
    QString m_name;
    std::shared_ptr<Shared> m_shared;
};

// A pull's sink for a layer: the store's temp file gets every byte, and so does the verifier.
class LayerCheckingSink final : public BlobSink
{
public:
    LayerCheckingSink(BlobSink *target, QString layer, QString name)
        : m_target(target)
        , m_verifier(std::move(layer), std::move(name))
    {}
    Status write(QByteArrayView data) override;
    Status restart() override;
    Result<Digest> finish() { return m_verifier.finish(); }

private:
    BlobSink *m_target;
    LayerVerifier m_verifier;
};

// Whether a media type is that of a filesystem layer (a tar, compressed or not).
bool isTarLayerMediaType(QStringView mediaType);

// Compares the diff_ids of the layers verified on arrival (`verified`: layer digest → diff_id)
// with the image configuration's rootfs.diff_ids. `image` names the image in the message.
Status checkDiffIds(const ImageManifest &manifest,
                    const ImageConfig &config,
                    const QHash<QString, Digest> &verified,
                    const QString &image);

} // namespace Berth
