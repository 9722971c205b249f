// The share wizard (ui/sharewizard and its pages under ui/share/) driven through its widgets: the
// fixture image is pulled from the plain registry of the test services into an EmbeddedBackend on a
// temporary directory, then pushed to the token-auth registry after logging in through the wizard
// (a wrong password first, refused inline), which skopeo confirms; saved to a .tar.gz that loads
// back into another store; and a push stopped with Esc ends Cancelled, not Failed. Logins go to the
// keychain of scripts/with-keyring when it runs (BERTH_REQUIRE_KEYRING), else for the session only.

#include "../core/credentialtestenv.h"
#include "asynctest.h"
#include "faultproxy.h"
#include "testservices.h"

#include "inlinemessage.h"
#include "jobprogress.h"
#include "logindialog.h"
#include "loginform.h"
#include "registriesmodel.h"
#include "share/shareaccountpage.h"
#include "share/sharedestinationpage.h"
#include "share/sharefilepage.h"
#include "share/shareimagespage.h"
#include "share/shareprogresspage.h"
#include "share/sharereviewpage.h"
#include "sharewizard.h"
#include "transfermanager.h"

#include "credentials/credentialstore.h"
#include "credentials/dockerconfig.h"
#include "registry/registryclient.h"
#include "store/embeddedbackend.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 180000;

QString unique(const QString &prefix)
{
    return prefix + u'-' + QString::number(QRandomGenerator::global()->generate(), 16);
}

struct Skopeo
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Skopeo skopeo(const QStringList &arguments)
{
    QProcess process;
    process.start(u"skopeo"_s, arguments);
    Skopeo result;
    if (!process.waitForStarted() || !process.waitForFinished(180000)) {
        process.kill();
        process.waitForFinished();
        result.err = "skopeo did not run or did not finish";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// Clicks a radio button on its indicator (its middle may lie past its text).
void clickRadio(QAbstractButton *button)
{
    QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(6, button->height() / 2));
}

bool writeConfig(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) > 0;
}

// Replaces a line edit's text by typing, as a user would.
void retype(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class tst_ShareWizard final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void destinationValidatesLive();
    void pushToTokenRegistryAfterLogin();
    void saveWritesGzipThatLoadsBack();
    void escCancelsThePush();
    void failedPushSaysSo();

private:
    // Pulls the fixture image from the plain registry; answers its local name.
    QString pullFixture();
    ShareWizard::Services services()
    {
        return {m_transfers.get(), m_credentials.get(), m_client.get(), m_registries.get()};
    }
    QStringList storeTags(EmbeddedBackend &backend);

    bool m_keychain = false;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<EmbeddedBackend> m_backend;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<RegistriesModel> m_registries;
};

void tst_ShareWizard::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
    // Only the throwaway keyring of scripts/with-keyring is written to, never a developer's own.
    const bool privateSession = qEnvironmentVariableIsSet("BERTH_REQUIRE_KEYRING");
    m_keychain = privateSession && secretServiceRunning();
    if (privateSession && !m_keychain)
        QFAIL("no Secret Service on the session bus, though scripts/with-keyring should start one");
}

void tst_ShareWizard::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_credentials = std::make_unique<CredentialStore>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    RegistryTransportOptions options;
    options.retryBase = 10ms;
    m_client->transport().setOptions(options);
    m_client->setCredentialProvider(m_credentials.get());
    m_backend = std::make_unique<EmbeddedBackend>(m_dir->filePath(u"store"_s), m_client.get());
    m_transfers = std::make_unique<TransferManager>();
    m_transfers->setBackend(m_backend.get());
    m_registries = std::make_unique<RegistriesModel>();
}

void tst_ShareWizard::cleanup()
{
    if (m_credentials) {
        const QString token = TestServices::instance().registry(u"token"_s).host;
        const Status out
            = await<void>([&](auto done) { m_credentials->logout(token, false, done); });
        QVERIFY2(out, out ? "" : qPrintable(out.error().message));
    }
    QFile::remove(DockerConfig::dockerConfigPath());
    for (const QString &path : DockerConfig::podmanAuthPaths())
        QFile::remove(path);
    m_transfers.reset();
    m_backend.reset();
    m_client.reset();
    m_credentials.reset();
    m_registries.reset();
    m_network.reset();
    m_dir.reset();
}

