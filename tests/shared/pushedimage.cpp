#include "pushedimage.h"

#include "asynctest.h"
#include "testhelpers.h"

#include "common/sha256.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace BerthTest {

namespace {

QJsonObject descriptor(const char *mediaType, const QByteArray &bytes)
{
    return QJsonObject{{QStringLiteral("mediaType"), QString::fromLatin1(mediaType)},
                       {QStringLiteral("digest"), Berth::Sha256::digestOf(bytes)},
                       {QStringLiteral("size"), qint64(bytes.size())}};
}

} // namespace

Berth::Result<Berth::Digest> pushSmallImage(Berth::RegistryClient &client,
                                            const Berth::ImageReference &repository,
                                            const QStringList &tags)
{
    using namespace Berth;
    // The registry does not look inside layers: random bytes stand in for a tar.
    const QByteArray layer = randomBytes(4096);
    const QJsonObject rootfs{{QStringLiteral("type"), QStringLiteral("layers")},
                             {QStringLiteral("diff_ids"), QJsonArray{Sha256::digestOf(layer)}}};
    const QByteArray config
        = QJsonDocument(QJsonObject{{QStringLiteral("architecture"), QStringLiteral("amd64")},
                                    {QStringLiteral("os"), QStringLiteral("linux")},
                                    {QStringLiteral("rootfs"), rootfs}})
              .toJson(QJsonDocument::Compact);
    for (const QByteArray &blob : {layer, config}) {
        const auto uploaded = await<void>([&](auto done) {
            client.uploadBlob(repository, *Digest::parse(Sha256::digestOf(blob)), blob, done);
        });
        if (!uploaded)
            return fail(uploaded.error());
    }
    const QByteArray manifest
        = QJsonDocument(
              QJsonObject{
                  {QStringLiteral("schemaVersion"), 2},
                  {QStringLiteral("mediaType"), QString::fromLatin1(MediaType::OciManifest)},
                  {QStringLiteral("config"), descriptor(MediaType::OciConfig, config)},
                  {QStringLiteral("layers"), QJsonArray{descriptor(MediaType::OciLayer, layer)}}})
              .toJson(QJsonDocument::Compact);
    for (const QString &tag : tags) {
        const auto put = await<Digest>([&](auto done) {
            client.putManifest(repository.withTag(tag),
                               QString::fromLatin1(MediaType::OciManifest),
                               manifest,
                               done);
        });
        if (!put)
            return fail(put.error());
    }
    return *Digest::parse(Sha256::digestOf(manifest));
}

} // namespace BerthTest
