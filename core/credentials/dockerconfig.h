#pragma once

#include "credentials/credential.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Berth {

// The credential parts of docker's config.json, or of a containers auth.json (podman, skopeo,
// buildah), which shares its `auths` format:
//   { "auths": { "<server>": { "auth": base64(user:password), "identitytoken": "…" } },
//     "credsStore": "<suffix>", "credHelpers": { "<host>": "<suffix>" } }
// Server keys come in every spelling docker ever wrote ("https://index.docker.io/v1/", "host",
// "https://host", "host/v1/"), so keys are compared after ImageReference::normalizeRegistry.
class DockerConfig final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    DockerConfig() = default;

    // $DOCKER_CONFIG/config.json, else ~/.docker/config.json — what the docker CLI reads.
    static QString dockerConfigPath();
    // $REGISTRY_AUTH_FILE alone when set, else ${XDG_RUNTIME_DIR}/containers/auth.json then
    // ~/.config/containers/auth.json — podman's order.
    static QStringList podmanAuthPaths();

    // A missing file is an empty configuration, as for docker. An unreadable or malformed file is
    // an Io or Protocol error naming the file: the user has to fix it, guessing would be wrong.
    static Result<DockerConfig> load(const QString &path);

    QString path() const { return m_path; }
    bool exists() const { return m_exists; }

    QString credsStore() const;
    QMap<QString, QString> credHelpers() const; // keys as written in the file
    // The helper suffix docker would use for `registry`: its credHelpers entry, else credsStore,
    // else empty (credentials live in `auths`).
    QString helperFor(const QString &registry) const;

    // The registries the file names, normalised, each once, sorted: its `auths` keys (a login, or
    // the marker docker leaves when a helper holds it) and its `credHelpers` keys.
    QStringList registries() const;

    // The `auths` keys naming `registry`, the exact spelling docker uses for it first.
    QStringList authKeysFor(const QString &registry) const;
    // The login stored in `auths` for `registry`. nullopt when there is none, or when the entry
    // is the empty marker docker leaves next to a credential helper. An entry that cannot be
    // decoded is an error naming the file and the server (never the content).
    Result<std::optional<Credential>> authFor(const QString &registry) const;

    // The server name docker uses for `registry` in config.json and with credential helpers:
    // "https://index.docker.io/v1/" for Docker Hub, the bare host for every other registry.
    static QString serverKey(const QString &registry);

    // Writes `credential` for `registry` into the file's `auths` as base64 "user:secret", which is
    // plain text to anyone who can read the file: only call this after the user chose it
    // knowingly. Replaces the other spellings of the registry's key, keeps every other key of the
    // file, writes atomically, and leaves the file readable by its owner only (0600).
    static Status writePlainTextAuthToDockerConfig(const QString &path,
                                                   const QString &registry,
                                                   const Credential &credential);
    // Removes every `auths` key naming `registry` (host, http://host, https://host, host/v1/…),
    // as `docker logout` does, keeping the rest of the file. Answers how many keys were removed;
    // a missing file removes nothing.
    static Result<int> removeAuths(const QString &path, const QString &registry);

private:
    QString m_path;
    bool m_exists = false;
    QJsonObject m_root;
};

} // namespace Berth
