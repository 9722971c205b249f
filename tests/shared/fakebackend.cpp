#include "fakebackend.h"

#include "common/sha256.h"
#include "store/imageinuse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

#include <algorithm>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace BerthTest {

namespace {

Digest digestOf(QByteArrayView data)
{
    return *Digest::parse(Sha256::digestOf(data));
}

Error cancelled()
{
    return Error::make(Error::Kind::Cancelled, QStringLiteral("Cancelled"));
}

// "busybox:1.0" → "busybox:1.0", "docker.io/library/node:20" → "node:20"; as typed when it is no
// reference (an image ID).
QString familiar(const QString &name)
{
    const auto parsed = ImageReference::parse(name);
    return parsed ? parsed->familiarString() : name;
}

bool isHex(const QString &text)
{
    return !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.isDigit() || (c >= u'a' && c <= u'f');
    });
}

QByteArray configFor(const QList<QByteArray> &layers, const FakeImageSpec &spec)
{
    QJsonArray diffIds;
    QJsonArray history;
    for (int i = 0; i < layers.size(); ++i) {
        diffIds.append(digestOf(layers.at(i)).toString());
        history.append(
            QJsonObject{{u"created"_s, u"2024-01-01T00:00:00Z"_s},
                        {u"created_by"_s, u"/bin/sh -c #(nop) ADD file:layer%1 in / "_s.arg(i)}});
    }
    history.append(QJsonObject{{u"created"_s, u"2024-01-01T00:00:00Z"_s},
                               {u"created_by"_s, u"/bin/sh -c #(nop)  CMD [\"sh\"]"_s},
                               {u"empty_layer"_s, true}});
    const QJsonObject config{
        {u"architecture"_s, spec.platform.architecture},
        {u"os"_s, spec.platform.os},
        {u"created"_s, u"2024-01-01T00:00:00Z"_s},
        {u"config"_s, QJsonObject{{u"Cmd"_s, QJsonArray{u"sh"_s}}}},
        {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, diffIds}}},
        {u"history"_s, history},
    };
    return QJsonDocument(config).toJson(QJsonDocument::Compact);
}

} // namespace

struct FakeBackend::Task
{
    Op op;
    Script script;
    QList<Line> lines;
    Work work;
    Failure failed;
    CancelToken cancel;
    qsizetype next = 0;
    bool pastGate = false;
    bool released = false;
    bool ended = false;
};

FakeBackend::FakeBackend(Kind kind, QObject *parent)
    : ImageBackend(parent)
    , m_kind(kind)
    , m_description(QStringLiteral("In-memory %1 backend").arg(kindName(kind)))
{}

FakeBackend::~FakeBackend() = default;

Digest FakeBackend::addRemoteImage(const QString &reference, ImageSpec spec)
{
    const auto parsed = ImageReference::parse(reference);
    Q_ASSERT(parsed);
    Image image = makeImage(reference, spec);
    m_remote->insert(parsed->toString(), image);
    return image.local.id;
}

Digest FakeBackend::addImage(const QString &reference, ImageSpec spec)
{
    Image image = makeImage(reference, spec);
    const Digest id = image.local.id;
    store(std::move(image), familiar(reference));
    return id;
}

QString FakeBackend::addContainer(const QString &name, const QString &image, const QString &state)
{
    const Image *found = find(image);
    Q_ASSERT(found);
    LocalContainer container;
    container.id = digestOf(name.toUtf8()).encoded();
    container.names = {name};
    container.image = image;
    container.imageId = found->local.id;
    container.state = state;
    container.status = state == u"running" ? QStringLiteral("Up 3 minutes")
                                           : QStringLiteral("Exited (0) 3 minutes ago");
    container.command = QStringLiteral("true");
    container.created = QDateTime::currentDateTimeUtc();
    m_containers.append(container);
    changed(false, true);
    return container.id;
}

QList<LocalImage> FakeBackend::images() const
{
    QList<LocalImage> list;
    for (const Image &image : m_images)
        list.append(image.local);
    return list;
}

QList<LocalContainer> FakeBackend::containers() const
{
    return m_containers;
}

