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

namespace Berth {

class CredentialStore;
class InlineMessage;

// Settings: the appearance (System, Light, Dark), where images live (auto, Docker, Podman, the
// embedded store), the registries and which may use plain HTTP, the Docker Hub address, the
// embedded store's location, and shared-computer mode. Saved in QSettings under the keys of
// AppSettings (and RegistriesModel, which saves as it changes; Cancel puts the list back as it
// was).
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
};

} // namespace Berth
