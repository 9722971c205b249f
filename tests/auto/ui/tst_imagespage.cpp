// The Images page (ui/imagespage) and its dialogs (pull, tag, image details), driven through
// their widgets against the in-memory backend of tests/shared (FakeBackend), whose pretend
// registry holds the image: pull through the dialog (and the page while a pull is under way or
// after it failed), tag with live validation, remove and prune only after a confirmation,
// inspect, export and load through the file-chooser hook, push and save handed on, the backend
// switcher, and an engine's image a container uses. Widgets are reached by object name.

#include "asynctest.h"
#include "fakebackend.h"
#include "uitesthelpers.h"

#include "imagedetailsdialog.h"
#include "imagespage.h"
#include "inlinemessage.h"
#include "localimagesmodel.h"
#include "pulldialog.h"
#include "tagdialog.h"
#include "transfermanager.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
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
// Named as the test services name theirs: its tags sort before "jean/…", as the checks expect.
const QString Registry = u"127.0.0.1:5000"_s;
using Op = FakeBackend::Op;

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
    void pullUnderWayThenFailed();

private:
    QString ref(const QString &repoTag) const { return Registry + u"/berth/" + repoTag; }
    QAction *action(const QString &name) const
    {
        return child<QAction>(m_page.get(), name + u"Action");
    }
    QTreeView *view() const { return child<QTreeView>(m_page.get(), u"imagesView"_s); }
    InlineMessage *message() const { return child<InlineMessage>(m_page.get(), u"message"_s); }
    void pullDirectly(const QString &reference);
    void tagDirectly(const QString &source, const QString &target);
    void refreshModel();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeBackend> m_backend;
    Digest m_busybox; // the image ID of busybox:1.0
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<LocalImagesModel> m_model;
    std::unique_ptr<ImagesPage> m_page;
};

void tst_ImagesPage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_backend = std::make_unique<FakeBackend>();
    m_busybox = m_backend->addRemoteImage(ref(u"busybox:1.0"_s));
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
    QVERIFY(!view()->isVisible());
    QVERIFY(action(u"pull"_s)->isEnabled());
    QVERIFY(!action(u"remove"_s)->isEnabled());

    action(u"pull"_s)->trigger();
    auto *dialog = waitForModal<PullDialog>();
    QVERIFY(dialog);
    QVERIFY(!okButton(dialog)->isEnabled());
    QTest::keyClicks(child<QLineEdit>(dialog, u"reference"_s), ref(u"busybox:1.0"_s));
    QVERIFY(okButton(dialog)->isEnabled());
    QCOMPARE(child<QLabel>(dialog, u"feedback"_s)->text(), u"Pulls "_s + ref(u"busybox:1.0"_s));
    QSignalSpy added(m_transfers.get(), &TransferManager::jobAdded);
    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QCOMPARE(added.size(), 1);
    auto *job = added.first().at(0).value<TransferJob *>();
    QCOMPARE(job->kind(), TransferJob::Kind::Pull);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), Timeout);
    QCOMPARE(job->state(), TransferJob::State::Done);

    // Images shows it without being asked.
    QTRY_VERIFY_WITH_TIMEOUT(m_model->find(ref(u"busybox:1.0"_s)).isValid(), Timeout);
    QTRY_VERIFY(view()->isVisible());
    QVERIFY(!empty->isVisible());
    QVERIFY(m_page->select(ref(u"busybox:1.0"_s)));
    QCOMPARE(m_page->selectedReferences(), QStringList{ref(u"busybox:1.0"_s)});
    QVERIFY(action(u"remove"_s)->isEnabled());
    QVERIFY(action(u"tag"_s)->isEnabled());
}

