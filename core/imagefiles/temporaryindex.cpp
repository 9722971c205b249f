// Index files that live as long as their last reader, in the temporary folder.

#include "imagefiles/temporaryindex.h"

#include <QDir>
#include <QFile>
#include <QTemporaryFile>

namespace Berth {

namespace {

Result<QString> temporaryPath()
{
    QTemporaryFile file(QDir::tempPath() + QStringLiteral("/berth-contents-XXXXXX.index"));
    file.setAutoRemove(false);
    if (!file.open())
        return fail(Error::Kind::Io,
                    Berth::tr("Could not create a temporary file in %1: %2")
                        .arg(QDir::tempPath(), file.errorString()));
    return file.fileName();
}

} // namespace

Result<std::shared_ptr<const IndexFile>>
writeTemporaryIndex(const std::function<Status(const QString &path)> &write)
{
    auto path = temporaryPath();
    if (!path)
        return fail(path.error());
    Status written = write(*path);
    auto index = written ? IndexFile::open(*path) : Result<IndexFile>(fail(written.error()));
    if (!index) {
        QFile::remove(*path);
        return fail(index.error());
    }
    const QString remove = *path;
    return std::shared_ptr<const IndexFile>(new IndexFile(std::move(*index)),
                                            [remove](const IndexFile *file) {
                                                delete file;
                                                QFile::remove(remove);
                                            });
}

Result<std::pair<std::shared_ptr<const IndexFile>, ImageTreeSummary>>
mergeToTemporary(const QList<const IndexFile *> &layers, const TreeOptions &options)
{
    ImageTreeSummary summary;
    auto tree = writeTemporaryIndex([&](const QString &path) -> Status {
        auto merged = mergeLayers(layers, path, options);
        if (!merged)
            return fail(merged.error());
        summary = *merged;
        return {};
    });
    if (!tree)
        return fail(tree.error());
    return std::pair{*tree, summary};
}

} // namespace Berth
