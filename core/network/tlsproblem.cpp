#include "tlsproblem.h"

#include "tlstrust.h"

#include <QSslCertificate>

#include <openssl/x509_vfy.h>

#include <algorithm>

namespace Berth {

namespace {

// The order a user should hear about them: a revoked or unknown certificate first, since
// fixing the dates or the name of a certificate nobody trusts changes nothing.
constexpr TlsFault FaultPrecedence[] = {TlsFault::Revoked,
                                        TlsFault::UnknownAuthority,
                                        TlsFault::Expired,
                                        TlsFault::NotYetValid,
                                        TlsFault::NameMismatch};

TlsFault qtTlsFault(QSslError::SslError error)
{
    switch (error) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::NoPeerCertificate:
        return TlsFault::UnknownAuthority;
    case QSslError::CertificateExpired:
        return TlsFault::Expired;
    case QSslError::CertificateNotYetValid:
        return TlsFault::NotYetValid;
    case QSslError::HostNameMismatch:
        return TlsFault::NameMismatch;
    case QSslError::CertificateRevoked:
        return TlsFault::Revoked;
    default:
        return TlsFault::Other;
    }
}

TlsFault curlVerifyFault(long result)
{
    switch (result) {
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
        return TlsFault::UnknownAuthority;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return TlsFault::Expired;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return TlsFault::NotYetValid;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return TlsFault::NameMismatch;
    case X509_V_ERR_CERT_REVOKED:
        return TlsFault::Revoked;
    default:
        return TlsFault::Other;
    }
}

// What OpenSSL says when the server ends the handshake over the client certificate: alert 116
// "certificate required" (TLS 1.3), or 42 "bad certificate", 46 "certificate unknown" and 48
// "unknown ca" (what Go's TLS 1.2 server sends without one, or with one it does not accept).
bool isClientCertificateAlert(const QString &text)
{
    static const char *const Alerts[] = {"alert certificate required",
                                         "alert bad certificate",
                                         "alert certificate unknown",
                                         "alert unknown ca"};
    return std::ranges::any_of(Alerts, [&](const char *alert) {
        return text.contains(QLatin1String(alert), Qt::CaseInsensitive);
    });
}

QStringList certificateNamesOf(const QSslCertificate &certificate)
{
    QStringList names = certificate.subjectAlternativeNames().values(QSsl::DnsEntry);
    names += certificate.subjectAlternativeNames().values(QSsl::IpAddressEntry);
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    names.removeDuplicates();
    return names;
}

QString unknownAuthorityMessage(const QString &authority, const HostTls *tls)
{
    QString message
        = Berth::tr("The certificate of %1 is not signed by an authority this machine trusts (it "
                    "is self-signed, or signed by a private CA).")
              .arg(authority);
    if (tls && !tls->authorities.isEmpty())
        message += u' ' + Berth::tr("The CA files in %1 did not sign it either.").arg(tls->folder);
    else
        message += u' '
                   + Berth::tr("If you trust the registry, put its CA certificate in %1 (or %2 "
                               "for every user of this machine); Berth never trusts a "
                               "certificate silently.")
                         .arg(userCertsPath(authority, QStringLiteral("ca.crt")),
                              systemCertsPath(authority, QStringLiteral("ca.crt")));
    return message;
}

QString nameMismatchMessage(const QString &authority, const QStringList &names)
{
    const QString host = authority.section(u':', 0, 0);
    if (names.isEmpty())
        return Berth::tr("The certificate of %1 is not for the name %2: the registry is reached by "
                         "a name its certificate does not carry.")
            .arg(authority, host);
    return Berth::tr("The certificate of %1 is for other names (%2), not %3: reach the registry "
                     "by one of them, or ask its administrator for a certificate naming %3.")
        .arg(authority, names.join(u", "), host);
}

QString clientCertificateFileOf(const HostTls &tls)
{
    const auto file
        = std::ranges::find_if(tls.files, [](const QString &f) { return f.endsWith(u".cert"); });
    return file == tls.files.end() ? tls.folder : *file;
}

QString clientCertificateMessage(const QString &authority, const HostTls *tls)
{
    if (tls && !tls->clientCertificate.isNull())
        return Berth::tr("%1 did not accept the client certificate %2: it is not signed by an "
                         "authority the registry trusts, or is out of its dates.")
            .arg(authority, clientCertificateFileOf(*tls));
    return Berth::tr("%1 wants a client certificate, and Berth has none for it. Put the "
                     "certificate and its key in %2 and %3 (PEM).")
        .arg(authority,
             userCertsPath(authority, QStringLiteral("client.cert")),
             userCertsPath(authority, QStringLiteral("client.key")));
}

} // namespace

