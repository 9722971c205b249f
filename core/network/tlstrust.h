#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Berth {

// What the certs.d folders hold for one HOST[:PORT] (containers-certs.d(5)): the *.crt files are
// CA roots trusted on top of the system's, a *.cert with the *.key of the same base name is the
// client certificate to present.
struct HostTls
{
    QList<QSslCertificate> authorities;
    QByteArray authoritiesPem; // the same, for libcurl
    QSslCertificate clientCertificate;
    QList<QSslCertificate> clientCertificateChain; // the client certificate first
    QSslKey clientKey;
    QByteArray clientCertificatePem;
    QByteArray clientKeyPem;
    QString folder;    // the certs.d folder read, empty when the host has none
    QStringList files; // where each came from, for messages and Settings
    // An unreadable, unparsable or mismatched file: requests to the host fail with this rather
    // than go out without what the user put there.
    std::optional<Error> problem;

    bool isEmpty() const { return authorities.isEmpty() && clientCertificate.isNull() && !problem; }
};

// The certs.d folders, read once per host and kept (thread-safe). As containers/image does, the
// first root holding a folder for the host is the host's only folder: a user's folder overrides
// the machine's rather than merging with it.
class TlsTrust
{
public:
    // $HOME/.config/containers/certs.d, /etc/containers/certs.d, /etc/docker/certs.d (in this
    // order, podman's and skopeo's)
    static QStringList defaultRoots();
    // Reads one certs.d folder (no cache): what forAuthority keeps.
    static HostTls readFolder(const QString &folder);

    explicit TlsTrust(QStringList roots = defaultRoots());
    ~TlsTrust();

    QStringList roots() const { return m_roots; }
    // authority: "host" or "host:port", as in a URL. Never null.
    std::shared_ptr<const HostTls> forAuthority(const QString &authority) const;

private:
    struct Cache;
    QStringList m_roots;
    std::unique_ptr<Cache> m_cache;
};

} // namespace Berth
