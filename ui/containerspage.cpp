#include "containerspage.h"

#include "containersmodel.h"
#include "inlinemessage.h"
#include "transfermanager.h"

#include "common/guarded.h"

#include <QAction>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QShowEvent>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace Berth {

ContainersPage::ContainersPage(ContainersModel *containers,
                               TransferManager *transfers,
                               QWidget *parent)
    : QWidget(parent)
    , m_containers(containers)
    , m_transfers(transfers)
    , m_chooseFile(chooseWithFileDialog)
    , m_export(new QAction(
          QIcon::fromTheme(QStringLiteral("document-export")), tr("&Export Filesystem…"), this))
    , m_remove(new QAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("&Remove…"), this))
    , m_refresh(new QAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("Re&fresh"), this))
    , m_message(new InlineMessage(this))
    , m_stack(new QStackedWidget(this))
    , m_emptyLabel(new QLabel(this))
    , m_view(new QTreeView(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    Q_ASSERT(containers && transfers);
    setObjectName(QStringLiteral("ContainersPage"));
    setAccessibleName(tr("Containers"));

    createActions();
    QToolBar *toolbar = buildToolbar();
    setUpView();

    m_emptyLabel->setObjectName(QStringLiteral("emptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_emptyLabel);
    m_message->setObjectName(QStringLiteral("message"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(toolbar);
    layout->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    connectModel();
    backendChanged();
}

void ContainersPage::createActions()
{
    m_export->setObjectName(QStringLiteral("exportAction"));
    m_export->setToolTip(tr("Write the container's files to a tar archive"));
    m_remove->setObjectName(QStringLiteral("removeAction"));
    m_remove->setShortcut(QKeySequence::Delete);
    m_refresh->setObjectName(QStringLiteral("refreshAction"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    for (QAction *a : {m_export, m_remove, m_refresh}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    connect(m_export, &QAction::triggered, this, &ContainersPage::exportSelected);
    connect(m_remove, &QAction::triggered, this, &ContainersPage::removeSelected);
    connect(m_refresh, &QAction::triggered, this, &ContainersPage::refresh);
}

QToolBar *ContainersPage::buildToolbar()
{
    auto *toolbar = new QToolBar(tr("Container actions"), this);
    toolbar->setObjectName(QStringLiteral("containersToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_export);
    toolbar->addAction(m_remove);
    toolbar->addSeparator();
    toolbar->addAction(m_refresh);
    return toolbar;
}

void ContainersPage::setUpView()
{
    m_proxy->setSourceModel(m_containers);
    m_proxy->setSortRole(ContainersModel::RawValueRole);
    m_view->setObjectName(QStringLiteral("containersView"));
    m_view->setAccessibleName(tr("Containers"));
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ContainersModel::CreatedColumn, Qt::DescendingOrder);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addAction(m_export);
    m_view->addAction(m_remove);
    connect(m_view->selectionModel(),
            &QItemSelectionModel::selectionChanged,
            this,
            &ContainersPage::updateState);
}

void ContainersPage::connectModel()
{
    ContainersModel *containers = m_containers.data();
    connect(containers, &ContainersModel::refreshFailed, this, [this](const QString &error) {
        m_message->showError(tr("The containers could not be listed: %1").arg(error));
        updateState();
    });
    connect(containers, &QAbstractItemModel::rowsInserted, this, &ContainersPage::updateState);
    connect(containers, &QAbstractItemModel::rowsRemoved, this, &ContainersPage::updateState);
    connect(containers, &QAbstractItemModel::modelReset, this, &ContainersPage::updateState);
    connect(containers, &ContainersModel::loadingChanged, this, &ContainersPage::updateState);
    connect(containers, &ContainersModel::refreshed, this, &ContainersPage::selectWanted);
    connect(m_transfers.data(),
            &TransferManager::backendChanged,
            this,
            &ContainersPage::backendChanged);
}

void ContainersPage::setFileChooser(FileChooser chooser)
{
    m_chooseFile = chooser ? std::move(chooser) : FileChooser(chooseWithFileDialog);
}

void ContainersPage::backendChanged()
{
    m_containers->setBackend(m_transfers ? m_transfers->backend() : nullptr);
    m_message->clear();
    refresh();
}

void ContainersPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Containers come and go outside Berth (docker run): the page is current whenever it is
    // shown, not only after Refresh.
    if (!event->spontaneous())
        refresh();
}

void ContainersPage::refresh()
{
    if (m_containers->backend())
        m_containers->refresh();
    updateState();
}

void ContainersPage::updateState()
{
    const bool supported = m_containers->isSupported();
    if (!m_containers->backend())
        m_emptyLabel->setText(tr("No image store is open."));
    else if (!supported)
        m_emptyLabel->setText(
            tr("Berth's embedded store keeps images only. Containers live in Docker or Podman: "
               "choose one on the Images page or in Settings to see them here."));
    else
        m_emptyLabel->setText(tr("No containers. Containers made with docker run, docker create "
                                 "or podman appear here."));
    const bool empty = m_containers->rowCount() == 0 && !m_containers->isLoading();
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_emptyLabel) : m_view);
    const bool selected = !selectedContainer().isEmpty();
    m_export->setEnabled(supported && selected);
    m_remove->setEnabled(supported && selected);
    m_refresh->setEnabled(supported);
}

QString ContainersPage::selectedContainer() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return {};
    return m_proxy->mapToSource(rows.first()).data(ContainersModel::IdRole).toString();
}

bool ContainersPage::select(const QString &idOrName)
{
    const int row = m_containers->find(idOrName);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_containers->index(row, 0));
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

void ContainersPage::selectContainers(const QStringList &idsOrNames)
{
    m_wanted = idsOrNames;
    selectWanted();
}

bool ContainersPage::selectWanted()
{
    QItemSelection selection;
    for (const QString &wanted : std::as_const(m_wanted)) {
        const int row = m_containers->find(wanted);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_containers->index(row, 0));
        selection.select(index, index);
    }
    if (selection.isEmpty())
        return false;
    m_wanted.clear();
    m_view->selectionModel()->select(
        selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->selectionModel()->setCurrentIndex(selection.indexes().first(),
                                              QItemSelectionModel::NoUpdate);
    m_view->scrollTo(selection.indexes().first());
    m_view->setFocus();
    return true;
}

QString ContainersPage::suggestedExportName(const QString &containerName)
{
    // Only what every file system takes: podman allows names docker does not ("a.b_c-d").
    QString name;
    for (const QChar c : containerName)
        name += c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-' ? c : u'-';
    while (name.startsWith(u'.') || name.startsWith(u'-'))
        name.remove(0, 1);
    return (name.isEmpty() ? QStringLiteral("container") : name) + u"-fs.tar";
}

void ContainersPage::exportSelected()
{
    const QString id = selectedContainer();
    const int row = m_containers->find(id);
    if (row < 0 || !m_transfers)
        return;
    const QString name = ContainersModel::displayName(m_containers->container(row));
    FileRequest request;
    request.mode = FileRequest::Mode::Save;
    request.caption = tr("Export the Filesystem of %1").arg(name);
    // The folder last exported to, else home; the name from the container's, not its ID.
    request.purpose = QStringLiteral("export");
    request.suggestedPath = QDir(lastFolder(request.purpose)).filePath(suggestedExportName(name));
    request.filter = filesystemArchiveFileFilter();
    const QString path = chooseFile(m_chooseFile, this, request);
    // By name: the engine takes it as well as the ID, and the transfer says what it exports.
    if (!path.isEmpty())
        m_transfers->exportFilesystem(name, path);
}

void ContainersPage::removeSelected()
{
    const QString id = selectedContainer();
    const int row = m_containers->find(id);
    if (row < 0 || !m_containers->backend())
        return;
    const LocalContainer container = m_containers->container(row);
    const QString name = ContainersModel::displayName(container);
    const bool running = container.state == u"running";
    auto *box = new QMessageBox(QMessageBox::Question,
                                tr("Remove Container"),
                                tr("Remove the container %1?").arg(name),
                                QMessageBox::NoButton,
                                this);
    box->setObjectName(QStringLiteral("removeConfirmation"));
    box->setInformativeText(running ? tr("It is running: it will be stopped first. Files written "
                                         "inside it are lost; its image stays.")
                                    : tr("Files written inside it are lost; its image stays."));
    QPushButton *remove = box->addButton(tr("&Remove"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmRemove"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box,
            &QMessageBox::buttonClicked,
            this,
            [this, remove, id, name, running](QAbstractButton *b) {
                if (b != remove || !m_containers->backend())
                    return;
                m_containers->backend()->removeContainer(
                    id, running, guarded(this, [this, name](Status status) {
                        m_containers->refresh();
                        if (status)
                            m_message->showPositive(tr("Removed the container %1.").arg(name));
                        else
                            m_message->showError(tr("The container %1 was not removed: %2")
                                                     .arg(name, status.error().message));
                    }));
            });
    box->open();
}

} // namespace Berth