void tst_ImagesPage::pullDialogValidation()
{
    PullDialog dialog;
    dialog.show();
    QTest::keyClicks(child<QLineEdit>(&dialog, u"reference"_s), u"Not A Reference!"_s);
    QVERIFY(!dialog.isInputValid());
    QVERIFY(!okButton(&dialog)->isEnabled());
    QVERIFY(!child<QLabel>(&dialog, u"feedback"_s)->text().isEmpty());
    QCOMPARE(child<QLineEdit>(&dialog, u"reference"_s)->accessibleDescription(),
             child<QLabel>(&dialog, u"feedback"_s)->text());

    child<QLineEdit>(&dialog, u"reference"_s)->setText(u"node:20"_s);
    QVERIFY(dialog.isInputValid());
    QCOMPARE(dialog.reference()->toString(), u"docker.io/library/node:20"_s);
    QVERIFY(!dialog.request().platform); // the host's, unless chosen

    child<QComboBox>(&dialog, u"platform"_s)->setCurrentText(u"linux/arm64/v8"_s);
    QVERIFY(dialog.isInputValid());
    QCOMPARE(dialog.request().platform->toString(), u"linux/arm64/v8"_s);
    child<QComboBox>(&dialog, u"platform"_s)->setCurrentText(u"linux"_s);
    QVERIFY(!dialog.isInputValid());
    QVERIFY(!okButton(&dialog)->isEnabled());
    child<QCheckBox>(&dialog, u"allPlatforms"_s)
        ->setChecked(true); // the platform no longer matters
    QVERIFY(dialog.isInputValid());
    QVERIFY(dialog.request().allPlatforms);
    QVERIFY(!child<QComboBox>(&dialog, u"platform"_s)->isEnabled());
}

void tst_ImagesPage::tagDialogValidation()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    QVERIFY(m_page->select(ref(u"busybox:1.0"_s)));
    action(u"tag"_s)->trigger();
    auto *dialog = waitForModal<TagDialog>();
    QVERIFY(dialog);
    QCOMPARE(dialog->source(), ref(u"busybox:1.0"_s));
    QCOMPARE(child<QLineEdit>(dialog, u"target"_s)->text(),
             ref(u"busybox:1.0"_s)); // a start to edit

    // Live validation: each keystroke is checked, the reason shown, Tag refused.
    child<QLineEdit>(dialog, u"target"_s)->clear();
    QTest::keyClicks(child<QLineEdit>(dialog, u"target"_s), u"Jean/App"_s);
    QVERIFY(!dialog->isInputValid());
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY2(child<QLabel>(dialog, u"feedback"_s)->text().contains(u"lowercase"),
             qPrintable(child<QLabel>(dialog, u"feedback"_s)->text()));
    child<QLineEdit>(dialog, u"target"_s)->setText(u"jean/app@sha256:"_s + QString(64, u'a'));
    QVERIFY(!dialog->isInputValid());
    QVERIFY(child<QLabel>(dialog, u"feedback"_s)->text().contains(u"digest"));

    child<QLineEdit>(dialog, u"target"_s)->clear();
    QTest::keyClicks(child<QLineEdit>(dialog, u"target"_s), u"jean/mon-app:1.0.0"_s);
    QVERIFY(dialog->isInputValid());
    QCOMPARE(child<QLabel>(dialog, u"feedback"_s)->text(),
             u"Full name: docker.io/jean/mon-app:1.0.0"_s);
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
    QVERIFY(child<InlineMessage>(&dialog, u"error"_s)->isVisible());
    QCOMPARE(child<InlineMessage>(&dialog, u"error"_s)->kind(), InlineMessage::Kind::Error);
    QVERIFY2(child<InlineMessage>(&dialog, u"error"_s)->text().contains(u"no-such-image"),
             qPrintable(child<InlineMessage>(&dialog, u"error"_s)->text()));
    // Typing again clears the stale error.
    QTest::keyClicks(child<QLineEdit>(&dialog, u"target"_s), u"x"_s);
    QVERIFY(!child<InlineMessage>(&dialog, u"error"_s)->isVisible());
}

