#pragma once

#include <QString>

namespace Berth {

// The grammar of registries.conf's places. Each answers an empty string when the text is valid,
// else the end of a sentence saying what is wrong ("is not a registry or repository: …").

// A location: "host[:port][/path]", the host as docker tells a registry from a path component
// (a '.', a ':' or "localhost"), the path as a repository's, no scheme, tag or digest.
QString locationProblem(const QString &location);
// A prefix: a location, or "*.domain" (a wildcard before a host name, nothing else).
QString prefixProblem(const QString &prefix);
// The registry of a location or repository: the text before the first '/'.
QString registryOf(const QString &location);

} // namespace Berth
