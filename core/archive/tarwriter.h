#pragma once

#include "common/result.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <functional>
#include <memory>

struct archive;
struct archive_entry;

namespace Berth {

enum class Compression { None, Gzip, Zstd, Xz, Bzip2 };

// "gzip" → Gzip, …; nullopt-style failure for an unknown name (a `--compress` value).
Result<Compression> compressionFromName(const QString &name);
// From a file name: .tar.gz/.tgz → Gzip, .tar.zst/.tzst → Zstd, .tar.xz/.txz → Xz,
// .tar.bz2/.tbz2 → Bzip2, anything else → None.
Compression compressionForFileName(const QString &fileName);
QString compressionName(Compression compression);
// Adds libarchive's write filter for `compression` (none: nothing); libarchive's return code.
int addCompressionFilter(archive *a, Compression compression);

// A streaming tar writer over libarchive (pax format: long and UTF-8 names, xattrs), optionally
// compressed, to a file, a file descriptor (stdout) or a function. Entries are written header
// first, then their data in as many pieces as the caller likes.
class TarWriter final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    // Called with each block of output; returns false on failure (a full disk, a closed pipe).
    using WriteFunction = std::function<bool(const char *data, qint64 size)>;

    ~TarWriter();

    static Result<std::unique_ptr<TarWriter>> toFile(const QString &path, Compression compression);
    static Result<std::unique_ptr<TarWriter>>
    toFd(int fd, const QString &displayName, Compression compression);
    static Result<std::unique_ptr<TarWriter>>
    toFunction(WriteFunction write, const QString &displayName, Compression compression);

    // Writes a header as given (copied from a reader, or built by the caller).
    Status writeHeader(archive_entry *entry);
    Status writeData(QByteArrayView data);

    // Conveniences for image archives: a regular file with mode 0644, owner root.
    Status addBytes(const QString &name, QByteArrayView data, const QDateTime &mtime = {});
    Status addDirectory(const QString &name, const QDateTime &mtime = {});
    // Streams a file from disk into the archive as `name` (size taken from the file).
    Status addFile(const QString &name,
                   const QString &sourcePath,
                   const QDateTime &mtime = {},
                   const std::function<bool(qint64)> &progress = {});

    // Writes the end-of-archive blocks and flushes the compressor. Must be called for a valid
    // archive; destroying an unfinished writer leaves a truncated one (the caller deletes it).
    Status finish();
    // Bytes written to the destination so far (after compression).
    qint64 bytesWritten() const;

private:
    TarWriter() = default;
    static Result<std::unique_ptr<TarWriter>> make(Compression compression,
                                                   const QString &displayName);
    Status check(int rc, const QString &context) const;
    Status
    writeSimpleHeader(const QString &name, int type, int mode, qint64 size, const QDateTime &mtime);

    archive *m_archive = nullptr;
    QString m_displayName;
    WriteFunction m_write;
    QByteArray m_ioBuffer;
    int m_ownedFd = -1; // toFile's descriptor, closed with the writer
    bool m_finished = false;
    bool m_discard = false; // closing an unfinished archive: its last bytes go nowhere
};

} // namespace Berth
