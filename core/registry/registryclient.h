#pragma once

#include "common/cancel.h"
#include "common/result.h"
#include "oci/blobsink.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"
#include "registrytransport.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace Berth {

class RegistriesConf;
struct PullSource;

struct PingResult
{
    QUrl endpoint; // "https://host" or "http://host"
    bool authRequired = false;
    std::optional<AuthChallenge> challenge;
    QString apiVersion; // Docker-Distribution-API-Version
};

// A manifest or index as the registry served it. The digest is the sha256 of these exact bytes,
// checked against the digest asked for and the Docker-Content-Digest header.
struct ManifestResponse
{
    QByteArray body;
    QString mediaType;
    Digest digest;
    qint64 size = 0;
};

struct BlobDownloadOptions
{
    qint64 expectedSize = -1; // from the descriptor; checked when known
    // The sink never waits and works little, and the blob is small (a config kept in memory;
    // not a pipe, a file or an unpacker): it may then share the connection pool's thread
    // (RegistryRequest::mayShareThread) when its size is not known.
    bool mayShareThread = false;
    int maxResumes = 5; // a dropped connection resumes with a Range request
    std::function<void(qint64 done, qint64 total)> progress;
    CancelToken cancel;
};

struct BlobUploadOptions
{
    qint64 chunkSize = 0; // 0: one monolithic PUT; else PATCH chunks of this size
    // The source never waits (memory, a plain file; not a pipe): a small blob may then share the
    // connection pool's thread (RegistryRequest).
    bool mayShareThread = false;
    std::function<void(qint64 done, qint64 total)> progress;
    CancelToken cancel;
    QUrl session; // an upload session already opened, for the first attempt
};

// The most names a tag list or catalog keeps (a few MB): a registry that never stops sending new
// names is cut off there. Ten times the largest Hub repositories.
inline constexpr qsizetype MaxListedNames = 100000;

// The OCI distribution API, asynchronous. Repository arguments are ImageReferences whose tag and
// digest are ignored. Callbacks run on the thread of the QNetworkAccessManager.
//
// registries.conf (the network policy's) applies to every reference: a blocked one is refused
// before any request, a prefix is rewritten to its location, and reads (manifests, blobs) try the
// mirrors first, falling back in order to the location (see registryroutes.cpp).
class RegistryClient final : public QObject
{
    Q_OBJECT

public:
    template<typename T>
    using Callback = std::function<void(Result<T>)>;

    explicit RegistryClient(QNetworkAccessManager *network, QObject *parent = nullptr);

    RegistryTransport &transport() { return *m_transport; }
    void setCredentialProvider(CredentialProvider *provider)
    {
        m_transport->setCredentialProvider(provider);
    }
    void setInsecureRegistries(const QStringList &registries)
    {
        m_transport->setInsecureRegistries(registries);
    }

    // GET /v2/: is the registry there, and does it want a login?
    void ping(const QString &registry, Callback<PingResult> done);
    // Checks a user name and password (or access token) the way `docker login` does, storing
    // nothing: Basic against /v2/, or a token from the Bearer realm with these credentials.
    void verifyLogin(const QString &registry, const Credential &credential, Callback<void> done);

    void fetchManifest(const ImageReference &reference, Callback<ManifestResponse> done);
    // HEAD: digest, media type and size without the body (Docker Hub does not count HEADs).
    void headManifest(const ImageReference &reference, Callback<ManifestResponse> done);
    // PUT a manifest under reference's tag (or digest); answers the digest the registry stored.
    void putManifest(const ImageReference &reference,
                     const QString &mediaType,
                     const QByteArray &body,
                     Callback<Digest> done);

    // DELETE a manifest by digest, or by tag where the registry allows it (OCI distribution 1.1).
    // A registry that refuses (405, UNSUPPORTED, DENIED) gives an error naming it.
    void deleteManifest(const ImageReference &reference, Callback<void> done);

    // A small blob (a config) in memory, verified, refused past maxSize.
    void fetchBlob(const ImageReference &repository,
                   const Digest &digest,
                   qint64 maxSize,
                   Callback<QByteArray> done);
    // Streams a blob into sink, hashing on the fly; fails with DigestMismatch (after writing) when
    // the content is wrong, so the sink's owner must only keep what a success confirms.
    void downloadBlob(const ImageReference &repository,
                      const Digest &digest,
                      BlobSink *sink,
                      BlobDownloadOptions options,
                      Callback<qint64> done);
    // HEAD: the blob's size, or nullopt when the registry does not have it (or does not say its
    // size). A push asks with the push scope it needs next anyway, so that one token serves the
    // whole push.
    enum class Scope { Pull, Push };
    void headBlob(const ImageReference &repository,
                  const Digest &digest,
                  Callback<std::optional<qint64>> done,
                  Scope scope = Scope::Pull);
    // Uploads a blob from a device opened by open() (called once per attempt).
    void uploadBlob(const ImageReference &repository,
                    const Digest &digest,
                    qint64 size,
                    std::function<std::unique_ptr<QIODevice>()> open,
                    BlobUploadOptions options,
                    Callback<void> done);
    void uploadBlob(const ImageReference &repository,
                    const Digest &digest,
                    const QByteArray &data,
                    Callback<void> done);
    // The blob's HEAD (push scope) and a new upload session's POST at once, a round trip less
    // than one after the other: uploads the blob when the registry lacks it (true), drops the
    // session when the registry holds it already with this size (false).
    void uploadBlobIfMissing(const ImageReference &repository,
                             const Digest &digest,
                             qint64 size,
                             std::function<std::unique_ptr<QIODevice>()> open,
                             BlobUploadOptions options,
                             Callback<bool> done);
    // Cross-repository mount; true when mounted, false when the registry wants an upload instead.
    void mountBlob(const ImageReference &repository,
                   const Digest &digest,
                   const QString &fromPath,
                   Callback<bool> done);

