#include "manifestliststore.h"

#include "common/jsonlimits.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>

namespace Berth {

namespace {

// A list of a few hundred images is a few hundred KB; anything far larger is not one of ours.
constexpr qint64 MaxFileSize = 4 * MaxManifestSize;
// File names stay well under NAME_MAX (255 bytes) whatever the reference's length.
constexpr qsizetype MaxReadableName = 160;

QString fileName(const ImageReference &target)
{
    // Percent-encoding keeps names distinct ("a/b:c" and "a_b_c" never meet, unlike docker's
    // "_" for every separator) and readable in a listing.
    QString name = QString::fromLatin1(QUrl::toPercentEncoding(target.toString()));
    if (name.size() > MaxReadableName)
        name = name.left(MaxReadableName) + u'-'
               + Sha256::digestOf(target.toString().toUtf8()).mid(7, 16);
    return name + u".json";
}

Result<ManifestListEntry> entryFrom(const QJsonValue &source, const Descriptor &descriptor)
{
    auto reference = ImageReference::parse(source.toString());
    if (!reference)
        return fail(reference.error());
    if (reference->digest() != descriptor.digest)
        return fail(Error::Kind::Protocol,
                    tr("the source %1 does not have the digest %2 its entry names")
                        .arg(reference->toString(), descriptor.digest.toString()));
    if (!descriptor.platform)
        return fail(Error::Kind::Protocol,
                    tr("the entry for %1 has no platform").arg(reference->toString()));
    ManifestListEntry entry;
    entry.source = *reference;
    entry.descriptor = descriptor;
    return entry;
}

Result<ManifestList> listFrom(const QJsonObject &root)
{
    auto target = manifestListTarget(root.value(u"target").toString());
    if (!target)
        return fail(target.error());
    const QJsonArray sources = root.value(u"sources").toArray();
    // The index's own parser checks every descriptor, as it does for a registry's answer.
    auto index = parseImageIndex(
        QJsonDocument(root.value(u"index").toObject()).toJson(QJsonDocument::Compact));
    if (!index)
        return fail(index.error());
    if (index->manifests.size() != sources.size())
        return fail(Error::Kind::Protocol,
                    tr("it names %1 sources but its index lists %n image(s)",
                       nullptr,
                       int(index->manifests.size()))
                        .arg(sources.size()));
    ManifestList list;
    list.target = *target;
    for (qsizetype i = 0; i < sources.size(); ++i) {
        auto entry = entryFrom(sources.at(i), index->manifests.at(i));
        if (!entry)
            return fail(entry.error());
        list.entries.append(*entry);
    }
    return list;
}

} // namespace

QByteArray manifestListToJson(const ManifestList &list)
{
    QJsonArray sources;
    for (const ManifestListEntry &entry : list.entries)
        sources.append(entry.source.toString());
    const QJsonObject index = QJsonDocument::fromJson(list.indexJson()).object();
    const QJsonObject root{{QStringLiteral("target"), list.target.toString()},
                           {QStringLiteral("sources"), sources},
                           {QStringLiteral("index"), index}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<ManifestList> parseManifestList(const QByteArray &json)
{
    if (nestsDeeperThan(json, 16))
        return fail(Error::Kind::Protocol, tr("it nests too deeply"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (document.isNull())
        return fail(Error::Kind::Protocol, tr("it is not JSON (%1)").arg(error.errorString()));
    if (!document.isObject())
        return fail(Error::Kind::Protocol, tr("it is not a JSON object"));
    return listFrom(document.object());
}

ManifestListStore::ManifestListStore(const QString &directory)
    : m_directory(QDir::cleanPath(directory.isEmpty() ? defaultDirectory() : directory))
{}

QString ManifestListStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
           + u"/Berth/manifests";
}

QString ManifestListStore::fileFor(const ImageReference &target) const
{
    return m_directory + u'/' + fileName(target);
}

Result<std::optional<ManifestList>> ManifestListStore::load(const ImageReference &target) const
{
    const QString path = fileFor(target);
    QFile file(path);
    if (!file.exists())
        return std::optional<ManifestList>();
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Kind::Io,
                    tr("Cannot read the manifest list file %1: %2.")
                        .arg(QDir::toNativeSeparators(path), file.errorString()));
    if (file.size() > MaxFileSize)
        return fail(Error::Kind::Io,
                    tr("The manifest list file %1 is too large to be one of Berth's.")
                        .arg(QDir::toNativeSeparators(path)));
    auto list = parseManifestList(file.readAll());
    if (!list)
        return fail(
            Error::Kind::Io,
            tr("The manifest list file %1 is damaged (%2). Remove it with 'berthctl "
               "manifest rm %3' and create the list again.")
                .arg(QDir::toNativeSeparators(path), list.error().message, target.toString()));
    if (list->target != target)
        return fail(
            Error::Kind::Io,
            tr("The manifest list file %1 holds the list of %2, not of %3.")
                .arg(QDir::toNativeSeparators(path), list->target.toString(), target.toString()));
    return std::optional<ManifestList>(std::move(*list));
}

Status ManifestListStore::save(const ManifestList &list) const
{
    const QString path = fileFor(list.target);
    if (!QDir().mkpath(m_directory))
        return fail(Error::Kind::Io,
                    tr("Cannot create the folder %1 for manifest lists.")
                        .arg(QDir::toNativeSeparators(m_directory)));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(manifestListToJson(list)) < 0
        || !file.commit())
        return fail(Error::Kind::Io,
                    tr("Cannot write the manifest list file %1: %2.")
                        .arg(QDir::toNativeSeparators(path), file.errorString()));
    return {};
}

Result<bool> ManifestListStore::remove(const ImageReference &target) const
{
    const QString path = fileFor(target);
    QFile file(path);
    if (!file.exists())
        return false;
    if (!file.remove())
        return fail(Error::Kind::Io,
                    tr("Cannot remove the manifest list file %1: %2.")
                        .arg(QDir::toNativeSeparators(path), file.errorString()));
    return true;
}

} // namespace Berth
