#include "archive/tarreader.h"

#include "archive/utf8locale.h"

#include <archive.h>
#include <archive_entry.h>

#include <QFile>

#include <cstring>
#include <utility>

namespace Berth {

QString TarEntry::typeName() const
{
    switch (type) {
    case Type::File:
        return Berth::tr("regular file");
    case Type::Directory:
        return Berth::tr("directory");
    case Type::Symlink:
        return Berth::tr("symbolic link");
    case Type::HardLink:
        return Berth::tr("hard link");
    case Type::CharDevice:
        return Berth::tr("character device");
    case Type::BlockDevice:
        return Berth::tr("block device");
    case Type::Fifo:
        return Berth::tr("named pipe");
    case Type::Socket:
        return Berth::tr("socket");
    case Type::Other:
        break;
    }
    return Berth::tr("unknown entry type");
}

namespace {

// A name as the archive stores it (under the UTF-8 locale, the header's bytes); the decoded form
// when libarchive has no byte form of it.
QByteArray rawName(const char *bytes, const QString &decoded)
{
    return bytes ? QByteArray(bytes) : decoded.toUtf8();
}

} // namespace

TarReader::~TarReader()
{
    if (m_archive)
        archive_read_free(m_archive);
}

Result<std::unique_ptr<TarReader>> TarReader::make(Format format, const QString &displayName)
{
    ensureUtf8Locale();
    std::unique_ptr<TarReader> reader(new TarReader);
    reader->m_displayName = displayName;
    reader->m_archive = archive_read_new();
    if (!reader->m_archive)
        return fail(Error::Kind::Io, tr("Out of memory opening '%1'.").arg(displayName));
    archive_read_support_filter_all(reader->m_archive);
    if (format == Format::Tar) {
        archive_read_support_format_tar(reader->m_archive);
        archive_read_support_format_gnutar(reader->m_archive);
        // An empty input is an empty archive, not an error (docker load says "no images").
        archive_read_support_format_empty(reader->m_archive);
    } else {
        archive_read_support_format_raw(reader->m_archive);
        // The raw format cannot bid on nothing: an empty input then reads as no entry at all
        // (next() answers false) instead of failing as "Unrecognized archive format".
        archive_read_support_format_empty(reader->m_archive);
    }
    return reader;
}

Status TarReader::open(int rc)
{
    if (rc != ARCHIVE_OK)
        return fail(archiveError(tr("Cannot read '%1'").arg(m_displayName)));
    return {};
}

Result<std::unique_ptr<TarReader>> TarReader::openFile(const QString &path, Format format)
{
    auto reader = make(format, path);
    if (!reader)
        return reader;
    const QByteArray native = QFile::encodeName(path);
    // 1 MiB blocks: fewer read calls on large layers; skipping data seeks on a plain file.
    if (auto ok = (*reader)->open(
            archive_read_open_filename((*reader)->m_archive, native.constData(), 1 << 20));
        !ok)
        return fail(ok.error());
    return reader;
}

Result<std::unique_ptr<TarReader>>
TarReader::openFd(int fd, const QString &displayName, Format format)
{
    auto reader = make(format, displayName);
    if (!reader)
        return reader;
    if (auto ok = (*reader)->open(archive_read_open_fd((*reader)->m_archive, fd, 1 << 20)); !ok)
        return fail(ok.error());
    return reader;
}

// A source that copies is a block source over a buffer of its own.
Result<std::unique_ptr<TarReader>>
TarReader::openFunction(ReadFunction read, const QString &displayName, Format format)
{
    auto buffer = std::make_shared<QByteArray>(1 << 20, Qt::Uninitialized);
    return openBlocks(
        [read = std::move(read), buffer](const char **block) -> qint64 {
            const qint64 n = read(buffer->data(), buffer->size());
            *block = buffer->constData();
            return n;
        },
        displayName,
        format);
}

Result<std::unique_ptr<TarReader>>
TarReader::openBlocks(BlockFunction next, const QString &displayName, Format format)
{
    auto reader = make(format, displayName);
    if (!reader)
        return reader;
    TarReader *self = reader->get();
    self->m_nextBlock = std::move(next);
    auto readCallback = [](archive *a, void *data, const void **buffer) -> la_ssize_t {
        auto *r = static_cast<TarReader *>(data);
        const char *block = nullptr;
        const qint64 n = r->m_nextBlock(&block);
        if (n < 0) {
            archive_set_error(a, EIO, "%s", "read failed");
            return -1;
        }
        *buffer = block;
        return static_cast<la_ssize_t>(n);
    };
    if (auto ok
        = self->open(archive_read_open(self->m_archive, self, nullptr, readCallback, nullptr));
        !ok)
        return fail(ok.error());
    return reader;
}

Error TarReader::archiveError(const QString &context) const
{
    const char *message = archive_error_string(m_archive);
    const int err = archive_errno(m_archive);
    QString detail = message ? QString::fromUtf8(message) : tr("unknown error");
    // Truncated or corrupt compression and tar damage are the input's fault; an errno from the
    // source is the disk's or the pipe's.
    const bool io = err == EIO || err == ENOSPC || err == EACCES || err == ENOENT;
    return Error::make(io ? Error::Kind::Io : Error::Kind::InvalidArgument,
                       tr("%1: %2").arg(context, detail));
}

Result<bool> TarReader::next()
{
    archive_entry *raw = nullptr;
    int rc = archive_read_next_header(m_archive, &raw);
    if (rc == ARCHIVE_EOF)
        return false;
    if (rc == ARCHIVE_RETRY)
        rc = archive_read_next_header(m_archive, &raw);
    // ARCHIVE_WARN covers things like an unknown pax keyword: the header itself is usable.
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
        return fail(
            archiveError(tr("'%1' is not a readable archive or is damaged").arg(m_displayName)));
    TarEntry e;
    e.raw = raw;
    const char *utf8 = archive_entry_pathname_utf8(raw);
    e.path = utf8 ? QString::fromUtf8(utf8) : QString::fromUtf8(archive_entry_pathname(raw));
    if (const char *hard = archive_entry_hardlink_utf8(raw)) {
        e.type = TarEntry::Type::HardLink;
        e.linkTarget = QString::fromUtf8(hard);
    } else if (const char *hardRaw = archive_entry_hardlink(raw)) {
        e.type = TarEntry::Type::HardLink;
        e.linkTarget = QString::fromUtf8(hardRaw);
    } else {
        switch (archive_entry_filetype(raw)) {
        case AE_IFREG:
            e.type = TarEntry::Type::File;
            break;
        case AE_IFDIR:
            e.type = TarEntry::Type::Directory;
            break;
        case AE_IFLNK: {
            e.type = TarEntry::Type::Symlink;
            const char *s = archive_entry_symlink_utf8(raw);
            e.linkTarget = QString::fromUtf8(s ? s : archive_entry_symlink(raw));
            break;
        }
        case AE_IFCHR:
            e.type = TarEntry::Type::CharDevice;
            break;
        case AE_IFBLK:
            e.type = TarEntry::Type::BlockDevice;
            break;
        case AE_IFIFO:
            e.type = TarEntry::Type::Fifo;
            break;
        case AE_IFSOCK:
            e.type = TarEntry::Type::Socket;
            break;
        default:
            e.type = TarEntry::Type::Other;
            break;
        }
    }
    e.size = archive_entry_size_is_set(raw) ? archive_entry_size(raw) : 0;
    e.mode = archive_entry_perm(raw) & 07777;
    e.uid = quint32(archive_entry_uid(raw));
    e.gid = quint32(archive_entry_gid(raw));
    e.mtime = archive_entry_mtime(raw);
    e.rawPath = rawName(archive_entry_pathname(raw), e.path);
    if (e.type == TarEntry::Type::HardLink)
        e.rawLinkTarget = rawName(archive_entry_hardlink(raw), e.linkTarget);
    else if (e.type == TarEntry::Type::Symlink)
        e.rawLinkTarget = rawName(archive_entry_symlink(raw), e.linkTarget);
    m_entry = std::move(e);
    m_dataOffset = 0;
    m_holeEnd = 0;
    m_pending = {};
    m_hasPending = false;
    m_rest = {};
    return true;
}

Result<QByteArrayView> TarReader::readBlock()
{
    constexpr qint64 ZeroChunk = 1 << 16;
    if (!m_rest.isEmpty())
        return std::exchange(m_rest, QByteArrayView());
    for (;;) {
        // A sparse file's holes are handed out as zeros before the block that follows them.
        if (m_holeEnd > m_dataOffset) {
            if (m_zeros.isEmpty())
                m_zeros = QByteArray(ZeroChunk, '\0');
            const qint64 n = std::min(m_holeEnd - m_dataOffset, ZeroChunk);
            m_dataOffset += n;
            return QByteArrayView(m_zeros.constData(), n);
        }
        if (m_hasPending) {
            m_hasPending = false;
            m_dataOffset += m_pending.size();
            if (!m_pending.isEmpty())
                return m_pending;
        }
        const void *buf = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        const int rc = archive_read_data_block(m_archive, &buf, &size, &offset);
        if (rc == ARCHIVE_EOF) {
            // Trailing hole of a sparse file.
            if (m_entry.type == TarEntry::Type::File && m_dataOffset < m_entry.size) {
                m_holeEnd = m_entry.size;
                continue;
            }
            return QByteArrayView();
        }
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            // The raw format's one entry is named "data": not a name to show anybody.
            return fail(archiveError(
                archive_format(m_archive) == ARCHIVE_FORMAT_RAW
                    ? tr("'%1' is damaged").arg(m_displayName)
                    : tr("Cannot read '%1' from '%2'").arg(m_entry.path, m_displayName)));
        m_holeEnd = offset;
        m_pending = QByteArrayView(static_cast<const char *>(buf), static_cast<qsizetype>(size));
        m_hasPending = true;
    }
}

Result<qint64> TarReader::read(char *data, qint64 maxSize)
{
    qint64 done = 0;
    while (done < maxSize) {
        auto block = readBlock();
        if (!block)
            return fail(block.error());
        if (block->isEmpty())
            break;
        const qint64 n = std::min<qint64>(block->size(), maxSize - done);
        std::memcpy(data + done, block->data(), n);
        done += n;
        if (n < block->size())
            m_rest = block->sliced(n); // still valid: nothing was read from libarchive since
    }
    return done;
}

Status TarReader::skipData()
{
    if (archive_read_data_skip(m_archive) != ARCHIVE_OK)
        return fail(archiveError(tr("Cannot skip '%1' in '%2'").arg(m_entry.path, m_displayName)));
    m_pending = {};
    m_hasPending = false;
    m_rest = {};
    return {};
}

QString TarReader::compression() const
{
    const int filters = archive_filter_count(m_archive);
    for (int i = 0; i < filters; ++i) {
        if (archive_filter_code(m_archive, i) != ARCHIVE_FILTER_NONE)
            return QString::fromUtf8(archive_filter_name(m_archive, i));
    }
    return QStringLiteral("none");
}

qint64 TarReader::sourcePosition() const
{
    return archive_filter_bytes(m_archive, -1);
}

} // namespace Berth
