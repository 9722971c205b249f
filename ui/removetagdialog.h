#pragma once

#include "jobdialog.h"

#include "reference/imagereference.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace Berth {

class HubClient;
class RegistryClient;

// Removes one tag of an image from its registry while the image and its other tags stay (the
// registry's tag delete, a throw-away manifest, or Docker Hub's tag API: the core chooses). The
// tag is chosen among the image's tags; the dialog says which tags keep working, and waits for
// the user to confirm (the Remove button is never the default). The removal is a TransferManager
// job; a refusal shows in the dialog in plain words.
class RemoveTagDialog final : public JobDialog
{
    Q_OBJECT

public:
    // `tags`: every tag of the image (a tag group), `tag` the one proposed.
    RemoveTagDialog(TransferManager *transfers,
                    RegistryClient *registry,
                    HubClient *hub,
                    const ImageReference &repository,
                    const QStringList &tags,
                    const QString &tag,
                    QWidget *parent = nullptr);

    QString chosenTag() const;
    void setChosenTag(const QString &tag);

public slots:
    bool start();

signals:
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
    void describeChoice();

    QPointer<RegistryClient> m_registry;
    QPointer<HubClient> m_hub;
    const ImageReference m_repository;
    const QStringList m_tags;
    QComboBox *m_tag;
    QLabel *m_effect;
    QPushButton *m_remove;
};

} // namespace Berth
