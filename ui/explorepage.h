#pragma once

#include "common/result.h"
#include "reference/imagereference.h"
#include "registry/hubclient.h"
#include "registry/manifest.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QTimer;

namespace Berth {

class LogoCache;
class InlineMessage;
class SearchResultsModel;

// Docker Hub search: type to search (debounced), filter by badge, sort; Enter or a double-click
// on a result asks for its repository page. Ctrl+F goes to the search box.
class ExplorePage final : public QWidget
{
    Q_OBJECT

public:
    ExplorePage(HubClient *hub, LogoCache *logos, QWidget *parent = nullptr);

    SearchResultsModel *model() const { return m_model; }
    // Searches now with what the controls say (the debounce timer calls this).
    void search();
    // Focus on the search box, its words selected. The window binds Ctrl+F to this: one binding,
    // not one here too (two of them make Qt ignore the key as ambiguous).
    void focusSearch();

    static constexpr int DebounceMs = 300;

signals:
    // "node", "bitnami/node": the page to open.
    void repositoryRequested(const QString &name);
    void pullRequested(const Berth::ImageReference &reference,
                       const std::optional<Berth::Platform> &platform);

private:
    HubSearchQuery currentQuery() const;
    void scheduleSearch();
    void showError(const Error &error);
    void updateStatus();
    void updateActions();
    QString currentName() const;
    void openCurrent();
    void pullCurrent();
    void copyPullCommand();
    bool eventFilter(QObject *watched, QEvent *event) override;

    SearchResultsModel *m_model;
    QTimer *m_debounce;
    QLineEdit *m_searchField;
    QCheckBox *m_official;
    QCheckBox *m_verified;
    QCheckBox *m_openSource;
    QComboBox *m_sort;
    InlineMessage *m_notice;
    QAction *m_retry;
    QLabel *m_status;
    QListView *m_results;
    QPushButton *m_open;
    QPushButton *m_pull;
    QPushButton *m_copy;
};

} // namespace Berth
