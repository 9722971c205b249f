// What the Images page and `berthctl history` read from an engine beyond its image list, against
// the real dockerd and podman service of the test services: the build history with sizes, each
// image's platform, a removal refused because a container uses the image (named, not raw engine
// text), and the /events stream that keeps the pages current.

#include "asynctest.h"
#include "testservices.h"

#include "store/enginebackend.h"
#include "store/imagehistory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

QString errorText(const Error &e)
{
    return u"%1 (%2, HTTP %3)"_s.arg(e.message, errorKindName(e.kind)).arg(e.httpStatus);
}

} // namespace

class tst_EngineImages final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EngineBackend> connectTo(const QString &engine);
    Result<PullResult> pullBusybox(EngineBackend &backend);
    Status removeContainer(EngineBackend &backend, const QString &name);
    Result<QString>
    createContainer(EngineBackend &backend, const QString &name, const QString &image);

    QString m_image;

private slots:
    void initTestCase();
    void history_data();
    void history();
    void platformListed_data() { history_data(); }
    void platformListed();
    void removeInUseNamesContainers_data() { history_data(); }
    void removeInUseNamesContainers();
    void eventsReportChanges_data() { history_data(); }
    void eventsReportChanges();
};

void tst_EngineImages::initTestCase()
{
    const TestServices &services = TestServices::instance();
    for (const QString &engine : {u"docker"_s, u"podman"_s}) {
        if (services.engineSocket(engine).isEmpty())
            QFAIL(qPrintable(u"The test services were started without %1: start them with "
                             "`berth-services start --with docker,podman` (the ctest fixture "
                             "does)."_s.arg(engine)));
    }
    m_image = services.registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
}

void tst_EngineImages::history_data()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("docker") << u"docker"_s;
    QTest::newRow("podman") << u"podman"_s;
}

std::unique_ptr<EngineBackend> tst_EngineImages::connectTo(const QString &engine)
{
    EngineEndpoint endpoint;
    endpoint.socketPath = TestServices::instance().engineSocket(engine);
    endpoint.source = u"test services"_s;
    auto found = await<std::unique_ptr<EngineBackend>>(
        [&](auto done) { EngineBackend::discover(nullptr, std::nullopt, done, endpoint); });
    if (!found) {
        qWarning("%s: %s", qPrintable(engine), qPrintable(errorText(found.error())));
        return {};
    }
    return std::move(*found);
}

Result<PullResult> tst_EngineImages::pullBusybox(EngineBackend &backend)
{
    return await<PullResult>(
        [&](auto done) { backend.pull(*ImageReference::parse(m_image), {}, done); }, 300000);
}

Status tst_EngineImages::removeContainer(EngineBackend &backend, const QString &name)
{
    auto removed = await<void>([&](auto done) { backend.removeContainer(name, true, done); });
    if (!removed && removed.error().kind != Error::Kind::NotFound)
        return fail(removed.error());
    return {};
}

Result<QString>
tst_EngineImages::createContainer(EngineBackend &backend, const QString &name, const QString &image)
{
    EngineRequest create;
    create.method = "POST";
    create.path = u"/containers/create"_s;
    create.query.addQueryItem(u"name"_s, name);
    create.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    create.body
        = QJsonDocument(QJsonObject{{u"Image"_s, image},
                                    {u"Cmd"_s, QJsonArray{u"true"_s}},
                                    {u"HostConfig"_s, QJsonObject{{u"NetworkMode"_s, u"none"_s}}}})
              .toJson(QJsonDocument::Compact);
    auto created = await<EngineResponse>([&](auto done) { backend.client().send(create, done); });
    if (!created)
        return fail(created.error());
    return QJsonDocument::fromJson(created->body).object().value(u"Id").toString();
}

