#include "tagactions.h"

#include "accountsmodel.h"
#include "copyimagedialog.h"
#include "deleteimagedialog.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "removetagdialog.h"
#include "transfermanager.h"

#include <QAction>
#include <QWidget>

namespace Berth {

namespace {

QAction *makeAction(const char *icon, const QString &text, const QString &name, QObject *parent)
{
    auto *action = new QAction(QIcon::fromTheme(QLatin1String(icon)), text, parent);
    action->setObjectName(name);
    // The shortcuts act where the tags are (the page adds the actions to the tag list).
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    return action;
}

template<typename Dialog>
Dialog *opened(Dialog *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

} // namespace

TagActions::TagActions(QWidget *dialogParent)
    : QObject(dialogParent)
    , m_parent(dialogParent)
    , m_delete(makeAction(
          "edit-delete", tr("&Delete Image…"), QStringLiteral("deleteImageAction"), this))
    , m_removeTag(
          makeAction("tag-delete", tr("&Remove Tag…"), QStringLiteral("removeTagAction"), this))
    , m_copy(makeAction("edit-copy", tr("Copy &to…"), QStringLiteral("copyToAction"), this))
{
    m_delete->setShortcut(QKeySequence::Delete);
    m_removeTag->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Delete));
    m_copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(m_delete, &QAction::triggered, this, &TagActions::deleteImage);
    connect(m_removeTag, &QAction::triggered, this, &TagActions::removeTag);
    connect(m_copy, &QAction::triggered, this, &TagActions::copyTo);
    updateActions();
}

void TagActions::setServices(TransferManager *transfers,
                             RegistryClient *registry,
                             HubClient *hub,
                             AccountsModel *accounts)
{
    if (m_accounts)
        disconnect(m_accounts, nullptr, this, nullptr);
    m_transfers = transfers;
    m_registry = registry;
    m_hub = hub;
    m_accounts = accounts;
    if (accounts)
        connect(accounts, &QAbstractItemModel::modelReset, this, &TagActions::updateActions);
    updateActions();
}

void TagActions::setTarget(const ImageReference &repository,
                           const QString &tag,
                           const QStringList &groupTags,
                           const QList<Platform> &platforms)
{
    m_repository = repository.withTag(QString());
    m_tag = repository.isValid() ? tag : QString();
    m_groupTags = groupTags.isEmpty() && !m_tag.isEmpty() ? QStringList{m_tag} : groupTags;
    m_platforms = platforms;
    updateActions();
}

// Why an action cannot run now, or empty when it can.
QString TagActions::whyNot(bool deleting) const
{
    if (!m_transfers || !m_registry)
        return tr("Not available here.");
    if (m_tag.isEmpty())
        return tr("Choose a tag first.");
    if (deleting && m_repository.isDockerHub()
        && (!m_accounts || m_accounts->find(m_repository.domain()) < 0))
        return tr("Docker Hub deletes only for the repository's owner: log in to Docker Hub "
                  "first (Registries page).");
    return {};
}

void TagActions::updateActions()
{
    const QString deleteWhy = whyNot(true);
    const QString copyWhy = whyNot(false);
    m_delete->setEnabled(deleteWhy.isEmpty());
    m_delete->setToolTip(deleteWhy.isEmpty() ? tr("Delete this image and every tag that points "
                                                  "at it from the registry (Del)")
                                             : deleteWhy);
    m_removeTag->setEnabled(deleteWhy.isEmpty());
    m_removeTag->setToolTip(deleteWhy.isEmpty() ? tr("Remove only this tag; the image and its "
                                                     "other tags stay (Shift+Del)")
                                                : deleteWhy);
    m_copy->setEnabled(copyWhy.isEmpty());
    m_copy->setToolTip(copyWhy.isEmpty() ? tr("Copy this image to another repository or registry "
                                              "(Ctrl+Shift+C)")
                                         : copyWhy);
}

void TagActions::deleteImage()
{
    if (!whyNot(true).isEmpty())
        return;
    const ImageReference repository = m_repository;
    auto *dialog = opened(new DeleteImageDialog(
        m_transfers, m_registry, m_hub, m_repository.withTag(m_tag), m_parent));
    connect(dialog, &DeleteImageDialog::jobStarted, this, [this, repository](TransferJob *job) {
        watch(job, repository);
    });
}

void TagActions::removeTag()
{
    if (!whyNot(true).isEmpty())
        return;
    const ImageReference repository = m_repository;
    auto *dialog = opened(new RemoveTagDialog(
        m_transfers, m_registry, m_hub, m_repository, m_groupTags, m_tag, m_parent));
    connect(dialog, &RemoveTagDialog::jobStarted, this, [this, repository](TransferJob *job) {
        watch(job, repository);
    });
}

void TagActions::copyTo()
{
    if (!whyNot(false).isEmpty())
        return;
    auto *dialog = opened(new CopyImageDialog(
        m_transfers, m_registry, m_accounts, m_repository.withTag(m_tag), m_platforms, m_parent));
    connect(dialog, &CopyImageDialog::jobStarted, this, [this, dialog](TransferJob *job) {
        if (const auto destination = dialog->destination())
            watch(job, destination->withTag(QString()));
    });
}

void TagActions::watch(TransferJob *job, const ImageReference &repository)
{
    // The job, not the dialog: the dialog may be closed while the job runs on in the dock.
    connect(job, &TransferJob::finished, this, [this, job, repository] {
        if (job->state() == TransferJob::State::Done)
            emit repositoryChanged(repository);
    });
}

} // namespace Berth
