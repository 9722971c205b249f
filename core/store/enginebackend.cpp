#include "enginebackend.h"

#include "common/guarded.h"
#include "common/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>

namespace Berth {

namespace {

QDateTime parseEngineTime(const QString &text)
{
    // RFC 3339 with nanoseconds ("2026-11-27T14:16:22.123456789Z"): Qt's ISO parser takes at
    // most milliseconds, so the fraction is cut to three digits first.
    static const QRegularExpression fraction(QStringLiteral("\\.(\\d{1,3})\\d*"));
    QString trimmed = text;
    trimmed.replace(fraction, QStringLiteral(".\\1"));
    QDateTime t = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(trimmed, Qt::ISODate);
    return t;
}

Digest parseDigest(const QString &text)
{
    auto d = Digest::parse(text);
    return d ? *d : Digest();
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array)
        out.append(v.toString());
    return out;
}

QStringList objectKeys(const QJsonValue &value)
{
    return value.toObject().keys();
}

} // namespace

// What the progress streams of pull and push (and later load) report, gathered line by line.
struct EngineProgressStream
{
    enum class Mode { Pull, Push };
    Mode mode = Mode::Pull;
    std::function<void(const TransferProgress &)> progress;
    std::optional<Error> error;
    QString digest;
    bool upToDate = false;
    QSet<QString> transferred;
    QSet<QString> skipped;
    QSet<QString> mounted;
    QHash<QString, qint64> bytes;

    void report(const TransferProgress &p) const
    {
        if (progress)
            progress(p);
    }

    void takeDigest(const QString &text)
    {
        static const QRegularExpression re(QStringLiteral("(sha256:[0-9a-f]{64})"));
        const auto match = re.match(text);
        if (match.hasMatch() && digest.isEmpty())
            digest = match.captured(1);
    }

    // One line of the stream: an error, a line about the whole image, or one about a layer.
    void handle(const QByteArray &line)
    {
        const QJsonObject obj = QJsonDocument::fromJson(line).object();
        if (obj.isEmpty()) {
            qCDebug(lcStore) << "engine stream: not a JSON object:" << line.left(200);
            return;
        }
        if (takeError(obj))
            return;
        const QJsonObject aux = obj.value(u"aux").toObject();
        if (aux.contains(u"Digest"))
            digest = aux.value(u"Digest").toString();

        const QString status = obj.value(u"status").toString();
        QString id = obj.value(u"id").toString();
        // Docker's first pull line names the tag in `id`: it is about the whole image.
        if (status.startsWith(u"Pulling from") || status.startsWith(u"The push refers to"))
            id.clear();
        if (id.isEmpty())
            return handleImageLine(status);
        handleLayerLine(id, status, obj.value(u"progressDetail").toObject());
    }

private:
    // An error line ({"errorDetail": {"message"}} or {"error"}): the first one is the failure.
    bool takeError(const QJsonObject &obj)
    {
        const QString errorText = obj.value(u"errorDetail").toObject().value(u"message").toString();
        if (errorText.isEmpty() && !obj.contains(u"error"))
            return false;
        const QString message = errorText.isEmpty() ? obj.value(u"error").toString() : errorText;
        if (!error) {
            error = Error::make(
                EngineClient::kindFromMessage(message),
                mode == Mode::Pull
                    ? EngineBackend::tr("The engine could not pull: %1").arg(message)
                    : EngineBackend::tr("The engine could not push: %1").arg(message));
        }
        TransferProgress p;
        p.state = TransferProgress::State::Failed;
        p.message = message;
        report(p);
        return true;
    }

    void handleImageLine(const QString &status)
    {
        if (status.isEmpty())
            return;
        if (status.startsWith(u"Digest:") || status.contains(u": digest: "))
            takeDigest(status);
        if (status.contains(u"Image is up to date"))
            upToDate = true;
        TransferProgress p;
        p.message = status;
        p.state = TransferProgress::State::Transferring;
        report(p);
    }

    void handleLayerLine(const QString &id, const QString &status, const QJsonObject &detail)
    {
        TransferProgress p;
        p.item = id;
        p.message = status;
        if (detail.contains(u"current")) {
            p.current = detail.value(u"current").toInteger();
            p.total = detail.contains(u"total") ? detail.value(u"total").toInteger() : -1;
        }
        p.state = layerState(id, status, p.total);
        report(p);
    }

