// The local images model (models/localimagesmodel) over a real EmbeddedBackend filled from the
// plain registry of the test services: tags sharing an image ID grouped under one row, rows
// updated in place on refresh, raw values, look-ups; a QAbstractItemModelTester throughout.

#include "asynctest.h"
#include "testservices.h"

#include "localimagesmodel.h"

#include "registry/registryclient.h"
#include "store/embeddedbackend.h"
#include "store/enginebackend.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class tst_LocalImagesModel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void groupsTagsOfOneImage();
    void refreshUpdatesInPlace();
    void sortsThroughProxy();
    void backendChangeEmpties();
    void listingErrorIsReported();
    void followsStoreChanges();
    void inUseByContainers();

private:
    void pull(const QString &reference, const QString &platform = {});
    void tag(const QString &source, const QString &target);
    void refresh();

    QString m_registry;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    std::unique_ptr<LocalImagesModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_LocalImagesModel::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    m_registry = TestServices::instance().registry(u"plain"_s).host;
}

void tst_LocalImagesModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_backend = std::make_unique<EmbeddedBackend>(m_dir->path() + u"/store", m_client.get());
    m_model = std::make_unique<LocalImagesModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setBackend(m_backend.get());
}

void tst_LocalImagesModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_backend.reset();
    m_client.reset();
    m_network.reset();
    m_dir.reset();
}

void tst_LocalImagesModel::pull(const QString &reference, const QString &platform)
{
    PullOptions options;
    if (!platform.isEmpty())
        options.platform = *Platform::parse(platform);
    auto pulled = await<PullResult>(
        [&](auto done) { m_backend->pull(*ImageReference::parse(reference), options, done); });
    QVERIFY2(pulled, qPrintable(pulled ? QString() : pulled.error().message));
}

void tst_LocalImagesModel::tag(const QString &source, const QString &target)
{
    auto tagged = await<void>(
        [&](auto done) { m_backend->tag(source, *ImageReference::parse(target), done); });
    QVERIFY2(tagged, qPrintable(tagged ? QString() : tagged.error().message));
}

void tst_LocalImagesModel::refresh()
{
    QSignalSpy refreshed(m_model.get(), &LocalImagesModel::refreshed);
    m_model->refresh();
    QVERIFY(m_model->isLoading());
    QVERIFY(refreshed.wait(60000));
    QVERIFY(!m_model->isLoading());
    QVERIFY(m_model->errorString().isEmpty());
}

void tst_LocalImagesModel::groupsTagsOfOneImage()
{
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    // Two tags of one image in the registry, pulled one after the other.
    pull(m_registry + u"/berth/busybox:1.0");
    pull(m_registry + u"/berth/busybox:latest");
    refresh();

    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->imageCount(), 1);
    const QModelIndex image = m_model->index(0, 0);
    const QStringList tags{m_registry + u"/berth/busybox:1.0",
                           m_registry + u"/berth/busybox:latest"};
    QCOMPARE(image.data(LocalImagesModel::TagsRole).toStringList(), tags);
    QCOMPARE(image.data().toString(), tags.join(u", "));
    QCOMPARE(image.data(LocalImagesModel::IdRole).toString(), busybox.value(u"config").toString());
    // Several tags: the image row stands for the ID, each tag is a child to act on alone.
    QCOMPARE(image.data(LocalImagesModel::ReferenceRole).toString(),
             busybox.value(u"config").toString());
    QVERIFY(!image.data(LocalImagesModel::IsTagRole).toBool());
    QCOMPARE(m_model->rowCount(image), 2);
    for (int row = 0; row < 2; ++row) {
        const QModelIndex child = m_model->index(row, 0, image);
        QCOMPARE(child.data().toString(), tags.at(row));
        QCOMPARE(child.data(LocalImagesModel::ReferenceRole).toString(), tags.at(row));
        QVERIFY(child.data(LocalImagesModel::IsTagRole).toBool());
        QCOMPARE(child.parent(), image);
        QCOMPARE(m_model->rowCount(child), 0);
    }

    // Columns: short ID, a created date, the size, the platform; raw values for proxies.
    const QString id = busybox.value(u"config").toString();
    QCOMPARE(m_model->index(0, LocalImagesModel::IdColumn).data().toString(), id.mid(7, 12));
    QCOMPARE(m_model->index(0, LocalImagesModel::IdColumn)
                 .data(LocalImagesModel::RawValueRole)
                 .toString(),
             id);
    QVERIFY(m_model->index(0, LocalImagesModel::CreatedColumn)
                .data(LocalImagesModel::RawValueRole)
                .toDateTime()
                .isValid());
    QVERIFY(m_model->index(0, LocalImagesModel::SizeColumn)
                .data(LocalImagesModel::RawValueRole)
                .toLongLong()
            > 0);
    QVERIFY(!m_model->index(0, LocalImagesModel::SizeColumn).data().toString().isEmpty());
    QCOMPARE(m_model->index(0, LocalImagesModel::PlatformColumn).data().toString(),
             u"linux/amd64"_s);

    // Look-ups by tag (any spelling), full and short ID.
    QCOMPARE(m_model->find(tags.at(1)), m_model->index(1, 0, image));
    QCOMPARE(m_model->find(tags.at(0)), m_model->index(0, 0, image));
    QCOMPARE(m_model->find(id), image);
    QCOMPARE(m_model->find(id.mid(7, 12)), image);
    QVERIFY(!m_model->find(u"nothing:here"_s).isValid());
    QCOMPARE(m_model->image(m_model->index(1, 0, image)).id.toString(), id);

    // A different image (another config) is a row of its own, with its one tag.
    pull(m_registry + u"/berth/multiarch:1.0", u"linux/arm64/v8"_s);
    refresh();
    QCOMPARE(m_model->rowCount(), 2);
    const QModelIndex arm = m_model->find(m_registry + u"/berth/multiarch:1.0");
    QVERIFY(arm.isValid());
    QVERIFY(!arm.parent().isValid());
    QCOMPARE(m_model->rowCount(arm), 0);
    QCOMPARE(arm.data(LocalImagesModel::ReferenceRole).toString(),
             m_registry + u"/berth/multiarch:1.0");
    QCOMPARE(m_model->index(arm.row(), LocalImagesModel::PlatformColumn).data().toString(),
             u"linux/arm64/v8"_s);
}