QString tst_ShareWizard::pullFixture()
{
    const QString plain = TestServices::instance().registry(u"plain"_s).host;
    TransferJob *job
        = m_transfers->pull(*ImageReference::parse(QString(plain + u"/berth/busybox:1.0")));
    if (!QTest::qWaitFor([job] { return job->isFinished(); }, Timeout)
        || job->state() != TransferJob::State::Done) {
        qWarning() << "pulling the fixture failed:" << job->errorString();
        return {};
    }
    return job->resultImages().value(0);
}

QStringList tst_ShareWizard::storeTags(EmbeddedBackend &backend)
{
    const auto images = await<QList<LocalImage>>([&](auto done) { backend.listImages(done); });
    QStringList tags;
    for (const LocalImage &image : images.value_or(QList<LocalImage>()))
        tags += image.repoTags;
    return tags;
}

void tst_ShareWizard::destinationValidatesLive()
{
    const QString source = pullFixture();
    QVERIFY(!source.isEmpty());
    const QString token = TestServices::instance().registry(u"token"_s).host;
    QVERIFY(m_registries->addRegistry(token, false));
    // Logins docker and podman keep, under the spellings they write.
    const QByteArray dockerConfig
        = "{\"auths\": {\"https://quay.io\": {}, \"https://index.docker.io/v1/\": {}}}";
    const QByteArray podmanAuth = "{\"auths\": {\"ghcr.io\": {}, \"registry-1.docker.io\": {}}}";
    QVERIFY(writeConfig(DockerConfig::dockerConfigPath(), dockerConfig));
    QVERIFY(writeConfig(DockerConfig::podmanAuthPaths().constFirst(), podmanAuth));

    ShareWizard wizard(services(), {source});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    ShareImagesPage *images = wizard.imagesPage();
    QTRY_VERIFY(images->isLoaded());
    QCOMPARE(images->selectedImages(), QStringList{source});
    QVERIFY(images->pushButton()->isChecked());
    QVERIFY(images->isComplete());
    // Unchecking the only image leaves nothing to share.
    QListWidgetItem *item = images->imagesList()->findItems(source, Qt::MatchExactly).value(0);
    QVERIFY(item);
    item->setCheckState(Qt::Unchecked);
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    item->setCheckState(Qt::Checked);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ShareWizard::DestinationPageId));

    ShareDestinationPage *page = wizard.destinationPage();
    // The registries: Docker Hub first, then the user's from the settings, then those docker and
    // podman hold a login for, each once whatever its spelling.
    QCOMPARE(page->registryBox()->itemData(0).toString(), u"docker.io"_s);
    QVERIFY(page->registryBox()->findData(token) > 0);
    for (const QString &fromConfig : {u"quay.io"_s, u"ghcr.io"_s})
        QVERIFY2(page->registryBox()->findData(fromConfig) > 0, qPrintable(fromConfig));
    int hubs = 0;
    for (int row = 0; row < page->registryBox()->count(); ++row)
        hubs += page->registryBox()->itemData(row).toString() == u"docker.io";
    QCOMPARE(hubs, 1);
    // Prefilled from the image's own name: back to the registry it came from, as it was.
    const TestRegistry plain = TestServices::instance().registry(u"plain"_s);
    QCOMPARE(page->registry(), plain.host);
    QCOMPARE(page->namespaceEdit()->text(), u"berth"_s);
    QCOMPARE(page->repositoryEdit()->text(), u"busybox"_s);
    QCOMPARE(page->tagEdit()->text(), u"1.0"_s);
    QCOMPARE(page->referenceLabel()->text(), source);
    QVERIFY2(page->errorMessage()->text().isEmpty(), qPrintable(page->errorMessage()->text()));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());

    // Docker Hub without a namespace: said inline, no reference, no Next.
    page->registryBox()->setCurrentIndex(0);
    page->namespaceEdit()->clear();
    QVERIFY2(page->errorMessage()->text().contains(u"namespace"),
             qPrintable(page->errorMessage()->text()));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());

    QTest::keyClicks(page->namespaceEdit(), u"jean"_s);
    retype(page->repositoryEdit(), u"mon-app"_s);
    retype(page->tagEdit(), u"1.0.0"_s);
    QCOMPARE(page->referenceLabel()->text(), u"jean/mon-app:1.0.0"_s);
    QVERIFY(page->errorMessage()->text().isEmpty());
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());

    // What the reference parser refuses is shown in its own words.
    retype(page->namespaceEdit(), u"Jean"_s);
    const auto parsed = ImageReference::parse(u"docker.io/Jean/mon-app:1.0.0"_s);
    QVERIFY(!parsed);
    QCOMPARE(page->errorMessage()->text(), parsed.error().message);
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    retype(page->namespaceEdit(), u"jean"_s);
    QTest::keyClicks(page->tagEdit(), u"!"_s);
    const Status badTag = ImageReference::validateTag(u"1.0.0!");
    QVERIFY(!badTag);
    QCOMPARE(page->errorMessage()->text(), badTag.error().message);
    QTest::keyClick(page->tagEdit(), Qt::Key_Backspace);

    // Another registry, typed into the editable box.
    retype(page->registryBox()->lineEdit(), u"localhost:5000"_s);
    retype(page->namespaceEdit(), u"team"_s);
    retype(page->repositoryEdit(), u"app"_s);
    retype(page->tagEdit(), u"1.0"_s);
    QCOMPARE(page->referenceLabel()->text(), u"localhost:5000/team/app:1.0"_s);
    QCOMPARE(page->registry(), u"localhost:5000"_s);
    // Something that is not a registry address.
    retype(page->registryBox()->lineEdit(), u"not a host"_s);
    QVERIFY(!page->errorMessage()->text().isEmpty());
    QVERIFY(!page->isComplete());
    // A namespace may be empty on other registries.
    page->registryBox()->setCurrentIndex(page->registryBox()->findData(token));
    page->namespaceEdit()->clear();
    QCOMPARE(page->referenceLabel()->text(), token + u"/app:1.0");
    QVERIFY(page->isComplete());
}

