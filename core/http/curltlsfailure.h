#pragma once

#include "common/result.h"

#include <QString>
#include <QUrl>

#include <curl/curl.h>

#include <optional>

namespace Berth {

// curltls.cpp: a failed TLS exchange with an https URL told the way a user can act on (unknown
// CA, expired, name mismatch, client certificate wanted; see network/tlsproblem.h); nothing for
// other failures. detail is curl's error buffer.
std::optional<Error>
curlTlsFailure(CURL *curl, CURLcode code, const QUrl &url, const QString &detail);

} // namespace Berth
