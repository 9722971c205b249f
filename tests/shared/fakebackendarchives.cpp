// The archive operations of FakeBackend: small real tars, written and read with core's own
// TarWriter and TarReader, so that a saved file loads back and an exported one lists its files.

#include "fakebackend.h"

#include "archive/outputfile.h"
#include "archive/tarreader.h"
#include "archive/tarwriter.h"
#include "common/sha256.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace BerthTest {

namespace {

QString layerName(const QByteArray &layer)
{
    return Sha256::digestOf(layer).mid(7) + u"/layer.tar";
}

// Every entry of a (small) tar, by name.
Result<QHash<QString, QByteArray>> readAll(const ArchiveSource &source)
{
    auto reader = source.fd >= 0 ? TarReader::openFd(source.fd, source.displayName())
                                 : TarReader::openFile(source.path);
    if (!reader)
        return fail(reader.error());
    QHash<QString, QByteArray> files;
    for (;;) {
        const Result<bool> more = (*reader)->next();
        if (!more)
            return fail(more.error());
        if (!*more)
            return files;
        QByteArray data;
        for (;;) {
            const Result<QByteArrayView> block = (*reader)->readBlock();
            if (!block)
                return fail(block.error());
            if (block->isEmpty())
                break;
            data += *block;
        }
        files.insert((*reader)->entry().path, data);
    }
}

// Writes `fill` into a tar at the target, under a temporary name until it is complete.
Result<qint64> writeTar(const ArchiveTarget &target,
                        Compression compression,
                        const std::function<Status(TarWriter &)> &fill)
{
    std::unique_ptr<OutputFile> file;
    if (target.fd < 0) {
        auto created = OutputFile::create(target.path);
        if (!created)
            return fail(created.error());
        file = std::move(*created);
    }
    auto writer = TarWriter::toFd(file ? file->fd() : target.fd, target.displayName(), compression);
    if (!writer)
        return fail(writer.error());
    if (Status filled = fill(**writer); !filled)
        return fail(filled.error());
    if (Status finished = (*writer)->finish(); !finished)
        return fail(finished.error());
    const qint64 written = (*writer)->bytesWritten();
    writer->reset();
    if (file) {
        if (Status committed = file->commit(); !committed)
            return fail(committed.error());
    }
    return written;
}

} // namespace

QList<FakeBackend::Line> FakeBackend::archiveLines(const ArchiveProgressFunction &progress,
                                                   const QString &item,
                                                   qint64 total) const
{
    if (!progress)
        return {};
    return {[=] {
                progress({item, total / 2, total});
            },
            [=] {
                progress({item, total, total});
            }};
}

void FakeBackend::save(const QStringList &images,
                       ArchiveTarget target,
                       SaveOptions options,
                       Callback<SaveResult> done)
{
    qint64 total = 0;
    for (const QString &name : images) {
        if (const Image *image = find(name))
            total += image->local.size + image->config.size();
    }
    run<SaveResult>(
        Op::Save,
        options.cancel,
        archiveLines(options.progress, {}, total),
        [this, images, target, options] {
            auto saved = writeSave(images, target, options.compression);
            if (saved && options.progress) // the last line: what really went out
                options.progress({{}, saved->bytesWritten, saved->bytesWritten});
            return saved;
        },
        done);
}

Result<SaveResult> FakeBackend::writeSave(const QStringList &images,
                                          const ArchiveTarget &target,
                                          Compression compression)
{
    QList<const Image *> chosen;
    for (const QString &name : images) {
        const Image *image = find(name);
        if (!image)
            return fail(Error::Kind::NotFound, u"No such image: %1"_s.arg(name));
        chosen.append(image);
    }
    // docker-archive: manifest.json, each config and each layer.
    const auto fill = [&](TarWriter &w) -> Status {
        QJsonArray manifest;
        for (int i = 0; i < chosen.size(); ++i) {
            const Image &image = *chosen.at(i);
            const QString config = image.local.id.encoded() + u".json";
            QJsonArray layers;
            for (const QByteArray &layer : image.layers) {
                layers.append(layerName(layer));
                if (Status s = w.addBytes(layerName(layer), layer); !s)
                    return s;
            }
            if (Status s = w.addBytes(config, image.config); !s)
                return s;
            const QString named = ImageReference::parse(images.at(i)) ? images.at(i) : QString();
            manifest.append(
                QJsonObject{{u"Config"_s, config},
                            {u"RepoTags"_s,
                             QJsonArray::fromStringList(named.isEmpty() ? image.local.repoTags
                                                                        : QStringList{named})},
                            {u"Layers"_s, layers}});
        }
        return w.addBytes(u"manifest.json"_s, QJsonDocument(manifest).toJson());
    };
    const Result<qint64> written = writeTar(target, compression, fill);
    if (!written)
        return fail(written.error());
    return SaveResult{images, *written};
}

void FakeBackend::load(ArchiveSource source, LoadOptions options, Callback<LoadResult> done)
{
    const qint64 size = source.path.isEmpty() ? -1 : QFileInfo(source.path).size();
    run<LoadResult>(
        Op::Load,
        options.cancel,
        archiveLines(options.progress, {}, size),
        [this, source] { return readLoad(source); },
        done);
}

