#pragma once

#include "filechooser.h"
#include "localimagesmodel.h"

#include "store/backendfactory.h"

#include <QHash>
#include <QModelIndex>
#include <QPointer>
#include <QWidget>

class QAction;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QToolBar;
class QTreeView;

namespace Berth {

class InlineMessage;
class LocalImagesModel;
class RegistryTransport;
class TransferJob;
class TransferManager;

// The Images page: the current backend's images (tags sharing an image ID together) with pull,
// load, tag, push, save, export filesystem, inspect, remove and prune, and the switcher between
// backends showing what was detected. Transfers go through the TransferManager; pushing and
// saving are handed to the share wizard through shareRequested() and saveRequested(). The page
// follows TransferManager::backendChanged() and refreshes the model itself.
class ImagesPage final : public QWidget
{
    Q_OBJECT

public:
    enum class Action {
        Pull,
        Load,
        LookInsideArchive,
        Tag,
        Push,
        Save,
        Export,
        Inspect,
        Remove,
        Prune,
        Refresh,
        Update,          // pulls the selected images' tags that have an update
        CheckForUpdates, // asks the registries now (UpdateChecker::checkNow)
    };
    Q_ENUM(Action)

    ImagesPage(LocalImagesModel *images, TransferManager *transfers, QWidget *parent = nullptr);
    ~ImagesPage() override;

    // Tests answer file dialogs through this; the application keeps QFileDialog.
    void setFileChooser(FileChooser chooser);
    // The pull limits registries stated: the pull dialog says what pulling every platform costs.
    void setPullLimits(RegistryTransport *transport);

    // What the switcher shows as chosen; does not emit backendChangeRequested().
    void setBackendChoice(BackendChoice choice);
    BackendChoice backendChoice() const;
    // Opening the chosen backend failed: said on the page, in the user's words.
    void showBackendError(const QString &message);

    // The names of the selected rows as the backend takes them: a tag ("node:15"), or an image ID
    // for an untagged image or an image with several tags.
    QStringList selectedReferences() const;
    // Selects the row of an image or tag; false when it is not listed.
    bool select(const QString &idOrTag);

public slots:
    void refresh();
    void pull();
    void load();
    // Shows the files of an image archive before (or instead of) loading it.
    void lookInsideArchive();
    void tagSelected();
    void pushSelected();
    void saveSelected();
    void exportSelected();
    void inspectSelected();
    void removeSelected();
    void prune();
    // Pulls each selected tag with an update, for its image's platform (imagespageupdates.cpp).
    void updateSelected();
    void checkForUpdates();

signals:
    void shareRequested(const QStringList &images);
    void saveRequested(const QStringList &images);
    // Changes only what this page (and the window) shows; the saved default is Settings'.
    void backendChangeRequested(Berth::BackendChoice choice);
    // "Show Containers" on a removal refused because containers use the image.
    void containersRequested(const QStringList &names);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Removal
    {
        QString name; // what the backend is asked to remove
        bool force = false;
        QStringList shown; // the tags (or ID) the user sees going
    };

    // The constructor's steps, in order.
    QToolBar *buildToolbar();
    void describeActions(); // shortcuts and tooltips; every action works anywhere on the page
    QHBoxLayout *buildBackendRow();
    void setUpView();
    void buildEmptyState();
    void connectModel();

    QAction *addAction(Action action, const QString &text, const QString &icon);
    // The Update and Check for Updates actions, their place in the toolbar and the context menu,
    // and the checker's signals (imagespageupdates.cpp).
    void addUpdateActions(QToolBar *toolbar);
    void connectUpdates();
    void updateUpdateActions(const QModelIndexList &rows);
    // The selected tags that have an update, each with its image's platform.
    QList<std::pair<QString, Platform>> selectedUpdates() const;
    void backendChanged();
    void updateActions();
    void updateEmptyState();
    void jobFinished(TransferJob *job);
    QList<Removal> selectedRemovals() const;
    struct RemovalOutcome
    {
        QStringList removed;
        QStringList errors;
        QStringList blockers; // containers that kept an image
    };
    void runRemovals(QList<Removal> removals, RemovalOutcome outcome);
    void reportRemovals(const RemovalOutcome &outcome);
    QModelIndexList selectedSourceRows() const;
    QString currentReference() const;

    QPointer<LocalImagesModel> m_images;
    QPointer<TransferManager> m_transfers;
    QPointer<RegistryTransport> m_pullLimits;
    FileChooser m_chooseFile;
    QHash<Action, QAction *> m_actions;
    QComboBox *m_backendBox;
    QLabel *m_backendLabel;
    QLineEdit *m_filter;
    InlineMessage *m_message;
    QStackedWidget *m_stack;
    QWidget *m_emptyState;
    QLabel *m_emptyLabel;
    QTreeView *m_view;
    QSortFilterProxyModel *m_proxy;
    QAction *m_showContainers; // offered when containers kept an image from being removed
    QStringList m_blockers;    // their names
};

} // namespace Berth