    // What a layer's status says, noting which layers moved, were there or were mounted.
    TransferProgress::State layerState(const QString &id, const QString &status, qint64 total)
    {
        using State = TransferProgress::State;
        if (status == u"Pulling fs layer" || status == u"Waiting" || status == u"Preparing")
            return State::Waiting;
        if (status == u"Downloading" || status == u"Pushing") {
            transferred.insert(id);
            if (total > 0)
                bytes[id] = std::max(bytes.value(id), total);
            return State::Transferring;
        }
        if (status == u"Verifying Checksum")
            return State::Verifying;
        if (status == u"Download complete" || status == u"Pull complete" || status == u"Pushed") {
            transferred.insert(id);
            return State::Done;
        }
        if (status == u"Already exists" || status == u"Layer already exists") {
            skipped.insert(id);
            return State::Skipped;
        }
        if (status.startsWith(u"Mounted from")) {
            mounted.insert(id);
            return State::Mounted;
        }
        return State::Transferring; // "Extracting", and whatever a newer engine says
    }
};

EngineBackend::EngineBackend(EngineEndpoint endpoint,
                             EngineInfo info,
                             CredentialProvider *credentials,
                             QObject *parent)
    : ImageBackend(parent)
    , m_endpoint(endpoint)
    , m_info(std::move(info))
    , m_credentials(credentials)
    , m_client(new EngineClient(std::move(endpoint), this))
{}

void EngineBackend::discover(CredentialProvider *credentials,
                             std::optional<EngineInfo::Flavour> wanted,
                             Found done,
                             std::optional<EngineEndpoint> endpoint)
{
    QList<EngineEndpoint> candidates;
    if (endpoint) {
        candidates.append(*endpoint);
    } else {
        auto found = EngineClient::candidateEndpoints();
        if (!found)
            return done(fail(found.error()));
        candidates = *found;
    }
    discoverNext(credentials, wanted, std::move(candidates), {}, std::move(done));
}

void EngineBackend::discoverNext(CredentialProvider *credentials,
                                 std::optional<EngineInfo::Flavour> wanted,
                                 QList<EngineEndpoint> candidates,
                                 QStringList tried,
                                 Found done)
{
    if (candidates.isEmpty()) {
        const QString what = wanted == EngineInfo::Flavour::Podman ? tr("Podman")
                             : wanted == EngineInfo::Flavour::Docker
                                 ? tr("Docker Engine")
                                 : tr("Docker or Podman engine");
        return done(fail(
            Error::Kind::NotFound,
            tried.isEmpty()
                ? tr("No %1 found: no DOCKER_HOST, docker context or default socket.").arg(what)
                : tr("No %1 found. Tried: %2").arg(what, tried.join(u"; "))));
    }
    const EngineEndpoint endpoint = candidates.takeFirst();
    auto *backend = new EngineBackend(endpoint, {}, credentials);
    backend->m_client->fetchVersion(
        [backend, credentials, wanted, candidates, tried, done, endpoint](
            Result<EngineInfo> info) mutable {
            backend->deleteLater();
            if (!info) {
                tried.append(
                    tr("%1 (%2): %3").arg(endpoint.url(), endpoint.source, info.error().message));
                return discoverNext(credentials, wanted, candidates, tried, done);
            }
            if (wanted && info->flavour != *wanted) {
                tried.append(tr("%1 (%2): a %3 engine")
                                 .arg(endpoint.url(),
                                      endpoint.source,
                                      info->flavour == EngineInfo::Flavour::Podman ? tr("Podman")
                                                                                   : tr("Docker")));
                return discoverNext(credentials, wanted, candidates, tried, done);
            }
            done(std::make_unique<EngineBackend>(endpoint, *info, credentials));
        });
}

ImageBackend::Kind EngineBackend::kind() const
{
    return m_info.flavour == EngineInfo::Flavour::Podman ? Kind::Podman : Kind::Docker;
}

QString EngineBackend::description() const
{
    return m_info.flavour == EngineInfo::Flavour::Podman
               ? tr("Podman %1 (%2)").arg(m_info.version, m_endpoint.url())
               : tr("Docker Engine %1 (%2)").arg(m_info.version, m_endpoint.url());
}

QString EngineBackend::familiarName(const QString &engineName)
{
    if (engineName.isEmpty() || engineName.startsWith(u"<none>"))
        return {};
    // Podman names everything fully ("docker.io/library/node:15"); docker already shortens.
    const auto ref = ImageReference::parse(engineName);
    return ref ? ref->familiarString() : engineName;
}

