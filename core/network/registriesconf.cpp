#include "registriesconf.h"

// FOUNDATION PLACEHOLDER: helper "mirrors" replaces this file.

namespace Berth {

QStringList RegistriesConf::defaultFiles()
{
    return {};
}

RegistriesConf RegistriesConf::load()
{
    return {};
}

} // namespace Berth
