#pragma once

#include "credentials/credential.h"
#include "store/engineclient.h"
#include "store/imagebackend.h"

#include <memory>
#include <optional>

namespace Berth {

class EngineEventWatcher;
// The progress stream of an engine pull or push, parsed line by line (store/enginebackend.cpp).
struct EngineProgressStream;

// ImageBackend over the Docker Engine API: a real dockerd, or Podman's compatible service
// (`podman system service`). Pull and push run in the engine; their JSON progress streams are
// parsed into TransferProgress, and an error inside a 200 stream is a failure like any other.
class EngineBackend final : public ImageBackend
{
    Q_OBJECT

public:
    using Found = std::function<void(Result<std::unique_ptr<EngineBackend>>)>;

    // credentials: where pull and push get the login they pass in X-Registry-Auth; may be null
    // (anonymous), must outlive the backend.
    EngineBackend(EngineEndpoint endpoint,
                  EngineInfo info,
                  CredentialProvider *credentials,
                  QObject *parent = nullptr);

    // The first engine that answers among EngineClient::candidateEndpoints() (or only `endpoint`
    // when given), optionally only of one flavour (--backend docker|podman). NotFound when none
    // answers, with what was tried.
    static void discover(CredentialProvider *credentials,
                         std::optional<EngineInfo::Flavour> wanted,
                         Found done,
                         std::optional<EngineEndpoint> endpoint = std::nullopt);

    Kind kind() const override;
    QString description() const override;
    const EngineInfo &info() const { return m_info; }
    EngineClient &client() { return *m_client; }

    void listImages(Callback<QList<LocalImage>> done) override;
    void inspectImage(const QString &nameOrId, Callback<LocalImageDetails> done) override;
    void history(const QString &nameOrId, Callback<QList<ImageHistoryRow>> done) override;
    void
    pull(const ImageReference &reference, PullOptions options, Callback<PullResult> done) override;
    void
    push(const ImageReference &reference, PushOptions options, Callback<PushResult> done) override;
    void tag(const QString &source, const ImageReference &target, Callback<void> done) override;
    void remove(const QString &nameOrId, bool force, Callback<RemoveResult> done) override;
    void prune(PruneOptions options, Callback<PruneResult> done) override;

    bool hasContainers() const override { return true; }
    void listContainers(Callback<QList<LocalContainer>> done) override;
    void removeContainer(const QString &nameOrId, bool force, Callback<void> done) override;

    // GET /events, reconnected after a drop (store/engineevents.cpp).
    void startWatching() override;

    // Archives: the engine does the work, streamed through its API (store/enginearchives.cpp).
    void save(const QStringList &images,
              ArchiveTarget target,
              SaveOptions options,
              Callback<SaveResult> done) override;
    void load(ArchiveSource source, LoadOptions options, Callback<LoadResult> done) override;
    void exportFilesystem(const QString &containerOrImage,
                          ArchiveTarget target,
                          ExportOptions options,
                          Callback<ExportResult> done) override;
    void importFilesystem(ArchiveSource source,
                          ImportOptions options,
                          Callback<ImportResult> done) override;

    // The X-Registry-Auth value for a login on `registry`: base64url of
    // {"username","password","serveraddress"} (or "identitytoken" for an OAuth refresh token).
    // Without a login, "{}" encoded, which docker's push insists on having.
    static QByteArray registryAuthHeader(const QString &registry,
                                         const std::optional<Credential> &credential);
    // "127.0.0.1:5000/x:1", "node:15" as docker prints them; "" for "<none>:<none>".
    static QString familiarName(const QString &engineName);

private:
    // /images/json has no platform: each image ID's is read once from its inspect and cached
    // (an ID is its content, so it never changes). One request per new image, all at once.
    void addPlatforms(QList<LocalImage> images, Callback<QList<LocalImage>> done);
    // A refused removal names the containers in the way (store/imageinuse.h).
    void explainConflict(const QString &nameOrId, Error error, Callback<RemoveResult> done);
    // A pull, as steps: the login, the engine's pull with its progress stream, the image's inspect.
    void sendPull(const ImageReference &reference,
                  const PullOptions &options,
                  const QByteArray &auth,
                  Callback<PullResult> done);
    void inspectPulled(std::shared_ptr<EngineProgressStream> stream,
                       const ImageReference &reference,
                       Callback<PullResult> done);
    // A push likewise: the login, then the engine's push with its progress stream.
    void sendPush(const ImageReference &reference,
                  const PushOptions &options,
                  const QByteArray &auth,
                  Callback<PushResult> done);
    // An export, as steps (store/enginearchives.cpp): the container, or one made for the image,
    // its tar into the output, the made container removed, the output committed.
    struct FilesystemExport;
    void createExportContainer(std::shared_ptr<FilesystemExport> ex);
    void exportContainer(std::shared_ptr<FilesystemExport> ex, const QString &container);
    void removeExportContainer(std::shared_ptr<FilesystemExport> ex,
                               Result<EngineResponse> exported);
    void finishExport(std::shared_ptr<FilesystemExport> ex, Result<EngineResponse> exported);
    void importFromUrl(ArchiveSource source, ImportOptions options, Callback<ImportResult> done);
    void withRegistryAuth(const QString &registry, std::function<void(Result<QByteArray>)> done);
    static void discoverNext(CredentialProvider *credentials,
                             std::optional<EngineInfo::Flavour> wanted,
                             QList<EngineEndpoint> candidates,
                             QStringList tried,
                             Found done);

    EngineEndpoint m_endpoint;
    EngineInfo m_info;
    CredentialProvider *m_credentials = nullptr;
    EngineClient *m_client = nullptr;
    QHash<QString, Platform> m_platforms; // by image ID
    EngineEventWatcher *m_events = nullptr;
};

} // namespace Berth
