#pragma once

#include "common/result.h"
#include "reference/imagereference.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Berth {

// os/architecture[/variant], as in an index's platform object or an image config.
struct Platform
{
    QString os;
    QString architecture;
    QString variant;
    QString osVersion;

    // "linux/arm64/v8"; variant omitted when empty.
    QString toString() const;
    // Parses "os/arch[/variant]"; the error names the part that is wrong.
    static Result<Platform> parse(QStringView text);
    // The platform this process runs on, in Go's names (amd64, arm64/v8, arm/v7, 386, …).
    static Platform host();
    // True when this platform (from an index) can serve a request for `wanted`: os and architecture
    // equal; variant equal when wanted names one (arm64 without variant means v8).
    bool satisfies(const Platform &wanted) const;
    bool isUnknown() const { return os == u"unknown" || architecture == u"unknown"; }

    friend bool operator==(const Platform &, const Platform &) = default;

    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
};

struct Descriptor
{
    QString mediaType;
    Digest digest;
    qint64 size = 0;
    std::optional<Platform> platform;
    QMap<QString, QString> annotations;
    QStringList urls;
};

// An OCI image manifest or a Docker schema 2 manifest.
struct ImageManifest
{
    QString mediaType;
    Descriptor config;
    QList<Descriptor> layers;
    QMap<QString, QString> annotations;

    qint64 layersSize() const;
};

// An OCI image index or a Docker manifest list.
struct ImageIndex
{
    QString mediaType;
    QList<Descriptor> manifests;
    QMap<QString, QString> annotations;

    // The best manifest for `wanted`; attestation manifests (platform unknown/unknown) never match.
    std::optional<Descriptor> select(const Platform &wanted) const;
    // The platforms of the real images, in index order (attestations left out).
    QList<Platform> platforms() const;
};

struct HistoryEntry
{
    QDateTime created;
    QString createdBy;
    QString comment;
    QString author;
    bool emptyLayer = false;
};

// The parts of an image configuration Berth shows or writes.
struct ImageConfig
{
    Platform platform;
    QDateTime created;
    QString author;
    QString user;
    QString workingDir;
    QStringList env;
    QStringList entrypoint;
    QStringList cmd;
    QStringList exposedPorts;
    QStringList volumes;
    QString stopSignal;
    QMap<QString, QString> labels;
    QStringList diffIds;
    QList<HistoryEntry> history;

    // The build history as a Dockerfile: one line per history entry, "#(nop)" prefixes removed.
    QStringList reconstructedDockerfile() const;
};

// Manifest bodies larger than this are refused (distribution's own limit is 4 MiB).
inline constexpr qint64 MaxManifestSize = 4 * 1024 * 1024;
// Configs are larger in practice (long histories) but still bounded.
inline constexpr qint64 MaxConfigSize = 16 * 1024 * 1024;

// Parsers refuse oversized, malformed or deeply nested input with a message naming the problem.
// contentType is the HTTP Content-Type; the body's own mediaType wins when present.
Result<ImageManifest> parseImageManifest(const QByteArray &body, QStringView contentType = {});
Result<ImageIndex> parseImageIndex(const QByteArray &body, QStringView contentType = {});
Result<ImageConfig> parseImageConfig(const QByteArray &body);
// The media type of a manifest body: its mediaType field, else the Content-Type, else inferred
// from its shape (manifests[] = index, config+layers = manifest). Schema 1 is reported as such.
QString detectManifestMediaType(const QByteArray &body, QStringView contentType = {});

// Compact JSON with schemaVersion 2 and the mediaType set, as a manifest PUT sends it. The bytes
// are what gets digested: keep them, do not serialise the same manifest twice expecting equality
// with what a registry served.
QByteArray toJson(const ImageManifest &manifest);
QByteArray toJson(const ImageIndex &index);

} // namespace Berth
