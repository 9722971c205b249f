// The Images page (ui/imagespage) and its dialogs (pull, tag, image details), driven through
// their widgets against a real EmbeddedBackend filled from the plain registry of the test
// services: pull through the dialog, tag with live validation, remove and prune only after a
// confirmation, inspect, export and load through the file-chooser hook, push and save handed on,
// the backend switcher.

#include "asynctest.h"
#include "testservices.h"
#include "uitesthelpers.h"

#include "imagedetailsdialog.h"
#include "imagespage.h"
#include "inlinemessage.h"
#include "localimagesmodel.h"
#include "pulldialog.h"
#include "tagdialog.h"
#include "transfermanager.h"

#include "registry/registryclient.h"
#include "store/embeddedbackend.h"
#include "store/enginebackend.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 120000;

QPushButton *okButton(QDialog *dialog)
{
    auto *box = dialog->findChild<QDialogButtonBox *>();
    return box ? box->button(QDialogButtonBox::Ok) : nullptr;
}

QAbstractButton *buttonNamed(QMessageBox *box, const QString &objectName)
{
    for (QAbstractButton *b : box->buttons()) {
        if (b->objectName() == objectName)
            return b;
    }
    return nullptr;
}

} // namespace

class tst_ImagesPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void emptyStateThenPullThroughDialog();
    void pullDialogValidation();
    void tagDialogValidation();
    void tagRefusedShownInDialog();
    void removeAsksConfirmation();
    void removeWholeImageWithTags();
    void prune();
    void inspect();
    void pushAndSaveAreHandedOn();
    void exportAndLoadThroughFileChooser();
    void backendSwitcher();
    void accessibleNames();
    void dockerImageInUse();

private:
    QString ref(const QString &repoTag) const { return m_registry + u"/berth/" + repoTag; }
    void pullDirectly(const QString &reference);
    void tagDirectly(const QString &source, const QString &target);
    void refreshModel();

    QString m_registry;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<LocalImagesModel> m_model;
    std::unique_ptr<ImagesPage> m_page;
};

void tst_ImagesPage::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    m_registry = TestServices::instance().registry(u"plain"_s).host;
}

void tst_ImagesPage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_backend = std::make_unique<EmbeddedBackend>(m_dir->path() + u"/store", m_client.get());
    m_transfers = std::make_unique<TransferManager>();
    m_model = std::make_unique<LocalImagesModel>();
    m_page = std::make_unique<ImagesPage>(m_model.get(), m_transfers.get());
    m_page->resize(1000, 600);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    // A fresh page per test, as Dolphin's tests do; the backend arrives as the main window would
    // hand it over.
    QSignalSpy refreshed(m_model.get(), &LocalImagesModel::refreshed);
    m_transfers->setBackend(m_backend.get());
    QVERIFY(refreshed.wait(Timeout));
}

void tst_ImagesPage::cleanup()
{
    m_page.reset();
    m_model.reset();
    m_transfers.reset();
    m_backend.reset();
    m_client.reset();
    m_network.reset();
    m_dir.reset();
}

void tst_ImagesPage::pullDirectly(const QString &reference)
{
    TransferJob *job = m_transfers->pull(*ImageReference::parse(reference));
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QVERIFY2(job->state() == TransferJob::State::Done, qPrintable(job->errorString()));
    // The page refreshes its images when a pull is done.
    QTRY_VERIFY_WITH_TIMEOUT(m_model->find(reference).isValid(), Timeout);
}

void tst_ImagesPage::tagDirectly(const QString &source, const QString &target)
{
    auto tagged = await<void>(
        [&](auto done) { m_backend->tag(source, *ImageReference::parse(target), done); });
    QVERIFY(tagged);
    refreshModel();
}

void tst_ImagesPage::refreshModel()
{
    QSignalSpy refreshed(m_model.get(), &LocalImagesModel::refreshed);
    m_page->refresh();
    QVERIFY(refreshed.wait(Timeout));
}

