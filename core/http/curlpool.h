#pragma once

#include "curlexchange.h"

#include <QObject>

#include <functional>
#include <memory>

namespace Berth {

struct CurlPoolOptions
{
    // Connections open at once to one host on HTTP/1.1, where each carries one request at a time:
    // a 300-tag look-up (64 HEADs in flight) takes 300 / 64 round trips, a push of 20 small
    // layers needs 40 (each blob's HEAD and upload session together). Browsers stop at 6;
    // registries serve many more (docker's Go client sets no bound). HTTP/2 hosts take every
    // request on one connection whatever this says.
    int maxHostConnections = 64;
    int maxTotalConnections = 128;
};

// Runs CurlRequests that share one pool of connections, all on one thread of its own through
// libcurl's multi interface: a request goes out on a connection already open to its host
// whenever one is free, HTTP/2 hosts multiplex every request on one connection, and as many
// HTTP/1.1 requests as the options allow are in flight at once. For the many small exchanges of
// a registry command (HEADs, manifests, configs, tokens, upload sessions); a large body that
// wants a core to hash and write it goes to CurlTransfers instead.
class CurlPool final : public QObject
{
    Q_OBJECT

public:
    using Progress = std::function<void(const CurlProgress &)>;
    using Done = std::function<void(CurlOutcome)>;

    explicit CurlPool(QObject *parent = nullptr);
    explicit CurlPool(const CurlPoolOptions &options, QObject *parent = nullptr);
    // Aborts what runs and waits for the pool's thread: no callback runs afterwards.
    ~CurlPool() override;

    // As CurlTransfers::start: progress (at most every 50 ms) and done run on this object's
    // thread, done exactly once unless this object is destroyed (or shut down) first; the request's
    // own callbacks run on the pool's thread, one exchange's after another's, so they must be
    // quick.
    void start(CurlRequest request, CancelToken cancel, Progress progress, Done done);

    // Aborts every exchange and stops the pool's thread.
    void shutdown();

private:
    struct Engine;
    std::shared_ptr<Engine> m_engine;
};

} // namespace Berth