QStringList FakeBackend::tags() const
{
    QStringList all;
    for (const Image &image : m_images)
        all += image.local.repoTags;
    all.sort();
    return all;
}

QStringList FakeBackend::remoteReferences() const
{
    return m_remote->keys();
}

// Scripting

void FakeBackend::script(Op op, Script script)
{
    m_scripts[op].append(std::move(script));
}

void FakeBackend::scriptAll(Op op, Script script)
{
    m_always.insert(op, std::move(script));
}

void FakeBackend::clearScripts()
{
    m_scripts.clear();
    m_always.clear();
}

void FakeBackend::failNext(Op op, Error::Kind kind, const QString &message, int afterLines)
{
    script(op, {afterLines, Error::make(kind, message), false});
}

void FakeBackend::holdNext(Op op, int afterLines)
{
    script(op, {afterLines, std::nullopt, true});
}

bool FakeBackend::release(Op op)
{
    const auto it
        = std::find_if(m_held.begin(), m_held.end(), [op](const auto &t) { return t->op == op; });
    if (it == m_held.end())
        return false;
    const std::shared_ptr<Task> task = *it;
    m_held.erase(it);
    task->released = true;
    post(task);
    return true;
}

int FakeBackend::heldCount(Op op) const
{
    return int(
        std::count_if(m_held.cbegin(), m_held.cend(), [op](const auto &t) { return t->op == op; }));
}

FakeBackend::Script FakeBackend::takeScript(Op op)
{
    QList<Script> &queued = m_scripts[op];
    if (!queued.isEmpty())
        return queued.takeFirst();
    return m_always.value(op);
}

// Running an operation

void FakeBackend::run(
    Op op, const CancelToken &cancel, QList<Line> lines, Work work, Failure failed)
{
    ++m_calls[op];
    auto task = std::make_shared<Task>();
    task->op = op;
    task->script = takeScript(op);
    task->lines = std::move(lines);
    task->work = std::move(work);
    task->failed = std::move(failed);
    task->cancel = cancel;
    m_running.append(task);
    // Weak on both sides: a token kept by the caller holds neither the task nor the backend.
    std::weak_ptr<Task> weak = task;
    QPointer<FakeBackend> self(this);
    cancel.onCancel([self, weak] {
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, weak] {
                if (const auto t = weak.lock(); t && self)
                    self->end(t, cancelled());
            },
            Qt::QueuedConnection);
    });
    post(task);
}

void FakeBackend::post(const std::shared_ptr<Task> &task)
{
    std::weak_ptr<Task> weak = task;
    QTimer::singleShot(0, this, [this, weak] {
        if (const auto t = weak.lock())
            advance(t);
    });
}

void FakeBackend::advance(const std::shared_ptr<Task> &task)
{
    if (task->ended)
        return;
    if (task->cancel.isCancelled())
        return end(task, cancelled());
    const qsizetype gate = task->script.stopAfter < 0
                               ? task->lines.size()
                               : std::min<qsizetype>(task->script.stopAfter, task->lines.size());
    if (!task->pastGate && task->next >= gate) {
        if (task->script.hold && !task->released) {
            m_held.append(task);
            return;
        }
        if (task->script.failure)
            return end(task, task->script.failure);
        task->pastGate = true;
    }
    if (task->next < task->lines.size()) {
        task->lines.at(task->next++)();
        return post(task);
    }
    end(task, std::nullopt);
}

void FakeBackend::end(const std::shared_ptr<Task> &which, const std::optional<Error> &error)
{
    const std::shared_ptr<Task> task = which; // the lists below may hold the last reference
    if (task->ended)
        return;
    task->ended = true;
    m_held.removeAll(task);
    m_running.removeAll(task);
    // The answer may delete this backend: nothing of it is touched afterwards.
    if (error)
        task->failed(*error);
    else
        task->work();
}

// The images

FakeBackend::Image FakeBackend::makeImage(const QString &reference, const ImageSpec &spec) const
{
    const auto parsed = ImageReference::parse(reference);
    const QString seed = spec.seed.isEmpty() && parsed ? parsed->familiarRepository() : spec.seed;
    QList<QByteArray> layers;
    for (int i = 0; i < spec.layers; ++i)
        layers.append(
            QStringLiteral("layer %1 of %2\n").arg(i).arg(seed).toUtf8().repeated(32 * (i + 1)));
    return assemble(layers, spec);
}

