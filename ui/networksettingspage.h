#pragma once

#include "network/proxysettings.h"

#include <QWidget>

#include <optional>

class QButtonGroup;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace Berth {

// Settings → Network: which proxy Berth uses — the one the environment names (what curl, docker
// and podman read), none, or one typed here, whose password goes to the keychain (the field only
// ever shows whether one is stored). Shows what the environment says, so "System" is never a
// guess.
class NetworkSettingsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit NetworkSettingsPage(QWidget *parent = nullptr);

    // passwordStored: whether the keychain holds the manual proxy's password (the field then says
    // so instead of showing it).
    void load(const ProxySettings &settings, bool passwordStored);
    void setPasswordStored(bool stored);
    // Replaces the general word on engines by what this engine does differently.
    void setEngineRouteNote(const QString &note);
    ProxySettings settings() const;
    // What the password field holds when the user typed in it; nullopt when untouched.
    std::optional<QString> newPassword() const;
    // A message naming what is missing for Manual (host, port), or empty when the page is fine.
    QString problem() const;
    // Moves the focus to the field problem() is about.
    void focusProblem();

private:
    void buildModeButtons();
    QWidget *buildManualFields();
    void updateEnabled();
    static QString environmentSummary();

    QButtonGroup *m_modes;
    QRadioButton *m_system;
    QRadioButton *m_none;
    QRadioButton *m_manual;
    QLabel *m_environment;
    QLabel *m_engineNote;
    QWidget *m_manualFields;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_noProxy;
    bool m_passwordEdited = false;
};

} // namespace Berth
