#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "reference/imagereference.h"
#include "registry/imagecomparison.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <optional>

namespace Berth {

class RegistryClient;

// Compares two tags of one repository for one platform: both images read through the registry
// (index → platform manifest → config) in parallel, then compareImages(). A new request cancels
// the one in flight, so following a selection never shows a stale answer nor keeps asking for
// it. Images already read are kept for the repository shown: changing one side asks for that
// side only.
class TagComparer final : public QObject
{
    Q_OBJECT

public:
    explicit TagComparer(RegistryClient *registry, QObject *parent = nullptr);

    // Forgets the images read and cancels the comparison in flight.
    void setRepository(const ImageReference &repository);
    ImageReference repository() const { return m_repository; }

    // platform: nullopt lets the registry choose (the host's, for an index).
    void
    compare(const QString &first, const QString &second, const std::optional<Platform> &platform);
    void cancel();

    bool isRunning() const { return m_running; }
    QString firstTag() const { return m_first; }
    QString secondTag() const { return m_second; }
    // The last comparison finished, for firstTag() and secondTag().
    std::optional<ImageComparison> comparison() const { return m_comparison; }
    // The platform the images compared are for.
    Platform platform() const { return m_shownPlatform; }
    // Images read through the registry since setRepository(), for tests and diagnostics.
    int inspections() const { return m_inspections; }

signals:
    void runningChanged(bool running);
    void finished();
    void failed(const Berth::Error &error);

private:
    struct Pending;
    void read(const QString &tag, std::function<void(Result<InspectedImage>)> done);
    void arrived(int generation, const std::shared_ptr<Pending> &pending);
    void setRunning(bool running);
    QString cacheKey(const QString &tag) const;

    QPointer<RegistryClient> m_registry;
    ImageReference m_repository;
    QString m_first;
    QString m_second;
    std::optional<Platform> m_platform;
    Platform m_shownPlatform;
    std::optional<ImageComparison> m_comparison;
    QHash<QString, InspectedImage> m_images; // by tag and platform
    CancelToken m_cancel;
    int m_generation = 0;
    int m_inspections = 0;
    bool m_running = false;
};

} // namespace Berth
