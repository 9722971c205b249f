#pragma once

#include "archive/tarreader.h"
#include "common/result.h"

#include <QString>

namespace Berth {

// What an archive holds decides what its entries may be.
enum class ArchiveKind {
    // `docker save`, `podman save`, skopeo: files, directories and links between them. A device
    // node, fifo or socket, a set-uid or set-gid file, or a link leaving the archive has no place
    // in one and is refused.
    ImageArchive,
    // A filesystem (`docker export`, `docker import`, a layer): any entry type and mode; symbolic
    // links may be absolute, since they resolve inside the container's root, not on the host.
    // Names and hard-link targets must still stay inside.
    Filesystem,
};

struct CheckedEntry
{
    QString path;       // normalised; empty for the archive root ("./")
    QString linkTarget; // hard link: the normalised entry it names; symbolic link: normalised
                        // in an image archive, as stored in a filesystem
};

// Judges one header before anything of it is trusted: the message names the entry. Shared by load,
// import and export, so every archive path applies the same rules.
Result<CheckedEntry> checkArchiveEntry(const TarEntry &entry, ArchiveKind kind);

} // namespace Berth
