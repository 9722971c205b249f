#pragma once

#include "store/backendfactory.h"

#include <QCoreApplication>
#include <QString>
#include <QUrl>

#include <optional>

namespace Berth {

// How the window looks: the desktop's style and colours, or Berth's own light or dark ones.
enum class Appearance { System, Light, Dark };

// The application's preferences in QSettings, one place for their keys: "backend"
// (auto|docker|podman|embedded), "hubUrl", "storePath", "sharedComputer", "appearance"
// (system|light|dark), "checkForUpdates" (bool). Registries live under
// "registries" (RegistrySettings, for RegistriesModel and berthctl), accounts under
// "accounts" (CredentialStore). The environment wins over a setting, as with berthctl:
// BERTH_BACKEND, BERTH_HUB_URL, BERTH_STORE.
struct AppSettings
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    BackendChoice backend = BackendChoice::Auto;
    QUrl hubUrl;       // empty: https://hub.docker.com
    QString storePath; // empty: the application data directory
    bool sharedComputer = false;
    Appearance appearance = Appearance::System;
    // Check local images for newer versions in their registries at most once an hour (HEAD
    // requests only, which Docker Hub does not count as pulls).
    bool checkForUpdates = true;

    static AppSettings load();
    void save() const;

    // What to use once the environment has had its say.
    BackendChoice effectiveBackend() const;
    QUrl effectiveHubUrl() const;
    QString effectiveStorePath() const; // empty: the embedded store's own default

    static QString backendName(BackendChoice choice);        // "auto", "docker", …
    static QString backendDisplayName(BackendChoice choice); // "Automatic", "Docker", …

    static QString appearanceName(Appearance appearance);        // "system", "light", "dark"
    static QString appearanceDisplayName(Appearance appearance); // "System", "Light", "Dark"
    static std::optional<Appearance> parseAppearance(const QString &name);

    static QString backendKey() { return QStringLiteral("backend"); }
    static QString hubUrlKey() { return QStringLiteral("hubUrl"); }
    static QString storePathKey() { return storePathSettingsKey(); }
    static QString sharedComputerKey() { return QStringLiteral("sharedComputer"); }
    static QString appearanceKey() { return QStringLiteral("appearance"); }
    static QString checkForUpdatesKey() { return QStringLiteral("checkForUpdates"); }
    static QUrl defaultHubUrl() { return QUrl(QStringLiteral("https://hub.docker.com")); }
};

} // namespace Berth