FakeBackend::Image FakeBackend::assemble(const QList<QByteArray> &layers,
                                         const ImageSpec &spec) const
{
    Image image;
    image.layers = layers;
    QJsonArray digests;
    for (const QByteArray &layer : layers) {
        image.layerFiles.append(QStringLiteral("berth/layer%1").arg(image.layerFiles.size()));
        digests.append(digestOf(layer).toString());
        image.local.size += layer.size();
    }
    image.config = configFor(layers, spec);
    image.manifest
        = digestOf(QJsonDocument(QJsonObject{{u"config"_s, digestOf(image.config).toString()},
                                             {u"layers"_s, digests}})
                       .toJson(QJsonDocument::Compact));
    image.local.id = digestOf(image.config);
    image.local.created = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
    image.local.platform = spec.platform;
    return image;
}

FakeBackend::Image *FakeBackend::find(const QString &nameOrId)
{
    return const_cast<Image *>(std::as_const(*this).find(nameOrId));
}

const FakeBackend::Image *FakeBackend::find(const QString &nameOrId) const
{
    QString hex = nameOrId;
    if (hex.startsWith(u"sha256:"))
        hex.remove(0, 7);
    const bool byId = isHex(hex) && (hex.size() >= 12 || nameOrId.startsWith(u"sha256:"));
    const QString name = familiar(nameOrId);
    for (const Image &image : m_images) {
        if (byId && image.local.id.encoded().startsWith(hex))
            return &image;
        if (image.local.repoTags.contains(name))
            return &image;
    }
    return nullptr;
}

void FakeBackend::store(Image image, const QString &tag)
{
    if (!tag.isEmpty())
        untag(tag);
    const auto it = std::find_if(m_images.begin(), m_images.end(), [&](const Image &i) {
        return i.local.id == image.local.id;
    });
    Image &kept = it != m_images.end() ? *it : m_images.emplace_back(std::move(image));
    if (!tag.isEmpty() && !kept.local.repoTags.contains(tag))
        kept.local.repoTags.append(tag);
    changed(true, false);
}

void FakeBackend::untag(const QString &tag)
{
    for (Image &image : m_images)
        image.local.repoTags.removeAll(tag);
}

QList<LocalContainer> FakeBackend::usersOf(const Digest &id) const
{
    QList<LocalContainer> users;
    for (const LocalContainer &c : m_containers) {
        if (c.imageId == id)
            users.append(c);
    }
    return users;
}

QList<FakeBackend::Line>
FakeBackend::blobLines(const Image &image,
                       const std::function<void(const TransferProgress &)> &progress,
                       bool present) const
{
    QList<QPair<QString, qint64>> blobs{{image.local.id.toString(), image.config.size()}};
    for (const QByteArray &layer : image.layers)
        blobs.append({digestOf(layer).toString(), layer.size()});
    QList<Line> lines;
    if (!progress)
        return lines;
    using S = TransferProgress::State;
    for (const auto &[name, size] : std::as_const(blobs)) {
        if (present) {
            lines.append([=] { progress({name, S::Skipped, size, size, QString()}); });
            continue;
        }
        lines.append([=] { progress({name, S::Transferring, size / 2, size, QString()}); });
        lines.append([=] { progress({name, S::Done, size, size, QString()}); });
    }
    return lines;
}

// The operations

void FakeBackend::listImages(Callback<QList<LocalImage>> done)
{
    run<QList<LocalImage>>(
        Op::ListImages, {}, {}, [this]() -> Result<QList<LocalImage>> { return images(); }, done);
}