QByteArray EngineBackend::registryAuthHeader(const QString &registry,
                                             const std::optional<Credential> &credential)
{
    QJsonObject auth;
    if (credential && !credential->isEmpty()) {
        // Docker's own CLI names Docker Hub by its legacy index URL.
        const QString server = registry == ImageReference::dockerHubDomain()
                                   ? QStringLiteral("https://index.docker.io/v1/")
                                   : registry;
        if (credential->identityToken) {
            auth.insert(u"identitytoken", credential->secret);
        } else {
            auth.insert(u"username", credential->username);
            auth.insert(u"password", credential->secret);
        }
        auth.insert(u"serveraddress", server);
    }
    return QJsonDocument(auth)
        .toJson(QJsonDocument::Compact)
        .toBase64(QByteArray::Base64UrlEncoding);
}

void EngineBackend::withRegistryAuth(const QString &registry,
                                     std::function<void(Result<QByteArray>)> done)
{
    if (!m_credentials)
        return done(registryAuthHeader(registry, std::nullopt));
    m_credentials->lookup(
        registry,
        guarded(this,
                [registry, done = std::move(done)](Result<std::optional<Credential>> credential) {
                    if (!credential)
                        return done(fail(credential.error()));
                    done(registryAuthHeader(registry, *credential));
                }));
}

void EngineBackend::listImages(Callback<QList<LocalImage>> done)
{
    EngineRequest request;
    request.path = QStringLiteral("/images/json");
    m_client->send(
        std::move(request), guarded(this, [this, done = std::move(done)](Result<EngineResponse> r) {
            if (!r)
                return done(fail(r.error()));
            const QJsonArray array = QJsonDocument::fromJson(r->body).array();
            QList<LocalImage> images;
            QHash<QString, qsizetype> byId;
            for (const QJsonValue &value : array) {
                const QJsonObject o = value.toObject();
                const QString id = o.value(u"Id").toString();
                LocalImage image;
                image.id = parseDigest(id);
                for (const QString &t : stringList(o.value(u"RepoTags"))) {
                    const QString name = familiarName(t);
                    if (!name.isEmpty())
                        image.repoTags.append(name);
                }
                for (const QString &d : stringList(o.value(u"RepoDigests"))) {
                    const QString name = familiarName(d);
                    if (!name.isEmpty())
                        image.repoDigests.append(name);
                }
                image.created
                    = QDateTime::fromSecsSinceEpoch(o.value(u"Created").toInteger(), Qt::UTC);
                image.size = o.value(u"Size").toInteger();
                // Tags sharing one ID are one image, even if an engine were to list it twice.
                if (const auto it = byId.constFind(id); it != byId.constEnd()) {
                    LocalImage &existing = images[*it];
                    for (const QString &t : std::as_const(image.repoTags))
                        if (!existing.repoTags.contains(t))
                            existing.repoTags.append(t);
                    for (const QString &d : std::as_const(image.repoDigests))
                        if (!existing.repoDigests.contains(d))
                            existing.repoDigests.append(d);
                    continue;
                }
                byId.insert(id, images.size());
                images.append(std::move(image));
            }
            addPlatforms(std::move(images), std::move(done));
        }));
}

void EngineBackend::inspectImage(const QString &nameOrId, Callback<LocalImageDetails> done)
{
    EngineRequest request;
    request.path = QStringLiteral("/images/%1/json").arg(EngineClient::encodeName(nameOrId));
    m_client->send(std::move(request), [done = std::move(done)](Result<EngineResponse> r) {
        if (!r)
            return done(fail(r.error()));
        const QJsonObject o = QJsonDocument::fromJson(r->body).object();
        if (o.isEmpty())
            return done(fail(Error::Kind::Protocol,
                             tr("The engine sent an unreadable image description.")));
        LocalImageDetails details;
        LocalImage &image = details.image;
        image.id = parseDigest(o.value(u"Id").toString());
        for (const QString &t : stringList(o.value(u"RepoTags")))
            if (const QString name = familiarName(t); !name.isEmpty())
                image.repoTags.append(name);
        for (const QString &d : stringList(o.value(u"RepoDigests")))
            if (const QString name = familiarName(d); !name.isEmpty())
                image.repoDigests.append(name);
        image.created = parseEngineTime(o.value(u"Created").toString());
        image.size = o.value(u"Size").toInteger();
        image.platform.os = o.value(u"Os").toString();
        image.platform.architecture = o.value(u"Architecture").toString();
        image.platform.variant = o.value(u"Variant").toString();

        ImageConfig &config = details.config;
        config.platform = image.platform;
        config.created = image.created;
        config.author = o.value(u"Author").toString();
        const QJsonObject c = o.value(u"Config").toObject();
        config.user = c.value(u"User").toString();
        config.workingDir = c.value(u"WorkingDir").toString();
        config.env = stringList(c.value(u"Env"));
        config.entrypoint = stringList(c.value(u"Entrypoint"));
        config.cmd = stringList(c.value(u"Cmd"));
        config.exposedPorts = objectKeys(c.value(u"ExposedPorts"));
        config.volumes = objectKeys(c.value(u"Volumes"));
        config.stopSignal = c.value(u"StopSignal").toString();
        const QJsonObject labels = c.value(u"Labels").toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it)
            config.labels.insert(it.key(), it.value().toString());
        config.diffIds = stringList(o.value(u"RootFS").toObject().value(u"Layers"));
        done(details);
    });
}

