#include "imagefiles/contentsreading.h"

#include "common/background.h"

#include <QObject>

#include <algorithm>
#include <map>

namespace Berth {

namespace {

using Wanted = QHash<QByteArray, QByteArray>;

// What one layer must give: its paths (as the layer holds them) → paths below the copy's root.
struct LayerWork
{
    int layer = 0;
    Wanted wanted;
};

struct ReadPlan
{
    QList<LayerWork> layers; // the order they are fetched in, each once
    qint64 total = 0;        // their blob sizes, for progress
};

struct ReadJob
{
    std::shared_ptr<ContentsSource> source;
    std::shared_ptr<const LoadedContents> contents;
    std::shared_ptr<ExtractTarget> target;
    ReadOptions options;
    std::function<void(Status)> done;
    QObject *context = nullptr; // the caller's thread, where every callback lands
    ReadPlan plan;
    int next = 0;
    qint64 doneBefore = 0; // blob bytes of the layers already read
    std::shared_ptr<LayerFileExtractor> extractor;
};

Error cancelled()
{
    return Error::make(Error::Kind::Cancelled, Berth::tr("Cancelled."));
}

QString layerName(const LoadedContents &contents, int layer)
{
    return Berth::tr("Layer %1 (%2) of %3")
        .arg(layer)
        .arg(contents.image.layers.value(layer).blob.digest.toString(), contents.image.name);
}

// A hard link's content lives at its target in the same layer (a link to a link: its target).
Result<QByteArray> hardLinkSource(const LoadedContents &contents, int layer, QByteArray target)
{
    const IndexFile &index = *contents.layers.at(size_t(layer));
    for (int hops = 0; hops < 40; ++hops) {
        const qint64 i = index.find(target);
        if (i < 0)
            break;
        if (ContentsEntry::Type(index.record(i).type) != ContentsEntry::Type::HardLink)
            return target;
        target = index.linkTarget(i).toByteArray();
    }
    return fail(Error::Kind::NotFound,
                Berth::tr("%1 has a hard link to '%2', which it does not hold.")
                    .arg(layerName(contents, layer), displayPath(target)));
}

void addLayer(ReadPlan &plan, const LoadedContents &contents, int layer, Wanted wanted)
{
    plan.total += contents.image.layers.value(layer).blob.size;
    plan.layers.append({layer, std::move(wanted)});
}

Result<ReadPlan> planReadFile(const LoadedContents &contents, const QByteArray &path)
{
    auto record = resolvePath(*contents.tree, path, true);
    if (!record)
        return fail(record.error());
    const ContentsEntry entry = contents.tree->entry(*record);
    if (entry.isDirectory())
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("'%1' is a folder, not a file.").arg(displayPath(path)));
    if (entry.type != ContentsEntry::Type::File && entry.type != ContentsEntry::Type::HardLink)
        return fail(Error::Kind::InvalidArgument,
                    Berth::tr("'%1' is not a regular file.").arg(displayPath(path)));
    QByteArray source = entry.path;
    if (entry.type == ContentsEntry::Type::HardLink) {
        auto linked = hardLinkSource(contents, entry.layer, entry.linkTarget);
        if (!linked)
            return fail(linked.error());
        source = *linked;
    }
    ReadPlan plan;
    addLayer(plan, contents, entry.layer, {{source, baseName(entry.path).toByteArray()}});
    return plan;
}

// The tree walk of a copy: folders, links and specials go to the target at once, files are
// gathered per layer, hard links settled once every file is known.
class CopyPlanner
{
public:
    CopyPlanner(const LoadedContents &contents, ExtractTarget &target, CancelToken cancel)
        : m_contents(contents)
        , m_target(target)
        , m_cancel(std::move(cancel))
    {}

    Result<ReadPlan> plan(const QByteArray &path)
    {
        const IndexFile &tree = *m_contents.tree;
        qint64 first = 0;
        qint64 end = tree.count();
        if (!path.isEmpty()) {
            auto record = resolvePath(tree, path, false);
            if (!record)
                return fail(record.error());
            first = *record;
            end = qint64(tree.record(first).subtreeEnd);
            m_base = parentPath(tree.path(first)).toByteArray();
        }
        for (qint64 i = first; i < end; ++i) {
            if ((i & 4095) == 0 && m_cancel.isCancelled())
                return fail(cancelled());
            if (Status s = visit(tree.entry(i)); !s)
                return fail(s.error());
        }
        return finishPlan();
    }

private:
    struct Link
    {
        int layer;
        QByteArray path;
        QByteArray target;
        QByteArray relative;
    };

    QByteArray relative(const QByteArray &path) const
    {
        return m_base.isEmpty() ? path : path.mid(m_base.size() + 1);
    }

    Status visit(const ContentsEntry &entry)
    {
        if (entry.change == ContentsEntry::Change::Deleted)
            return {};
        const QByteArray rel = relative(entry.path);
        switch (entry.type) {
        case ContentsEntry::Type::Directory:
            return m_target.directory(entry, rel);
        case ContentsEntry::Type::Symlink:
            return m_target.symlink(entry, rel);
        case ContentsEntry::Type::File:
            m_wanted[entry.layer].insert(entry.path, rel);
            return {};
        case ContentsEntry::Type::HardLink:
            m_links.append({entry.layer, entry.path, entry.linkTarget, rel});
            return {};
        case ContentsEntry::Type::Whiteout:
            return {};
        default:
            return m_target.special(entry, rel);
        }
    }

