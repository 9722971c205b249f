#include "httpstatus.h"

#include <algorithm>

namespace Berth {

namespace {

constexpr HttpStatusKind CommonReading[] = {
    {400, Error::Kind::InvalidArgument},
    {401, Error::Kind::Unauthorized},
    {403, Error::Kind::Denied},
    {404, Error::Kind::NotFound},
    {405, Error::Kind::Unsupported},
    {410, Error::Kind::NotFound},
    {422, Error::Kind::InvalidArgument},
    {429, Error::Kind::RateLimited},
};

const HttpStatusKind *find(std::span<const HttpStatusKind> table, int status)
{
    const auto it = std::ranges::find(table, status, &HttpStatusKind::status);
    return it == table.end() ? nullptr : &*it;
}

} // namespace

Error::Kind
errorKindForHttpStatus(int status, std::span<const HttpStatusKind> overrides, Error::Kind otherwise)
{
    if (const HttpStatusKind *own = find(overrides, status))
        return own->kind;
    if (const HttpStatusKind *common = find(CommonReading, status))
        return common->kind;
    if (status >= 500)
        return Error::Kind::Server;
    return otherwise;
}

} // namespace Berth
