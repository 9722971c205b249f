#include "networkaccess.h"

// FOUNDATION PLACEHOLDER: helper "tls" replaces this file.

namespace Berth {

void applyHostTls(QNetworkRequest &, const NetworkPolicy &) {}

} // namespace Berth
