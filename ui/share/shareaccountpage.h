#pragma once

#include "sharewizard.h"

#include <QWizardPage>

class QLabel;
class QPushButton;

namespace Berth {

class InlineMessage;
class LoginForm;

// As whom: the login Berth has for the destination (its own, or docker's and podman's), or a
// login typed here in the same form the login dialog shows (loginform.h): user name, password or
// token, and whether to keep it in the keychain or for this session only.
class ShareAccountPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareAccountPage(ShareWizard *wizard);

    QString registry() const { return m_registryName; }
    QString username() const { return m_username; } // empty: none
    bool isChecking() const { return m_checking > 0; }
    bool authRequired() const { return m_authRequired; }

    void initializePage() override;
    bool isComplete() const override;

public slots:
    void refresh();
    // Verifies and stores the login typed in the form, for the destination registry.
    void logIn();

private:
    void finishCheck();
    void showForm(bool shown);
    void updateLoginButton();
    void loggedIn(const QString &registry);

    ShareWizard *m_wizard;
    QString m_registryName;
    QString m_username;
    QString m_source;
    int m_checking = 0;
    int m_generation = 0;
    bool m_authRequired = false;
    bool m_pingFailed = false;
    QLabel *m_status;
    QPushButton *m_checkAgain;
    QPushButton *m_someoneElse;
    LoginForm *m_form;
    QPushButton *m_login;
    InlineMessage *m_message;
};

} // namespace Berth