void tst_ImagesPage::removeAsksConfirmation()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    tagDirectly(ref(u"busybox:1.0"_s), u"jean/mon-app:1.0.0"_s);
    QVERIFY(m_page->select(u"jean/mon-app:1.0.0"_s));
    view()->setFocus();

    // Delete asks first; Cancel (the default) keeps everything.
    QTest::keyClick(view(), Qt::Key_Delete);
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
    action(u"remove"_s)->trigger();
    box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QAbstractButton *remove = buttonNamed(box, u"confirmRemove"_s);
    QVERIFY(remove);
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->find(u"jean/mon-app:1.0.0"_s).isValid(), Timeout);
    QVERIFY(m_model->find(ref(u"busybox:1.0"_s)).isValid());
    QTRY_VERIFY(message()->isVisible());
    QCOMPARE(message()->kind(), InlineMessage::Kind::Positive);
    QVERIFY2(message()->text().contains(u"jean/mon-app:1.0.0"), qPrintable(message()->text()));
}

void tst_ImagesPage::removeWholeImageWithTags()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    tagDirectly(ref(u"busybox:1.0"_s), u"jean/mon-app:1.0.0"_s);
    const QString id = m_busybox.toString();
    QVERIFY(m_page->select(id)); // the image row: both names
    QCOMPARE(m_page->selectedReferences(), QStringList{id});
    action(u"remove"_s)->trigger();
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
    action(u"prune"_s)->trigger();
    auto *box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QCOMPARE(box->objectName(), u"pruneConfirmation"_s);
    QVERIFY(box->checkBox());
    QVERIFY(!box->checkBox()->isChecked());
    QTest::mouseClick(buttonNamed(box, u"confirmPrune"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(message()->isVisible(), Timeout);
    QVERIFY2(message()->text().contains(u"Nothing to prune"), qPrintable(message()->text()));
    QCOMPARE(m_model->rowCount(), 1);

    // With "all" checked, every image goes.
    action(u"prune"_s)->trigger();
    box = waitForModal<QMessageBox>();
    QVERIFY(box);
    box->checkBox()->setChecked(true);
    message()->clear();
    QTest::mouseClick(buttonNamed(box, u"confirmPrune"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 0, Timeout);
    QTRY_VERIFY(message()->isVisible());
    QVERIFY2(message()->text().contains(u"Removed 1 image"), qPrintable(message()->text()));
}

void tst_ImagesPage::inspect()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    const FakeBackend::Image *busybox = m_backend->image(ref(u"busybox:1.0"_s));
    QVERIFY(busybox);
    QVERIFY(m_page->select(ref(u"busybox:1.0"_s)));
    // Enter on the list opens the details.
    view()->setFocus();
    QTest::keyClick(view(), Qt::Key_Return);
    ImageDetailsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_page->findChild<ImageDetailsDialog *>()));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), Timeout);
    QCOMPARE(dialog->fieldText(u"imageId"_s), m_busybox.toString());
    QCOMPARE(dialog->fieldText(u"manifest"_s).section(u'\n', 0, 0), busybox->manifest.toString());
    QCOMPARE(dialog->fieldText(u"platform"_s), u"linux/amd64"_s);
    QVERIFY(dialog->fieldText(u"tags"_s).contains(ref(u"busybox:1.0"_s)));
    QCOMPARE(child<QTreeWidget>(dialog, u"layers"_s)->topLevelItemCount(),
             int(busybox->layers.size()));
    QCOMPARE(child<QTreeWidget>(dialog, u"layers"_s)->topLevelItem(0)->text(1).left(7),
             u"sha256:"_s);
    QCOMPARE(child<QTreeWidget>(dialog, u"history"_s)->topLevelItemCount(),
             int(busybox->layers.size()) + 1); // and the CMD
    QVERIFY(!child<QPlainTextEdit>(dialog, u"dockerfile"_s)->toPlainText().isEmpty());
    dialog->close();

    // An image that went meanwhile: the dialog says so instead of showing nothing.
    ImageDetailsDialog gone(m_backend.get(), u"nothing-here:1"_s);
    QSignalSpy failed(&gone, &ImageDetailsDialog::failed);
    QVERIFY(failed.wait(Timeout));
    QVERIFY(child<InlineMessage>(&gone, u"error"_s)->isVisibleTo(&gone));
    QVERIFY(!gone.isLoaded());
}

