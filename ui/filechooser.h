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
};

using FileChooser = std::function<QString(QWidget *parent, const FileRequest &request)>;

inline QString chooseWithFileDialog(QWidget *parent, const FileRequest &request)
{
    switch (request.mode) {
    case FileRequest::Mode::Open:
        return QFileDialog::getOpenFileName(
            parent, request.caption, request.suggestedPath, request.filter);
    case FileRequest::Mode::Save:
        return QFileDialog::getSaveFileName(
            parent, request.caption, request.suggestedPath, request.filter);
    case FileRequest::Mode::Directory:
        return QFileDialog::getExistingDirectory(parent, request.caption, request.suggestedPath);
    }
    return {};
}

// The archive kinds docker and Berth read and write, for file dialogs.
inline QString archiveFileFilter()
{
    return Berth::tr("Image archives (*.tar *.tar.gz *.tgz *.tar.zst *.tar.xz *.tar.bz2)")
           + QStringLiteral(";;") + Berth::tr("All files (*)");
}

} // namespace Berth