    void listTags(const ImageReference &repository, Callback<QStringList> done);
    void catalog(const QString &registry, Callback<QStringList> done);

    // The registries.conf this client follows: the network policy's unless set (tests).
    void setRegistriesConf(std::shared_ptr<const RegistriesConf> conf);
    std::shared_ptr<const RegistriesConf> registriesConf() const;
    // An error naming the file when registries.conf blocks the reference: for paths that reach
    // its registry another way (Docker Hub's API).
    Status checkNotBlocked(const ImageReference &reference) const;

signals:
    // A read of repository (as asked, "docker.io/library/busybox") was served by a mirror, or
    // fell back past one: "Mirror 127.0.0.1:1 is not reachable (…); pulled from docker.io".
    // Said for each manifest a mirror serves, and for each read that fell back.
    void pullSourceReport(const QString &repository, const QString &message);

private:
    // The operations at one registry, the reference already routed. attempts: 0 for the
    // transport's retries, 1 for a mirror in a fallback chain.
    void
    fetchManifestAt(const ImageReference &reference, int attempts, Callback<ManifestResponse> done);
    void
    headManifestAt(const ImageReference &reference, int attempts, Callback<ManifestResponse> done);
    void putManifestAt(const ImageReference &reference,
                       const QString &mediaType,
                       const QByteArray &body,
                       Callback<Digest> done);
    void deleteManifestAt(const ImageReference &reference, Callback<void> done);
    void downloadBlobAt(const ImageReference &repository,
                        const Digest &digest,
                        BlobSink *sink,
                        BlobDownloadOptions options,
                        int attempts,
                        Callback<qint64> done);
    void headBlobAt(const ImageReference &repository,
                    const Digest &digest,
                    Callback<std::optional<qint64>> done,
                    Scope scope);
    void uploadBlobAt(const ImageReference &repository,
                      const Digest &digest,
                      qint64 size,
                      std::function<std::unique_ptr<QIODevice>()> open,
                      BlobUploadOptions options,
                      Callback<void> done);
    void mountBlobAt(const ImageReference &repository,
                     const Digest &digest,
                     const QString &fromPath,
                     Callback<bool> done);
    void listTagsAt(const ImageReference &repository, Callback<QStringList> done);

    // registryroutes.cpp: where a reference goes.
    struct PullChain;
    Result<ImageReference> destination(const ImageReference &reference) const;
    Result<QList<PullSource>> pullSourcesFor(const ImageReference &reference, bool forBlob) const;
    template<typename T>
    void pullThrough(std::shared_ptr<PullChain> chain,
                     std::function<void(const ImageReference &, int, Callback<T>)> read,
                     Callback<T> done);
    template<typename T>
    void pullStep(std::shared_ptr<PullChain> chain,
                  std::function<void(const ImageReference &, int, Callback<T>)> read,
                  Callback<T> done);
    void report(const QString &repository, const QString &message);

private:
    struct Upload;
    void listPaged(const QString &registry,
                   const QString &firstPath,
                   const QString &key,
                   const QStringList &scopes,
                   const QString &what,
                   Callback<QStringList> done);
    void
    openUploadAt(const ImageReference &repository, const CancelToken &cancel, Callback<QUrl> done);
    void cancelUploadAt(const ImageReference &repository, const QUrl &location);
    void startUpload(std::shared_ptr<Upload> upload);
    void sessionOpened(std::shared_ptr<Upload> upload, const QUrl &location);
    void uploadNextChunk(std::shared_ptr<Upload> upload);
    void finishUpload(std::shared_ptr<Upload> upload);
    void uploadStepFailed(std::shared_ptr<Upload> upload, Error error);

    QNetworkAccessManager *m_network;
    RegistryTransport *m_transport;
    // registryroutes.cpp's state: the configuration set by a test, the mirrors found down (not
    // asked again until the deadline), the source that served each repository's last manifest
    // (its blobs come from there first).
    std::shared_ptr<const RegistriesConf> m_registriesConf;
    QHash<QString, QDeadlineTimer> m_downMirrors;
    QHash<QString, QString> m_servedBy;
};

// Pull and push scopes for the token service.
QString pullScope(const ImageReference &repository);
QString pushScope(const ImageReference &repository);
// The scope a DELETE needs ("repository:name:delete").
QString deleteScope(const ImageReference &repository);

} // namespace Berth
