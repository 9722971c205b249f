#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringView>
#include <QUrl>

namespace Berth {

// NO_PROXY, read where curl and Go's httpproxy agree, and the more forgiving of the two where they
// do not: entries separated by commas or spaces, case-insensitive. A "*" entry sends everything
// direct (as in Go; curl honours it only alone); "example.com", ".example.com" and
// "*.example.com" all match that host and every host below it (curl's reading: Go leaves the
// domain itself out for the last two); an IP address
// matches itself and a CIDR ("10.0.0.0/8", "fd00::/8") every address in it; "host:port" and
// "[v6]:port" match that port only. Host names are never resolved: a name matches name rules, an
// address address rules. Entries that are none of these are ignored.
class NoProxyRules
{
public:
    static NoProxyRules parse(QStringView text);

    // True when a request to host:port goes direct (port: the URL's, or its scheme's default).
    bool matches(const QString &host, int port) const;
    bool matches(const QUrl &url) const;
    bool matchesEverything() const { return m_everything; }
    bool isEmpty() const { return !m_everything && m_names.isEmpty() && m_addresses.isEmpty(); }

private:
    struct NameRule
    {
        QString domain; // lower-case, without leading or trailing dots
        int port = -1;  // -1: any
    };
    struct AddressRule
    {
        QHostAddress network;
        int prefix = -1; // the CIDR's length; -1: the whole address
        int port = -1;
    };

    void addEntry(QString entry);
    bool addAddress(const QString &text, int port);

    bool m_everything = false;
    QList<NameRule> m_names;
    QList<AddressRule> m_addresses;
};

// localhost (and names below it) and loopback addresses (127.0.0.0/8, ::1): always direct, as in
// Go programs (docker, podman, skopeo), so a registry on this machine never goes to a proxy.
bool isAlwaysDirect(const QString &host);

// The port a URL reaches: its own, or 80 / 443 for http / https.
int effectivePort(const QUrl &url);

} // namespace Berth
