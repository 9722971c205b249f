#include "archive/tarwriter.h"

#include "archive/utf8locale.h"

#include <archive.h>
#include <archive_entry.h>

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace Berth {

Result<Compression> compressionFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n.isEmpty() || n == QLatin1String("none"))
        return Compression::None;
    if (n == QLatin1String("gzip") || n == QLatin1String("gz"))
        return Compression::Gzip;
    if (n == QLatin1String("zstd") || n == QLatin1String("zst"))
        return Compression::Zstd;
    if (n == QLatin1String("xz"))
        return Compression::Xz;
    if (n == QLatin1String("bzip2") || n == QLatin1String("bz2"))
        return Compression::Bzip2;
    return fail(Error::Kind::InvalidArgument,
                tr("Unknown compression '%1': use none, gzip, zstd, xz or bzip2.").arg(name));
}

Compression compressionForFileName(const QString &fileName)
{
    const QString n = fileName.toLower();
    auto ends = [&](const char *suffix) {
        return n.endsWith(QLatin1String(suffix));
    };
    if (ends(".tar.gz") || ends(".tgz") || ends(".gz"))
        return Compression::Gzip;
    if (ends(".tar.zst") || ends(".tzst") || ends(".zst"))
        return Compression::Zstd;
    if (ends(".tar.xz") || ends(".txz") || ends(".xz"))
        return Compression::Xz;
    if (ends(".tar.bz2") || ends(".tbz2") || ends(".bz2"))
        return Compression::Bzip2;
    return Compression::None;
}

QString compressionName(Compression compression)
{
    switch (compression) {
    case Compression::None:
        return QStringLiteral("none");
    case Compression::Gzip:
        return QStringLiteral("gzip");
    case Compression::Zstd:
        return QStringLiteral("zstd");
    case Compression::Xz:
        return QStringLiteral("xz");
    case Compression::Bzip2:
        return QStringLiteral("bzip2");
    }
    return {};
}

int addCompressionFilter(archive *a, Compression compression)
{
    switch (compression) {
    case Compression::None:
        return ARCHIVE_OK;
    case Compression::Gzip: {
        const int rc = archive_write_add_filter_gzip(a);
        // No name or time in the gzip header: the same input gives the same bytes.
        if (rc == ARCHIVE_OK)
            archive_write_set_filter_option(a, "gzip", "timestamp", nullptr);
        return rc;
    }
    case Compression::Zstd:
        return archive_write_add_filter_zstd(a);
    case Compression::Xz:
        return archive_write_add_filter_xz(a);
    case Compression::Bzip2:
        return archive_write_add_filter_bzip2(a);
    }
    return ARCHIVE_FATAL;
}

TarWriter::~TarWriter()
{
    if (!m_archive)
        return;
    // An unfinished archive stays unfinished: what closing it would still write (the end blocks
    // that would make a truncated tar look complete) is dropped, so a save that failed early
    // writes nothing at all to stdout. (archive_write_fail() would leak libarchive's buffers.)
    m_discard = !m_finished;
    archive_write_free(m_archive);
    if (m_ownedFd >= 0)
        ::close(m_ownedFd);
}

Result<std::unique_ptr<TarWriter>> TarWriter::make(Compression compression,
                                                   const QString &displayName)
{
    ensureUtf8Locale();
    std::unique_ptr<TarWriter> writer(new TarWriter);
    writer->m_displayName = displayName;
    archive *a = archive_write_new();
    if (!a)
        return fail(Error::Kind::Io, tr("Out of memory writing '%1'.").arg(displayName));
    writer->m_archive = a;
    // pax carries long and UTF-8 names, big sizes and xattrs; "restricted" writes a plain ustar
    // header when nothing needs an extension, as docker's own tars do.
    archive_write_set_format_pax_restricted(a);
    const int rc = addCompressionFilter(a, compression);
    if (rc != ARCHIVE_OK)
        return fail(Error::Kind::Unsupported,
                    tr("Cannot compress '%1' with %2: %3")
                        .arg(displayName,
                             compressionName(compression),
                             QString::fromUtf8(archive_error_string(a))));
    // Output in 1 MiB writes; the last block is padded as tar requires.
    archive_write_set_bytes_per_block(a, 1 << 20);
    archive_write_set_bytes_in_last_block(a, 1);
    return writer;
}

Status TarWriter::check(int rc, const QString &context) const
{
    if (rc >= ARCHIVE_WARN)
        return {};
    const char *message = archive_error_string(m_archive);
    return fail(
        Error::Kind::Io,
        tr("%1: %2").arg(context, message ? QString::fromUtf8(message) : tr("unknown error")));
}

