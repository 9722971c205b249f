#pragma once

#include "loginform.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QRadioButton;

namespace Berth {

class CredentialStore;
class InlineMessage;
class RegistryClient;

// Logs in to a registry: the registry, then the login form (loginform.h) the share wizard shows
// too: user name, password or access token, and where to keep the login. The login is checked
// against the registry before anything is stored; a refusal is shown in the dialog, which stays.
class LoginDialog final : public QDialog
{
    Q_OBJECT

public:
    LoginDialog(CredentialStore *credentials, RegistryClient *client, QWidget *parent = nullptr);

    // The registries offered (Docker Hub is always there); the first is selected.
    void setRegistries(const QStringList &registries);
    void setRegistry(const QString &registry);
    void setUsername(const QString &username);
    QString registry() const; // normalised
    bool isBusy() const { return m_form->isBusy(); }

public slots:
    void accept() override;

signals:
    void loggedIn(const QString &registry, const QString &username);

private:
    void updateState();

    QComboBox *m_registry;
    LoginForm *m_form;
    QDialogButtonBox *m_buttons;
};

} // namespace Berth