void FakeBackend::inspectImage(const QString &nameOrId, Callback<LocalImageDetails> done)
{
    run<LocalImageDetails>(
        Op::Inspect,
        {},
        {},
        [this, nameOrId]() -> Result<LocalImageDetails> {
            const Image *image = find(nameOrId);
            if (!image)
                return fail(Error::Kind::NotFound,
                            QStringLiteral("No such image: %1").arg(nameOrId));
            LocalImageDetails details;
            details.image = image->local;
            details.config = *parseImageConfig(image->config);
            if (m_kind != Kind::Embedded)
                return details; // engines give diff IDs only, sizes through the history
            details.manifestDigest = image->manifest;
            details.manifestMediaType
                = QStringLiteral("application/vnd.oci.image.manifest.v1+json");
            for (const QByteArray &layer : image->layers)
                details.layers.append({QStringLiteral("application/vnd.oci.image.layer.v1.tar"),
                                       digestOf(layer),
                                       layer.size(),
                                       {},
                                       {},
                                       {}});
            return details;
        },
        done);
}

void FakeBackend::history(const QString &nameOrId, Callback<QList<ImageHistoryRow>> done)
{
    run<QList<ImageHistoryRow>>(
        Op::History,
        {},
        {},
        [this, nameOrId]() -> Result<QList<ImageHistoryRow>> {
            const Image *image = find(nameOrId);
            if (!image)
                return fail(Error::Kind::NotFound,
                            QStringLiteral("No such image: %1").arg(nameOrId));
            const ImageConfig config = *parseImageConfig(image->config);
            QList<ImageHistoryRow> rows;
            int layer = 0;
            for (const HistoryEntry &entry : config.history) {
                ImageHistoryRow row;
                row.id = QStringLiteral("<missing>");
                row.created = entry.created;
                row.createdBy = entry.createdBy;
                row.emptyLayer = entry.emptyLayer;
                row.size = entry.emptyLayer ? 0 : image->layers.value(layer++).size();
                rows.prepend(row); // newest first
            }
            rows.first().id = image->local.id.toString();
            rows.first().tags = image->local.repoTags;
            return rows;
        },
        done);
}

void FakeBackend::pull(const ImageReference &reference,
                       PullOptions options,
                       Callback<PullResult> done)
{
    const auto remote = m_remote->constFind(reference.toString());
    if (remote == m_remote->cend()) {
        const QString message = QStringLiteral("manifest for %1 not found: manifest unknown")
                                    .arg(reference.familiarString());
        return run<PullResult>(
            Op::Pull,
            options.cancel,
            {},
            [message]() -> Result<PullResult> { return fail(Error::Kind::NotFound, message); },
            done);
    }
    const Image image = *remote;
    const bool present = find(image.local.id.toString()) != nullptr;
    run<PullResult>(
        Op::Pull,
        options.cancel,
        blobLines(image, options.progress, present),
        [this, image, present, reference]() -> Result<PullResult> {
            Image pulled = image;
            pulled.local.repoDigests
                = {reference.familiarRepository() + u'@' + image.manifest.toString()};
            store(std::move(pulled), reference.familiarString());
            PullResult result;
            result.reference = reference;
            result.digest = image.manifest;
            result.imageId = image.local.id;
            const int blobs = int(image.layers.size()) + 1;
            (present ? result.layersSkipped : result.layersTransferred) = blobs;
            (present ? result.bytesSkipped : result.bytesTransferred)
                = image.local.size + image.config.size();
            return result;
        },
        done);
}

void FakeBackend::push(const ImageReference &reference,
                       PushOptions options,
                       Callback<PushResult> done)
{
    const Image *local = find(reference.familiarString());
    if (!local) {
        const QString message = QStringLiteral("An image does not exist locally with the tag: %1")
                                    .arg(reference.familiarString());
        return run<PushResult>(
            Op::Push,
            options.cancel,
            {},
            [message]() -> Result<PushResult> { return fail(Error::Kind::NotFound, message); },
            done);
    }
    const Image image = *local;
    const QString key = reference.toString();
    const bool present = m_remote->contains(key) && m_remote->value(key).local.id == image.local.id;
    run<PushResult>(
        Op::Push,
        options.cancel,
        blobLines(image, options.progress, present),
        [this, image, present, key, reference]() -> Result<PushResult> {
            Image pushed = image;
            pushed.local.repoTags.clear();
            m_remote->insert(key, pushed);
            PushResult result;
            result.reference = reference;
            result.digest = image.manifest;
            const int blobs = int(image.layers.size()) + 1;
            (present ? result.blobsSkipped : result.blobsUploaded) = blobs;
            result.bytesUploaded = present ? 0 : image.local.size + image.config.size();
            return result;
        },
        done);
}

