#pragma once

#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

class QAction;
class QWidget;

namespace Berth {

class AccountsModel;
class HubClient;
class RegistryClient;
class TransferJob;
class TransferManager;

// What the tag browser offers on a tag group (the tags sharing a digest) besides pulling: Delete
// Image…, Remove Tag… and Copy to…, as actions with icons and shortcuts that the Repository page
// puts in the tag list's context menu and on buttons under it. Each opens its dialog and the work
// runs as a TransferManager job; an action that cannot apply is disabled and its tooltip says why.
class TagActions final : public QObject
{
    Q_OBJECT

public:
    // `dialogParent` parents the dialogs (the page).
    explicit TagActions(QWidget *dialogParent);

    void setServices(TransferManager *transfers,
                     RegistryClient *registry,
                     HubClient *hub,
                     AccountsModel *accounts);
    // The tag the actions work on (an image row stands for its first tag), every tag of its
    // image, and the image's platforms. An invalid repository or an empty tag: nothing chosen.
    void setTarget(const ImageReference &repository,
                   const QString &tag,
                   const QStringList &groupTags,
                   const QList<Platform> &platforms);

    QAction *deleteImageAction() const { return m_delete; }
    QAction *removeTagAction() const { return m_removeTag; }
    QAction *copyToAction() const { return m_copy; }
    QList<QAction *> actions() const { return {m_copy, m_removeTag, m_delete}; }

public slots:
    void deleteImage();
    void removeTag();
    void copyTo();
    void updateActions();

signals:
    // A job that changed `repository` (deleted an image or a tag, copied into it) finished well.
    void repositoryChanged(const Berth::ImageReference &repository);

private:
    QString whyNot(bool deleting) const;
    void watch(TransferJob *job, const ImageReference &repository);

    QWidget *m_parent;
    QPointer<TransferManager> m_transfers;
    QPointer<RegistryClient> m_registry;
    QPointer<HubClient> m_hub;
    QPointer<AccountsModel> m_accounts;
    ImageReference m_repository;
    QString m_tag;
    QStringList m_groupTags;
    QList<Platform> m_platforms;
    QAction *m_delete;
    QAction *m_removeTag;
    QAction *m_copy;
};

} // namespace Berth
