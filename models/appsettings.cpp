#include "appsettings.h"

#include <QCoreApplication>
#include <QSettings>

namespace Berth {

AppSettings AppSettings::load()
{
    QSettings settings;
    AppSettings values;
    const auto backend = parseBackendChoice(settings.value(backendKey()).toString());
    values.backend = backend ? *backend : BackendChoice::Auto;
    const QUrl hub(settings.value(hubUrlKey()).toString());
    if (hub.isValid() && (hub.scheme() == u"http" || hub.scheme() == u"https"))
        values.hubUrl = hub;
    values.storePath = settings.value(storePathKey()).toString();
    values.sharedComputer = settings.value(sharedComputerKey(), false).toBool();
    values.checkForUpdates = settings.value(checkForUpdatesKey(), true).toBool();
    values.appearance
        = parseAppearance(settings.value(appearanceKey()).toString()).value_or(Appearance::System);
    return values;
}

void AppSettings::save() const
{
    QSettings settings;
    settings.setValue(backendKey(), backendName(backend));
    if (hubUrl.isEmpty() || hubUrl == defaultHubUrl())
        settings.remove(hubUrlKey());
    else
        settings.setValue(hubUrlKey(), hubUrl.toString());
    if (storePath.isEmpty())
        settings.remove(storePathKey());
    else
        settings.setValue(storePathKey(), storePath);
    settings.setValue(sharedComputerKey(), sharedComputer);
    settings.setValue(checkForUpdatesKey(), checkForUpdates);
    settings.setValue(appearanceKey(), appearanceName(appearance));
}

BackendChoice AppSettings::effectiveBackend() const
{
    const auto fromEnvironment = parseBackendChoice(qEnvironmentVariable("BERTH_BACKEND"));
    return fromEnvironment ? *fromEnvironment : backend;
}

QUrl AppSettings::effectiveHubUrl() const
{
    const QUrl fromEnvironment(qEnvironmentVariable("BERTH_HUB_URL").trimmed());
    if (fromEnvironment.isValid()
        && (fromEnvironment.scheme() == u"http" || fromEnvironment.scheme() == u"https"))
        return fromEnvironment;
    return hubUrl.isEmpty() ? defaultHubUrl() : hubUrl;
}

QString AppSettings::effectiveStorePath() const
{
    return storePathFromEnvironmentOr(storePath);
}

QString AppSettings::backendName(BackendChoice choice)
{
    switch (choice) {
    case BackendChoice::Auto:
        return QStringLiteral("auto");
    case BackendChoice::Docker:
        return QStringLiteral("docker");
    case BackendChoice::Podman:
        return QStringLiteral("podman");
    case BackendChoice::Embedded:
        return QStringLiteral("embedded");
    }
    return QStringLiteral("auto");
}

QString AppSettings::backendDisplayName(BackendChoice choice)
{
    switch (choice) {
    case BackendChoice::Auto:
        return tr("Automatic");
    case BackendChoice::Docker:
        return tr("Docker");
    case BackendChoice::Podman:
        return tr("Podman");
    case BackendChoice::Embedded:
        return tr("Embedded store");
    }
    return {};
}

QString AppSettings::appearanceName(Appearance appearance)
{
    switch (appearance) {
    case Appearance::System:
        return QStringLiteral("system");
    case Appearance::Light:
        return QStringLiteral("light");
    case Appearance::Dark:
        return QStringLiteral("dark");
    }
    return QStringLiteral("system");
}

QString AppSettings::appearanceDisplayName(Appearance appearance)
{
    switch (appearance) {
    case Appearance::System:
        return tr("System");
    case Appearance::Light:
        return tr("Light");
    case Appearance::Dark:
        return tr("Dark");
    }
    return {};
}

std::optional<Appearance> AppSettings::parseAppearance(const QString &name)
{
    for (Appearance appearance : {Appearance::System, Appearance::Light, Appearance::Dark}) {
        if (name.compare(appearanceName(appearance), Qt::CaseInsensitive) == 0)
            return appearance;
    }
    return std::nullopt;
}

} // namespace Berth
