#pragma once

// Qt's side of certificate trouble for the registry transport and the Hub client: the host's
// broken certs.d material caught before a request goes out, and a failed handshake told the way
// a user can act on it (network/tlsproblem.h).

#include "common/result.h"

#include <QUrl>

#include <optional>

class QNetworkReply;

namespace Berth {

// The problem with the url's host's certs.d files (unreadable, a key without its certificate, a
// key that does not match): requests to it fail with it rather than go out without them.
std::optional<Error> hostTlsProblem(const QUrl &url);

// Keeps the certificate errors the reply reports, for replyTlsFailure; call right after sending.
void recordTlsErrors(QNetworkReply *reply);
// A finished reply whose TLS handshake failed (certificate, or a client certificate the server
// wanted), as an Error naming the host; nothing for other outcomes.
std::optional<Error> replyTlsFailure(QNetworkReply *reply);

} // namespace Berth
