#include "registryclient.h"

#include "common/logging.h"
#include "common/sha256.h"
#include "oci/mediatypes.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>
#include <QUrlQuery>

#include <atomic>

namespace Berth {

namespace {

constexpr int MaxListPages = 10000;

QString repoPath(const ImageReference &repository)
{
    return u"/v2/" + repository.path();
}

QString describeManifest(const ImageReference &ref)
{
    return ref.hasDigest() ? tr("manifest %1 of %2").arg(ref.digest().toString(), ref.repository())
                           : tr("tag '%1' of %2").arg(ref.tag(), ref.repository());
}

QString describeBlob(const ImageReference &repository, const Digest &digest)
{
    return tr("blob %1 of %2").arg(digest.toString(), repository.repository());
}

Error digestMismatch(const QString &what, const QString &expected, const QString &actual)
{
    return Error::make(Error::Kind::DigestMismatch,
                       tr("The content of %1 does not match its digest: expected %2, got %3. "
                          "Nothing was kept.")
                           .arg(what, expected, actual));
}

// Link: <url>; rel="next"
QString nextLink(const QByteArray &header)
{
    static const QRegularExpression re(QStringLiteral(R"(<([^>]*)>\s*;\s*rel="?next"?)"));
    const auto m = re.match(QString::fromLatin1(header));
    return m.hasMatch() ? m.captured(1) : QString();
}

QUrl withQueryItem(QUrl url, const QString &key, const QString &value)
{
    QUrlQuery query(url);
    query.addQueryItem(key, value);
    url.setQuery(query);
    return url;
}

} // namespace

QString pullScope(const ImageReference &repository)
{
    return u"repository:" + repository.path() + u":pull";
}

QString pushScope(const ImageReference &repository)
{
    return u"repository:" + repository.path() + u":pull,push";
}

RegistryClient::RegistryClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_transport(new RegistryTransport(network, this))
{}

void RegistryClient::ping(const QString &registry, Callback<PingResult> done)
{
    RegistryRequest r;
    r.registry = registry;
    r.path = QStringLiteral("/v2/");
    r.authenticate = false;
    r.what = tr("the registry API");
    m_transport->send(std::move(r), [this, registry, done](Result<RegistryResponse> response) {
        PingResult ping;
        ping.endpoint = m_transport->endpoint(registry);
        if (!response) {
            if (response.error().httpStatus != 401)
                return done(fail(response.error()));
            ping.authRequired = true;
            ping.challenge = m_transport->challenge(registry);
            return done(ping);
        }
        ping.apiVersion = QString::fromLatin1(response->header("Docker-Distribution-API-Version"));
        done(ping);
    });
}

void RegistryClient::verifyLogin(const QString &registry,
                                 const Credential &credential,
                                 Callback<void> done)
{
    // A transport of its own, so the credentials under test never serve other requests.
    auto *probe = new RegistryTransport(m_network, this);
    probe->setInsecureRegistries(m_transport->insecureRegistries());
    probe->setOptions(m_transport->options());
    probe->setCredentialOverride(registry, credential);
    RegistryRequest r;
    r.registry = registry;
    r.path = QStringLiteral("/v2/");
    r.what = tr("the registry API");
    probe->send(std::move(r), [probe, registry, done](Result<RegistryResponse> response) {
        probe->deleteLater();
        if (response)
            return done({});
        Error e = response.error();
        if (e.kind == Error::Kind::Unauthorized || e.kind == Error::Kind::Denied) {
            e.kind = Error::Kind::Unauthorized;
            e.message = tr("%1 refused the user name or password. Check them, or use an access "
                           "token if the account requires one.")
                            .arg(registry);
        }
        done(fail(std::move(e)));
    });
}

void RegistryClient::fetchManifestAt(const ImageReference &reference,
                                     int attempts,
                                     Callback<ManifestResponse> done)
{
    RegistryRequest r;
    r.registry = reference.domain();
    r.maxAttempts = attempts;
    r.path = repoPath(reference) + u"/manifests/" + reference.reference();
    r.headers.append({"Accept", MediaType::manifestAcceptHeader()});
    r.scopes = {pullScope(reference)};
    r.what = describeManifest(reference);
    r.maxBodySize = MaxManifestSize;
    m_transport->send(std::move(r), [reference, done](Result<RegistryResponse> response) {
        if (!response)
            return done(fail(response.error()));
        ManifestResponse m;
        m.body = response->body;
        m.size = m.body.size();
        const QString actual = Sha256::digestOf(m.body);
        const QString what = describeManifest(reference);
        if (reference.hasDigest() && reference.digest().algorithm() != u"sha256")
            return done(fail(Error::Kind::Unsupported,
                             tr("Only sha256 digests can be verified; %1 cannot.")
                                 .arg(reference.digest().toString())));
        if (reference.hasDigest() && actual != reference.digest().toString())
            return done(fail(digestMismatch(what, reference.digest().toString(), actual)));
        const QString announced = QString::fromLatin1(response->header("Docker-Content-Digest"));
        if (announced.startsWith(u"sha256:") && announced != actual)
            return done(fail(digestMismatch(what, announced, actual)));
        m.digest = *Digest::parse(actual);
        m.mediaType = detectManifestMediaType(
            m.body, QString::fromLatin1(response->header("Content-Type")));
        if (m.mediaType == QLatin1String(MediaType::DockerManifestV1)
            || m.mediaType == QLatin1String(MediaType::DockerManifestV1Signed))
            return done(
                fail(Error::Kind::Unsupported,
                     tr("%1 is a Docker schema 1 manifest, which is deprecated and not supported.")
                         .arg(what)));
        done(std::move(m));
    });
}

void RegistryClient::headManifestAt(const ImageReference &reference,
                                    int attempts,
                                    Callback<ManifestResponse> done)
{
    RegistryRequest r;
    r.registry = reference.domain();
    r.maxAttempts = attempts;
    r.verb = "HEAD";
    r.path = repoPath(reference) + u"/manifests/" + reference.reference();
    r.headers.append({"Accept", MediaType::manifestAcceptHeader()});
    r.scopes = {pullScope(reference)};
    r.what = describeManifest(reference);
    m_transport->send(
        std::move(r), [this, reference, attempts, done](Result<RegistryResponse> response) {
            if (!response)
                return done(fail(response.error()));
            const auto digest
                = Digest::parse(QString::fromLatin1(response->header("Docker-Content-Digest")));
            if (!digest) // Some registries omit it on HEAD: the body tells.
                return fetchManifestAt(reference, attempts, done);
            ManifestResponse m;
            m.digest = *digest;
            m.mediaType = QString::fromLatin1(response->header("Content-Type"))
                              .section(u';', 0, 0)
                              .trimmed();
            m.size = response->header("Content-Length").toLongLong();
            done(std::move(m));
        });
}

void RegistryClient::putManifestAt(const ImageReference &reference,
                                   const QString &mediaType,
                                   const QByteArray &body,
                                   Callback<Digest> done)
{
    RegistryRequest r;
    r.registry = reference.domain();
    r.verb = "PUT";
    r.path = repoPath(reference) + u"/manifests/" + reference.reference();
    r.headers.append({"Content-Type", mediaType.toUtf8()});
    r.body = body;
    r.scopes = {pushScope(reference)};
    r.what = describeManifest(reference);
    const QString actual = Sha256::digestOf(body);
    m_transport->send(std::move(r), [reference, actual, done](Result<RegistryResponse> response) {
        if (!response)
            return done(fail(response.error()));
        const QString stored = QString::fromLatin1(response->header("Docker-Content-Digest"));
        if (!stored.isEmpty() && stored != actual)
            return done(fail(digestMismatch(describeManifest(reference), actual, stored)));
        done(*Digest::parse(actual));
    });
}

void RegistryClient::fetchBlob(const ImageReference &repository,
                               const Digest &digest,
                               qint64 maxSize,
                               Callback<QByteArray> done)
{
    auto sink = std::make_shared<MemoryBlobSink>(maxSize);
    BlobDownloadOptions options;
    options.mayShareThread = true; // bounded by maxSize, in memory
    downloadBlob(repository, digest, sink.get(), options, [sink, done](Result<qint64> r) {
        if (!r)
            return done(fail(r.error()));
        done(sink->data());
    });
}

namespace {

// One blob download: asked for, streamed through the hash into the sink on the transfer thread,
// resumed where a dropped connection stopped it, and verified. The request in flight holds it; a
// resume sends the next request from the answer to the last.
class BlobDownload : public std::enable_shared_from_this<BlobDownload>
{
public:
    BlobDownload(RegistryTransport *transport,
                 const ImageReference &repository,
                 const Digest &digest,
                 BlobSink *sink,
                 BlobDownloadOptions options,
                 int attempts,
                 RegistryClient::Callback<qint64> done)
        : m_transport(transport)
        , m_repository(repository)
        , m_digest(digest)
        , m_sink(sink)
        , m_options(std::move(options))
        , m_done(std::move(done))
        , m_what(describeBlob(repository, digest))
        , m_attempts(attempts)
    {
        m_total = m_options.expectedSize;
    }

