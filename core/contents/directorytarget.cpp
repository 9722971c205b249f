#include "contents/layerextract.h"

#include <QDir>
#include <QFile>
#include <QList>
#include <QSet>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Berth {

namespace {

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// A descriptor closed when it goes.
class Fd
{
public:
    explicit Fd(int fd = -1)
        : m_fd(fd)
    {}
    Fd(Fd &&other) noexcept
        : m_fd(std::exchange(other.m_fd, -1))
    {}
    Fd &operator=(Fd &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    ~Fd() { reset(); }
    void reset()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    int get() const { return m_fd; }

private:
    int m_fd;
};

// Permission bits as a copy made by an unprivileged user keeps them: set-uid and set-gid dropped.
mode_t safeMode(quint32 mode)
{
    return mode_t(mode & 01777);
}

timespec timeOf(qint64 seconds)
{
    timespec t{};
    t.tv_sec = time_t(seconds);
    return t;
}

struct PendingDirectory
{
    QByteArray relative;
    quint32 mode = 0;
    qint64 mtime = 0;
};

class DirectoryTarget final : public ExtractTarget
{
public:
    DirectoryTarget(QString destination, Fd root)
        : m_destination(std::move(destination))
        , m_root(std::move(root))
    {}

    Status directory(const ContentsEntry &entry, QByteArrayView relative) override;
    Status symlink(const ContentsEntry &entry, QByteArrayView relative) override;
    Status
    hardLink(const ContentsEntry &entry, QByteArrayView relative, QByteArrayView existing) override;
    Status beginFile(const ContentsEntry &entry, QByteArrayView relative) override;
    Status fileData(QByteArrayView data) override;
    Status endFile() override;
    Status finish() override;

private:
    Status checkRelative(QByteArrayView relative) const;
    Result<int> openDirectory(QByteArrayView relative, bool create, QByteArrayView forPath);
    Result<int> parentOf(QByteArrayView relative);
    Status clearName(int parent, QByteArrayView relative, bool keepDirectory);
    // The folder `relative` goes in, opened, with nothing left under its name (a folder kept
    // when keepDirectory): what every entry does before it is made.
    Result<int> makeRoomFor(QByteArrayView relative, bool keepDirectory);
    Error ioError(QByteArrayView relative, int error) const;

