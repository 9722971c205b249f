#pragma once

#include "common/result.h"
#include "network/proxypolicy.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>

namespace Berth {

class EngineClient;

// The proxy a Docker engine pulls and pushes with: the daemon's own settings (its environment or
// daemon.json), as GET /info reports them. The engine masks a proxy's password, so only the route
// is comparable, not the login.
struct EngineProxy
{
    QString httpProxy;  // "HttpProxy"
    QString httpsProxy; // "HttpsProxy"
    QString noProxy;    // "NoProxy"

    // The engine's route for a URL, read as Berth reads the same variables.
    ProxyChoice choose(const QUrl &url) const;
};

// GET /info's answer; an error when it is no JSON object.
Result<EngineProxy> parseEngineProxy(const QByteArray &info);
// Asks the engine (its own thread of work; done on the client's thread).
void fetchEngineProxy(EngineClient &client, std::function<void(Result<EngineProxy>)> done);

// One sentence when the engine reaches the registry by another route than Berth's policy does
// ("direct" against a proxy, or another proxy), empty when both take the same. registryHost is
// the host the registry API is served from ("registry-1.docker.io", "registry.corp:5000").
QString engineRouteDifference(const EngineProxy &engine,
                              const ProxyPolicy &berth,
                              const QString &registryHost);

} // namespace Berth
