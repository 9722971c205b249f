// The Containers page (ui/containerspage) over the in-memory backend of tests/shared (FakeBackend)
// acting as a Docker Engine: a container is listed (also one made after the engine was opened, as
// by docker itself), its filesystem exported through the file-chooser hook (a transfer writing a
// tar), and removed only after a confirmation; a removal the engine refuses is said in its words.
// With the embedded store the page says where containers live instead. Widgets are reached by
// object name. The Engine API side (containers made, listed, exported and removed on a real
// dockerd) is tst_enginebackend's.

#include "fakebackend.h"
#include "uitesthelpers.h"

#include "containersmodel.h"
#include "containerspage.h"
#include "inlinemessage.h"
#include "transfermanager.h"

#include "common/humanize.h"

#include <QAction>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 120000;

const QString Source = u"registry.test/berth/busybox:1.0"_s;

QTreeView *view(ContainersPage &page)
{
    return child<QTreeView>(&page, u"containersView"_s);
}

QAction *action(ContainersPage &page, const QString &name)
{
    return child<QAction>(&page, name);
}

InlineMessage *message(ContainersPage &page)
{
    return child<InlineMessage>(&page, u"message"_s);
}

QAbstractButton *confirmRemove(QMessageBox *box)
{
    for (QAbstractButton *b : box->buttons()) {
        if (b->objectName() == u"confirmRemove")
            return b;
    }
    return nullptr;
}

} // namespace

class tst_ContainersPage final : public QObject
{
    Q_OBJECT

private slots:
    void exportAndRemove();
    void removeFailureShown();
    void embeddedStoreExplains();
    void listedWhenShown();
    void exportNames_data();
    void exportNames();
};

void tst_ContainersPage::exportAndRemove()
{
    FakeBackend docker(ImageBackend::Kind::Docker);
    docker.addImage(Source);
    const QString name = u"berth-containerspage"_s;
    docker.addContainer(name, Source);

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
    transfers.setBackend(&docker);
    QVERIFY(refreshed.wait(Timeout));
    QVERIFY(view(page)->isVisible());
    QVERIFY(!action(page, u"exportAction"_s)->isEnabled()); // nothing selected yet
    QVERIFY(page.select(name));
    QVERIFY(action(page, u"exportAction"_s)->isEnabled());

    // Export: the file picker, then a transfer writing the container's files.
    QSignalSpy added(&transfers, &TransferManager::jobAdded);
    action(page, u"exportAction"_s)->trigger();
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
    QVERIFY(written > 0);
    // The Size column says what the status says was written.
    QCOMPARE(job->current(), written);
    QVERIFY2(job->summary().contains(formatSize(written)), qPrintable(job->summary()));

    // Remove: asked first; confirmed, the container is gone.
    view(page)->setFocus();
    QTest::keyClick(view(page), Qt::Key_Delete);
    auto *box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QVERIFY2(box->text().contains(name), qPrintable(box->text()));
    QAbstractButton *remove = confirmRemove(box);
    QVERIFY(remove);
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(model.find(name) < 0, Timeout);
    QTRY_VERIFY(message(page)->isVisible());
    QCOMPARE(message(page)->kind(), InlineMessage::Kind::Positive);
    QVERIFY2(unnamedControls(&page).isEmpty(), qPrintable(unnamedControls(&page).join(u", ")));
}

void tst_ContainersPage::embeddedStoreExplains()
{
    FakeBackend embedded(ImageBackend::Kind::Embedded);
    TransferManager transfers;
    ContainersModel model;
    ContainersPage page(&model, &transfers);
    page.show();
    transfers.setBackend(&embedded);
    auto *label = page.findChild<QLabel *>(u"emptyLabel"_s);
    QVERIFY(label);
    QTRY_VERIFY(label->isVisible());
    QVERIFY2(label->text().contains(u"Docker or Podman"), qPrintable(label->text()));
    QVERIFY(!action(page, u"exportAction"_s)->isEnabled());
    QVERIFY(!action(page, u"removeAction"_s)->isEnabled());
    QVERIFY(!message(page)->isVisible()); // not an error
}

void tst_ContainersPage::listedWhenShown()
{
    FakeBackend docker(ImageBackend::Kind::Docker);
    docker.addImage(Source);
    const QString name = u"berth-containerspage-shown"_s;

    // The window opens the engine while the page is hidden; the container comes later, made by
    // docker itself.
    TransferManager transfers;
    ContainersModel model;
    ContainersPage page(&model, &transfers);
    QSignalSpy refreshed(&model, &ContainersModel::refreshed);
    transfers.setBackend(&docker);
    QVERIFY(refreshed.wait(Timeout));
    docker.addContainer(name, Source);

    // Shown: listed without pressing Refresh, and "Show Containers" selects it.
    page.resize(900, 500);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.selectContainers({name});
    QTRY_VERIFY_WITH_TIMEOUT(model.find(name) >= 0, 20000);
    QVERIFY(view(page)->isVisible());
    QTRY_COMPARE(page.selectedContainer(), model.container(model.find(name)).id);
}

void tst_ContainersPage::removeFailureShown()
{
    FakeBackend docker(ImageBackend::Kind::Docker);
    docker.addImage(Source);
    const QString name = u"berth-running"_s;
    docker.addContainer(name, Source, u"running"_s);
    docker.failNext(FakeBackend::Op::RemoveContainer,
                    Error::Kind::Denied,
                    u"permission denied while trying to connect to the Docker daemon"_s);
    TransferManager transfers;
    ContainersModel model;
    ContainersPage page(&model, &transfers);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QSignalSpy refreshed(&model, &ContainersModel::refreshed);
    transfers.setBackend(&docker);
    QVERIFY(refreshed.wait(Timeout));
    QVERIFY(page.select(name));
    action(page, u"removeAction"_s)->trigger();
    auto *box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QTest::mouseClick(confirmRemove(box), Qt::LeftButton);
    // Said in the engine's words; the container stays listed.
    QTRY_VERIFY(message(page)->isVisible());
    QCOMPARE(message(page)->kind(), InlineMessage::Kind::Error);
    QVERIFY2(message(page)->text().contains(u"permission denied"),
             qPrintable(message(page)->text()));
    QVERIFY(model.find(name) >= 0);
    QCOMPARE(docker.containers().size(), 1);
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
