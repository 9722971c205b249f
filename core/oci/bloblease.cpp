#include "oci/bloblease.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

QString leaseDirectory(const QString &storePath)
{
    return storePath + u"/berth-leases"_s;
}

// Whether a lease's process still holds it. A file whose lock cannot be tested (a file system
// without flock) counts as live: keeping blobs a little longer loses nothing.
bool isLive(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno != ENOENT && errno != ELOOP;
    // Taken: nobody held it. Refused, whether because it is held (EWOULDBLOCK) or because the
    // file system cannot tell: live.
    const bool taken = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return !taken;
}

QStringList digestsIn(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

} // namespace

OciBlobLease::~OciBlobLease()
{
    if (m_fd < 0)
        return;
    // Removed while still locked: no collection takes it for a dead process's meanwhile.
    ::unlink(QFile::encodeName(m_path).constData());
    ::close(m_fd);
}

Result<std::unique_ptr<OciBlobLease>> OciBlobLease::create(const QString &storePath,
                                                           const QStringList &digests)
{
    const QString dir = leaseDirectory(storePath);
    const auto failed = [&](int error) {
        return fail(
            Error::Kind::Io,
            tr("Could not create a file in the image store %1: %2")
                .arg(QDir::toNativeSeparators(dir), QString::fromLocal8Bit(std::strerror(error))));
    };
    if (!QDir().mkpath(dir))
        return failed(errno);
    std::unique_ptr<OciBlobLease> lease(new OciBlobLease);
    for (int attempt = 0; attempt < 8 && lease->m_fd < 0; ++attempt) {
        lease->m_path = dir + u'/' + QString::number(QRandomGenerator::global()->generate64(), 16);
        lease->m_fd = ::open(QFile::encodeName(lease->m_path).constData(),
                             O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
                             0666);
        if (lease->m_fd < 0 && errno != EEXIST)
            return failed(errno);
    }
    if (lease->m_fd < 0)
        return failed(EEXIST);
    ::flock(lease->m_fd, LOCK_EX);
    const QByteArray body = digests.join(u'\n').toLatin1() + '\n';
    for (qsizetype done = 0; done < body.size();) {
        const ssize_t n = ::write(lease->m_fd, body.constData() + done, size_t(body.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return failed(errno);
        done += n;
    }
    return lease;
}

QSet<QString> leasedBlobs(const QString &storePath, QStringList *removed)
{
    QSet<QString> out;
    const QDir dir(leaseDirectory(storePath));
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        const QString path = dir.filePath(name);
        if (!isLive(path)) {
            if (QFile::remove(path) && removed)
                *removed << path;
            continue;
        }
        for (const QString &digest : digestsIn(path))
            out.insert(digest);
    }
    return out;
}

} // namespace Berth
