#pragma once

#include <QString>

namespace Berth::MediaType {

inline constexpr auto OciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr auto OciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr auto OciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr auto OciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr auto OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr auto OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr auto DockerManifestList
    = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr auto DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr auto DockerManifestV1 = "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr auto DockerManifestV1Signed
    = "application/vnd.docker.distribution.manifest.v1+prettyjws";
inline constexpr auto DockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr auto DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr auto DockerForeignLayerGzip
    = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

// The Accept header every manifest request sends: without it distribution 2.8 answers 404 for OCI
// content and downgrades Docker manifests to schema 1.
inline QByteArray manifestAcceptHeader()
{
    return QByteArray(OciIndex) + ", " + OciManifest + ", " + DockerManifestList + ", "
           + DockerManifest;
}

inline bool isIndex(QStringView mediaType)
{
    return mediaType == QLatin1String(OciIndex) || mediaType == QLatin1String(DockerManifestList);
}

inline bool isImageManifest(QStringView mediaType)
{
    return mediaType == QLatin1String(OciManifest) || mediaType == QLatin1String(DockerManifest);
}

} // namespace Berth::MediaType
