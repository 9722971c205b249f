#include "updatechecker.h"

#include "common/guarded.h"
#include "registry/registryclient.h"
#include "store/imagebackend.h"

namespace Berth {

UpdateChecker::UpdateChecker(RegistryClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UpdateChecker::checkNow);
}

UpdateChecker::~UpdateChecker()
{
    m_cancel.cancel();
}

void UpdateChecker::setBackend(ImageBackend *backend)
{
    if (m_backend == backend)
        return;
    cancel();
    if (m_backend)
        disconnect(m_backend, nullptr, this, nullptr);
    m_backend = backend;
    const QStringList forgotten = m_statuses.keys();
    m_statuses.clear();
    m_lastChecked = {};
    for (const QString &tag : forgotten)
        emit statusChanged(tag);
    if (m_backend)
        connect(m_backend, &ImageBackend::imagesChanged, this, &UpdateChecker::recheckChanged);
    scheduleBackground();
}

void UpdateChecker::setBackgroundEnabled(bool enabled)
{
    m_background = enabled;
    scheduleBackground();
}

void UpdateChecker::setInterval(std::chrono::milliseconds interval,
                                std::chrono::milliseconds firstDelay)
{
    m_interval = interval;
    m_firstDelay = firstDelay;
    scheduleBackground();
}

UpdateStatus UpdateChecker::status(const QString &tag) const
{
    return m_statuses.value(tag);
}

QStringList UpdateChecker::outdated() const
{
    QStringList tags;
    for (auto it = m_statuses.cbegin(); it != m_statuses.cend(); ++it)
        if (it->state == UpdateState::UpdateAvailable)
            tags << it.key();
    tags.sort();
    return tags;
}

void UpdateChecker::checkNow()
{
    if (m_checking || !m_backend || !m_client)
        return;
    setChecking(true);
    m_cancel = CancelToken();
    m_backend->listImages(
        guarded(this, [this, cancel = m_cancel](Result<QList<LocalImage>> images) {
            if (cancel.isCancelled())
                return;
            if (!images)
                return finished(fail(images.error()), true);
            run(*images, false);
        }));
}

void UpdateChecker::cancel()
{
    m_cancel.cancel();
    m_cancel = CancelToken();
    m_recheckPending = false;
    setChecking(false);
}

// After a pull or a retag: only the tags checked before whose image is another one now.
void UpdateChecker::recheckChanged()
{
    if (m_statuses.isEmpty() || !m_backend)
        return;
    if (m_checking || m_relisting) {
        m_recheckPending = true;
        return;
    }
    // Listing is not checking yet: most changes (a container started, a tag added) touch no tag
    // checked before, and the page should not flicker "Checking…" for them.
    m_relisting = true;
    m_backend->listImages(
        guarded(this, [this, cancel = m_cancel](Result<QList<LocalImage>> images) {
            m_relisting = false;
            if (cancel.isCancelled() || !images || m_checking)
                return;
            run(*images, true);
        }));
}

void UpdateChecker::run(const QList<LocalImage> &images, bool onlyChanged)
{
    const QList<UpdateCheckTarget> all = updateCheckTargets(images);
    QList<UpdateCheckTarget> targets;
    QStringList present;
    for (const UpdateCheckTarget &target : all) {
        present << target.name;
        const auto known = m_statuses.constFind(target.name);
        if (!onlyChanged || (known != m_statuses.cend() && known->imageId != target.imageId))
            targets << target;
    }
    for (const QString &tag : m_statuses.keys()) {
        if (!present.contains(tag)) {
            m_statuses.remove(tag);
            emit statusChanged(tag);
        }
    }
    if (onlyChanged && targets.isEmpty())
        return takePendingRecheck();
    setChecking(true);
    UpdateCheckOptions options;
    options.cancel = m_cancel;
    const CancelToken cancel = m_cancel;
    options.progress = guarded(this, [this, cancel](const UpdateStatus &status) {
        if (cancel.isCancelled())
            return;
        m_statuses.insert(status.name, status);
        emit statusChanged(status.name);
    });
    checkForUpdates(*m_client,
                    targets,
                    options,
                    guarded(this, [this, cancel, onlyChanged](Result<QList<UpdateStatus>> r) {
                        if (!cancel.isCancelled())
                            finished(std::move(r), !onlyChanged);
                    }));
}

void UpdateChecker::finished(Result<QList<UpdateStatus>> result, bool whole)
{
    setChecking(false);
    if (!result && !result.error().isCancelled())
        emit checkFailed(result.error().message);
    if (result && whole) {
        m_lastChecked = QDateTime::currentDateTimeUtc();
        emit checked(int(outdated().size()));
    }
    if (whole)
        scheduleBackground();
    takePendingRecheck();
}

void UpdateChecker::takePendingRecheck()
{
    if (!m_recheckPending)
        return;
    m_recheckPending = false;
    recheckChanged();
}

void UpdateChecker::setChecking(bool checking)
{
    if (m_checking == checking)
        return;
    m_checking = checking;
    emit checkingChanged(checking);
}

void UpdateChecker::scheduleBackground()
{
    if (!m_background || !m_backend) {
        m_timer.stop();
        return;
    }
    auto wait = m_firstDelay;
    if (m_lastChecked.isValid()) {
        const auto since
            = std::chrono::milliseconds(m_lastChecked.msecsTo(QDateTime::currentDateTimeUtc()));
        wait = std::max(m_interval - since, std::chrono::milliseconds(0));
    }
    m_timer.start(wait);
}

} // namespace Berth
