#pragma once

#include "erroradvice.h"
#include "filechooser.h"

#include <QMainWindow>
#include <QPointer>
#include <QStringList>

#include <functional>

class QStackedWidget;
class QLabel;

namespace Berth {

class TransferJob;
class AppServices;
class ContainersPage;
class ExplorePage;
class ImagesPage;
class RegistriesPage;
class RepositoryPage;
class SettingsDialog;
class TransfersDock;
class UserGuideWindow;
class TransferIndicator;
class ImageBackend;
class Sidebar;

// The window: a sidebar of pages (Explore, Registries, Repository, Images, Containers) with live
// counts, the Transfers dock at the bottom (folded into the status bar's indicator when idle), and
// the actions every page shares (Share, Load, Import, Log in, Settings, Quit). It only composes:
// the pages do the work through AppServices.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    enum class Page { Explore, Registries, Repository, Images, Containers };

    explicit MainWindow(AppServices *services, QWidget *parent = nullptr);
    ~MainWindow() override;

    AppServices *services() const { return m_services; }
    void showPage(Page page);
    Page currentPage() const;

    // File dialogs of the window and every dialog it opens (tests inject paths here).
    void setFileChooser(FileChooser chooser);

    void openRepository(const QString &name);
    // The dialogs, non-modal-blocking (open()), returned so tests can drive them.
    QDialog *openShareWizard(const QStringList &images, bool save = false);
    QDialog *openLoadDialog(const QString &path = {});
    QDialog *openImportDialog(const QString &path = {});
    QDialog *openLoginDialog(const QString &registry = {});
    QDialog *openSettingsDialog();
    // Help: the user guide's window (one, raised again when open; F1) and the About dialog.
    QDialog *openUserGuide();
    QDialog *openAboutDialog();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void noteEngineRoute(SettingsDialog *dialog);
    void createPages(); // the pages, their stack and the sidebar
    void connectPages();
    void buildSidebar();
    void buildTransfersAndStatusBar();
    void buildActions();
    void buildHelpMenu();
    void followCounts();
    void backendChanged(ImageBackend *backend);
    void backendFailed(const QString &message);
    // What a failure's advice asks of the window (from the Transfers dock or a job dialog).
    void takeAdvice(ErrorAdvice::Action action, TransferJob *job);

    AppServices *m_services;
    FileChooser m_fileChooser;
    Sidebar *m_sidebar = nullptr;
    QStackedWidget *m_stack = nullptr;
    ExplorePage *m_explore = nullptr;
    RegistriesPage *m_registries = nullptr;
    RepositoryPage *m_repository = nullptr;
    ImagesPage *m_images = nullptr;
    ContainersPage *m_containers = nullptr;
    TransfersDock *m_transfersDock = nullptr;
    TransferIndicator *m_transferIndicator = nullptr;
    QLabel *m_backendLabel = nullptr;
    QPointer<UserGuideWindow> m_userGuide;
};

} // namespace Berth
