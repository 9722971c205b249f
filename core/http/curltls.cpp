#include "curlpolicy.h"
#include "curltlsfailure.h"

#include "network/tlsproblem.h"

#include <QFile>

namespace Berth {

namespace {

// CURLOPT_CAINFO_BLOB replaces curl's CA file (libcurl 7.88, OpenSSL), so the blob carries the
// system's bundle followed by the host's CAs (curl copies it; only hosts with certs.d CAs pay).
const QByteArray &systemCaBundle()
{
    static const QByteArray bundle = [] {
        const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
        QFile file(QString::fromUtf8(info && info->cainfo ? info->cainfo
                                                          : "/etc/ssl/certs/ca-certificates.crt"));
        return file.open(QIODevice::ReadOnly) ? file.readAll() + '\n' : QByteArray();
    }();
    return bundle;
}

void setCurlBlob(CURL *curl, CURLoption option, const QByteArray &data)
{
    curl_blob blob{const_cast<char *>(data.constData()), size_t(data.size()), CURL_BLOB_COPY};
    curl_easy_setopt(curl, option, &blob);
}

} // namespace

Status applyCurlTls(CURL *curl, const QUrl &url, const NetworkPolicy &policy)
{
    if (!policy.tls)
        return {};
    const auto tls = policy.tls->forAuthority(certsAuthority(url));
    if (tls->problem)
        return std::unexpected(*tls->problem);
    if (tls->folder.isEmpty())
        return {};
    // Over HTTP/2 a TLS 1.3 server's refusal of the client certificate, an alert after the
    // handshake, often reaches libcurl as a failed getpeername() instead of the alert; HTTP/1.1
    // reads the alert. Hosts with certs.d material are the ones that ask for client certificates.
    curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_1_1));
    if (!tls->authorities.isEmpty())
        setCurlBlob(curl, CURLOPT_CAINFO_BLOB, systemCaBundle() + tls->authoritiesPem);
    if (!tls->clientCertificate.isNull()) {
        curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
        setCurlBlob(curl, CURLOPT_SSLCERT_BLOB, tls->clientCertificatePem);
        curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
        setCurlBlob(curl, CURLOPT_SSLKEY_BLOB, tls->clientKeyPem);
    }
    return {};
}

std::optional<Error>
curlTlsFailure(CURL *curl, CURLcode code, const QUrl &url, const QString &detail)
{
    if (url.scheme() != u"https")
        return std::nullopt;
    switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        // A TLS 1.3 server refuses a client certificate after the client's handshake is done:
        // the alert arrives with the first read.
        if (detail.contains(u"alert", Qt::CaseInsensitive))
            break;
        return std::nullopt;
    default:
        return std::nullopt;
    }
    long verifyResult = 0;
    curl_easy_getinfo(curl, CURLINFO_SSL_VERIFYRESULT, &verifyResult);
    const auto policy = currentNetworkPolicy();
    const auto tls = policy->tls ? policy->tls->forAuthority(certsAuthority(url)) : nullptr;
    return tlsError(
        certsAuthority(url), diagnoseCurlTls(int(code), verifyResult, detail), tls.get());
}

} // namespace Berth
