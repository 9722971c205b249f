#pragma once

#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>

namespace Berth {

struct NetworkPolicy;

// Qt's stack under the network policy: every request takes the proxy the policy chooses for its
// URL and, over TLS, its host's certs.d CAs and client certificate. Every QNetworkAccessManager of
// the application and of berthctl is one of these.
class NetworkAccessManager : public QNetworkAccessManager
{
    Q_OBJECT

public:
    explicit NetworkAccessManager(QObject *parent = nullptr);

protected:
    QNetworkReply *
    createRequest(Operation op, const QNetworkRequest &request, QIODevice *outgoingData) override;
};

// The proxy for a query, from the policy in force at the time (any thread: Qt asks from its
// HTTP thread).
class PolicyProxyFactory final : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override;
};

// Adds the host's certs.d material to an https request's TLS configuration (qttls.cpp).
void applyHostTls(QNetworkRequest &request, const NetworkPolicy &policy);

} // namespace Berth
