#include "contents/imagetree.h"

#include <vector>

namespace Berth {

namespace {

constexpr int MaxSymlinks = 40; // Linux's limit (MAXSYMLINKS)

// The components still to walk, the next one last: a link's target goes on top.
void pushComponents(std::vector<QByteArray> &pending, QByteArrayView path)
{
    const QList<QByteArray> parts = path.toByteArray().split('/');
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
        if (!it->isEmpty() && *it != ".")
            pending.push_back(*it);
}

QByteArray joined(const QByteArray &dir, const QByteArray &name)
{
    return dir.isEmpty() ? name : dir + '/' + name;
}

// Deleted records (in a layer's view) are there to be shown, not to be found.
qint64 findPresent(const IndexFile &tree, QByteArrayView path)
{
    const qint64 i = tree.find(path);
    return i >= 0 && tree.record(i).change != quint8(ContentsEntry::Change::Deleted) ? i : -1;
}

} // namespace

// Walks the path a component at a time as the kernel does: `..` goes to the parent of where the
// walk is (never above the root), a symbolic link's target replaces it (absolute ones from the
// root). The root itself, which has no record, is -1 (as IndexFile::children names it).
Result<qint64> resolvePath(const IndexFile &tree, QByteArrayView path, bool followLast)
{
    std::vector<QByteArray> pending;
    pushComponents(pending, path);
    QByteArray current; // "" is the root
    qint64 at = -1;
    int links = 0;
    while (!pending.empty()) {
        const QByteArray name = std::move(pending.back());
        pending.pop_back();
        if (name == "..") {
            current = parentPath(current).toByteArray();
            at = current.isEmpty() ? -1 : findPresent(tree, current);
            continue;
        }
        const QByteArray next = joined(current, name);
        const qint64 i = findPresent(tree, next);
        if (i < 0)
            return fail(Error::Kind::NotFound,
                        Berth::tr("The image has no '%1' (looking for '%2').")
                            .arg(displayPath(next), displayPath(path)));
        const IndexRecord &r = tree.record(i);
        const bool last = pending.empty();
        if (r.type == quint8(ContentsEntry::Type::Symlink) && (!last || followLast)) {
            if (++links > MaxSymlinks)
                return fail(Error::Kind::InvalidArgument,
                            Berth::tr("Too many levels of symbolic links in '%1' (more than %2).")
                                .arg(displayPath(path))
                                .arg(MaxSymlinks));
            const QByteArrayView target = tree.linkTarget(i);
            if (target.isEmpty())
                return fail(Error::Kind::NotFound,
                            Berth::tr("The symbolic link '%1' points nowhere (looking for '%2').")
                                .arg(displayPath(next), displayPath(path)));
            if (target.startsWith('/'))
                current.clear();
            at = current.isEmpty() ? -1 : findPresent(tree, current);
            pushComponents(pending, target);
            continue;
        }
        if (!last && r.type != quint8(ContentsEntry::Type::Directory))
            return fail(Error::Kind::NotFound,
                        Berth::tr("'%1' is not a folder (looking for '%2').")
                            .arg(displayPath(next), displayPath(path)));
        current = next;
        at = i;
    }
    return at;
}

} // namespace Berth