void tst_LocalImagesModel::refreshUpdatesInPlace()
{
    pull(m_registry + u"/berth/busybox:1.0");
    refresh();
    QCOMPARE(m_model->rowCount(), 1);
    const QPersistentModelIndex image = m_model->index(0, 0);
    QCOMPARE(m_model->rowCount(image), 0); // one tag: no children

    // A new tag arrives: the same row, now with children.
    tag(m_registry + u"/berth/busybox:1.0", u"jean/mon-app:1.0.0"_s);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    refresh();
    QCOMPARE(reset.size(), 0);
    QVERIFY(image.isValid());
    QCOMPARE(image.row(), 0);
    QCOMPARE(m_model->rowCount(image), 2);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(0).value<QModelIndex>(), QModelIndex(image));
    // Children in name order.
    QCOMPARE(m_model->index(0, 0, image).data().toString(), m_registry + u"/berth/busybox:1.0");
    QCOMPARE(m_model->index(1, 0, image).data().toString(), u"jean/mon-app:1.0.0"_s);
    QCOMPARE(m_model->find(u"docker.io/jean/mon-app:1.0.0"_s), m_model->index(1, 0, image));

    // The tag goes again; then the image.
    auto removed = await<RemoveResult>(
        [&](auto done) { m_backend->remove(u"jean/mon-app:1.0.0"_s, false, done); });
    QVERIFY(removed);
    refresh();
    QVERIFY(image.isValid());
    QCOMPARE(m_model->rowCount(image), 0);
    QCOMPARE(image.data(LocalImagesModel::ReferenceRole).toString(),
             m_registry + u"/berth/busybox:1.0");
    removed = await<RemoveResult>(
        [&](auto done) { m_backend->remove(m_registry + u"/berth/busybox:1.0", false, done); });
    QVERIFY(removed);
    refresh();
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(!image.isValid());
}

void tst_LocalImagesModel::sortsThroughProxy()
{
    pull(m_registry + u"/berth/busybox:1.0");
    pull(m_registry + u"/berth/multiarch:1.0", u"linux/arm64/v8"_s);
    refresh();
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(m_model.get());
    proxy.setSortRole(LocalImagesModel::RawValueRole);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(LocalImagesModel::NameColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.rowCount(), 2);
    QCOMPARE(proxy.index(0, 0).data().toString(), m_registry + u"/berth/multiarch:1.0");
    proxy.sort(LocalImagesModel::NameColumn, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data().toString(), m_registry + u"/berth/busybox:1.0");
    proxy.setFilterFixedString(u"multiarch"_s);
    QCOMPARE(proxy.rowCount(), 1);
}

void tst_LocalImagesModel::backendChangeEmpties()
{
    pull(m_registry + u"/berth/busybox:1.0");
    refresh();
    QCOMPARE(m_model->rowCount(), 1);
    // An answer on its way from the old backend must not land in the new one's list: it was
    // asked first, so it would arrive first.
    m_model->refresh();
    QTemporaryDir other;
    QVERIFY(other.isValid());
    EmbeddedBackend empty(other.path(), m_client.get());
    m_model->setBackend(&empty);
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(!m_model->isLoading());
    refresh();
    QCOMPARE(m_model->rowCount(), 0);

    m_model->setBackend(nullptr);
    QSignalSpy failed(m_model.get(), &LocalImagesModel::refreshFailed);
    m_model->refresh();
    QCOMPARE(failed.size(), 1);
    QVERIFY(!m_model->errorString().isEmpty());
}

