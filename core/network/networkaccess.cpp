#include "networkaccess.h"

#include "networkpolicy.h"

#include <QNetworkRequest>

namespace Berth {

NetworkAccessManager::NetworkAccessManager(QObject *parent)
    : QNetworkAccessManager(parent)
{
    setProxyFactory(new PolicyProxyFactory); // owned by the manager
}

QNetworkReply *NetworkAccessManager::createRequest(Operation op,
                                                   const QNetworkRequest &request,
                                                   QIODevice *outgoingData)
{
    if (request.url().scheme() != u"https")
        return QNetworkAccessManager::createRequest(op, request, outgoingData);
    QNetworkRequest withTls(request);
    applyHostTls(withTls, *currentNetworkPolicy());
    return QNetworkAccessManager::createRequest(op, withTls, outgoingData);
}

} // namespace Berth
