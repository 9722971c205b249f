#include "engineclient.h"

#include "common/logging.h"
#include "http/curltransfers.h"
#include "http/httpstatus.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaObject>
#include <QUrl>

#include <limits>

namespace Berth {

namespace {

// Lines of a progress stream are short; one without a newline this long is not a stream.
constexpr qsizetype MaxLine = 4 * 1024 * 1024;
constexpr int ConnectTimeoutMs = 10000;

// The Engine API answers 400, 401, 403, 404, 409 and 500: another status is the engine failing.
constexpr HttpStatusKind EngineReading[] = {
    // "conflict: unable to remove repository reference … (must force)": refused as things are.
    {409, Error::Kind::Denied},
    {405, Error::Kind::Server},
    {410, Error::Kind::Server},
    {422, Error::Kind::Server},
    {429, Error::Kind::Server},
};

bool isSuccess(int status)
{
    return (status >= 200 && status < 300) || status == 304;
}

QByteArray encodeQuery(const QUrlQuery &query)
{
    QByteArray out;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

QString homeDockerConfigDir()
{
    const QString fromEnv = qEnvironmentVariable("DOCKER_CONFIG");
    return fromEnv.isEmpty() ? QDir::homePath() + QStringLiteral("/.docker") : fromEnv;
}

QJsonObject readJsonObject(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.read(4 * 1024 * 1024)).object();
}

} // namespace

// One request to the engine: the curl exchange it becomes, what its answer streams into on the
// transfer thread (a sink, or progress lines posted to the client's thread), and the response or
// error it comes to.
class EngineClient::Exchange
{
public:
    Exchange(EngineClient *client, EngineRequest request)
        : m_client(client)
        , m_request(std::move(request))
        , m_url(requestUrl())
    {}

    const CancelToken &cancel() const { return m_request.cancel; }

    CurlRequest curlRequest(const std::shared_ptr<Exchange> &self) const
    {
        CurlRequest c;
        c.url = QUrl::fromEncoded(m_url);
        c.unixSocket = QFile::encodeName(m_client->m_endpoint.socketPath);
        c.verb = m_request.method;
        for (const auto &[name, value] : m_request.headers)
            c.headers.append({name, value});
        c.connectTimeoutMs = ConnectTimeoutMs;
        // Lists and inspections are the engine's to size; only an error's body is bounded.
        c.maxBufferedBody = std::numeric_limits<qint64>::max();
        if (m_request.bodySource) {
            c.readBody = m_request.bodySource; // its failure is the caller's to tell
            c.bodySize = m_request.bodySize;
        } else {
            c.postFields = m_request.body;
        }
        if (m_request.sink || m_request.onLine)
            c.onData = [self](QByteArrayView data) {
                return self->consume(data);
            };
        qCDebug(lcStore) << "engine" << m_request.method << m_url;
        return c;
    }

    // On the client's thread, after every line the stream posted.
    Result<EngineResponse> conclude(CurlOutcome outcome)
    {
        if (m_request.cancel.isCancelled())
            return fail(Error::Kind::Cancelled, tr("Cancelled."));
        if (outcome.abortError)
            return fail(std::move(*outcome.abortError));
        if (outcome.error != QNetworkReply::NoError)
            return fail(Error::Kind::Network,
                        tr("Cannot talk to the container engine at %1: %2")
                            .arg(m_client->m_endpoint.url(), outcome.errorString));
        if (m_request.onLine && !m_lineBuffer.isEmpty())
            emitLine(std::exchange(m_lineBuffer, {}), Qt::DirectConnection);
        const int status = outcome.head.status;
        if (!isSuccess(status))
            return fail(errorFromResponse(status, outcome.body));
        EngineResponse response;
        response.status = status;
        response.contentType = outcome.head.header("Content-Type");
        response.body = std::move(outcome.body);
        return response;
    }

private:
    QByteArray requestUrl() const
    {
        QByteArray url = "http://localhost"
                         + (m_request.versioned ? apiPrefix().toUtf8() : QByteArray())
                         + m_request.path.toUtf8();
        const QByteArray query = encodeQuery(m_request.query);
        if (!query.isEmpty())
            url += '?' + query;
        return url;
    }

