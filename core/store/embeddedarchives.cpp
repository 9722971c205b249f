// EmbeddedBackend's archive operations: core/archive does the work on the thread pool; this file
// opens sources and targets and resolves names in the store.
#include "store/embeddedbackend.h"

#include "archive/archiveoutput.h"
#include "archive/filesystemimport.h"
#include "archive/imageload.h"
#include "archive/imagesave.h"
#include "archive/layerflattener.h"
#include "archive/tarreader.h"
#include "archive/urldownload.h"
#include "oci/mediatypes.h"
#include "oci/storedimage.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

namespace Berth {

namespace {

Result<std::unique_ptr<TarReader>> openSource(const ArchiveSource &source, TarReader::Format format)
{
    if (!source.path.isEmpty())
        return TarReader::openFile(source.path, format);
    if (source.fd >= 0)
        return TarReader::openFd(source.fd, source.displayName(), format);
    return fail(Error::Kind::InvalidArgument, tr("No archive to read."));
}

// The manifest an export flattens: the image's own, or for an index the one of the platform asked
// for (the host's by default, as StoredImage already chose).
Result<ImageManifest> manifestFor(const OciStore &store,
                                  const StoredImage &image,
                                  const std::optional<Platform> &platform)
{
    if (!platform || !MediaType::isIndex(image.entry.descriptor.mediaType)) {
        if (platform && !image.config.platform.satisfies(*platform))
            return fail(Error::Kind::NotFound,
                        tr("The image has no %1 platform: it is %2.")
                            .arg(platform->toString(), image.config.platform.toString()));
        return image.manifest;
    }
    auto body = store.readBlob(image.entry.descriptor.digest, MaxManifestSize);
    if (!body)
        return fail(body.error());
    auto index = parseImageIndex(*body, image.entry.descriptor.mediaType);
    if (!index)
        return fail(index.error());
    const auto selected = index->select(*platform);
    if (!selected)
        return fail(Error::Kind::NotFound,
                    tr("The image has no %1 platform.").arg(platform->toString()));
    auto manifestBody = store.readBlob(selected->digest, MaxManifestSize);
    if (!manifestBody)
        return fail(manifestBody.error());
    return parseImageManifest(*manifestBody, selected->mediaType);
}

// Readers report bytes consumed with an unknown total; a file's size is the total.
ArchiveProgressFunction withTotal(ArchiveProgressFunction progress, const ArchiveSource &source)
{
    if (!progress || source.path.isEmpty())
        return progress;
    const qint64 size = QFileInfo(source.path).size();
    return [progress, size](ArchiveProgress p) {
        if (p.total < 0)
            p.total = size;
        progress(p);
    };
}

} // namespace

void EmbeddedBackend::save(const QStringList &images,
                           ArchiveTarget target,
                           SaveOptions options,
                           Callback<SaveResult> done)
{
    const OciStore store = m_store;
    options.progress = progressOnThisThread(std::move(options.progress));
    inBackground<SaveResult>(
        [store, images, target, options]() -> Result<SaveResult> {
            auto out = ArchiveOutput::open(target);
            if (!out)
                return fail(out.error());
            auto writer = TarWriter::toFd((*out)->fd(), target.displayName(), options.compression);
            if (!writer)
                return fail(writer.error());
            auto result = saveImageArchive(store, images, **writer, options);
            if (!result)
                return result;
            writer->reset();
            if (Status s = (*out)->commit(); !s)
                return fail(s.error());
            return result;
        },
        std::move(done));
}

void EmbeddedBackend::load(ArchiveSource source, LoadOptions options, Callback<LoadResult> done)
{
    const OciStore store = m_store;
    options.progress = progressOnThisThread(std::move(options.progress));
    inBackground<LoadResult>(
        [store, source, options]() -> Result<LoadResult> {
            if (source.url.isValid())
                return fail(Error::Kind::Unsupported,
                            tr("Load reads a file or standard input; download '%1' first.")
                                .arg(source.displayName()));
            auto reader = openSource(source, TarReader::Format::Tar);
            if (!reader)
                return fail(reader.error());
            if (Status s = store.init(); !s)
                return fail(s.error());
            LoadOptions withSize = options;
            withSize.progress = withTotal(options.progress, source);
            return loadImageArchive(store, **reader, withSize);
        },
        std::move(done));
}

void EmbeddedBackend::exportFilesystem(const QString &containerOrImage,
                                       ArchiveTarget target,
                                       ExportOptions options,
                                       Callback<ExportResult> done)
{
    const OciStore store = m_store;
    options.progress = progressOnThisThread(std::move(options.progress));
    inBackground<ExportResult>(
        [store, containerOrImage, target, options]() -> Result<ExportResult> {
            auto entries = store.readIndex();
            if (!entries)
                return fail(entries.error());
            const QList<StoredImage> images = loadStoredImages(store, *entries);
            auto found = resolveStoredImage(images, containerOrImage);
            if (!found)
                return fail(found.error());
            auto manifest = manifestFor(store, images.at(found->first()), options.platform);
            if (!manifest)
                return fail(manifest.error());
            auto out = ArchiveOutput::open(target);
            if (!out)
                return fail(out.error());
            // `-o rootfs.tar.gz` means what it says; docker would write a plain tar regardless.
            const Compression compression
                = target.path.isEmpty() ? Compression::None : compressionForFileName(target.path);
            auto writer = TarWriter::toFd((*out)->fd(), target.displayName(), compression);
            if (!writer)
                return fail(writer.error());
            auto result = exportImageFilesystem(store, *manifest, **writer, options);
            if (!result)
                return result;
            if (Status s = (*writer)->finish(); !s)
                return fail(s.error());
            result->bytesWritten = (*writer)->bytesWritten();
            writer->reset();
            if (Status s = (*out)->commit(); !s)
                return fail(s.error());
            return result;
        },
        std::move(done));
}

void EmbeddedBackend::importFilesystem(ArchiveSource source,
                                       ImportOptions options,
                                       Callback<ImportResult> done)
{
    const OciStore store = m_store;
    options.progress = progressOnThisThread(std::move(options.progress));
    inBackground<ImportResult>(
        [store, source, options]() -> Result<ImportResult> {
            if (Status s = store.init(); !s)
                return fail(s.error());
            ArchiveSource local = source;
            ImportOptions importOptions = options;
            // A URL is fetched into the store's directory first (same file system as the blobs,
            // removed afterwards whatever happens), then imported like a file.
            std::unique_ptr<QTemporaryFile> download;
            if (source.url.isValid()) {
                download = std::make_unique<QTemporaryFile>(store.path()
                                                            + QStringLiteral("/import-XXXXXX.tmp"));
                if (!download->open())
                    return fail(
                        Error::Kind::Io,
                        tr("Cannot write in '%1': %2").arg(store.path(), download->errorString()));
                if (Status s = downloadUrlToFile(
                        source.url, download->fileName(), options.cancel, options.progress);
                    !s)
                    return fail(s.error());
                local = ArchiveSource::file(download->fileName());
                if (importOptions.message.isEmpty()) // docker's comment for a URL import
                    importOptions.message = QStringLiteral("Imported from ")
                                            + source.url.toString(QUrl::RemoveUserInfo);
            }
            importOptions.progress = withTotal(options.progress, local);
            auto reader = openSource(local, TarReader::Format::Raw);
            if (!reader)
                return fail(reader.error());
            return Berth::importFilesystem(store, **reader, importOptions);
        },
        std::move(done));
}

} // namespace Berth
