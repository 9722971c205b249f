#include "networkaccess.h"
#include "networkpolicy.h"
#include "tlsproblem.h"

#include <QNetworkRequest>
#include <QSslConfiguration>

namespace Berth {

namespace {

// Setting any CA list turns off Qt's on-demand loading of the system's roots, so a host with
// extra CAs gets the system's list plus its own. Read once: the system store is a few hundred
// certificates.
const QList<QSslCertificate> &systemAuthorities()
{
    static const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
    return system;
}

} // namespace

void applyHostTls(QNetworkRequest &request, const NetworkPolicy &policy)
{
    if (!policy.tls)
        return;
    const auto tls = policy.tls->forAuthority(certsAuthority(request.url()));
    if (tls->folder.isEmpty())
        return;
    // Qt 6.4's HTTP/2 handler never finishes a reply whose server ends the connection with a TLS
    // alert after the handshake (a client certificate missing or refused, TLS 1.3): over
    // HTTP/1.1 the alert fails the reply with its text. Hosts with certs.d material are the
    // ones that ask for client certificates.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    QSslConfiguration config = request.sslConfiguration();
    if (tls->problem) {
        // The transport reports the problem before sending; should a request get here anyway,
        // no CA at all makes sure it fails rather than goes out without the host's material.
        config.setCaCertificates({});
        request.setSslConfiguration(config);
        return;
    }
    if (!tls->authorities.isEmpty())
        config.setCaCertificates(systemAuthorities() + tls->authorities);
    if (!tls->clientCertificate.isNull()) {
        config.setLocalCertificateChain(tls->clientCertificateChain);
        config.setPrivateKey(tls->clientKey);
    }
    request.setSslConfiguration(config);
}

} // namespace Berth
