#pragma once

#include "sharewizard.h"

#include <QWizardPage>

class QLabel;
class QPushButton;
class QRadioButton;

namespace Berth {

class InlineMessage;
class LoginDialog;

// As whom: the login Berth has for the destination (its own, or docker's and podman's), logging
// in (LoginDialog) with the choice of keeping the login in the keychain or for this session only.
class ShareAccountPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareAccountPage(ShareWizard *wizard);

    QString registry() const { return m_registryName; }
    QString username() const { return m_username; } // empty: none
    bool isChecking() const { return m_checking > 0; }
    bool authRequired() const { return m_authRequired; }

    QLabel *statusLabel() const { return m_status; }
    QPushButton *loginButton() const { return m_login; }
    QPushButton *checkAgainButton() const { return m_checkAgain; }
    QRadioButton *keychainButton() const { return m_keychain; }
    QRadioButton *sessionButton() const { return m_session; }
    InlineMessage *message() const { return m_message; }

    void initializePage() override;
    bool isComplete() const override;

public slots:
    void refresh();
    // Opens the login dialog for the destination (not blocking); answers it.
    LoginDialog *logIn();

private:
    void finishCheck();

    ShareWizard *m_wizard;
    QString m_registryName;
    QString m_username;
    QString m_source;
    int m_checking = 0;
    int m_generation = 0;
    bool m_authRequired = false;
    bool m_pingFailed = false;
    QLabel *m_status;
    QPushButton *m_login;
    QPushButton *m_checkAgain;
    QRadioButton *m_keychain;
    QRadioButton *m_session;
    InlineMessage *m_message;
};

} // namespace Berth
