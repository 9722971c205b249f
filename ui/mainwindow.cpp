#include "mainwindow.h"

#include "aboutdialog.h"
#include "appearance.h"
#include "appicon.h"
#include "appservices.h"
#include "containersmodel.h"
#include "containerspage.h"
#include "dialogsizing.h"
#include "explorepage.h"
#include "imagespage.h"
#include "importdialog.h"
#include "loaddialog.h"
#include "localimagesmodel.h"
#include "logindialog.h"
#include "pulllimitindicator.h"
#include "pullstatus.h"
#include "registriesmodel.h"
#include "registriespage.h"
#include "repositorypage.h"
#include "settingsdialog.h"
#include "sharewizard.h"
#include "sidebar.h"
#include "transferindicator.h"
#include "transfermanager.h"
#include "transfersdock.h"
#include "userguidewindow.h"

#include "common/guarded.h"
#include "network/networkpolicy.h"
#include "registry/registryclient.h"
#include "store/enginebackend.h"
#include "store/engineproxy.h"
#include "store/imagebackend.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QTreeView>

namespace Berth {

namespace {

// The sidebar's rows, in Page order.
struct PageEntry
{
    MainWindow::Page page;
    const char *title;
    const char *icon; // freedesktop icon name
};

constexpr PageEntry Pages[] = {
    {MainWindow::Page::Explore, QT_TRANSLATE_NOOP("Berth::MainWindow", "Explore"), "globe"},
    {MainWindow::Page::Registries,
     QT_TRANSLATE_NOOP("Berth::MainWindow", "Registries"),
     "network-server"},
    {MainWindow::Page::Repository,
     QT_TRANSLATE_NOOP("Berth::MainWindow", "Repository"),
     "repository"},
    {MainWindow::Page::Images, QT_TRANSLATE_NOOP("Berth::MainWindow", "Images"), "package"},
    {MainWindow::Page::Containers, QT_TRANSLATE_NOOP("Berth::MainWindow", "Containers"), "box"},
};
constexpr int PageCount = int(std::size(Pages));
// The sidebar's last row opens the Transfers dock rather than a page.
constexpr int TransfersRow = PageCount;

// What quits: the platform's Quit keys, and Ctrl+Q everywhere (some platform themes have none).
QList<QKeySequence> quitShortcuts()
{
    QList<QKeySequence> keys = QKeySequence::keyBindings(QKeySequence::Quit);
    const QKeySequence ctrlQ(Qt::CTRL | Qt::Key_Q);
    if (!keys.contains(ctrlQ))
        keys.prepend(ctrlQ);
    return keys;
}

} // namespace

MainWindow::MainWindow(AppServices *services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(services)
    , m_fileChooser(chooseWithFileDialog)
{
    setWindowTitle(tr("Berth"));
    setWindowIcon(appIcon());
    setObjectName(QStringLiteral("BerthMainWindow"));
    setAcceptDrops(true);

    createPages();
    buildTransfersAndStatusBar();
    followCounts();

    buildActions();
    connect(m_transfersDock, &TransfersDock::adviceActionTriggered, this, &MainWindow::takeAdvice);
    connectPages();

    connect(services, &AppServices::backendChanged, this, &MainWindow::backendChanged);
    connect(services, &AppServices::backendFailed, this, &MainWindow::backendFailed);
    connect(services, &AppServices::networkProblem, this, [this](const QString &message) {
        statusBar()->showMessage(message + u' ' + tr("Check Settings → Network."));
    });
    if (services->backend())
        backendChanged(services->backend());
    else
        m_backendLabel->setText(tr("Looking for an image backend…"));

    m_sidebar->setCurrentRow(0);
    resize(1180, 760);
}

void MainWindow::createPages()
{
    AppServices *services = m_services;
    m_explore = new ExplorePage(services->hub(), services->logos(), this);
    m_registries = new RegistriesPage(
        services->registries(), services->registryClient(), services->credentials(), this);
    m_repository = new RepositoryPage(services->hub(), services->registryClient(), this);
    m_repository->setTransfers(services->transfers());
    m_repository->setAccounts(services->accounts());
    m_images = new ImagesPage(services->images(), services->transfers(), this);
    m_containers = new ContainersPage(services->containers(), services->transfers(), this);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_explore);
    m_stack->addWidget(m_registries);
    m_stack->addWidget(m_repository);
    m_stack->addWidget(m_images);
    m_stack->addWidget(m_containers);
    buildSidebar();

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
}

void MainWindow::connectPages()
{
    // Browsing leads to a repository; a repository and search results lead to pulls, which show
    // in the Transfers dock and then in Images.
    connect(m_explore, &ExplorePage::repositoryRequested, this, &MainWindow::openRepository);
    connect(m_registries, &RegistriesPage::repositoryRequested, this, &MainWindow::openRepository);
    auto pull = [this](const ImageReference &reference, const PullRequest &request) {
        TransferJob *job = m_services->transfers()->pull(reference, request);
        m_transfersDock->show();
        PullStatus::follow(job, reference, statusBar());
    };
    m_explore->setTransfers(m_services->transfers());
    m_explore->setPullLimits(&m_services->registryClient()->transport());
    m_images->setPullLimits(&m_services->registryClient()->transport());
    connect(m_explore, &ExplorePage::pullRequested, this, pull);
    connect(m_repository,
            &RepositoryPage::pullRequested,
            this,
            [pull](const ImageReference &reference, const std::optional<Platform> &platform) {
                PullRequest request;
                request.platform = platform;
                pull(reference, request);
            });
    connect(m_images, &ImagesPage::shareRequested, this, [this](const QStringList &images) {
        openShareWizard(images, false);
    });
    connect(m_images, &ImagesPage::saveRequested, this, [this](const QStringList &images) {
        openShareWizard(images, true);
    });
    // The page's switcher looks elsewhere for now; the saved default is Settings' to change.
    connect(m_images, &ImagesPage::backendChangeRequested, this, [this](BackendChoice choice) {
        m_services->openBackend(choice);
    });
    connect(m_images, &ImagesPage::containersRequested, this, [this](const QStringList &names) {
        showPage(Page::Containers);
        m_containers->selectContainers(names);
    });
    // A finished pull, load or import changes what Images lists.
    connect(m_services->transfers(), &TransferManager::jobFinished, this, [this](TransferJob *) {
        m_services->images()->refresh();
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("MainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setMovable(false);

    auto add
        = [this](const QString &text, const char *icon, const QKeySequence &shortcut, auto slot) {
              auto *action = new QAction(QIcon::fromTheme(QLatin1String(icon)), text, this);
              if (!shortcut.isEmpty())
                  action->setShortcut(shortcut);
              connect(action, &QAction::triggered, this, slot);
              addAction(action);
              return action;
          };
    QAction *share = add(tr("Share…"), "document-send", QKeySequence(), [this] {
        openShareWizard(m_images->selectedReferences());
    });
    share->setToolTip(tr("Push images to a registry or save them to an archive"));
    QAction *load
        = add(tr("Load…"), "document-open", QKeySequence::Open, [this] { openLoadDialog(); });
    load->setToolTip(tr("Load images from an archive (docker load)"));
    QAction *import
        = add(tr("Import…"), "document-import", QKeySequence(), [this] { openImportDialog(); });
    import->setToolTip(tr("Import a filesystem archive as an image (docker import)"));
    QAction *login = add(tr("Log In…"), "dialog-password", QKeySequence(tr("Ctrl+L")), [this] {
        openLoginDialog();
    });
    QAction *search = add(tr("Search Docker Hub"), "edit-find", QKeySequence::Find, [this] {
        showPage(Page::Explore);
        m_explore->focusSearch();
    });
    QAction *settings = add(
        tr("Settings…"), "configure", QKeySequence::Preferences, [this] { openSettingsDialog(); });
    QAction *quit = add(tr("Quit"), "application-exit", QKeySequence(), [this] { close(); });
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcuts(quitShortcuts());

    toolbar->addAction(share);
    toolbar->addAction(load);
    toolbar->addAction(import);
    toolbar->addSeparator();
    toolbar->addAction(login);
    toolbar->addAction(settings);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(load);
    file->addAction(import);
    file->addAction(share);
    file->addSeparator();
    file->addAction(quit);
    QMenu *go = menuBar()->addMenu(tr("&Go"));
    go->addAction(search);
    for (int i = 0; i < PageCount; ++i) {
        auto *action
            = go->addAction(QIcon::fromTheme(QLatin1String(Pages[i].icon)), tr(Pages[i].title));
        action->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(action, &QAction::triggered, this, [this, i] { m_sidebar->setCurrentRow(i); });
    }
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *transfers = m_transfersDock->toggleViewAction();
    transfers->setIcon(QIcon::fromTheme(QStringLiteral("download")));
    transfers->setText(tr("&Transfers"));
    transfers->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + PageCount)));
    view->addAction(transfers);
    QMenu *account = menuBar()->addMenu(tr("&Account"));
    account->addAction(login);
    account->addAction(settings);
    buildHelpMenu();
}

void MainWindow::buildHelpMenu()
{
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *guide = help->addAction(QIcon::fromTheme(QStringLiteral("help-contents")),
                                     tr("&User Guide"),
                                     this,
                                     [this] { openUserGuide(); });
    guide->setObjectName(QStringLiteral("userGuideAction"));
    guide->setShortcut(QKeySequence::HelpContents);
    // The window's own, so F1 works from any page while the menu is closed.
    addAction(guide);
    help->addSeparator();
    QAction *about = help->addAction(QIcon::fromTheme(QStringLiteral("help-about")),
                                     tr("&About Berth"),
                                     this,
                                     [this] { openAboutDialog(); });
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
}

QDialog *MainWindow::openUserGuide()
{
    if (!m_userGuide) {
        m_userGuide = new UserGuideWindow(this);
        m_userGuide->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_userGuide->show();
    m_userGuide->raise();
    m_userGuide->activateWindow();
    return m_userGuide;
}

QDialog *MainWindow::openAboutDialog()
{
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::setFileChooser(FileChooser chooser)
{
    m_fileChooser = chooser;
    m_images->setFileChooser(chooser);
    m_containers->setFileChooser(chooser);
}

void MainWindow::showPage(Page page)
{
    m_sidebar->setCurrentRow(int(page));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_stack->currentIndex());
}

void MainWindow::buildTransfersAndStatusBar()
{
    m_transfersDock = new TransfersDock(m_services->transfersModel(), this);
    addDockWidget(Qt::BottomDockWidgetArea, m_transfersDock);
    // The pages are what the user came for; the dock gets a strip, and grows when dragged.
    resizeDocks({m_transfersDock}, {170}, Qt::Vertical);
    // Idle, the dock is folded into the status bar's indicator; a new job opens it.
    m_transfersDock->hide();
    m_transferIndicator = new TransferIndicator(m_services->transfers(), m_transfersDock, this);

    m_backendLabel = new QLabel(this);
    m_backendLabel->setAccessibleName(tr("Image backend"));
    // Docker Hub's pulls left, once an answer of the Hub stated them.
    statusBar()->addPermanentWidget(
        new PullLimitIndicator(&m_services->registryClient()->transport(), this));
    statusBar()->addPermanentWidget(m_transferIndicator);
    statusBar()->addPermanentWidget(m_backendLabel);
}

void MainWindow::buildSidebar()
{
    m_sidebar = new Sidebar(this);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Pages"));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setIconSize(QSize(22, 22));
    m_sidebar->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    m_sidebar->setFixedWidth(180);
    for (const PageEntry &entry : Pages)
        m_sidebar->addEntry(QIcon::fromTheme(QLatin1String(entry.icon)), tr(entry.title));
    m_sidebar->addEntry(QIcon::fromTheme(QStringLiteral("download")), tr("Transfers"));
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < PageCount)
            m_stack->setCurrentIndex(row);
    });
    // Transfers is not a page: choosing it opens the dock and leaves the page as it was.
    auto openTransfers = [this](QListWidgetItem *item) {
        if (m_sidebar->row(item) != TransfersRow)
            return;
        m_transfersDock->show();
        m_transfersDock->raise();
        m_transfersDock->view()->setFocus(Qt::OtherFocusReason);
        m_sidebar->setCurrentRow(m_stack->currentIndex());
    };
    connect(m_sidebar, &QListWidget::itemClicked, this, openTransfers);
    connect(m_sidebar, &QListWidget::itemActivated, this, openTransfers);
}

