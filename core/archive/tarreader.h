#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <memory>

struct archive;
struct archive_entry;

namespace Berth {

// One header read from an archive, with the name decoded (UTF-8) but not yet judged: callers
// pass it to normaliseEntryPath() / the link resolvers before trusting it.
struct TarEntry
{
    enum class Type {
        File,
        Directory,
        Symlink,
        HardLink,
        CharDevice,
        BlockDevice,
        Fifo,
        Socket,
        Other
    };

    QString path;       // as stored
    QString linkTarget; // symlink or hard-link target
    Type type = Type::File;
    qint64 size = 0; // declared data size (0 for everything but files)
    int mode = 0;    // permission bits, including set-uid/set-gid/sticky
    quint32 uid = 0;
    quint32 gid = 0;
    qint64 mtime = 0;         // seconds since the epoch
    QByteArray rawPath;       // the name's own bytes, which need not be UTF-8 (`path` decodes them)
    QByteArray rawLinkTarget; // the link target's own bytes
    archive_entry *raw = nullptr; // valid until the next call to next(); for copying into a writer

    bool isSpecial() const
    {
        return type == Type::CharDevice || type == Type::BlockDevice || type == Type::Socket
               || type == Type::Other;
    }
    QString typeName() const;
};

// A streaming archive reader over libarchive. Compression (gzip, bzip2, xz, zstd, lz4, or none)
// is recognised from the content, never from a name. Nothing is held in memory beyond
// libarchive's buffers; an entry's data is read in blocks and can be skipped (a seek when the
// source is a plain file).
class TarReader final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    enum class Format {
        Tar, // tar in any of its dialects (ustar, pax, GNU)
        Raw, // no archive format: just undo the compression (import's tee of the layer bytes)
    };
    // Called until it returns 0 (end of input) or -1 (failure, `error` set by the source).
    using ReadFunction = std::function<qint64(char *data, qint64 maxSize)>;
    // Points `data` at the source's next bytes, valid until the next call, and answers their
    // size: 0 at the end of input, -1 on failure. Nothing is copied.
    using BlockFunction = std::function<qint64(const char **data)>;

    ~TarReader();

    // `displayName` names the source in messages ("image.tar", "standard input").
    static Result<std::unique_ptr<TarReader>> openFile(const QString &path,
                                                       Format format = Format::Tar);
    static Result<std::unique_ptr<TarReader>>
    openFd(int fd, const QString &displayName, Format format = Format::Tar);
    static Result<std::unique_ptr<TarReader>>
    openFunction(ReadFunction read, const QString &displayName, Format format = Format::Tar);
    static Result<std::unique_ptr<TarReader>>
    openBlocks(BlockFunction next, const QString &displayName, Format format = Format::Tar);

    // Advances to the next header: true with entry() filled, false at the end of the archive.
    Result<bool> next();
    const TarEntry &entry() const { return m_entry; }

    // Reads the current entry's data: a view of libarchive's buffer (valid until the next call),
    // empty at the end of the entry. Sparse holes come back as zeros.
    Result<QByteArrayView> readBlock();
    // Reads up to maxSize bytes into data; 0 at the end of the entry.
    Result<qint64> read(char *data, qint64 maxSize);
    Status skipData();

    // "gzip", "zstd", … or "none": the outermost compression found.
    QString compression() const;
    // Bytes consumed from the source so far (compressed): for progress against a file's size.
    qint64 sourcePosition() const;
    QString displayName() const { return m_displayName; }

private:
    TarReader() = default;
    static Result<std::unique_ptr<TarReader>> make(Format format, const QString &displayName);
    Status open(int rc);
    Error archiveError(const QString &context) const;

    archive *m_archive = nullptr;
    TarEntry m_entry;
    QString m_displayName;
    BlockFunction m_nextBlock;
    qint64 m_dataOffset = 0;  // offset reached in the current entry's data
    qint64 m_holeEnd = 0;     // a sparse hole runs up to here
    QByteArrayView m_pending; // a data block read but not yet handed out (after its hole)
    bool m_hasPending = false;
    QByteArrayView m_rest; // the tail of a block read() did not consume
    QByteArray m_zeros;
};

} // namespace Berth