    void start()
    {
        RegistryRequest r;
        r.registry = m_repository.domain();
        r.maxAttempts = m_attempts;
        r.path = repoPath(m_repository) + u"/blobs/" + m_digest.toString();
        r.scopes = {pullScope(m_repository)};
        r.what = m_what;
        r.cancel = m_options.cancel;
        r.sizeHint = m_options.expectedSize >= 0 ? m_options.expectedSize
                     : m_options.mayShareThread  ? 0
                                                 : -1;
        r.mayShareThread = m_options.mayShareThread;
        if (m_offset > 0) {
            r.headers.append({"Range", "bytes=" + QByteArray::number(m_offset) + '-'});
            // The Range is fixed for this request: a drop is resumed here, not replayed by the
            // transport.
            r.idempotent = false;
        }
        auto self = shared_from_this();
        r.onResponse = [self](const ResponseHead &head) {
            return self->headArrived(head);
        };
        r.onData = [self](QByteArrayView chunk) {
            return self->chunkArrived(chunk);
        };
        if (m_options.progress)
            r.downloadProgress = [self](qint64) {
                self->m_options.progress(self->m_offset, self->m_total);
            };
        m_transport->send(std::move(r),
                          [self](Result<RegistryResponse> response) { self->finished(response); });
    }

private:
    // On the transfer thread: a 206 must start where the last answer stopped; anything else is a
    // fresh, whole answer.
    Status headArrived(const ResponseHead &head)
    {
        const int status = head.status;
        const qint64 length = head.header("Content-Length").toLongLong();
        const QByteArray range = head.header("Content-Range");
        const bool resumedHere
            = status == 206
              && range.startsWith(QByteArray("bytes " + QByteArray::number(m_offset) + '-'));
        if (m_offset > 0 && status == 206 && !resumedHere)
            return fail(Error::Kind::Protocol,
                        Berth::tr("%1 answered a resume with the wrong range (%2).")
                            .arg(m_what, QString::fromLatin1(range)));
        if (m_offset > 0 && status != 206) {
            // The server ignored the Range: start over, from the first byte.
            if (Status s = m_sink->restart(); !s)
                return s;
            m_hash.reset();
            m_offset = 0;
        }
        if (length > 0 && m_total < 0)
            m_total = m_offset + length;
        return {};
    }

