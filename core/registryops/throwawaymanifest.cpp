#include "throwawaymanifest.h"

#include "oci/mediatypes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace Berth {

QByteArray throwAwayManifest(const QString &tag, const QString &nonce)
{
    const QJsonObject config{{QStringLiteral("mediaType"), QLatin1String(EmptyConfigMediaType)},
                             {QStringLiteral("digest"), QLatin1String(EmptyConfigDigest)},
                             {QStringLiteral("size"), 2}};
    const QJsonObject annotations{
        {QString::fromLatin1(UntagAnnotation), QString(tag + u' ' + nonce)}};
    return QJsonDocument(
               QJsonObject{{QStringLiteral("schemaVersion"), 2},
                           {QStringLiteral("mediaType"), QLatin1String(MediaType::OciManifest)},
                           {QStringLiteral("config"), config},
                           {QStringLiteral("layers"), QJsonArray()},
                           {QStringLiteral("annotations"), annotations}})
        .toJson(QJsonDocument::Compact);
}

QString untagNonce()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + u' '
           + QString::number(QRandomGenerator::system()->generate64(), 16);
}

} // namespace Berth
