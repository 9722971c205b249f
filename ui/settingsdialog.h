#pragma once

#include "appsettings.h"
#include "filechooser.h"
#include "registriesmodel.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTabWidget;
class QVBoxLayout;

namespace Berth {

class CredentialStore;
class InlineMessage;
class NetworkSettingsPage;

// Settings, in three tabs. General: the appearance (System, Light, Dark), where images live
// (auto, Docker, Podman, the embedded store), the embedded store's location, the Docker Hub
// address and shared-computer mode. Registries: the registries and which may use plain HTTP.
// Network: the proxy. Saved in QSettings under the keys of AppSettings and ProxySettings (and
// RegistriesModel, which saves as it changes; Cancel puts the list back as it was); the proxy's
// password goes to the keychain.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    // credentials may be null; when given, shared-computer mode is applied to it at once.
    SettingsDialog(RegistriesModel *registries,
                   CredentialStore *credentials,
                   QWidget *parent = nullptr);

    void setFileChooser(FileChooser chooser);
    // What the dialog holds now (not necessarily saved).
    AppSettings settings() const;
    // Network tab: how the engine's own proxy route differs from Berth's (one sentence).
    void setEngineRouteNote(const QString &note);

public slots:
    void accept() override;
    void reject() override;
    void addRegistry();
    void removeSelectedRegistry();

signals:
    // After OK: what was saved, and whether the image backend must be opened again (the choice
    // or the store location changed).
    void settingsApplied(const Berth::AppSettings &settings, bool backendChanged);

private:
    QGroupBox *buildAppearanceBox(); // how the window looks
    QGroupBox *buildStorageBox();    // where images live
    QGroupBox *buildRegistriesBox();
    QGroupBox *buildHubBox(); // Docker Hub and logins
    void browseStore();
    void load(const AppSettings &settings);
    void updateRegistryButtons();
    void loadNetwork();
    // Shows the message and brings the tab holding where (and where itself) to the front.
    void showProblem(QWidget *where, const QString &message);
    void finishAccept(const AppSettings &settings);

    QPointer<RegistriesModel> m_registries;
    QPointer<CredentialStore> m_credentials;
    QList<RegistriesModel::Registry> m_registriesBefore;
    AppSettings m_before;
    FileChooser m_chooseFile;

    QComboBox *m_appearance;
    QComboBox *m_backend;
    QLabel *m_backendNote;
    QTableView *m_registriesView;
    QLineEdit *m_newRegistry;
    QCheckBox *m_newRegistryPlainHttp;
    QPushButton *m_addRegistry;
    QPushButton *m_removeRegistry;
    InlineMessage *m_registryMessage;
    QLineEdit *m_hubUrl;
    QLineEdit *m_storePath;
    QPushButton *m_browseStore;
    QCheckBox *m_sharedComputer;
    QCheckBox *m_checkForUpdates;
    InlineMessage *m_error;
    QTabWidget *m_tabs;
    NetworkSettingsPage *m_network;
    QVBoxLayout *m_registriesTabLayout = nullptr; // the Registries tab, for what joins it
};

} // namespace Berth
