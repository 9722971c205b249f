#pragma once

#include "registry/hubclient.h"
#include "registry/imageinspector.h"
#include "registry/taggrouping.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Berth::Cli {

// The machine-readable shapes of `--format json`: stable keys in lowerCamelCase, sizes in bytes,
// times in ISO 8601 UTC.
QJsonObject toJson(const HubRepositorySummary &repository);
QJsonObject toJson(const TagGroup &group);
QJsonObject toJson(const InspectResult &result);
QString badgeName(HubBadge badge);
// A time as ISO 8601 UTC; empty when unknown.
QString iso(const QDateTime &when);

} // namespace Berth::Cli