    // On the transfer thread.
    Status chunkArrived(QByteArrayView chunk)
    {
        if (m_options.expectedSize >= 0 && m_offset + chunk.size() > m_options.expectedSize)
            return fail(Error::Kind::DigestMismatch,
                        Berth::tr("%1 is larger than the %2 bytes its descriptor declares.")
                            .arg(m_what)
                            .arg(m_options.expectedSize));
        m_hash.addData(chunk);
        if (Status s = m_sink->write(chunk); !s)
            return s;
        m_offset += chunk.size();
        return {};
    }

    void finished(const Result<RegistryResponse> &response)
    {
        // When every declared byte is already here, a resume could only get a 416: verify.
        const bool complete = m_options.expectedSize >= 0 && m_offset == m_options.expectedSize;
        if (!response && resumable(response.error(), complete)) {
            ++m_resumes;
            qCInfo(lcRegistry) << "resuming" << m_digest.toString() << "at" << m_offset;
            return start();
        }
        if (!response && (!complete || response.error().kind != Error::Kind::Network))
            return m_done(fail(response.error()));
        m_done(verify());
    }

    // A connection dropped mid-blob resumes where it stopped instead of starting over.
    bool resumable(const Error &error, bool complete) const
    {
        return error.kind == Error::Kind::Network && m_offset > 0 && !complete
               && m_resumes < m_options.maxResumes && !m_options.cancel.isCancelled();
    }