void tst_ImagesPage::emptyStateThenPullThroughDialog()
{
    auto *empty = m_page->findChild<QWidget *>(u"emptyState"_s);
    QVERIFY(empty);
    QVERIFY(empty->isVisible());
    QVERIFY(!m_page->view()->isVisible());
    QVERIFY(m_page->action(ImagesPage::Action::Pull)->isEnabled());
    QVERIFY(!m_page->action(ImagesPage::Action::Remove)->isEnabled());

    m_page->action(ImagesPage::Action::Pull)->trigger();
    auto *dialog = waitForModal<PullDialog>();
    QVERIFY(dialog);
    QVERIFY(!okButton(dialog)->isEnabled());
    QTest::keyClicks(dialog->referenceEdit(), ref(u"busybox:1.0"_s));
    QVERIFY(okButton(dialog)->isEnabled());
    QCOMPARE(dialog->feedbackLabel()->text(), u"Pulls "_s + ref(u"busybox:1.0"_s));
    QSignalSpy added(m_transfers.get(), &TransferManager::jobAdded);
    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QCOMPARE(added.size(), 1);
    auto *job = added.first().at(0).value<TransferJob *>();
    QCOMPARE(job->kind(), TransferJob::Kind::Pull);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Done);

    // Images shows it without being asked.
    QTRY_VERIFY_WITH_TIMEOUT(m_model->find(ref(u"busybox:1.0"_s)).isValid(), Timeout);
    QTRY_VERIFY(m_page->view()->isVisible());
    QVERIFY(!empty->isVisible());
    QVERIFY(m_page->select(ref(u"busybox:1.0"_s)));
    QCOMPARE(m_page->selectedReferences(), QStringList{ref(u"busybox:1.0"_s)});
    QVERIFY(m_page->action(ImagesPage::Action::Remove)->isEnabled());
    QVERIFY(m_page->action(ImagesPage::Action::Tag)->isEnabled());
}

void tst_ImagesPage::pullDialogValidation()
{
    PullDialog dialog;
    dialog.show();
    QTest::keyClicks(dialog.referenceEdit(), u"Not A Reference!"_s);
    QVERIFY(!dialog.isInputValid());
    QVERIFY(!okButton(&dialog)->isEnabled());
    QVERIFY(!dialog.feedbackLabel()->text().isEmpty());
    QCOMPARE(dialog.referenceEdit()->accessibleDescription(), dialog.feedbackLabel()->text());

    dialog.referenceEdit()->setText(u"node:20"_s);
    QVERIFY(dialog.isInputValid());
    QCOMPARE(dialog.reference()->toString(), u"docker.io/library/node:20"_s);
    QVERIFY(!dialog.request().platform); // the host's, unless chosen

    dialog.platformBox()->setCurrentText(u"linux/arm64/v8"_s);
    QVERIFY(dialog.isInputValid());
    QCOMPARE(dialog.request().platform->toString(), u"linux/arm64/v8"_s);
    dialog.platformBox()->setCurrentText(u"linux"_s);
    QVERIFY(!dialog.isInputValid());
    QVERIFY(!okButton(&dialog)->isEnabled());
    dialog.allPlatformsBox()->setChecked(true); // the platform no longer matters
    QVERIFY(dialog.isInputValid());
    QVERIFY(dialog.request().allPlatforms);
    QVERIFY(!dialog.platformBox()->isEnabled());
}

void tst_ImagesPage::tagDialogValidation()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    QVERIFY(m_page->select(ref(u"busybox:1.0"_s)));
    m_page->action(ImagesPage::Action::Tag)->trigger();
    auto *dialog = waitForModal<TagDialog>();
    QVERIFY(dialog);
    QCOMPARE(dialog->source(), ref(u"busybox:1.0"_s));
    QCOMPARE(dialog->targetEdit()->text(), ref(u"busybox:1.0"_s)); // a start to edit

    // Live validation: each keystroke is checked, the reason shown, Tag refused.
    dialog->targetEdit()->clear();
    QTest::keyClicks(dialog->targetEdit(), u"Jean/App"_s);
    QVERIFY(!dialog->isInputValid());
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY2(dialog->feedbackLabel()->text().contains(u"lowercase"),
             qPrintable(dialog->feedbackLabel()->text()));
    dialog->targetEdit()->setText(u"jean/app@sha256:"_s + QString(64, u'a'));
    QVERIFY(!dialog->isInputValid());
    QVERIFY(dialog->feedbackLabel()->text().contains(u"digest"));

    dialog->targetEdit()->clear();
    QTest::keyClicks(dialog->targetEdit(), u"jean/mon-app:1.0.0"_s);
    QVERIFY(dialog->isInputValid());
    QCOMPARE(dialog->feedbackLabel()->text(), u"Full name: docker.io/jean/mon-app:1.0.0"_s);
    QVERIFY(okButton(dialog)->isEnabled());
    QPointer<TagDialog> guard(dialog);
    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), Timeout); // closed (and deleted) once tagged

    // The new name is listed and selected, under the same image.
    QTRY_VERIFY_WITH_TIMEOUT(m_model->find(u"jean/mon-app:1.0.0"_s).isValid(), Timeout);
    const QModelIndex tag = m_model->find(u"jean/mon-app:1.0.0"_s);
    QVERIFY(tag.parent().isValid());
    QCOMPARE(m_model->rowCount(tag.parent()), 2);
    QTRY_COMPARE(m_page->selectedReferences(), QStringList{u"jean/mon-app:1.0.0"_s});
}