void tst_ShareWizard::pushToTokenRegistryAfterLogin()
{
    const QString source = pullFixture();
    QVERIFY(!source.isEmpty());
    const TestRegistry registry = TestServices::instance().registry(u"token"_s);
    const QString repository = unique(u"share"_s);

    ShareWizard wizard(services(), {source});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY(wizard.imagesPage()->isLoaded());
    wizard.next();
    ShareDestinationPage *destination = wizard.destinationPage();
    retype(destination->registryBox()->lineEdit(), registry.host);
    retype(destination->namespaceEdit(), u"team"_s);
    retype(destination->repositoryEdit(), repository);
    retype(destination->tagEdit(), u"1.0"_s);
    const QString target = registry.host + u"/team/" + repository + u":1.0";
    QCOMPARE(destination->referenceLabel()->text(), target);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ShareWizard::AccountPageId));

    // The token registry wants a login: no Next until there is one.
    ShareAccountPage *account = wizard.accountPage();
    QTRY_VERIFY_WITH_TIMEOUT(!account->isChecking(), Timeout);
    QVERIFY(account->authRequired());
    QVERIFY2(account->statusLabel()->text().contains(u"asks for a login"),
             qPrintable(account->statusLabel()->text()));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    // The login is typed on the page itself, in the form the login dialog shows: where to keep
    // it is asked once, there, and no dialog opens to ask it again.
    LoginForm *form = account->loginForm();
    QVERIFY(form->isVisible());
    QCOMPARE(wizard.findChildren<QRadioButton *>(u"rememberKeychain"_s).size(), 1);
    QCOMPARE(wizard.findChildren<QRadioButton *>(u"sessionOnly"_s).size(), 1);
    clickRadio(m_keychain ? form->keychainButton() : form->sessionButton());
    QVERIFY((m_keychain ? form->keychainButton() : form->sessionButton())->isChecked());
    QVERIFY(!account->loginButton()->isEnabled()); // nothing typed yet
    QTest::keyClicks(form->userEdit(), registry.username);
    QTest::keyClicks(form->passwordEdit(), u"not-the-password"_s);
    QVERIFY(account->loginButton()->isEnabled());
    QTest::mouseClick(account->loginButton(), Qt::LeftButton);
    QVERIFY(!wizard.findChild<LoginDialog *>());
    QCOMPARE(wizard.findChildren<QRadioButton *>(u"rememberKeychain"_s).size(), 1);
    // A wrong password is said in the form; nothing is stored.
    QTRY_VERIFY_WITH_TIMEOUT(!form->errorMessage()->text().isEmpty(), Timeout);
    QVERIFY2(form->errorMessage()->text().contains(u"refused"),
             qPrintable(form->errorMessage()->text()));
    QVERIFY(!form->isBusy());
    QVERIFY(!account->isComplete());
    QCOMPARE(m_credentials->accounts().size(), 0);

    retype(form->passwordEdit(), registry.password);
    QTest::keyClick(form->passwordEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(account->isComplete(), Timeout);
    QCOMPARE(account->username(), registry.username);
    QVERIFY2(account->statusLabel()->text().contains(registry.username),
             qPrintable(account->statusLabel()->text()));
    // Logged in: the form gives way to "someone else".
    QVERIFY(!form->isVisible());
    QVERIFY(account->someoneElseButton()->isVisible());
    if (m_keychain) {
        const QList<CredentialStore::Account> accounts = m_credentials->accounts();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts.first().registry, registry.host);
        QCOMPARE(accounts.first().remember, CredentialStore::Remember::Keychain);
    }
    wizard.next();

    // The review says what will be tagged and pushed, where, as whom.
    QCOMPARE(wizard.currentId(), int(ShareWizard::ReviewPageId));
    const QString review = wizard.reviewPage()->summaryLabel()->text();
    for (const QString &part : {source, target, registry.username})
        QVERIFY2(review.contains(part.toHtmlEscaped()), qPrintable(review));
    // Nothing is pushed yet: the review speaks of what will happen.
    QVERIFY2(review.contains(u"Will push to"), qPrintable(review));
    QVERIFY2(!review.contains(u"Pushed"), qPrintable(review));
    QCOMPARE(wizard.button(QWizard::NextButton)->text(), u"&Push"_s);
    wizard.next();

    ShareProgressPage *progress = wizard.progressPage();
    QCOMPARE(wizard.currentId(), int(ShareWizard::ProgressPageId));
    QCOMPARE(progress->title(), u"Pushing…"_s);
    QVERIFY(!progress->copyButton()->isVisible()); // nothing to pull yet
    QTRY_VERIFY_WITH_TIMEOUT(!progress->isRunning(), Timeout);
    QVERIFY2(progress->isDone(), qPrintable(progress->message()->text()));
    // The title follows the state; the pull command comes with a Copy button.
    QCOMPARE(progress->title(), u"Pushed"_s);
    QCOMPARE(progress->pullCommandLabel()->text(), u"docker pull "_s + target);
    QVERIFY(progress->copyButton()->isVisible());
    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(progress->copyButton(), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), u"docker pull "_s + target);
    QCOMPARE(progress->jobs().size(), 1);
    QCOMPARE(progress->jobs().first()->kind(), TransferJob::Kind::Push);
    QCOMPARE(progress->message()->kind(), InlineMessage::Kind::Positive);
    QVERIFY2(progress->message()->text().contains(target), qPrintable(progress->message()->text()));
    QCOMPARE(progress->progress()->progressBar()->value(),
             progress->progress()->progressBar()->maximum());
    QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());
    // The image was named for its destination in the store, as docker tag would.
    QVERIFY(storeTags(*m_backend).contains(target));

    // An independent client finds it in the registry.
    const Skopeo inspect = skopeo({u"inspect"_s,
                                   u"--tls-verify=false"_s,
                                   u"--creds"_s,
                                   registry.username + u':' + registry.password,
                                   u"docker://"_s + target});
    QVERIFY2(inspect.exitCode == 0, inspect.err.constData());
    const QJsonObject info = QJsonDocument::fromJson(inspect.out).object();
    QCOMPARE(info.value(u"Name"_s).toString(), registry.host + u"/team/" + repository);
    QVERIFY(!info.value(u"Layers"_s).toArray().isEmpty());
}

