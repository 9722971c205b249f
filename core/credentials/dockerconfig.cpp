#include "dockerconfig.h"

#include "common/logging.h"
#include "reference/imagereference.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace Berth {

namespace {

const QString DockerHubServerKey = QStringLiteral("https://index.docker.io/v1/");

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// Reads the file as a JSON object. A missing or blank file is an empty object, as for docker.
Result<QJsonObject> readObject(const QString &path, bool *exists = nullptr)
{
    if (exists)
        *exists = false;
    QFile file(path);
    if (!file.exists())
        return QJsonObject();
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(Error::Kind::Io,
                    tr("Cannot read %1: %2").arg(nativePath(path), file.errorString()));
    }
    if (exists)
        *exists = true;
    const QByteArray bytes = file.readAll();
    if (bytes.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(Error::Kind::Io,
                    tr("%1 is not valid JSON (at byte %2: %3). Fix or remove the file.")
                        .arg(nativePath(path))
                        .arg(parseError.offset)
                        .arg(parseError.errorString()));
    }
    if (!document.isObject()) {
        return fail(Error::Kind::Io,
                    tr("%1 is not a valid configuration file: it must hold a JSON object.")
                        .arg(nativePath(path)));
    }
    return document.object();
}

Status validate(const QString &path, const QJsonObject &root)
{
    auto invalid = [&path](const QString &what) {
        return fail(Error::Kind::Io,
                    tr("%1 is not a valid configuration file: %2").arg(nativePath(path), what));
    };
    if (root.contains(u"auths")) {
        const QJsonValue auths = root.value(u"auths");
        if (!auths.isObject())
            return invalid(tr("“auths” must be an object."));
        const QJsonObject entries = auths.toObject();
        for (auto it = entries.begin(); it != entries.end(); ++it) {
            if (!it.value().isObject())
                return invalid(tr("the “auths” entry for %1 must be an object.").arg(it.key()));
        }
    }
    if (root.contains(u"credsStore") && !root.value(u"credsStore").isString())
        return invalid(tr("“credsStore” must be a string."));
    if (root.contains(u"credHelpers")) {
        const QJsonValue helpers = root.value(u"credHelpers");
        if (!helpers.isObject())
            return invalid(tr("“credHelpers” must be an object."));
        const QJsonObject entries = helpers.toObject();
        for (auto it = entries.begin(); it != entries.end(); ++it) {
            if (!it.value().isString()) {
                return invalid(
                    tr("the “credHelpers” entry for %1 must be a string.").arg(it.key()));
            }
        }
    }
    return {};
}

Status writeObject(const QString &path, const QJsonObject &root)
{
    const QFileInfo info(path);
    QDir dir = info.absoluteDir();
    if (!dir.exists()) {
        // Like docker, keep the directory private: it may end up holding credentials.
        QDir().mkpath(QFileInfo(dir.absolutePath()).absolutePath());
        if (!QDir().mkdir(dir.absolutePath(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner
                              | QFileDevice::ExeOwner)) {
            return fail(Error::Kind::Io,
                        tr("Cannot create the folder %1.").arg(nativePath(dir.absolutePath())));
        }
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return fail(Error::Kind::Io,
                    tr("Cannot write %1: %2").arg(nativePath(path), file.errorString()));
    }
    // Restrict the temporary file before anything is written to it, not after the rename.
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        file.cancelWriting();
        return fail(Error::Kind::Io,
                    tr("Cannot restrict the permissions of %1.").arg(nativePath(path)));
    }
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        return fail(Error::Kind::Io,
                    tr("Cannot write %1: %2").arg(nativePath(path), file.errorString()));
    }
    return {};
}

Result<QJsonObject> loadForWriting(const QString &path)
{
    Result<QJsonObject> root = readObject(path);
    if (!root)
        return root;
    // Never rewrite a file we could not fully understand: we would lose what we did not parse.
    if (Status valid = validate(path, *root); !valid)
        return fail(valid.error());
    return root;
}

bool namesRegistry(const QString &key, const QString &registry)
{
    return ImageReference::normalizeRegistry(key) == registry;
}

} // namespace

QString DockerConfig::dockerConfigPath()
{
    const QString dir = qEnvironmentVariable("DOCKER_CONFIG");
    if (!dir.isEmpty())
        return QDir(dir).filePath(QStringLiteral("config.json"));
    return QDir::home().filePath(QStringLiteral(".docker/config.json"));
}

QStringList DockerConfig::podmanAuthPaths()
{
    const QString authFile = qEnvironmentVariable("REGISTRY_AUTH_FILE");
    if (!authFile.isEmpty())
        return {authFile};
    QStringList paths;
    const QString runtimeDir = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtimeDir.isEmpty())
        paths.append(QDir(runtimeDir).filePath(QStringLiteral("containers/auth.json")));
    paths.append(QDir::home().filePath(QStringLiteral(".config/containers/auth.json")));
    return paths;
}

Result<DockerConfig> DockerConfig::load(const QString &path)
{
    DockerConfig config;
    config.m_path = path;
    Result<QJsonObject> root = readObject(path, &config.m_exists);
    if (!root)
        return fail(root.error());
    if (Status valid = validate(path, *root); !valid)
        return fail(valid.error());
    config.m_root = std::move(*root);
    return config;
}

QString DockerConfig::credsStore() const
{
    return m_root.value(u"credsStore").toString();
}