void tst_ImagesPage::tagRefusedShownInDialog()
{
    TagDialog dialog(m_backend.get(), u"no-such-image:1"_s);
    dialog.show();
    dialog.setTarget(u"jean/other:1"_s);
    QVERIFY(dialog.isInputValid());
    dialog.accept();
    QTRY_VERIFY(!dialog.isBusy());
    QVERIFY(dialog.isVisible()); // stays open to correct
    QVERIFY(dialog.errorMessage()->isVisible());
    QCOMPARE(dialog.errorMessage()->kind(), InlineMessage::Kind::Error);
    QVERIFY2(dialog.errorMessage()->text().contains(u"no-such-image"),
             qPrintable(dialog.errorMessage()->text()));
    // Typing again clears the stale error.
    QTest::keyClicks(dialog.targetEdit(), u"x"_s);
    QVERIFY(!dialog.errorMessage()->isVisible());
}

void tst_ImagesPage::removeAsksConfirmation()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    tagDirectly(ref(u"busybox:1.0"_s), u"jean/mon-app:1.0.0"_s);
    QVERIFY(m_page->select(u"jean/mon-app:1.0.0"_s));
    m_page->view()->setFocus();

    // Delete asks first; Cancel (the default) keeps everything.
    QTest::keyClick(m_page->view(), Qt::Key_Delete);
    auto *box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QCOMPARE(box->objectName(), u"removeConfirmation"_s);
    QVERIFY2(box->text().contains(u"jean/mon-app:1.0.0"), qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QTest::keyClick(box, Qt::Key_Escape);
    QTRY_VERIFY(!QApplication::activeModalWidget());
    refreshModel();
    QVERIFY(m_model->find(u"jean/mon-app:1.0.0"_s).isValid());

    // Confirmed: only that tag goes; the image keeps its other name.
    QVERIFY(m_page->select(u"jean/mon-app:1.0.0"_s));
    m_page->action(ImagesPage::Action::Remove)->trigger();
    box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QAbstractButton *remove = buttonNamed(box, u"confirmRemove"_s);
    QVERIFY(remove);
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->find(u"jean/mon-app:1.0.0"_s).isValid(), Timeout);
    QVERIFY(m_model->find(ref(u"busybox:1.0"_s)).isValid());
    QTRY_VERIFY(m_page->message()->isVisible());
    QCOMPARE(m_page->message()->kind(), InlineMessage::Kind::Positive);
    QVERIFY2(m_page->message()->text().contains(u"jean/mon-app:1.0.0"),
             qPrintable(m_page->message()->text()));
}

void tst_ImagesPage::removeWholeImageWithTags()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    tagDirectly(ref(u"busybox:1.0"_s), u"jean/mon-app:1.0.0"_s);
    const QString id = TestServices::instance().image(u"busybox"_s).value(u"config").toString();
    QVERIFY(m_page->select(id)); // the image row: both names
    QCOMPARE(m_page->selectedReferences(), QStringList{id});
    m_page->action(ImagesPage::Action::Remove)->trigger();
    auto *box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains(u"jean/mon-app:1.0.0")
                 && box->informativeText().contains(ref(u"busybox:1.0"_s)),
             qPrintable(box->informativeText()));
    QTest::mouseClick(buttonNamed(box, u"confirmRemove"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 0, Timeout);
    QTRY_VERIFY(m_page->findChild<QWidget *>(u"emptyState"_s)->isVisible());
}