    // On the transfer thread, for a 2xx answer: a raw body into the sink, a progress stream line
    // by line to the client's thread.
    Status consume(QByteArrayView data)
    {
        if (m_request.sink) {
            if (!m_request.sink(data.data(), data.size()))
                return fail(Error::Kind::Io, tr("Could not write what the engine sent."));
            return {};
        }
        m_lineBuffer.append(data);
        qsizetype start = 0;
        for (qsizetype nl; (nl = m_lineBuffer.indexOf('\n', start)) >= 0; start = nl + 1)
            emitLine(m_lineBuffer.mid(start, nl - start), Qt::QueuedConnection);
        m_lineBuffer.remove(0, start);
        if (m_lineBuffer.size() > MaxLine)
            return fail(Error::Kind::Protocol,
                        tr("The engine at %1 sent a progress line too long to be one.")
                            .arg(m_client->m_endpoint.url()));
        return {};
    }

    void emitLine(QByteArray line, Qt::ConnectionType type) const
    {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            return;
        QMetaObject::invokeMethod(
            m_client, [onLine = m_request.onLine, line = std::move(line)] { onLine(line); }, type);
    }

    EngineClient *m_client;
    EngineRequest m_request;
    QByteArray m_url;
    QByteArray m_lineBuffer; // the transfer thread's, then the client's once the answer is in
};

EngineClient::EngineClient(EngineEndpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    // Pulls and pushes hold a connection for minutes: a pool of their own keeps them from
    // starving the global pool that disk work uses. A streamed body cannot be resent, so no
    // connection is kept for another request.
    , m_transfers(
          new CurlTransfers({.maxThreads = 8, .idleHandles = 0, .lowerPriority = false}, this))
{}

EngineClient::~EngineClient()
{
    // Lines and answers stop before the client is gone.
    m_transfers->shutdown();
}

void EngineClient::send(EngineRequest request, Callback<EngineResponse> done)
{
    auto exchange = std::make_shared<Exchange>(this, std::move(request));
    // The callback runs on the caller's thread; queued after every line of the stream, so it
    // comes last.
    m_transfers->start(exchange->curlRequest(exchange),
                       exchange->cancel(),
                       {},
                       [exchange, done = std::move(done)](CurlOutcome outcome) {
                           done(exchange->conclude(std::move(outcome)));
                       });
}

void EngineClient::fetchVersion(Callback<EngineInfo> done)
{
    EngineRequest request;
    request.path = QStringLiteral("/version");
    request.versioned = false;
    const QString url = m_endpoint.url();
    send(std::move(request), [done = std::move(done), url](Result<EngineResponse> r) {
        if (!r)
            return done(fail(r.error()));
        const QJsonObject root = QJsonDocument::fromJson(r->body).object();
        if (root.isEmpty())
            return done(fail(Error::Kind::Protocol,
                             tr("%1 does not answer like a Docker Engine API.").arg(url)));
        EngineInfo info;
        info.version = root.value(u"Version").toString();
        info.apiVersion = root.value(u"ApiVersion").toString();
        info.os = root.value(u"Os").toString();
        info.architecture = root.value(u"Arch").toString();
        const QJsonArray components = root.value(u"Components").toArray();
        for (const QJsonValue &c : components) {
            if (c.toObject().value(u"Name").toString().contains(u"Podman", Qt::CaseInsensitive))
                info.flavour = EngineInfo::Flavour::Podman;
        }
        if (root.value(u"Platform")
                .toObject()
                .value(u"Name")
                .toString()
                .contains(u"Podman", Qt::CaseInsensitive))
            info.flavour = EngineInfo::Flavour::Podman;
        done(info);
    });
}

Result<QString> EngineClient::socketFromHost(const QString &host)
{
    const QString scheme = QStringLiteral("unix://");
    if (!host.startsWith(scheme) || host.size() <= scheme.size())
        return fail(Error::Kind::Unsupported,
                    tr("The engine address %1 is not a unix socket (unix:///path): Berth talks "
                       "only to a local Docker or Podman engine.")
                        .arg(host));
    return host.mid(scheme.size());
}

Result<QList<EngineEndpoint>> EngineClient::candidateEndpoints()
{
    const QString dockerHost = qEnvironmentVariable("DOCKER_HOST");
    if (!dockerHost.isEmpty()) {
        auto path = socketFromHost(dockerHost);
        if (!path)
            return fail(path.error());
        return QList<EngineEndpoint>{{*path, QStringLiteral("DOCKER_HOST")}};
    }

    const QString configDir = homeDockerConfigDir();
    QString context = qEnvironmentVariable("DOCKER_CONTEXT");
    if (context.isEmpty())
        context = readJsonObject(configDir + QStringLiteral("/config.json"))
                      .value(u"currentContext")
                      .toString();
    if (!context.isEmpty() && context != u"default") {
        // The directory name is a hash of the context name; reading Name is simpler than
        // reproducing it and also survives a hand-made context.
        QDirIterator it(configDir + QStringLiteral("/contexts/meta"),
                        {QStringLiteral("meta.json")},
                        QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QJsonObject meta = readJsonObject(it.next());
            if (meta.value(u"Name").toString() != context)
                continue;
            const QString host = meta.value(u"Endpoints")
                                     .toObject()
                                     .value(u"docker")
                                     .toObject()
                                     .value(u"Host")
                                     .toString();
            auto path = socketFromHost(host);
            if (!path)
                return fail(path.error());
            return QList<EngineEndpoint>{{*path, tr("docker context \"%1\"").arg(context)}};
        }
        return fail(
            Error::Kind::NotFound,
            tr("The current docker context \"%1\" is not defined in %2.").arg(context, configDir));
    }

    QList<EngineEndpoint> candidates;
    auto addIfSocket = [&candidates](const QString &path, const QString &source) {
        if (QFileInfo(path).exists())
            candidates.append({path, source});
    };
    addIfSocket(QStringLiteral("/var/run/docker.sock"), tr("default Docker socket"));
    const QString runtimeDir = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtimeDir.isEmpty())
        addIfSocket(runtimeDir + QStringLiteral("/podman/podman.sock"), tr("Podman user socket"));
    addIfSocket(QStringLiteral("/run/podman/podman.sock"), tr("Podman system socket"));
    return candidates;
}

QString EngineClient::encodeName(const QString &name)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(name, "/:@"));
}

