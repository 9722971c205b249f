#include "imagefilesfilter.h"

namespace Berth {

namespace {

bool matches(const IndexFile &tree, qint64 i, const FilesFilter &filter, bool wholePath)
{
    if (filter.changesOnly
        && ContentsEntry::Change(tree.record(i).change) == ContentsEntry::Change::None)
        return false;
    if (filter.text.isEmpty())
        return true;
    const QByteArrayView path = tree.path(i);
    return displayPath(wholePath ? path : baseName(path))
        .contains(filter.text, Qt::CaseInsensitive);
}

} // namespace

FilesFilterResult
filterTree(const IndexFile &tree, const FilesFilter &filter, const CancelToken &cancel)
{
    FilesFilterResult result;
    result.visible.assign(size_t(tree.count()), !filter.isActive());
    if (!filter.isActive()) {
        result.matches = tree.count();
        return result;
    }
    const bool wholePath = filter.text.contains(u'/');
    // The directories around the current record, outermost first: tree order puts a directory
    // right before its subtree, and its subtreeEnd says when it closes.
    std::vector<qint64> open;
    for (qint64 i = 0; i < tree.count(); ++i) {
        if ((i & 0xfff) == 0 && cancel.isCancelled())
            break;
        while (!open.empty() && qint64(tree.record(open.back()).subtreeEnd) <= i)
            open.pop_back();
        if (matches(tree, i, filter, wholePath)) {
            ++result.matches;
            result.visible[size_t(i)] = true;
            // Mark the directories above, innermost first, up to one already shown.
            for (auto it = open.rbegin(); it != open.rend() && !result.visible[size_t(*it)]; ++it)
                result.visible[size_t(*it)] = true;
        }
        if (qint64(tree.record(i).subtreeEnd) > i + 1)
            open.push_back(i);
    }
    return result;
}

} // namespace Berth