void FakeBackend::tag(const QString &source, const ImageReference &target, Callback<void> done)
{
    run<void>(
        Op::Tag,
        {},
        {},
        [this, source, target]() -> Status {
            const Image *image = find(source);
            if (!image)
                return fail(Error::Kind::NotFound, QStringLiteral("No such image: %1").arg(source));
            store(*image, target.familiarString());
            return {};
        },
        done);
}

void FakeBackend::remove(const QString &nameOrId, bool force, Callback<RemoveResult> done)
{
    run<RemoveResult>(
        Op::Remove, {}, {}, [this, nameOrId, force]() { return removeNow(nameOrId, force); }, done);
}

Result<RemoveResult> FakeBackend::removeNow(const QString &nameOrId, bool force)
{
    Image *image = find(nameOrId);
    if (!image)
        return fail(Error::Kind::NotFound, QStringLiteral("No such image: %1").arg(nameOrId));
    RemoveResult result;
    const QString name = familiar(nameOrId);
    // A name of an image that has others: only that name goes, whoever uses the image.
    if (image->local.repoTags.contains(name) && image->local.repoTags.size() > 1) {
        image->local.repoTags.removeAll(name);
        result.untagged = {name};
        changed(true, false);
        return result;
    }
    const QList<LocalContainer> users = usersOf(image->local.id);
    if (!users.isEmpty() && !force) {
        Error conflict = Error::make(
            Error::Kind::Denied,
            QStringLiteral("conflict: unable to remove repository reference \"%1\" (must force) - "
                           "container %2 is using its referenced image %3")
                .arg(nameOrId, users.first().id.left(12), image->local.id.shortId()));
        conflict.httpStatus = 409;
        return fail(imageInUseError(nameOrId, users, conflict));
    }
    result.untagged = image->local.repoTags;
    result.deleted = {image->local.id.toString()};
    const Digest id = image->local.id;
    m_images.removeIf([&](const Image &i) { return i.local.id == id; });
    changed(true, false);
    return result;
}

void FakeBackend::prune(PruneOptions options, Callback<PruneResult> done)
{
    run<PruneResult>(
        Op::Prune,
        {},
        {},
        [this, options]() -> Result<PruneResult> {
            PruneResult result;
            m_images.removeIf([&](const Image &image) {
                const bool unused = (options.all || image.local.repoTags.isEmpty())
                                    && usersOf(image.local.id).isEmpty();
                if (unused) {
                    result.removed.append(image.local.id.toString());
                    result.reclaimedBytes += image.local.size;
                }
                return unused;
            });
            if (!result.removed.isEmpty())
                changed(true, false);
            return result;
        },
        done);
}

void FakeBackend::listContainers(Callback<QList<LocalContainer>> done)
{
    if (!hasContainers())
        return ImageBackend::listContainers(done);
    run<QList<LocalContainer>>(
        Op::ListContainers,
        {},
        {},
        [this]() -> Result<QList<LocalContainer>> { return m_containers; },
        done);
}

void FakeBackend::removeContainer(const QString &nameOrId, bool force, Callback<void> done)
{
    run<void>(
        Op::RemoveContainer,
        {},
        {},
        [this, nameOrId, force]() -> Status {
            const auto it = std::find_if(
                m_containers.begin(), m_containers.end(), [&](const LocalContainer &c) {
                    return c.names.contains(nameOrId) || c.id.startsWith(nameOrId);
                });
            if (it == m_containers.end())
                return fail(Error::Kind::NotFound,
                            QStringLiteral("No such container: %1").arg(nameOrId));
            if (it->state == u"running" && !force)
                return fail(Error::Kind::Denied,
                            QStringLiteral("cannot remove container \"%1\": container is running: "
                                           "stop the container before removing or force remove")
                                .arg(nameOrId));
            m_containers.erase(it);
            changed(false, true);
            return {};
        },
        done);
}

} // namespace BerthTest
