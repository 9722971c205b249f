// The engine backend (core/store/enginebackend) against a real dockerd and a real
// `podman system service`, both started by the test services with `--with docker,podman`, pulling
// from and pushing to the local registries. Every test runs once per engine.

#include "asynctest.h"
#include "testcredentials.h"
#include "testservices.h"

#include "archive/archivelayout.h"
#include "archive/tarwriter.h"
#include "store/enginebackend.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

// Restores an environment variable when the test function ends, passed or not.
class EnvGuard final
{
public:
    explicit EnvGuard(const char *name)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_value(qgetenv(name))
    {}
    ~EnvGuard()
    {
        if (m_had)
            qputenv(m_name, m_value);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_value;
};

QString errorText(const Error &e)
{
    return QStringLiteral("%1 (%2, HTTP %3)")
        .arg(e.message, errorKindName(e.kind))
        .arg(e.httpStatus);
}

// The digest a registry holds for a tag, read by skopeo: an implementation independent of ours
// and of the engines'.
QString skopeoDigest(const QString &reference, const TestRegistry &registry)
{
    QStringList args{u"inspect"_s, u"--tls-verify=false"_s};
    if (registry.username.isEmpty())
        args << u"--no-creds"_s;
    else
        args << u"--creds"_s << registry.username + u':' + registry.password;
    args << u"docker://"_s + reference;
    QProcess skopeo;
    skopeo.start(u"skopeo"_s, args);
    if (!skopeo.waitForFinished(120000) || skopeo.exitCode() != 0) {
        qWarning("skopeo inspect %s failed: %s",
                 qPrintable(reference),
                 skopeo.readAllStandardError().constData());
        return {};
    }
    return QJsonDocument::fromJson(skopeo.readAllStandardOutput())
        .object()
        .value(u"Digest")
        .toString();
}

} // namespace

class tst_EngineBackend final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EngineBackend> connectTo(const QString &engine);
    void addEngineRows();
    // Removes an image and everything that came with it, so a test starts from an engine that
    // does not have it (an earlier row or a failed run may have left it).
    void forget(EngineBackend &backend, const QString &name);
    Result<PullResult> pull(EngineBackend &backend,
                            const QString &reference,
                            QList<TransferProgress> *progress = nullptr,
                            CancelToken cancel = {});

    TestCredentials m_credentials;

private slots:
    void initTestCase();

    void discoveryFromDockerHost_data() { addEngineRows(); }
    void discoveryFromDockerHost();
    void discoveryFromContext_data() { addEngineRows(); }
    void discoveryFromContext();
    void pullListAndPullAgain_data() { addEngineRows(); }
    void pullListAndPullAgain();
    void pullByDigest_data() { addEngineRows(); }
    void pullByDigest();
    void pullWithLogin_data() { addEngineRows(); }
    void pullWithLogin();
    void pullMissingTag_data() { addEngineRows(); }
    void pullMissingTag();
    void tagAndPush_data() { addEngineRows(); }
    void tagAndPush();
    void pushWithoutLoginFails_data() { addEngineRows(); }
    void pushWithoutLoginFails();
    void removeAndPrune_data() { addEngineRows(); }
    void removeAndPrune();
    void containers_data() { addEngineRows(); }
    void containers();
    void cancelPull_data() { addEngineRows(); }
    void cancelPull();
    void loadFilesystemTar_data() { addEngineRows(); }
    void loadFilesystemTar();
    void registryAuthHeader();
    void familiarNames();
};

void tst_EngineBackend::initTestCase()
{
    const TestServices &services = TestServices::instance();
    for (const QString &engine : {u"docker"_s, u"podman"_s}) {
        if (services.engineSocket(engine).isEmpty())
            QFAIL(qPrintable(
                u"The test services were started without %1: start them with "
                "`berth-services start --with docker,podman` (the ctest fixture does)."_s.arg(
                    engine)));
    }
    const TestRegistry basic = services.registry(u"basic"_s);
    m_credentials.set(basic.host, Credential{basic.username, basic.password, false});
    const TestRegistry token = services.registry(u"token"_s);
    m_credentials.set(token.host, Credential{token.username, token.password, false});
}

