#pragma once

#include <QString>
#include <QStringList>

namespace Berth {

// containers-registries.conf(5), version 2, as podman merges its files. Helper "mirrors" owns
// this header: what it holds and answers beyond load() is theirs to shape.
class RegistriesConf
{
public:
    // CONTAINERS_REGISTRIES_CONF alone when set; else $HOME/.config/containers/registries.conf
    // when present, else /etc/containers/registries.conf; then registries.conf.d/*.conf in order.
    static QStringList defaultFiles();
    static RegistriesConf load();
};

} // namespace Berth