Error::Kind EngineClient::kindFromMessage(const QString &message)
{
    const QString m = message.toLower();
    // "image is in use by a container", "(must force)": refused as things are, not broken.
    if (m.contains(u"in use") || m.contains(u"must force") || m.contains(u"conflict:")
        || m.contains(u"being used"))
        return Error::Kind::Denied;
    if (m.contains(u"unauthorized") || m.contains(u"authentication required")
        || m.contains(u"no basic auth credentials"))
        return Error::Kind::Unauthorized;
    if (m.contains(u"denied") || m.contains(u"forbidden"))
        return Error::Kind::Denied;
    // Before "no such": "no such host" is a network failure, not a missing image.
    if (m.contains(u"connection refused") || m.contains(u"no such host")
        || m.contains(u"i/o timeout"))
        return Error::Kind::Network;
    if (m.contains(u"not found") || m.contains(u"manifest unknown") || m.contains(u"no such")
        || m.contains(u"does not exist"))
        return Error::Kind::NotFound;
    if (m.contains(u"toomanyrequests"))
        return Error::Kind::RateLimited;
    if (m.contains(u"x509") || m.contains(u"certificate") || m.contains(u"http response to https"))
        return Error::Kind::Tls;
    return Error::Kind::Server;
}

Error EngineClient::errorFromResponse(int status, const QByteArray &body)
{
    QString message = QJsonDocument::fromJson(body).object().value(u"message").toString();
    if (message.isEmpty())
        message = QString::fromUtf8(body).trimmed().left(500);
    // Docker answers 500 for registry failures during a pull or push; its text tells which.
    const Error::Kind kind
        = status >= 500 && !message.isEmpty()
              ? kindFromMessage(message)
              : errorKindForHttpStatus(status, EngineReading, Error::Kind::Server);
    Error error
        = Error::make(kind,
                      message.isEmpty() ? tr("The container engine answered HTTP %1.").arg(status)
                                        : tr("The container engine refused: %1").arg(message));
    error.httpStatus = status;
    return error;
}

} // namespace Berth
