#include "archive/compressedstream.h"

#include <archive.h>
#include <archive_entry.h>

namespace Berth {

Result<std::unique_ptr<CompressedStream>> CompressedStream::open(Compression compression,
                                                                 WriteFunction write)
{
    std::unique_ptr<CompressedStream> s(new CompressedStream);
    s->m_write = std::move(write);
    if (compression == Compression::None)
        return s;
    archive *a = archive_write_new();
    s->m_archive = a;
    archive_write_set_format_raw(a);
    int rc = addCompressionFilter(a, compression);
    if (rc != ARCHIVE_OK)
        return fail(
            Error::Kind::Unsupported,
            tr("Cannot compress with %1: %2")
                .arg(compressionName(compression), QString::fromUtf8(archive_error_string(a))));
    archive_write_set_bytes_per_block(a, 1 << 20);
    archive_write_set_bytes_in_last_block(a, 1);
    auto callback = [](archive *ar, void *data, const void *buffer, size_t length) -> la_ssize_t {
        auto *self = static_cast<CompressedStream *>(data);
        if (self->m_discard)
            return la_ssize_t(length);
        if (Status st = self->m_write(static_cast<const char *>(buffer), qint64(length)); !st) {
            self->m_lastError = st.error();
            self->m_failed = true;
            archive_set_error(ar, EIO, "%s", "write failed");
            return -1;
        }
        return la_ssize_t(length);
    };
    if (archive_write_open(a, s.get(), nullptr, callback, nullptr) != ARCHIVE_OK)
        return fail(Error::Kind::Io, QString::fromUtf8(archive_error_string(a)));
    archive_entry *entry = archive_entry_new();
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_pathname(entry, "data");
    rc = archive_write_header(a, entry);
    archive_entry_free(entry);
    if (rc != ARCHIVE_OK)
        return fail(Error::Kind::Io, QString::fromUtf8(archive_error_string(a)));
    return s;
}

CompressedStream::~CompressedStream()
{
    if (!m_archive)
        return;
    // No trailer that would make a cut stream look whole (archive_write_fail() would leak).
    m_discard = !m_finished;
    archive_write_free(m_archive);
}

Status CompressedStream::write(QByteArrayView data)
{
    if (!m_archive)
        return m_write(data.data(), data.size());
    const char *p = data.data();
    qint64 left = data.size();
    while (left > 0) {
        const la_ssize_t n = archive_write_data(m_archive, p, size_t(left));
        if (n <= 0) {
            if (m_failed)
                return fail(m_lastError);
            return fail(Error::Kind::Io, QString::fromUtf8(archive_error_string(m_archive)));
        }
        p += n;
        left -= n;
    }
    return {};
}

Status CompressedStream::finish()
{
    if (!m_archive || m_finished)
        return {};
    m_finished = true;
    if (archive_write_close(m_archive) != ARCHIVE_OK) {
        if (m_failed)
            return fail(m_lastError);
        return fail(Error::Kind::Io, QString::fromUtf8(archive_error_string(m_archive)));
    }
    return {};
}

} // namespace Berth
