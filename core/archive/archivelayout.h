#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QSet>
#include <QString>

namespace Berth {

// What an archive's first entries say it holds, so that a load can stop early on a filesystem tar
// (what `docker export` writes) instead of reading it all and failing on a missing manifest.
enum class ArchiveLayout {
    Undecided,    // keep looking
    ImageArchive, // manifest.json, index.json, oci-layout, blobs/, <image ID>/…: docker, podman,
                  // OCI
    Filesystem,   // a root filesystem: etc/, usr/, bin/, .dockerenv …, and nothing of an image
    Unknown,      // neither after many names: let the load judge it as it always did
};

// Fed the entry names of an archive in order; decides as soon as it can. Two top-level names of a
// root filesystem (etc, usr, bin, .dockerenv …) before any name of an image archive make it a
// filesystem: one alone could be a stray file in a hand-made archive.
class ArchiveLayoutProbe final
{
public:
    ArchiveLayout see(const QString &entryPath);
    ArchiveLayout verdict() const { return m_verdict; }
    // At the end of the archive: a filesystem name seen and nothing of an image is enough.
    ArchiveLayout finish();

private:
    ArchiveLayout m_verdict = ArchiveLayout::Undecided;
    QSet<QString> m_rootNames;
    QSet<QString> m_otherNames;
};

// The probe over a tar stream given in pieces of any size (the decompressed body of an engine
// load): reads the 512-byte headers and skips the data, keeping nothing but the header being
// assembled. Long names (GNU, pax) are skipped: the header that follows still starts with the
// top-level name, which is all the probe needs.
class TarLayoutScanner final
{
public:
    ArchiveLayout feed(QByteArrayView data);
    ArchiveLayout verdict() const { return m_probe.verdict(); }

private:
    void header(QByteArrayView block);

    ArchiveLayoutProbe m_probe;
    QByteArray m_block;  // the header read so far
    qint64 m_toSkip = 0; // data (rounded up to 512) of the entry last seen
    bool m_ended = false;
};

// The error a load gives for a filesystem archive: `archive` names it. Its code says so, for
// callers that offer an import instead (isFilesystemArchiveError()).
Error filesystemArchiveError(const QString &archive);
bool isFilesystemArchiveError(const Error &error);
inline constexpr char FilesystemArchiveCode[] = "FILESYSTEM_ARCHIVE";

} // namespace Berth