    QString m_destination;
    Fd m_root;
    QByteArray m_parentPath; // the last parent opened, kept for its neighbours
    Fd m_parent;
    QByteArray m_filePath;
    Fd m_file;
    ContentsEntry m_fileEntry;
    QSet<QByteArray> m_written; // regular files of this copy: the only hard-link targets
    QList<PendingDirectory> m_directories;
};

Error DirectoryTarget::ioError(QByteArrayView relative, int error) const
{
    return Error::make(Error::Kind::Io,
                       Berth::tr("Cannot write '%1' in '%2': %3")
                           .arg(displayPath(relative), m_destination, systemError(error)));
}

// Only a path below the destination: no "..", ".", empty component or leading '/'.
Status DirectoryTarget::checkRelative(QByteArrayView relative) const
{
    bool ok = !relative.isEmpty() && !relative.contains('\0');
    for (const QByteArray &part : relative.toByteArray().split('/'))
        ok = ok && !part.isEmpty() && part != "." && part != "..";
    if (ok)
        return {};
    return fail(Error::Kind::InvalidArgument,
                Berth::tr("Refusing to write '%1': it is not a path inside '%2'.")
                    .arg(displayPath(relative), m_destination));
}

// Walks `relative` from the destination one component at a time, never through a symbolic
// link: O_NOFOLLOW | O_DIRECTORY makes a link or a file on the way an error, not a detour.
Result<int>
DirectoryTarget::openDirectory(QByteArrayView relative, bool create, QByteArrayView forPath)
{
    Fd current(::dup(m_root.get()));
    if (relative.isEmpty())
        return ::dup(current.get());
    QByteArray walked;
    for (const QByteArray &name : relative.toByteArray().split('/')) {
        walked += walked.isEmpty() ? name : '/' + name;
        constexpr int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        int fd = ::openat(current.get(), name.constData(), flags);
        if (fd < 0 && errno == ENOENT && create) {
            if (::mkdirat(current.get(), name.constData(), 0700) != 0 && errno != EEXIST)
                return fail(ioError(forPath, errno));
            fd = ::openat(current.get(), name.constData(), flags);
        }
        if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
            return fail(Error::Kind::Io,
                        Berth::tr("Cannot write '%1' in '%2': '%3' there is not a folder "
                                  "(symbolic links are never followed).")
                            .arg(displayPath(forPath), m_destination, displayPath(walked)));
        if (fd < 0)
            return fail(ioError(forPath, errno));
        current = Fd(fd);
    }
    return ::dup(current.get());
}

Result<int> DirectoryTarget::parentOf(QByteArrayView relative)
{
    if (Status s = checkRelative(relative); !s)
        return fail(s.error());
    const QByteArrayView parent = parentPath(relative);
    if (m_parent.get() >= 0 && m_parentPath == parent)
        return m_parent.get();
    m_parent.reset();
    auto fd = openDirectory(parent, true, relative);
    if (!fd)
        return fd;
    m_parent = Fd(*fd);
    m_parentPath = parent.toByteArray();
    return m_parent.get();
}

// Makes room for a new entry: what is there is removed, never followed (a symbolic link is
// unlinked itself); an empty directory too unless `keepDirectory`.
Status DirectoryTarget::clearName(int parent, QByteArrayView relative, bool keepDirectory)
{
    const QByteArray name = baseName(relative).toByteArray();
    struct stat st
    {
    };
    if (::fstatat(parent, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? Status() : fail(ioError(relative, errno));
    if (S_ISDIR(st.st_mode) && keepDirectory)
        return {};
    // The folder kept open is this name's parent, never inside what goes: it stays valid.
    if (S_ISDIR(st.st_mode)) {
        if (::unlinkat(parent, name.constData(), AT_REMOVEDIR) != 0)
            return fail(ioError(relative, errno));
        return {};
    }
    if (::unlinkat(parent, name.constData(), 0) != 0)
        return fail(ioError(relative, errno));
    return {};
}

Result<int> DirectoryTarget::makeRoomFor(QByteArrayView relative, bool keepDirectory)
{
    auto parent = parentOf(relative);
    if (!parent)
        return fail(parent.error());
    if (Status s = clearName(*parent, relative, keepDirectory); !s)
        return fail(s.error());
    return parent;
}

Status DirectoryTarget::directory(const ContentsEntry &entry, QByteArrayView relative)
{
    auto parent = makeRoomFor(relative, true);
    if (!parent)
        return fail(parent.error());
    const QByteArray name = baseName(relative).toByteArray();
    // Owner-writable until finish(): a read-only folder of the image must still get its files.
    if (::mkdirat(*parent, name.constData(), 0700) != 0 && errno != EEXIST)
        return fail(ioError(relative, errno));
    m_directories.append({relative.toByteArray(), entry.mode, entry.mtime});
    return {};
}

Status DirectoryTarget::symlink(const ContentsEntry &entry, QByteArrayView relative)
{
    auto parent = makeRoomFor(relative, false);
    if (!parent)
        return fail(parent.error());
    const QByteArray name = baseName(relative).toByteArray();
    // Created as stored, wherever it points: nothing here ever opens a path through it.
    if (::symlinkat(entry.linkTarget.constData(), *parent, name.constData()) != 0)
        return fail(ioError(relative, errno));
    const timespec times[2] = {timeOf(entry.mtime), timeOf(entry.mtime)};
    ::utimensat(*parent, name.constData(), times, AT_SYMLINK_NOFOLLOW);
    return {};
}

Status DirectoryTarget::hardLink(const ContentsEntry &entry,
                                 QByteArrayView relative,
                                 QByteArrayView existing)
{
    Q_UNUSED(entry)
    if (!m_written.contains(existing.toByteArray()))
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("Refusing to link '%1' to '%2': only files of this copy can be "
                              "linked to.")
                        .arg(displayPath(relative), displayPath(existing)));
    auto from = openDirectory(parentPath(existing), false, existing);
    if (!from)
        return fail(from.error());
    Fd fromFd(*from);
    auto parent = makeRoomFor(relative, false);
    if (!parent)
        return fail(parent.error());
    const QByteArray fromName = baseName(existing).toByteArray();
    const QByteArray name = baseName(relative).toByteArray();
    if (::linkat(fromFd.get(), fromName.constData(), *parent, name.constData(), 0) != 0)
        return fail(ioError(relative, errno));
    m_written.insert(relative.toByteArray());
    return {};
}

Status DirectoryTarget::beginFile(const ContentsEntry &entry, QByteArrayView relative)
{
    auto parent = makeRoomFor(relative, false);
    if (!parent)
        return fail(parent.error());
    const QByteArray name = baseName(relative).toByteArray();
    // O_EXCL as well: a name that reappeared since it was cleared is an error, not a target.
    const int fd = ::openat(
        *parent, name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(ioError(relative, errno));
    m_file = Fd(fd);
    m_filePath = relative.toByteArray();
    m_fileEntry = entry;
    return {};
}

Status DirectoryTarget::fileData(QByteArrayView data)
{
    const char *p = data.data();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(m_file.get(), p, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(ioError(m_filePath, n < 0 ? errno : ENOSPC));
        p += n;
        left -= n;
    }
    return {};
}

Status DirectoryTarget::endFile()
{
    const timespec times[2] = {timeOf(m_fileEntry.mtime), timeOf(m_fileEntry.mtime)};
    if (::fchmod(m_file.get(), safeMode(m_fileEntry.mode)) != 0
        || ::futimens(m_file.get(), times) != 0)
        return fail(ioError(m_filePath, errno));
    m_file.reset();
    m_written.insert(m_filePath);
    return {};
}

// Modes and times of folders last, deepest first: writing a file changes its folder's time, and
// a read-only folder would refuse the files still to come.
Status DirectoryTarget::finish()
{
    m_parent.reset();
    std::stable_sort(m_directories.begin(),
                     m_directories.end(),
                     [](const PendingDirectory &a, const PendingDirectory &b) {
                         return a.relative.count('/') > b.relative.count('/');
                     });
    for (const PendingDirectory &d : std::as_const(m_directories)) {
        auto fd = openDirectory(d.relative, false, d.relative);
        if (!fd)
            return fail(fd.error());
        Fd dir(*fd);
        const timespec times[2] = {timeOf(d.mtime), timeOf(d.mtime)};
        if (::fchmod(dir.get(), safeMode(d.mode)) != 0 || ::futimens(dir.get(), times) != 0)
            return fail(ioError(d.relative, errno));
    }
    m_directories.clear();
    return {};
}

} // namespace

Result<std::unique_ptr<ExtractTarget>> directoryTarget(const QString &destination)
{
    // The destination itself is the user's choice: made when missing, links in it followed.
    if (!QDir().mkpath(destination))
        return fail(Error::Kind::Io, Berth::tr("Cannot create the folder '%1'.").arg(destination));
    const int fd
        = ::open(QFile::encodeName(destination).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return fail(
            Error::Kind::Io,
            Berth::tr("Cannot open the folder '%1': %2").arg(destination, systemError(errno)));
    return std::unique_ptr<ExtractTarget>(new DirectoryTarget(destination, Fd(fd)));
}

} // namespace Berth
