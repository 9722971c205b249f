#pragma once

#include "common/result.h"

#include <QNetworkReply>
#include <QUrl>

namespace Berth {

class ProxyPolicy;

// Qt's proxy failures (101–199), which curl's are mapped to as well: the proxy refused the
// connection, asked for a login, or could not reach the host.
bool isProxyError(QNetworkReply::NetworkError code);

// Qt reports a proxy that refused the connection, or whose name does not resolve, as if it were
// the host's when it speaks plain HTTP through it, and a failed tunnel as an unknown error; but
// through a proxy Qt connects to the proxy only, and resolves no other name. This gives such a
// failure the proxy's code (any other code is returned as it is).
QNetworkReply::NetworkError attributeToProxy(QNetworkReply::NetworkError code, const QUrl &url);

// The failure in the user's terms: which proxy (host:port) failed the request to url, how, and
// where to change it (Settings → Network, or the https_proxy / http_proxy variable). Kind Network,
// code "PROXY": a proxy's refusal is not worth retrying as a flaky registry would be.
Error proxyError(QNetworkReply::NetworkError code,
                 const QString &detail,
                 const QUrl &url,
                 const ProxyPolicy &policy);
// The same with the policy in force.
Error proxyError(QNetworkReply::NetworkError code, const QString &detail, const QUrl &url);

} // namespace Berth