void tst_EngineBackend::addEngineRows()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("docker") << u"docker"_s;
    QTest::newRow("podman") << u"podman"_s;
}

std::unique_ptr<EngineBackend> tst_EngineBackend::connectTo(const QString &engine)
{
    // Through DOCKER_HOST, as a user pointing Berth at an engine would.
    EnvGuard guard("DOCKER_HOST");
    const QString socket = TestServices::instance().engineSocket(engine);
    qputenv("DOCKER_HOST", (u"unix://"_s + socket).toUtf8());
    auto found = await<std::unique_ptr<EngineBackend>>(
        [&](auto done) { EngineBackend::discover(&m_credentials, std::nullopt, done); });
    if (!found) {
        qWarning(
            "discovery of %s failed: %s", qPrintable(engine), qPrintable(errorText(found.error())));
        return {};
    }
    return std::move(*found);
}

void tst_EngineBackend::forget(EngineBackend &backend, const QString &name)
{
    auto removed = await<RemoveResult>([&](auto done) { backend.remove(name, true, done); });
    QVERIFY2(removed || removed.error().kind == Error::Kind::NotFound,
             qPrintable(removed ? QString() : errorText(removed.error())));
}

Result<PullResult> tst_EngineBackend::pull(EngineBackend &backend,
                                           const QString &reference,
                                           QList<TransferProgress> *progress,
                                           CancelToken cancel)
{
    auto ref = ImageReference::parse(reference);
    if (!ref)
        return fail(ref.error());
    PullOptions options;
    options.cancel = cancel;
    if (progress)
        options.progress = [progress](const TransferProgress &p) {
            progress->append(p);
        };
    return await<PullResult>([&](auto done) { backend.pull(*ref, options, done); }, 300000);
}

void tst_EngineBackend::discoveryFromDockerHost()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    QCOMPARE(backend->kind(),
             engine == u"podman" ? ImageBackend::Kind::Podman : ImageBackend::Kind::Docker);
    QVERIFY2(backend->description().contains(TestServices::instance().engineSocket(engine)),
             qPrintable(backend->description()));
    QCOMPARE(backend->info().apiVersion.isEmpty(), false);
    QVERIFY(backend->hasContainers());

    // Only local sockets: a TCP engine is refused with a reason, not tried.
    EnvGuard guard("DOCKER_HOST");
    qputenv("DOCKER_HOST", "tcp://127.0.0.1:2375");
    const auto candidates = EngineClient::candidateEndpoints();
    QVERIFY(!candidates);
    QCOMPARE(candidates.error().kind, Error::Kind::Unsupported);
    QVERIFY2(candidates.error().message.contains(u"tcp://127.0.0.1:2375"),
             qPrintable(candidates.error().message));

    // Asking for the other flavour finds nothing there and says what it found instead.
    qputenv("DOCKER_HOST", (u"unix://"_s + TestServices::instance().engineSocket(engine)).toUtf8());
    const auto other
        = engine == u"podman" ? EngineInfo::Flavour::Docker : EngineInfo::Flavour::Podman;
    auto wrong = await<std::unique_ptr<EngineBackend>>(
        [&](auto done) { EngineBackend::discover(&m_credentials, other, done); });
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().kind, Error::Kind::NotFound);
}

