#include "archive/outputfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Berth {

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Where the link at `path` leads: the final file when it exists, else what the link names.
QString linkTarget(const QString &path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.symLinkTarget()) : canonical;
}

// The process's own descriptors by name (`-o /dev/stdout`, `-o /dev/fd/3`): links the kernel
// keeps, not ones anybody could plant, and they name what the user redirected the descriptor to.
// Written through a copy of the descriptor, as the shell treats these names; -1 for other paths.
int ownDescriptor(const QString &path)
{
    static const QRegularExpression own(
        QStringLiteral("^/(?:dev/(stdout|stderr)|dev/fd/(\\d{1,4})|proc/self/fd/(\\d{1,4}))$"));
    const QRegularExpressionMatch m = own.match(path);
    if (!m.hasMatch())
        return -1;
    if (m.captured(1) == QLatin1String("stdout"))
        return STDOUT_FILENO;
    if (m.captured(1) == QLatin1String("stderr"))
        return STDERR_FILENO;
    return QString(m.captured(2) + m.captured(3)).toInt();
}

void syncDirectory(const QString &file)
{
    const int dir = ::open(QFile::encodeName(QFileInfo(file).absolutePath()).constData(),
                           O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

} // namespace

Result<std::unique_ptr<OutputFile>> OutputFile::create(const QString &path)
{
    std::unique_ptr<OutputFile> out(new OutputFile);
    out->m_path = path;
    if (const int own = ownDescriptor(path); own >= 0) {
        out->m_fd = ::fcntl(own, F_DUPFD_CLOEXEC, 0);
        if (out->m_fd < 0)
            return fail(Error::Kind::Io, tr("Cannot create '%1': %2").arg(path, errnoText(errno)));
        return out;
    }
    const QByteArray native = QFile::encodeName(path);
    struct stat st = {};
    const bool exists = ::lstat(native.constData(), &st) == 0;
    if (exists && S_ISLNK(st.st_mode))
        return fail(out->refuseLink().error());
    if (exists && S_ISDIR(st.st_mode))
        return fail(Error::Kind::Io, tr("Cannot create '%1': %2").arg(path, errnoText(EISDIR)));
    if (exists && !S_ISREG(st.st_mode)) {
        // O_NOFOLLOW: a link swapped in since the lstat fails here instead of being followed.
        out->m_fd = ::open(native.constData(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        if (out->m_fd < 0)
            return fail(Error::Kind::Io, tr("Cannot create '%1': %2").arg(path, errnoText(errno)));
        return out;
    }
    if (auto created = out->createTemp(exists ? st.st_mode & 07777 : 0, exists); !created)
        return fail(created.error());
    return out;
}

OutputFile::~OutputFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_committed && !m_temp.isEmpty())
        ::unlink(m_temp.constData());
}

Status OutputFile::refuseLink() const
{
    return fail(Error::Kind::InvalidArgument,
                tr("'%1' is a symbolic link to '%2': nothing was written. Berth does not write "
                   "through links; to replace '%2', name it instead.")
                    .arg(m_path, linkTarget(m_path)));
}

// A new file gets the usual 0666 less the umask; an existing one keeps its permissions, which the
// temp file takes only once it is private to this process.
Status OutputFile::createTemp(mode_t keepMode, bool exists)
{
    const QByteArray base = QFile::encodeName(m_path);
    for (int attempt = 0; attempt < 100; ++attempt) {
        m_temp = base + '.'
                 + QByteArray::number(QRandomGenerator::global()->generate64(), 36).right(8);
        m_fd = ::open(m_temp.constData(),
                      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      exists ? 0600 : 0666);
        if (m_fd >= 0)
            break;
        if (errno != EEXIST) {
            const int error = errno;
            m_temp.clear();
            return fail(Error::Kind::Io,
                        tr("Cannot create '%1': %2").arg(m_path, errnoText(error)));
        }
    }
    if (m_fd < 0) {
        m_temp.clear();
        return fail(Error::Kind::Io, tr("Cannot create '%1': %2").arg(m_path, errnoText(EEXIST)));
    }
    if (exists)
        ::fchmod(m_fd, keepMode);
    return {};
}

Status OutputFile::commit()
{
    if (m_committed)
        return {};
    if (m_temp.isEmpty()) { // a device or FIFO written in place
        m_committed = true;
        return {};
    }
    if (::fsync(m_fd) != 0)
        return fail(Error::Kind::Io, tr("Cannot write to '%1': %2").arg(m_path, errnoText(errno)));
    return renameIntoPlace();
}

Status OutputFile::renameIntoPlace()
{
    // A link that appeared since create() is refused too; one that appears after this check is
    // replaced by rename(2), never followed.
    struct stat st = {};
    if (::lstat(QFile::encodeName(m_path).constData(), &st) == 0 && S_ISLNK(st.st_mode))
        return refuseLink();
    if (::rename(m_temp.constData(), QFile::encodeName(m_path).constData()) != 0)
        return fail(Error::Kind::Io, tr("Cannot write '%1': %2").arg(m_path, errnoText(errno)));
    m_committed = true;
    syncDirectory(m_path);
    return {};
}

} // namespace Berth
