#include "platformimage.h"

#include "asynctest.h"
#include "testhelpers.h"

#include "common/sha256.h"
#include "oci/manifest.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace BerthTest {

namespace {

Digest digestOf(const QByteArray &bytes)
{
    return *Digest::parse(Sha256::digestOf(bytes));
}

QByteArray configFor(const Platform &platform, const QByteArray &layer)
{
    QJsonObject config{{u"architecture"_s, platform.architecture},
                       {u"os"_s, platform.os},
                       {u"config"_s, QJsonObject{{u"Cmd"_s, QJsonArray{u"/bin/sh"_s}}}},
                       {u"rootfs"_s,
                        QJsonObject{{u"type"_s, u"layers"_s},
                                    {u"diff_ids"_s, QJsonArray{digestOf(layer).toString()}}}}};
    if (!platform.variant.isEmpty())
        config.insert(u"variant"_s, platform.variant);
    return QJsonDocument(config).toJson(QJsonDocument::Compact);
}

Descriptor descriptor(const char *mediaType, const QByteArray &blob)
{
    Descriptor d;
    d.mediaType = QLatin1String(mediaType);
    d.digest = digestOf(blob);
    d.size = blob.size();
    return d;
}

} // namespace

Result<Digest> pushPlatformImage(RegistryClient &client,
                                 const ImageReference &reference,
                                 const QString &platform,
                                 bool docker)
{
    const auto parsed = Platform::parse(platform);
    if (!parsed)
        return fail(parsed.error());
    const QByteArray layer = randomBytes(512);
    const QByteArray config = configFor(*parsed, layer);
    for (const QByteArray &blob : {layer, config}) {
        const auto uploaded = await<void>([&](auto done) {
            client.uploadBlob(reference.withTag(QString()), digestOf(blob), blob, done);
        });
        if (!uploaded)
            return fail(uploaded.error());
    }
    ImageManifest manifest;
    manifest.mediaType = QLatin1String(docker ? MediaType::DockerManifest : MediaType::OciManifest);
    manifest.config = descriptor(docker ? MediaType::DockerConfig : MediaType::OciConfig, config);
    manifest.layers.append(
        descriptor(docker ? MediaType::DockerLayerGzip : MediaType::OciLayerGzip, layer));
    return await<Digest>([&](auto done) {
        client.putManifest(reference, manifest.mediaType, toJson(manifest), done);
    });
}

} // namespace BerthTest
