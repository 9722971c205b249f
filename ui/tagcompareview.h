#pragma once

#include "reference/imagereference.h"
#include "registry/imagecomparison.h"

#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QTabWidget;
class QTimer;
class QTreeWidget;

namespace Berth {

class FileCompareView;
class InlineMessage;
class LayerIndexCache;
class RegistryClient;
class TransferManager;
class TagComparer;
class TagGroupsModel;

// Two tags of a repository side by side, for one platform: their layers (shared ones on the same
// row, by digest, with sizes), the config settings people compare (Env, Cmd, Entrypoint, User,
// WorkingDir, ExposedPorts, Labels; what differs highlighted, the rest collapsed or hidden) and
// the size of each platform. The first tag follows the page's selection; the second is the other
// selected tag or the one picked here. Reads the images only while shown, once the selection
// settles, cancelling what a newer selection made stale.
class TagCompareView final : public QWidget
{
    Q_OBJECT

public:
    TagCompareView(TagGroupsModel *tags, RegistryClient *registry, QWidget *parent = nullptr);

    void setRepository(const ImageReference &repository);
    // Two selected tags compare with each other; one compares with the tag picked here.
    void followSelection(const QStringList &selected, const QString &current);
    void setTags(const QString &first, const QString &second);
    void setSecondTag(const QString &second);
    // The platform to compare when the tags offer it (the one shown in the image details).
    void setPreferredPlatform(const std::optional<Platform> &platform);
    // Where the Files section keeps layer indexes and shows its job.
    void setFilesServices(std::shared_ptr<LayerIndexCache> cache, TransferManager *transfers);
    FileCompareView *filesView() const { return m_files; }

    QString firstTag() const { return m_first; }
    QString secondTag() const { return m_second; }
    std::optional<Platform> currentPlatform() const;
    std::optional<ImageComparison> comparison() const;
    bool isLoading() const;

    // As the image details: arrowing through tags costs no requests.
    static constexpr int SettleMs = 200;

signals:
    void comparisonShown();
    void failed(const Berth::Error &error);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildHeader();
    QWidget *buildConfigTab();
    void fillTagList();
    void rebuildPlatforms();
    void scheduleCompare();
    void compareNow();
    void clearResult();
    void showComparison();
    void showFailure(const Error &error);
    void fillLayers(const ImageComparison &comparison);
    void fillConfig(const ImageComparison &comparison);
    void fillPlatformSizes();
    void applyDifferencesFilter();
    void followInFiles();
    QString summaryText(const ImageComparison &comparison) const;
    QList<PlatformImage> platformImages(const QString &tag) const;

    TagGroupsModel *m_tags;
    TagComparer *m_comparer;
    ImageReference m_repository;
    QString m_first;
    QString m_second;
    std::optional<Platform> m_preferredPlatform;
    bool m_compareWhenShown = false;
    QTimer *m_settle;

    QLabel *m_firstLabel;
    QComboBox *m_secondCombo;
    QComboBox *m_platforms;
    InlineMessage *m_message;
    QAction *m_retry;
    QLabel *m_summary;
    QTabWidget *m_sections;
    QTreeWidget *m_layers;
    QTreeWidget *m_config;
    QCheckBox *m_onlyDifferences;
    QTreeWidget *m_sizes;
    FileCompareView *m_files;
};

} // namespace Berth