void tst_EngineBackend::discoveryFromContext()
{
    QFETCH(QString, engine);
    EnvGuard host("DOCKER_HOST");
    EnvGuard config("DOCKER_CONFIG");
    EnvGuard context("DOCKER_CONTEXT");
    qunsetenv("DOCKER_HOST");
    qunsetenv("DOCKER_CONTEXT");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    qputenv("DOCKER_CONFIG", dir.path().toUtf8());
    const QString socket = TestServices::instance().engineSocket(engine);

    auto writeJson = [](const QString &path, const QJsonObject &object) {
        QDir().mkpath(QFileInfo(path).path());
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(object).toJson()) > 0;
    };
    QVERIFY(writeJson(dir.filePath(u"config.json"_s),
                      {{u"currentContext"_s, QString(u"berth-"_s + engine)}}));
    // A context that is not the current one must not be picked.
    QVERIFY(writeJson(
        dir.filePath(u"contexts/meta/0000/meta.json"_s),
        {{u"Name"_s, u"other"_s},
         {u"Endpoints"_s,
          QJsonObject{{u"docker"_s, QJsonObject{{u"Host"_s, u"unix:///nonexistent.sock"_s}}}}}}));
    QVERIFY(writeJson(
        dir.filePath(u"contexts/meta/1111/meta.json"_s),
        {{u"Name"_s, QString(u"berth-"_s + engine)},
         {u"Endpoints"_s,
          QJsonObject{{u"docker"_s, QJsonObject{{u"Host"_s, QString(u"unix://"_s + socket)}}}}}}));

    const auto candidates = EngineClient::candidateEndpoints();
    QVERIFY2(candidates, qPrintable(candidates ? QString() : errorText(candidates.error())));
    QCOMPARE(candidates->size(), 1);
    QCOMPARE(candidates->first().socketPath, socket);
    auto found = await<std::unique_ptr<EngineBackend>>(
        [&](auto done) { EngineBackend::discover(&m_credentials, std::nullopt, done); });
    QVERIFY2(found, qPrintable(found ? QString() : errorText(found.error())));
    QCOMPARE((*found)->kind(),
             engine == u"podman" ? ImageBackend::Kind::Podman : ImageBackend::Kind::Docker);

    // DOCKER_CONTEXT names another context than config.json: it wins, as with docker.
    qputenv("DOCKER_CONTEXT", "missing");
    const auto missing = EngineClient::candidateEndpoints();
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
}

void tst_EngineBackend::pullListAndPullAgain()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    const TestServices &services = TestServices::instance();
    const QString plain = services.registry(u"plain"_s).host;
    const QString name = plain + u"/berth/busybox:1.0"_s;
    const QJsonObject fixture = services.image(u"busybox"_s);
    const int layers = fixture.value(u"layers").toInt();
    QVERIFY(layers > 0);
    forget(*backend, name);
    auto pruned = await<PruneResult>([&](auto done) { backend->prune({.all = true}, done); });
    QVERIFY2(pruned, qPrintable(pruned ? QString() : errorText(pruned.error())));

    QList<TransferProgress> progress;
    auto first = pull(*backend, name, &progress);
    QVERIFY2(first, qPrintable(first ? QString() : errorText(first.error())));
    QCOMPARE(first->layersTransferred, layers);
    QCOMPARE(first->layersSkipped, 0);
    QVERIFY(first->imageId.isValid());
    QCOMPARE(first->digest.toString(), fixture.value(u"digest").toString());
    QVERIFY(std::any_of(progress.cbegin(), progress.cend(), [](const TransferProgress &p) {
        return !p.item.isEmpty() && p.state == TransferProgress::State::Done;
    }));

    auto images = await<QList<LocalImage>>([&](auto done) { backend->listImages(done); });
    QVERIFY2(images, qPrintable(images ? QString() : errorText(images.error())));
    const auto it = std::find_if(images->cbegin(), images->cend(), [&](const LocalImage &i) {
        return i.id == first->imageId;
    });
    QVERIFY(it != images->cend());
    QVERIFY2(it->repoTags.contains(name), qPrintable(it->repoTags.join(u", ")));
    QVERIFY(it->size > 0);
    QVERIFY(it->created.isValid());

    auto details = await<LocalImageDetails>([&](auto done) { backend->inspectImage(name, done); });
    QVERIFY2(details, qPrintable(details ? QString() : errorText(details.error())));
    QCOMPARE(details->image.id, first->imageId);
    QCOMPARE(details->config.diffIds.size(), layers);
    QCOMPARE(details->config.labels.value(u"org.berth.test"_s), u"true"_s);
    QCOMPARE(details->image.platform.architecture, u"amd64"_s);

    // The Docker course's promise: the second docker pull downloads nothing.
    progress.clear();
    auto second = pull(*backend, name, &progress);
    QVERIFY2(second, qPrintable(second ? QString() : errorText(second.error())));
    QCOMPARE(second->layersTransferred, 0);
    QCOMPARE(second->bytesTransferred, 0);
    QCOMPARE(second->layersSkipped, layers);
    QCOMPARE(second->imageId, first->imageId);
    QVERIFY(std::none_of(progress.cbegin(), progress.cend(), [](const TransferProgress &p) {
        return p.state == TransferProgress::State::Transferring && !p.item.isEmpty() && p.total > 0;
    }));
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().item, QString());
    QCOMPARE(progress.last().state, TransferProgress::State::Skipped);
}

