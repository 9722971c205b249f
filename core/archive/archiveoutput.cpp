#include "archive/archiveoutput.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace Berth {

Result<std::unique_ptr<ArchiveOutput>> ArchiveOutput::open(const ArchiveTarget &target)
{
    std::unique_ptr<ArchiveOutput> out(new ArchiveOutput);
    out->m_target = target;
    if (target.path.isEmpty()) {
        out->m_fd = target.fd;
        return out;
    }
    auto file = OutputFile::create(target.path);
    if (!file)
        return fail(file.error());
    out->m_file = std::move(*file);
    out->m_fd = out->m_file->fd();
    return out;
}

ArchiveOutput::~ArchiveOutput() = default; // an uncommitted OutputFile removes its temp file

Status ArchiveOutput::write(const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(m_fd, data, static_cast<size_t>(size));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(Error::Kind::Io,
                        tr("Cannot write to %1: %2")
                            .arg(displayName(), QString::fromLocal8Bit(std::strerror(errno))));
        data += n;
        size -= n;
    }
    return {};
}

Status ArchiveOutput::commit()
{
    return m_file ? m_file->commit() : Status();
}

} // namespace Berth
