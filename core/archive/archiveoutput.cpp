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
    out->m_file = std::make_unique<QSaveFile>(target.path);
    if (!out->m_file->open(QIODevice::WriteOnly))
        return fail(Error::Kind::Io,
                    tr("Cannot create '%1': %2").arg(target.path, out->m_file->errorString()));
    out->m_fd = out->m_file->handle();
    return out;
}

ArchiveOutput::~ArchiveOutput()
{
    if (m_file && m_file->isOpen())
        m_file->cancelWriting(); // QSaveFile then removes its temp file
}

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
    if (!m_file)
        return {};
    if (::fsync(m_fd) != 0)
        return fail(Error::Kind::Io,
                    tr("Cannot write to '%1': %2")
                        .arg(m_target.path, QString::fromLocal8Bit(std::strerror(errno))));
    if (!m_file->commit())
        return fail(Error::Kind::Io,
                    tr("Cannot write '%1': %2").arg(m_target.path, m_file->errorString()));
    return {};
}

} // namespace Berth