void tst_ImagesPage::pushAndSaveAreHandedOn()
{
    pullDirectly(ref(u"busybox:1.0"_s));
    tagDirectly(ref(u"busybox:1.0"_s), u"jean/mon-app:1.0.0"_s);
    QSignalSpy share(m_page.get(), &ImagesPage::shareRequested);
    QSignalSpy save(m_page.get(), &ImagesPage::saveRequested);
    const QStringList both{ref(u"busybox:1.0"_s), u"jean/mon-app:1.0.0"_s};

    const QString id = m_busybox.toString();
    QVERIFY(m_page->select(id));
    action(u"push"_s)->trigger();
    QCOMPARE(share.size(), 1);
    QCOMPARE(share.first().at(0).toStringList(), both);
    action(u"save"_s)->trigger();
    QCOMPARE(save.size(), 1);
    QCOMPARE(save.first().at(0).toStringList(), both);

    QVERIFY(m_page->select(u"jean/mon-app:1.0.0"_s));
    action(u"push"_s)->trigger();
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
    action(u"export"_s)->trigger();
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
    QVERIFY(QFileInfo(answer).size() > 0);
    QCOMPARE(exported->current(), QFileInfo(answer).size());

    // Cancelled file dialog: nothing happens.
    answer.clear();
    action(u"export"_s)->trigger();
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
    action(u"load"_s)->trigger();
    QCOMPARE(requests.last().mode, FileRequest::Mode::Open);
    QTRY_VERIFY_WITH_TIMEOUT(m_model->find(ref(u"busybox:1.0"_s)).isValid(), Timeout);
}

