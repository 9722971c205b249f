#include "share/shareprogresspage.h"

#include "inlinemessage.h"
#include "jobprogress.h"
#include "share/sharewording.h"
#include "transfermanager.h"

#include "registryops/manifestlist.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Berth {

ShareProgressPage::ShareProgressPage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
    , m_heading(new QLabel(this))
    , m_progress(new JobProgress(this))
    , m_message(new InlineMessage(this))
    , m_retry(new QPushButton(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Retry"), this))
    , m_showInFolder(new QPushButton(
          QIcon::fromTheme(QStringLiteral("document-open-folder")), tr("Show in &Folder"), this))
    , m_pullRow(new QWidget(this))
    , m_pullCommand(new QLabel(m_pullRow))
    , m_copy(new QPushButton(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("&Copy"), m_pullRow))
{
    setObjectName(QStringLiteral("progressPage"));
    setTitle(tr("Sharing"));
    setSubTitle(tr("The transfer also shows in the Transfers panel; Esc stops it."));
    m_heading->setObjectName(QStringLiteral("heading"));
    m_heading->setWordWrap(true);
    m_heading->setTextFormat(Qt::PlainText);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setCloseButtonVisible(false);
    m_retry->setObjectName(QStringLiteral("retry"));
    m_retry->setAccessibleName(tr("Try the transfer again"));
    m_showInFolder->setObjectName(QStringLiteral("showInFolder"));
    m_showInFolder->setAccessibleName(tr("Show the archive in its folder"));
    m_pullCommand->setObjectName(QStringLiteral("pullCommand"));
    m_pullCommand->setAccessibleName(tr("Pull command"));
    m_pullCommand->setTextFormat(Qt::PlainText);
    m_pullCommand->setTextInteractionFlags(Qt::TextSelectableByMouse
                                           | Qt::TextSelectableByKeyboard);
    m_pullCommand->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_copy->setObjectName(QStringLiteral("copyPullCommand"));
    m_copy->setAccessibleName(tr("Copy the pull command"));
    m_copy->setToolTip(tr("Copies the command to the clipboard, to paste in a terminal or a "
                          "message."));

    auto *pullLayout = new QGridLayout(m_pullRow);
    pullLayout->setContentsMargins(0, 0, 0, 0);
    pullLayout->addWidget(
        wrappedLabel(tr("Anyone allowed to read it can pull it with:"), m_pullRow), 0, 0, 1, 2);
    pullLayout->addWidget(m_pullCommand, 1, 0);
    pullLayout->addWidget(m_copy, 1, 1, Qt::AlignTop);
    pullLayout->setColumnStretch(0, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_showInFolder);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addWidget(m_pullRow);
    layout->addLayout(buttons);
    layout->addStretch();
    hideOutcome();

    connect(m_progress, &JobProgress::stateChanged, this, &ShareProgressPage::jobsChanged);
    connect(m_retry, &QPushButton::clicked, this, &ShareProgressPage::retry);
    connect(m_copy, &QPushButton::clicked, this, &ShareProgressPage::copyPullCommand);
    connect(m_showInFolder, &QPushButton::clicked, this, [this] {
        m_openUrl(QUrl::fromLocalFile(QFileInfo(m_wizard->savePath()).absolutePath()));
    });
}

void ShareProgressPage::setUrlOpener(std::function<bool(const QUrl &)> opener)
{
    if (opener)
        m_openUrl = std::move(opener);
}

QList<TransferJob *> ShareProgressPage::jobs() const
{
    return m_progress->jobs();
}

bool ShareProgressPage::isRunning() const
{
    return m_progress->isActive();
}

bool ShareProgressPage::isDone() const
{
    return m_progress->isDone();
}

bool ShareProgressPage::isComplete() const
{
    return isDone();
}

void ShareProgressPage::initializePage()
{
    start();
}

void ShareProgressPage::cleanupPage()
{
    // Back after a failure or a cancel: the jobs stay in the Transfers dock.
    m_progress->clear();
    hideOutcome();
    m_wizard->setRunning(false);
}

void ShareProgressPage::hideOutcome()
{
    m_heading->show();
    m_message->clear();
    m_retry->hide();
    m_showInFolder->hide();
    m_pullRow->hide();
    m_pullCommand->clear();
}

void ShareProgressPage::start()
{
    hideOutcome();
    m_progress->clear();
    if (m_wizard->mode() == ShareWizard::Mode::Save)
        startSave();
    else if (m_wizard->mode() == ShareWizard::Mode::Combine)
        startCombine();
    else
        startPush();
    setStateTitle();
}

void ShareProgressPage::startSave()
{
    const QStringList images = m_wizard->selectedImages();
    m_heading->setText(
        images.size() == 1
            ? tr("Saving %1 to %2").arg(images.first(), m_wizard->savePath())
            : tr("Saving %n images to %1", nullptr, int(images.size())).arg(m_wizard->savePath()));
    m_progress->setJobs({m_wizard->services().transfers->save(
        images, m_wizard->savePath(), m_wizard->saveCompression())});
}

void ShareProgressPage::startPush()
{
    const QList<ShareWizard::PushTarget> targets = m_wizard->pushTargets();
    const QString registry = registryDisplayName(m_wizard->destinationRegistry());
    m_heading->setText(
        targets.size() == 1
            ? tr("Pushing %1 to %2").arg(targets.first().source, registry)
            : tr("Pushing %n images to %1", nullptr, int(targets.size())).arg(registry));
    TransferManager *transfers = m_wizard->services().transfers;
    QList<TransferJob *> jobs;
    for (const ShareWizard::PushTarget &t : targets)
        jobs.append(transfers->push(t.source, t.target));
    m_progress->setJobs(jobs);
}

void ShareProgressPage::startCombine()
{
    const ManifestList list = m_wizard->combinedImage();
    m_heading->setText(tr("Combining %n image(s) into %1", nullptr, int(list.entries.size()))
                           .arg(list.target.familiarString()));
    m_progress->setJobs(
        {m_wizard->services().transfers->pushManifestList(m_wizard->services().client, list)});
}

QString ShareProgressPage::registry() const
{
    return registryDisplayName(m_wizard->mode() == ShareWizard::Mode::Combine
                                   ? m_wizard->combinedImage().target.domain()
                                   : m_wizard->destinationRegistry());
}

void ShareProgressPage::setStateTitle()
{
    const bool save = m_wizard->mode() == ShareWizard::Mode::Save;
    if (m_progress->isActive() || !m_progress->isFinished()) {
        setTitle(save ? tr("Saving…") : tr("Pushing…"));
        setSubTitle(save ? tr("The save also shows in the Transfers panel; Esc stops it.")
                         : tr("The push also shows in the Transfers panel; Esc stops it."));
    } else if (m_progress->isDone()) {
        setTitle(save ? tr("Saved") : tr("Pushed"));
        const int pushed = int(m_progress->jobs().size());
        setSubTitle(save ? tr("The archive is ready.")
                         : tr("%n image(s) pushed to %1.", nullptr, pushed).arg(registry()));
    } else if (m_progress->firstFailed()) {
        setTitle(save ? tr("Save Failed") : tr("Push Failed"));
        setSubTitle(tr("What went wrong and what to do next are below."));
    } else {
        setTitle(save ? tr("Save Cancelled") : tr("Push Cancelled"));
        setSubTitle(tr("Retry to start again, or go Back to change your choices."));
    }
}

void ShareProgressPage::jobsChanged()
{
    m_wizard->setRunning(isRunning());
    setStateTitle();
    if (m_progress->isFinished())
        showFinished();
    emit completeChanged();
}

void ShareProgressPage::showFinished()
{
    const bool save = m_wizard->mode() == ShareWizard::Mode::Save;
    if (m_progress->isDone()) {
        showDone();
        return;
    }
    if (TransferJob *failed = m_progress->firstFailed()) {
        m_message->showError(failed->errorString() + u'\n' + nextStep(failed));
        m_retry->show();
        return;
    }
    if (m_progress->anyCancelled()) {
        m_message->showInformation(save ? tr("The save was cancelled; no file was written. "
                                             "Retry to start it again.")
                                        : tr("The push was cancelled. Retry to start it again; "
                                             "layers already sent are not sent twice."));
        m_retry->show();
    }
}

void ShareProgressPage::showDone()
{
    m_retry->hide();
    if (m_wizard->mode() == ShareWizard::Mode::Save) {
        m_message->showPositive(tr("The archive is ready: %1").arg(m_wizard->savePath()) + u'\n'
                                + tr("docker load, podman load and Berth can load it."));
        m_showInFolder->show();
    } else {
        QStringList names;
        QStringList commands;
        QList<ImageReference> targets;
        if (m_wizard->mode() == ShareWizard::Mode::Combine)
            targets.append(m_wizard->combinedImage().target);
        else
            for (const ShareWizard::PushTarget &t : m_wizard->pushTargets())
                targets.append(t.target);
        for (const ImageReference &target : std::as_const(targets)) {
            names.append(target.familiarString());
            commands.append(u"docker pull " + target.familiarString());
        }
        m_message->showPositive(tr("Pushed %1.").arg(names.join(u", ")));
        m_pullCommand->setText(commands.join(u'\n'));
        m_pullRow->show();
        m_heading->hide(); // "Pushing … to …" is history now; the message says what happened
    }
    m_wizard->setRunning(false);
}

void ShareProgressPage::copyPullCommand()
{
    QGuiApplication::clipboard()->setText(m_pullCommand->text());
}

QString ShareProgressPage::nextStep(const TransferJob *failed) const
{
    const QString registry = this->registry();
    switch (failed->error().kind) {
    case Error::Kind::Unauthorized:
    case Error::Kind::Denied:
        return tr("Go Back to the account page and log in with an account that may push to "
                  "this repository on %1, then push again.")
            .arg(registry);
    case Error::Kind::Network:
    case Error::Kind::Server:
    case Error::Kind::RateLimited:
        return failed->kind() == TransferJob::Kind::Push
                   ? tr("Check that %1 is running and reachable, then Retry.").arg(registry)
                   : tr("Retry in a moment.");
    case Error::Kind::Io:
        return tr("Go Back to choose another file or folder, or free some space, then Retry.");
    case Error::Kind::Tls:
        return tr("If %1 is on your own network, add it under Registries with \"Allow plain "
                  "HTTP\", then Retry.")
            .arg(registry);
    default:
        return tr("Retry, or go Back to change your choices.");
    }
}

void ShareProgressPage::cancel()
{
    m_progress->cancel();
}

void ShareProgressPage::retry()
{
    hideOutcome();
    if (m_progress->isEmpty()) {
        start();
        return;
    }
    m_progress->retry();
}

} // namespace Berth
