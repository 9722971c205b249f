// Manifest, index and config bodies as a registry or an archive serves them. The first byte picks
// the Content-Type the body arrives with, the rest is the body. What parses must serialise to JSON
// that parses again to the same descriptors.

#include "fuzzsupport.h"

#include "oci/manifest.h"

using namespace Berth;

namespace {

QString contentTypeFor(uint8_t selector)
{
    switch (selector % 6) {
    case 0:
        return {};
    case 1:
        return QStringLiteral("application/vnd.oci.image.manifest.v1+json");
    case 2:
        return QStringLiteral("application/vnd.oci.image.index.v1+json");
    case 3:
        return QStringLiteral("application/vnd.docker.distribution.manifest.v2+json");
    case 4:
        return QStringLiteral("application/vnd.docker.distribution.manifest.list.v2+json");
    default:
        return QStringLiteral("application/json; charset=utf-8");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    BerthFuzz::quietLogging();
    if (size == 0)
        return 0;
    const QString contentType = contentTypeFor(data[0]);
    const QByteArray body = BerthFuzz::bytes(data + 1, size - 1);

    (void)detectManifestMediaType(body, contentType);
    if (auto manifest = parseImageManifest(body, contentType)) {
        (void)manifest->layersSize();
        auto again = parseImageManifest(toJson(*manifest));
        if (!again)
            BerthFuzz::broken("a parsed manifest does not serialise to a valid one",
                              again.error().message);
        if (again->layers.size() != manifest->layers.size()
            || !(again->config.digest == manifest->config.digest))
            BerthFuzz::broken("a manifest changed on its way through toJson()");
    }
    if (auto index = parseImageIndex(body, contentType)) {
        (void)index->platforms();
        (void)index->select(Platform::host());
        auto again = parseImageIndex(toJson(*index));
        if (!again)
            BerthFuzz::broken("a parsed index does not serialise to a valid one",
                              again.error().message);
        if (again->manifests.size() != index->manifests.size())
            BerthFuzz::broken("an index changed on its way through toJson()");
    }
    if (auto config = parseImageConfig(body))
        (void)config->reconstructedDockerfile();
    return 0;
}