void tst_LocalImagesModel::listingErrorIsReported()
{
    // A store whose index is not JSON: the listing fails, the message says so, rows stay empty.
    QTemporaryDir broken;
    QVERIFY(broken.isValid());
    {
        QFile layout(broken.filePath(u"oci-layout"_s));
        QVERIFY(layout.open(QIODevice::WriteOnly));
        layout.write(R"({"imageLayoutVersion":"1.0.0"})");
        QFile index(broken.filePath(u"index.json"_s));
        QVERIFY(index.open(QIODevice::WriteOnly));
        index.write("this is not json");
    }
    EmbeddedBackend backend(broken.path(), m_client.get());
    m_model->setBackend(&backend);
    QSignalSpy failed(m_model.get(), &LocalImagesModel::refreshFailed);
    m_model->refresh();
    QVERIFY(failed.wait(60000));
    QVERIFY(!failed.first().at(0).toString().isEmpty());
    QCOMPARE(m_model->errorString(), failed.first().at(0).toString());
    QCOMPARE(m_model->rowCount(), 0);
    m_model->setBackend(nullptr);
}

void tst_LocalImagesModel::followsStoreChanges()
{
    pull(m_registry + u"/berth/busybox:1.0");
    refresh();
    QVERIFY(!m_model->find(u"watched/app:1"_s).isValid());
    // Another process (here a second backend on the same store) tags the image: the model sees
    // it without being asked.
    EmbeddedBackend other(m_dir->path() + u"/store", m_client.get());
    auto tagged = await<void>([&](auto done) {
        other.tag(
            m_registry + u"/berth/busybox:1.0", *ImageReference::parse(u"watched/app:1"_s), done);
    });
    QVERIFY2(tagged, qPrintable(tagged ? QString() : tagged.error().message));
    QTRY_VERIFY_WITH_TIMEOUT(m_model->find(u"watched/app:1"_s).isValid(), 10000);
}

void tst_LocalImagesModel::inUseByContainers()
{
    const QString socket = TestServices::instance().engineSocket(u"docker"_s);
    QVERIFY2(!socket.isEmpty(), "the test services were started without docker");
    EngineEndpoint endpoint{socket, u"test services"_s};
    auto docker = await<std::unique_ptr<EngineBackend>>([&](auto done) {
        EngineBackend::discover(nullptr, EngineInfo::Flavour::Docker, done, endpoint);
    });
    QVERIFY2(docker, qPrintable(docker ? QString() : docker.error().message));
    const QString source = m_registry + u"/berth/busybox:1.0"_s;
    auto pulled = await<PullResult>(
        [&](auto done) { (*docker)->pull(*ImageReference::parse(source), {}, done); }, 300000);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : pulled.error().message));
    const QString name = u"berth-localimages-inuse"_s;
    (void)await<void>([&](auto done) { (*docker)->removeContainer(name, true, done); });
    EngineRequest create;
    create.method = "POST";
    create.path = u"/containers/create"_s;
    create.query.addQueryItem(u"name"_s, name);
    create.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    create.body
        = QJsonDocument(QJsonObject{{u"Image"_s, source}, {u"Cmd"_s, QJsonArray{u"true"_s}}})
              .toJson(QJsonDocument::Compact);
    auto created
        = await<EngineResponse>([&](auto done) { (*docker)->client().send(create, done); });
    QVERIFY2(created, qPrintable(created ? QString() : created.error().message));
    auto removeContainer = qScopeGuard([&] {
        (void)await<void>([&](auto done) { (*docker)->removeContainer(name, true, done); });
    });

    m_model->setBackend(docker->get());
    refresh();
    const QModelIndex image = m_model->find(pulled->imageId.toString());
    QVERIFY(image.isValid());
    const QModelIndex inUse = image.siblingAtColumn(LocalImagesModel::InUseColumn);
    QVERIFY(inUse.data(LocalImagesModel::InUseRole).toBool());
    QVERIFY(inUse.data(LocalImagesModel::UsersRole).toStringList().contains(name));
    QCOMPARE(inUse.data().toString(), u"In use"_s);
    QVERIFY2(inUse.data(Qt::ToolTipRole).toString().contains(name + u" (stopped)"),
             qPrintable(inUse.data(Qt::ToolTipRole).toString()));
    // Its platform too, which docker's image list does not give.
    QCOMPARE(image.siblingAtColumn(LocalImagesModel::PlatformColumn).data().toString(),
             u"linux/"_s + (*docker)->info().architecture);

    // Removed: no longer in use, without a refresh (the engine's events).
    auto gone = await<void>([&](auto done) { (*docker)->removeContainer(name, true, done); });
    QVERIFY2(gone, qPrintable(gone ? QString() : gone.error().message));
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_model->find(pulled->imageId.toString()).data(LocalImagesModel::InUseRole).toBool(),
        20000);
    m_model->setBackend(nullptr);
}

QTEST_GUILESS_MAIN(tst_LocalImagesModel)

#include "tst_localimagesmodel.moc"
