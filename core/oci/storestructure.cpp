#include "oci/storestructure.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

// The store's own files, each rewritten through a QSaveFile temp file next to it.
const QStringList SavedFiles{u"index.json"_s, u"berth-sources.json"_s, u"oci-layout"_s};

// lstat's verdict on one part of the layout: empty unless it is a symbolic link. Other wrong
// types (a directory named index.json) fail where they are used, with what was tried.
QString structureProblem(const QString &storePath, const QString &part, bool directory)
{
    struct stat st = {};
    const QString path = storePath + u'/' + part;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    if (S_ISLNK(st.st_mode))
        return tr("The image store %1 is not usable: %2 is a symbolic link, and Berth does not "
                  "follow links inside its store. Replace the link with the %3 it points to.")
            .arg(QDir::toNativeSeparators(storePath),
                 part,
                 directory ? tr("directory") : tr("file"));
    return {};
}

} // namespace

Status checkStoreStructure(const QString &storePath)
{
    const std::pair<QString, bool> parts[] = {{u"oci-layout"_s, false},
                                              {u"index.json"_s, false},
                                              {u"berth-sources.json"_s, false},
                                              {u"berth-leases"_s, true},
                                              {u"blobs"_s, true},
                                              {u"blobs/sha256"_s, true}};
    for (const auto &[part, directory] : parts) {
        if (const QString problem = structureProblem(storePath, part, directory);
            !problem.isEmpty())
            return fail(Error::Kind::Io, problem);
    }
    return {};
}

QStringList removeStaleSaveFiles(const QString &storePath)
{
    static const QRegularExpression pattern(u"^(.+)\\.[A-Za-z0-9]{6}$"_s);
    QStringList removed;
    const QDir dir(storePath);
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        const QRegularExpressionMatch match = pattern.match(name);
        if (!match.hasMatch() || !SavedFiles.contains(match.captured(1)))
            continue;
        // unlink(2) removes a symbolic link itself, never its target.
        if (QFile::remove(dir.filePath(name)))
            removed << dir.filePath(name);
    }
    return removed;
}

} // namespace Berth
