#pragma once

#include "common/result.h"

#include <QString>
#include <QStringList>

namespace Berth {

// Refuses a store whose layout files or blob directories are symbolic links: rmi, prune and fsck
// would otherwise delete whatever store-shaped files the link leads to. The store directory itself
// may be a link: that is where the user chose to keep it.
Status checkStoreStructure(const QString &storePath);

// Removes what an atomic rewrite of index.json, berth-sources.json or oci-layout left when its
// process was killed between writing the temp file (QSaveFile's "NAME.XXXXXX") and renaming it.
// Only call it holding the store lock: every writer of these files holds it, so none is live.
// Answers the files removed.
QStringList removeStaleSaveFiles(const QString &storePath);

} // namespace Berth
