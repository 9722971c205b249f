#include "sharewizard.h"

#include "share/shareaccountpage.h"
#include "share/sharecombinepage.h"
#include "share/sharedestinationpage.h"
#include "share/sharefilepage.h"
#include "share/shareimagespage.h"
#include "share/shareprogresspage.h"
#include "share/sharereviewpage.h"

#include <QPushButton>

namespace Berth {

ShareWizard::ShareWizard(const Services &services, const QStringList &images, QWidget *parent)
    : QWizard(parent)
    , m_services(services)
    , m_initialImages(images)
    , m_chooseFile(chooseWithFileDialog)
{
    Q_ASSERT(services.transfers && services.credentials && services.client);
    setObjectName(QStringLiteral("ShareWizard"));
    setWindowTitle(tr("Share Images"));
    setOption(QWizard::NoBackButtonOnStartPage);

    m_imagesPage = new ShareImagesPage(this);
    m_destinationPage = new ShareDestinationPage(this);
    m_accountPage = new ShareAccountPage(this);
    m_reviewPage = new ShareReviewPage(this);
    m_filePage = new ShareFilePage(this);
    m_progressPage = new ShareProgressPage(this);
    m_combinePage = new ShareCombinePage(this);
    setPage(ImagesPageId, m_imagesPage);
    setPage(DestinationPageId, m_destinationPage);
    setPage(AccountPageId, m_accountPage);
    setPage(ReviewPageId, m_reviewPage);
    setPage(FilePageId, m_filePage);
    setPage(ProgressPageId, m_progressPage);
    setPage(CombinePageId, m_combinePage);
    setStartId(ImagesPageId);

    setRunning(false);
    resize(620, 480);
}

ShareWizard::Mode ShareWizard::mode() const
{
    return m_imagesPage->mode();
}

void ShareWizard::setMode(Mode mode)
{
    m_imagesPage->setMode(mode);
}

void ShareWizard::setFileChooser(FileChooser chooser)
{
    m_chooseFile = chooser ? std::move(chooser) : FileChooser(chooseWithFileDialog);
}

QStringList ShareWizard::selectedImages() const
{
    return m_imagesPage->selectedImages();
}

QList<ShareWizard::PushTarget> ShareWizard::pushTargets() const
{
    return m_destinationPage->targets();
}

QString ShareWizard::destinationRegistry() const
{
    return m_destinationPage->registry();
}

QString ShareWizard::account() const
{
    return m_accountPage->username();
}

QString ShareWizard::savePath() const
{
    return m_filePage->path();
}

Compression ShareWizard::saveCompression() const
{
    return m_filePage->compression();
}

ManifestList ShareWizard::combinedImage() const
{
    return m_combinePage->manifestList();
}

int ShareWizard::nextId() const
{
    switch (currentId()) {
    case ImagesPageId:
        return mode() == Mode::Push      ? DestinationPageId
               : mode() == Mode::Combine ? CombinePageId
                                         : FilePageId;
    case CombinePageId:
        return ProgressPageId;
    case DestinationPageId:
        return AccountPageId;
    case AccountPageId:
        return ReviewPageId;
    case ReviewPageId:
    case FilePageId:
        return ProgressPageId;
    default:
        return -1;
    }
}

void ShareWizard::setRunning(bool running)
{
    // After a success, Back would only lead to sharing the same images again.
    const bool finished = currentId() == ProgressPageId && m_progressPage->isDone();
    QList<WizardButton> layout{Stretch};
    if (!running && !finished)
        layout.append(BackButton);
    layout.append({NextButton, CommitButton, FinishButton});
    if (!finished)
        layout.append(CancelButton);
    setButtonLayout(layout);
    setButtonText(CancelButton, running ? tr("&Stop") : tr("&Cancel"));
    // The buttons' own texts are their accessible names; the tooltip says what Stop does.
    if (QAbstractButton *cancel = button(CancelButton))
        cancel->setToolTip(running ? tr("Stops the transfer (Esc)") : QString());
}

void ShareWizard::reject()
{
    // Esc (or Stop) while a transfer runs stops it; the wizard stays to show that it stopped.
    if (currentId() == ProgressPageId && m_progressPage->isRunning()) {
        m_progressPage->cancel();
        return;
    }
    QWizard::reject();
}

} // namespace Berth