void tst_ShareWizard::saveWritesGzipThatLoadsBack()
{
    const QString source = pullFixture();
    QVERIFY(!source.isEmpty());
    ShareWizard wizard(services(), {source});
    const QString archive = m_dir->filePath(u"busybox.tar.gz"_s);
    FileRequest asked;
    wizard.setFileChooser([&](QWidget *, const FileRequest &request) {
        asked = request;
        return archive;
    });
    QList<QUrl> opened;
    wizard.progressPage()->setUrlOpener([&](const QUrl &url) {
        opened.append(url);
        return true;
    });
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY(wizard.imagesPage()->isLoaded());
    clickRadio(wizard.imagesPage()->saveButton());
    QCOMPARE(wizard.mode(), ShareWizard::Mode::Save);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ShareWizard::FilePageId));

    ShareFilePage *file = wizard.filePage();
    // A name is suggested from the image; none compressed by default.
    QVERIFY2(file->path().endsWith(u"/busybox-1.0.tar"), qPrintable(file->path()));
    QCOMPARE(file->compression(), Compression::None);
    QTest::mouseClick(file->browseButton(), Qt::LeftButton);
    QCOMPARE(asked.mode, FileRequest::Mode::Save);
    QCOMPARE(file->path(), archive);
    // The file's ending chose gzip; the choice rewrites the ending, and back.
    QCOMPARE(file->compression(), Compression::Gzip);
    file->compressionBox()->setCurrentIndex(
        file->compressionBox()->findData(int(Compression::Zstd)));
    QCOMPARE(file->path(), m_dir->filePath(u"busybox.tar.zst"_s));
    file->compressionBox()->setCurrentIndex(
        file->compressionBox()->findData(int(Compression::Gzip)));
    QCOMPARE(file->path(), archive);
    // An ending Berth does not save is refused inline; typing .tgz picks gzip.
    retype(file->pathEdit(), m_dir->filePath(u"busybox.tar.xz"_s));
    QVERIFY(!file->message()->text().isEmpty());
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    retype(file->pathEdit(), m_dir->filePath(u"busybox.tar"_s));
    QCOMPARE(file->compression(), Compression::None);
    retype(file->pathEdit(), archive);
    QCOMPARE(file->compression(), Compression::Gzip);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    QCOMPARE(wizard.button(QWizard::NextButton)->text(), u"&Save"_s);
    wizard.next();

    ShareProgressPage *progress = wizard.progressPage();
    QTRY_VERIFY_WITH_TIMEOUT(!progress->isRunning(), Timeout);
    QVERIFY2(progress->isDone(), qPrintable(progress->message()->text()));
    QCOMPARE(progress->jobs().first()->kind(), TransferJob::Kind::Save);
    QCOMPARE(progress->title(), u"Saved"_s);
    QVERIFY(!progress->copyButton()->isVisible()); // no pull command for an archive
    QVERIFY(progress->showInFolderButton()->isVisible());
    QTest::mouseClick(progress->showInFolderButton(), Qt::LeftButton);
    QCOMPARE(opened, QList<QUrl>{QUrl::fromLocalFile(m_dir->path())});

    // gzip's magic, and another store loads it back with the image's tag.
    QFile written(archive);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.read(2), QByteArray("\x1f\x8b"));
    written.close();
    EmbeddedBackend other(m_dir->filePath(u"other-store"_s), m_client.get());
    TransferManager otherTransfers;
    otherTransfers.setBackend(&other);
    TransferJob *load = otherTransfers.load(archive);
    QTRY_VERIFY_WITH_TIMEOUT(load->isFinished(), Timeout);
    QVERIFY2(load->state() == TransferJob::State::Done, qPrintable(load->errorString()));
    QCOMPARE(load->resultImages(), QStringList{source});
    QVERIFY(storeTags(other).contains(source));
}