void tst_EngineBackend::pullByDigest()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    const TestServices &services = TestServices::instance();
    const QString digest = services.image(u"busybox"_s).value(u"digest").toString();
    const QString name = services.registry(u"plain"_s).host + u"/berth/busybox@"_s + digest;
    auto pulled = pull(*backend, name);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));
    QCOMPARE(pulled->digest.toString(), digest);
    QVERIFY(pulled->imageId.isValid());
}

void tst_EngineBackend::pullWithLogin()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    const TestRegistry basic = TestServices::instance().registry(u"basic"_s);
    const QString name = basic.host + u"/private/secret:1.0"_s;
    forget(*backend, name);
    const int before = m_credentials.lookups();
    auto pulled = pull(*backend, name);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));
    QVERIFY(m_credentials.lookups() > before);
    QCOMPARE(pulled->digest.toString(),
             TestServices::instance().image(u"private"_s).value(u"digest").toString());
}

void tst_EngineBackend::pullMissingTag()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    const QString plain = TestServices::instance().registry(u"plain"_s).host;
    // Docker answers 404 before streaming; Podman answers 200 and reports the error in the stream.
    auto missing = pull(*backend, plain + u"/berth/busybox:no-such-tag"_s);
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, Error::Kind::NotFound);
    QVERIFY2(missing.error().message.contains(u"manifest unknown"),
             qPrintable(errorText(missing.error())));
    QVERIFY2(missing.error().message.contains(u"no-such-tag"),
             qPrintable(errorText(missing.error())));
}

void tst_EngineBackend::tagAndPush()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    const TestServices &services = TestServices::instance();
    const QString source = services.registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    auto pulled = pull(*backend, source);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));

    for (const QString &flavour : {u"plain"_s, u"basic"_s, u"token"_s}) {
        const TestRegistry registry = services.registry(flavour);
        const QString name = u"%1/engine-%2/pushed:%3"_s.arg(registry.host, engine, flavour);
        auto target = ImageReference::parse(name);
        QVERIFY(target);
        auto tagged = await<void>([&](auto done) { backend->tag(source, *target, done); });
        QVERIFY2(tagged, qPrintable(tagged ? QString() : errorText(tagged.error())));

        QList<TransferProgress> progress;
        PushOptions options;
        options.progress = [&progress](const TransferProgress &p) {
            progress.append(p);
        };
        auto pushed
            = await<PushResult>([&](auto done) { backend->push(*target, options, done); }, 300000);
        QVERIFY2(
            pushed,
            qPrintable(u"%1: %2"_s.arg(flavour, pushed ? QString() : errorText(pushed.error()))));
        QVERIFY(pushed->digest.isValid());
        QCOMPARE(skopeoDigest(name, registry), pushed->digest.toString());
        QVERIFY(!progress.isEmpty());
    }

    // The new names are local images of their own, sharing the source's ID.
    auto images = await<QList<LocalImage>>([&](auto done) { backend->listImages(done); });
    QVERIFY2(images, qPrintable(images ? QString() : errorText(images.error())));
    const auto it = std::find_if(images->cbegin(), images->cend(), [&](const LocalImage &i) {
        return i.id == pulled->imageId;
    });
    QVERIFY(it != images->cend());
    QVERIFY2(it->repoTags.contains(services.registry(u"basic"_s).host + u"/engine-"_s + engine
                                   + u"/pushed:basic"_s),
             qPrintable(it->repoTags.join(u", ")));
}

