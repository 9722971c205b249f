// The containers model (models/containersmodel) against the real dockerd of the test services:
// a container created through the Engine API is listed with its name, image, state and ID, rows
// are updated in place, and the embedded store (no containers) leaves the model empty without an
// error. A QAbstractItemModelTester watches throughout.

#include "asynctest.h"
#include "testservices.h"

#include "containersmodel.h"

#include "registry/registryclient.h"
#include "store/embeddedbackend.h"
#include "store/enginebackend.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

QString text(const Error &e)
{
    return errorKindName(e.kind) + u": " + e.message;
}

} // namespace

class tst_ContainersModel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsContainers();
    void embeddedStoreHasNone();
    void followsEngineEvents();

private:
    std::unique_ptr<EngineBackend> m_docker;
};

void tst_ContainersModel::initTestCase()
{
    const QString socket = TestServices::instance().engineSocket(u"docker"_s);
    if (socket.isEmpty())
        QFAIL("The test services were started without docker: start them with "
              "`berth-services start --with docker` (the ctest fixture does).");
    qputenv("DOCKER_HOST", (u"unix://"_s + socket).toUtf8());
    auto found = await<std::unique_ptr<EngineBackend>>(
        [&](auto done) { EngineBackend::discover(nullptr, EngineInfo::Flavour::Docker, done); });
    QVERIFY2(found, qPrintable(found ? QString() : text(found.error())));
    m_docker = std::move(*found);
}

void tst_ContainersModel::listsContainers()
{
    const QString source
        = TestServices::instance().registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    auto pulled = await<PullResult>(
        [&](auto done) { m_docker->pull(*ImageReference::parse(source), {}, done); }, 300000);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : text(pulled.error())));

    // `docker create`: no network, nothing started.
    const QString name = u"berth-containersmodel"_s;
    EngineRequest cleanup;
    cleanup.method = "DELETE";
    cleanup.path = u"/containers/"_s + name;
    cleanup.query.addQueryItem(u"force"_s, u"true"_s);
    (void)await<EngineResponse>([&](auto done) { m_docker->client().send(cleanup, done); });
    auto removeContainer = qScopeGuard([&] {
        (void)await<EngineResponse>([&](auto done) { m_docker->client().send(cleanup, done); });
    });
    EngineRequest create;
    create.method = "POST";
    create.path = u"/containers/create"_s;
    create.query.addQueryItem(u"name"_s, name);
    create.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    create.body
        = QJsonDocument(QJsonObject{{u"Image"_s, source},
                                    {u"Cmd"_s, QJsonArray{u"true"_s}},
                                    {u"HostConfig"_s, QJsonObject{{u"NetworkMode"_s, u"none"_s}}}})
              .toJson(QJsonDocument::Compact);
    auto created = await<EngineResponse>([&](auto done) { m_docker->client().send(create, done); });
    QVERIFY2(created, qPrintable(created ? QString() : text(created.error())));
    QCOMPARE(created->status, 201);
    const QString id = QJsonDocument::fromJson(created->body).object().value(u"Id").toString();
    QVERIFY(!id.isEmpty());

    ContainersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setBackend(m_docker.get());
    QVERIFY(model.isSupported());
    QSignalSpy refreshed(&model, &ContainersModel::refreshed);
    model.refresh();
    QVERIFY(model.isLoading());
    QVERIFY(refreshed.wait(60000));
    QVERIFY2(model.errorString().isEmpty(), qPrintable(model.errorString()));

    const int row = model.find(name);
    QVERIFY(row >= 0);
    QCOMPARE(model.find(id), row);
    QCOMPARE(model.find(id.left(12)), row);
    QCOMPARE(model.index(row, ContainersModel::NameColumn).data().toString(), name);
    QCOMPARE(model.index(row, ContainersModel::IdColumn).data().toString(), id.left(12));
    QCOMPARE(model.index(row, ContainersModel::IdColumn).data(ContainersModel::RawValueRole),
             QVariant(id));
    QCOMPARE(model.index(row, 0).data(ContainersModel::IdRole).toString(), id);
    QCOMPARE(model.index(row, ContainersModel::StateColumn).data().toString(), u"created"_s);
    QVERIFY(!model.index(row, 0).data(ContainersModel::RunningRole).toBool());
    QVERIFY2(model.index(row, ContainersModel::ImageColumn).data().toString().contains(u"busybox"),
             qPrintable(model.index(row, ContainersModel::ImageColumn).data().toString()));
    QVERIFY(model.index(row, ContainersModel::CreatedColumn)
                .data(ContainersModel::RawValueRole)
                .toDateTime()
                .isValid());
    QCOMPARE(model.container(row).imageId, pulled->imageId);

    // Refreshing again changes nothing structurally: the same row, no reset.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.refresh();
    QVERIFY(refreshed.wait(60000));
    QCOMPARE(reset.size(), 0);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(model.find(name), row);

    // Removed through the backend: gone at the next refresh.
    auto gone = await<void>([&](auto done) { m_docker->removeContainer(id, false, done); });
    QVERIFY2(gone, qPrintable(gone ? QString() : text(gone.error())));
    model.refresh();
    QVERIFY(refreshed.wait(60000));
    QCOMPARE(model.find(id), -1);
    QCOMPARE(removed.size(), 1);
}

