#pragma once

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QRadioButton;

namespace Berth {

class CredentialStore;
class InlineMessage;
class RegistryClient;

// Logs in to a registry: registry, user name, password or access token, and where to keep the
// login (the system keychain, or this session only on a shared computer). The login is checked
// against the registry first (RegistryClient::verifyLogin, as `docker login` does); a refusal is
// shown in the dialog and nothing is stored. Only then is it handed to the CredentialStore.
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
    bool isBusy() const { return m_busy; }

    QComboBox *registryBox() const { return m_registry; }
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    QRadioButton *keychainButton() const { return m_keychain; }
    QRadioButton *sessionButton() const { return m_session; }
    InlineMessage *errorMessage() const { return m_error; }

public slots:
    void accept() override;

signals:
    void loggedIn(const QString &registry, const QString &username);

private:
    void updateState();
    void setBusy(bool busy, const QString &status = {});
    void store(const QString &registry, const QString &username, const QString &secret);

    QPointer<CredentialStore> m_credentials;
    QPointer<RegistryClient> m_client;
    QComboBox *m_registry;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QRadioButton *m_keychain;
    QRadioButton *m_session;
    QLabel *m_status;
    QProgressBar *m_busyBar;
    InlineMessage *m_error;
    QDialogButtonBox *m_buttons;
    bool m_busy = false;
};

} // namespace Berth
