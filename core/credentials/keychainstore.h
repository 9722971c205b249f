#pragma once

#include "credentials/credential.h"

#include <QObject>

namespace Berth {

// Berth's own logins in the OS keychain (the Secret Service on Linux) through QtKeychain.
// One entry per registry — service "berth", key the normalised registry — whose value is a small
// JSON object {username, secret, identityToken}, so a whole login is read or forgotten in one job
// and the user name needs no second entry. There is deliberately no plain-text fallback: when the
// keychain cannot be used the caller gets a Keychain error and decides (session-only login).
class KeychainStore final : public QObject
{
    Q_OBJECT

public:
    explicit KeychainStore(QObject *parent = nullptr);
    explicit KeychainStore(const QString &service, QObject *parent = nullptr);

    static QString defaultService() { return QStringLiteral("berth"); }
    QString service() const { return m_service; }

    // `registry` must already be normalised (ImageReference::normalizeRegistry). The callbacks run
    // on this object's thread, later, never from inside the call; they are dropped if this object
    // is destroyed first.
    // nullopt: no entry for the registry.
    void read(const QString &registry, std::function<void(Result<std::optional<Credential>>)> done);
    void
    write(const QString &registry, const Credential &credential, std::function<void(Status)> done);
    // Removing an entry that does not exist succeeds: logout must be idempotent.
    // Beware: libsecret answers a delete in a locked collection with success, deleting nothing.
    void remove(const QString &registry, std::function<void(Status)> done);
    // Removes an entry known to exist, so that a locked keychain is reported rather than
    // mistaken for success: the entry is first overwritten with an empty login — a write fails
    // on a locked collection (after the desktop's unlock prompt, if there is one) — then deleted.
    // Should the delete fail, the secret is already gone.
    void overwriteAndRemove(const QString &registry, std::function<void(Status)> done);

    // The payload format, public for tests.
    static QByteArray encode(const Credential &credential);
    static std::optional<Credential> decode(const QByteArray &payload);

private:
    QString m_service;
};

} // namespace Berth