    Result<qint64> verify()
    {
        if (m_options.expectedSize >= 0 && m_offset != m_options.expectedSize)
            return fail(Error::Kind::DigestMismatch,
                        Berth::tr("%1 has %2 bytes where its descriptor declares %3.")
                            .arg(m_what)
                            .arg(m_offset)
                            .arg(m_options.expectedSize));
        const QString actual = m_hash.digest();
        if (actual != m_digest.toString())
            return fail(digestMismatch(m_what, m_digest.toString(), actual));
        return qint64(m_offset);
    }

    RegistryTransport *m_transport;
    ImageReference m_repository;
    Digest m_digest;
    BlobSink *m_sink;
    BlobDownloadOptions m_options;
    RegistryClient::Callback<qint64> m_done;
    QString m_what;
    // The body is hashed and written on the transfer thread; the owner's thread reads the
    // counters for progress while it runs.
    Sha256 m_hash;
    std::atomic<qint64> m_offset = 0;
    std::atomic<qint64> m_total = -1;
    int m_resumes = 0;
    int m_attempts = 0;
};

} // namespace

void RegistryClient::downloadBlobAt(const ImageReference &repository,
                                    const Digest &digest,
                                    BlobSink *sink,
                                    BlobDownloadOptions options,
                                    int attempts,
                                    Callback<qint64> done)
{
    if (digest.algorithm() != u"sha256")
        return done(
            fail(Error::Kind::Unsupported,
                 tr("Only sha256 digests can be verified; %1 cannot.").arg(digest.toString())));
    std::make_shared<BlobDownload>(
        m_transport, repository, digest, sink, std::move(options), attempts, std::move(done))
        ->start();
}

void RegistryClient::headBlobAt(const ImageReference &repository,
                                const Digest &digest,
                                Callback<std::optional<qint64>> done,
                                Scope scope)
{
    RegistryRequest r;
    r.registry = repository.domain();
    r.verb = "HEAD";
    r.path = repoPath(repository) + u"/blobs/" + digest.toString();
    r.scopes = {scope == Scope::Push ? pushScope(repository) : pullScope(repository)};
    r.what = describeBlob(repository, digest);
    m_transport->send(std::move(r), [done](Result<RegistryResponse> response) {
        if (!response) {
            if (response.error().kind == Error::Kind::NotFound)
                return done(std::optional<qint64>());
            return done(fail(response.error()));
        }
        // An answer without a size proves nothing: the blob counts as absent.
        bool ok = false;
        const qint64 size = response->header("Content-Length").toLongLong(&ok);
        done(ok && size >= 0 ? std::optional<qint64>(size) : std::optional<qint64>());
    });
}

// An upload step (PATCH, final PUT) is not idempotent, so the transport never re-sends one; when
// its connection drops, its session vanishes (404) or the registry fails (5xx), the whole upload
// starts again from a new session, a bounded number of times. A lost answer to the final PUT is
// told apart from a failed PUT by asking the registry whether it now holds the blob.
namespace {
constexpr int MaxUploadAttempts = 3;
constexpr int UploadRestartDelayMs = 250;
} // namespace

struct RegistryClient::Upload
{
    ImageReference repository;
    Digest digest;
    qint64 size = 0;
    std::function<std::unique_ptr<QIODevice>()> open;
    BlobUploadOptions options;
    Callback<void> done;
    QUrl location;
    std::unique_ptr<QIODevice> device; // chunked uploads read it chunk by chunk
    qint64 sent = 0;
    int attempt = 1;
};

void RegistryClient::uploadBlobAt(const ImageReference &repository,
                                  const Digest &digest,
                                  qint64 size,
                                  std::function<std::unique_ptr<QIODevice>()> open,
                                  BlobUploadOptions options,
                                  Callback<void> done)
{
    auto up = std::make_shared<Upload>();
    up->repository = repository;
    up->digest = digest;
    up->size = size;
    up->open = std::move(open);
    up->options = std::move(options);
    up->done = std::move(done);
    startUpload(std::move(up));
}

// POST: a new upload session, answered with where to send the blob.
void RegistryClient::openUploadAt(const ImageReference &repository,
                                  const CancelToken &cancel,
                                  Callback<QUrl> done)
{
    RegistryRequest r;
    r.registry = repository.domain();
    r.verb = "POST";
    r.path = repoPath(repository) + u"/blobs/uploads/";
    r.scopes = {pushScope(repository)};
    r.what = tr("an upload to %1").arg(repository.repository());
    r.cancel = cancel;
    // The transport retries the POST itself: opening a session twice only leaves one unused.
    m_transport->send(std::move(r), [repository, done](Result<RegistryResponse> response) {
        if (!response)
            return done(fail(response.error()));
        const QUrl location
            = response->url.resolved(QUrl(QString::fromUtf8(response->header("Location"))));
        if (!location.isValid() || location.isEmpty())
            return done(fail(Error::Kind::Protocol,
                             tr("%1 started an upload without saying where to send it.")
                                 .arg(repository.domain())));
        done(location);
    });
}

void RegistryClient::cancelUploadAt(const ImageReference &repository, const QUrl &location)
{
    RegistryRequest r;
    r.registry = repository.domain();
    r.verb = "DELETE";
    r.absoluteUrl = location;
    r.scopes = {pushScope(repository)};
    r.what = tr("an unused upload to %1").arg(repository.repository());
    r.maxAttempts = 1;
    // Nobody waits: a registry that keeps the session drops it when it expires.
    m_transport->send(std::move(r), [](const Result<RegistryResponse> &) {});
}

void RegistryClient::startUpload(std::shared_ptr<Upload> up)
{
    // A session opened ahead (uploadBlobIfMissing) serves the first attempt.
    if (up->attempt == 1 && up->options.session.isValid())
        return sessionOpened(up, up->options.session);
    openUploadAt(up->repository, up->options.cancel, [this, up](Result<QUrl> location) {
        if (!location)
            return up->done(fail(location.error()));
        sessionOpened(up, *location);
    });
}

void RegistryClient::sessionOpened(std::shared_ptr<Upload> up, const QUrl &location)
{
    up->location = location;
    if (up->options.chunkSize > 0 && up->size > up->options.chunkSize) {
        up->device = up->open();
        if (!up->device)
            return up->done(fail(Error::Kind::Io, tr("Could not open the data to upload.")));
        return uploadNextChunk(up);
    }
    finishUpload(up);
}

void RegistryClient::uploadStepFailed(std::shared_ptr<Upload> up, Error error)
{
    up->device.reset();
    // A 404 or 416 to a step means the session is gone or out of step, as when Qt re-sent a chunk
    // the registry had already taken: a new session is the way on.
    const bool transient = error.kind == Error::Kind::Network || error.kind == Error::Kind::Server
                           || error.kind == Error::Kind::NotFound || error.httpStatus == 404
                           || error.httpStatus == 416;
    if (!transient || up->options.cancel.isCancelled())
        return up->done(fail(std::move(error)));
    headBlobAt(
        up->repository,
        up->digest,
        [this, up, error = std::move(error)](Result<std::optional<qint64>> held) mutable {
            if (held && held->has_value() && **held == up->size)
                return up->done({}); // the registry took it; only its answer was lost
            if (up->attempt >= MaxUploadAttempts) {
                error.message = tr("%1 Berth tried the upload %n time(s).", nullptr, up->attempt)
                                    .arg(error.message);
                return up->done(fail(std::move(error)));
            }
            ++up->attempt;
            up->sent = 0;
            up->location.clear();
            if (up->options.progress)
                up->options.progress(0, up->size);
            const int delay
                = error.kind == Error::Kind::Server ? UploadRestartDelayMs * (up->attempt - 1) : 0;
            QTimer::singleShot(delay, this, [this, up] { startUpload(up); });
        },
        Scope::Push);
}

namespace {

BlobUploadOptions sharedThreadUpload()
{
    BlobUploadOptions options;
    options.mayShareThread = true; // from memory
    return options;
}

} // namespace

void RegistryClient::uploadBlob(const ImageReference &repository,
                                const Digest &digest,
                                const QByteArray &data,
                                Callback<void> done)
{
    uploadBlob(
        repository,
        digest,
        data.size(),
        [data] {
            auto buffer = std::make_unique<QBuffer>();
            buffer->setData(data);
            buffer->open(QIODevice::ReadOnly);
            return std::unique_ptr<QIODevice>(std::move(buffer));
        },
        sharedThreadUpload(),
        std::move(done));
}

void RegistryClient::uploadNextChunk(std::shared_ptr<Upload> up)
{
    if (up->sent >= up->size)
        return finishUpload(up);
    const QByteArray chunk = up->device->read(std::min(up->options.chunkSize, up->size - up->sent));
    if (chunk.isEmpty())
        return up->done(
            fail(Error::Kind::Io,
                 tr("The data to upload ended after %1 of %2 bytes.").arg(up->sent).arg(up->size)));
    RegistryRequest r;
    r.registry = up->repository.domain();
    r.verb = "PATCH";
    r.absoluteUrl = up->location;
    r.scopes = {pushScope(up->repository)};
    r.what = tr("an upload to %1").arg(up->repository.repository());
    r.idempotent = false;
    r.cancel = up->options.cancel;
    r.headers.append(
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/octet-stream")});
    r.headers.append(
        {"Content-Range",
         QByteArray::number(up->sent) + '-' + QByteArray::number(up->sent + chunk.size() - 1)});
    r.body = chunk;
    const qint64 chunkSize = chunk.size();
    m_transport->send(std::move(r), [this, up, chunkSize](Result<RegistryResponse> response) {
        if (!response)
            return uploadStepFailed(up, response.error());
        up->sent += chunkSize;
        if (const QByteArray location = response->header("Location"); !location.isEmpty())
            up->location = response->url.resolved(QUrl(QString::fromUtf8(location)));
        if (up->options.progress)
            up->options.progress(up->sent, up->size);
        uploadNextChunk(up);
    });
}

void RegistryClient::finishUpload(std::shared_ptr<Upload> up)
{
    const bool chunked = bool(up->device);
    RegistryRequest r;
    r.registry = up->repository.domain();
    r.verb = "PUT";
    r.absoluteUrl = withQueryItem(up->location, QStringLiteral("digest"), up->digest.toString());
    r.scopes = {pushScope(up->repository)};
    r.what = describeBlob(up->repository, up->digest);
    r.idempotent = false;
    r.cancel = up->options.cancel;
    r.headers.append(
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/octet-stream")});
    if (chunked) {
        r.headers.append({QByteArrayLiteral("Content-Length"), QByteArrayLiteral("0")});
    } else {
        r.openBody = up->open;
        r.bodySize = up->size;
        r.mayShareThread = up->options.mayShareThread;
        if (up->options.progress) {
            auto progress = up->options.progress;
            r.uploadProgress = [progress](qint64 sent, qint64 total) {
                progress(sent, total);
            };
        }
    }
    m_transport->send(std::move(r), [this, up](Result<RegistryResponse> response) {
        if (!response)
            return uploadStepFailed(up, response.error());
        up->device.reset();
        const QString stored = QString::fromLatin1(response->header("Docker-Content-Digest"));
        if (!stored.isEmpty() && stored != up->digest.toString())
            return up->done(fail(digestMismatch(
                describeBlob(up->repository, up->digest), up->digest.toString(), stored)));
        up->done({});
    });
}

void RegistryClient::mountBlobAt(const ImageReference &repository,
                                 const Digest &digest,
                                 const QString &fromPath,
                                 Callback<bool> done)
{
    RegistryRequest r;
    r.registry = repository.domain();
    r.verb = "POST";
    QUrl path(repoPath(repository) + u"/blobs/uploads/");
    path = withQueryItem(path, QStringLiteral("mount"), digest.toString());
    path = withQueryItem(path, QStringLiteral("from"), fromPath);
    r.path = path.toString(QUrl::FullyEncoded);
    r.scopes = {pushScope(repository), u"repository:" + fromPath + u":pull"};
    r.what = describeBlob(repository, digest);
    m_transport->send(std::move(r), [this, repository, done](Result<RegistryResponse> response) {
        if (!response)
            return done(fail(response.error()));
        if (response->status == 201)
            return done(true);
        // 202: the registry opened an upload instead; close it so it does not linger.
        if (const QByteArray location = response->header("Location"); !location.isEmpty()) {
            RegistryRequest cancel;
            cancel.registry = repository.domain();
            cancel.verb = "DELETE";
            cancel.absoluteUrl = response->url.resolved(QUrl(QString::fromUtf8(location)));
            cancel.scopes = {pushScope(repository)};
            cancel.what = tr("an upload to %1").arg(repository.repository());
            m_transport->send(std::move(cancel), [](Result<RegistryResponse>) {});
        }
        done(false);
    });
}

void RegistryClient::listTagsAt(const ImageReference &repository, Callback<QStringList> done)
{
    listPaged(repository.domain(),
              repoPath(repository) + u"/tags/list?n=1000",
              QStringLiteral("tags"),
              {pullScope(repository)},
              tr("the tags of %1").arg(repository.repository()),
              std::move(done));
}

void RegistryClient::catalog(const QString &registry, Callback<QStringList> done)
{
    listPaged(registry,
              QStringLiteral("/v2/_catalog?n=1000"),
              QStringLiteral("repositories"),
              {QStringLiteral("registry:catalog:*")},
              tr("the catalog of %1").arg(registry),
              std::move(done));
}

namespace {

// One tag list or catalog being read page by page.
struct PagedList
{
    QStringList names;
    QSet<QString> seen; // names already listed: a repeat is dropped
    QSet<QUrl> fetched; // pages already read: a Link back to one ends the listing
    int pages = 0;
};

// Adds a page's new names; answers how many were new. Stops at MaxListedNames.
qsizetype addNames(PagedList &list, const QJsonArray &page)
{
    qsizetype added = 0;
    for (const QJsonValue &v : page) {
        if (list.names.size() >= MaxListedNames)
            break;
        const QString name = v.toString();
        if (list.seen.contains(name))
            continue;
        list.seen.insert(name);
        list.names.append(name);
        ++added;
    }
    return added;
}

// Where the listing goes on, or an empty URL when it is complete, or should stop: a registry
// that links back to a page it sent, repeats itself or never stops is cut off, not followed.
QUrl nextPage(PagedList &list,
              const RegistryResponse &response,
              qsizetype added,
              const QString &what)
{
    list.fetched.insert(response.url);
    const QString link = nextLink(response.header("Link"));
    if (link.isEmpty())
        return {};
    const QUrl next = response.url.resolved(QUrl(link));
    const char *why = list.fetched.contains(next)           ? "links back to a page already read"
                      : added == 0                          ? "sent a page with no new name"
                      : list.names.size() >= MaxListedNames ? "lists more names than Berth keeps"
                      : ++list.pages >= MaxListPages        ? "sent more pages than Berth reads"
                                                            : nullptr;
    if (!why)
        return next;
    qCWarning(lcRegistry) << "stopped reading" << what << "after" << list.names.size()
                          << "names: the registry" << why;
    return {};
}

} // namespace

namespace {

// A tag list or catalog read page by page. The request in flight holds it, so a request the
// transport drops (the client going away) frees it.
class PagedListing : public std::enable_shared_from_this<PagedListing>
{
public:
    PagedListing(RegistryTransport *transport,
                 const QString &registry,
                 const QString &key,
                 const QStringList &scopes,
                 const QString &what,
                 RegistryClient::Callback<QStringList> done)
        : m_transport(transport)
        , m_registry(registry)
        , m_key(key)
        , m_scopes(scopes)
        , m_what(what)
        , m_done(std::move(done))
    {}

    void fetch(const QUrl &url)
    {
        RegistryRequest r;
        r.registry = m_registry;
        r.absoluteUrl = url;
        r.scopes = m_scopes;
        r.what = m_what;
        m_transport->send(std::move(r),
                          [self = shared_from_this()](Result<RegistryResponse> response) {
                              self->pageArrived(response);
                          });
    }

private:
    void pageArrived(const Result<RegistryResponse> &response)
    {
        if (!response)
            return m_done(fail(response.error()));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(response->body, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return m_done(fail(Error::Kind::Protocol,
                               Berth::tr("The registry sent an invalid list for %1: %2")
                                   .arg(m_what, error.errorString())));
        const qsizetype added = addNames(m_list, doc.object().value(m_key).toArray());
        const QUrl following = nextPage(m_list, *response, added, m_what);
        if (following.isEmpty())
            return m_done(std::move(m_list.names));
        fetch(following);
    }

    RegistryTransport *m_transport;
    QString m_registry;
    QString m_key;
    QStringList m_scopes;
    QString m_what;
    RegistryClient::Callback<QStringList> m_done;
    PagedList m_list;
};

} // namespace

void RegistryClient::listPaged(const QString &registry,
                               const QString &firstPath,
                               const QString &key,
                               const QStringList &scopes,
                               const QString &what,
                               Callback<QStringList> done)
{
    std::make_shared<PagedListing>(m_transport, registry, key, scopes, what, std::move(done))
        ->fetch(QUrl(firstPath));
}

} // namespace Berth