void tst_ImagesPage::prune()
{
    pullDirectly(ref(u"busybox:1.0"_s));

    // Without "all", a tagged image stays and the page says there was nothing to do.
    m_page->action(ImagesPage::Action::Prune)->trigger();
    auto *box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QCOMPARE(box->objectName(), u"pruneConfirmation"_s);
    QVERIFY(box->checkBox());
    QVERIFY(!box->checkBox()->isChecked());
    QTest::mouseClick(buttonNamed(box, u"confirmPrune"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_page->message()->isVisible(), Timeout);
    QVERIFY2(m_page->message()->text().contains(u"Nothing to prune"),
             qPrintable(m_page->message()->text()));
    QCOMPARE(m_model->rowCount(), 1);

    // With "all" checked, every image goes.
    m_page->action(ImagesPage::Action::Prune)->trigger();
    box = waitForModal<QMessageBox>();
    QVERIFY(box);
    box->checkBox()->setChecked(true);
    m_page->message()->clear();
    QTest::mouseClick(buttonNamed(box, u"confirmPrune"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 0, Timeout);
    QTRY_VERIFY(m_page->message()->isVisible());
    QVERIFY2(m_page->message()->text().contains(u"Removed 1 image"),
             qPrintable(m_page->message()->text()));
}

void tst_ImagesPage::inspect()
{
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    pullDirectly(ref(u"busybox:1.0"_s));
    QVERIFY(m_page->select(ref(u"busybox:1.0"_s)));
    // Enter on the list opens the details.
    m_page->view()->setFocus();
    QTest::keyClick(m_page->view(), Qt::Key_Return);
    ImageDetailsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_page->findChild<ImageDetailsDialog *>()));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), Timeout);
    QCOMPARE(dialog->fieldText(u"imageId"_s), busybox.value(u"config").toString());
    QCOMPARE(dialog->fieldText(u"manifest"_s).section(u'\n', 0, 0),
             busybox.value(u"digest").toString());
    QCOMPARE(dialog->fieldText(u"platform"_s), u"linux/amd64"_s);
    QVERIFY(dialog->fieldText(u"tags"_s).contains(ref(u"busybox:1.0"_s)));
    QCOMPARE(dialog->layersView()->topLevelItemCount(), busybox.value(u"layers").toInt());
    QCOMPARE(dialog->layersView()->topLevelItem(0)->text(1).left(7), u"sha256:"_s);
    QCOMPARE(dialog->historyView()->topLevelItemCount(), busybox.value(u"history").toInt());
    QVERIFY(!dialog->dockerfileView()->toPlainText().isEmpty());
    dialog->close();

    // An image that went meanwhile: the dialog says so instead of showing nothing.
    ImageDetailsDialog gone(m_backend.get(), u"nothing-here:1"_s);
    QSignalSpy failed(&gone, &ImageDetailsDialog::failed);
    QVERIFY(failed.wait(Timeout));
    QVERIFY(gone.errorMessage()->isVisibleTo(&gone));
    QVERIFY(!gone.isLoaded());
}

void tst_ImagesPage::pushAndSaveAreHandedOn()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    tagDirectly(ref(u"busybox:1.0"_s), u"jean/mon-app:1.0.0"_s);
    QSignalSpy share(m_page.get(), &ImagesPage::shareRequested);
    QSignalSpy save(m_page.get(), &ImagesPage::saveRequested);
    const QStringList both{ref(u"busybox:1.0"_s), u"jean/mon-app:1.0.0"_s};

    const QString id = TestServices::instance().image(u"busybox"_s).value(u"config").toString();
    QVERIFY(m_page->select(id));
    m_page->action(ImagesPage::Action::Push)->trigger();
    QCOMPARE(share.size(), 1);
    QCOMPARE(share.first().at(0).toStringList(), both);
    m_page->action(ImagesPage::Action::Save)->trigger();
    QCOMPARE(save.size(), 1);
    QCOMPARE(save.first().at(0).toStringList(), both);

    QVERIFY(m_page->select(u"jean/mon-app:1.0.0"_s));
    m_page->action(ImagesPage::Action::Push)->trigger();
    QCOMPARE(share.last().at(0).toStringList(), QStringList{u"jean/mon-app:1.0.0"_s});
}

