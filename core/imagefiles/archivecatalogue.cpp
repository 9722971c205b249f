// The headers and JSON files of an image archive, read in one pass, and the images they describe.

#include "imagefiles/archivecatalogue.h"

#include "archive/archiveentrycheck.h"
#include "archive/imageloader.h"
#include "archive/tarreader.h"

namespace Berth {

namespace {

// A JSON file of an archive is kept up to this size, and all of them up to MaxJsonTotal: a
// layer never is.
constexpr qint64 MaxJsonSize = MaxConfigSize;
constexpr qint64 MaxJsonTotal = 128 * 1024 * 1024;
constexpr qsizetype HeadSize = 16;
constexpr int MaxLinkHops = 16;

// The rest of a JSON file after its first block, bounded by its declared size.
Result<QByteArray> readRest(TarReader &reader, QByteArray body, qint64 size)
{
    body.reserve(qsizetype(size));
    for (;;) {
        auto block = reader.readBlock();
        if (!block)
            return fail(block.error());
        if (block->isEmpty())
            return body;
        if (body.size() + block->size() > size)
            return fail(Error::Kind::InvalidArgument,
                        Berth::tr("Archive entry '%1' holds more than the %2 bytes its header "
                                  "declares.")
                            .arg(reader.entry().path)
                            .arg(size));
        body.append(*block);
    }
}

// One regular file: its size and first bytes; its whole content when it is a small JSON file.
Status readEntry(TarReader &reader, const QString &path, ArchiveCatalogue &catalogue)
{
    const qint64 size = reader.entry().size;
    auto first = reader.readBlock();
    if (!first)
        return fail(first.error());
    catalogue.files.insert(
        path,
        ArchiveCatalogue::File{size,
                               first->first(std::min(HeadSize, first->size())).toByteArray()});
    if (!ArchiveLoad::looksLikeJson(*first) || size > MaxJsonSize
        || catalogue.jsonBytes + size > MaxJsonTotal)
        return reader.skipData();
    auto body = readRest(reader, first->toByteArray(), size);
    if (!body)
        return fail(body.error());
    catalogue.jsonBytes += body->size();
    catalogue.json.insert(path, *body);
    return {};
}

} // namespace

QString ArchiveCatalogue::resolve(const QString &path) const
{
    QString current = path;
    for (int hop = 0; hop <= MaxLinkHops; ++hop) {
        if (files.contains(current))
            return current;
        auto link = links.constFind(current);
        if (link == links.cend())
            return {};
        current = link.value();
    }
    return {};
}

Status catalogueEntry(TarReader &reader, ArchiveCatalogue &catalogue)
{
    const TarEntry &entry = reader.entry();
    auto checked = checkArchiveEntry(entry, ArchiveKind::ImageArchive);
    if (!checked)
        return fail(checked.error());
    if (checked->path.isEmpty() || entry.type == TarEntry::Type::Directory)
        return reader.skipData();
    if (entry.type == TarEntry::Type::Symlink || entry.type == TarEntry::Type::HardLink) {
        catalogue.links.insert(checked->path, checked->linkTarget);
        return reader.skipData();
    }
    return readEntry(reader, checked->path, catalogue);
}

Result<ArchiveCatalogue> readCatalogue(TarReader &reader, const CancelToken &cancel)
{
    ArchiveCatalogue catalogue;
    catalogue.archive = reader.displayName();
    for (;;) {
        if (cancel.isCancelled())
            return fail(Error::Kind::Cancelled, Berth::tr("Cancelled."));
        auto more = reader.next();
        if (!more)
            return fail(more.error());
        if (!*more)
            return catalogue;
        if (Status s = catalogueEntry(reader, catalogue); !s)
            return fail(s.error());
    }
}

void attachHistory(ContentsImage &image)
{
    qsizetype layer = 0;
    for (const HistoryEntry &step : std::as_const(image.config.history)) {
        if (step.emptyLayer)
            continue;
        if (layer >= image.layers.size())
            return;
        image.layers[layer++].createdBy = step.createdBy;
    }
}

} // namespace Berth
