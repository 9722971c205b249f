#include "archivefiles.h"

#include "filechooser.h"

#include <QStringList>

namespace Berth {

namespace {

// Longest first, so ".tar.gz" wins over ".gz" and ".tar".
const QStringList &knownSuffixes()
{
    static const QStringList suffixes{QStringLiteral(".tar.gz"),
                                      QStringLiteral(".tar.zst"),
                                      QStringLiteral(".tar.bz2"),
                                      QStringLiteral(".tar.xz"),
                                      QStringLiteral(".tbz2"),
                                      QStringLiteral(".tzst"),
                                      QStringLiteral(".tgz"),
                                      QStringLiteral(".txz"),
                                      QStringLiteral(".tar")};
    return suffixes;
}

} // namespace

QString defaultArchiveDirectory()
{
    return lastFolder(QString());
}

QString suggestedArchiveBaseName(const QString &image)
{
    QString name = image.section(u'/', -1);
    if (image.startsWith(u"sha256:"))
        name = image.mid(7, 12);
    name.replace(u':', u'-');
    name.replace(u'@', u'-');
    return name.isEmpty() ? QStringLiteral("image") : name;
}

QString archiveSuffix(Compression compression)
{
    switch (compression) {
    case Compression::None:
        break;
    case Compression::Gzip:
        return QStringLiteral(".tar.gz");
    case Compression::Zstd:
        return QStringLiteral(".tar.zst");
    case Compression::Xz:
        return QStringLiteral(".tar.xz");
    case Compression::Bzip2:
        return QStringLiteral(".tar.bz2");
    }
    return QStringLiteral(".tar");
}

QString archiveSuffixOf(const QString &fileName)
{
    // The name needs more than a suffix: ".tar" alone is a hidden file, not an archive.
    const QString lower = fileName.section(u'/', -1).toLower();
    for (const QString &suffix : knownSuffixes()) {
        if (lower.endsWith(suffix) && lower.size() > suffix.size())
            return suffix;
    }
    return {};
}

QString withArchiveSuffix(const QString &path, Compression compression)
{
    const QString suffix = archiveSuffixOf(path);
    return path.left(path.size() - suffix.size()) + archiveSuffix(compression);
}

} // namespace Berth
