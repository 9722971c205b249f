#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QSettings;

namespace Berth {

// One registry the user added to Berth. Docker Hub is never stored: it is always there.
struct RegistryEntry
{
    QString host;          // normalised: "registry.example.com", "localhost:5000"
    bool insecure = false; // "allow plain HTTP", which also accepts unverified certificates
    friend bool operator==(const RegistryEntry &, const RegistryEntry &) = default;
};

// How the user's registries are kept in QSettings, for the app (RegistriesModel writes them at
// every change) and for berthctl (which honours their "allow plain HTTP" too): the array
// "registries", each entry with "host" and "insecure".
namespace RegistrySettings {

QString arrayKey(); // "registries"

// The host a registry name means ("https://Registry.example.com/" -> "registry.example.com");
// nothing when the text is not one (no dot, no port, not localhost).
std::optional<QString> normalizedHost(const QString &text);

// The entries as written, normalised. What the app never writes is left out, as hand-edited or
// older settings may hold it: names that are not registries, Docker Hub, a host seen before.
QList<RegistryEntry> load(QSettings &settings);
// Replaces the whole array, so no entry of a longer list survives behind the new size.
void save(QSettings &settings, const QList<RegistryEntry> &entries);

// The hosts marked "allow plain HTTP", in order: what RegistryClient::setInsecureRegistries takes.
QStringList insecureHosts(const QList<RegistryEntry> &entries);

} // namespace RegistrySettings

} // namespace Berth
