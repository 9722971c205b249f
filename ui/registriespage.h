#pragma once

#include "common/result.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QStringListModel;
class QTreeView;

namespace Berth {

class CredentialStore;
class InlineMessage;
class LoginDialog;
class RegistriesModel;
class RegistryClient;

// The Registries page: the registries the user added (RegistriesModel; Docker Hub always first),
// adding one (host[:port], "allow plain HTTP" for local ones) and removing it; for the selected
// registry its catalog when it lists one, "open repository by name" otherwise, and logging in or
// out. Opening a repository is asked of the rest of the app through repositoryRequested().
//
// The page keeps the RegistryClient's insecure registries in step with the model, and makes the
// client forget a registry's cached login when the user logs in or out here.
class RegistriesPage final : public QWidget
{
    Q_OBJECT

public:
    RegistriesPage(RegistriesModel *registries,
                   RegistryClient *client,
                   CredentialStore *credentials,
                   QWidget *parent = nullptr);

    // The selected registry's host ("docker.io", "localhost:5000").
    QString currentRegistry() const;
    bool selectRegistry(const QString &host);

    // The repository a name typed in "open repository" means on the selected registry:
    // "node" (Docker Hub), "localhost:5000/team/app"; the error says what is wrong with it.
    Result<QString> repositoryFor(const QString &text) const;
    // What the catalog lists now, as repositoryRequested() would name them.
    QStringList catalog() const { return m_catalogNames; }
    bool isLoadingCatalog() const { return m_loading; }

public slots:
    // Adds what the fields say; the error shows under them.
    bool addRegistry();
    void removeSelectedRegistry();
    void refreshCatalog();
    // Opens what "open repository" says; false (and the reason shown) when it is not a name.
    bool openTypedRepository();
    // Opens the login dialog for the selected registry; answers it (open, not modal-blocking).
    LoginDialog *logIn();
    void logOut();

signals:
    // "node", "bitnami/node", "localhost:5000/team/app".
    void repositoryRequested(const QString &repository);

private:
    // The constructor's steps, in order.
    void setUpRegistryList();
    QWidget *buildRegistryColumn(); // the list, adding and removing
    void setUpSelectedRegistry();
    QWidget *buildSelectedRegistryColumn(); // login, open by name, catalog
    void connectWidgets();
    void followModel();

    void registryChanged();
    void updateButtons();
    void updateLoginStatus();
    void validateOpenName();
    void showCatalogError(const QString &registry, const Error &error);
    void catalogActivated(const QModelIndex &index);

    QPointer<RegistriesModel> m_registries;
    QPointer<RegistryClient> m_client;
    QPointer<CredentialStore> m_credentials;
    int m_generation = 0;
    bool m_loading = false;
    QStringList m_catalogNames;
    bool m_berthLogin = false;

    QTreeView *m_registriesView;
    QLineEdit *m_newRegistry;
    QCheckBox *m_plainHttp;
    QPushButton *m_add;
    QPushButton *m_remove;
    InlineMessage *m_registryMessage;
    QLabel *m_title;
    QLabel *m_loginStatus;
    QPushButton *m_login;
    QPushButton *m_logout;
    InlineMessage *m_loginMessage;
    QLineEdit *m_openName;
    QPushButton *m_open;
    InlineMessage *m_openMessage;
    QLineEdit *m_catalogFilter;
    QPushButton *m_refresh;
    QProgressBar *m_busy;
    QListView *m_catalogView;
    QStringListModel *m_catalogModel;
    QSortFilterProxyModel *m_catalogProxy;
    InlineMessage *m_catalogMessage;
};

} // namespace Berth