void tst_ImagesPage::exportAndLoadThroughFileChooser()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    QList<FileRequest> requests;
    QString answer = m_dir->filePath(u"rootfs.tar"_s);
    m_page->setFileChooser([&](QWidget *parent, const FileRequest &request) {
        Q_UNUSED(parent);
        requests.append(request);
        return answer;
    });

    QVERIFY(m_page->select(ref(u"busybox:1.0"_s)));
    QSignalSpy added(m_transfers.get(), &TransferManager::jobAdded);
    m_page->action(ImagesPage::Action::Export)->trigger();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().mode, FileRequest::Mode::Save);
    QVERIFY2(requests.first().suggestedPath.endsWith(u"/busybox-1.0-rootfs.tar"),
             qPrintable(requests.first().suggestedPath));
    QCOMPARE(added.size(), 1);
    auto *exported = added.first().at(0).value<TransferJob *>();
    QCOMPARE(exported->kind(), TransferJob::Kind::Export);
    QCOMPARE(exported->outputFile(), answer);
    QTRY_VERIFY_WITH_TIMEOUT(exported->isFinished(), Timeout);
    QVERIFY2(exported->state() == TransferJob::State::Done, qPrintable(exported->errorString()));
    QVERIFY(QFileInfo(answer).size() > 1000000);

    // Cancelled file dialog: nothing happens.
    answer.clear();
    m_page->action(ImagesPage::Action::Export)->trigger();
    QCOMPARE(added.size(), 1);

    // Load: save an archive, remove the image, load it back through the page.
    const QString archive = m_dir->filePath(u"busybox.tar"_s);
    TransferJob *save = m_transfers->save({ref(u"busybox:1.0"_s)}, archive);
    QTRY_VERIFY_WITH_TIMEOUT(save->isFinished(), Timeout);
    QVERIFY2(save->state() == TransferJob::State::Done, qPrintable(save->errorString()));
    auto removed = await<RemoveResult>(
        [&](auto done) { m_backend->remove(ref(u"busybox:1.0"_s), true, done); });
    QVERIFY(removed);
    refreshModel();
    QCOMPARE(m_model->rowCount(), 0);
    answer = archive;
    m_page->action(ImagesPage::Action::Load)->trigger();
    QCOMPARE(requests.last().mode, FileRequest::Mode::Open);
    QTRY_VERIFY_WITH_TIMEOUT(m_model->find(ref(u"busybox:1.0"_s)).isValid(), Timeout);
}

void tst_ImagesPage::backendSwitcher()
{
    QCOMPARE(m_page->backendLabel()->text(), m_backend->description());
    QSignalSpy requested(m_page.get(), &ImagesPage::backendChangeRequested);
    m_page->setBackendChoice(BackendChoice::Embedded);
    QCOMPARE(m_page->backendChoice(), BackendChoice::Embedded);
    QCOMPARE(requested.size(), 0); // the program said it, not the user

    // The user picks another one with the keyboard.
    m_page->backendBox()->setFocus();
    m_page->setBackendChoice(BackendChoice::Auto);
    QTest::keyClick(m_page->backendBox(), Qt::Key_Down);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().at(0).value<BackendChoice>(), BackendChoice::Docker);
    QCOMPARE(m_page->backendLabel()->text(), u"Connecting…"_s);

    // The main window could not open it: said on the page; no store, nothing to act on.
    m_page->showBackendError(u"No Docker Engine answered at /var/run/docker.sock."_s);
    QVERIFY(m_page->message()->isVisible());
    QCOMPARE(m_page->message()->kind(), InlineMessage::Kind::Error);
    m_transfers->setBackend(nullptr);
    QVERIFY(!m_page->action(ImagesPage::Action::Pull)->isEnabled());
    QCOMPARE(m_page->backendLabel()->text(), u"No image store open"_s);

    // Back to the embedded store: listed again.
    QSignalSpy refreshed(m_model.get(), &LocalImagesModel::refreshed);
    m_transfers->setBackend(m_backend.get());
    QVERIFY(refreshed.wait(Timeout));
    QVERIFY(m_page->action(ImagesPage::Action::Pull)->isEnabled());
    QVERIFY(!m_page->message()->isVisible());
}

void tst_ImagesPage::accessibleNames()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    QVERIFY2(unnamedControls(m_page.get()).isEmpty(),
             qPrintable(unnamedControls(m_page.get()).join(u", ")));
    PullDialog pull;
    pull.show();
    QVERIFY2(unnamedControls(&pull).isEmpty(), qPrintable(unnamedControls(&pull).join(u", ")));
    TagDialog tag(m_backend.get(), ref(u"busybox:1.0"_s));
    tag.show();
    QVERIFY2(unnamedControls(&tag).isEmpty(), qPrintable(unnamedControls(&tag).join(u", ")));
}

