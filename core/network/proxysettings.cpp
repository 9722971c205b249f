#include "proxysettings.h"

#include <QSettings>

namespace Berth {

namespace {

const QString Group = QStringLiteral("network");
const QString ModeKey = QStringLiteral("proxyMode");
const QString HostKey = QStringLiteral("proxyHost");
const QString PortKey = QStringLiteral("proxyPort");
const QString UserKey = QStringLiteral("proxyUser");
const QString NoProxyKey = QStringLiteral("noProxy");

ProxyMode parseMode(const QString &name)
{
    if (name == u"none")
        return ProxyMode::None;
    if (name == u"manual")
        return ProxyMode::Manual;
    return ProxyMode::System; // also what a hand-edited, unknown value falls back to
}

} // namespace

QString ProxySettings::modeName(ProxyMode mode)
{
    switch (mode) {
    case ProxyMode::None:
        return QStringLiteral("none");
    case ProxyMode::Manual:
        return QStringLiteral("manual");
    case ProxyMode::System:
        break;
    }
    return QStringLiteral("system");
}

ProxySettings ProxySettings::load(QSettings &settings)
{
    settings.beginGroup(Group);
    ProxySettings loaded;
    loaded.mode = parseMode(settings.value(ModeKey).toString());
    loaded.host = settings.value(HostKey).toString().trimmed();
    bool ok = false;
    const int port = settings.value(PortKey).toInt(&ok);
    if (ok && port > 0 && port <= 65535)
        loaded.port = port;
    loaded.user = settings.value(UserKey).toString();
    loaded.noProxy = settings.value(NoProxyKey).toString();
    settings.endGroup();
    return loaded;
}

void ProxySettings::save(QSettings &settings) const
{
    settings.beginGroup(Group);
    settings.setValue(ModeKey, modeName(mode));
    settings.setValue(HostKey, host);
    settings.setValue(PortKey, port);
    settings.setValue(UserKey, user);
    settings.setValue(NoProxyKey, noProxy);
    settings.endGroup();
}

QString ProxySettings::keychainKey() const
{
    return host.toLower() + u':' + QString::number(port);
}

bool ProxySettings::isComplete() const
{
    return !host.isEmpty() && port > 0 && port <= 65535;
}

ProxyPolicy ProxySettings::policy(const QString &password,
                                  const ProxyEnvironment &environment) const
{
    switch (mode) {
    case ProxyMode::None:
        return ProxyPolicy::none();
    case ProxyMode::Manual:
        if (!isComplete())
            return ProxyPolicy::none();
        return ProxyPolicy::manual({host, port, user, password, noProxy});
    case ProxyMode::System:
        break;
    }
    return ProxyPolicy::system(environment);
}

} // namespace Berth