void tst_ImagesPage::backendSwitcher()
{
    QCOMPARE(child<QLabel>(m_page.get(), u"backendLabel"_s)->text(), m_backend->description());
    QSignalSpy requested(m_page.get(), &ImagesPage::backendChangeRequested);
    m_page->setBackendChoice(BackendChoice::Embedded);
    QCOMPARE(m_page->backendChoice(), BackendChoice::Embedded);
    QCOMPARE(requested.size(), 0); // the program said it, not the user

    // The user picks another one with the keyboard.
    child<QComboBox>(m_page.get(), u"backendBox"_s)->setFocus();
    m_page->setBackendChoice(BackendChoice::Auto);
    QTest::keyClick(child<QComboBox>(m_page.get(), u"backendBox"_s), Qt::Key_Down);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().at(0).value<BackendChoice>(), BackendChoice::Docker);
    QCOMPARE(child<QLabel>(m_page.get(), u"backendLabel"_s)->text(), u"Connecting…"_s);

    // The main window could not open it: said on the page; no store, nothing to act on.
    m_page->showBackendError(u"No Docker Engine answered at /var/run/docker.sock."_s);
    QVERIFY(message()->isVisible());
    QCOMPARE(message()->kind(), InlineMessage::Kind::Error);
    m_transfers->setBackend(nullptr);
    QVERIFY(!action(u"pull"_s)->isEnabled());
    QCOMPARE(child<QLabel>(m_page.get(), u"backendLabel"_s)->text(), u"No image store open"_s);

    // Back to the embedded store: listed again.
    QSignalSpy refreshed(m_model.get(), &LocalImagesModel::refreshed);
    m_transfers->setBackend(m_backend.get());
    QVERIFY(refreshed.wait(Timeout));
    QVERIFY(action(u"pull"_s)->isEnabled());
    QVERIFY(!message()->isVisible());
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
// sizes in Inspect, and a removal refused in words naming the container, with a way to it. How
// an engine's own answers become these (the 409 naming a container ID, the history's sizes) is
// tst_engineimages' part, against the real dockerd.
void tst_ImagesPage::dockerImageInUse()
{
    FakeBackend engine(ImageBackend::Kind::Docker);
    const QString image = ref(u"busybox:1.0"_s);
    engine.addImage(image);
    const QString name = u"berth-imagespage-inuse"_s;
    engine.addContainer(name, image);

    QSignalSpy refreshed(m_model.get(), &LocalImagesModel::refreshed);
    m_transfers->setBackend(&engine);
    QVERIFY(refreshed.wait(Timeout));
    const QModelIndex row = m_model->find(image);
    QVERIFY(row.isValid());
    QCOMPARE(row.siblingAtColumn(LocalImagesModel::PlatformColumn).data().toString(),
             u"linux/amd64"_s);
    QCOMPARE(row.siblingAtColumn(LocalImagesModel::InUseColumn).data().toString(), u"In use"_s);

    // Inspect: the build history and the size of each layer, read from the engine.
    ImageDetailsDialog details(&engine, image);
    QSignalSpy loaded(&details, &ImageDetailsDialog::loaded);
    QVERIFY(loaded.wait(Timeout));
    QVERIFY(child<QTreeWidget>(&details, u"history"_s)->topLevelItemCount() >= 2);
    QVERIFY(child<QTreeWidget>(&details, u"layers"_s)->topLevelItemCount() >= 1);
    for (int i = 0; i < child<QTreeWidget>(&details, u"layers"_s)->topLevelItemCount(); ++i)
        QVERIFY(!child<QTreeWidget>(&details, u"layers"_s)->topLevelItem(i)->text(2).isEmpty());
    QVERIFY2(child<QPlainTextEdit>(&details, u"dockerfile"_s)->toPlainText().contains(u"CMD"),
             qPrintable(child<QPlainTextEdit>(&details, u"dockerfile"_s)->toPlainText()));

    // Remove: refused, in words, with the way to the container.
    QVERIFY(m_page->select(image));
    QSignalSpy requested(m_page.get(), &ImagesPage::containersRequested);
    action(u"remove"_s)->trigger();
    auto *box = waitForModal<QMessageBox>();
    QVERIFY(box);
    QTest::mouseClick(buttonNamed(box, u"confirmRemove"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(message()->isVisible(), Timeout);
    QCOMPARE(message()->kind(), InlineMessage::Kind::Error);
    QCOMPARE(message()->text(),
             u"%1 is used by the container '%2' (stopped). Remove the container first, or "
             "force."_s.arg(image, name));
    const QList<QAction *> actions = message()->messageActions();
    QCOMPARE(actions.size(), 1);
    QCOMPARE(actions.first()->objectName(), u"showContainersAction"_s);
    actions.first()->trigger();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toStringList(), QStringList{name});
    m_transfers->setBackend(m_backend.get());
}

// What the page shows while a pull runs and after it failed: the job is there, the image not yet;
// the failure is the job's, in its words, and the list stays as it was.
void tst_ImagesPage::pullUnderWayThenFailed()
{
    m_backend->holdNext(Op::Pull, 1);
    TransferJob *job = m_transfers->pull(*ImageReference::parse(ref(u"busybox:1.0"_s)));
    QTRY_COMPARE(m_backend->heldCount(Op::Pull), 1);
    QCOMPARE(job->state(), TransferJob::State::Running);
    QVERIFY(child<QWidget>(m_page.get(), u"emptyState"_s)->isVisible());
    QVERIFY(action(u"pull"_s)->isEnabled()); // another pull may start meanwhile

    m_backend->failNext(Op::Pull, Error::Kind::Network, u"Connection reset by peer"_s, 2);
    TransferJob *failing = m_transfers->pull(*ImageReference::parse(ref(u"busybox:1.0"_s)));
    QTRY_VERIFY(failing->isFinished());
    QCOMPARE(failing->state(), TransferJob::State::Failed);
    QCOMPARE(failing->errorString(), u"Connection reset by peer"_s);
    QCOMPARE(m_model->rowCount(), 0);

    // Released, the first one completes and the image appears without being asked for.
    QVERIFY(m_backend->release(Op::Pull));
    QTRY_VERIFY(job->isFinished());
    QCOMPARE(job->state(), TransferJob::State::Done);
    QTRY_VERIFY(m_model->find(ref(u"busybox:1.0"_s)).isValid());
    QTRY_VERIFY(view()->isVisible());
}

QTEST_MAIN(tst_ImagesPage)

#include "tst_imagespage.moc"
