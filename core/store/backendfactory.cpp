#include "backendfactory.h"

#include "embeddedbackend.h"
#include "enginebackend.h"

#include <QSettings>

namespace Berth {

Result<BackendChoice> parseBackendChoice(QStringView text)
{
    if (text == u"auto")
        return BackendChoice::Auto;
    if (text == u"docker")
        return BackendChoice::Docker;
    if (text == u"podman")
        return BackendChoice::Podman;
    if (text == u"embedded")
        return BackendChoice::Embedded;
    return fail(Error::Kind::InvalidArgument,
                tr("unknown backend '%1': use auto, docker, podman or embedded").arg(text));
}

QString storePathSettingsKey()
{
    return QStringLiteral("storePath");
}

QString storePathFromEnvironmentOr(const QString &chosen)
{
    const QString fromEnvironment = qEnvironmentVariable("BERTH_STORE");
    return fromEnvironment.isEmpty() ? chosen : fromEnvironment;
}

QString configuredStorePath(const QSettings &settings)
{
    return storePathFromEnvironmentOr(settings.value(storePathSettingsKey()).toString());
}

void openBackend(BackendChoice choice,
                 const BackendDependencies &dependencies,
                 std::function<void(Result<std::unique_ptr<ImageBackend>>)> done)
{
    auto embedded = [dependencies] {
        return std::unique_ptr<ImageBackend>(
            std::make_unique<EmbeddedBackend>(dependencies.storePath, dependencies.registry));
    };
    if (choice == BackendChoice::Embedded)
        return done(embedded());

    std::optional<EngineInfo::Flavour> wanted;
    if (choice == BackendChoice::Docker)
        wanted = EngineInfo::Flavour::Docker;
    else if (choice == BackendChoice::Podman)
        wanted = EngineInfo::Flavour::Podman;
    EngineBackend::discover(
        dependencies.credentials,
        wanted,
        [choice, embedded, done](Result<std::unique_ptr<EngineBackend>> engine) {
            if (engine)
                return done(std::unique_ptr<ImageBackend>(std::move(*engine)));
            // Auto falls back to the embedded store when no engine answers; an explicit engine that
            // is not there is the user's error to see.
            if (choice == BackendChoice::Auto)
                return done(embedded());
            done(fail(engine.error()));
        });
}

} // namespace Berth
