// The fake Hub's account API: login for a JWT and tag deletion, over one repository's tags.
#include "fakehubserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace BerthTest {

namespace {

const QByteArray FakeJwt = "fake-hub-jwt.eyJzdWIiOiJiZXJ0aCJ9.signature";

FakeHubResponse detail(int status, const QString &text)
{
    return FakeHubResponse::json(
        QJsonDocument(QJsonObject{{QStringLiteral("detail"), text}}).toJson(QJsonDocument::Compact),
        status);
}

FakeHubResponse login(const FakeHubRequest &request, const FakeHubServer::HubAccount &account)
{
    if (request.method != "POST")
        return detail(405, QStringLiteral("Method not allowed"));
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    if (body.value(u"username").toString() != account.username
        || body.value(u"password").toString() != account.password)
        return detail(401, QStringLiteral("Incorrect authentication credentials"));
    return FakeHubResponse::json(
        QJsonDocument(QJsonObject{{QStringLiteral("token"), QString::fromLatin1(FakeJwt)}})
            .toJson(QJsonDocument::Compact));
}

QByteArray tagsPage(const QList<std::pair<QString, QString>> &tags)
{
    QJsonArray results;
    for (const auto &[name, digest] : tags)
        results.append(QJsonObject{{QStringLiteral("name"), name},
                                   {QStringLiteral("digest"), digest},
                                   {QStringLiteral("media_type"),
                                    QStringLiteral("application/vnd.oci.image.index.v1+json")},
                                   {QStringLiteral("tag_status"), QStringLiteral("active")},
                                   {QStringLiteral("full_size"), 1234},
                                   {QStringLiteral("images"), QJsonArray()}});
    return QJsonDocument(QJsonObject{{QStringLiteral("count"), qint64(tags.size())},
                                     {QStringLiteral("next"), QJsonValue::Null},
                                     {QStringLiteral("results"), results}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

void FakeHubServer::serveWritableRepository(const QString &namespaceName,
                                            const QString &name,
                                            const QList<std::pair<QString, QString>> &tags,
                                            const HubAccount &account)
{
    auto state = std::make_shared<QList<std::pair<QString, QString>>>(tags);
    m_writableTags = state;
    const QString tagsPath
        = u"/v2/namespaces/" + namespaceName + u"/repositories/" + name + u"/tags";
    route(QStringLiteral("/v2/users/login"),
          [account](const FakeHubRequest &r) { return login(r, account); });
    route(tagsPath,
          [state](const FakeHubRequest &) { return FakeHubResponse::json(tagsPage(*state)); });
    setHandler([state, tagsPath, account](const FakeHubRequest &r) {
        if (!r.path.startsWith(tagsPath + u'/'))
            return FakeHubResponse::notFound();
        if (r.method != "DELETE")
            return detail(405, QStringLiteral("Method not allowed"));
        if (r.header("authorization") != "Bearer " + FakeJwt)
            return detail(401, QStringLiteral("authentication required"));
        if (account.readOnly)
            return detail(403, QStringLiteral("insufficient scope"));
        const QString tag = r.path.mid(tagsPath.size() + 1);
        const auto it = std::find_if(
            state->begin(), state->end(), [&tag](const auto &t) { return t.first == tag; });
        if (it == state->end())
            return detail(404, QStringLiteral("tag not found"));
        state->erase(it);
        return FakeHubResponse::json({}, 204);
    });
}

QStringList FakeHubServer::writableTags() const
{
    QStringList names;
    if (m_writableTags) {
        for (const auto &t : std::as_const(*m_writableTags))
            names.append(t.first);
    }
    return names;
}

} // namespace BerthTest
