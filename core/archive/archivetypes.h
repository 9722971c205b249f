#pragma once

#include "archive/tarwriter.h"
#include "common/cancel.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

namespace Berth {

// Where an archive comes from: a file, an open descriptor (standard input: fd 0), or for import
// an http(s) URL. Exactly one is set.
struct ArchiveSource
{
    QString path;
    int fd = -1;
    QUrl url;

    static ArchiveSource file(const QString &p) { return {p, -1, {}}; }
    static ArchiveSource standardInput() { return {{}, 0, {}}; }
    static ArchiveSource fromUrl(const QUrl &u) { return {{}, -1, u}; }
    // "image.tar", "standard input", "https://…": for messages.
    QString displayName() const;
};

// Where an archive goes: a file (written to a temp name beside it, renamed when complete, so a
// failed save never leaves a truncated archive under the user's name) or a descriptor (stdout).
struct ArchiveTarget
{
    QString path;
    int fd = -1;

    static ArchiveTarget file(const QString &p) { return {p, -1}; }
    static ArchiveTarget standardOutput() { return {{}, 1}; }
    QString displayName() const;
};

// Progress of an archive operation, in bytes of its main stream (the archive read or written).
struct ArchiveProgress
{
    QString item;       // the file or layer being processed, "" for the total
    qint64 current = 0; // bytes done
    qint64 total = -1;  // -1 when unknown (stdin, an unsized URL)
};
using ArchiveProgressFunction = std::function<void(const ArchiveProgress &)>;

struct SaveOptions
{
    Compression compression = Compression::None; // the caller picks it from a flag or the name
    CancelToken cancel;
    ArchiveProgressFunction progress;
};

struct SaveResult
{
    QStringList images; // what was written, as the user named them
    qint64 bytesWritten = 0;
};

struct LoadOptions
{
    CancelToken cancel;
    ArchiveProgressFunction progress;
};

struct LoadResult
{
    QStringList loadedTags; // "node:15" → "Loaded image: node:15"
    QList<Digest> untagged; // image IDs loaded without a tag → "Loaded image ID: sha256:…"
    QString format;         // "docker-archive", "docker-archive (legacy layout)", "oci-archive"
    int blobsWritten = 0;
    int blobsSkipped = 0; // already in the store
    qint64 bytesRead = 0;
};

struct ExportOptions
{
    CancelToken cancel;
    ArchiveProgressFunction progress;
    std::optional<Platform> platform; // an image index: which platform (default: the host's)
};

struct ExportResult
{
    int entries = 0; // entries written (embedded store; 0 from an engine)
    qint64 bytesWritten = 0;
};

struct ImportOptions
{
    std::optional<ImageReference> reference; // untagged when absent, like docker
    QStringList changes;                     // Dockerfile instructions: "CMD [\"sh\"]", "ENV A=b"
    QString message;                         // the history entry's comment
    std::optional<Platform> platform;        // default: the host's
    CancelToken cancel;
    ArchiveProgressFunction progress;
};

struct ImportResult
{
    Digest imageId;
    std::optional<ImageReference> reference;
    qint64 layerSize = 0; // uncompressed
};

} // namespace Berth
