#pragma once

#include "common/result.h"
#include "reference/imagereference.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Berth {
class RegistryClient;
}

namespace BerthTest {

// One entry of a layer made for a test: a file with its bytes, a directory, a symbolic link, or a
// whiteout (`.wh.NAME` beside the path it removes).
struct FilesImageEntry
{
    enum class Type { File, Directory, Symlink, Whiteout };
    QString path;
    Type type = Type::File;
    QByteArray data; // File
    QString target;  // Symlink
    int mode = 0644; // File and Directory
};
using FilesImageLayer = QList<FilesImageEntry>;

inline FilesImageEntry file(const QString &path, const QByteArray &data, int mode = 0644)
{
    return {path, FilesImageEntry::Type::File, data, {}, mode};
}
inline FilesImageEntry directory(const QString &path)
{
    return {path, FilesImageEntry::Type::Directory, {}, {}, 0755};
}
inline FilesImageEntry symlink(const QString &path, const QString &target)
{
    return {path, FilesImageEntry::Type::Symlink, {}, target, 0777};
}
inline FilesImageEntry whiteout(const QString &path)
{
    return {path, FilesImageEntry::Type::Whiteout, {}, {}, 0644};
}

// Builds a real image out of `layers` (bottom first; each a gzip tar, its diff_id in an OCI
// configuration for linux/amd64 with `labels`) and pushes it to `reference` in a registry of the
// test services, blobs first, then the manifest. Runs the registry calls to completion on the
// caller's event loop. Answers the manifest's digest.
Berth::Result<Berth::Digest> pushFilesImage(Berth::RegistryClient &registry,
                                            const Berth::ImageReference &reference,
                                            const QList<FilesImageLayer> &layers,
                                            const QMap<QString, QString> &labels = {});

} // namespace BerthTest
