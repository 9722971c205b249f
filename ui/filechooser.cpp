#include "filechooser.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace Berth {

namespace {

// UI state rather than a preference: not one of AppSettings' keys.
QString settingsKey(const QString &purpose)
{
    return QStringLiteral("fileDialogs/") + (purpose.isEmpty() ? QStringLiteral("any") : purpose)
           + QStringLiteral("/lastFolder");
}

bool isUsableFolder(const QString &path)
{
    const QFileInfo info(path);
    return !path.isEmpty() && info.isAbsolute() && info.isDir();
}

const QString &compressedTars()
{
    static const QString patterns = QStringLiteral("(*.tar *.tar.gz *.tgz *.tar.zst *.tar.xz "
                                                   "*.tar.bz2)");
    return patterns;
}

} // namespace

QString lastFolder(const QString &purpose)
{
    const QString remembered = QSettings().value(settingsKey(purpose)).toString();
    return isUsableFolder(remembered) ? remembered : QDir::homePath();
}

void rememberFolder(const QString &purpose, FileRequest::Mode mode, const QString &chosenPath)
{
    if (chosenPath.isEmpty())
        return;
    const QFileInfo chosen(chosenPath);
    const QString folder
        = mode == FileRequest::Mode::Directory ? chosen.absoluteFilePath() : chosen.absolutePath();
    if (isUsableFolder(folder))
        QSettings().setValue(settingsKey(purpose), QDir::cleanPath(folder));
}

FileRequest startingWhereUseful(FileRequest request)
{
    const QFileInfo suggested(request.suggestedPath);
    const bool namesFile = request.mode == FileRequest::Mode::Save
                           && !request.suggestedPath.isEmpty() && !suggested.isDir();
    const QString folder = namesFile ? suggested.path() : request.suggestedPath;
    if (isUsableFolder(folder))
        return request;
    const QString start = lastFolder(request.purpose);
    request.suggestedPath = namesFile ? QDir(start).filePath(suggested.fileName()) : start;
    return request;
}

QString chooseFile(const FileChooser &chooser, QWidget *parent, const FileRequest &request)
{
    const FileRequest asked = startingWhereUseful(request);
    const QString chosen = chooser ? chooser(parent, asked) : chooseWithFileDialog(parent, asked);
    rememberFolder(request.purpose, request.mode, chosen);
    return chosen;
}

QString chooseWithFileDialog(QWidget *parent, const FileRequest &request)
{
    const FileRequest r = startingWhereUseful(request);
    QString chosen;
    switch (r.mode) {
    case FileRequest::Mode::Open:
        chosen = QFileDialog::getOpenFileName(parent, r.caption, r.suggestedPath, r.filter);
        break;
    case FileRequest::Mode::Save:
        chosen = QFileDialog::getSaveFileName(parent, r.caption, r.suggestedPath, r.filter);
        break;
    case FileRequest::Mode::Directory:
        chosen = QFileDialog::getExistingDirectory(parent, r.caption, r.suggestedPath);
        break;
    }
    rememberFolder(r.purpose, r.mode, chosen);
    return chosen;
}

QString imageArchiveFileFilter()
{
    return Berth::tr("Image archives %1").arg(compressedTars()) + QStringLiteral(";;")
           + Berth::tr("All files (*)");
}

QString filesystemArchiveFileFilter()
{
    return Berth::tr("Filesystem archives %1").arg(compressedTars()) + QStringLiteral(";;")
           + Berth::tr("All files (*)");
}

} // namespace Berth
