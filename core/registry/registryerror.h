#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QNetworkReply>
#include <QUrl>

namespace Berth {

// Maps an HTTP answer from a registry (status, `{"errors":[{code,message,detail}]}` body) to an
// Error. `what` names the object in the user's terms ("tag '15' of docker.io/library/node").
Error registryHttpError(int status,
                        const QByteArray &body,
                        const QString &what,
                        const QString &registry);

// Maps a transport failure (no HTTP status) to an Error: TLS, refused, dropped, timed out. A
// proxy's failure (101–199) names the proxy the policy chose for url (network/proxyerror.h).
Error registryNetworkError(QNetworkReply::NetworkError code,
                           const QString &detail,
                           const QString &registry,
                           const QUrl &url = {});

// Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
std::optional<std::chrono::seconds> parseRetryAfter(const QByteArray &value);

} // namespace Berth
