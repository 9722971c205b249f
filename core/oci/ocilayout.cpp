#include "ocilayout.h"

#include "bloblease.h"
#include "storestructure.h"

#include "common/logging.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

const QString TempPrefix = QStringLiteral(".tmp-");
// Where a temp file's lock cannot be tested, one this old belongs to nobody: no download stalls an
// hour without failing.
constexpr qint64 StaleTempSeconds = 3600;
// The lock only covers short index updates; waiting longer than this means something is wrong.
constexpr int LockTimeoutMs = 60000;

QString ioError(const QString &what, const QString &path, const QString &reason)
{
    return tr("%1 %2: %3").arg(what, QDir::toNativeSeparators(path), reason);
}

// Makes a rename durable: the directory entry must reach the disk, not only the file data.
void syncDirectory(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

bool isHex64(QStringView name)
{
    if (name.size() != 64)
        return false;
    for (QChar c : name) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

QJsonObject platformToJson(const Platform &p)
{
    QJsonObject o{{u"os"_s, p.os}, {u"architecture"_s, p.architecture}};
    if (!p.variant.isEmpty())
        o.insert(u"variant"_s, p.variant);
    if (!p.osVersion.isEmpty())
        o.insert(u"os.version"_s, p.osVersion);
    return o;
}

QJsonObject descriptorToJson(const Descriptor &d)
{
    QJsonObject o{
        {u"mediaType"_s, d.mediaType}, {u"digest"_s, d.digest.toString()}, {u"size"_s, d.size}};
    if (d.platform)
        o.insert(u"platform"_s, platformToJson(*d.platform));
    if (!d.annotations.isEmpty()) {
        QJsonObject a;
        for (auto it = d.annotations.cbegin(); it != d.annotations.cend(); ++it)
            a.insert(it.key(), it.value());
        o.insert(u"annotations"_s, a);
    }
    if (!d.urls.isEmpty())
        o.insert(u"urls"_s, QJsonArray::fromStringList(d.urls));
    return o;
}

Result<Descriptor> descriptorFromJson(const QJsonObject &o)
{
    Descriptor d;
    d.mediaType = o.value(u"mediaType").toString();
    auto digest = Digest::parse(o.value(u"digest").toString());
    if (!digest)
        return fail(digest.error());
    d.digest = *digest;
    d.size = qint64(o.value(u"size").toDouble(-1));
    if (o.value(u"platform").isObject()) {
        const QJsonObject p = o.value(u"platform").toObject();
        d.platform = Platform{p.value(u"os").toString(),
                              p.value(u"architecture").toString(),
                              p.value(u"variant").toString(),
                              p.value(u"os.version").toString()};
    }
    const QJsonObject a = o.value(u"annotations").toObject();
    for (auto it = a.begin(); it != a.end(); ++it)
        d.annotations.insert(it.key(), it.value().toString());
    for (const QJsonValue &u : o.value(u"urls").toArray())
        d.urls << u.toString();
    return d;
}

Status writeAtomically(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(Error::Kind::Io, ioError(tr("Could not write"), path, file.errorString()));
    if (file.write(data) != data.size()) {
        file.cancelWriting();
        return fail(Error::Kind::Io, ioError(tr("Could not write"), path, file.errorString()));
    }
    // QSaveFile::commit() syncs the data before its rename; the directory needs its own sync.
    if (!file.commit())
        return fail(Error::Kind::Io, ioError(tr("Could not write"), path, file.errorString()));
    syncDirectory(QFileInfo(path).absolutePath());
    return {};
}

// A blob's temp file is created with an flock held for the writer's lifetime (the kernel drops it
// when the process dies, SIGKILL included), so fsck and prune tell a download in progress from the
// leftover of a killed process at once instead of waiting an hour. With O_TMPFILE the file only
// gets its name once locked; file systems without it get a named file locked right after.
// Answers the descriptor, or -1 with errno set (EEXIST: try another name).
int createLockedTemp(const QString &dir, const QString &name)
{
    const QByteArray path = QFile::encodeName(name);
    int fd = ::open(QFile::encodeName(dir).constData(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd >= 0) {
        ::flock(fd, LOCK_EX);
        const QByteArray self = "/proc/self/fd/" + QByteArray::number(fd);
        if (::linkat(AT_FDCWD, self.constData(), AT_FDCWD, path.constData(), AT_SYMLINK_FOLLOW)
            == 0)
            return fd;
        const int error = errno;
        ::close(fd);
        if (error == EEXIST) {
            errno = error;
            return -1;
        }
    }
    fd = ::open(path.constData(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
    if (fd >= 0)
        ::flock(fd, LOCK_EX);
    return fd;
}

// Whether a temp file is a leftover: nobody holds its lock (its writer died), or, where locks
// cannot be taken, it is older than any live download would leave it.
bool isLeftoverTemp(const QFileInfo &info, const QDateTime &staleBefore)
{
    const int fd = ::open(QFile::encodeName(info.filePath()).constData(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        const int locked = ::flock(fd, LOCK_EX | LOCK_NB);
        const int error = errno;
        ::close(fd);
        if (locked == 0)
            return true;
        if (error == EWOULDBLOCK)
            return false;
    }
    return info.lastModified().toUTC() < staleBefore;
}

Result<QString> hashFile(const QString &path, const std::function<bool()> &cancelled)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io, ioError(tr("Could not read"), path, file.errorString()));
    Sha256 hash;
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    for (;;) {
        if (cancelled && cancelled())
            return fail(Error::Kind::Cancelled, tr("Cancelled."));
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            return fail(Error::Kind::Io, ioError(tr("Could not read"), path, file.errorString()));
        if (n == 0)
            break;
        hash.addData(buffer.constData(), n);
    }
    return hash.digest();
}

} // namespace

// ---- OciBlobWriter

OciBlobWriter::~OciBlobWriter()
{
    if (!m_committed && !m_path.isEmpty()) {
        // Removed while still locked: no sweep can take it for a leftover meanwhile.
        QFile::remove(m_path);
        m_file.close();
    }
}

Status OciBlobWriter::write(QByteArrayView data)
{
    const char *p = data.data();
    qint64 left = data.size();
    while (left > 0) {
        const qint64 n = m_file.write(p, left);
        if (n <= 0)
            return fail(Error::Kind::Io,
                        tr("Could not write to the image store: %1").arg(m_file.errorString()));
        p += n;
        left -= n;
        m_size += n;
    }
    // Start the disk writing what is there every few MiB instead of all of it at commit's
    // fsync, and wait for the window before the one just started: at most two windows are ever
    // unwritten, so the fsync waits for the tail only. The wait costs nothing while the disk
    // outruns the network; when it does not, it keeps dirty pages from piling up.
    constexpr qint64 WritebackChunk = 8 * 1024 * 1024;
    if (m_size - m_writebackStarted >= WritebackChunk && m_file.flush()) {
        const int fd = m_file.handle();
        ::sync_file_range(
            fd, m_writebackStarted, m_size - m_writebackStarted, SYNC_FILE_RANGE_WRITE);
        if (m_waitForWriteback && m_writebackStarted > m_writebackWaited)
            ::sync_file_range(fd,
                              m_writebackWaited,
                              m_writebackStarted - m_writebackWaited,
                              SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE
                                  | SYNC_FILE_RANGE_WAIT_AFTER);
        m_writebackWaited = m_writebackStarted;
        m_writebackStarted = m_size;
    }
    return {};
}

Status OciBlobWriter::restart()
{
    if (!m_file.seek(0) || !m_file.resize(0))
        return fail(
            Error::Kind::Io,
            tr("Could not rewind a download in the image store: %1").arg(m_file.errorString()));
    m_size = 0;
    m_writebackStarted = 0;
    m_writebackWaited = 0;
    m_syncedSize = -1;
    return {};
}

Status OciBlobWriter::flush()
{
    if (!m_file.flush())
        return fail(Error::Kind::Io,
                    tr("Could not write to the image store: %1").arg(m_file.errorString()));
    return {};
}

Status OciBlobWriter::sync()
{
    if (!m_file.flush())
        return fail(Error::Kind::Io, ioError(tr("Could not write"), m_path, m_file.errorString()));
    if (::fsync(m_file.handle()) != 0)
        return fail(
            Error::Kind::Io,
            ioError(tr("Could not write"), m_path, QString::fromLocal8Bit(std::strerror(errno))));
    m_syncedSize = m_size;
    return {};
}

// ---- OciStore

OciStore::OciStore(const QString &path)
    : m_path(QDir::cleanPath(path.isEmpty() ? defaultPath() : path))
{}

QString OciStore::defaultPath()
{
    const QString env = qEnvironmentVariable("BERTH_STORE");
    if (!env.isEmpty())
        return env;
    // ~/.local/share/Berth/store, where users look for it (XDG style, like podman's
    // ~/.local/share/containers/storage).
    const QString current
        = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/Berth/store";
    // Earlier versions used the application data directory, which with organisation and
    // application both "Berth" is ~/.local/share/Berth/Berth/store. A store there stays in use
    // rather than being moved: a running older Berth may still be writing to it.
    const QString legacy
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/store";
    if (legacy != current && !QFileInfo::exists(current)
        && QFileInfo::exists(legacy + u"/oci-layout"))
        return legacy;
    return current;
}

template<typename F>
auto OciStore::withLock(F &&f) const -> decltype(f())
{
    QLockFile lock(m_path + u"/.lock");
    // Holders only keep it for an index rewrite; one that is older than this died holding it.
    lock.setStaleLockTime(30000);
    if (!lock.tryLock(LockTimeoutMs)) {
        return fail(Error::Kind::Io,
                    tr("The image store %1 is locked by another program (%2).")
                        .arg(QDir::toNativeSeparators(m_path),
                             lock.error() == QLockFile::PermissionError ? tr("permission denied")
                                                                        : tr("timed out waiting")));
    }
    return f();
}

Status OciStore::init() const
{
    // Checked before mkpath, which would happily accept a link to a directory as blobs/sha256.
    if (Status s = checkStoreStructure(m_path); !s)
        return s;
    if (!QDir().mkpath(m_path + u"/blobs/sha256"))
        return fail(
            Error::Kind::Io,
            tr("Could not create the image store at %1.").arg(QDir::toNativeSeparators(m_path)));
    const QString layout = m_path + u"/oci-layout";
    if (QFileInfo::exists(layout) && QFileInfo::exists(m_path + u"/index.json"))
        return {};
    // Under the lock like every other rewrite of the store's files, so that whoever holds it may
    // remove what a killed writer left (removeStaleSaveFiles).
    return withLock([&]() -> Status {
        if (!QFileInfo::exists(layout)) {
            if (Status s
                = writeAtomically(layout, QByteArrayLiteral("{\"imageLayoutVersion\":\"1.0.0\"}"));
                !s)
                return s;
        }
        if (QFileInfo::exists(m_path + u"/index.json"))
            return {};
        return writeIndexUnlocked({});
    });
}

QString OciStore::blobPath(const Digest &digest) const
{
    return m_path + u"/blobs/" + digest.algorithm() + u'/' + digest.encoded();
}

bool OciStore::hasBlob(const Digest &digest) const
{
    return digest.isValid() && QFileInfo::exists(blobPath(digest));
}

qint64 OciStore::blobSize(const Digest &digest) const
{
    const QFileInfo info(blobPath(digest));
    return info.exists() ? info.size() : -1;
}

Result<QByteArray> OciStore::readBlob(const Digest &digest, qint64 maxSize) const
{
    QFile file(blobPath(digest));
    if (!file.open(QIODevice::ReadOnly)) {
        if (!file.exists())
            return fail(Error::Kind::NotFound,
                        tr("The image store has no blob %1.").arg(digest.toString()));
        return fail(Error::Kind::Io,
                    ioError(tr("Could not read"), file.fileName(), file.errorString()));
    }
    if (file.size() > maxSize)
        return fail(
            Error::Kind::Protocol,
            tr("Blob %1 in the image store is larger than expected.").arg(digest.toString()));
    const QByteArray data = file.readAll();
    // Small blobs are parsed and trusted as they are read: check them every time, it costs little.
    if (Sha256::digestOf(data) != digest.toString())
        return fail(Error::Kind::DigestMismatch,
                    tr("Blob %1 in the image store is damaged; run fsck.").arg(digest.toString()));
    return data;
}

Result<Digest> OciStore::writeBlob(const QByteArray &data) const
{
    auto digest = Digest::parse(Sha256::digestOf(data));
    if (!digest)
        return fail(digest.error());
    if (hasBlob(*digest))
        return *digest;
    auto writer = createBlobWriter();
    if (!writer)
        return fail(writer.error());
    if (Status s = (*writer)->write(data); !s)
        return fail(s.error());
    if (Status s = commitBlob(**writer, *digest, data.size()); !s)
        return fail(s.error());
    return *digest;
}

Result<std::unique_ptr<OciBlobWriter>> OciStore::createBlobWriter() const
{
    std::unique_ptr<OciBlobWriter> writer(new OciBlobWriter);
    const QString dir = m_path + u"/blobs/sha256";
    int error = 0;
    for (int attempt = 0; attempt < 8; ++attempt) {
        const QString name = dir + u'/' + TempPrefix
                             + QString::number(QRandomGenerator::global()->generate64(), 16);
        const int fd = createLockedTemp(dir, name);
        if (fd >= 0) {
            if (!writer->m_file.open(fd, QIODevice::WriteOnly, QFileDevice::AutoCloseHandle)) {
                ::unlink(QFile::encodeName(name).constData());
                ::close(fd);
                return fail(Error::Kind::Io,
                            ioError(tr("Could not create a file in the image store"),
                                    m_path,
                                    writer->m_file.errorString()));
            }
            writer->m_path = name;
            return writer;
        }
        error = errno;
        if (error != EEXIST)
            break;
    }
    return fail(Error::Kind::Io,
                ioError(tr("Could not create a file in the image store"),
                        m_path,
                        QString::fromLocal8Bit(std::strerror(error))));
}

Status OciStore::commitBlob(OciBlobWriter &writer, const Digest &digest, qint64 expectedSize) const
{
    QFile &file = writer.m_file;
    if (expectedSize >= 0 && writer.m_size != expectedSize)
        return fail(Error::Kind::DigestMismatch,
                    tr("Blob %1 has %2 bytes where %3 were expected.")
                        .arg(digest.toString())
                        .arg(writer.m_size)
                        .arg(expectedSize));
    if (writer.m_syncedSize != writer.m_size) {
        if (Status s = writer.sync(); !s)
            return s;
    }
    const QString target = blobPath(digest);
    // rename(2) replaces atomically: when another process stored the same blob meanwhile, both
    // have identical content and either one may win. The file is closed (its lock released) only
    // once it has its final name.
    if (::rename(QFile::encodeName(writer.m_path).constData(),
                 QFile::encodeName(target).constData())
        != 0)
        return fail(
            Error::Kind::Io,
            ioError(tr("Could not store"), target, QString::fromLocal8Bit(std::strerror(errno))));
    writer.m_committed = true;
    file.close();
    // The rename itself becomes durable with the blob directory's sync before the next index
    // write (writeIndexUnlocked): until an index names the blob, losing it to a power cut only
    // costs a download, and one directory sync per pull instead of one per blob saves a journal
    // commit each (20-25 ms on this project's machine).
    return {};
}

Result<QList<OciIndexEntry>> OciStore::readIndex() const
{
    if (Status s = checkStoreStructure(m_path); !s)
        return fail(s.error());
    return readIndexUnlocked();
}

Result<QList<OciIndexEntry>> OciStore::readIndexUnlocked() const
{
    const QString path = m_path + u"/index.json";
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (!file.exists())
            return QList<OciIndexEntry>();
        return fail(Error::Kind::Io, ioError(tr("Could not read"), path, file.errorString()));
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject())
        return fail(Error::Kind::Io,
                    tr("The image store's index %1 is damaged: %2.")
                        .arg(QDir::toNativeSeparators(path), error.errorString()));
    QList<OciIndexEntry> entries;
    for (const QJsonValue &v : doc.object().value(u"manifests").toArray()) {
        auto d = descriptorFromJson(v.toObject());
        if (!d) {
            qCWarning(lcStore) << "skipping a malformed index entry in" << path;
            continue;
        }
        entries.append(OciIndexEntry{*d});
    }
    return entries;
}

QByteArray ociIndexJson(const QList<Descriptor> &descriptors)
{
    QJsonArray manifests;
    for (const Descriptor &d : descriptors)
        manifests.append(descriptorToJson(d));
    const QJsonObject root{{u"schemaVersion"_s, 2},
                           {u"mediaType"_s, QLatin1String(MediaType::OciIndex)},
                           {u"manifests"_s, manifests}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

Status OciStore::writeIndexUnlocked(const QList<OciIndexEntry> &entries) const
{
    QList<Descriptor> descriptors;
    descriptors.reserve(entries.size());
    for (const OciIndexEntry &e : entries)
        descriptors << e.descriptor;
    // Blobs renamed into place since the last index write (commitBlob) reach the disk first.
    syncDirectory(m_path + u"/blobs/sha256");
    return writeAtomically(m_path + u"/index.json", ociIndexJson(descriptors));
}

Status OciStore::updateIndex(const std::function<Status(QList<OciIndexEntry> &)> &change) const
{
    if (Status s = init(); !s)
        return s;
    return withLock([&]() -> Status {
        auto entries = readIndexUnlocked();
        if (!entries)
            return fail(entries.error());
        if (Status s = change(*entries); !s)
            return s;
        return writeIndexUnlocked(*entries);
    });
}

QHash<QString, QStringList> OciStore::blobSources() const
{
    QHash<QString, QStringList> sources;
    QFile file(m_path + u"/berth-sources.json");
    if (!file.open(QIODevice::ReadOnly))
        return sources;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        QStringList repos;
        for (const QJsonValue &v : it.value().toArray())
            repos << v.toString();
        sources.insert(it.key(), repos);
    }
    return sources;
}

Status OciStore::addBlobSources(const QStringList &digests, const QString &repository) const
{
    return withLock([&]() -> Status {
        QFile file(m_path + u"/berth-sources.json");
        QJsonObject root;
        if (file.open(QIODevice::ReadOnly))
            root = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        for (const QString &d : digests) {
            QJsonArray repos = root.value(d).toArray();
            if (!repos.contains(repository))
                repos.append(repository);
            root.insert(d, repos);
        }
        return writeAtomically(file.fileName(), QJsonDocument(root).toJson(QJsonDocument::Compact));
    });
}

QStringList OciStore::reachableBlobs(const Descriptor &root, QStringList *missing) const
{
    QStringList out;
    QList<Descriptor> queue{root};
    while (!queue.isEmpty()) {
        const Descriptor d = queue.takeFirst();
        const QString digest = d.digest.toString();
        if (out.contains(digest))
            continue;
        out << digest;
        if (!hasBlob(d.digest)) {
            if (missing && !missing->contains(digest))
                missing->append(digest);
            continue;
        }
        if (MediaType::isIndex(d.mediaType)) {
            auto body = readBlob(d.digest, MaxManifestSize);
            auto index = body ? parseImageIndex(*body, d.mediaType)
                              : Result<ImageIndex>(fail(body.error()));
            if (index)
                queue.append(index->manifests);
        } else if (MediaType::isImageManifest(d.mediaType)) {
            auto body = readBlob(d.digest, MaxManifestSize);
            auto manifest = body ? parseImageManifest(*body, d.mediaType)
                                 : Result<ImageManifest>(fail(body.error()));
            if (manifest) {
                queue.append(manifest->config);
                queue.append(manifest->layers);
            }
        }
    }
    return out;
}

QStringList OciStore::tempFiles() const
{
    QStringList out;
    QDirIterator it(m_path + u"/blobs/sha256", {TempPrefix + u'*'}, QDir::Files | QDir::Hidden);
    while (it.hasNext())
        out << it.next();
    return out;
}

Result<FsckReport> OciStore::fsck(const FsckOptions &options,
                                  const std::function<bool()> &cancelled) const
{
    if (Status s = checkStoreStructure(m_path); !s)
        return fail(s.error());
    FsckReport report;
    const QString blobDir = m_path + u"/blobs/sha256";

    QDirIterator it(blobDir, QDir::Files | QDir::Hidden);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString name = it.fileName();
        if (name.startsWith(TempPrefix))
            continue;
        if (!isHex64(name)) {
            report.problems << tr("Unexpected file %1 among the blobs.").arg(name);
            continue;
        }
        auto actual = hashFile(path, cancelled);
        if (!actual)
            return fail(actual.error());
        ++report.blobsChecked;
        const QString expected = u"sha256:" + name;
        if (*actual != expected) {
            report.corruptBlobs << expected;
            report.problems
                << tr("Blob %1 is damaged: its content hashes to %2.").arg(expected, *actual);
            if (options.repair)
                QFile::remove(path);
        }
    }

    // A store with neither blobs nor index is empty, not damaged: never written to yet, or its
    // creation (init) was interrupted and the next write completes it.
    if (!QFileInfo::exists(m_path + u"/oci-layout")
        && (report.blobsChecked > 0 || !report.problems.isEmpty()
            || QFileInfo::exists(m_path + u"/index.json")))
        report.problems.prepend(tr("The file oci-layout is missing."));

    auto entries = readIndex();
    if (!entries) {
        report.problems << entries.error().message;
    } else {
        for (const OciIndexEntry &e : *entries) {
            ++report.entriesChecked;
            QStringList missing;
            reachableBlobs(e.descriptor, &missing);
            const QString name
                = e.refName().isEmpty() ? e.descriptor.digest.toString() : e.refName();
            for (const QString &m : std::as_const(missing)) {
                if (!report.missingBlobs.contains(m))
                    report.missingBlobs << m;
                report.problems << tr("Image %1 needs blob %2, which is missing.").arg(name, m);
            }
            for (const QString &c : std::as_const(report.corruptBlobs)) {
                if (reachableBlobs(e.descriptor).contains(c))
                    report.problems << tr("Image %1 uses the damaged blob %2.").arg(name, c);
            }
        }
    }

    const QDateTime staleBefore = QDateTime::currentDateTimeUtc().addSecs(-StaleTempSeconds);
    for (const QString &temp : tempFiles()) {
        report.tempFiles << temp;
        if (options.repair || isLeftoverTemp(QFileInfo(temp), staleBefore)) {
            if (QFile::remove(temp))
                report.removedTempFiles << temp;
        }
    }
    if (Status s = removeLeftoversLocked(report.removedTempFiles); !s)
        report.problems << s.error().message;
    return report;
}

Status OciStore::removeLeftoversLocked(QStringList &removed) const
{
    if (!QFileInfo(m_path).isDir())
        return {}; // nothing was ever written: nothing left over either
    return withLock([&]() -> Status {
        removed << removeStaleSaveFiles(m_path);
        leasedBlobs(m_path, &removed);
        return {};
    });
}

Result<StorePruneReport> OciStore::sweepUnlocked(const QList<OciIndexEntry> &entries) const
{
    StorePruneReport report;
    removeStaleSaveFiles(m_path);
    // What pulls in progress have fetched (or rely on) but not tagged yet stays.
    QSet<QString> keep = leasedBlobs(m_path);
    for (const OciIndexEntry &e : entries) {
        for (const QString &d : reachableBlobs(e.descriptor))
            keep.insert(d);
    }
    const QDateTime staleBefore = QDateTime::currentDateTimeUtc().addSecs(-StaleTempSeconds);
    QDirIterator it(m_path + u"/blobs/sha256", QDir::Files | QDir::Hidden);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString name = it.fileName();
        const QFileInfo info = it.fileInfo();
        // Read before the removal: a QFileInfo asked afterwards knows of no file.
        const qint64 size = info.size();
        if (name.startsWith(TempPrefix)) {
            // A locked temp file is another process's download in progress.
            if (isLeftoverTemp(info, staleBefore) && QFile::remove(path))
                report.reclaimedBytes += size;
            continue;
        }
        const QString digest = u"sha256:" + name;
        if (!isHex64(name) || keep.contains(digest))
            continue;
        if (QFile::remove(path)) {
            report.removedBlobs << digest;
            report.reclaimedBytes += size;
        }
    }
    if (!report.removedBlobs.isEmpty()) {
        QFile file(m_path + u"/berth-sources.json");
        if (file.open(QIODevice::ReadOnly)) {
            QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
            file.close();
            for (const QString &d : std::as_const(report.removedBlobs))
                root.remove(d);
            if (Status s = writeAtomically(file.fileName(),
                                           QJsonDocument(root).toJson(QJsonDocument::Compact));
                !s)
                qCWarning(lcStore) << "could not update" << file.fileName();
        }
    }
    return report;
}

Result<StorePruneReport> OciStore::prune(bool all) const
{
    if (Status s = init(); !s)
        return fail(s.error());
    return withLock([&]() -> Result<StorePruneReport> {
        auto entries = readIndexUnlocked();
        if (!entries)
            return fail(entries.error());
        QStringList removedEntries;
        QList<OciIndexEntry> kept;
        for (const OciIndexEntry &e : std::as_const(*entries)) {
            if (all || e.refName().isEmpty())
                removedEntries << (e.refName().isEmpty() ? e.descriptor.digest.toString()
                                                         : e.refName());
            else
                kept << e;
        }
        if (kept.size() != entries->size()) {
            if (Status s = writeIndexUnlocked(kept); !s)
                return fail(s.error());
        }
        auto report = sweepUnlocked(kept);
        if (report)
            report->removedEntries = removedEntries;
        return report;
    });
}

Result<StorePruneReport> OciStore::collectGarbage() const
{
    if (Status s = checkStoreStructure(m_path); !s)
        return fail(s.error());
    return withLock([&]() -> Result<StorePruneReport> {
        auto entries = readIndexUnlocked();
        if (!entries)
            return fail(entries.error());
        return sweepUnlocked(*entries);
    });
}

Status OciStore::discardBlobs(const QStringList &digests) const
{
    if (digests.isEmpty())
        return {};
    if (Status s = checkStoreStructure(m_path); !s)
        return s;
    return withLock([&]() -> Status {
        auto entries = readIndexUnlocked();
        if (!entries)
            return fail(entries.error());
        QSet<QString> keep = leasedBlobs(m_path);
        for (const OciIndexEntry &e : std::as_const(*entries)) {
            for (const QString &d : reachableBlobs(e.descriptor))
                keep.insert(d);
        }
        for (const QString &d : digests) {
            auto digest = Digest::parse(d);
            if (digest && !keep.contains(d))
                QFile::remove(blobPath(*digest));
        }
        return {};
    });
}

Result<std::unique_ptr<OciBlobLease>> OciStore::leaseBlobs(const QStringList &digests) const
{
    if (Status s = init(); !s)
        return fail(s.error());
    return withLock([&]() -> Result<std::unique_ptr<OciBlobLease>> {
        return OciBlobLease::create(m_path, digests);
    });
}

} // namespace Berth
