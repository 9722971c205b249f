// The tag browser's registry actions, headless, against the registries of the test services:
// Delete Image… from the Repository page (every tag of the digest named, then gone), a registry
// that refuses deletes (nodelete: a sentence, no HTTP text), Remove Tag… (the sibling keeps
// working), Copy to… another registry (the digest kept, blobs in the Transfers model), and the
// actions' state where they cannot apply.

#include "asynctest.h"
#include "copyimagedialog.h"
#include "deleteimagedialog.h"
#include "filesimage.h"
#include "icontheme.h"
#include "inlinemessage.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "removetagdialog.h"
#include "repositorypage.h"
#include "tagactions.h"
#include "taggroupsmodel.h"
#include "taggroupsview.h"
#include "testservices.h"
#include "transfermanager.h"
#include "transfersmodel.h"
#include "uitesthelpers.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <QUuid>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

class tst_RegistryActions final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void deleteImageFromTheTagBrowser();
    void refusedDeleteIsSaidPlainly();
    void removeTagKeepsTheSibling();
    void copyToAnotherRegistry();
    void copyStopsAndRetries();
    void destinationCheckedAsTyped_data();
    void destinationCheckedAsTyped();
    void actionsSayWhyTheyAreOff();

private:
    // A repository of this test's own on `flavour`, with `tags` on one image and `others` on
    // another; answers the first image's digest.
    ImageReference
    pushRepository(const QString &flavour, const QStringList &tags, const QStringList &others = {});
    QStringList tagsOf(const ImageReference &repository);
    Result<ManifestResponse> head(const ImageReference &reference);
    void openPage(const ImageReference &repository);

    Digest m_digest;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<HubClient> m_hub;
    std::unique_ptr<RegistryClient> m_registry;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<RepositoryPage> m_page;
};

void tst_RegistryActions::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    installBundledIcons(); // the actions' icons, with no desktop theme
}

void tst_RegistryActions::init()
{
    m_network = std::make_unique<QNetworkAccessManager>();
    m_hub = std::make_unique<HubClient>(m_network.get());
    m_hub->setBaseUrl(QUrl(u"http://127.0.0.1:9"_s)); // no Docker Hub in these tests
    m_registry = std::make_unique<RegistryClient>(m_network.get());
    m_transfers = std::make_unique<TransferManager>();
}

void tst_RegistryActions::cleanup()
{
    m_page.reset();
    m_transfers.reset();
    m_registry.reset();
    m_hub.reset();
    m_network.reset();
}

ImageReference tst_RegistryActions::pushRepository(const QString &flavour,
                                                   const QStringList &tags,
                                                   const QStringList &others)
{
    const QString host = TestServices::instance().registry(flavour).host;
    const QString name
        = host + u"/berth/actions-"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
    const auto repository = *ImageReference::parseRepository(name);
    const FilesImageLayer layer{file(u"etc/motd"_s, "one image, several tags\n")};
    const FilesImageLayer other{file(u"etc/motd"_s, "another image\n")};
    for (const QString &tag : tags) {
        const auto pushed = pushFilesImage(*m_registry, repository.withTag(tag), {layer});
        if (!pushed)
            qWarning("push failed: %s", qPrintable(pushed.error().message));
        else
            m_digest = *pushed;
    }
    for (const QString &tag : others)
        pushFilesImage(*m_registry, repository.withTag(tag), {other});
    return repository;
}

QStringList tst_RegistryActions::tagsOf(const ImageReference &repository)
{
    const auto tags
        = await<QStringList>([&](auto done) { m_registry->listTags(repository, std::move(done)); });
    return tags ? *tags : QStringList{u"(listing failed: %1)"_s.arg(tags.error().message)};
}

Result<ManifestResponse> tst_RegistryActions::head(const ImageReference &reference)
{
    return await<ManifestResponse>(
        [&](auto done) { m_registry->headManifest(reference, std::move(done)); });
}

void tst_RegistryActions::openPage(const ImageReference &repository)
{
    m_page = std::make_unique<RepositoryPage>(m_hub.get(), m_registry.get());
    m_page->setTransfers(m_transfers.get());
    m_page->resize(1000, 700);
    m_page->show();
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    auto *model = child<TagGroupsModel>(m_page.get(), u"tagGroupsModel"_s);
    QSignalSpy loaded(model, &TagGroupsModel::loaded);
    m_page->openRepository(repository.familiarRepository());
    QVERIFY(loaded.wait(60000));
}

