#include "networkaccess.h"

// FOUNDATION PLACEHOLDER: helper "proxy" replaces this file.

namespace Berth {

QList<QNetworkProxy> PolicyProxyFactory::queryProxy(const QNetworkProxyQuery &)
{
    return {QNetworkProxy::NoProxy};
}

} // namespace Berth