TlsDiagnosis diagnoseQtTls(const QList<QSslError> &errors, const QString &errorString)
{
    TlsDiagnosis diagnosis;
    diagnosis.detail = errorString;
    for (const TlsFault fault : FaultPrecedence) {
        const auto found = std::ranges::find_if(
            errors, [fault](const QSslError &e) { return qtTlsFault(e.error()) == fault; });
        if (found == errors.end())
            continue;
        diagnosis.fault = fault;
        diagnosis.detail = found->errorString();
        if (fault == TlsFault::NameMismatch)
            diagnosis.certificateNames = certificateNamesOf(found->certificate());
        return diagnosis;
    }
    if (isClientCertificateAlert(errorString))
        diagnosis.fault = TlsFault::ClientCertificateRequired;
    else if (!errors.isEmpty())
        diagnosis.detail = errors.first().errorString();
    return diagnosis;
}

TlsDiagnosis diagnoseCurlTls(int curlCode, long verifyResult, const QString &errorBuffer)
{
    Q_UNUSED(curlCode);
    TlsDiagnosis diagnosis;
    diagnosis.detail = errorBuffer;
    diagnosis.fault = curlVerifyFault(verifyResult);
    if (diagnosis.fault != TlsFault::Other)
        return diagnosis;
    // curl checks the name itself, after OpenSSL found the chain good.
    if (errorBuffer.contains(u"subject name", Qt::CaseInsensitive)
        || errorBuffer.contains(u"does not match target host", Qt::CaseInsensitive))
        diagnosis.fault = TlsFault::NameMismatch;
    else if (isClientCertificateAlert(errorBuffer))
        diagnosis.fault = TlsFault::ClientCertificateRequired;
    return diagnosis;
}

Error tlsError(const QString &authority, const TlsDiagnosis &diagnosis, const HostTls *tls)
{
    QString message;
    switch (diagnosis.fault) {
    case TlsFault::UnknownAuthority:
        message = unknownAuthorityMessage(authority, tls);
        break;
    case TlsFault::Expired:
        message = Berth::tr("The certificate of %1 has expired (or this machine's clock is wrong): "
                            "its administrator must renew it.")
                      .arg(authority);
        break;
    case TlsFault::NotYetValid:
        message = Berth::tr("The certificate of %1 is not valid yet: this machine's clock is "
                            "probably wrong.")
                      .arg(authority);
        break;
    case TlsFault::NameMismatch:
        message = nameMismatchMessage(authority, diagnosis.certificateNames);
        break;
    case TlsFault::Revoked:
        message = Berth::tr("The certificate of %1 was revoked by its authority.").arg(authority);
        break;
    case TlsFault::ClientCertificateRequired:
    case TlsFault::ClientCertificateRefused:
        message = clientCertificateMessage(authority, tls);
        break;
    case TlsFault::Other:
        message = Berth::tr("The TLS connection to %1 failed: %2.")
                      .arg(authority, diagnosis.detail.trimmed());
        break;
    }
    return Error::make(Error::Kind::Tls, message);
}

QString certsAuthority(const QUrl &url)
{
    // An IPv6 address keeps its brackets, as in the registry's name: "[fd00::1]:5000".
    const QString host = url.host().contains(u':') ? u'[' + url.host() + u']' : url.host();
    return url.port() > 0 ? host + u':' + QString::number(url.port()) : host;
}

QString userCertsPath(const QString &authority, const QString &file)
{
    return QStringLiteral("~/.config/containers/certs.d/") + authority + u'/' + file;
}

QString systemCertsPath(const QString &authority, const QString &file)
{
    return QStringLiteral("/etc/docker/certs.d/") + authority + u'/' + file;
}

} // namespace Berth
