#pragma once

#include "filechooser.h"

#include <QDialog>

namespace Berth {

class ImageFilesView;
class TransferManager;

// The Files tab on its own, for an image archive on disk (a `docker save` tar, an OCI archive):
// look inside it before loading it. Not modal; reads the archive as soon as it is shown.
class ImageFilesDialog final : public QDialog
{
    Q_OBJECT

public:
    ImageFilesDialog(TransferManager *transfers, const QString &archive, QWidget *parent = nullptr);

    ImageFilesView *view() const { return m_view; }
    void setFileChooser(FileChooser chooser);

private:
    ImageFilesView *m_view;
};

} // namespace Berth
