#pragma once

#include <QString>
#include <QStringList>
#include <QTextStream>

namespace Berth {
class RegistryClient;
}

namespace Berth::Cli {

// On stderr: the problems of the registries.conf files in force (file:line: message, once), and
// the client's word on mirrors for every read that a mirror served or that fell back past one.
void followRegistriesConf(RegistryClient &client, QTextStream &err);

// The names to try for an image as the user typed it: itself, or, for a short name when
// registries.conf configures unqualified-search-registries, the alias or each search registry in
// order (podman's permissive mode). Without search registries a short name stays docker's
// (docker.io), whatever aliases the distribution ships.
QStringList namesToTry(const QString &typed);

// "Resolved busybox:1.0 to a.io/busybox:1.0 (unqualified-search-registries in FILE)" or the
// alias's file; empty when name is what was typed.
QString shortNameNote(const QString &typed, const QString &name);

} // namespace Berth::Cli