void tst_EngineBackend::pushWithoutLoginFails()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    const TestServices &services = TestServices::instance();
    const QString source = services.registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    auto pulled = pull(*backend, source);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));
    const TestRegistry basic = services.registry(u"basic"_s);
    auto target = ImageReference::parse(u"%1/engine-%2/anonymous:1"_s.arg(basic.host, engine));
    QVERIFY(target);
    QVERIFY(await<void>([&](auto done) { backend->tag(source, *target, done); }));

    EngineBackend anonymous(
        EngineEndpoint{services.engineSocket(engine), u"test"_s}, backend->info(), nullptr);
    auto pushed = await<PushResult>([&](auto done) { anonymous.push(*target, {}, done); }, 300000);
    QVERIFY(!pushed);
    QCOMPARE(pushed.error().kind, Error::Kind::Unauthorized);
}

void tst_EngineBackend::removeAndPrune()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    const QString source
        = TestServices::instance().registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    auto pulled = pull(*backend, source);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));
    auto target = ImageReference::parse(u"berth-prune/x:1"_s);
    QVERIFY(target);
    QVERIFY(await<void>([&](auto done) { backend->tag(source, *target, done); }));

    // Removing one of several names only untags.
    auto removed
        = await<RemoveResult>([&](auto done) { backend->remove(target->toString(), false, done); });
    QVERIFY2(removed, qPrintable(removed ? QString() : errorText(removed.error())));
    QVERIFY2(removed->untagged.contains(u"berth-prune/x:1"_s),
             qPrintable(removed->untagged.join(u", ")));
    QVERIFY(removed->deleted.isEmpty());

    auto again
        = await<RemoveResult>([&](auto done) { backend->remove(target->toString(), false, done); });
    QVERIFY(!again);
    QCOMPARE(again.error().kind, Error::Kind::NotFound);
    QCOMPARE(again.error().httpStatus, 404);

    // prune without --all keeps tagged images; with --all it removes every unused one.
    auto kept = await<PruneResult>([&](auto done) { backend->prune({}, done); });
    QVERIFY2(kept, qPrintable(kept ? QString() : errorText(kept.error())));
    auto images = await<QList<LocalImage>>([&](auto done) { backend->listImages(done); });
    QVERIFY(images);
    QVERIFY(std::any_of(images->cbegin(), images->cend(), [&](const LocalImage &i) {
        return i.id == pulled->imageId;
    }));

    auto all = await<PruneResult>([&](auto done) { backend->prune({.all = true}, done); });
    QVERIFY2(all, qPrintable(all ? QString() : errorText(all.error())));
    QVERIFY2(all->removed.contains(pulled->imageId.toString()),
             qPrintable(all->removed.join(u", ")));
    images = await<QList<LocalImage>>([&](auto done) { backend->listImages(done); });
    QVERIFY(images);
    QVERIFY(std::none_of(images->cbegin(), images->cend(), [&](const LocalImage &i) {
        return i.id == pulled->imageId;
    }));
}