void tst_ShareWizard::escCancelsThePush()
{
    const QString source = pullFixture();
    QVERIFY(!source.isEmpty());
    const TestRegistry plain = TestServices::instance().registry(u"plain"_s);

    // One transfer at a time, and that one is a pull (into another, empty store) stalled by the
    // proxy: the wizard's push waits in the queue, where only a cancel can end it.
    FaultProxy proxy(plain.host);
    QVERIFY(proxy.listen());
    proxy.addRule(FaultRule::stall("GET", u"^/v2/berth/busybox/blobs/sha256:"_s, 1024, 600000, -1));
    EmbeddedBackend empty(m_dir->filePath(u"empty-store"_s), m_client.get());
    m_transfers->setMaxConcurrent(1);
    m_transfers->setBackend(&empty);
    TransferJob *blocker
        = m_transfers->pull(*ImageReference::parse(QString(proxy.host() + u"/berth/busybox:1.0")));
    m_transfers->setBackend(m_backend.get());
    QTRY_VERIFY_WITH_TIMEOUT(blocker->current() > 0, Timeout);
    QCOMPARE(blocker->state(), TransferJob::State::Running);

    ShareWizard wizard(services(), {source});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY(wizard.imagesPage()->isLoaded());
    wizard.next();
    ShareDestinationPage *destination = wizard.destinationPage();
    retype(destination->registryBox()->lineEdit(), plain.host);
    retype(destination->namespaceEdit(), u"team"_s);
    retype(destination->repositoryEdit(), unique(u"cancelled"_s));
    wizard.next();
    // The plain registry takes pushes without a login.
    ShareAccountPage *account = wizard.accountPage();
    QTRY_VERIFY_WITH_TIMEOUT(!account->isChecking(), Timeout);
    QVERIFY(!account->authRequired());
    QVERIFY(account->isComplete());
    wizard.next();
    wizard.next();

    ShareProgressPage *progress = wizard.progressPage();
    QTRY_VERIFY_WITH_TIMEOUT(progress->jobs().size() == 1, Timeout);
    TransferJob *push = progress->jobs().first();
    QCOMPARE(push->state(), TransferJob::State::Queued);
    QVERIFY(progress->isRunning());
    QVERIFY(!wizard.button(QWizard::BackButton)->isVisible()); // no going back under a transfer

    QTest::keyClick(&wizard, Qt::Key_Escape);
    QTRY_COMPARE(push->state(), TransferJob::State::Cancelled);
    QCOMPARE(progress->title(), u"Push Cancelled"_s);
    // Cancelled is not an error; the wizard stays to say so and offers to start again.
    QVERIFY(wizard.isVisible());
    QCOMPARE(progress->message()->kind(), InlineMessage::Kind::Information);
    QVERIFY2(progress->message()->text().contains(u"cancelled"),
             qPrintable(progress->message()->text()));
    QVERIFY(progress->retryButton()->isVisible());
    QVERIFY(wizard.button(QWizard::BackButton)->isVisible());
    QVERIFY(!wizard.button(QWizard::FinishButton)->isEnabled());
    QCOMPARE(blocker->state(), TransferJob::State::Running); // only the wizard's job stopped

    // Esc again closes.
    QTest::keyClick(&wizard, Qt::Key_Escape);
    QTRY_VERIFY(!wizard.isVisible());
    QCOMPARE(wizard.result(), int(QDialog::Rejected));

    blocker->cancel();
    QTRY_VERIFY_WITH_TIMEOUT(blocker->isFinished(), Timeout);
    QCOMPARE(blocker->state(), TransferJob::State::Cancelled);
}

