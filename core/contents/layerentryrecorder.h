#pragma once

#include "archive/archiveentrycheck.h"
#include "archive/tarreader.h"
#include "common/result.h"
#include "common/sha256.h"
#include "contents/contentsentry.h"
#include "contents/indexfile.h"

#include <QSet>

#include <vector>

namespace Berth {

// Turns a layer's tar headers, already judged by checkArchiveEntry, into index entries: the
// name's own bytes normalised, `.wh.NAME` into a Whiteout at NAME, `.wh..wh..opq` into its
// directory marked opaque, a hard link's target normalised, each regular file's data hashed.
// Memory stays bounded: it keeps only the directories above the current entry (a tar written
// by walking a tree names a directory before what is in it), and the few opaque directories
// whose header it has not met yet.
class LayerEntryRecorder final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    explicit LayerEntryRecorder(IndexWriter &writer, bool hashContents = true);

    Status record(TarReader &tar, const CheckedEntry &checked);

    qint64 entries() const { return m_entries; }
    qint64 fileBytes() const { return m_fileBytes; }

private:
    Status recordWhiteout(const TarEntry &tar, const QByteArray &path);
    Status markOpaque(const QByteArray &marker);
    Status add(const ContentsEntry &entry);
    void leaveDirectoriesAbove(QByteArrayView path);

    IndexWriter &m_writer;
    bool m_hashContents = true;
    Sha256 m_hash;
    std::vector<ContentsEntry> m_directories; // the directory headers above the last entry
    QSet<QByteArray> m_opaque; // opaque directories whose (later) header must keep the mark
    qint64 m_entries = 0;
    qint64 m_fileBytes = 0;
};

// A name inside a layer as bytes, normalised: empty and "." components dropped (checkArchiveEntry
// has already refused absolute names and ".." components). "" for the layer's root.
QByteArray normaliseLayerPath(QByteArrayView raw);

} // namespace Berth
