#include "networkaccess.h"
#include "networkpolicy.h"

#include <QNetworkProxy>

namespace Berth {

namespace {

// The policy's choice in Qt's terms. Qt tunnels https through an HttpProxy with CONNECT and
// answers the proxy's 407 with the login set here.
QNetworkProxy qtProxy(const ProxyChoice &choice)
{
    if (choice.isDirect())
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const QString scheme = choice.proxy.scheme();
    const auto type = scheme.startsWith(QStringLiteral("socks")) ? QNetworkProxy::Socks5Proxy
                                                                 : QNetworkProxy::HttpProxy;
    return QNetworkProxy(
        type, choice.proxy.host(), quint16(choice.proxy.port()), choice.user, choice.password);
}

} // namespace

QList<QNetworkProxy> PolicyProxyFactory::queryProxy(const QNetworkProxyQuery &query)
{
    return {qtProxy(currentNetworkPolicy()->proxy.choose(query.url()))};
}

} // namespace Berth
