#pragma once

#include <QString>
#include <QUrl>

#include <optional>

namespace Berth {

// Which scheme each insecure registry spoke when Berth last asked, kept between runs in the
// cache directory: docker asks every time, over HTTPS first, which costs a plain-HTTP registry
// two round trips per command. A remembered endpoint that turns out wrong (the registry moved
// to TLS, or back) is forgotten and probed again (see RegistryTransport). Thread-safe.
namespace EndpointMemory {

// The endpoint remembered for the registry ("http://127.0.0.1:5000"), if seen within a week.
std::optional<QUrl> recall(const QString &registry);
void remember(const QString &registry, const QUrl &endpoint);
void forget(const QString &registry);

// The file the memory lives in (tests point XDG_CACHE_HOME elsewhere).
QString path();

} // namespace EndpointMemory

} // namespace Berth
