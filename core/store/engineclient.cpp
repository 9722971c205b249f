#include "engineclient.h"

#include "common/curlglobal.h"
#include "common/logging.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaObject>
#include <QUrl>

#include <curl/curl.h>

#include <atomic>

namespace Berth {

namespace {

// Bodies of error answers are small JSON; anything larger is not worth keeping for a message.
constexpr qsizetype MaxErrorBody = 64 * 1024;
// Lines of a progress stream are short; one without a newline this long is not a stream.
constexpr qsizetype MaxLine = 4 * 1024 * 1024;

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

struct EngineClient::Job
{
    EngineRequest request;
    Callback<EngineResponse> done;
    std::atomic<bool> aborted{false};
    CURL *curl = nullptr;
    QByteArray lineBuffer;
    QByteArray body;
    QByteArray errorBody;
    bool sinkFailed = false;
    bool lineTooLong = false;
    EngineClient *client = nullptr;

    long status() const
    {
        long code = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
        return code;
    }

    void emitLine(QByteArray line)
    {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            return;
        auto onLine = request.onLine;
        QMetaObject::invokeMethod(
            client, [onLine, line = std::move(line)] { onLine(line); }, Qt::QueuedConnection);
    }

    static size_t write(char *data, size_t size, size_t count, void *userData)
    {
        auto *job = static_cast<Job *>(userData);
        const qsizetype n = qsizetype(size * count);
        if (job->aborted.load())
            return 0;
        if (!isSuccess(int(job->status()))) {
            if (job->errorBody.size() < MaxErrorBody)
                job->errorBody.append(data, std::min(n, MaxErrorBody - job->errorBody.size()));
            return n;
        }
        if (job->request.sink) {
            if (!job->request.sink(data, n)) {
                job->sinkFailed = true;
                return 0;
            }
            return n;
        }
        if (job->request.onLine) {
            job->lineBuffer.append(data, n);
            qsizetype start = 0;
            for (;;) {
                const qsizetype nl = job->lineBuffer.indexOf('\n', start);
                if (nl < 0)
                    break;
                job->emitLine(job->lineBuffer.mid(start, nl - start));
                start = nl + 1;
            }
            job->lineBuffer.remove(0, start);
            if (job->lineBuffer.size() > MaxLine) {
                job->lineTooLong = true;
                return 0;
            }
            return n;
        }
        job->body.append(data, n);
        return n;
    }

    static size_t read(char *buffer, size_t size, size_t count, void *userData)
    {
        auto *job = static_cast<Job *>(userData);
        if (job->aborted.load())
            return CURL_READFUNC_ABORT;
        const qint64 n = job->request.bodySource(buffer, qint64(size * count));
        if (n < 0)
            return CURL_READFUNC_ABORT;
        return size_t(n);
    }

    static int progress(void *userData, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
    {
        // The only way to interrupt a transfer that is waiting on the engine (a slow pull).
        return static_cast<Job *>(userData)->aborted.load() ? 1 : 0;
    }
};

EngineClient::EngineClient(EngineEndpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
{
    initCurl();
    // Pulls and pushes hold a connection for minutes: a pool of our own keeps them from starving
    // the global pool that disk work uses.
    m_pool.setMaxThreadCount(8);
}

EngineClient::~EngineClient()
{
    {
        std::lock_guard lock(m_jobsMutex);
        for (const auto &weak : m_jobs) {
            if (const auto job = weak.lock())
                job->aborted = true;
        }
    }
    m_pool.waitForDone();
}

void EngineClient::send(EngineRequest request, Callback<EngineResponse> done)
{
    auto job = std::make_shared<Job>();
    job->request = std::move(request);
    job->done = std::move(done);
    job->client = this;
    {
        std::lock_guard lock(m_jobsMutex);
        std::erase_if(m_jobs, [](const std::weak_ptr<Job> &j) { return j.expired(); });
        m_jobs.push_back(job);
    }
    std::weak_ptr<Job> weak = job;
    job->request.cancel.onCancel([weak] {
        if (const auto j = weak.lock())
            j->aborted = true;
    });
    m_pool.start([this, job] { run(job); });
}

void EngineClient::run(const std::shared_ptr<Job> &job)
{
    const EngineRequest &request = job->request;
    Result<EngineResponse> result;
    if (job->aborted) {
        result = fail(Error::Kind::Cancelled, tr("Cancelled."));
    } else {
        CURL *curl = curl_easy_init();
        job->curl = curl;
        QByteArray url = "http://localhost"
                         + (request.versioned ? apiPrefix().toUtf8() : QByteArray())
                         + request.path.toUtf8();
        const QByteArray query = encodeQuery(request.query);
        if (!query.isEmpty())
            url += '?' + query;
        const QByteArray socket = QFile::encodeName(m_endpoint.socketPath);
        char errorBuffer[CURL_ERROR_SIZE] = {};

        curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, socket.constData());
        curl_easy_setopt(curl, CURLOPT_URL, url.constData());
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
        curl_easy_setopt(curl, CURLOPT_PROXY, "");
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Job::write);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, job.get());
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Job::progress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, job.get());

