#pragma once

#include "filechooser.h"

#include "archive/tarwriter.h"
#include "reference/imagereference.h"

#include <QPointer>
#include <QWizard>

namespace Berth {

class CredentialStore;
class RegistriesModel;
class RegistryClient;
class ShareAccountPage;
class ShareCombinePage;
struct ManifestList;
class ShareDestinationPage;
class ShareFilePage;
class ShareImagesPage;
class ShareProgressPage;
class ShareReviewPage;
class TransferManager;

// Shares local images: choose them, then either push them to a registry (destination with live
// validation → account → review → progress) or save them to an archive (file and compression →
// progress). Every transfer is a TransferManager job, so it also shows in the Transfers dock; the
// progress page follows it. Esc while it runs cancels it (a cancelled job is not an error) and
// keeps the wizard open; Esc again closes.
class ShareWizard final : public QWizard
{
    Q_OBJECT

public:
    enum PageId {
        ImagesPageId,
        DestinationPageId,
        AccountPageId,
        ReviewPageId,
        FilePageId,
        ProgressPageId,
        CombinePageId
    };
    // Combine: images already in registries listed as one multi-platform image.
    enum class Mode { Push, Save, Combine };

    // What the wizard works with; none is owned. registries may be null (Docker Hub only).
    struct Services
    {
        TransferManager *transfers = nullptr;
        CredentialStore *credentials = nullptr;
        RegistryClient *client = nullptr;
        RegistriesModel *registries = nullptr;
    };

    // `images`: the local names (tags or IDs) checked at the start.
    ShareWizard(const Services &services, const QStringList &images, QWidget *parent = nullptr);

    const Services &services() const { return m_services; }
    QStringList initialImages() const { return m_initialImages; }

    Mode mode() const;
    void setMode(Mode mode);

    // Tests answer the file dialog through this; the application keeps QFileDialog.
    void setFileChooser(FileChooser chooser);
    FileChooser fileChooser() const { return m_chooseFile; }

    // The images checked on the first page, as the backend names them.
    QStringList selectedImages() const;

    // One image to tag (unless it already has the name) and push.
    struct PushTarget
    {
        QString source;
        ImageReference target;
    };
    // What the destination page says; empty while it is not valid.
    QList<PushTarget> pushTargets() const;
    QString destinationRegistry() const; // "docker.io", "localhost:5000"
    QString account() const;             // the user name pushed as; empty: anonymous
    QString savePath() const;
    Compression saveCompression() const;

    ShareDestinationPage *destinationPage() const { return m_destinationPage; }
    // The multi-platform image the combine page put together.
    ManifestList combinedImage() const;
    ShareCombinePage *combinePage() const { return m_combinePage; }

    int nextId() const override;

public slots:
    void reject() override;

private:
    friend class ShareProgressPage;
    // Back is hidden while a transfer runs (the pages it leads to would change under it) and
    // after it succeeded.
    void setRunning(bool running);

    const Services m_services;
    const QStringList m_initialImages;
    FileChooser m_chooseFile;
    ShareImagesPage *m_imagesPage;
    ShareDestinationPage *m_destinationPage;
    ShareAccountPage *m_accountPage;
    ShareReviewPage *m_reviewPage;
    ShareFilePage *m_filePage;
    ShareProgressPage *m_progressPage;
    ShareCombinePage *m_combinePage;
};

} // namespace Berth