// A Docker Engine's image a container uses: platform and In use in the list, history and layer
// sizes in Inspect, and a removal refused in words naming the container, with a way to it.
void tst_ImagesPage::dockerImageInUse()
{
    EngineEndpoint endpoint{TestServices::instance().engineSocket(u"docker"_s), u"test"_s};
    QVERIFY2(!endpoint.socketPath.isEmpty(), "the test services were started without docker");
    auto docker = await<std::unique_ptr<EngineBackend>>([&](auto done) {
        EngineBackend::discover(nullptr, EngineInfo::Flavour::Docker, done, endpoint);
    });
    QVERIFY2(docker, qPrintable(docker ? QString() : docker.error().message));
    EngineBackend &engine = **docker;
    const QString image = ref(u"busybox:1.0"_s);
    auto pulled = await<PullResult>(
        [&](auto done) { engine.pull(*ImageReference::parse(image), {}, done); }, 300000);
    QVERIFY2(pulled, qPrintable(pulled ? QString() : pulled.error().message));
    const QString name = u"berth-imagespage-inuse"_s;
    (void)await<void>([&](auto done) { engine.removeContainer(name, true, done); });
    EngineRequest create;
    create.method = "POST";
    create.path = u"/containers/create"_s;
    create.query.addQueryItem(u"name"_s, name);
    create.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
    create.body = QJsonDocument(QJsonObject{{u"Image"_s, image}, {u"Cmd"_s, QJsonArray{u"true"_s}}})
                      .toJson(QJsonDocument::Compact);
    auto created = await<EngineResponse>([&](auto done) { engine.client().send(create, done); });
    QVERIFY2(created, qPrintable(created ? QString() : created.error().message));
    auto removeContainer = qScopeGuard(
        [&] { (void)await<void>([&](auto done) { engine.removeContainer(name, true, done); }); });

    QSignalSpy refreshed(m_model.get(), &LocalImagesModel::refreshed);
    m_transfers->setBackend(&engine);
    QVERIFY(refreshed.wait(Timeout));
    const QModelIndex row = m_model->find(image);
    QVERIFY(row.isValid());
    QCOMPARE(row.siblingAtColumn(LocalImagesModel::PlatformColumn).data().toString(),
             u"linux/"_s + engine.info().architecture);
    QCOMPARE(row.siblingAtColumn(LocalImagesModel::InUseColumn).data().toString(), u"In use"_s);

    // Inspect: the build history and the size of each layer, read from the engine.
    ImageDetailsDialog details(&engine, image);
    QSignalSpy loaded(&details, &ImageDetailsDialog::loaded);
    QVERIFY(loaded.wait(Timeout));
    QVERIFY(details.historyView()->topLevelItemCount() >= 2);
    QVERIFY(details.layersView()->topLevelItemCount() >= 1);
    for (int i = 0; i < details.layersView()->topLevelItemCount(); ++i)
        QVERIFY(!details.layersView()->topLevelItem(i)->text(2).isEmpty());
    QVERIFY2(details.dockerfileView()->toPlainText().contains(u"CMD"),
             qPrintable(details.dockerfileView()->toPlainText()));

    // Remove: refused, in words, with the way to the container.
    QVERIFY(m_page->select(image));
    QSignalSpy requested(m_page.get(), &ImagesPage::containersRequested);
    m_page->action(ImagesPage::Action::Remove)->trigger();
    auto *box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QTest::mouseClick(buttonNamed(box, u"confirmRemove"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_page->message()->isVisible(), Timeout);
    QCOMPARE(m_page->message()->kind(), InlineMessage::Kind::Error);
    QCOMPARE(m_page->message()->text(),
             u"%1 is used by the container '%2' (stopped). Remove the container first, or "
             "force."_s.arg(image, name));
    const QList<QAction *> actions = m_page->message()->messageActions();
    QCOMPARE(actions.size(), 1);
    QCOMPARE(actions.first()->objectName(), u"showContainersAction"_s);
    actions.first()->trigger();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toStringList(), QStringList{name});
    m_transfers->setBackend(m_backend.get());
}

QTEST_MAIN(tst_ImagesPage)

#include "tst_imagespage.moc"
