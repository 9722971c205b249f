#pragma once

#include "common/result.h"

#include <QFileDialog>
#include <QString>
#include <QWidget>

#include <functional>

namespace Berth {

// How pages ask the user for a file: QFileDialog in the application, a function returning a path
// in tests (static file dialogs cannot be driven headless). An empty answer means "cancelled".
struct FileRequest
{
    enum class Mode { Open, Save, Directory };
    Mode mode = Mode::Open;
    QString caption;
    QString suggestedPath; // the directory, plus the file name for Save
    QString filter;        // "Image archives (*.tar *.tar.gz)"
    // What the file is for ("load", "import", "export", "save"): the picker starts in the folder
    // last chosen for it. Empty: one folder shared by every such request.
    QString purpose;
};

using FileChooser = std::function<QString(QWidget *parent, const FileRequest &request)>;

// The folder last chosen for `purpose` when it still exists, else the user's home: where a picker
// starts, never the process's working folder.
QString lastFolder(const QString &purpose);
// Remembers the folder of `chosenPath` (a file, or a folder for Mode::Directory) for `purpose`.
void rememberFolder(const QString &purpose, FileRequest::Mode mode, const QString &chosenPath);
// The request with a suggested path that exists: a missing, empty or relative folder is replaced
// by lastFolder(purpose), keeping the file name a Save suggests.
FileRequest startingWhereUseful(FileRequest request);
// Asks `chooser` with startingWhereUseful(request), and remembers the folder of the answer.
QString chooseFile(const FileChooser &chooser, QWidget *parent, const FileRequest &request);

// QFileDialog's static functions, through chooseFile()'s rules.
QString chooseWithFileDialog(QWidget *parent, const FileRequest &request);

// Filters for file dialogs: what `docker save` writes and `docker load` reads, and what `docker
// export` writes and `docker import` reads. Both are tars, but not of the same thing.
QString imageArchiveFileFilter();
QString filesystemArchiveFileFilter();
// The image archives' filter, for callers that predate the two.
inline QString archiveFileFilter()
{
    return imageArchiveFileFilter();
}

} // namespace Berth