void tst_RegistryActions::deleteImageFromTheTagBrowser()
{
    const ImageReference repository
        = pushRepository(u"plain"_s, {u"1.0"_s, u"stable"_s}, {u"2.0"_s});
    QCOMPARE(tagsOf(repository).size(), 3);
    openPage(repository);
    auto *model = child<TagGroupsModel>(m_page.get(), u"tagGroupsModel"_s);
    QCOMPARE(model->groupCount(), 2);
    QVERIFY(child<TagGroupsView>(m_page.get(), u"tagGroupsView"_s)->selectTag(u"stable"_s));

    // From the tag list, by keyboard: Del on the focused list opens the dialog.
    auto *tree = child<QTreeView>(m_page.get(), u"tagTree"_s);
    auto *action = child<QAction>(m_page.get(), u"deleteImageAction"_s);
    QVERIFY(action->isEnabled());
    QVERIFY(tree->actions().contains(action)); // its context menu
    QVERIFY(child<QToolButton>(m_page.get(), u"deleteImageActionButton"_s)->isEnabled());
    tree->setFocus();
    QTest::keyClick(tree, Qt::Key_Delete);
    auto *dialog = waitForModal<DeleteImageDialog>();
    QVERIFY(dialog);

    // The lookup names every tag of the digest, and only those.
    QTRY_VERIFY_WITH_TIMEOUT(dialog->plan().has_value(), 30000);
    auto *tags = child<QListWidget>(dialog, u"deletedTags"_s);
    QStringList listed;
    for (int row = 0; row < tags->count(); ++row)
        listed << tags->item(row)->text();
    listed.sort();
    QCOMPARE(listed, (QStringList{u"1.0"_s, u"stable"_s}));
    QCOMPARE(dialog->plan()->digest, m_digest);
    QVERIFY(child<QLabel>(dialog, u"garbageCollectionNote"_s)->text().contains(u"garbage"));
    auto *confirm = child<QPushButton>(dialog, u"deleteButton"_s);
    QVERIFY2(confirm->text().contains(u"2"), qPrintable(confirm->text())); // "Delete 2 Tags"
    QVERIFY(!confirm->isDefault());
    QVERIFY(!confirm->autoDefault());
    QVERIFY(unnamedControls(dialog).isEmpty());

    // Return does not delete; the button does.
    QTest::keyClick(dialog, Qt::Key_Return);
    QVERIFY(!dialog->job());
    QSignalSpy reloaded(model, &TagGroupsModel::loaded);
    confirm->click();
    QVERIFY(dialog->job());
    QCOMPARE(dialog->job()->kind(), TransferJob::Kind::Delete);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->job()->state(), TransferJob::State::Done, 30000);
    QCOMPARE(dialog->message()->kind(), InlineMessage::Kind::Positive);

    // The browser refreshes: the group is gone, the other image stays; the registry agrees.
    QTRY_VERIFY_WITH_TIMEOUT(reloaded.count() > 0 && !model->isLoading(), 30000);
    QCOMPARE(model->groupCount(), 1);
    QVERIFY(!model->indexOfTag(u"stable"_s).isValid());
    QVERIFY(model->indexOfTag(u"2.0"_s).isValid());
    QCOMPARE(tagsOf(repository), QStringList{u"2.0"_s});
    const auto gone = head(repository.withTag(u"1.0"_s));
    QVERIFY(!gone);
    QCOMPARE(gone.error().kind, Error::Kind::NotFound);
    dialog->close();
}

void tst_RegistryActions::refusedDeleteIsSaidPlainly()
{
    const ImageReference repository = pushRepository(u"nodelete"_s, {u"1.0"_s});
    const QString host = repository.domain();
    DeleteImageDialog dialog(
        m_transfers.get(), m_registry.get(), m_hub.get(), repository.withTag(u"1.0"_s));
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.plan().has_value(), 30000);
    QVERIFY(dialog.start());
    QTRY_COMPARE_WITH_TIMEOUT(dialog.job()->state(), TransferJob::State::Failed, 30000);

    // A sentence naming the registry, in the dialog and in the job; no status code, no JSON.
    const QString said = dialog.message()->text();
    QCOMPARE(dialog.message()->kind(), InlineMessage::Kind::Error);
    QVERIFY2(said.contains(host), qPrintable(said));
    for (const QString &raw : {u"405"_s, u"UNSUPPORTED"_s, u"{"_s, u"HTTP"_s})
        QVERIFY2(!said.contains(raw), qPrintable(said));
    QVERIFY2(dialog.job()->errorString().contains(host), qPrintable(dialog.job()->errorString()));
    QCOMPARE(tagsOf(repository), QStringList{u"1.0"_s});
}