// The sidebar's badges follow the models: images and containers listed, transfers running.
void MainWindow::followCounts()
{
    auto follow = [this](QAbstractItemModel *model, auto update) {
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(model, signal, this, update);
        connect(model, &QAbstractItemModel::modelReset, this, update);
        connect(model, &QAbstractItemModel::layoutChanged, this, update);
        update();
    };
    LocalImagesModel *images = m_services->images();
    follow(images, [this, images] {
        const int n = images->rowCount();
        m_sidebar->setBadgeCount(int(Page::Images), n, tr("%n image(s)", nullptr, n));
    });
    ContainersModel *containers = m_services->containers();
    follow(containers, [this, containers] {
        const int n = containers->rowCount();
        m_sidebar->setBadgeCount(int(Page::Containers), n, tr("%n container(s)", nullptr, n));
    });
    auto running = [this](int n) {
        m_sidebar->setBadgeCount(TransfersRow,
                                 n > 0 ? n : -1,
                                 n > 0 ? tr("%n transfer(s) running", nullptr, n)
                                       : tr("No transfer running"));
    };
    connect(m_transferIndicator, &TransferIndicator::activeCountChanged, this, running);
    running(m_transferIndicator->activeCount());
}

void MainWindow::openRepository(const QString &name)
{
    m_repository->openRepository(name);
    showPage(Page::Repository);
}

