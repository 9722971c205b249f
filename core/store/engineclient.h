#pragma once

#include "common/cancel.h"
#include "common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <functional>
#include <memory>

namespace Berth {

class CurlTransfers;

// Where a Docker Engine API is served, and why we think so (shown to the user when it fails).
struct EngineEndpoint
{
    QString socketPath; // "/var/run/docker.sock"
    QString source;     // "DOCKER_HOST", "docker context \"colima\"", "default Docker socket", …

    QString url() const { return QStringLiteral("unix://") + socketPath; }
};

// What GET /version told us about the engine.
struct EngineInfo
{
    enum class Flavour { Docker, Podman };
    Flavour flavour = Flavour::Docker;
    QString version;    // "20.10.24+dfsg1", "4.3.1"
    QString apiVersion; // the compatible API version it serves: "1.41"
    QString os;
    QString architecture;
};

struct EngineRequest
{
    QByteArray method = "GET";
    QString path; // "/images/json"; the API version prefix is added unless unversioned
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body; // a small body (JSON), sent as is
    // A streamed body, called on the worker thread until it returns 0 (end) or -1 (failure). Used
    // for load/import tars that must never sit in memory. bodySize -1 = chunked.
    std::function<qint64(char *data, qint64 maxSize)> bodySource;
    qint64 bodySize = -1;
    // Progress streams (pull, push, load): each newline-terminated line, in order, on the
    // caller's thread. The body is then not collected into EngineResponse::body.
    std::function<void(const QByteArray &line)> onLine;
    // Raw response bodies (save, export): called on the worker thread for each chunk of a 2xx
    // answer; return false to abort (a disk error). The body is then not collected either.
    std::function<bool(const char *data, qint64 size)> sink;
    CancelToken cancel;
    bool versioned = true;
};

struct EngineResponse
{
    int status = 0;
    QByteArray contentType;
    QByteArray body; // empty when onLine or sink consumed it
};

// HTTP over the engine's unix socket with libcurl: QNetworkAccessManager 6.4 cannot reach a unix
// socket. Every request runs on a transfer thread of its own pool (CurlTransfers), so the caller's
// thread never blocks; results and streamed lines come back to the thread that owns this object.
// Destroying the client cancels what is running and waits for it, so no callback outlives it.
class EngineClient final : public QObject
{
    Q_OBJECT

public:
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    explicit EngineClient(EngineEndpoint endpoint, QObject *parent = nullptr);
    ~EngineClient() override;

    const EngineEndpoint &endpoint() const { return m_endpoint; }
    // "/v1.41": Docker 20.10 speaks it natively and Podman's compatible service serves it too.
    static QString apiPrefix() { return QStringLiteral("/v1.41"); }

    // A non-2xx answer is an Error carrying the engine's own `message`; a 2xx is a response even
    // when the stream inside it reported an error (the caller parses those).
    void send(EngineRequest request, Callback<EngineResponse> done);
    // GET /version, unversioned so that an engine too old for 1.41 still says what it is.
    void fetchVersion(Callback<EngineInfo> done);

    // Socket candidates in the order docker itself would try them: DOCKER_HOST alone when it is
    // set (a non-unix DOCKER_HOST is an error: Berth only speaks to local sockets), else the
    // current docker context, /var/run/docker.sock, then Podman's rootless and rootful sockets.
    // Only existing sockets are returned, except DOCKER_HOST and a context, which are explicit.
    static Result<QList<EngineEndpoint>> candidateEndpoints();
    // Parses "unix:///path"; anything else is Unsupported with a message naming the value.
    static Result<QString> socketFromHost(const QString &host);

    // An image or container name as a path segment: "/" and ":" stay (the engine's router expects
    // them), everything else unusual is percent-encoded.
    static QString encodeName(const QString &name);

    // Maps an HTTP status and the engine's answer to an Error (message = the engine's message).
    static Error errorFromResponse(int status, const QByteArray &body);
    // A best guess of the kind of an error reported inside a 200 stream, from its text.
    static Error::Kind kindFromMessage(const QString &message);

private:
    class Exchange;

    EngineEndpoint m_endpoint;
    CurlTransfers *m_transfers = nullptr;
};

} // namespace Berth
