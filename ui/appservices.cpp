#include "appservices.h"

#include "accountsmodel.h"
#include "containersmodel.h"
#include "localimagesmodel.h"
#include "logocache.h"
#include "registriesmodel.h"
#include "transfermanager.h"
#include "transfersmodel.h"
#include "updatechecker.h"

#include "common/guarded.h"
#include "contents/layerindexcache.h"
#include "credentials/credentialstore.h"
#include "credentials/networksetup.h"
#include "network/networkaccess.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"

#include <QNetworkAccessManager>
#include <QPointer>

namespace Berth {

AppServices::AppServices(const AppSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_network(std::make_unique<NetworkAccessManager>())
    , m_credentials(std::make_unique<CredentialStore>())
    , m_registry(std::make_unique<RegistryClient>(m_network.get()))
    , m_hub(std::make_unique<HubClient>(m_network.get()))
    , m_logos(std::make_unique<LogoCache>())
    , m_registries(std::make_unique<RegistriesModel>())
    , m_accounts(std::make_unique<AccountsModel>(m_credentials.get()))
    , m_transfers(std::make_unique<TransferManager>())
    , m_transfersModel(std::make_unique<TransfersModel>(m_transfers.get()))
    , m_images(std::make_unique<LocalImagesModel>())
    , m_updates(std::make_unique<UpdateChecker>(m_registry.get()))
    , m_containers(std::make_unique<ContainersModel>())
    , m_layerIndexCache(std::make_shared<LayerIndexCache>())
{
    m_transfers->setLayerIndexCache(m_layerIndexCache);
    m_images->setUpdateChecker(m_updates.get());
    m_registry->setCredentialProvider(m_credentials.get());
    m_registry->setInsecureRegistries(m_registries->insecureRegistries());
    applySettings(settings, false);
}

AppServices::~AppServices()
{
    // Jobs and models let go of the backend before it goes.
    m_transfers->setBackend(nullptr);
    m_images->setBackend(nullptr);
    m_updates->setBackend(nullptr);
    m_containers->setBackend(nullptr);
}

void AppServices::applySettings(const AppSettings &settings, bool reopenBackend)
{
    m_settings = settings;
    applyNetworkSettings();
    m_hub->setBaseUrl(settings.effectiveHubUrl());
    m_credentials->setSharedComputerMode(settings.sharedComputer);
    m_registry->setInsecureRegistries(m_registries->insecureRegistries());
    m_updates->setBackgroundEnabled(settings.checkForUpdates);
    if (reopenBackend)
        openBackend(settings.effectiveBackend());
}

void AppServices::applyNetworkSettings()
{
    installNetworkPolicyFromSettings(guarded(this, [this](Status installed) {
        if (!installed)
            emit networkProblem(installed.error().message);
    }));
}

void AppServices::openBackend(BackendChoice choice)
{
    m_choice = choice;
    m_opening = true;
    const int generation = ++m_generation;
    BackendDependencies dependencies;
    dependencies.registry = m_registry.get();
    dependencies.credentials = m_credentials.get();
    dependencies.storePath = m_settings.effectiveStorePath();
    Berth::openBackend(
        choice,
        dependencies,
        guarded(this, [this, generation](Result<std::unique_ptr<ImageBackend>> opened) {
            // A later choice overtook this one: its answer is the one that counts.
            if (generation != m_generation)
                return;
            m_opening = false;
            if (!opened) {
                emit backendFailed(opened.error().message);
                return;
            }
            m_retired = std::move(m_backend);
            m_backend = std::move(*opened);
            m_transfers->setBackend(m_backend.get());
            m_images->setBackend(m_backend.get());
            m_updates->setBackend(m_backend.get());
            m_containers->setBackend(m_backend.get());
            emit backendChanged(m_backend.get());
        }));
}

} // namespace Berth