namespace {

// What a pull moved, from its stream, and what the image is made of, from its inspect.
PullResult pullResultOf(const EngineProgressStream &state,
                        const ImageReference &reference,
                        const LocalImageDetails &details)
{
    PullResult result;
    result.reference = reference;
    result.imageId = details.image.id;
    QString digest = state.digest;
    if (digest.isEmpty()) {
        // Podman's stream has no "Digest:" line: the repo digest tells the same.
        const QString repo = reference.familiarRepository();
        for (const QString &rd : std::as_const(details.image.repoDigests)) {
            if (rd.section(u'@', 0, 0) == repo) {
                digest = rd.section(u'@', 1);
                break;
            }
        }
    }
    result.digest = parseDigest(digest);
    // Podman reports the config blob like a layer ("Download complete" for the image ID), even
    // on a second pull: it is not a layer.
    QSet<QString> layers = state.transferred;
    const QString configId = result.imageId.encoded();
    layers.removeIf([&](const QString &id) { return configId.startsWith(id); });
    result.layersTransferred = int(layers.size());
    for (const QString &id : std::as_const(layers))
        result.bytesTransferred += state.bytes.value(id);
    // Docker says only "Image is up to date" on a second pull: every layer of the image that did
    // not move was already there.
    result.layersSkipped = std::max(int(state.skipped.size()),
                                    int(details.config.diffIds.size()) - result.layersTransferred);
    return result;
}

} // namespace

void EngineBackend::pull(const ImageReference &reference,
                         PullOptions options,
                         Callback<PullResult> done)
{
    if (options.allPlatforms)
        return done(fail(Error::Kind::Unsupported,
                         tr("A container engine keeps one platform of an image: pull all platforms "
                            "into the embedded store instead.")));
    withRegistryAuth(reference.domain(),
                     guarded(this, [this, reference, options, done](Result<QByteArray> auth) {
                         if (!auth)
                             return done(fail(auth.error()));
                         sendPull(reference, options, *auth, done);
                     }));
}

// POST /images/create, its progress stream parsed as it comes.
void EngineBackend::sendPull(const ImageReference &reference,
                             const PullOptions &options,
                             const QByteArray &auth,
                             Callback<PullResult> done)
{
    auto state = std::make_shared<EngineProgressStream>();
    state->mode = EngineProgressStream::Mode::Pull;
    state->progress = options.progress;

    EngineRequest request;
    request.method = "POST";
    request.path = QStringLiteral("/images/create");
    request.query.addQueryItem(QStringLiteral("fromImage"), reference.repository());
    // A digest goes in tag= too: docker and podman both join it with "@".
    request.query.addQueryItem(QStringLiteral("tag"), reference.reference());
    if (options.platform)
        request.query.addQueryItem(QStringLiteral("platform"), options.platform->toString());
    if (auth.size() > 4) // "e30=" is "{}": anonymous
        request.headers.append({"X-Registry-Auth", auth});
    request.cancel = options.cancel;
    request.onLine = [state](const QByteArray &line) {
        state->handle(line);
    };
    m_client->send(std::move(request),
                   guarded(this, [this, state, reference, done](Result<EngineResponse> r) {
                       if (!r)
                           return done(fail(r.error()));
                       if (state->error)
                           return done(fail(*state->error));
                       inspectPulled(state, reference, done);
                   }));
}