void tst_RegistryActions::removeTagKeepsTheSibling()
{
    const ImageReference repository = pushRepository(u"plain"_s, {u"a"_s, u"b"_s});
    openPage(repository);
    QVERIFY(child<TagGroupsView>(m_page.get(), u"tagGroupsView"_s)->selectTag(u"a"_s));
    child<QAction>(m_page.get(), u"removeTagAction"_s)->trigger();
    auto *dialog = waitForModal<RemoveTagDialog>();
    QVERIFY(dialog);
    QCOMPARE(dialog->chosenTag(), u"a"_s);
    auto *chooser = child<QComboBox>(dialog, u"tagChooser"_s);
    QCOMPARE(chooser->count(), 2);
    QVERIFY(child<QLabel>(dialog, u"effect"_s)->text().contains(u"b"));
    auto *remove = child<QPushButton>(dialog, u"removeButton"_s);
    QVERIFY(!remove->isDefault());
    QVERIFY(unnamedControls(dialog).isEmpty());

    auto *model = child<TagGroupsModel>(m_page.get(), u"tagGroupsModel"_s);
    QSignalSpy reloaded(model, &TagGroupsModel::loaded);
    remove->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog->job()->state(), TransferJob::State::Done, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(reloaded.count() > 0 && !model->isLoading(), 30000);
    QVERIFY(!model->indexOfTag(u"a"_s).isValid());
    QVERIFY(model->indexOfTag(u"b"_s).isValid());
    QCOMPARE(tagsOf(repository), QStringList{u"b"_s});
    const auto sibling = head(repository.withTag(u"b"_s));
    QVERIFY2(sibling, why(sibling));
    QCOMPARE(sibling->digest, m_digest);
    dialog->close();
}

void tst_RegistryActions::copyToAnotherRegistry()
{
    const QJsonObject multiarch = TestServices::instance().image(u"multiarch"_s);
    const QString sourceName = TestServices::instance().registry(u"plain"_s).host + u'/'
                               + multiarch.value(u"repository"_s).toString() + u":1.0"_s;
    const auto source = *ImageReference::parse(sourceName);
    const QString destination = TestServices::instance().registry(u"nodelete"_s).host
                                + u"/berth/copied-"_s
                                + QUuid::createUuid().toString(QUuid::Id128).left(12) + u":1.0"_s;
    TransfersModel transfers(m_transfers.get());
    QAbstractItemModelTester tester(&transfers,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    CopyImageDialog dialog(
        m_transfers.get(),
        m_registry.get(),
        nullptr,
        source,
        {*Platform::parse(u"linux/amd64"_s), *Platform::parse(u"linux/arm64"_s)});
    dialog.show();
    auto *platforms = child<QComboBox>(&dialog, u"platformChoice"_s);
    QCOMPARE(platforms->count(), 3); // all, then each one
    QCOMPARE(dialog.chosenPlatform(), QString());
    QVERIFY(dialog.request().allPlatforms);
    // (Before typing: the field's clear button is Qt's, without a name.)
    QVERIFY2(unnamedControls(&dialog).isEmpty(), qPrintable(unnamedControls(&dialog).join(u", ")));
    dialog.setDestination(destination);
    QVERIFY(dialog.destination().has_value());
    QVERIFY(child<QLabel>(&dialog, u"logins"_s)->text().contains(dialog.destination()->domain()));

    QTest::keyClick(&dialog, Qt::Key_Return); // Copy is the default here: nothing is destroyed
    QVERIFY(dialog.job());
    QCOMPARE(dialog.job()->kind(), TransferJob::Kind::Copy);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.job()->state(), TransferJob::State::Done, 60000);
    QCOMPARE(dialog.message()->kind(), InlineMessage::Kind::Positive);

    // Per blob in the Transfers dock's model, and the digest kept: the index came along.
    QVERIFY(dialog.job()->itemCount() > 0);
    const QModelIndex row = transfers.index(m_transfers->indexOf(dialog.job()), 0);
    QCOMPARE(transfers.rowCount(row), dialog.job()->itemCount());
    const auto copied = head(*ImageReference::parse(destination));
    QVERIFY2(copied, why(copied));
    QCOMPARE(copied->digest.toString(), multiarch.value(u"digest"_s).toString());
}

