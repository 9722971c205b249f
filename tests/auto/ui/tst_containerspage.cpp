// The Containers page (ui/containerspage) against the real dockerd of the test services: a
// container made through the Engine API is listed, its filesystem exported through the
// file-chooser hook (a transfer writing a tar), and removed only after a confirmation. With the
// embedded store the page says where containers live instead.

#include "asynctest.h"
#include "testservices.h"
#include "uitesthelpers.h"

#include "containersmodel.h"
#include "containerspage.h"
#include "inlinemessage.h"
#include "transfermanager.h"

#include "common/humanize.h"

#include "registry/registryclient.h"
#include "store/embeddedbackend.h"
#include "store/enginebackend.h"

#include <QAction>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 120000;

QString text(const Error &e)
{
    return errorKindName(e.kind) + u": " + e.message;
}

} // namespace

class tst_ContainersPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exportAndRemove();
    void embeddedStoreExplains();
    void listedWhenShown();
    void exportNames_data();
    void exportNames();

private:
    std::unique_ptr<EngineBackend> m_docker;
};

void tst_ContainersPage::initTestCase()
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

void tst_ContainersPage::exportAndRemove()
{
    const QString source
        = TestServices::instance().registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    auto pulled = await<PullResult>(
        [&](auto done) { m_docker->pull(*ImageReference::parse(source), {}, done); }, 300000);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : text(pulled.error())));
    const QString name = u"berth-containerspage"_s;
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
    QVERIFY2(created && created->status == 201,
             qPrintable(created ? QString::fromUtf8(created->body) : text(created.error())));

    TransferManager transfers;
    ContainersModel model;
    ContainersPage page(&model, &transfers);
    QTemporaryDir dir;
    QList<FileRequest> requests;
    page.setFileChooser([&](QWidget *, const FileRequest &request) {
        requests.append(request);
        return dir.filePath(u"rootfs.tar"_s);
    });
    page.resize(900, 500);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QSignalSpy refreshed(&model, &ContainersModel::refreshed);
    transfers.setBackend(m_docker.get());
    QVERIFY(refreshed.wait(Timeout));
    QVERIFY(page.view()->isVisible());
    QVERIFY(!page.exportAction()->isEnabled()); // nothing selected yet
    QVERIFY(page.select(name));
    QVERIFY(page.exportAction()->isEnabled());

    // Export: the file picker, then a transfer writing the container's files.
    QSignalSpy added(&transfers, &TransferManager::jobAdded);
    page.exportAction()->trigger();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().mode, FileRequest::Mode::Save);
    // Named after the container, not its 64-character ID, in the picker and in Transfers.
    QVERIFY2(requests.first().suggestedPath.endsWith(u'/' + name + u"-fs.tar"),
             qPrintable(requests.first().suggestedPath));
    QCOMPARE(added.size(), 1);
    auto *job = added.first().at(0).value<TransferJob *>();
    QCOMPARE(job->kind(), TransferJob::Kind::Export);
    QCOMPARE(job->title(), u"Export %1 to rootfs.tar"_s.arg(name));
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QVERIFY2(job->state() == TransferJob::State::Done, qPrintable(job->errorString()));
    const qint64 written = QFileInfo(dir.filePath(u"rootfs.tar"_s)).size();
    QVERIFY(written > 1000000);
    // The Size column says what the status says was written.
    QCOMPARE(job->current(), written);
    QVERIFY2(job->summary().contains(formatSize(written)), qPrintable(job->summary()));

    // Remove: asked first; confirmed, the container is gone.
    page.view()->setFocus();
    QTest::keyClick(page.view(), Qt::Key_Delete);
    auto *box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QVERIFY2(box->text().contains(name), qPrintable(box->text()));
    QAbstractButton *remove = nullptr;
    for (QAbstractButton *b : box->buttons()) {
        if (b->objectName() == u"confirmRemove")
            remove = b;
    }
    QVERIFY(remove);
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(model.find(name) < 0, Timeout);
    QTRY_VERIFY(page.message()->isVisible());
    QCOMPARE(page.message()->kind(), InlineMessage::Kind::Positive);
    QVERIFY2(unnamedControls(&page).isEmpty(), qPrintable(unnamedControls(&page).join(u", ")));
}

void tst_ContainersPage::embeddedStoreExplains()
{
    QTemporaryDir dir;
    QNetworkAccessManager network;
    RegistryClient client(&network);
    EmbeddedBackend embedded(dir.path(), &client);
    TransferManager transfers;
    ContainersModel model;
    ContainersPage page(&model, &transfers);
    page.show();
    transfers.setBackend(&embedded);
    auto *label = page.findChild<QLabel *>(u"emptyLabel"_s);
    QVERIFY(label);
    QTRY_VERIFY(label->isVisible());
    QVERIFY2(label->text().contains(u"Docker or Podman"), qPrintable(label->text()));
    QVERIFY(!page.exportAction()->isEnabled());
    QVERIFY(!page.removeAction()->isEnabled());
    QVERIFY(!page.message()->isVisible()); // not an error
}

void tst_ContainersPage::listedWhenShown()
{
    const QString source
        = TestServices::instance().registry(u"plain"_s).host + u"/berth/busybox:1.0"_s;
    auto pulled = await<PullResult>(
        [&](auto done) { m_docker->pull(*ImageReference::parse(source), {}, done); }, 300000);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : text(pulled.error())));
    const QString name = u"berth-containerspage-shown"_s;
    (void)await<void>([&](auto done) { m_docker->removeContainer(name, true, done); });

    // The window opens the engine while the page is hidden; the container comes later, made by
    // docker itself.
    TransferManager transfers;
    ContainersModel model;
    ContainersPage page(&model, &transfers);
    QSignalSpy refreshed(&model, &ContainersModel::refreshed);
    transfers.setBackend(m_docker.get());
    QVERIFY(refreshed.wait(Timeout));
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

    // Shown: listed without pressing Refresh, and "Show Containers" selects it.
    page.resize(900, 500);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.selectContainers({name});
    QTRY_VERIFY_WITH_TIMEOUT(model.find(name) >= 0, 20000);
    QVERIFY(page.view()->isVisible());
    QTRY_COMPARE(page.selectedContainer(), model.container(model.find(name)).id);
}

void tst_ContainersPage::exportNames_data()
{
    QTest::addColumn<QString>("container");
    QTest::addColumn<QString>("file");
    QTest::newRow("docker name") << u"web"_s << u"web-fs.tar"_s;
    QTest::newRow("podman name") << u"my.app_1-x"_s << u"my.app_1-x-fs.tar"_s;
    QTest::newRow("odd characters") << u"a/b:c d"_s << u"a-b-c-d-fs.tar"_s;
    QTest::newRow("hidden file") << u".web"_s << u"web-fs.tar"_s;
    QTest::newRow("nothing left") << u"/"_s << u"container-fs.tar"_s;
}

void tst_ContainersPage::exportNames()
{
    QFETCH(QString, container);
    QFETCH(QString, file);
    QCOMPARE(ContainersPage::suggestedExportName(container), file);
}

QTEST_MAIN(tst_ContainersPage)

#include "tst_containerspage.moc"
