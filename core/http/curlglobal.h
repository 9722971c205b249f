#pragma once

namespace Berth {

// curl_global_init is not thread-safe: every libcurl user calls this before its first handle.
void initCurl();

} // namespace Berth
