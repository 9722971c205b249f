#include "imagefilesdialog.h"

#include "imagefilesview.h"

#include "imagefiles/contentssource.h"
#include "transferjob.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QVBoxLayout>

namespace Berth {

ImageFilesDialog::ImageFilesDialog(TransferManager *transfers,
                                   const QString &archive,
                                   QWidget *parent)
    : QDialog(parent)
    , m_view(new ImageFilesView(transfers, this))
{
    const QString name = QFileInfo(archive).fileName();
    setObjectName(QStringLiteral("imageFilesDialog"));
    setWindowTitle(tr("Files in %1").arg(name));
    m_view->setAutoLoad(true); // a file on this computer: nothing to download
    m_view->setSource(std::shared_ptr<ContentsSource>(archiveContentsSource(archive)), name);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(980, 640);
}

void ImageFilesDialog::setFileChooser(FileChooser chooser)
{
    m_view->setFileChooser(std::move(chooser));
}

} // namespace Berth