// Stop and Retry of the Transfers dock: a copy stopped before the registries answered leaves no
// tag; retried, it copies the image with its digest.
void tst_RegistryActions::copyStopsAndRetries()
{
    const QJsonObject busybox = TestServices::instance().image(u"busybox"_s);
    const QString sourceName = TestServices::instance().registry(u"plain"_s).host + u'/'
                               + busybox.value(u"repository"_s).toString() + u":1.0"_s;
    const QString destinationName
        = TestServices::instance().registry(u"nodelete"_s).host + u"/berth/stopped-"_s
          + QUuid::createUuid().toString(QUuid::Id128).left(12) + u":1.0"_s;
    const auto destination = *ImageReference::parse(destinationName);
    CopyRequest request;
    request.allPlatforms = true;
    TransferJob *job = m_transfers->copyImage(
        m_registry.get(), *ImageReference::parse(sourceName), destination, request);
    QCOMPARE(job->kind(), TransferJob::Kind::Copy);
    QCOMPARE(TransferJob::kindName(job->kind()), u"Copy"_s);
    QCOMPARE(job->state(), TransferJob::State::Running);
    job->cancel();
    QTRY_COMPARE_WITH_TIMEOUT(job->state(), TransferJob::State::Cancelled, 30000);
    const auto none = head(destination);
    QVERIFY(!none);
    QCOMPARE(none.error().kind, Error::Kind::NotFound);

    QVERIFY(job->canRetry());
    job->retry();
    QTRY_COMPARE_WITH_TIMEOUT(job->state(), TransferJob::State::Done, 60000);
    QCOMPARE(job->runs(), 2);
    const auto copied = head(destination);
    QVERIFY2(copied, why(copied));
    QCOMPARE(copied->digest.toString(), busybox.value(u"digest"_s).toString());
}

void tst_RegistryActions::destinationCheckedAsTyped_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("said");
    QTest::newRow("empty") << QString() << false << u"[registry/]repository[:tag]"_s;
    QTest::newRow("upper case") << u"localhost:5000/Team/App:1"_s << false << u"lower"_s;
    QTest::newRow("digest") << u"localhost:5000/team/app@sha256:"_s + QString(64, u'a') << false
                            << u"not a digest"_s;
    QTest::newRow("itself") << u"localhost:5000/team/app:1.0"_s << false << u"itself"_s;
    QTest::newRow("another tag") << u"localhost:5000/team/app:2.0"_s << true
                                 << u"localhost:5000/team/app:2.0"_s;
    QTest::newRow("no tag") << u"registry.example.com/app"_s << true << u":latest"_s;
}

void tst_RegistryActions::destinationCheckedAsTyped()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, said);
    CopyImageDialog dialog(m_transfers.get(),
                           m_registry.get(),
                           nullptr,
                           *ImageReference::parse(u"localhost:5000/team/app:1.0"_s),
                           {});
    dialog.setDestination(text);
    QCOMPARE(dialog.destination().has_value(), valid);
    QCOMPARE(child<QPushButton>(&dialog, u"copyButton"_s)->isEnabled(), valid);
    const QString feedback = child<QLabel>(&dialog, u"destinationFeedback"_s)->text();
    QVERIFY2(feedback.contains(said, Qt::CaseInsensitive), qPrintable(feedback));
    QCOMPARE(child<QComboBox>(&dialog, u"platformChoice"_s)->count(), 1);
    QVERIFY(dialog.request().allPlatforms); // the image as it is
    QVERIFY(!dialog.request().platform);
}

void tst_RegistryActions::actionsSayWhyTheyAreOff()
{
    QWidget parent;
    TagActions actions(&parent);
    // Nothing chosen yet.
    QVERIFY(!actions.deleteImageAction()->isEnabled());
    QVERIFY(!actions.copyToAction()->isEnabled());
    actions.setServices(m_transfers.get(), m_registry.get(), m_hub.get(), nullptr);
    actions.setTarget(*ImageReference::parseRepository(u"localhost:5000/team/app"_s), {}, {}, {});
    QVERIFY(!actions.removeTagAction()->isEnabled());
    QVERIFY(actions.removeTagAction()->toolTip().contains(u"Choose a tag"));

    // A tag of a registry: everything applies.
    actions.setTarget(*ImageReference::parseRepository(u"localhost:5000/team/app"_s),
                      u"1.0"_s,
                      {u"1.0"_s, u"latest"_s},
                      {});
    for (QAction *action : actions.actions())
        QVERIFY2(action->isEnabled(), qPrintable(action->objectName()));
    QCOMPARE(actions.deleteImageAction()->shortcut(), QKeySequence(QKeySequence::Delete));

    // Docker Hub without a login: copying yes, deleting no, and the tooltip says to log in.
    actions.setTarget(*ImageReference::parseRepository(u"jean/app"_s), u"1.0"_s, {u"1.0"_s}, {});
    QVERIFY(actions.copyToAction()->isEnabled());
    QVERIFY(!actions.deleteImageAction()->isEnabled());
    QVERIFY(!actions.removeTagAction()->isEnabled());
    QVERIFY2(actions.deleteImageAction()->toolTip().contains(u"log in"),
             qPrintable(actions.deleteImageAction()->toolTip()));
    for (QAction *action : actions.actions())
        QVERIFY(!action->icon().isNull());
}

QTEST_MAIN(tst_RegistryActions)
#include "tst_registryactions.moc"