void tst_EngineBackend::containers()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    const QString source
        = TestServices::instance().registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    auto pulled = pull(*backend, source);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));

    // `docker create`, as the export of a container will need: vfs storage, no network.
    EngineRequest create;
    create.method = "POST";
    create.path = u"/containers/create"_s;
    create.query.addQueryItem(u"name"_s, u"berth-test-"_s + engine);
    create.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    create.body
        = QJsonDocument(QJsonObject{{u"Image"_s, source},
                                    {u"Cmd"_s, QJsonArray{u"true"_s}},
                                    {u"HostConfig"_s, QJsonObject{{u"NetworkMode"_s, u"none"_s}}}})
              .toJson(QJsonDocument::Compact);
    // A container left by an earlier failed run would make the name conflict.
    EngineRequest cleanup;
    cleanup.method = "DELETE";
    cleanup.path = u"/containers/berth-test-"_s + engine;
    cleanup.query.addQueryItem(u"force"_s, u"true"_s);
    (void)await<EngineResponse>([&](auto done) { backend->client().send(cleanup, done); });

    auto created = await<EngineResponse>([&](auto done) { backend->client().send(create, done); });
    QVERIFY2(created, qPrintable(created ? QString() : errorText(created.error())));
    // Removed whatever happens below, so that a failure leaves no container holding the image.
    auto removeContainer = qScopeGuard([&] {
        auto removed
            = await<EngineResponse>([&](auto done) { backend->client().send(cleanup, done); });
        if (!removed)
            qWarning("could not remove the test container: %s",
                     qPrintable(errorText(removed.error())));
    });
    QCOMPARE(created->status, 201);
    const QString id = QJsonDocument::fromJson(created->body).object().value(u"Id").toString();
    QVERIFY(!id.isEmpty());

    auto containers
        = await<QList<LocalContainer>>([&](auto done) { backend->listContainers(done); });
    QVERIFY2(containers, qPrintable(containers ? QString() : errorText(containers.error())));
    const auto it = std::find_if(containers->cbegin(),
                                 containers->cend(),
                                 [&](const LocalContainer &c) { return c.id == id; });
    QVERIFY(it != containers->cend());
    QVERIFY2(it->names.contains(u"berth-test-"_s + engine), qPrintable(it->names.join(u", ")));
    QCOMPARE(it->imageId, pulled->imageId);
    QVERIFY2(it->state == u"created" || it->state == u"configured", qPrintable(it->state));

    // Export streams the container's filesystem into a sink on the worker thread; import streams
    // it back from a body source: the two paths save/load/export/import will use.
    QTemporaryFile tar;
    QVERIFY(tar.open());
    EngineRequest exportRequest;
    exportRequest.path = u"/containers/%1/export"_s.arg(id);
    exportRequest.sink = [&tar](const char *data, qint64 size) {
        return tar.write(data, size) == size;
    };
    auto exported
        = await<EngineResponse>([&](auto done) { backend->client().send(exportRequest, done); });
    QVERIFY2(exported, qPrintable(exported ? QString() : errorText(exported.error())));
    QVERIFY(exported->body.isEmpty());
    QVERIFY(tar.flush());
    QVERIFY2(tar.size() > 1000000, qPrintable(QString::number(tar.size()))); // busybox is ~1 MB
    QVERIFY(tar.seek(0));

    EngineRequest importRequest;
    importRequest.method = "POST";
    importRequest.path = u"/images/create"_s;
    importRequest.query.addQueryItem(u"fromSrc"_s, u"-"_s);
    // Podman ignores tag=: the tag goes in repo, which docker accepts as well.
    importRequest.query.addQueryItem(u"repo"_s, u"berth-import/"_s + engine + u":1"_s);
    importRequest.headers.append({QByteArray("Content-Type"), QByteArray("application/x-tar")});
    importRequest.bodySource = [&tar](char *data, qint64 max) {
        return tar.read(data, max);
    };
    QList<QByteArray> lines;
    importRequest.onLine = [&lines](const QByteArray &line) {
        lines.append(line);
    };
    auto imported
        = await<EngineResponse>([&](auto done) { backend->client().send(importRequest, done); });
    QVERIFY2(imported, qPrintable(imported ? QString() : errorText(imported.error())));
    QVERIFY(!lines.isEmpty());
    auto importedImage = await<LocalImageDetails>(
        [&](auto done) { backend->inspectImage(u"berth-import/"_s + engine + u":1"_s, done); });
    QVERIFY2(importedImage,
             qPrintable(importedImage ? QString() : errorText(importedImage.error())));
    QCOMPARE(importedImage->config.diffIds.size(), 1);
    QVERIFY(await<RemoveResult>(
        [&](auto done) { backend->remove(u"berth-import/"_s + engine + u":1"_s, true, done); }));

    // An image used by a container is not removed without force. Docker answers 409; Podman 409
    // or, when the ID has several tags, 500 with "must force": both are Denied.
    auto refused = await<RemoveResult>(
        [&](auto done) { backend->remove(pulled->imageId.toString(), false, done); });
    QVERIFY(!refused);
    QVERIFY2(refused.error().kind == Error::Kind::Denied, qPrintable(errorText(refused.error())));
}

