#pragma once

#include "appsettings.h"
#include "store/backendfactory.h"

#include <QObject>
#include <QString>

#include <memory>

class QNetworkAccessManager;

namespace Berth {

class AccountsModel;
class ContainersModel;
class CredentialStore;
class HubClient;
class LayerIndexCache;
class LocalImagesModel;
class LogoCache;
class RegistriesModel;
class RegistryClient;
class TransferManager;
class TransfersModel;
class UpdateChecker;

// Everything the window's pages share, made once: the network, the accounts, the registry and
// Hub clients, the models, the job manager and the active image backend. The window is only
// composition; tests build one of these on a temporary store and drive a real window with it.
class AppServices final : public QObject
{
    Q_OBJECT

public:
    explicit AppServices(const AppSettings &settings, QObject *parent = nullptr);
    ~AppServices() override;

    const AppSettings &settings() const { return m_settings; }
    // Applies new settings: Hub URL, shared-computer mode, and the backend when it changed.
    void applySettings(const AppSettings &settings, bool reopenBackend);

    QNetworkAccessManager *network() const { return m_network.get(); }
    CredentialStore *credentials() const { return m_credentials.get(); }
    RegistryClient *registryClient() const { return m_registry.get(); }
    HubClient *hub() const { return m_hub.get(); }
    LogoCache *logos() const { return m_logos.get(); }
    RegistriesModel *registries() const { return m_registries.get(); }
    AccountsModel *accounts() const { return m_accounts.get(); }
    TransferManager *transfers() const { return m_transfers.get(); }
    TransfersModel *transfersModel() const { return m_transfersModel.get(); }
    LocalImagesModel *images() const { return m_images.get(); }
    // Whether the active backend's images have updates (on demand, and hourly when the settings
    // allow it).
    UpdateChecker *updates() const { return m_updates.get(); }
    ContainersModel *containers() const { return m_containers.get(); }
    // The layer indexes every look inside an image shares (the Files tab, its comparisons).
    std::shared_ptr<LayerIndexCache> layerIndexCache() const { return m_layerIndexCache; }

    ImageBackend *backend() const { return m_backend.get(); }
    bool isOpeningBackend() const { return m_opening; }
    BackendChoice backendChoice() const { return m_choice; }
    // Opens the backend asynchronously; backendChanged() or backendFailed() follows.
    void openBackend(BackendChoice choice);

signals:
    void backendChanged(Berth::ImageBackend *backend);
    void backendFailed(const QString &message);
    // The network settings could not be applied in full (the proxy's password not read).
    void networkProblem(const QString &message);

private:
    // Installs the network policy Settings → Network describes (proxy, certs.d, registries.conf).
    void applyNetworkSettings();

    AppSettings m_settings;
    BackendChoice m_choice = BackendChoice::Auto;
    bool m_opening = false;
    int m_generation = 0;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<RegistryClient> m_registry;
    std::unique_ptr<HubClient> m_hub;
    std::unique_ptr<LogoCache> m_logos;
    std::unique_ptr<RegistriesModel> m_registries;
    std::unique_ptr<AccountsModel> m_accounts;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<TransfersModel> m_transfersModel;
    std::unique_ptr<LocalImagesModel> m_images;
    std::unique_ptr<UpdateChecker> m_updates;
    std::unique_ptr<ContainersModel> m_containers;
    std::shared_ptr<LayerIndexCache> m_layerIndexCache;
    std::unique_ptr<ImageBackend> m_backend;
    std::unique_ptr<ImageBackend> m_retired; // the previous backend, kept while its jobs finish
};

} // namespace Berth