void tst_EngineImages::history()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    auto pulled = pullBusybox(*backend);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));
    auto details
        = await<LocalImageDetails>([&](auto done) { backend->inspectImage(m_image, done); });
    QVERIFY2(details, qPrintable(details ? QString() : errorText(details.error())));

    auto rows = await<QList<ImageHistoryRow>>([&](auto done) { backend->history(m_image, done); });
    QVERIFY2(rows, qPrintable(rows ? QString() : errorText(rows.error())));
    QVERIFY(!rows->isEmpty());
    // Newest first, the image itself on top with its tag; every step dated and described.
    QCOMPARE(rows->first().id, pulled->imageId.toString());
    // Docker names the tags on that row; podman's compatible service leaves them out.
    if (engine == u"docker")
        QVERIFY2(rows->first().tags.contains(m_image), qPrintable(rows->first().tags.join(u", ")));
    for (const ImageHistoryRow &row : std::as_const(*rows)) {
        QVERIFY(row.created.isValid());
        QVERIFY(!row.createdBy.isEmpty());
    }
    // The sizes match the layers: what the Layers tab shows for an engine.
    const QList<qint64> sizes = layerSizesFromHistory(*rows, details->config.diffIds.size());
    QCOMPARE(sizes.size(), details->config.diffIds.size());
    for (qint64 size : sizes)
        QVERIFY(size > 0);
}

void tst_EngineImages::platformListed()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    auto pulled = pullBusybox(*backend);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));
    // Docker's /images/json has no platform: the backend reads it from each image once.
    for (int pass = 0; pass < 2; ++pass) {
        auto images = await<QList<LocalImage>>([&](auto done) { backend->listImages(done); });
        QVERIFY2(images, qPrintable(images ? QString() : errorText(images.error())));
        const auto it = std::find_if(images->cbegin(), images->cend(), [&](const LocalImage &i) {
            return i.id == pulled->imageId;
        });
        QVERIFY(it != images->cend());
        QCOMPARE(it->platform.os, u"linux"_s);
        QCOMPARE(it->platform.architecture, backend->info().architecture);
    }
}

void tst_EngineImages::removeInUseNamesContainers()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    auto pulled = pullBusybox(*backend);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));
    const QString name = u"berth-inuse-"_s + engine;
    QVERIFY(removeContainer(*backend, name));
    auto created = createContainer(*backend, name, m_image);
    QVERIFY2(created, qPrintable(created ? QString() : errorText(created.error())));
    auto cleanup = qScopeGuard([&] { (void)removeContainer(*backend, name); });

    auto removed = await<RemoveResult>([&](auto done) { backend->remove(m_image, false, done); });
    QVERIFY2(!removed, "the engine removed an image a container uses");
    const Error &error = removed.error();
    QCOMPARE(error.containers, QStringList{name});
    QCOMPARE(error.message,
             u"%1 is used by the container '%2' (stopped). Remove the container first, or "
             "force."_s.arg(m_image, name));
}

void tst_EngineImages::eventsReportChanges()
{
    QFETCH(QString, engine);
    auto backend = connectTo(engine);
    QVERIFY(backend);
    auto pulled = pullBusybox(*backend);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : errorText(pulled.error())));
    const QString name = u"berth-events-"_s + engine;
    QVERIFY(removeContainer(*backend, name));

    QSignalSpy images(backend.get(), &ImageBackend::imagesChanged);
    QSignalSpy containers(backend.get(), &ImageBackend::containersChanged);
    backend->startWatching();
    // The stream is open once the engine answers; a tag made before that would go unseen.
    QTest::qWait(1000);

    // Made by another client (here, raw API calls), as `docker tag` and `docker create` would.
    const auto target = *ImageReference::parse(QString(u"berth-events/"_s + engine + u":1"_s));
    auto tagged = await<void>([&](auto done) { backend->tag(m_image, target, done); });
    QVERIFY2(tagged, qPrintable(tagged ? QString() : errorText(tagged.error())));
    QTRY_VERIFY_WITH_TIMEOUT(images.count() > 0, 20000);
    auto created = createContainer(*backend, name, m_image);
    QVERIFY2(created, qPrintable(created ? QString() : errorText(created.error())));
    auto cleanup = qScopeGuard([&] { (void)removeContainer(*backend, name); });
    QTRY_VERIFY_WITH_TIMEOUT(containers.count() > 0, 20000);
    (void)await<RemoveResult>(
        [&](auto done) { backend->remove(target.familiarString(), false, done); });
}

QTEST_GUILESS_MAIN(tst_EngineImages)

#include "tst_engineimages.moc"
