#include "proxyerror.h"

#include "networkpolicy.h"

namespace Berth {

namespace {

// Where the user changes the proxy the request took.
QString remedy(const QUrl &url, const ProxyPolicy &policy)
{
    if (policy.mode() == ProxyMode::Manual)
        return tr("Check the proxy in Settings → Network.");
    const QString variable = url.scheme().compare(u"https", Qt::CaseInsensitive) == 0
                                 ? QStringLiteral("https_proxy")
                                 : QStringLiteral("http_proxy");
    return tr("Check the %1 environment variable, or choose a proxy in Settings → Network.")
        .arg(variable);
}

QString loginRemedy(const QUrl &url, const ProxyPolicy &policy, bool hadLogin)
{
    if (policy.mode() == ProxyMode::Manual)
        return hadLogin ? tr("Check the proxy's user name and password in Settings → Network.")
                        : tr("Enter the proxy's user name and password in Settings → Network.");
    const QString variable = url.scheme().compare(u"https", Qt::CaseInsensitive) == 0
                                 ? QStringLiteral("https_proxy")
                                 : QStringLiteral("http_proxy");
    return tr("Put the login in the %1 variable (http://user:password@host:port), or set the "
              "proxy and its login in Settings → Network.")
        .arg(variable);
}

QString failure(QNetworkReply::NetworkError code,
                const QString &proxy,
                const QString &target,
                const QString &detail,
                bool hadLogin)
{
    switch (code) {
    case QNetworkReply::ProxyConnectionRefusedError:
        return tr("The proxy %1 refused the connection (for %2).").arg(proxy, target);
    case QNetworkReply::ProxyConnectionClosedError:
        return tr("The proxy %1 closed the connection before answering (for %2).")
            .arg(proxy, target);
    case QNetworkReply::ProxyNotFoundError:
        return tr("The proxy %1 was not found: its host name does not resolve.").arg(proxy);
    case QNetworkReply::ProxyTimeoutError:
        return tr("The proxy %1 did not answer in time (for %2).").arg(proxy, target);
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return hadLogin
                   ? tr("The proxy %1 refused its user name or password (HTTP 407).").arg(proxy)
                   : tr("The proxy %1 requires a login (HTTP 407).").arg(proxy);
    default:
        return tr("The proxy %1 could not reach %2: %3.").arg(proxy, target, detail);
    }
}

} // namespace

bool isProxyError(QNetworkReply::NetworkError code)
{
    return int(code) >= 101 && int(code) <= 199;
}

QNetworkReply::NetworkError attributeToProxy(QNetworkReply::NetworkError code, const QUrl &url)
{
    if (code != QNetworkReply::ConnectionRefusedError && code != QNetworkReply::HostNotFoundError
        && code != QNetworkReply::UnknownNetworkError)
        return code;
    if (currentNetworkPolicy()->proxy.choose(url).isDirect())
        return code;
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
        return QNetworkReply::ProxyConnectionRefusedError;
    case QNetworkReply::HostNotFoundError:
        return QNetworkReply::ProxyNotFoundError;
    default:
        // A tunnel (CONNECT) the proxy refused or could not open: Qt keeps the socket's own error
        // ("Proxy connection refused") only in the text.
        return QNetworkReply::UnknownProxyError;
    }
}

Error proxyError(QNetworkReply::NetworkError code,
                 const QString &detail,
                 const QUrl &url,
                 const ProxyPolicy &policy)
{
    const ProxyChoice choice = policy.choose(url);
    const QString proxy = choice.isDirect() ? tr("(unknown)") : choice.shown();
    const QString target
        = url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
    const bool login = code == QNetworkReply::ProxyAuthenticationRequiredError;
    Error e = Error::make(
        Error::Kind::Network,
        failure(code, proxy, target, detail, choice.hasLogin()) + u' '
            + (login ? loginRemedy(url, policy, choice.hasLogin()) : remedy(url, policy)));
    e.code = QStringLiteral("PROXY");
    return e;
}

Error proxyError(QNetworkReply::NetworkError code, const QString &detail, const QUrl &url)
{
    return proxyError(code, detail, url, currentNetworkPolicy()->proxy);
}

} // namespace Berth
