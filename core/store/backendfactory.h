#pragma once

#include "imagebackend.h"

#include <memory>

class QSettings;

namespace Berth {

class RegistryClient;
class CredentialProvider;

enum class BackendChoice { Auto, Docker, Podman, Embedded };

// "auto" | "docker" | "podman" | "embedded"; the error names the accepted words.
Result<BackendChoice> parseBackendChoice(QStringView text);

// The settings key of the embedded store's folder the user chose in Berth's Settings.
QString storePathSettingsKey();
// The store folder to use: $BERTH_STORE when set, else `chosen`; empty for the default
// (OciStore::defaultPath()).
QString storePathFromEnvironmentOr(const QString &chosen);
// The same with the folder chosen in `settings`, as berthctl reads it.
QString configuredStorePath(const QSettings &settings);

struct BackendDependencies
{
    RegistryClient *registry = nullptr;        // the embedded store pulls and pushes with it
    CredentialProvider *credentials = nullptr; // engines get X-Registry-Auth from it
    QString storePath; // embedded store; empty: $BERTH_STORE or the app data dir
};

// Opens the backend the user chose. Auto: a reachable engine (DOCKER_HOST, the docker context,
// the default Docker then Podman sockets), else the embedded store, so that Berth works with no
// engine installed. An explicit engine that is not reachable is an error naming where Berth looked.
void openBackend(BackendChoice choice,
                 const BackendDependencies &dependencies,
                 std::function<void(Result<std::unique_ptr<ImageBackend>>)> done);

} // namespace Berth
