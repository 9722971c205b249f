#pragma once

#include "archive/archivetypes.h"
#include "common/cancel.h"
#include "common/result.h"

#include <QString>
#include <QUrl>

namespace Berth {

// Downloads an http(s) URL to a file, streamed, for `import URL` (docker import's URL form).
// Blocking: runs on a worker thread. Redirects are followed (http and https only), TLS is verified,
// an HTTP error status fails with the status in the message. Progress reports bytes against the
// Content-Length when the server sends one.
Status downloadUrlToFile(const QUrl &url,
                         const QString &path,
                         const CancelToken &cancel,
                         const ArchiveProgressFunction &progress);

} // namespace Berth