void tst_ContainersModel::embeddedStoreHasNone()
{
    QTemporaryDir dir;
    QNetworkAccessManager network;
    RegistryClient client(&network);
    EmbeddedBackend embedded(dir.path(), &client);
    ContainersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setBackend(&embedded);
    QVERIFY(!model.isSupported());
    QSignalSpy refreshed(&model, &ContainersModel::refreshed);
    QSignalSpy failed(&model, &ContainersModel::refreshFailed);
    model.refresh();
    QCOMPARE(refreshed.size(), 1);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.errorString().isEmpty());
}

void tst_ContainersModel::followsEngineEvents()
{
    const QString source
        = TestServices::instance().registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    auto pulled = await<PullResult>(
        [&](auto done) { m_docker->pull(*ImageReference::parse(source), {}, done); }, 300000);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : text(pulled.error())));
    const QString name = u"berth-containersmodel-events"_s;
    (void)await<void>([&](auto done) { m_docker->removeContainer(name, true, done); });

    ContainersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setBackend(m_docker.get());
    QSignalSpy refreshed(&model, &ContainersModel::refreshed);
    model.refresh();
    QVERIFY(refreshed.wait(60000));
    QCOMPARE(model.find(name), -1);
    QTest::qWait(1000); // the event stream is open once the engine has answered

    // Made behind Berth's back, as `docker create` would: listed without a refresh.
    EngineRequest create;
    create.method = "POST";
    create.path = u"/containers/create"_s;
    create.query.addQueryItem(u"name"_s, name);
    create.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    create.body
        = QJsonDocument(QJsonObject{{u"Image"_s, source}, {u"Cmd"_s, QJsonArray{u"true"_s}}})
              .toJson(QJsonDocument::Compact);
    auto created = await<EngineResponse>([&](auto done) { m_docker->client().send(create, done); });
    QVERIFY2(created, qPrintable(created ? QString() : text(created.error())));
    auto removeContainer = qScopeGuard([&] {
        (void)await<void>([&](auto done) { m_docker->removeContainer(name, true, done); });
    });
    QTRY_VERIFY_WITH_TIMEOUT(model.find(name) >= 0, 20000);
    auto gone = await<void>([&](auto done) { m_docker->removeContainer(name, true, done); });
    QVERIFY2(gone, qPrintable(gone ? QString() : text(gone.error())));
    QTRY_VERIFY_WITH_TIMEOUT(model.find(name) < 0, 20000);
}

QTEST_GUILESS_MAIN(tst_ContainersModel)

#include "tst_containersmodel.moc"
