#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QStringList>

namespace Berth {

// Docker's `--change` instructions (`docker import -c`, `docker commit -c`): CMD, ENTRYPOINT, ENV,
// EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL, ONBUILD and HEALTHCHECK, each in the forms a
// Dockerfile accepts (JSON array or shell form, `name=value` pairs or the legacy `NAME value`),
// with the Dockerfile's quoting and `$VAR` expansion where docker expands.
//
// Applies `changes` in order to an image configuration: the whole config JSON object, whose
// "config" member (Cmd, Entrypoint, Env, ExposedPorts, Labels, User, Volumes, WorkingDir,
// StopSignal, OnBuild, Healthcheck) is created or edited. An unknown instruction or a malformed
// value fails with InvalidArgument naming it, and `imageConfig` is then left as it was.
Status applyImageChanges(QJsonObject &imageConfig, const QStringList &changes);

} // namespace Berth