void tst_ShareWizard::failedPushSaysSo()
{
    const QString source = pullFixture();
    QVERIFY(!source.isEmpty());
    const TestRegistry plain = TestServices::instance().registry(u"plain"_s);
    ShareWizard wizard(services(), {source});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY(wizard.imagesPage()->isLoaded());
    wizard.next();
    retype(wizard.destinationPage()->repositoryEdit(), unique(u"failed"_s));
    wizard.next();
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.accountPage()->isChecking(), Timeout);
    QVERIFY(wizard.accountPage()->isComplete());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ShareWizard::ReviewPageId));
    // The image goes away (another window, the command line) before Push.
    const auto removed
        = await<RemoveResult>([&](auto done) { m_backend->remove(source, true, done); });
    QVERIFY2(removed, removed ? "" : qPrintable(removed.error().message));
    wizard.next();

    ShareProgressPage *progress = wizard.progressPage();
    QTRY_VERIFY_WITH_TIMEOUT(!progress->isRunning(), Timeout);
    QCOMPARE(progress->jobs().size(), 1);
    QCOMPARE(progress->jobs().first()->state(), TransferJob::State::Failed);
    // The title says it failed; the message names the image; nothing to pull.
    QCOMPARE(progress->title(), u"Push Failed"_s);
    QCOMPARE(progress->message()->kind(), InlineMessage::Kind::Error);
    QVERIFY2(progress->message()->text().contains(source), qPrintable(progress->message()->text()));
    QVERIFY(progress->retryButton()->isVisible());
    QVERIFY(!progress->copyButton()->isVisible());
    QVERIFY(wizard.button(QWizard::BackButton)->isVisible());
}

int main(int argc, char *argv[])
{
    // Before anything reads them: the temporary HOME and XDG tree QSettings writes into.
    auto home = std::make_unique<TestHome>();
    QApplication app(argc, argv);
    app.setOrganizationName(u"berth-test"_s);
    app.setApplicationName(u"tst_sharewizard"_s);
    tst_ShareWizard test;
    QTEST_SET_MAIN_SOURCE_PATH
    const int status = QTest::qExec(&test, argc, argv);
    home.reset();
    return status;
}

#include "tst_sharewizard.moc"
