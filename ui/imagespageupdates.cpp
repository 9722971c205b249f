// The Images page's part of "Updates available": the Update and Check for Updates actions and
// what the update checker says on the page.

#include "imagespage.h"

#include "inlinemessage.h"
#include "localimagesmodel.h"
#include "transfermanager.h"
#include "updatechecker.h"

#include <QAction>
#include <QToolBar>

namespace Berth {

void ImagesPage::addUpdateActions(QToolBar *toolbar)
{
    QAction *update = addAction(Action::Update, tr("Up&date"), QStringLiteral("system-upgrade"));
    update->setToolTip(tr("Pull the newer image the registry has for the selected tags"));
    connect(update, &QAction::triggered, this, &ImagesPage::updateSelected);
    QAction *check = addAction(
        Action::CheckForUpdates, tr("C&heck for Updates"), QStringLiteral("update-none"));
    check->setToolTip(tr("Ask each image's registry whether its tag points at a newer image "
                         "(HEAD requests only: Docker Hub does not count them as pulls)"));
    connect(check, &QAction::triggered, this, &ImagesPage::checkForUpdates);
    toolbar->addSeparator();
    toolbar->addAction(update);
    toolbar->addAction(check);
}

void ImagesPage::connectUpdates()
{
    UpdateChecker *checker = m_images->updateChecker();
    if (!checker)
        return;
    connect(checker, &UpdateChecker::checkingChanged, this, &ImagesPage::updateActions);
    // The selection's tags may have gained or lost their update.
    connect(checker, &UpdateChecker::statusChanged, this, &ImagesPage::updateActions);
    connect(checker, &UpdateChecker::checkFailed, this, [this](const QString &message) {
        m_message->showError(tr("Checking for updates failed: %1").arg(message));
    });
    connect(checker, &UpdateChecker::checked, this, [this](int outdated) {
        if (outdated > 0)
            m_message->showInformation(
                tr("%n image tag(s) can be updated: select them and choose Update.",
                   nullptr,
                   outdated));
    });
    connect(m_transfers, &TransferManager::jobFinished, checker, [checker](TransferJob *job) {
        if (job->kind() == TransferJob::Kind::Pull && job->state() == TransferJob::State::Done)
            checker->recheckChanged();
    });
}

void ImagesPage::updateUpdateActions(const QModelIndexList &rows)
{
    const UpdateChecker *checker = m_images->updateChecker();
    bool outdated = false;
    for (const QModelIndex &row : rows)
        outdated
            = outdated || !row.data(LocalImagesModel::OutdatedTagsRole).toStringList().isEmpty();
    const bool haveBackend = m_images->backend() != nullptr;
    m_actions[Action::Update]->setEnabled(haveBackend && outdated);
    // Offered (toolbar and context menu) only where it applies.
    m_actions[Action::Update]->setVisible(outdated);
    m_actions[Action::CheckForUpdates]->setEnabled(haveBackend && checker
                                                   && !checker->isChecking());
    m_actions[Action::CheckForUpdates]->setText(
        checker && checker->isChecking() ? tr("C&hecking for Updates…") : tr("C&heck for Updates"));
}

QList<std::pair<QString, Platform>> ImagesPage::selectedUpdates() const
{
    QList<std::pair<QString, Platform>> updates;
    QStringList seen;
    for (const QModelIndex &row : selectedSourceRows()) {
        const Platform platform = m_images->image(row).platform;
        for (const QString &tag : row.data(LocalImagesModel::OutdatedTagsRole).toStringList()) {
            if (seen.contains(tag))
                continue;
            seen << tag;
            updates.append({tag, platform});
        }
    }
    return updates;
}

void ImagesPage::updateSelected()
{
    const auto updates = selectedUpdates();
    for (const auto &[tag, platform] : updates) {
        const auto reference = ImageReference::parse(tag);
        if (!reference)
            continue;
        PullRequest request;
        // The same platform as the image it replaces, whatever this machine is.
        if (!platform.os.isEmpty() && !platform.architecture.isEmpty() && !platform.isUnknown())
            request.platform = platform;
        m_transfers->pull(*reference, request);
    }
    if (!updates.isEmpty())
        m_message->showInformation(
            tr("Pulling %n update(s); the Transfers panel shows the progress.",
               nullptr,
               int(updates.size())));
}

void ImagesPage::checkForUpdates()
{
    if (UpdateChecker *checker = m_images->updateChecker())
        checker->checkNow();
}

} // namespace Berth
