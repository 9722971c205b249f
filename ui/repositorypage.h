#pragma once

#include "common/result.h"
#include "reference/imagereference.h"
#include "registry/imageinspector.h"
#include "registry/manifest.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QTabWidget;

namespace Berth {

class HubClient;
class ImageHistoryView;
class InlineMessage;
class OverviewBrowser;
class RegistryClient;
class TagGroupsModel;
class TagGroupsView;

// What two tags' images (for one platform) have in common.
struct TagComparison
{
    QString first;
    QString second;
    Platform platform;
    int firstLayers = 0;
    int secondLayers = 0;
    int sharedLayers = 0;      // layers of the first also in the second, by digest
    qint64 sizeDifference = 0; // second's compressed size minus the first's
};

TagComparison compareImages(const QString &first,
                            const InspectedImage &a,
                            const QString &second,
                            const InspectedImage &b);

// One repository, on Docker Hub or any registry: its overview (Markdown), the pull command, its
// tags grouped by image with a filter, a tag's layers and build history per platform, the
// comparison of two tags; asks the rest of the app to pull a tag or one of its platforms.
class RepositoryPage final : public QWidget
{
    Q_OBJECT

public:
    RepositoryPage(HubClient *hub, RegistryClient *registry, QWidget *parent = nullptr);

    // "node", "bitnami/node", "localhost:5000/team/app": shows it and loads what it has.
    void openRepository(const QString &name);
    void reload();
    ImageReference repository() const { return m_repository; }

    // The command the copy button copies: "docker pull node", or with the selected tag.
    QString pullCommand() const;
    TagGroupsModel *tagsModel() const { return m_tagsModel; }
    TagGroupsView *tagsView() const { return m_tagsView; }
    ImageHistoryView *historyView() const { return m_history; }
    std::optional<TagComparison> lastComparison() const { return m_comparison; }

    // Compares the two selected tags for the platform chosen in the history view.
    void compareSelected();

signals:
    void pullRequested(const Berth::ImageReference &reference,
                       const std::optional<Berth::Platform> &platform);
    void comparisonFinished();

private:
    void showProblem(const Error &error, bool fromHub);
    void clearProblems();
    void loadOverview();
    void tagChanged();
    void selectionChanged();
    void rebuildPlatformMenu();
    void pullSelected();
    void copyPullCommand();
    void showComparison(const TagComparison &comparison);

    QPointer<HubClient> m_hub;
    QPointer<RegistryClient> m_registry;
    ImageReference m_repository;
    int m_generation = 0;
    QStringList m_problems;
    std::optional<TagComparison> m_comparison;

    QLabel *m_title;
    QLabel *m_subtitle;
    QLineEdit *m_command;
    QPushButton *m_copy;
    InlineMessage *m_notice;
    QAction *m_retry;
    QTabWidget *m_tabs;
    OverviewBrowser *m_overview;
    TagGroupsModel *m_tagsModel;
    TagGroupsView *m_tagsView;
    ImageHistoryView *m_history;
    QPushButton *m_pull;
    QPushButton *m_pullPlatform;
    QMenu *m_platformMenu;
    QPushButton *m_compare;
    QLabel *m_compareResult;
};

} // namespace Berth
