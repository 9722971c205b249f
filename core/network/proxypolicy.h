#pragma once

#include <QString>
#include <QUrl>

namespace Berth {

// Where Berth's traffic goes: through the proxies the environment names (System, as curl and Go
// programs read them), straight to every host (None), or through one proxy the user set (Manual).
enum class ProxyMode { System, None, Manual };

// The proxy variables as the process found them, upper- or lower-case (the lower-case one wins
// when both are set, as in curl).
struct ProxyEnvironment
{
    QString httpProxy;  // http_proxy
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
    QUrl proxy; // empty: direct; else "http://host:port"
    QString user;
    QString password;

    bool isDirect() const { return proxy.isEmpty(); }
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

private:
    ProxyMode m_mode = ProxyMode::None;
    ProxyEnvironment m_environment;
    ManualProxy m_manual;
};

} // namespace Berth