void tst_EngineBackend::cancelPull()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    // A "registry" that accepts and never answers: the engine's pull hangs there, so the request
    // is surely in flight when we cancel, whatever the machine's speed.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    CancelToken cancel;
    QList<QTcpSocket *> held;
    QObject::connect(&silent, &QTcpServer::newConnection, &silent, [&] {
        while (QTcpSocket *socket = silent.nextPendingConnection())
            held.append(socket);
        cancel.cancel();
    });
    auto pulled = pull(
        *backend, u"127.0.0.1:%1/berth/stalled:1"_s.arg(silent.serverPort()), nullptr, cancel);
    QVERIFY(!pulled);
    QVERIFY2(pulled.error().isCancelled(), qPrintable(errorText(pulled.error())));
    QVERIFY(!held.isEmpty());

    // The engine is still usable afterwards.
    auto images = await<QList<LocalImage>>([&](auto done) { backend->listImages(done); });
    QVERIFY2(images, qPrintable(images ? QString() : errorText(images.error())));
}

void tst_EngineBackend::loadFilesystemTar()
{
    // What `docker export` writes, given to load: told from its first headers, before the engine
    // reads it all and fails on a missing ".../json".
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString rootfs = dir.filePath(u"rootfs.tar.gz"_s);
    {
        auto writer = TarWriter::toFile(rootfs, Compression::Gzip);
        QVERIFY(writer);
        TarWriter &w = **writer;
        QVERIFY(w.addBytes(u".dockerenv"_s, {}) && w.addDirectory(u"bin"_s)
                && w.addBytes(u"bin/hello"_s, "#!/bin/sh\n") && w.addDirectory(u"etc"_s)
                && w.addBytes(u"etc/hostname"_s, "berth\n")
                && w.addBytes(u"usr/big"_s, QByteArray(8 * 1024 * 1024, 'x')) && w.finish());
    }
    auto loaded = await<LoadResult>(
        [&](auto done) { backend->load(ArchiveSource::file(rootfs), {}, done); });
    QVERIFY2(!loaded, "a filesystem tar loaded");
    QVERIFY2(isFilesystemArchiveError(loaded.error()), qPrintable(errorText(loaded.error())));
    QVERIFY2(loaded.error().message.contains(rootfs), qPrintable(loaded.error().message));
}

void tst_EngineBackend::registryAuthHeader()
{
    const QByteArray header = EngineBackend::registryAuthHeader(
        u"127.0.0.1:5000"_s, Credential{u"jean"_s, u"s3cr+t/?"_s, false});
    QVERIFY(!header.contains('+'));
    QVERIFY(!header.contains('/'));
    const QJsonObject decoded
        = QJsonDocument::fromJson(QByteArray::fromBase64(header, QByteArray::Base64UrlEncoding))
              .object();
    QCOMPARE(decoded.value(u"username").toString(), u"jean"_s);
    QCOMPARE(decoded.value(u"password").toString(), u"s3cr+t/?"_s);
    QCOMPARE(decoded.value(u"serveraddress").toString(), u"127.0.0.1:5000"_s);

    const QJsonObject hub
        = QJsonDocument::fromJson(
              QByteArray::fromBase64(EngineBackend::registryAuthHeader(
                                         u"docker.io"_s, Credential{u"u"_s, u"tok"_s, true}),
                                     QByteArray::Base64UrlEncoding))
              .object();
    QCOMPARE(hub.value(u"identitytoken").toString(), u"tok"_s);
    QCOMPARE(hub.value(u"serveraddress").toString(), u"https://index.docker.io/v1/"_s);
    QVERIFY(!hub.contains(u"password"));

    QCOMPARE(EngineBackend::registryAuthHeader(u"x"_s, std::nullopt),
             QByteArray("{}").toBase64(QByteArray::Base64UrlEncoding));
}

void tst_EngineBackend::familiarNames()
{
    QCOMPARE(EngineBackend::familiarName(u"docker.io/library/node:15"_s), u"node:15"_s);
    QCOMPARE(EngineBackend::familiarName(u"docker.io/jean/app:1"_s), u"jean/app:1"_s);
    QCOMPARE(EngineBackend::familiarName(u"127.0.0.1:5000/x/y:2"_s), u"127.0.0.1:5000/x/y:2"_s);
    QCOMPARE(EngineBackend::familiarName(u"<none>:<none>"_s), QString());
    QCOMPARE(EngineBackend::familiarName(u"<none>@<none>"_s), QString());
}

QTEST_GUILESS_MAIN(tst_EngineBackend)

#include "tst_enginebackend.moc"
