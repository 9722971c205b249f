// `berthctl cp IMAGE:/PATH DEST`: a file or a folder out of an image, as `docker cp` takes one out
// of a container. Every write goes through the extraction target that opens each component
// below DEST with O_NOFOLLOW, so no name or link of the image reaches outside DEST.
#include "commands.h"
#include "contentsloading.h"
#include "progressprinter.h"

#include "archive/tarwriter.h"

#include <QDir>
#include <QFileInfo>

#include <unistd.h>

namespace Berth::Cli {

namespace {

// The copy's first path component renamed (`docker cp img:/etc/ssl new` writes new/…) or
// dropped (`…/etc/ssl/. dest` writes ssl's contents into dest), before the real target.
class RenamingTarget final : public ExtractTarget
{
public:
    RenamingTarget(std::unique_ptr<ExtractTarget> inner, QByteArray from, QByteArray to)
        : m_inner(std::move(inner))
        , m_from(std::move(from))
        , m_to(std::move(to))
    {}

    Status directory(const ContentsEntry &entry, QByteArrayView relative) override
    {
        // Dropping the top component leaves the copy's root: DEST itself, which exists.
        if (m_to.isEmpty() && relative == m_from)
            return {};
        return m_inner->directory(entry, renamed(relative));
    }
    Status symlink(const ContentsEntry &entry, QByteArrayView relative) override
    {
        return m_inner->symlink(entry, renamed(relative));
    }
    Status
    hardLink(const ContentsEntry &entry, QByteArrayView relative, QByteArrayView existing) override
    {
        return m_inner->hardLink(entry, renamed(relative), renamed(existing));
    }
    Status beginFile(const ContentsEntry &entry, QByteArrayView relative) override
    {
        return m_inner->beginFile(entry, renamed(relative));
    }
    Status special(const ContentsEntry &entry, QByteArrayView relative) override
    {
        const Status written = m_inner->special(entry, renamed(relative));
        m_skipped = m_inner->skipped();
        return written;
    }
    Status fileData(QByteArrayView data) override { return m_inner->fileData(data); }
    Status endFile() override { return m_inner->endFile(); }
    Status finish() override { return m_inner->finish(); }

private:
    QByteArray renamed(QByteArrayView relative) const
    {
        if (relative == m_from)
            return m_to;
        if (relative.startsWith(m_from) && relative.size() > m_from.size()
            && relative.at(m_from.size()) == '/')
            return m_to.isEmpty() ? relative.sliced(m_from.size() + 1).toByteArray()
                                  : m_to + relative.sliced(m_from.size()).toByteArray();
        return relative.toByteArray();
    }

