#include "filesimage.h"

#include "archive/tarwriter.h"
#include "asynctest.h"
#include "common/sha256.h"
#include "oci/manifest.h"
#include "oci/mediatypes.h"
#include "registry/registryclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <archive_entry.h>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace BerthTest {

namespace {

// Every entry at the same time, so that the same layer makes the same bytes each time.
const QDateTime Epoch = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);

Status writeEntry(TarWriter &tar, const FilesImageEntry &entry)
{
    using Type = FilesImageEntry::Type;
    if (entry.type == Type::Whiteout) {
        const qsizetype slash = entry.path.lastIndexOf(u'/');
        return tar.addBytes(entry.path.left(slash + 1) + u".wh."_s + entry.path.mid(slash + 1),
                            QByteArray(),
                            Epoch);
    }
    archive_entry *header = archive_entry_new();
    archive_entry_set_pathname_utf8(header, entry.path.toUtf8().constData());
    archive_entry_set_perm(header, mode_t(entry.mode));
    archive_entry_set_mtime(header, Epoch.toSecsSinceEpoch(), 0);
    switch (entry.type) {
    case Type::File:
        archive_entry_set_filetype(header, AE_IFREG);
        archive_entry_set_size(header, entry.data.size());
        break;
    case Type::Directory:
        archive_entry_set_filetype(header, AE_IFDIR);
        break;
    case Type::Symlink:
        archive_entry_set_filetype(header, AE_IFLNK);
        archive_entry_set_symlink_utf8(header, entry.target.toUtf8().constData());
        break;
    case Type::Whiteout:
        break;
    }
    Status written = tar.writeHeader(header);
    archive_entry_free(header);
    if (written && entry.type == Type::File && !entry.data.isEmpty())
        written = tar.writeData(entry.data);
    return written;
}

Result<QByteArray> tarOf(const FilesImageLayer &layer, Compression compression)
{
    QByteArray bytes;
    auto tar = TarWriter::toFunction(
        [&bytes](const char *data, qint64 size) {
            bytes.append(data, size);
            return true;
        },
        u"test layer"_s,
        compression);
    if (!tar)
        return fail(tar.error());
    for (const FilesImageEntry &entry : layer) {
        if (Status written = writeEntry(**tar, entry); !written)
            return fail(written.error());
    }
    if (Status finished = (*tar)->finish(); !finished)
        return fail(finished.error());
    return bytes;
}

Digest digestOf(const QByteArray &bytes)
{
    return *Digest::parse(Sha256::digestOf(bytes));
}

Status upload(RegistryClient &registry, const ImageReference &reference, const QByteArray &blob)
{
    const auto uploaded = await<void>([&](auto done) {
        registry.uploadBlob(reference.withTag(QString()), digestOf(blob), blob, done);
    });
    if (!uploaded)
        return fail(uploaded.error());
    return {};
}

QByteArray configOf(const QStringList &diffIds, const QMap<QString, QString> &labels)
{
    QJsonObject labelObject;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        labelObject.insert(it.key(), it.value());
    QJsonArray history;
    for (qsizetype i = 0; i < diffIds.size(); ++i)
        history.append(QJsonObject{{u"created_by"_s, u"COPY layer %1 /"_s.arg(i + 1)}});
    const QJsonObject config{
        {u"architecture"_s, u"amd64"_s},
        {u"os"_s, u"linux"_s},
        {u"created"_s, Epoch.toString(Qt::ISODate)},
        {u"config"_s,
         QJsonObject{{u"Env"_s, QJsonArray{u"PATH=/usr/bin:/bin"_s}},
                     {u"Cmd"_s, QJsonArray{u"/bin/sh"_s}},
                     {u"Labels"_s, labelObject}}},
        {u"rootfs"_s,
         QJsonObject{{u"type"_s, u"layers"_s},
                     {u"diff_ids"_s, QJsonArray::fromStringList(diffIds)}}},
        {u"history"_s, history},
    };
    return QJsonDocument(config).toJson(QJsonDocument::Compact);
}

} // namespace

Result<Digest> pushFilesImage(RegistryClient &registry,
                              const ImageReference &reference,
                              const QList<FilesImageLayer> &layers,
                              const QMap<QString, QString> &labels)
{
    ImageManifest manifest;
    manifest.mediaType = QString::fromLatin1(MediaType::OciManifest);
    QStringList diffIds;
    for (const FilesImageLayer &layer : layers) {
        const auto plain = tarOf(layer, Compression::None);
        const auto gzipped = tarOf(layer, Compression::Gzip);
        if (!plain || !gzipped)
            return fail(!plain ? plain.error() : gzipped.error());
        if (Status uploaded = upload(registry, reference, *gzipped); !uploaded)
            return fail(uploaded.error());
        diffIds.append(digestOf(*plain).toString());
        Descriptor blob;
        blob.mediaType = QString::fromLatin1(MediaType::OciLayerGzip);
        blob.digest = digestOf(*gzipped);
        blob.size = gzipped->size();
        manifest.layers.append(blob);
    }
    const QByteArray config = configOf(diffIds, labels);
    if (Status uploaded = upload(registry, reference, config); !uploaded)
        return fail(uploaded.error());
    manifest.config.mediaType = QString::fromLatin1(MediaType::OciConfig);
    manifest.config.digest = digestOf(config);
    manifest.config.size = config.size();
    return await<Digest>([&](auto done) {
        registry.putManifest(reference, manifest.mediaType, toJson(manifest), done);
    });
}

} // namespace BerthTest
