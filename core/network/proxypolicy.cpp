#include "proxypolicy.h"

namespace Berth {

namespace {

// The lower-case variable first, as curl reads them; an empty one counts as unset.
QString proxyVariable(const char *lower, const char *upper)
{
    const QString value = qEnvironmentVariable(lower).trimmed();
    return value.isEmpty() ? qEnvironmentVariable(upper).trimmed() : value;
}

int defaultProxyPort(const QString &scheme)
{
    if (scheme.startsWith(QStringLiteral("socks")))
        return 1080;
    return scheme == u"https" ? 443 : 80;
}

bool isProxyScheme(const QString &scheme)
{
    return scheme == u"http" || scheme == u"https" || scheme == u"socks5" || scheme == u"socks5h";
}

} // namespace

QString ProxyChoice::shown() const
{
    if (isDirect())
        return {};
    const QString host = proxy.host().contains(u':') ? u'[' + proxy.host() + u']' : proxy.host();
    return host + u':' + QString::number(proxy.port());
}

ProxyChoice ProxyChoice::fromText(const QString &rawText)
{
    const QString text = rawText.trimmed();
    if (text.isEmpty())
        return {};
    // "proxy.example:3128" has no scheme; QUrl would read "proxy.example" as one.
    const QUrl url(text.contains(QStringLiteral("://")) ? text : QStringLiteral("http://") + text);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || !isProxyScheme(scheme))
        return {};
    ProxyChoice choice;
    choice.proxy.setScheme(scheme);
    choice.proxy.setHost(url.host());
    choice.proxy.setPort(url.port(defaultProxyPort(scheme)));
    choice.user = url.userName(QUrl::FullyDecoded);
    choice.password = url.password(QUrl::FullyDecoded);
    return choice;
}

ProxyEnvironment ProxyEnvironment::fromProcess()
{
    ProxyEnvironment environment;
    environment.httpProxy = proxyVariable("http_proxy", "HTTP_PROXY");
    environment.httpsProxy = proxyVariable("https_proxy", "HTTPS_PROXY");
    environment.noProxy = proxyVariable("no_proxy", "NO_PROXY");
    return environment;
}

ProxyPolicy ProxyPolicy::system(const ProxyEnvironment &environment)
{
    ProxyPolicy policy;
    policy.m_mode = ProxyMode::System;
    policy.m_environment = environment;
    policy.m_http = ProxyChoice::fromText(environment.httpProxy);
    policy.m_https = ProxyChoice::fromText(environment.httpsProxy);
    policy.m_noProxy = NoProxyRules::parse(environment.noProxy);
    return policy;
}

ProxyPolicy ProxyPolicy::none()
{
    return {};
}

ProxyPolicy ProxyPolicy::manual(const ManualProxy &proxy)
{
    ProxyPolicy policy;
    policy.m_mode = ProxyMode::Manual;
    policy.m_manual = proxy;
    if (!proxy.host.trimmed().isEmpty() && proxy.port > 0 && proxy.port <= 65535) {
        ProxyChoice choice;
        choice.proxy.setScheme(QStringLiteral("http"));
        choice.proxy.setHost(proxy.host.trimmed());
        choice.proxy.setPort(proxy.port);
        choice.user = proxy.user;
        choice.password = proxy.password;
        if (choice.proxy.isValid()) {
            policy.m_http = choice;
            policy.m_https = choice;
        }
    }
    policy.m_noProxy = NoProxyRules::parse(proxy.noProxy);
    return policy;
}

ProxyChoice ProxyPolicy::choose(const QUrl &url) const
{
    if (m_mode == ProxyMode::None || isAlwaysDirect(url.host()) || m_noProxy.matches(url))
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme == u"https")
        return m_https;
    if (scheme == u"http")
        return m_http;
    return {};
}

} // namespace Berth