// The stream says what moved; the image says what it is made of.
void EngineBackend::inspectPulled(std::shared_ptr<EngineProgressStream> state,
                                  const ImageReference &reference,
                                  Callback<PullResult> done)
{
    // Pulled by digest, the engine made no tag: look the image up the way it was asked for.
    const QString name = reference.hasDigest()
                             ? reference.repository() + u'@' + reference.digest().toString()
                             : reference.repository() + u':' + reference.tag();
    inspectImage(name, [state, reference, done](Result<LocalImageDetails> details) {
        if (!details)
            return done(fail(details.error()));
        const PullResult result = pullResultOf(*state, reference, *details);
        TransferProgress total;
        total.state = result.layersTransferred == 0 ? TransferProgress::State::Skipped
                                                    : TransferProgress::State::Done;
        total.message = result.layersTransferred == 0
                            ? tr("Image is up to date: nothing downloaded.")
                            : tr("Pulled %n layer(s).", nullptr, result.layersTransferred);
        state->report(total);
        done(result);
    });
}

namespace {

// What a push moved, from its stream.
PushResult pushResultOf(const EngineProgressStream &state, const ImageReference &reference)
{
    PushResult result;
    result.reference = reference;
    result.digest = parseDigest(state.digest);
    QSet<QString> uploaded = state.transferred;
    uploaded.subtract(state.skipped);
    uploaded.subtract(state.mounted);
    result.blobsUploaded = int(uploaded.size());
    result.blobsSkipped = int(state.skipped.size());
    result.blobsMounted = int(state.mounted.size());
    for (const QString &id : std::as_const(uploaded))
        result.bytesUploaded += state.bytes.value(id);
    return result;
}

} // namespace

void EngineBackend::push(const ImageReference &reference,
                         PushOptions options,
                         Callback<PushResult> done)
{
    if (reference.tag().isEmpty())
        return done(fail(Error::Kind::InvalidArgument,
                         tr("Push needs a tag: %1 names an image by digest only.")
                             .arg(reference.familiarString())));
    withRegistryAuth(reference.domain(),
                     guarded(this, [this, reference, options, done](Result<QByteArray> auth) {
                         if (!auth)
                             return done(fail(auth.error()));
                         sendPush(reference, options, *auth, done);
                     }));
}

// POST /images/{name}/push, its progress stream parsed as it comes.
void EngineBackend::sendPush(const ImageReference &reference,
                             const PushOptions &options,
                             const QByteArray &auth,
                             Callback<PushResult> done)
{
    auto state = std::make_shared<EngineProgressStream>();
    state->mode = EngineProgressStream::Mode::Push;
    state->progress = options.progress;

    EngineRequest request;
    request.method = "POST";
    request.path
        = QStringLiteral("/images/%1/push").arg(EngineClient::encodeName(reference.repository()));
    request.query.addQueryItem(QStringLiteral("tag"), reference.tag());
    // Docker refuses a push without the header, even for an anonymous registry.
    request.headers.append({"X-Registry-Auth", auth});
    request.cancel = options.cancel;
    request.onLine = [state](const QByteArray &line) {
        state->handle(line);
    };
    m_client->send(std::move(request), [state, reference, done](Result<EngineResponse> r) {
        if (!r)
            return done(fail(r.error()));
        if (state->error)
            return done(fail(*state->error));
        const PushResult result = pushResultOf(*state, reference);
        if (!result.digest.isValid())
            return done(fail(Error::Kind::Protocol,
                             tr("The engine finished pushing %1 without saying which digest the "
                                "registry stored.")
                                 .arg(reference.familiarString())));
        TransferProgress total;
        total.state = TransferProgress::State::Done;
        total.message = tr("Pushed %1").arg(result.digest.toString());
        state->report(total);
        done(result);
    });
}

void EngineBackend::tag(const QString &source, const ImageReference &target, Callback<void> done)
{
    if (target.tag().isEmpty())
        return done(
            fail(Error::Kind::InvalidArgument,
                 tr("A tag target needs a tag, not a digest: %1").arg(target.familiarString())));
    EngineRequest request;
    request.method = "POST";
    request.path = QStringLiteral("/images/%1/tag").arg(EngineClient::encodeName(source));
    request.query.addQueryItem(QStringLiteral("repo"), target.repository());
    request.query.addQueryItem(QStringLiteral("tag"), target.tag());
    m_client->send(std::move(request), [done = std::move(done)](Result<EngineResponse> r) {
        if (!r)
            return done(fail(r.error()));
        done({});
    });
}