QDialog *MainWindow::openShareWizard(const QStringList &images, bool save)
{
    ShareWizard::Services services;
    services.transfers = m_services->transfers();
    services.credentials = m_services->credentials();
    services.client = m_services->registryClient();
    services.registries = m_services->registries();
    auto *wizard = new ShareWizard(services, images, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setFileChooser(m_fileChooser);
    if (save)
        wizard->setMode(ShareWizard::Mode::Save);
    keepSizeWhileTyping(wizard);
    wizard->open();
    return wizard;
}

QDialog *MainWindow::openLoadDialog(const QString &path)
{
    auto *dialog = new LoadDialog(m_services->transfers(), this);
    connect(dialog, &JobDialog::adviceRequested, this, [this, dialog](ErrorAdvice::Action a) {
        takeAdvice(a, dialog->job());
    });
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileChooser(m_fileChooser);
    if (!path.isEmpty())
        dialog->setPath(path);
    keepSizeWhileTyping(dialog);
    dialog->open();
    return dialog;
}

QDialog *MainWindow::openImportDialog(const QString &path)
{
    auto *dialog = new ImportDialog(m_services->transfers(), this);
    connect(dialog, &JobDialog::adviceRequested, this, [this, dialog](ErrorAdvice::Action a) {
        takeAdvice(a, dialog->job());
    });
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!path.isEmpty())
        dialog->setPath(path);
    dialog->setFileChooser(m_fileChooser);
    keepSizeWhileTyping(dialog);
    dialog->open();
    return dialog;
}

