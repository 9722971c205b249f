#pragma once

#include "jobdialog.h"

#include "reference/imagereference.h"
#include "registryops/registrydelete.h"

#include <optional>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace Berth {

class HubClient;
class RegistryClient;

// Deletes an image (a manifest) from its registry. A registry deletes manifests, not tags, so the
// dialog first looks up every tag that points at the image's digest (planDelete, shown as busy),
// names them all, says that the space comes back only after the registry's garbage collection,
// and waits for the user to confirm: the Delete button is never the default, Return does not
// delete. The delete is a TransferManager job; a refusal (deletes disabled, no permission) shows
// in the dialog in plain words, and the Transfers dock keeps it.
class DeleteImageDialog final : public JobDialog
{
    Q_OBJECT

public:
    DeleteImageDialog(TransferManager *transfers,
                      RegistryClient *registry,
                      HubClient *hub,
                      const ImageReference &image,
                      QWidget *parent = nullptr);

    ImageReference image() const { return m_image; }
    bool isPlanning() const { return m_planning; }
    // What the lookup found; empty while it runs or when it failed.
    std::optional<DeletePlan> plan() const { return m_plan; }

public slots:
    // Looks up the tags again (after a failed lookup).
    void lookUp();
    // Starts the delete once the plan is known; false when it cannot start.
    bool start();

signals:
    // The delete job started: the page refreshes its tags when it is done.
    void jobStarted(Berth::TransferJob *job);

protected:
    void jobSucceeded(TransferJob *job) override;
    QString nothingDone() const override;
    QString cancelledText() const override;
    QString cancelButtonText() const override;
    void updateState() override;

private:
    void describeFields();
    void layOutFields();
    void planArrived(Result<DeletePlan> plan);
    void showPlan(const DeletePlan &plan);

    QPointer<RegistryClient> m_registry;
    QPointer<HubClient> m_hub;
    const ImageReference m_image;
    std::optional<DeletePlan> m_plan;
    bool m_planning = false;
    int m_generation = 0;

    QLabel *m_intro;
    QProgressBar *m_busy;
    QListWidget *m_tags;
    QLabel *m_note;
    QPushButton *m_delete;
    QAction *m_lookAgain;
};

} // namespace Berth
