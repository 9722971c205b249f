#include "noproxy.h"

#include <QRegularExpression>

namespace Berth {

namespace {

// Lower-case, without the brackets of an IPv6 literal or the trailing dot of a fully qualified
// name, so "Example.COM." and "example.com" compare equal.
QString normalizedHost(QString host)
{
    host = host.trimmed().toLower();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    while (host.endsWith(u'.'))
        host.chop(1);
    return host;
}

// "443" → 443; anything else (empty, letters, out of range) → 0.
int parsePort(QStringView text)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    return ok && port > 0 && port <= 65535 ? port : 0;
}

struct HostPort
{
    QString host;
    int port = -1; // -1: none given; 0: an unusable one
};

// "host", "host:port", "[v6]" or "[v6]:port" (a bare IPv6 address was taken before).
HostPort splitHostPort(const QString &entry)
{
    if (entry.startsWith(u'[')) {
        const qsizetype close = entry.indexOf(u']');
        if (close < 0)
            return {QString(), 0};
        const QString rest = entry.mid(close + 1);
        if (rest.isEmpty())
            return {entry.mid(1, close - 1), -1};
        if (!rest.startsWith(u':'))
            return {QString(), 0};
        return {entry.mid(1, close - 1), parsePort(QStringView(rest).mid(1))};
    }
    const qsizetype colon = entry.indexOf(u':');
    if (colon < 0)
        return {entry, -1};
    if (entry.indexOf(u':', colon + 1) >= 0)
        return {QString(), 0};
    return {entry.left(colon), parsePort(QStringView(entry).mid(colon + 1))};
}

bool isHostName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$"));
    return valid.match(name).hasMatch() && !name.contains(QStringLiteral(".."));
}

bool portMatches(int rulePort, int port)
{
    return rulePort < 0 || rulePort == port;
}

} // namespace

NoProxyRules NoProxyRules::parse(QStringView text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    NoProxyRules rules;
    for (const QString &entry : text.toString().split(separators, Qt::SkipEmptyParts))
        rules.addEntry(entry.toLower());
    return rules;
}

void NoProxyRules::addEntry(QString entry)
{
    if (entry == u"*") {
        m_everything = true;
        return;
    }
    // A CIDR or a bare address first: "fd00::1" would otherwise read as host "fd00" and a port.
    if (addAddress(entry, -1))
        return;
    const HostPort split = splitHostPort(entry);
    if (split.port == 0 || split.host.isEmpty())
        return;
    if (addAddress(split.host, split.port))
        return;
    QString domain = split.host;
    if (domain.startsWith(QStringLiteral("*.")))
        domain.remove(0, 1);
    while (domain.startsWith(u'.'))
        domain.remove(0, 1);
    domain = normalizedHost(domain);
    if (isHostName(domain))
        m_names.append({domain, split.port});
}

// An address or a CIDR; false when the text is neither.
bool NoProxyRules::addAddress(const QString &text, int port)
{
    if (text.contains(u'/')) {
        const auto [network, prefix] = QHostAddress::parseSubnet(text);
        if (network.isNull() || port >= 0)
            return false;
        m_addresses.append({network, prefix, -1});
        return true;
    }
    const QHostAddress address(normalizedHost(text));
    if (address.isNull())
        return false;
    m_addresses.append({address, -1, port});
    return true;
}

bool NoProxyRules::matches(const QString &rawHost, int port) const
{
    if (m_everything)
        return true;
    const QString host = normalizedHost(rawHost);
    if (host.isEmpty())
        return false;
    const QHostAddress address(host);
    if (!address.isNull()) {
        for (const AddressRule &rule : m_addresses) {
            const bool inside = rule.prefix < 0 ? rule.network.isEqual(address)
                                                : address.isInSubnet(rule.network, rule.prefix);
            if (inside && portMatches(rule.port, port))
                return true;
        }
        return false;
    }
    for (const NameRule &rule : m_names) {
        const bool below = host.size() > rule.domain.size() && host.endsWith(rule.domain)
                           && host.at(host.size() - rule.domain.size() - 1) == u'.';
        if ((host == rule.domain || below) && portMatches(rule.port, port))
            return true;
    }
    return false;
}

bool NoProxyRules::matches(const QUrl &url) const
{
    return matches(url.host(), effectivePort(url));
}

bool isAlwaysDirect(const QString &rawHost)
{
    const QString host = normalizedHost(rawHost);
    if (host == u"localhost" || host.endsWith(QStringLiteral(".localhost")))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

int effectivePort(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return url.port(scheme == u"https" ? 443 : scheme == u"http" ? 80 : -1);
}

} // namespace Berth