Result<LoadResult> FakeBackend::readLoad(const ArchiveSource &source)
{
    const auto files = readAll(source);
    if (!files)
        return fail(files.error());
    if (!files->contains(u"manifest.json"_s))
        return fail(
            Error::Kind::InvalidArgument,
            u"%1 is not an image archive: it holds no manifest.json"_s.arg(source.displayName()));
    LoadResult result;
    result.format = u"docker-archive"_s;
    const QJsonArray manifest = QJsonDocument::fromJson(files->value(u"manifest.json"_s)).array();
    for (const QJsonValue &entry : manifest) {
        const QJsonObject object = entry.toObject();
        const QByteArray savedConfig = files->value(object.value(u"Config"_s).toString());
        const auto config = parseImageConfig(savedConfig);
        if (!config)
            return fail(config.error());
        QList<QByteArray> layers;
        for (const QJsonValue &layer : object.value(u"Layers"_s).toArray())
            layers.append(files->value(layer.toString()));
        ImageSpec spec;
        spec.platform = config->platform;
        Image image = assemble(layers, spec);
        image.config = savedConfig; // the ID is the saved config's, whatever made it
        image.local.id = *Digest::parse(Sha256::digestOf(savedConfig));
        const QStringList tags = object.value(u"RepoTags"_s).toVariant().toStringList();
        result.blobsWritten += int(image.layers.size()) + 1;
        if (tags.isEmpty())
            result.untagged.append(image.local.id);
        for (const QString &tag : tags)
            store(image, ImageReference::parse(tag)->familiarString());
        if (tags.isEmpty())
            store(image, {});
        result.loadedTags += tags;
    }
    result.bytesRead = source.path.isEmpty() ? 0 : QFileInfo(source.path).size();
    return result;
}

void FakeBackend::exportFilesystem(const QString &containerOrImage,
                                   ArchiveTarget target,
                                   ExportOptions options,
                                   Callback<ExportResult> done)
{
    const Image *image = find(containerOrImage);
    run<ExportResult>(
        Op::Export,
        options.cancel,
        archiveLines(options.progress, {}, image ? image->local.size : -1),
        [this, containerOrImage, target, options] {
            auto exported = writeExport(containerOrImage, target);
            if (exported && options.progress)
                options.progress({{}, exported->bytesWritten, exported->bytesWritten});
            return exported;
        },
        done);
}

Result<ExportResult> FakeBackend::writeExport(const QString &containerOrImage,
                                              const ArchiveTarget &target)
{
    // A container's filesystem is its image's, and its hostname.
    QString image = containerOrImage;
    QString hostname;
    for (const LocalContainer &c : std::as_const(m_containers)) {
        if (c.names.contains(containerOrImage) || c.id.startsWith(containerOrImage)) {
            image = c.imageId.toString();
            hostname = c.id.left(12);
        }
    }
    const Image *found = find(image);
    if (!found)
        return fail(Error::Kind::NotFound,
                    u"No such container or image: %1"_s.arg(containerOrImage));
    int entries = 0;
    const auto fill = [&](TarWriter &w) -> Status {
        if (Status s = w.addDirectory(u"berth"_s); !s)
            return s;
        ++entries;
        for (int i = 0; i < found->layers.size(); ++i, ++entries) {
            if (Status s = w.addBytes(found->layerFiles.at(i), found->layers.at(i)); !s)
                return s;
        }
        if (hostname.isEmpty())
            return {};
        ++entries;
        return w.addBytes(u"etc/hostname"_s, QByteArray(hostname.toUtf8() + '\n'));
    };
    const Result<qint64> written = writeTar(target, Compression::None, fill);
    if (!written)
        return fail(written.error());
    return ExportResult{entries, *written};
}

void FakeBackend::importFilesystem(ArchiveSource source,
                                   ImportOptions options,
                                   Callback<ImportResult> done)
{
    const qint64 size = source.path.isEmpty() ? -1 : QFileInfo(source.path).size();
    run<ImportResult>(
        Op::Import,
        options.cancel,
        archiveLines(options.progress, {}, size),
        [this, source, options] { return readImport(source, options); },
        done);
}

Result<ImportResult> FakeBackend::readImport(const ArchiveSource &source,
                                             const ImportOptions &options)
{
    if (!source.url.isEmpty())
        return fail(Error::Kind::Unsupported, u"The fake backend imports no URL"_s);
    const auto files = readAll(source);
    if (!files)
        return fail(files.error());
    // One layer holding the files, in a stable order: the same tar, the same image.
    QStringList names = files->keys();
    names.sort();
    QByteArray layer;
    for (const QString &name : std::as_const(names))
        layer += name.toUtf8() + '\n' + files->value(name);
    ImageSpec spec;
    if (options.platform)
        spec.platform = *options.platform;
    Image image = assemble({layer}, spec);
    image.layerFiles = {u"berth/imported"_s};
    const Digest id = image.local.id;
    store(std::move(image), options.reference ? options.reference->familiarString() : QString());
    return ImportResult{id, options.reference, qint64(layer.size())};
}

} // namespace BerthTest