Result<std::unique_ptr<TarWriter>> TarWriter::toFile(const QString &path, Compression compression)
{
    const int fd = ::open(
        QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return fail(
            Error::Kind::Io,
            tr("Cannot create '%1': %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    auto writer = toFd(fd, path, compression);
    if (!writer) {
        ::close(fd);
        return writer;
    }
    (*writer)->m_ownedFd = fd;
    return writer;
}

Result<std::unique_ptr<TarWriter>>
TarWriter::toFd(int fd, const QString &displayName, Compression compression)
{
    return toFunction(
        [fd](const char *data, qint64 size) {
            while (size > 0) {
                const ssize_t n = ::write(fd, data, size_t(size));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    return false;
                data += n;
                size -= n;
            }
            return true;
        },
        displayName,
        compression);
}

Result<std::unique_ptr<TarWriter>>
TarWriter::toFunction(WriteFunction write, const QString &displayName, Compression compression)
{
    auto writer = make(compression, displayName);
    if (!writer)
        return writer;
    TarWriter *self = writer->get();
    self->m_write = std::move(write);
    auto writeCallback
        = [](archive *a, void *data, const void *buffer, size_t length) -> la_ssize_t {
        auto *w = static_cast<TarWriter *>(data);
        if (w->m_discard)
            return static_cast<la_ssize_t>(length);
        if (!w->m_write(static_cast<const char *>(buffer), static_cast<qint64>(length))) {
            archive_set_error(a, errno ? errno : EIO, "%s", std::strerror(errno ? errno : EIO));
            return -1;
        }
        return static_cast<la_ssize_t>(length);
    };
    if (auto ok
        = self->check(archive_write_open(self->m_archive, self, nullptr, writeCallback, nullptr),
                      tr("Cannot write to %1").arg(displayName));
        !ok)
        return fail(ok.error());
    return writer;
}

Status TarWriter::writeHeader(archive_entry *entry)
{
    const char *name = archive_entry_pathname(entry);
    return check(
        archive_write_header(m_archive, entry),
        tr("Cannot write '%1' to '%2'").arg(QString::fromUtf8(name ? name : ""), m_displayName));
}

Status TarWriter::writeData(QByteArrayView data)
{
    const char *p = data.data();
    qint64 left = data.size();
    while (left > 0) {
        const la_ssize_t n = archive_write_data(m_archive, p, static_cast<size_t>(left));
        if (n <= 0) {
            const char *message = archive_error_string(m_archive);
            return fail(Error::Kind::Io,
                        tr("Cannot write to '%1': %2")
                            .arg(m_displayName,
                                 message ? QString::fromUtf8(message)
                                         : tr("the entry is already complete")));
        }
        p += n;
        left -= n;
    }
    return {};
}

Status TarWriter::writeSimpleHeader(
    const QString &name, int type, int mode, qint64 size, const QDateTime &mtime)
{
    archive_entry *entry = archive_entry_new();
    const QByteArray utf8 = name.toUtf8();
    archive_entry_set_pathname_utf8(entry, utf8.constData());
    archive_entry_set_filetype(entry, static_cast<unsigned>(type));
    archive_entry_set_perm(entry, static_cast<mode_t>(mode));
    archive_entry_set_size(entry, size);
    archive_entry_set_uid(entry, 0);
    archive_entry_set_gid(entry, 0);
    // Docker writes the Unix epoch when it has no time: reproducible archives.
    const qint64 secs = mtime.isValid() ? mtime.toSecsSinceEpoch() : 0;
    archive_entry_set_mtime(entry, secs, 0);
    Status ok = writeHeader(entry);
    archive_entry_free(entry);
    return ok;
}

Status TarWriter::addBytes(const QString &name, QByteArrayView data, const QDateTime &mtime)
{
    if (auto ok = writeSimpleHeader(name, AE_IFREG, 0644, data.size(), mtime); !ok)
        return ok;
    return writeData(data);
}

Status TarWriter::addDirectory(const QString &name, const QDateTime &mtime)
{
    return writeSimpleHeader(name, AE_IFDIR, 0755, 0, mtime);
}

Status TarWriter::addFile(const QString &name,
                          const QString &sourcePath,
                          const QDateTime &mtime,
                          const std::function<bool(qint64)> &progress)
{
    QFile file(sourcePath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io,
                    tr("Cannot read '%1': %2").arg(sourcePath, file.errorString()));
    const qint64 size = file.size();
    if (auto ok = writeSimpleHeader(name, AE_IFREG, 0644, size, mtime); !ok)
        return ok;
    ::posix_fadvise(file.handle(), 0, 0, POSIX_FADV_SEQUENTIAL);
    if (m_ioBuffer.isEmpty())
        m_ioBuffer.resize(1 << 20);
    qint64 done = 0;
    while (done < size) {
        const qint64 n = ::read(file.handle(), m_ioBuffer.data(), m_ioBuffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(Error::Kind::Io,
                        tr("Cannot read '%1': it ended after %2 of %3 bytes.")
                            .arg(sourcePath)
                            .arg(done)
                            .arg(size));
        const qint64 take = std::min(n, size - done); // the file may have grown: tar fixed size
        if (auto ok = writeData(QByteArrayView(m_ioBuffer.constData(), take)); !ok)
            return ok;
        done += take;
        if (progress && !progress(take))
            return fail(Error::Kind::Cancelled, tr("Cancelled."));
    }
    return {};
}

Status TarWriter::finish()
{
    if (m_finished)
        return {};
    m_finished = true;
    return check(archive_write_close(m_archive), tr("Cannot finish '%1'").arg(m_displayName));
}

qint64 TarWriter::bytesWritten() const
{
    return archive_filter_bytes(m_archive, -1);
}

} // namespace Berth
