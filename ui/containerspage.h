#pragma once

#include "containersmodel.h"
#include "filechooser.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QSortFilterProxyModel;
class QStackedWidget;
class QToolBar;
class QTreeView;

namespace Berth {

class ContainersModel;
class InlineMessage;
class TransferManager;

// The Containers page (engine backends): every container, running or not; export a container's
// filesystem to a tar chosen with a file picker (a transfer), remove one (confirmed; a running
// one is stopped first). With the embedded store it says where containers live instead.
class ContainersPage final : public QWidget
{
    Q_OBJECT

public:
    ContainersPage(ContainersModel *containers,
                   TransferManager *transfers,
                   QWidget *parent = nullptr);

    void setFileChooser(FileChooser chooser);

    // The selected container's ID, empty when none is selected.
    QString selectedContainer() const;
    bool select(const QString &idOrName);
    // Selects these containers (names or IDs), now or once they are listed: the Images page's
    // "Show Containers" after a removal they refused.
    void selectContainers(const QStringList &idsOrNames);
    // "web-fs.tar" for the container "web": a file name that says what is inside.
    static QString suggestedExportName(const QString &containerName);

public slots:
    void refresh();
    void exportSelected();
    void removeSelected();

protected:
    void showEvent(QShowEvent *event) override;

private:
    // The constructor's steps, in order.
    void createActions();
    QToolBar *buildToolbar();
    void setUpView();
    void connectModel();

    bool selectWanted();
    void backendChanged();
    void updateState();

    QPointer<ContainersModel> m_containers;
    QPointer<TransferManager> m_transfers;
    FileChooser m_chooseFile;
    QAction *m_export;
    QAction *m_remove;
    QAction *m_refresh;
    InlineMessage *m_message;
    QStackedWidget *m_stack;
    QLabel *m_emptyLabel;
    QTreeView *m_view;
    QSortFilterProxyModel *m_proxy;
    QStringList m_wanted; // to select once listed
};

} // namespace Berth
