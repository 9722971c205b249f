#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QRadioButton;

namespace Berth {

class CredentialStore;
class InlineMessage;
class RegistryClient;

// The one place a login is typed: user name, password or access token, and where to keep it (the
// system keychain, or this session only on a shared computer). logIn() checks it against the
// registry first (RegistryClient::verifyLogin, as `docker login` does); a refusal is shown here and
// nothing is stored. Only then is it handed to the CredentialStore. The login dialog and the share
// wizard's Account page both show this form, so the choice of where to keep a login exists once.
class LoginForm final : public QWidget
{
    Q_OBJECT

public:
    LoginForm(CredentialStore *credentials, RegistryClient *client, QWidget *parent = nullptr);

    void setUsername(const QString &username);
    QString username() const;
    // A user name and a secret are typed.
    bool isComplete() const;
    bool isBusy() const { return m_busy; }

    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    InlineMessage *errorMessage() const { return m_error; }

public slots:
    // Verifies the typed login with `registry` (normalised), then stores it; loggedIn() follows,
    // or the error shows in the form.
    void logIn(const QString &registry);

signals:
    void loggedIn(const QString &registry, const QString &username);
    void busyChanged(bool busy);
    // isComplete() may have changed.
    void changed();

private:
    void setBusy(bool busy, const QString &status = {});
    void store(const QString &registry, const QString &username, const QString &secret);

    QPointer<CredentialStore> m_credentials;
    QPointer<RegistryClient> m_client;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QRadioButton *m_keychain;
    QRadioButton *m_session;
    QLabel *m_status;
    QProgressBar *m_busyBar;
    InlineMessage *m_error;
    bool m_busy = false;
};

} // namespace Berth