    // A link whose target is copied from the same layer is written as a link; otherwise the
    // target's content is asked for under the link's name (later links to it then link to that).
    Result<ReadPlan> finishPlan()
    {
        for (const Link &link : std::as_const(m_links)) {
            auto source = hardLinkSource(m_contents, link.layer, link.target);
            if (!source)
                return fail(source.error());
            Wanted &wanted = m_wanted[link.layer];
            if (wanted.contains(*source))
                wanted.insert(link.path, link.relative);
            else
                wanted.insert(*source, link.relative);
        }
        ReadPlan plan;
        // Top layer first: a preview of the newest files comes soonest.
        for (auto it = m_wanted.rbegin(); it != m_wanted.rend(); ++it)
            addLayer(plan, m_contents, it->first, std::move(it->second));
        return plan;
    }

    const LoadedContents &m_contents;
    ExtractTarget &m_target;
    CancelToken m_cancel;
    QByteArray m_base; // the copied path's parent: target paths are relative to it
    std::map<int, Wanted> m_wanted;
    QList<Link> m_links;
};

void complete(const std::shared_ptr<ReadJob> &job, Status status)
{
    job->context->deleteLater();
    job->extractor.reset();
    auto done = std::move(job->done);
    done(std::move(status));
}

void finishTarget(const std::shared_ptr<ReadJob> &job)
{
    runInBackground(
        job->context,
        [target = job->target] { return target->finish(); },
        [job](Status s) { complete(job, std::move(s)); });
}

void fetchNext(const std::shared_ptr<ReadJob> &job);

// The source stopped: because the extractor had what it wanted (fine), or for a reason of its
// own. The extractor's thread is waited for off the caller's thread.
void layerFetched(const std::shared_ptr<ReadJob> &job, Status fetched)
{
    auto extractor = job->extractor;
    runInBackground(
        job->context,
        [extractor] { return extractor->finish(); },
        [job, extractor, fetched = std::move(fetched)](Result<qint64> out) {
            const bool enough = !fetched
                                && fetched.error().code == LayerFileExtractor::EnoughCode
                                && extractor->complete();
            if (!fetched && !enough)
                return complete(job, fail(fetched.error()));
            if (!out)
                return complete(job, fail(out.error()));
            const LayerWork &work = job->plan.layers.at(job->next);
            job->doneBefore += job->contents->image.layers.value(work.layer).blob.size;
            ++job->next;
            fetchNext(job);
        });
}

void fetchNext(const std::shared_ptr<ReadJob> &job)
{
    if (job->options.cancel.isCancelled())
        return complete(job, fail(cancelled()));
    if (job->next >= job->plan.layers.size())
        return finishTarget(job);
    const LayerWork &work = job->plan.layers.at(job->next);
    job->extractor = std::make_shared<LayerFileExtractor>(layerName(*job->contents, work.layer),
                                                          work.wanted,
                                                          job->target.get());
    ContentsSource::FetchOptions fetch;
    fetch.cancel = job->options.cancel;
    // One layer at a time: the target takes one file after another, never two interleaved.
    fetch.parallel = 1;
    if (job->options.progress)
        fetch.progress = [job](qint64 done, qint64) {
            job->options.progress(job->doneBefore + done, job->plan.total);
        };
    job->source->fetchLayers(
        {work.layer},
        [extractor = job->extractor.get()](int) -> BlobSink * { return extractor; },
        std::move(fetch),
        [job](Status s) { layerFetched(job, std::move(s)); });
}

// Plans off the caller's thread (a tree walk, and for a copy the folders and links written),
// then reads the layers one after another.
template<typename Planner>
void run(std::shared_ptr<ContentsSource> source,
         std::shared_ptr<const LoadedContents> contents,
         std::shared_ptr<ExtractTarget> target,
         ReadOptions options,
         std::function<void(Status)> done,
         Planner planner)
{
    auto job = std::make_shared<ReadJob>();
    job->source = std::move(source);
    job->contents = std::move(contents);
    job->target = std::move(target);
    job->options = std::move(options);
    job->done = std::move(done);
    job->context = new QObject;
    runInBackground(
        job->context,
        [contents = job->contents, target = job->target, planner = std::move(planner)] {
            return planner(*contents, *target);
        },
        [job](Result<ReadPlan> plan) {
            if (!plan)
                return complete(job, fail(plan.error()));
            job->plan = std::move(*plan);
            fetchNext(job);
        });
}

} // namespace

void readFile(std::shared_ptr<ContentsSource> source,
              std::shared_ptr<const LoadedContents> contents,
              QByteArray path,
              std::shared_ptr<ExtractTarget> target,
              ReadOptions options,
              std::function<void(Status)> done)
{
    run(std::move(source),
        std::move(contents),
        std::move(target),
        std::move(options),
        std::move(done),
        [path](const LoadedContents &c, ExtractTarget &) { return planReadFile(c, path); });
}

void copyOut(std::shared_ptr<ContentsSource> source,
             std::shared_ptr<const LoadedContents> contents,
             QByteArray path,
             std::shared_ptr<ExtractTarget> target,
             ReadOptions options,
             std::function<void(Status)> done)
{
    const CancelToken cancel = options.cancel;
    run(std::move(source),
        std::move(contents),
        std::move(target),
        std::move(options),
        std::move(done),
        [path, cancel](const LoadedContents &c, ExtractTarget &t) {
            return CopyPlanner(c, t, cancel).plan(path);
        });
}

} // namespace Berth