void MainWindow::takeAdvice(ErrorAdvice::Action action, TransferJob *job)
{
    const TransferJob::Subject subject = job ? job->subject() : TransferJob::Subject();
    switch (action) {
    case ErrorAdvice::Action::Retry:
        if (job && job->canRetry())
            job->retry();
        break;
    case ErrorAdvice::Action::LogIn:
        openLoginDialog(subject.registry);
        break;
    case ErrorAdvice::Action::OpenSettings:
        openSettingsDialog();
        break;
    case ErrorAdvice::Action::ShowContainers:
        showPage(Page::Containers);
        break;
    case ErrorAdvice::Action::Import:
        openImportDialog(subject.file);
        break;
    }
}

QDialog *MainWindow::openLoginDialog(const QString &registry)
{
    auto *dialog = new LoginDialog(m_services->credentials(), m_services->registryClient(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QStringList hosts{QStringLiteral("docker.io")};
    for (const RegistriesModel::Registry &r : m_services->registries()->registries())
        hosts << r.host;
    dialog->setRegistries(hosts);
    if (!registry.isEmpty())
        dialog->setRegistry(registry);
    keepSizeWhileTyping(dialog);
    dialog->open();
    return dialog;
}

QDialog *MainWindow::openSettingsDialog()
{
    auto *dialog = new SettingsDialog(m_services->registries(), m_services->credentials(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileChooser(m_fileChooser);
    connect(dialog,
            &SettingsDialog::settingsApplied,
            this,
            [this](const AppSettings &settings, bool backendChanged) {
                m_services->applySettings(settings, backendChanged);
                applyAppearance(settings.appearance);
            });
    keepSizeWhileTyping(dialog);
    noteEngineRoute(dialog);
    dialog->open();
    return dialog;
}

// Docker pulls and pushes with its own proxy settings: Settings → Network says so when the
// engine's route to Docker Hub is not the one Berth's settings give (Podman's /info does not say).
void MainWindow::noteEngineRoute(SettingsDialog *dialog)
{
    auto *engine = dynamic_cast<EngineBackend *>(m_services->backend());
    if (!engine || engine->info().flavour != EngineInfo::Flavour::Docker)
        return;
    fetchEngineProxy(engine->client(), guarded(dialog, [dialog](Result<EngineProxy> proxy) {
                         if (!proxy)
                             return;
                         const QString note
                             = engineRouteDifference(*proxy,
                                                     currentNetworkPolicy()->proxy,
                                                     QStringLiteral("registry-1.docker.io"));
                         if (!note.isEmpty())
                             dialog->setEngineRouteNote(note);
                     }));
}

void MainWindow::backendChanged(ImageBackend *backend)
{
    m_backendLabel->setText(backend->description());
    m_images->setBackendChoice(m_services->backendChoice());
    // Containers exist only in an engine.
    if (QListWidgetItem *item = m_sidebar->item(int(Page::Containers)))
        item->setHidden(!backend->hasContainers());
    if (!backend->hasContainers() && currentPage() == Page::Containers)
        showPage(Page::Images);
}

void MainWindow::backendFailed(const QString &message)
{
    m_backendLabel->setText(tr("No image backend"));
    m_images->showBackendError(message);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && LoadDialog::isArchiveUrl(urls.first()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !LoadDialog::isArchiveUrl(urls.first()))
        return;
    event->acceptProposedAction();
    openLoadDialog(urls.first().toLocalFile());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_services->transfers()->hasActiveJobs()) {
        const auto answer
            = QMessageBox::question(this,
                                    tr("Transfers in Progress"),
                                    tr("Some transfers are still running. Quit and cancel them?"),
                                    QMessageBox::Cancel | QMessageBox::Yes,
                                    QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        for (TransferJob *job : m_services->transfers()->jobs())
            job->cancel();
    }
    event->accept();
}

} // namespace Berth