QMap<QString, QString> DockerConfig::credHelpers() const
{
    QMap<QString, QString> helpers;
    const QJsonObject entries = m_root.value(u"credHelpers").toObject();
    for (auto it = entries.begin(); it != entries.end(); ++it)
        helpers.insert(it.key(), it.value().toString());
    return helpers;
}

QString DockerConfig::helperFor(const QString &registry) const
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    const QJsonObject helpers = m_root.value(u"credHelpers").toObject();
    // The exact spelling wins over another one that merely normalises the same way.
    const QString exact = helpers.value(normalized).toString();
    if (!exact.isEmpty())
        return exact;
    for (auto it = helpers.begin(); it != helpers.end(); ++it) {
        if (namesRegistry(it.key(), normalized) && !it.value().toString().isEmpty())
            return it.value().toString();
    }
    return credsStore();
}

QString DockerConfig::serverKey(const QString &registry)
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    if (normalized == ImageReference::dockerHubDomain())
        return DockerHubServerKey;
    return normalized;
}

QStringList DockerConfig::registries() const
{
    QStringList names;
    const auto collect = [&names](const QJsonObject &entries) {
        for (auto it = entries.begin(); it != entries.end(); ++it) {
            const QString name = ImageReference::normalizeRegistry(it.key());
            if (!name.isEmpty() && !names.contains(name))
                names.append(name);
        }
    };
    collect(m_root.value(u"auths").toObject());
    collect(m_root.value(u"credHelpers").toObject());
    names.sort();
    return names;
}

QStringList DockerConfig::authKeysFor(const QString &registry) const
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    const QJsonObject auths = m_root.value(u"auths").toObject();
    QStringList keys;
    const QString preferred[] = {serverKey(normalized),
                                 normalized,
                                 QStringLiteral("https://") + normalized,
                                 QStringLiteral("http://") + normalized};
    for (const QString &key : preferred) {
        if (auths.contains(key) && !keys.contains(key))
            keys.append(key);
    }
    for (auto it = auths.begin(); it != auths.end(); ++it) {
        if (!keys.contains(it.key()) && namesRegistry(it.key(), normalized))
            keys.append(it.key());
    }
    return keys;
}

Result<std::optional<Credential>> DockerConfig::authFor(const QString &registry) const
{
    const QJsonObject auths = m_root.value(u"auths").toObject();
    for (const QString &key : authKeysFor(registry)) {
        const QJsonObject entry = auths.value(key).toObject();
        Credential credential;
        const QString auth = entry.value(u"auth").toString();
        if (!auth.isEmpty()) {
            const auto decoded = QByteArray::fromBase64Encoding(
                auth.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
            if (colon < 0) {
                return fail(Error::Kind::Io,
                            tr("The login for %1 in %2 cannot be read: its “auth” field is not "
                               "base64 of user:password.")
                                .arg(key, nativePath(m_path)));
            }
            credential.username = QString::fromUtf8(decoded.decoded.left(colon));
            credential.secret = QString::fromUtf8(decoded.decoded.mid(colon + 1));
        } else {
            // Older files and podman's --authfile may spell the login out.
            credential.username = entry.value(u"username").toString();
            credential.secret = entry.value(u"password").toString();
        }
        const QString identityToken = entry.value(u"identitytoken").toString();
        if (!identityToken.isEmpty()) {
            credential.secret = identityToken;
            credential.identityToken = true;
        }
        if (credential.secret.isEmpty() && credential.username.isEmpty())
            continue; // the marker docker leaves when a helper holds the login
        return std::optional<Credential>(credential);
    }
    return std::optional<Credential>();
}

Status DockerConfig::writePlainTextAuthToDockerConfig(const QString &path,
                                                      const QString &registry,
                                                      const Credential &credential)
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    Result<QJsonObject> root = loadForWriting(path);
    if (!root)
        return fail(root.error());
    QJsonObject auths = root->value(u"auths").toObject();
    for (const QString &key : auths.keys()) {
        if (namesRegistry(key, normalized))
            auths.remove(key);
    }
    QJsonObject entry;
    if (credential.identityToken) {
        // docker keeps the user name next to an identity token with an empty password.
        if (!credential.username.isEmpty()) {
            entry.insert(u"auth",
                         QString::fromLatin1((credential.username + u':').toUtf8().toBase64()));
        }
        entry.insert(u"identitytoken", credential.secret);
    } else {
        entry.insert(u"auth",
                     QString::fromLatin1(
                         (credential.username + u':' + credential.secret).toUtf8().toBase64()));
    }
    auths.insert(serverKey(normalized), entry);
    root->insert(u"auths", auths);
    if (Status written = writeObject(path, *root); !written)
        return written;
    qCDebug(lcCredentials) << "wrote a plain-text login for" << normalized << "to" << path;
    return {};
}

Result<int> DockerConfig::removeAuths(const QString &path, const QString &registry)
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    if (!QFile::exists(path))
        return 0;
    Result<QJsonObject> root = loadForWriting(path);
    if (!root)
        return fail(root.error());
    QJsonObject auths = root->value(u"auths").toObject();
    int removed = 0;
    for (const QString &key : auths.keys()) {
        if (namesRegistry(key, normalized)) {
            auths.remove(key);
            ++removed;
        }
    }
    if (removed == 0)
        return 0;
    root->insert(u"auths", auths);
    if (Status written = writeObject(path, *root); !written)
        return fail(written.error());
    qCDebug(lcCredentials) << "removed" << removed << "login(s) for" << normalized << "from"
                           << path;
    return removed;
}

} // namespace Berth
