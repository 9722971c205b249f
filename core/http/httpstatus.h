#pragma once

#include "common/result.h"

#include <span>

namespace Berth {

// A context's own reading of one HTTP status, where it differs from the common one.
struct HttpStatusKind
{
    int status = 0;
    Error::Kind kind = Error::Kind::Protocol;
};

// What an HTTP error status means in Berth's terms when the answer says no more than its status.
// The common reading: 400 and 422 InvalidArgument, 401 Unauthorized, 403 Denied, 404 and 410
// NotFound, 405 Unsupported, 429 RateLimited, 500 and above Server. `overrides` come first: a
// context that reads a status its own way (the registry's 400, the engine's 409) says so there. A
// status neither names (a 409, a 3xx Berth did not follow) is `otherwise`.
Error::Kind errorKindForHttpStatus(int status,
                                   std::span<const HttpStatusKind> overrides = {},
                                   Error::Kind otherwise = Error::Kind::Protocol);

} // namespace Berth