namespace {

// [{"Untagged": "x:1"}, {"Deleted": "sha256:…"}], the answer of both remove and prune.
void collectDeleted(const QJsonArray &array, QStringList *untagged, QStringList *deleted)
{
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        if (const QString u = o.value(u"Untagged").toString(); !u.isEmpty())
            untagged->append(
                EngineBackend::familiarName(u).isEmpty() ? u : EngineBackend::familiarName(u));
        if (const QString d = o.value(u"Deleted").toString(); !d.isEmpty())
            deleted->append(d);
    }
}

} // namespace

void EngineBackend::remove(const QString &nameOrId, bool force, Callback<RemoveResult> done)
{
    EngineRequest request;
    request.method = "DELETE";
    request.path = QStringLiteral("/images/%1").arg(EngineClient::encodeName(nameOrId));
    request.query.addQueryItem(QStringLiteral("force"),
                               force ? QStringLiteral("true") : QStringLiteral("false"));
    QPointer<EngineBackend> self(this);
    m_client->send(std::move(request), [self, nameOrId, done](Result<EngineResponse> r) {
        if (!r && r.error().httpStatus == 409 && self)
            return self->explainConflict(nameOrId, r.error(), done);
        if (!r)
            return done(fail(r.error()));
        RemoveResult result;
        collectDeleted(QJsonDocument::fromJson(r->body).array(), &result.untagged, &result.deleted);
        done(result);
    });
}

void EngineBackend::prune(PruneOptions options, Callback<PruneResult> done)
{
    EngineRequest request;
    request.method = "POST";
    if (options.all && kind() == Kind::Podman) {
        // Podman's compatible prune always adds dangling=true and refuses a second, different
        // dangling filter: its own API has the flag.
        request.path = QStringLiteral("/libpod/images/prune");
        request.query.addQueryItem(QStringLiteral("all"), QStringLiteral("true"));
        m_client->send(std::move(request), [done = std::move(done)](Result<EngineResponse> r) {
            if (!r)
                return done(fail(r.error()));
            PruneResult result;
            const QJsonArray array = QJsonDocument::fromJson(r->body).array();
            for (const QJsonValue &v : array) {
                const QJsonObject o = v.toObject();
                const QString err = o.value(u"Err").toString();
                if (!err.isEmpty()) {
                    qCWarning(lcStore) << "podman prune:" << err;
                    continue;
                }
                QString id = o.value(u"Id").toString();
                if (!id.isEmpty() && !id.contains(u':'))
                    id.prepend(u"sha256:");
                result.removed.append(id);
                result.reclaimedBytes += o.value(u"Size").toInteger();
            }
            done(result);
        });
        return;
    }
    request.path = QStringLiteral("/images/prune");
    if (options.all)
        request.query.addQueryItem(QStringLiteral("filters"),
                                   QStringLiteral(R"({"dangling":["false"]})"));
    m_client->send(std::move(request), [done = std::move(done)](Result<EngineResponse> r) {
        if (!r)
            return done(fail(r.error()));
        const QJsonObject o = QJsonDocument::fromJson(r->body).object();
        PruneResult result;
        QStringList untagged;
        QStringList deleted;
        collectDeleted(o.value(u"ImagesDeleted").toArray(), &untagged, &deleted);
        result.removed = deleted + untagged;
        result.reclaimedBytes = o.value(u"SpaceReclaimed").toInteger();
        done(result);
    });
}

void EngineBackend::listContainers(Callback<QList<LocalContainer>> done)
{
    EngineRequest request;
    request.path = QStringLiteral("/containers/json");
    request.query.addQueryItem(QStringLiteral("all"), QStringLiteral("1"));
    m_client->send(std::move(request), [done = std::move(done)](Result<EngineResponse> r) {
        if (!r)
            return done(fail(r.error()));
        QList<LocalContainer> containers;
        const QJsonArray array = QJsonDocument::fromJson(r->body).array();
        for (const QJsonValue &v : array) {
            const QJsonObject o = v.toObject();
            LocalContainer c;
            c.id = o.value(u"Id").toString();
            for (QString name : stringList(o.value(u"Names"))) {
                // The API names containers "/name" for historical reasons; users never see the
                // slash.
                if (name.startsWith(u'/'))
                    name.remove(0, 1);
                c.names.append(name);
            }
            c.image = o.value(u"Image").toString();
            c.imageId = parseDigest(o.value(u"ImageID").toString());
            c.state = o.value(u"State").toString();
            c.status = o.value(u"Status").toString();
            c.command = o.value(u"Command").toString();
            c.created = QDateTime::fromSecsSinceEpoch(o.value(u"Created").toInteger(), Qt::UTC);
            containers.append(c);
        }
        done(containers);
    });
}

} // namespace Berth
