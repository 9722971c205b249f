#include "jsonoutput.h"

namespace Berth::Cli {

namespace {

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonObject toJson(const Descriptor &d)
{
    QJsonObject o{{QStringLiteral("mediaType"), d.mediaType},
                  {QStringLiteral("digest"), d.digest.toString()},
                  {QStringLiteral("size"), d.size}};
    if (d.platform)
        o.insert(QStringLiteral("platform"), d.platform->toString());
    return o;
}

QJsonObject toJson(const InspectedImage &image)
{
    QJsonArray layers;
    for (const Descriptor &d : image.manifest.layers)
        layers.append(toJson(d));
    QJsonArray history;
    for (const HistoryEntry &h : image.config.history) {
        QJsonObject entry{{QStringLiteral("created"), iso(h.created)},
                          {QStringLiteral("createdBy"), h.createdBy},
                          {QStringLiteral("emptyLayer"), h.emptyLayer}};
        if (!h.comment.isEmpty())
            entry.insert(QStringLiteral("comment"), h.comment);
        history.append(entry);
    }
    QJsonObject labels;
    for (auto it = image.config.labels.cbegin(); it != image.config.labels.cend(); ++it)
        labels.insert(it.key(), it.value());
    const ImageConfig &c = image.config;
    return QJsonObject{
        {QStringLiteral("platform"), image.platform.toString()},
        {QStringLiteral("manifestDigest"), image.manifestDigest.toString()},
        {QStringLiteral("manifestMediaType"), image.manifestMediaType},
        {QStringLiteral("configDigest"), image.configDigest.toString()},
        {QStringLiteral("size"), image.manifest.layersSize()},
        {QStringLiteral("created"), iso(c.created)},
        {QStringLiteral("config"),
         QJsonObject{{QStringLiteral("user"), c.user},
                     {QStringLiteral("workingDir"), c.workingDir},
                     {QStringLiteral("env"), toArray(c.env)},
                     {QStringLiteral("entrypoint"), toArray(c.entrypoint)},
                     {QStringLiteral("cmd"), toArray(c.cmd)},
                     {QStringLiteral("exposedPorts"), toArray(c.exposedPorts)},
                     {QStringLiteral("volumes"), toArray(c.volumes)},
                     {QStringLiteral("labels"), labels}}},
        {QStringLiteral("layers"), layers},
        {QStringLiteral("history"), history},
        {QStringLiteral("dockerfile"), toArray(c.reconstructedDockerfile())},
    };
}

// null when the Hub gave no usable count.
QJsonValue countJson(qint64 count)
{
    return count < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(count);
}

} // namespace

QString badgeName(HubBadge badge)
{
    switch (badge) {
    case HubBadge::Official:
        return QStringLiteral("official");
    case HubBadge::VerifiedPublisher:
        return QStringLiteral("verified_publisher");
    case HubBadge::OpenSource:
        return QStringLiteral("open_source");
    case HubBadge::None:
        break;
    }
    return QStringLiteral("none");
}

QJsonObject toJson(const HubRepositorySummary &r)
{
    return QJsonObject{{QStringLiteral("name"), r.name},
                       {QStringLiteral("namespace"), r.namespaceName},
                       {QStringLiteral("repository"), r.repositoryName},
                       {QStringLiteral("publisher"), r.publisher},
                       {QStringLiteral("description"), r.shortDescription},
                       {QStringLiteral("badge"), badgeName(r.badge)},
                       {QStringLiteral("official"), r.badge == HubBadge::Official},
                       {QStringLiteral("stars"), countJson(r.starCount)},
                       {QStringLiteral("pulls"), countJson(r.pullCount)},
                       {QStringLiteral("architectures"), toArray(r.architectures)},
                       {QStringLiteral("updated"), iso(r.updated)},
                       {QStringLiteral("logo"), r.logoSmall.toString()}};
}

QJsonObject toJson(const TagGroup &g)
{
    QStringList platforms;
    for (const Platform &p : g.platforms())
        platforms.append(p.toString());
    QJsonObject o{{QStringLiteral("digest"), g.digest.toString()},
                  {QStringLiteral("mediaType"), g.mediaType},
                  {QStringLiteral("tags"), toArray(g.tags)},
                  {QStringLiteral("platforms"), toArray(platforms)},
                  {QStringLiteral("size"), g.size},
                  {QStringLiteral("lastPushed"), iso(g.lastPushed)}};
    if (g.digestUnknown) // tags past the cap of digest look-ups
        o.insert(QStringLiteral("digestUnknown"), true);
    return o;
}

QJsonObject toJson(const InspectResult &r)
{
    QJsonArray index;
    for (const Descriptor &d : r.index)
        index.append(toJson(d));
    QJsonArray images;
    for (const InspectedImage &image : r.images)
        images.append(toJson(image));
    QJsonObject o{{QStringLiteral("reference"), r.reference.toString()},
                  {QStringLiteral("digest"), r.digest.toString()},
                  {QStringLiteral("mediaType"), r.mediaType},
                  {QStringLiteral("images"), images}};
    if (!index.isEmpty())
        o.insert(QStringLiteral("manifests"), index);
    return o;
}

QString iso(const QDateTime &when)
{
    return when.isValid() ? when.toUTC().toString(Qt::ISODate) : QString();
}

} // namespace Berth::Cli
