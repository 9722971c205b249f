#include "replytls.h"

#include "network/networkpolicy.h"
#include "network/tlsproblem.h"

#include <QNetworkReply>
#include <QSslError>

namespace Berth {

namespace {

constexpr char TlsErrorsProperty[] = "berthTlsErrors";

std::shared_ptr<const HostTls> certsOfUrl(const QUrl &url)
{
    const auto policy = currentNetworkPolicy();
    return policy->tls ? policy->tls->forAuthority(certsAuthority(url)) : nullptr;
}

} // namespace

std::optional<Error> hostTlsProblem(const QUrl &url)
{
    if (url.scheme() != u"https")
        return std::nullopt;
    const auto tls = certsOfUrl(url);
    return tls ? tls->problem : std::nullopt;
}

void recordTlsErrors(QNetworkReply *reply)
{
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &e) {
        reply->setProperty(TlsErrorsProperty, QVariant::fromValue(e));
    });
}

std::optional<Error> replyTlsFailure(QNetworkReply *reply)
{
    const QUrl url = reply->url();
    if (url.scheme() != u"https" || reply->error() == QNetworkReply::NoError)
        return std::nullopt;
    const auto errors = reply->property(TlsErrorsProperty).value<QList<QSslError>>();
    // A TLS 1.3 server refuses a missing client certificate after Qt's handshake is done: the
    // alert then ends the connection as if the server had closed it.
    const bool alert = reply->errorString().contains(u"alert", Qt::CaseInsensitive);
    if (reply->error() != QNetworkReply::SslHandshakeFailedError && !alert)
        return std::nullopt;
    const auto tls = certsOfUrl(url);
    return tlsError(certsAuthority(url), diagnoseQtTls(errors, reply->errorString()), tls.get());
}

} // namespace Berth
