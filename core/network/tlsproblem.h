#pragma once

// What went wrong in a TLS handshake, in words a user can act on: the host, the fault (a
// certificate nobody here trusts, out of its dates, for other names; a client certificate the
// server wants) and where the certs.d files go. Both HTTP stacks (Qt's and libcurl's) read their
// failures into a TlsDiagnosis and make the message here.

#include "common/result.h"

#include <QList>
#include <QSslError>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Berth {

struct HostTls;

enum class TlsFault {
    UnknownAuthority,          // self-signed, or signed by a CA this machine does not trust
    Expired,                   // the server's certificate is past its end date
    NotYetValid,               // before its start date (or the clock is wrong)
    NameMismatch,              // the certificate is for other names
    Revoked,                   // its CA revoked it
    ClientCertificateRequired, // the server ended the handshake wanting a client certificate
    ClientCertificateRefused,  // the server did not accept the client certificate sent
    Other,                     // anything else: the stack's own words
};

struct TlsDiagnosis
{
    TlsFault fault = TlsFault::Other;
    QStringList certificateNames; // NameMismatch: the names the certificate carries, if known
    QString detail;               // the stack's own text
};

// From Qt's stack: the certificate errors the reply reported (may be none, when the handshake
// ended otherwise) and its errorString().
TlsDiagnosis diagnoseQtTls(const QList<QSslError> &errors, const QString &errorString);
// From libcurl's: its result code, CURLINFO_SSL_VERIFYRESULT (an X509_V_ERR_* value) and its
// error buffer. Plain ints: the network layer does not see curl.
TlsDiagnosis diagnoseCurlTls(int curlCode, long verifyResult, const QString &errorBuffer);

// The error for a failed handshake with `authority` (host or host:port); `tls` is what certs.d
// holds for the host (may be null).
Error tlsError(const QString &authority, const TlsDiagnosis &diagnosis, const HostTls *tls);

// "host:port", or "host" when the URL has no explicit port: the certs.d folder's name.
QString certsAuthority(const QUrl &url);

// ~/.config/containers/certs.d/HOST[:PORT]/FILE and /etc/docker/certs.d/HOST[:PORT]/FILE.
QString userCertsPath(const QString &authority, const QString &file);
QString systemCertsPath(const QString &authority, const QString &file);

} // namespace Berth
