#pragma once

#include "noproxy.h"

#include <QString>
#include <QUrl>

namespace Berth {

// Where Berth's traffic goes: through the proxies the environment names (System, as curl and Go
// programs read them), straight to every host (None), or through one proxy the user set (Manual).
enum class ProxyMode { System, None, Manual };

// The proxy variables as the process found them, upper- or lower-case. When both are set the
// lower-case one wins, as in curl (Go prefers the upper-case one; both set and different is a
// misconfiguration either way); an empty variable counts as unset.
struct ProxyEnvironment
{
    QString httpProxy;  // http_proxy, HTTP_PROXY
    QString httpsProxy; // https_proxy, HTTPS_PROXY
    QString noProxy;    // no_proxy, NO_PROXY

    static ProxyEnvironment fromProcess();
};

// The proxy the user typed in Settings → Network (the password comes from the keychain).
struct ManualProxy
{
    QString host;
    int port = 0;
    QString user;
    QString password;
    QString noProxy; // the same rules as NO_PROXY
};

// Where one URL goes: straight to its host, or through this proxy with its login.
struct ProxyChoice
{
    QUrl proxy; // empty: direct; else "http://host:port" (or socks5://, socks5h://, https://)
    QString user;
    QString password;

    bool isDirect() const { return proxy.isEmpty(); }
    bool hasLogin() const { return !user.isEmpty(); }
    // "host:port", as messages name the proxy.
    QString shown() const;

    // A proxy variable's or setting's value: "http://user:pass@host:port", or "host:port" without
    // a scheme (http, as curl and Go read it); the port defaults to the scheme's (80 for http,
    // 1080 for socks5). The login is percent-decoded. Direct (empty) when the text is no usable
    // proxy address.
    static ProxyChoice fromText(const QString &text);
};

// One decision per URL, shared by Qt's stack and libcurl's.
class ProxyPolicy
{
public:
    ProxyPolicy() = default; // None
    static ProxyPolicy system(const ProxyEnvironment &environment);
    static ProxyPolicy none();
    static ProxyPolicy manual(const ManualProxy &proxy);

    ProxyMode mode() const { return m_mode; }
    ProxyChoice choose(const QUrl &url) const;

    // The NO_PROXY rules in force (the environment's, or the manual proxy's own).
    const NoProxyRules &noProxy() const { return m_noProxy; }

private:
    ProxyMode m_mode = ProxyMode::None;
    ProxyEnvironment m_environment;
    ManualProxy m_manual;
    // Read once when the policy is made: choose() runs for every request.
    ProxyChoice m_http;
    ProxyChoice m_https;
    NoProxyRules m_noProxy;
};

} // namespace Berth
