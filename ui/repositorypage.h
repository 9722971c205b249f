#pragma once

#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"
#include "registry/imagecomparison.h"
#include "registry/imageinspector.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QTabWidget;

namespace Berth {

class AccountsModel;
class HubClient;
class ChipLabel;
class ImageFilesView;
class ImageHistoryView;
class InlineMessage;
class OverviewBrowser;
class RegistryClient;
class TagCompareView;
class TagGroupsModel;
class TagActions;
class TagGroupsView;
class TransferManager;

// One repository, on Docker Hub or any registry: its overview (Markdown), the pull command, its
// tags grouped by image with a filter, a tag's layers and build history per platform, two tags
// side by side; asks the rest of the app to pull a tag or one of its platforms. Where the user
// put the splitter between the tags and their details is kept in QSettings.
class RepositoryPage final : public QWidget
{
    Q_OBJECT

public:
    RepositoryPage(HubClient *hub, RegistryClient *registry, QWidget *parent = nullptr);
    ~RepositoryPage() override;

    // Where the Files tab runs its jobs (looking inside a tag, saving files out of it), and the
    // comparison's Files section its own.
    void setTransfers(TransferManager *transfers);
    // The logins the registry actions name and need (Docker Hub deletes need one).
    void setAccounts(AccountsModel *accounts);

    // "node", "bitnami/node", "localhost:5000/team/app": shows it and loads what it has.
    void openRepository(const QString &name);
    void reload();
    ImageReference repository() const { return m_repository; }

    // The command the copy button copies: "docker pull node", or with the selected tag.
    QString pullCommand() const;
    // The comparison shown, for the compare view's two tags.
    std::optional<ImageComparison> lastComparison() const;

    // Shows the selected tags side by side: the two selected, or the one selected and the tag
    // chosen in the comparison.
    void compareSelected();

    // The QSettings key of the splitter's state.
    static QString splitterStateKey() { return QStringLiteral("repositoryPage/tagsSplitter"); }

signals:
    void pullRequested(const Berth::ImageReference &reference,
                       const std::optional<Berth::Platform> &platform);
    void comparisonFinished();

private:
    void setupWidgets();
    QWidget *buildTagsTab();
    void buildLayout();
    void connectSignals();
    void showProblem(const Error &error, bool fromHub);
    void clearProblems();
    void loadOverview();
    void selectWhenListed(const QString &wantedTag);
    void tagChanged();
    void selectionChanged();
    void rebuildPlatformMenu();
    void pullSelected();
    void copyPullCommand();
    void saveSplitter();
    void updateFilesSource();
    void buildTagActions();
    void updateTagActions();
    void repositoryChanged(const ImageReference &repository);

    QPointer<HubClient> m_hub;
    QPointer<RegistryClient> m_registry;
    ImageReference m_repository;
    int m_generation = 0;
    QStringList m_problems;

    QLabel *m_title;
    ChipLabel *m_officialChip;
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
    ImageFilesView *m_files;
    QString m_filesImage; // the tag and platform the Files tab shows
    QPushButton *m_pull;
    QPushButton *m_pullPlatform;
    QMenu *m_platformMenu;
    QPushButton *m_compare;
    TagCompareView *m_compareView;
    QTabWidget *m_detailsTabs;
    QSplitter *m_tagsSplitter;
    TagActions *m_tagActions;
    QPointer<TransferManager> m_transfers;
    QPointer<AccountsModel> m_accounts;
};

} // namespace Berth
