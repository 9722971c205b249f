#pragma once

#include "common/result.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace Berth::Cli {

// docker's `--format '{{.Repository}}:{{.Tag}}'`, the part scripts and shell completions use: the
// text with each {{.Field}} (spaces inside the braces allowed) replaced by the row's value. No Go
// template logic: an unknown field, or a {{ without its }}, is an InvalidArgument error naming it.
bool isFormatTemplate(const QString &format);
Result<QString> expandFormatTemplate(const QString &format, const QHash<QString, QString> &fields);
// Checks a template against the fields a verb offers before any work, so a typo is a usage error.
Status checkFormatTemplate(const QString &format, const QStringList &fieldNames);

} // namespace Berth::Cli
