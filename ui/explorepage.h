#pragma once

#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"
#include "registry/hubclient.h"
#include "transfermanager.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QStackedWidget;
class QTimer;

namespace Berth {

class InlineMessage;
class LogoCache;
class OfficialImagesView;
class PullDialog;
class RegistryTransport;
class SearchResultsModel;

// Docker Hub, browsed and searched. With nothing typed and no filter it opens on the official
// images as cards, most pulled first, more as it scrolls; typing searches (debounced) and shows
// the results as a list, filtered by badge and sorted; clearing the words returns to the cards.
// Enter or a double-click asks for a repository's page; Pull asks for the tag and platform
// before anything is pulled. Ctrl+F goes to the search box.
class ExplorePage final : public QWidget
{
    Q_OBJECT

public:
    ExplorePage(HubClient *hub, LogoCache *logos, QWidget *parent = nullptr);

    bool isShowingOfficialImages() const;
    // Where pulls go: its backend is the platform the pull dialog proposes.
    void setTransfers(TransferManager *transfers) { m_transfers = transfers; }
    // The pull limits Docker Hub stated: the pull dialog says what pulling every platform costs.
    void setPullLimits(RegistryTransport *transport);
    // Searches now with what the controls say (the debounce timer calls this).
    void search();
    // Focus on the search box, its words selected. The window binds Ctrl+F to this: one binding,
    // not one here too (two of them make Qt ignore the key as ambiguous).
    void focusSearch();
    // Asks for the tag and platform of the current repository, then for the pull.
    void pullCurrent();

    static constexpr int DebounceMs = 300;
    static constexpr int OfficialPageSize = 24;
    // Tags offered in the pull dialog: the most recently updated ones.
    static constexpr int PullTagChoices = 100;

signals:
    // "node", "bitnami/node": the page to open.
    void repositoryRequested(const QString &name);
    void pullRequested(const Berth::ImageReference &reference, const Berth::PullRequest &request);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void setUpControls();
    void setUpViews(LogoCache *logos);
    void buildLayout();
    void connectControls();
    void connectModels();

    HubSearchQuery currentQuery() const;
    void scheduleSearch();
    static bool isStartQuery(const HubSearchQuery &query);
    void showViewFor(const HubSearchQuery &query);
    void loadOfficialImages();
    void showError(const Error &error);
    void showStartError(const Error &error);
    void updateStartPlaceholder();
    void updateStatus();
    void updateActions();
    QListView *currentView() const;
    QString currentName() const;
    void openCurrent();
    void listTags(PullDialog *dialog, const HubRepositorySummary &repository);
    void copyPullCommand();
    void showContextMenu(QListView *view, const QPoint &pos);
    bool eventFilter(QObject *watched, QEvent *event) override;

    QPointer<HubClient> m_hub;
    QPointer<TransferManager> m_transfers;
    QPointer<RegistryTransport> m_pullLimits;
    SearchResultsModel *m_model;
    SearchResultsModel *m_officialImages;
    QTimer *m_debounce;
    QLineEdit *m_searchField;
    QCheckBox *m_official;
    QCheckBox *m_verified;
    QCheckBox *m_openSource;
    QComboBox *m_sort;
    InlineMessage *m_notice;
    QAction *m_retry;
    QStackedWidget *m_views;
    QWidget *m_startPage;
    InlineMessage *m_startMessage;
    QAction *m_startRetry;
    OfficialImagesView *m_cards;
    QLabel *m_status;
    QListView *m_results;
    QPushButton *m_open;
    QPushButton *m_pull;
    QPushButton *m_copy;
};

} // namespace Berth
