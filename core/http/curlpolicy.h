#pragma once

// The network policy on a libcurl handle: the same proxy and TLS material Qt's stack uses for the
// URL (see network/networkpolicy.h). Only for curlexchange.cpp.

#include "common/result.h"
#include "network/networkpolicy.h"

#include <QUrl>

#include <curl/curl.h>

namespace Berth {

// curlproxy.cpp: CURLOPT_PROXY (empty for direct) and its login, and an empty CURLOPT_NOPROXY so
// curl never second-guesses the decision from the environment.
void applyCurlProxy(CURL *curl, const QUrl &url, const NetworkPolicy &policy);
// curltls.cpp: the host's certs.d CAs (on top of the system's) and client certificate; an error
// when the host's certs.d material is broken (the exchange then does not start).
Status applyCurlTls(CURL *curl, const QUrl &url, const NetworkPolicy &policy);

} // namespace Berth
