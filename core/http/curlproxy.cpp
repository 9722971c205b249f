#include "curlpolicy.h"

// FOUNDATION PLACEHOLDER: helper "proxy" replaces this file.

namespace Berth {

void applyCurlProxy(CURL *curl, const QUrl &, const NetworkPolicy &)
{
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
}

} // namespace Berth
