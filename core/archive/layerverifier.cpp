#include "archive/layerverifier.h"

#include "archive/layerstream.h"
#include "oci/manifest.h"

#include <optional>

namespace Berth {

struct LayerVerifier::Shared
{
    std::optional<Error> error;
    Digest diffId;
    std::unique_ptr<LayerPump> pump; // last: it stops its thread before the verdict goes
};

LayerVerifier::LayerVerifier(QString layer, QString name)
    : m_layer(std::move(layer))
    , m_name(std::move(name))
{
    start();
}

LayerVerifier::~LayerVerifier()
{
    stop();
}

void LayerVerifier::start()
{
    m_shared = std::make_shared<Shared>();
    m_shared->pump = std::make_unique<LayerPump>(
        [shared = m_shared.get(), layer = m_layer, name = m_name](TarReader::BlockFunction read) {
            auto verdict = readLayer(std::move(read), layer, name);
            if (!verdict) {
                shared->error = verdict.error();
                return false;
            }
            shared->diffId = verdict->diffId;
            return true;
        });
}

void LayerVerifier::stop()
{
    m_shared.reset();
}

Status LayerVerifier::feed(QByteArray data)
{
    if (m_shared->pump->feed(std::move(data)))
        return {};
    // It cannot have finished well: the input has not ended.
    return fail(m_shared->error.value_or(
        Error::make(Error::Kind::InvalidArgument, tr("%1 is refused.").arg(m_layer))));
}

void LayerVerifier::restart()
{
    stop();
    start();
}

Result<Digest> LayerVerifier::finish()
{
    m_shared->pump->finish();
    if (m_shared->error)
        return fail(*m_shared->error);
    return m_shared->diffId;
}

Status LayerCheckingSink::write(QByteArrayView data)
{
    if (Status s = m_target->write(data); !s)
        return s;
    return m_verifier.feed(data.toByteArray());
}

Status LayerCheckingSink::restart()
{
    m_verifier.restart();
    return m_target->restart();
}

bool isTarLayerMediaType(QStringView mediaType)
{
    // OCI and Docker layers, gzip, zstd or none; not foreign layers, which live elsewhere.
    return (mediaType.startsWith(u"application/vnd.oci.image.layer.")
            || mediaType.startsWith(u"application/vnd.docker.image.rootfs.diff.tar"))
           && !mediaType.contains(u"nondistributable") && !mediaType.contains(u"foreign");
}

Status checkDiffIds(const ImageManifest &manifest,
                    const ImageConfig &config,
                    const QHash<QString, Digest> &verified,
                    const QString &image)
{
    if (config.diffIds.size() != manifest.layers.size())
        return fail(Error::Kind::InvalidArgument,
                    LayerVerifier::tr("%1 has %2 layers where its configuration lists %3 diff_ids.")
                        .arg(image)
                        .arg(manifest.layers.size())
                        .arg(config.diffIds.size()));
    for (qsizetype i = 0; i < manifest.layers.size(); ++i) {
        const QString layer = manifest.layers.at(i).digest.toString();
        const auto it = verified.constFind(layer);
        if (it == verified.cend() || it->toString() == config.diffIds.at(i))
            continue;
        return fail(Error::Kind::DigestMismatch,
                    LayerVerifier::tr("Layer %1 of %2 does not match the image configuration: it "
                                      "unpacks to %3 where the configuration lists %4.")
                        .arg(layer, image, it->toString(), config.diffIds.at(i)));
    }
    return {};
}

} // namespace Berth
