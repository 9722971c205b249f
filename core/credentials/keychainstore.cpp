#include "keychainstore.h"
#include "secretbytes.h"

#include "common/logging.h"

#include <qt6keychain/keychain.h>

#include <QJsonDocument>
#include <QJsonObject>

namespace Berth {

namespace {

enum class Operation { Read, Write, Remove };

// libsecret reports a missing Secret Service as a D-Bus error, which QtKeychain passes on as
// OtherError with the D-Bus message; those mean "no keychain here", not "the keychain failed".
bool looksUnavailable(const QString &detail)
{
    static const QStringView markers[] = {
        u"org.freedesktop.secrets",
        u"ServiceUnknown",
        u"was not provided by any .service files",
        u"Cannot autolaunch D-Bus",
        u"Could not connect",
        u"DBUS_SESSION_BUS_ADDRESS",
        u"Cannot spawn a message bus",
        u"Unknown or unsupported transport",
    };
    for (QStringView marker : markers) {
        if (detail.contains(marker, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

Error keychainError(QKeychain::Error code,
                    const QString &detail,
                    Operation operation,
                    const QString &registry)
{
    // QtKeychain's messages are technical and sometimes empty, so the user gets ours, with the
    // backend's text only where we have nothing better to say. Neither ever holds the secret.
    switch (code) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error::make(
            Error::Kind::Keychain,
            Berth::tr("The system keychain is not available (no Secret Service running). "
                      "Start a keychain such as GNOME Keyring or KWallet, or log in for "
                      "this session only."));
    case QKeychain::AccessDenied:
        return Error::make(
            Error::Kind::Keychain,
            Berth::tr("The keychain is locked. Unlock it and try again, or log in for this "
                      "session only."));
    case QKeychain::AccessDeniedByUser:
        return Error::make(
            Error::Kind::Keychain,
            Berth::tr("Access to the keychain was refused. Allow Berth to use it and try "
                      "again, or log in for this session only."));
    default:
        break;
    }
    if (looksUnavailable(detail)) {
        return keychainError(QKeychain::NoBackendAvailable, detail, operation, registry);
    }
    // gnome-keyring answers a locked collection it could not prompt for with this text.
    if (detail.contains(u"locked", Qt::CaseInsensitive))
        return keychainError(QKeychain::AccessDenied, detail, operation, registry);

    const QString reason = detail.isEmpty() ? Berth::tr("unknown error") : detail;
    switch (operation) {
    case Operation::Read:
        return Error::make(
            Error::Kind::Keychain,
            Berth::tr("The keychain could not read the login for %1: %2").arg(registry, reason));
    case Operation::Write:
        return Error::make(
            Error::Kind::Keychain,
            Berth::tr("The keychain could not save the login for %1: %2").arg(registry, reason));
    case Operation::Remove:
        break;
    }
    return Error::make(
        Error::Kind::Keychain,
        Berth::tr("The keychain could not remove the login for %1: %2").arg(registry, reason));
}

} // namespace

KeychainStore::KeychainStore(QObject *parent)
    : KeychainStore(defaultService(), parent)
{}

KeychainStore::KeychainStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{}

QByteArray KeychainStore::encode(const Credential &credential)
{
    const QJsonObject object{{QStringLiteral("username"), credential.username},
                             {QStringLiteral("secret"), credential.secret},
                             {QStringLiteral("identityToken"), credential.identityToken}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<Credential> KeychainStore::decode(const QByteArray &payload)
{
    const QJsonDocument document = QJsonDocument::fromJson(payload);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const QJsonValue secret = object.value(u"secret");
    if (!secret.isString())
        return std::nullopt;
    Credential credential;
    credential.username = object.value(u"username").toString();
    credential.secret = secret.toString();
    credential.identityToken = object.value(u"identityToken").toBool();
    return credential;
}

void KeychainStore::read(const QString &registry,
                         std::function<void(Result<std::optional<Credential>>)> done)
{
    auto job = new QKeychain::ReadPasswordJob(m_service);
    job->setInsecureFallback(false);
    job->setKey(registry);
    connect(
        job,
        &QKeychain::Job::finished,
        this,
        [registry, done = std::move(done)](QKeychain::Job *finished) {
            auto readJob = static_cast<QKeychain::ReadPasswordJob *>(finished);
            if (readJob->error() == QKeychain::EntryNotFound) {
                qCDebug(lcCredentials) << "keychain: no entry for" << registry;
                done(std::optional<Credential>());
                return;
            }
            if (readJob->error() != QKeychain::NoError) {
                qCWarning(lcCredentials) << "keychain read failed for" << registry
                                         << readJob->error() << readJob->errorString();
                done(fail(keychainError(
                    readJob->error(), readJob->errorString(), Operation::Read, registry)));
                return;
            }
            QByteArray payload = readJob->binaryData();
            std::optional<Credential> credential = decode(payload);
            wipe(payload);
            if (!credential) {
                done(fail(Error::Kind::Keychain,
                          Berth::tr("The keychain entry for %1 is not a login Berth can read. Log "
                                    "in again to replace it.")
                              .arg(registry)));
                return;
            }
            qCDebug(lcCredentials) << "keychain: read login for" << registry;
            done(std::move(credential));
        });
    job->start();
}

void KeychainStore::write(const QString &registry,
                          const Credential &credential,
                          std::function<void(Status)> done)
{
    auto job = new QKeychain::WritePasswordJob(m_service);
    job->setInsecureFallback(false);
    job->setKey(registry);
    QByteArray payload = encode(credential);
    job->setBinaryData(payload);
    wipe(payload);
    connect(job,
            &QKeychain::Job::finished,
            this,
            [registry, done = std::move(done)](QKeychain::Job *finished) {
                if (finished->error() != QKeychain::NoError) {
                    qCWarning(lcCredentials) << "keychain write failed for" << registry
                                             << finished->error() << finished->errorString();
                    done(fail(keychainError(
                        finished->error(), finished->errorString(), Operation::Write, registry)));
                    return;
                }
                qCDebug(lcCredentials) << "keychain: saved login for" << registry;
                done({});
            });
    job->start();
}

void KeychainStore::remove(const QString &registry, std::function<void(Status)> done)
{
    auto job = new QKeychain::DeletePasswordJob(m_service);
    job->setInsecureFallback(false);
    job->setKey(registry);
    connect(job,
            &QKeychain::Job::finished,
            this,
            [registry, done = std::move(done)](QKeychain::Job *finished) {
                const QKeychain::Error code = finished->error();
                if (code != QKeychain::NoError && code != QKeychain::EntryNotFound) {
                    qCWarning(lcCredentials) << "keychain delete failed for" << registry << code
                                             << finished->errorString();
                    done(fail(
                        keychainError(code, finished->errorString(), Operation::Remove, registry)));
                    return;
                }
                qCDebug(lcCredentials) << "keychain: removed login for" << registry;
                done({});
            });
    job->start();
}

void KeychainStore::overwriteAndRemove(const QString &registry, std::function<void(Status)> done)
{
    write(registry, Credential(), [this, registry, done = std::move(done)](Status overwritten) {
        if (!overwritten) {
            done(overwritten);
            return;
        }
        remove(registry, done);
    });
}

} // namespace Berth
