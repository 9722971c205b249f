#include "curlpolicy.h"

// FOUNDATION PLACEHOLDER: helper "tls" replaces this file.

namespace Berth {

Status applyCurlTls(CURL *, const QUrl &, const NetworkPolicy &)
{
    return {};
}

} // namespace Berth
