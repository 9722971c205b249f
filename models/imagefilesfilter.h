#pragma once

#include "common/cancel.h"
#include "contents/indexfile.h"

#include <QString>

#include <vector>

namespace Berth {

// Which records of an image tree a filtered view shows: every record that matches, and the
// directories above it (so that each match keeps its place in the tree). Made in one pass over the
// records in tree order, on any thread: the index is read through its map, nothing else is shared.
struct FilesFilter
{
    // Matched, case-insensitively, against each name as displayPath() shows it; against the whole
    // path when the text holds a '/'. Empty: every name matches.
    QString text;
    // Only the records a layer changed (added, changed or deleted), with their directories.
    bool changesOnly = false;

    bool isActive() const { return !text.isEmpty() || changesOnly; }
    bool operator==(const FilesFilter &) const = default;
};

struct FilesFilterResult
{
    std::vector<bool> visible; // one per record of the tree
    qint64 matches = 0;        // records that matched themselves (not counting their directories)
};

// The records `filter` keeps. Stops early (and answers what it has) once `cancel` is set.
FilesFilterResult
filterTree(const IndexFile &tree, const FilesFilter &filter, const CancelToken &cancel = {});

} // namespace Berth
