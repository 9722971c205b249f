#pragma once

#include <QString>
#include <QStringList>

namespace Berth {

// What the share wizard's Destination page proposes before the user types anything.

// The destination a local image's own name gives: `127.0.0.1:5000/you/app:1.0` goes back to
// 127.0.0.1:5000 as you/app:1.0. An official Docker Hub image (library/…) and a name without a
// registry of its own (an image ID, podman's `localhost/…` for images built here) go to Docker
// Hub under `hubUser`, the Docker ID logged in there (may be empty). No tag (a digest): latest.
struct DestinationDefaults
{
    QString registry; // normalised, as ImageReference::domain() gives it
    QString ns;       // the path before the repository: "you", "team/tools"; may be empty
    QString repository;
    QString tag;

    friend bool operator==(const DestinationDefaults &, const DestinationDefaults &) = default;
};

DestinationDefaults destinationDefaults(const QString &image, const QString &hubUser = {});

// For several images pushed under their own names: the registry and namespace they all share,
// else Docker Hub under `hubUser`; repository and tag stay empty (each image keeps its own).
DestinationDefaults destinationDefaults(const QStringList &images, const QString &hubUser = {});

// The registries offered: Docker Hub first, then those added on the Registries page, then those
// with a login (Berth's, docker's and podman's), each once whatever its spelling
// (index.docker.io and registry-1.docker.io are Docker Hub).
QStringList destinationRegistries(const QStringList &added, const QStringList &withLogins);

} // namespace Berth