        curl_slist *headers = nullptr;
        for (const auto &[name, value] : request.headers)
            headers = curl_slist_append(headers, QByteArray(name + ": " + value).constData());
        // curl would otherwise wait a second for a "100 Continue" the engine never sends.
        headers = curl_slist_append(headers, "Expect:");

        if (request.bodySource) {
            curl_easy_setopt(curl, CURLOPT_POST, 1L);
            curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Job::read);
            curl_easy_setopt(curl, CURLOPT_READDATA, job.get());
            if (request.bodySize >= 0)
                curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.bodySize));
            else
                headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
        } else if (request.method == "POST" || !request.body.isEmpty()) {
            curl_easy_setopt(curl, CURLOPT_POST, 1L);
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.constData());
        }
        if (request.method != "GET" && request.method != "POST")
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.constData());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

        qCDebug(lcStore) << "engine" << request.method << url;
        const CURLcode rc = curl_easy_perform(curl);
        const int status = int(job->status());
        char *contentType = nullptr;
        curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &contentType);
        const QByteArray type = contentType ? QByteArray(contentType) : QByteArray();
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
        job->curl = nullptr;

        if (!job->lineBuffer.isEmpty() && rc == CURLE_OK && request.onLine)
            job->emitLine(std::exchange(job->lineBuffer, {}));

        if (job->aborted) {
            result = fail(Error::Kind::Cancelled, tr("Cancelled."));
        } else if (job->sinkFailed) {
            result = fail(Error::Kind::Io, tr("Could not write what the engine sent."));
        } else if (job->lineTooLong) {
            result = fail(Error::Kind::Protocol,
                          tr("The engine at %1 sent a progress line too long to be one.")
                              .arg(m_endpoint.url()));
        } else if (rc != CURLE_OK) {
            const QString detail = errorBuffer[0] ? QString::fromUtf8(errorBuffer)
                                                  : QString::fromUtf8(curl_easy_strerror(rc));
            Error error = Error::make(
                Error::Kind::Network,
                tr("Cannot talk to the container engine at %1: %2").arg(m_endpoint.url(), detail));
            result = fail(std::move(error));
        } else if (!isSuccess(status)) {
            result = fail(errorFromResponse(status, job->errorBody));
        } else {
            EngineResponse response;
            response.status = status;
            response.contentType = type;
            response.body = std::move(job->body);
            result = std::move(response);
        }
    }
    // The callback runs on the caller's thread; queued after every line of the stream, so it
    // comes last.
    auto done = std::move(job->done);
    QMetaObject::invokeMethod(
        this,
        [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
        Qt::QueuedConnection);
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
    Error::Kind kind = Error::Kind::Server;
    switch (status) {
    case 400:
        kind = Error::Kind::InvalidArgument;
        break;
    case 401:
        kind = Error::Kind::Unauthorized;
        break;
    case 403:
        kind = Error::Kind::Denied;
        break;
    case 404:
        kind = Error::Kind::NotFound;
        break;
    // "conflict: unable to remove repository reference … (must force)": refused as things are.
    case 409:
        kind = Error::Kind::Denied;
        break;
    default:
        // Docker answers 500 for registry failures during a pull or push; its text tells which.
        kind = status >= 500 && !message.isEmpty() ? kindFromMessage(message) : Error::Kind::Server;
        break;
    }
    Error error
        = Error::make(kind,
                      message.isEmpty() ? tr("The container engine answered HTTP %1.").arg(status)
                                        : tr("The container engine refused: %1").arg(message));
    error.httpStatus = status;
    return error;
}

} // namespace Berth
