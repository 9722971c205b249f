#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "contents/indexfile.h"

#include <functional>

namespace Berth {

// One path that differs between two image trees, as `docker diff` names it: A added, C changed,
// D deleted. A directory is C only when its own type, mode or owner changed, not for its children.
struct FileChange
{
    QByteArray path;
    ContentsEntry::Change kind = ContentsEntry::Change::None;
    ContentsEntry::Type type = ContentsEntry::Type::File; // the new type (the old one for D)
    qint64 oldSize = -1;                                  // -1: absent
    qint64 newSize = -1;
    quint32 oldMode = 0;
    quint32 newMode = 0;
    bool contentChanged = false; // both content digests known and different
    QString kindLetter() const;  // "A", "C", "D"
};

struct DiffSummary
{
    qint64 added = 0;
    qint64 changed = 0;
    qint64 deleted = 0;
    qint64 addedBytes = 0;   // file bytes only in `to`
    qint64 deletedBytes = 0; // file bytes only in `from`
    qint64 changedBytes = 0; // new file bytes of changed files
};

// Compares two merged trees in one pass (both sorted). A file is changed when its type, size,
// mode, owner or link target differ, or its content digest where both are known; times are
// ignored (a rebuild touches every one). The changes come to `each` in tree order; a deleted
// directory's subtree is reported too (every path, as `docker diff` does not, so that sizes add
// up).
Result<DiffSummary> diffTrees(const IndexFile &from,
                              const IndexFile &to,
                              const std::function<void(const FileChange &)> &each,
                              const CancelToken &cancel = {});
// The same comparison written as an index file (records carry the change; deleted paths keep
// their old entry), for views that show the differences as a tree.
Result<DiffSummary> writeDiffTree(const IndexFile &from,
                                  const IndexFile &to,
                                  const QString &outputPath,
                                  const CancelToken &cancel = {});

} // namespace Berth
