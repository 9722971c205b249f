#include "engineproxy.h"

#include "engineclient.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Berth {

namespace {

bool sameRoute(const ProxyChoice &a, const ProxyChoice &b)
{
    if (a.isDirect() || b.isDirect())
        return a.isDirect() == b.isDirect();
    return a.proxy.host().compare(b.proxy.host(), Qt::CaseInsensitive) == 0
           && a.proxy.port() == b.proxy.port();
}

} // namespace

ProxyChoice EngineProxy::choose(const QUrl &url) const
{
    return ProxyPolicy::system({httpProxy, httpsProxy, noProxy}).choose(url);
}

Result<EngineProxy> parseEngineProxy(const QByteArray &info)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(info, &parseError);
    if (!document.isObject())
        return fail(
            Error::Kind::Protocol,
            tr("The engine's /info answer is not a JSON object: %1").arg(parseError.errorString()));
    const QJsonObject object = document.object();
    return EngineProxy{object.value(u"HttpProxy").toString(),
                       object.value(u"HttpsProxy").toString(),
                       object.value(u"NoProxy").toString()};
}

void fetchEngineProxy(EngineClient &client, std::function<void(Result<EngineProxy>)> done)
{
    EngineRequest request;
    request.path = QStringLiteral("/info");
    client.send(std::move(request), [done = std::move(done)](Result<EngineResponse> response) {
        if (!response)
            return done(fail(response.error()));
        done(parseEngineProxy(response->body));
    });
}

QString engineRouteDifference(const EngineProxy &engine,
                              const ProxyPolicy &berth,
                              const QString &registryHost)
{
    // Registries speak https unless marked insecure; the https variables decide for them.
    const QUrl url(QStringLiteral("https://") + registryHost + QStringLiteral("/v2/"));
    const ProxyChoice engineRoute = engine.choose(url);
    const ProxyChoice berthRoute = berth.choose(url);
    if (sameRoute(engineRoute, berthRoute))
        return {};
    // Whole sentences, one per case, for the translators.
    if (engineRoute.isDirect())
        return tr("Note: the engine reaches %1 directly (its own proxy settings), where Berth "
                  "would go through the proxy %2.")
            .arg(registryHost, berthRoute.shown());
    if (berthRoute.isDirect())
        return tr("Note: the engine reaches %1 through the proxy %2 (its own proxy settings), "
                  "where Berth would go directly.")
            .arg(registryHost, engineRoute.shown());
    return tr("Note: the engine reaches %1 through the proxy %2 (its own proxy settings), where "
              "Berth would go through the proxy %3.")
        .arg(registryHost, engineRoute.shown(), berthRoute.shown());
}

} // namespace Berth