    std::unique_ptr<ExtractTarget> m_inner;
    QByteArray m_from;
    QByteArray m_to;
};

bool isTarName(const QString &name)
{
    static const QStringList suffixes{QStringLiteral(".tar"),
                                      QStringLiteral(".tar.gz"),
                                      QStringLiteral(".tgz"),
                                      QStringLiteral(".tar.zst"),
                                      QStringLiteral(".tar.xz")};
    return std::any_of(
        suffixes.cbegin(), suffixes.cend(), [&](const QString &s) { return name.endsWith(s); });
}

Result<std::shared_ptr<ExtractTarget>> shared(Result<std::unique_ptr<ExtractTarget>> target)
{
    if (!target)
        return fail(target.error());
    return std::shared_ptr<ExtractTarget>(std::move(*target));
}

Result<std::shared_ptr<ExtractTarget>>
renamedInto(const QString &folder, QByteArray from, QByteArray to)
{
    auto inner = directoryTarget(folder);
    if (!inner)
        return fail(inner.error());
    return std::shared_ptr<ExtractTarget>(
        std::make_shared<RenamingTarget>(std::move(*inner), std::move(from), std::move(to)));
}

struct CopySource
{
    QByteArray path; // "" for the root
    bool isDirectory = false;
    bool contentsOnly = false; // "PATH/." : what is inside, not the folder itself
};

// docker cp's rules for DEST: a folder that exists receives the copy (or, for "dir/.", its
// contents); a name that does not exist becomes the copy; an existing file is replaced by a
// file and refuses a folder. A folder copied to a name ending in .tar (.tar.gz, .tgz, .tar.zst,
// .tar.xz) that is not an existing folder is written as that tar instead.
Result<std::shared_ptr<ExtractTarget>> targetFor(const CopySource &source, const QString &dest)
{
    const QFileInfo info(dest);
    const QByteArray base = baseName(source.path).toByteArray();
    if (info.isDir()) {
        if (source.contentsOnly && source.isDirectory && !source.path.isEmpty())
            return renamedInto(dest, base, QByteArray());
        return shared(directoryTarget(dest));
    }
    if (source.isDirectory && info.exists())
        return fail(Error::Kind::InvalidArgument,
                    tr("Cannot copy a folder onto the file %1").arg(dest));
    if (source.isDirectory && isTarName(dest))
        return shared(tarTarget(ArchiveTarget::file(dest), compressionForFileName(dest)));
    if (source.path.isEmpty())
        return shared(directoryTarget(dest));
    if (dest.endsWith(u'/'))
        return fail(Error::Kind::NotFound, tr("The folder %1 does not exist").arg(dest));
    const QString parent = info.absolutePath();
    if (!QFileInfo(parent).isDir())
        return fail(Error::Kind::NotFound, tr("The folder %1 does not exist").arg(parent));
    return renamedInto(parent, base, QFile::encodeName(info.fileName()));
}

} // namespace

int cpCommand(Context &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Copy a file or a folder out of an image without pulling it, as docker cp does out of "
           "a container: into DEST when it is a folder, as DEST otherwise; PATH/. copies a "
           "folder's contents. DEST '-' writes a tar to standard output; a folder copied to a "
           "name ending in .tar (.tar.gz, .tgz, .tar.zst, .tar.xz) is written as that tar. Nothing "
           "is ever written outside DEST; set-uid bits and owners are not kept."));
    parser.addPositionalArgument(QStringLiteral("source"),
                                 tr("The image, a colon, and the absolute path inside it."),
                                 tr("IMAGE:/PATH"));
    parser.addPositionalArgument(
        QStringLiteral("dest"), tr("A folder, a new name, or '-'."), tr("DEST"));
    addImageOptions(parser);
    if (const auto exit = context.parse(parser, arguments))
        return *exit;
    const QStringList args = parser.positionalArguments();
    if (args.size() != 2)
        return context.usage(tr("cp takes IMAGE:/PATH and a destination"));
    const auto split = splitImagePath(args.first());
    if (!split)
        return context.usage(split.error().message);
    const auto path = parseImagePath(split->path);
    if (!path)
        return context.usage(path.error().message);
    const QString dest = args.at(1);
    if (dest == u"-" && ::isatty(STDOUT_FILENO))
        return context.usage(
            tr("Refusing to write a tar to a terminal: give a destination or redirect the "
               "output."));
    int exitCode = Failed;
    const auto image = openImage(context, parser, split->image, &exitCode);
    if (!image)
        return exitCode;
    const auto record = findPath(*image->contents->tree, path->path, false);
    if (!record)
        return context.report(record.error());
    CopySource source{path->path,
                      *record < 0
                          || image->contents->tree->record(*record).type
                                 == quint8(ContentsEntry::Type::Directory),
                      split->path.endsWith(QStringLiteral("/."))};
    const auto target = dest == u"-"
                            ? shared(tarTarget(ArchiveTarget::standardOutput(), Compression::None))
                            : targetFor(source, dest);
    if (!target)
        return context.report(target.error());
    ProgressPrinter printer(context.err());
    const auto copied = context.wait<void>([&](auto done) {
        copyOut(image->source,
                image->contents,
                path->path,
                *target,
                readOptions(printer, tr("Copying")),
                done);
    });
    printer.finish();
    if (!copied)
        return context.report(copied.error());
    if (const qint64 skipped = (*target)->skipped(); skipped > 0)
        context.err() << tr("Skipped %n device(s), fifo(s) or socket(s): a copy runs without "
                            "the privileges to make them.",
                            nullptr,
                            int(std::min<qint64>(skipped, INT_MAX)))
                      << Qt::endl;
    return Success;
}

} // namespace Berth::Cli
