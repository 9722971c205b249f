#include "registrysettings.h"

#include "reference/imagereference.h"

#include <QSettings>

#include <algorithm>

namespace Berth::RegistrySettings {

namespace {

const QString HostKey = QStringLiteral("host");
const QString InsecureKey = QStringLiteral("insecure");

} // namespace

QString arrayKey()
{
    return QStringLiteral("registries");
}

std::optional<QString> normalizedHost(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    const QString host = ImageReference::normalizeRegistry(trimmed);
    // A registry name is the domain part of a reference: it must be read as one.
    const auto probe = ImageReference::parseRepository(QString(host + u"/probe"));
    if (!probe || probe->domain() != host)
        return std::nullopt;
    return host;
}

QList<RegistryEntry> load(QSettings &settings)
{
    QList<RegistryEntry> loaded;
    const int size = settings.beginReadArray(arrayKey());
    for (int i = 0; i < size; ++i) {
        settings.setArrayIndex(i);
        const auto host = normalizedHost(settings.value(HostKey).toString());
        const auto seen = [&](const RegistryEntry &e) {
            return e.host == *host;
        };
        if (!host || *host == ImageReference::dockerHubDomain()
            || std::any_of(loaded.cbegin(), loaded.cend(), seen))
            continue;
        loaded.append({*host, settings.value(InsecureKey, false).toBool()});
    }
    settings.endArray();
    return loaded;
}

void save(QSettings &settings, const QList<RegistryEntry> &entries)
{
    settings.remove(arrayKey());
    settings.beginWriteArray(arrayKey(), int(entries.size()));
    for (int i = 0; i < int(entries.size()); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(HostKey, entries.at(i).host);
        settings.setValue(InsecureKey, entries.at(i).insecure);
    }
    settings.endArray();
}

QStringList insecureHosts(const QList<RegistryEntry> &entries)
{
    QStringList hosts;
    for (const RegistryEntry &e : entries) {
        if (e.insecure)
            hosts.append(e.host);
    }
    return hosts;
}

} // namespace Berth::RegistrySettings
