#pragma once

#include "registryops/updatecheck.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <optional>

namespace Berth {

class ImageBackend;
class RegistryClient;

// Whether the current backend's images are out of date, tag by tag (core/registryops/updatecheck):
// on demand (checkNow) and, when enabled, in the background at most once per interval (an hour).
// When the backend's images change (a pull, a tag moved by hand), the tags already checked whose
// image changed are checked again, so an image shows up to date as soon as its update is pulled.
// Everything is asynchronous on this object's thread.
class UpdateChecker final : public QObject
{
    Q_OBJECT

public:
    explicit UpdateChecker(RegistryClient *client, QObject *parent = nullptr);
    ~UpdateChecker() override;

    ImageBackend *backend() const { return m_backend; }
    // Forgets the statuses of the previous backend (and cancels its check).
    void setBackend(ImageBackend *backend);

    bool isBackgroundEnabled() const { return m_background; }
    void setBackgroundEnabled(bool enabled);
    std::chrono::milliseconds interval() const { return m_interval; }
    // The background period, and the pause before the first background check (the application's
    // start stays quiet).
    void setInterval(std::chrono::milliseconds interval,
                     std::chrono::milliseconds firstDelay = std::chrono::seconds(10));

    // When the next background check is due: nullopt when none is planned (disabled, no backend).
    std::optional<std::chrono::milliseconds> nextBackgroundCheck() const
    {
        if (!m_timer.isActive())
            return std::nullopt;
        return m_timer.remainingTimeAsDuration();
    }

    bool isChecking() const { return m_checking; }
    QDateTime lastChecked() const { return m_lastChecked; }
    // The last status of a tag as the backend names it ("node:15"); Unknown when not checked.
    UpdateStatus status(const QString &tag) const;
    // The tags whose update is available.
    QStringList outdated() const;

public slots:
    // Checks every tagged image now, unless a check is already running.
    void checkNow();
    void cancel();
    // Checks again the tags checked before whose image is another one now (after a pull); done on
    // the backend's imagesChanged() too.
    void recheckChanged();

signals:
    void checkingChanged(bool checking);
    void statusChanged(const QString &tag);
    // A whole check ended; `outdated` tags have an update.
    void checked(int outdated);
    void checkFailed(const QString &message);

private:
    void run(const QList<LocalImage> &images, bool onlyChanged);
    void finished(Result<QList<UpdateStatus>> result, bool whole);
    void setChecking(bool checking);
    void takePendingRecheck();
    void scheduleBackground();

    RegistryClient *m_client;
    QPointer<ImageBackend> m_backend;
    QHash<QString, UpdateStatus> m_statuses; // by tag
    QTimer m_timer;
    std::chrono::milliseconds m_interval = std::chrono::hours(1);
    std::chrono::milliseconds m_firstDelay = std::chrono::seconds(10);
    bool m_background = false;
    bool m_checking = false;
    bool m_recheckPending = false;
    bool m_relisting = false; // recheckChanged() is listing the images
    CancelToken m_cancel;
    QDateTime m_lastChecked;
};

} // namespace Berth
