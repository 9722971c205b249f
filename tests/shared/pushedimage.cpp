#include "pushedimage.h"

#include "asynctest.h"
#include "platformimage.h"

#include "registry/registryclient.h"

namespace BerthTest {

Berth::Result<Berth::Digest> pushSmallImage(Berth::RegistryClient &client,
                                            const Berth::ImageReference &repository,
                                            const QStringList &tags)
{
    using namespace Berth;
    if (tags.isEmpty())
        return fail(Error::Kind::InvalidArgument, QStringLiteral("pushSmallImage needs a tag"));
    const auto digest = pushPlatformImage(
        client, repository.withTag(tags.first()), QStringLiteral("linux/amd64"), false);
    if (!digest)
        return digest;
    // The other tags name the same bytes: the manifest as the registry stored it.
    const auto manifest = await<ManifestResponse>(
        [&](auto done) { client.fetchManifest(repository.withDigest(*digest), done); });
    if (!manifest)
        return fail(manifest.error());
    for (const QString &tag : tags.mid(1)) {
        const auto put = await<Digest>([&](auto done) {
            client.putManifest(repository.withTag(tag), manifest->mediaType, manifest->body, done);
        });
        if (!put)
            return fail(put.error());
    }
    return digest;
}

} // namespace BerthTest
