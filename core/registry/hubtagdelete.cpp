// Docker Hub's account API: a JWT from the login endpoint, then DELETE of one tag. Separate from
// hubclient.cpp's reading calls: these write, carry the account's token and are never retried.
#include "hubclient.h"

#include "common/logging.h"
#include "reference/imagereference.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace Berth {

namespace {

constexpr int AccountCallTimeoutMs = 30000;
constexpr qint64 MaxAccountAnswer = 64 * 1024;

// Callbacks never run inside the call that started them, errors included (as in hubclient.cpp).
template<typename T>
void failSoon(QObject *context, HubClient::Callback<T> done, Error error)
{
    QTimer::singleShot(0, context, [done = std::move(done), error = std::move(error)] {
        done(std::unexpected(error));
    });
}

} // namespace

struct HubClient::AccountCall
{
    QByteArray verb;
    QUrl url;
    QByteArray body;          // JSON, for POST
    QByteArray authorization; // "Bearer <jwt>", or empty
    Callback<QByteArray> done;
};

void HubClient::sendAccountCall(std::shared_ptr<AccountCall> call)
{
    if (!m_network) {
        failSoon(this,
                 std::move(call->done),
                 Error::make(Error::Kind::Network, Berth::tr("no network access for Docker Hub")));
        return;
    }
    QNetworkRequest request(call->url);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("Berth/" BERTH_VERSION));
    request.setTransferTimeout(AccountCallTimeoutMs);
    // The token must never follow a redirect to another host.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    if (!call->body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!call->authorization.isEmpty())
        request.setRawHeader("Authorization", call->authorization);
    qCInfo(lcHub) << call->verb << call->url.path();
    QNetworkReply *reply = m_network->sendCustomRequest(request, call->verb, call->body);
    m_replies.insert(reply);
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] {
        m_replies.remove(reply);
        reply->deleteLater();
        accountCallAnswered(call, reply);
    });
}

void HubClient::accountCallAnswered(std::shared_ptr<AccountCall> call, QNetworkReply *reply)
{
    recordRateLimit(reply);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return call->done(fail(transportError(call->url, reply)));
    const QByteArray body = reply->read(MaxAccountAnswer);
    if (status >= 200 && status < 300)
        return call->done(body);
    call->done(fail(refusal(call->url, status, body)));
}

void HubClient::login(const Credential &credential, Callback<QByteArray> done)
{
    if (credential.isEmpty() || credential.identityToken) {
        failSoon(this,
                 std::move(done),
                 Error::make(
                     Error::Kind::Unauthorized,
                     Berth::tr("Deleting on Docker Hub needs a Docker Hub login with a user name "
                               "and a password or personal access token; log in to docker.io "
                               "first.")));
        return;
    }
    auto call = std::make_shared<AccountCall>();
    call->verb = "POST";
    call->url = endpoint(QStringLiteral("/v2/users/login"));
    call->body = QJsonDocument(QJsonObject{{QStringLiteral("username"), credential.username},
                                           {QStringLiteral("password"), credential.secret}})
                     .toJson(QJsonDocument::Compact);
    const QString user = credential.username;
    call->done = [this, user, done](Result<QByteArray> body) {
        if (!body) {
            Error e = body.error();
            if (e.httpStatus == 401 || e.httpStatus == 403) {
                e.kind = Error::Kind::Unauthorized;
                e.message = Berth::tr("Docker Hub refused the login of '%1'. Check the password or "
                                      "personal access token kept for docker.io.")
                                .arg(user);
            }
            return done(fail(std::move(e)));
        }
        const QString token = QJsonDocument::fromJson(*body).object().value(u"token").toString();
        if (token.isEmpty())
            return done(
                fail(Error::Kind::Protocol,
                     Berth::tr("Docker Hub's login answer for '%1' carried no token.").arg(user)));
        m_accountUser = user;
        m_accountToken = token.toUtf8();
        done(m_accountToken);
    };
    sendAccountCall(std::move(call));
}

void HubClient::deleteTag(const QString &namespaceName,
                          const QString &name,
                          const QString &tag,
                          const Credential &credential,
                          Callback<void> done)
{
    if (!ImageReference::isValidTag(tag) || namespaceName.contains(u'/') || name.isEmpty()) {
        failSoon(this,
                 std::move(done),
                 Error::make(Error::Kind::InvalidArgument,
                             Berth::tr("'%1:%2' is not a Docker Hub tag that can be deleted.")
                                 .arg(namespaceName + u'/' + name, tag)));
        return;
    }
    const QString path
        = u"/v2/namespaces/" + namespaceName + u"/repositories/" + name + u"/tags/" + tag;
    const bool haveToken = m_accountUser == credential.username && !m_accountToken.isEmpty();
    if (haveToken)
        return deleteTagWithToken(path, tag, credential, false, std::move(done));
    login(credential, [this, path, tag, credential, done](Result<QByteArray> token) {
        if (!token)
            return done(fail(token.error()));
        deleteTagWithToken(path, tag, credential, true, done);
    });
}

void HubClient::deleteTagWithToken(const QString &path,
                                   const QString &tag,
                                   const Credential &credential,
                                   bool freshToken,
                                   Callback<void> done)
{
    auto call = std::make_shared<AccountCall>();
    call->verb = "DELETE";
    call->url = endpoint(path);
    call->authorization = "Bearer " + m_accountToken;
    call->done = [this, path, tag, credential, freshToken, done](Result<QByteArray> answer) {
        if (answer)
            return done({});
        Error e = answer.error();
        if (e.httpStatus == 401 && !freshToken) {
            // The kept JWT expired: one new login, then the same DELETE.
            m_accountToken.clear();
            return login(credential, [this, path, tag, credential, done](Result<QByteArray> t) {
                if (!t)
                    return done(fail(t.error()));
                deleteTagWithToken(path, tag, credential, true, done);
            });
        }
        if (e.httpStatus == 401 || e.httpStatus == 403) {
            e.kind = Error::Kind::Denied;
            e.message
                = Berth::tr("Docker Hub does not let '%1' delete the tag '%2'. Log in to docker.io "
                            "with an account that may delete tags of this repository (a personal "
                            "access token needs the delete permission).")
                      .arg(credential.username, tag);
        } else if (e.httpStatus == 404) {
            e.kind = Error::Kind::NotFound;
            e.message = Berth::tr("Docker Hub has no tag '%1' to delete.").arg(tag);
        }
        done(fail(std::move(e)));
    };
    sendAccountCall(std::move(call));
}

} // namespace Berth
