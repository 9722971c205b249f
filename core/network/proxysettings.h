#pragma once

#include "proxypolicy.h"

#include <QString>

class QSettings;

namespace Berth {

// What Settings → Network keeps in QSettings (group "network": "proxyMode" system|none|manual,
// "proxyHost", "proxyPort", "proxyUser", "noProxy"), for the app and berthctl alike. The proxy's
// password is never here: it lives in the keychain (service proxyKeychainService(), key
// keychainKey()).
struct ProxySettings
{
    ProxyMode mode = ProxyMode::System;
    QString host;
    int port = 3128;
    QString user;
    QString noProxy;

    static ProxySettings load(QSettings &settings);
    void save(QSettings &settings) const;

    static QString proxyKeychainService() { return QStringLiteral("berth-proxy"); }
    // "host:port": the keychain entry of the manual proxy's login.
    QString keychainKey() const;
    // Manual needs a host and a port in 1–65535.
    bool isComplete() const;
    // The policy these settings mean; environment is read for System only.
    ProxyPolicy policy(const QString &password, const ProxyEnvironment &environment) const;

    static QString modeName(ProxyMode mode); // "system", "none", "manual"
    friend bool operator==(const ProxySettings &, const ProxySettings &) = default;
};

} // namespace Berth
