// The share wizard (ui/sharewizard and its pages under ui/share/) driven through its widgets,
// reached by object name: the fixture image is pulled from the pretend registry of the in-memory
// backend of tests/shared (FakeBackend), then pushed to a registry that asks for a login after
// logging in through the wizard (a wrong password first, refused inline), and found there; saved
// to a .tar.gz that loads back into another store; a push stopped with Esc ends Cancelled, not
// Failed; a push failing half-way says so. The wizard checks and logs in to two in-process HTTP
// servers (FakeHubServer) playing an open registry and one asking for Basic auth. Logins go to the
// keychain of scripts/with-keyring when it runs (BERTH_REQUIRE_KEYRING), else for the session
// only; the servers' ports are unique, so no other test's login is touched. Against the real
// token-auth registry: the login check is tst_registryclient's (verifyLogin), the push and skopeo
// reading it back tst_embeddedbackend's, the keychain tst_credentialstore's.

#include "../core/credentialtestenv.h"
#include "asynctest.h"
#include "fakebackend.h"
#include "fakehubserver.h"
#include "uitesthelpers.h"

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

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
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

const QString User = u"berth"_s;
const QString Password = u"s3cret"_s;
using Op = FakeBackend::Op;

// A child of `page` by name that is not part of its login form (which names its own "status" and
// "error").
template<typename T>
T *pageChild(QObject *page, const QString &objectName)
{
    const QList<T *> all = page->findChildren<T *>(objectName);
    for (T *candidate : all) {
        bool inForm = false;
        for (QObject *o = candidate->parent(); o && o != page; o = o->parent())
            inForm = inForm || qobject_cast<LoginForm *>(o);
        if (!inForm)
            return candidate;
    }
    qFatal("no %s named %s", T::staticMetaObject.className(), qPrintable(objectName));
    return nullptr;
}

QString hostOf(const FakeHubServer &server)
{
    return server.url().authority();
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
    void pushFailingHalfWay();

private:
    // Pulls the fixture image from the plain registry; answers its local name.
    QString pullFixture();
    ShareWizard::Services services()
    {
        return {m_transfers.get(), m_credentials.get(), m_client.get(), m_registries.get()};
    }
    QStringList storeTags(FakeBackend &backend) const { return backend.tags(); }
    void logInOnTheAccountPage(ShareWizard &wizard);
    void checkRegistriesOffered(ShareDestinationPage *page);
    void checkOtherRegistries(ShareDestinationPage *page);
    QString plainHost() const { return hostOf(m_plain); }
    QString tokenHost() const { return hostOf(m_token); }
    ShareImagesPage *imagesPage(ShareWizard &w)
    {
        return child<ShareImagesPage>(&w, u"imagesPage"_s);
    }
    ShareDestinationPage *destinationPage(ShareWizard &w)
    {
        return child<ShareDestinationPage>(&w, u"destinationPage"_s);
    }
    ShareAccountPage *accountPage(ShareWizard &w)
    {
        return child<ShareAccountPage>(&w, u"accountPage"_s);
    }
    ShareFilePage *filePage(ShareWizard &w) { return child<ShareFilePage>(&w, u"filePage"_s); }
    ShareProgressPage *progressPage(ShareWizard &w)
    {
        return child<ShareProgressPage>(&w, u"progressPage"_s);
    }

    bool m_keychain = false;
    // An open registry, and one that asks for a login (Basic).
    FakeHubServer m_plain;
    FakeHubServer m_token;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<FakeBackend> m_backend;
    std::unique_ptr<TransferManager> m_transfers;
    std::unique_ptr<RegistriesModel> m_registries;
};

void tst_ShareWizard::initTestCase()
{
    QVERIFY(m_plain.listen());
    QVERIFY(m_token.listen());
    m_plain.route(u"/v2/"_s, FakeHubResponse::json("{}"));
    const QByteArray expected = "Basic " + QString(User + u':' + Password).toUtf8().toBase64();
    m_token.route(u"/v2/"_s, [expected](const FakeHubRequest &request) -> FakeHubResponse {
        if (request.header("authorization") == expected)
            return FakeHubResponse::json("{}");
        return FakeHubResponse::json(R"({"errors":[{"code":"UNAUTHORIZED"}]})", 401)
            .withHeader("WWW-Authenticate", "Basic realm=\"berth-test\"");
    });
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
    m_backend = std::make_unique<FakeBackend>();
    m_backend->addRemoteImage(plainHost() + u"/berth/busybox:1.0");
    m_transfers = std::make_unique<TransferManager>();
    m_transfers->setBackend(m_backend.get());
    m_registries = std::make_unique<RegistriesModel>();
}

void tst_ShareWizard::cleanup()
{
    if (m_credentials) {
        const QString token = tokenHost();
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
    TransferJob *job
        = m_transfers->pull(*ImageReference::parse(QString(plainHost() + u"/berth/busybox:1.0")));
    if (!QTest::qWaitFor([job] { return job->isFinished(); }, Timeout)
        || job->state() != TransferJob::State::Done) {
        qWarning() << "pulling the fixture failed:" << job->errorString();
        return {};
    }
    return job->resultImages().value(0);
}

// The registries the destination page offers: Docker Hub first, then the user's from the settings,
// then those docker and podman hold a login for, each once whatever its spelling.
void tst_ShareWizard::checkRegistriesOffered(ShareDestinationPage *page)
{
    const QComboBox *registries = child<QComboBox>(page, u"registry"_s);
    QCOMPARE(registries->itemData(0).toString(), u"docker.io"_s);
    QVERIFY(registries->findData(tokenHost()) > 0);
    for (const QString &fromConfig : {u"quay.io"_s, u"ghcr.io"_s})
        QVERIFY2(registries->findData(fromConfig) > 0, qPrintable(fromConfig));
    int hubs = 0;
    for (int row = 0; row < registries->count(); ++row)
        hubs += registries->itemData(row).toString() == u"docker.io";
    QCOMPARE(hubs, 1);
}

// Registries other than Docker Hub on the destination page: typed, refused when no address, and
// taking an empty namespace.
void tst_ShareWizard::checkOtherRegistries(ShareDestinationPage *page)
{
    retype(child<QComboBox>(page, u"registry"_s)->lineEdit(), u"localhost:5000"_s);
    retype(child<QLineEdit>(page, u"namespace"_s), u"team"_s);
    retype(child<QLineEdit>(page, u"repository"_s), u"app"_s);
    retype(child<QLineEdit>(page, u"tag"_s), u"1.0"_s);
    QCOMPARE(child<QLabel>(page, u"reference"_s)->text(), u"localhost:5000/team/app:1.0"_s);
    QCOMPARE(page->registry(), u"localhost:5000"_s);
    // Something that is not a registry address.
    retype(child<QComboBox>(page, u"registry"_s)->lineEdit(), u"not a host"_s);
    QVERIFY(!pageChild<InlineMessage>(page, u"error"_s)->text().isEmpty());
    QVERIFY(!page->isComplete());
    // A namespace may be empty on other registries.
    child<QComboBox>(page, u"registry"_s)
        ->setCurrentIndex(child<QComboBox>(page, u"registry"_s)->findData(tokenHost()));
    child<QLineEdit>(page, u"namespace"_s)->clear();
    QCOMPARE(child<QLabel>(page, u"reference"_s)->text(), tokenHost() + u"/app:1.0");
    QVERIFY(page->isComplete());
}

void tst_ShareWizard::destinationValidatesLive()
{
    const QString source = pullFixture();
    QVERIFY(!source.isEmpty());
    const QString token = tokenHost();
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
    ShareImagesPage *images = imagesPage(wizard);
    QTRY_VERIFY(images->isLoaded());
    QCOMPARE(images->selectedImages(), QStringList{source});
    QVERIFY(child<QRadioButton>(images, u"push"_s)->isChecked());
    QVERIFY(images->isComplete());
    // Unchecking the only image leaves nothing to share.
    QListWidgetItem *item
        = child<QListWidget>(images, u"images"_s)->findItems(source, Qt::MatchExactly).value(0);
    QVERIFY(item);
    item->setCheckState(Qt::Unchecked);
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    item->setCheckState(Qt::Checked);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ShareWizard::DestinationPageId));

    ShareDestinationPage *page = destinationPage(wizard);
    checkRegistriesOffered(page);
    if (QTest::currentTestFailed())
        return;
    // Prefilled from the image's own name: back to the registry it came from, as it was.
    QCOMPARE(page->registry(), plainHost());
    QCOMPARE(child<QLineEdit>(page, u"namespace"_s)->text(), u"berth"_s);
    QCOMPARE(child<QLineEdit>(page, u"repository"_s)->text(), u"busybox"_s);
    QCOMPARE(child<QLineEdit>(page, u"tag"_s)->text(), u"1.0"_s);
    QCOMPARE(child<QLabel>(page, u"reference"_s)->text(), source);
    QVERIFY2(pageChild<InlineMessage>(page, u"error"_s)->text().isEmpty(),
             qPrintable(pageChild<InlineMessage>(page, u"error"_s)->text()));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());

    // Docker Hub without a namespace: said inline, no reference, no Next.
    child<QComboBox>(page, u"registry"_s)->setCurrentIndex(0);
    child<QLineEdit>(page, u"namespace"_s)->clear();
    QVERIFY2(pageChild<InlineMessage>(page, u"error"_s)->text().contains(u"namespace"),
             qPrintable(pageChild<InlineMessage>(page, u"error"_s)->text()));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());

    QTest::keyClicks(child<QLineEdit>(page, u"namespace"_s), u"jean"_s);
    retype(child<QLineEdit>(page, u"repository"_s), u"mon-app"_s);
    retype(child<QLineEdit>(page, u"tag"_s), u"1.0.0"_s);
    QCOMPARE(child<QLabel>(page, u"reference"_s)->text(), u"jean/mon-app:1.0.0"_s);
    QVERIFY(pageChild<InlineMessage>(page, u"error"_s)->text().isEmpty());
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());

    // What the reference parser refuses is shown in its own words.
    retype(child<QLineEdit>(page, u"namespace"_s), u"Jean"_s);
    const auto parsed = ImageReference::parse(u"docker.io/Jean/mon-app:1.0.0"_s);
    QVERIFY(!parsed);
    QCOMPARE(pageChild<InlineMessage>(page, u"error"_s)->text(), parsed.error().message);
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    retype(child<QLineEdit>(page, u"namespace"_s), u"jean"_s);
    QTest::keyClicks(child<QLineEdit>(page, u"tag"_s), u"!"_s);
    const Status badTag = ImageReference::validateTag(u"1.0.0!");
    QVERIFY(!badTag);
    QCOMPARE(pageChild<InlineMessage>(page, u"error"_s)->text(), badTag.error().message);
    QTest::keyClick(child<QLineEdit>(page, u"tag"_s), Qt::Key_Backspace);

    checkOtherRegistries(page);
}

// The account page of a wizard headed for the registry that asks for a login: a wrong password,
// refused in the form, then the right one.
void tst_ShareWizard::logInOnTheAccountPage(ShareWizard &wizard)
{
    // The registry wants a login: no Next until there is one.
    ShareAccountPage *account = accountPage(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(!account->isChecking(), Timeout);
    QVERIFY(account->authRequired());
    QVERIFY2(pageChild<QLabel>(account, u"accountStatus"_s)->text().contains(u"asks for a login"),
             qPrintable(pageChild<QLabel>(account, u"accountStatus"_s)->text()));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    // The login is typed on the page itself, in the form the login dialog shows: where to keep
    // it is asked once, there, and no dialog opens to ask it again.
    LoginForm *form = child<LoginForm>(account, u"loginForm"_s);
    QVERIFY(form->isVisible());
    QCOMPARE(wizard.findChildren<QRadioButton *>(u"rememberKeychain"_s).size(), 1);
    QCOMPARE(wizard.findChildren<QRadioButton *>(u"sessionOnly"_s).size(), 1);
    clickRadio(m_keychain ? child<QRadioButton>(form, u"rememberKeychain"_s)
                          : child<QRadioButton>(form, u"sessionOnly"_s));
    QVERIFY((m_keychain ? child<QRadioButton>(form, u"rememberKeychain"_s)
                        : child<QRadioButton>(form, u"sessionOnly"_s))
                ->isChecked());
    QVERIFY(!child<QPushButton>(account, u"login"_s)->isEnabled()); // nothing typed yet
    QTest::keyClicks(child<QLineEdit>(form, u"username"_s), User);
    QTest::keyClicks(child<QLineEdit>(form, u"password"_s), u"not-the-password"_s);
    QVERIFY(child<QPushButton>(account, u"login"_s)->isEnabled());
    QTest::mouseClick(child<QPushButton>(account, u"login"_s), Qt::LeftButton);
    QVERIFY(!wizard.findChild<LoginDialog *>());
    QCOMPARE(wizard.findChildren<QRadioButton *>(u"rememberKeychain"_s).size(), 1);
    // A wrong password is said in the form; nothing is stored.
    QTRY_VERIFY_WITH_TIMEOUT(!pageChild<InlineMessage>(form, u"error"_s)->text().isEmpty(),
                             Timeout);
    QVERIFY2(pageChild<InlineMessage>(form, u"error"_s)->text().contains(u"refused"),
             qPrintable(pageChild<InlineMessage>(form, u"error"_s)->text()));
    QVERIFY(!form->isBusy());
    QVERIFY(!account->isComplete());
    QCOMPARE(m_credentials->accounts().size(), 0);

    retype(child<QLineEdit>(form, u"password"_s), Password);
    QTest::keyClick(child<QLineEdit>(form, u"password"_s), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(account->isComplete(), Timeout);
    QCOMPARE(account->username(), User);
    QVERIFY2(pageChild<QLabel>(account, u"accountStatus"_s)->text().contains(User),
             qPrintable(pageChild<QLabel>(account, u"accountStatus"_s)->text()));
}

void tst_ShareWizard::pushToTokenRegistryAfterLogin()
{
    const QString source = pullFixture();
    QVERIFY(!source.isEmpty());
    const QString repository = unique(u"share"_s);

    ShareWizard wizard(services(), {source});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY(imagesPage(wizard)->isLoaded());
    wizard.next();
    ShareDestinationPage *destination = destinationPage(wizard);
    retype(child<QComboBox>(destination, u"registry"_s)->lineEdit(), tokenHost());
    retype(child<QLineEdit>(destination, u"namespace"_s), u"team"_s);
    retype(child<QLineEdit>(destination, u"repository"_s), repository);
    retype(child<QLineEdit>(destination, u"tag"_s), u"1.0"_s);
    const QString target = tokenHost() + u"/team/" + repository + u":1.0";
    QCOMPARE(child<QLabel>(destination, u"reference"_s)->text(), target);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ShareWizard::AccountPageId));

    ShareAccountPage *account = accountPage(wizard);
    logInOnTheAccountPage(wizard);
    if (QTest::currentTestFailed())
        return;
    // Logged in: the form gives way to "someone else".
    QVERIFY(!child<LoginForm>(account, u"loginForm"_s)->isVisible());
    QVERIFY(child<QPushButton>(account, u"someoneElse"_s)->isVisible());
    if (m_keychain) {
        const QList<CredentialStore::Account> accounts = m_credentials->accounts();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts.first().registry, tokenHost());
        QCOMPARE(accounts.first().remember, CredentialStore::Remember::Keychain);
    }
    wizard.next();

    // The review says what will be tagged and pushed, where, as whom.
    QCOMPARE(wizard.currentId(), int(ShareWizard::ReviewPageId));
    const QString review
        = child<QLabel>(child<ShareReviewPage>(&wizard, u"reviewPage"_s), u"summary"_s)->text();
    for (const QString &part : {source, target, User})
        QVERIFY2(review.contains(part.toHtmlEscaped()), qPrintable(review));
    // Nothing is pushed yet: the review speaks of what will happen.
    QVERIFY2(review.contains(u"Will push to"), qPrintable(review));
    QVERIFY2(!review.contains(u"Pushed"), qPrintable(review));
    QCOMPARE(wizard.button(QWizard::NextButton)->text(), u"&Push"_s);
    wizard.next();

    ShareProgressPage *progress = progressPage(wizard);
    QCOMPARE(wizard.currentId(), int(ShareWizard::ProgressPageId));
    QCOMPARE(progress->title(), u"Pushing…"_s);
    QVERIFY(
        !child<QPushButton>(progress, u"copyPullCommand"_s)->isVisible()); // nothing to pull yet
    QTRY_VERIFY_WITH_TIMEOUT(!progress->isRunning(), Timeout);
    QVERIFY2(progress->isDone(),
             qPrintable(pageChild<InlineMessage>(progress, u"message"_s)->text()));
    // The title follows the state; the pull command comes with a Copy button.
    QCOMPARE(progress->title(), u"Pushed"_s);
    QCOMPARE(child<QLabel>(progress, u"pullCommand"_s)->text(), u"docker pull "_s + target);
    QVERIFY(child<QPushButton>(progress, u"copyPullCommand"_s)->isVisible());
    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(child<QPushButton>(progress, u"copyPullCommand"_s), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), u"docker pull "_s + target);
    QCOMPARE(progress->jobs().size(), 1);
    QCOMPARE(progress->jobs().first()->kind(), TransferJob::Kind::Push);
    QCOMPARE(pageChild<InlineMessage>(progress, u"message"_s)->kind(),
             InlineMessage::Kind::Positive);
    QVERIFY2(pageChild<InlineMessage>(progress, u"message"_s)->text().contains(target),
             qPrintable(pageChild<InlineMessage>(progress, u"message"_s)->text()));
    QCOMPARE(child<QProgressBar>(progress, u"progress"_s)->value(),
             child<QProgressBar>(progress, u"progress"_s)->maximum());
    QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());
    // The image was named for its destination in the store, as docker tag would.
    QVERIFY(storeTags(*m_backend).contains(target));

    // The registry has it under that name.
    QVERIFY2(m_backend->remoteReferences().contains(ImageReference::parse(target)->toString()),
             qPrintable(m_backend->remoteReferences().join(u", ")));
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
    progressPage(wizard)->setUrlOpener([&](const QUrl &url) {
        opened.append(url);
        return true;
    });
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY(imagesPage(wizard)->isLoaded());
    clickRadio(child<QRadioButton>(imagesPage(wizard), u"save"_s));
    QCOMPARE(wizard.mode(), ShareWizard::Mode::Save);
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ShareWizard::FilePageId));

    ShareFilePage *file = filePage(wizard);
    // A name is suggested from the image; none compressed by default.
    QVERIFY2(file->path().endsWith(u"/busybox-1.0.tar"), qPrintable(file->path()));
    QCOMPARE(file->compression(), Compression::None);
    QTest::mouseClick(child<QPushButton>(file, u"browse"_s), Qt::LeftButton);
    QCOMPARE(asked.mode, FileRequest::Mode::Save);
    QCOMPARE(file->path(), archive);
    // The file's ending chose gzip; the choice rewrites the ending, and back.
    QCOMPARE(file->compression(), Compression::Gzip);
    child<QComboBox>(file, u"compression"_s)
        ->setCurrentIndex(
            child<QComboBox>(file, u"compression"_s)->findData(int(Compression::Zstd)));
    QCOMPARE(file->path(), m_dir->filePath(u"busybox.tar.zst"_s));
    child<QComboBox>(file, u"compression"_s)
        ->setCurrentIndex(
            child<QComboBox>(file, u"compression"_s)->findData(int(Compression::Gzip)));
    QCOMPARE(file->path(), archive);
    // An ending Berth does not save is refused inline; typing .tgz picks gzip.
    retype(child<QLineEdit>(file, u"path"_s), m_dir->filePath(u"busybox.tar.xz"_s));
    QVERIFY(!pageChild<InlineMessage>(file, u"message"_s)->text().isEmpty());
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    retype(child<QLineEdit>(file, u"path"_s), m_dir->filePath(u"busybox.tar"_s));
    QCOMPARE(file->compression(), Compression::None);
    retype(child<QLineEdit>(file, u"path"_s), archive);
    QCOMPARE(file->compression(), Compression::Gzip);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    QCOMPARE(wizard.button(QWizard::NextButton)->text(), u"&Save"_s);
    wizard.next();

    ShareProgressPage *progress = progressPage(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(!progress->isRunning(), Timeout);
    QVERIFY2(progress->isDone(),
             qPrintable(pageChild<InlineMessage>(progress, u"message"_s)->text()));
    QCOMPARE(progress->jobs().first()->kind(), TransferJob::Kind::Save);
    QCOMPARE(progress->title(), u"Saved"_s);
    QVERIFY(!child<QPushButton>(progress, u"copyPullCommand"_s)
                 ->isVisible()); // no pull command for an archive
    QVERIFY(child<QPushButton>(progress, u"showInFolder"_s)->isVisible());
    QTest::mouseClick(child<QPushButton>(progress, u"showInFolder"_s), Qt::LeftButton);
    QCOMPARE(opened, QList<QUrl>{QUrl::fromLocalFile(m_dir->path())});

    // gzip's magic, and another store loads it back with the image's tag.
    QFile written(archive);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.read(2), QByteArray("\x1f\x8b"));
    written.close();
    FakeBackend other;
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

    // One transfer at a time, and that one is a pull (into another, empty store) held half-way:
    // the wizard's push waits in the queue, where only a cancel can end it.
    FakeBackend empty;
    m_backend->shareRegistryWith(empty);
    empty.holdNext(Op::Pull, 1);
    m_transfers->setMaxConcurrent(1);
    m_transfers->setBackend(&empty);
    TransferJob *blocker
        = m_transfers->pull(*ImageReference::parse(QString(plainHost() + u"/berth/busybox:1.0")));
    m_transfers->setBackend(m_backend.get());
    QTRY_VERIFY_WITH_TIMEOUT(blocker->current() > 0, Timeout);
    QCOMPARE(blocker->state(), TransferJob::State::Running);

    ShareWizard wizard(services(), {source});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY(imagesPage(wizard)->isLoaded());
    wizard.next();
    ShareDestinationPage *destination = destinationPage(wizard);
    retype(child<QComboBox>(destination, u"registry"_s)->lineEdit(), plainHost());
    retype(child<QLineEdit>(destination, u"namespace"_s), u"team"_s);
    retype(child<QLineEdit>(destination, u"repository"_s), unique(u"cancelled"_s));
    wizard.next();
    // The plain registry takes pushes without a login.
    ShareAccountPage *account = accountPage(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(!account->isChecking(), Timeout);
    QVERIFY(!account->authRequired());
    QVERIFY(account->isComplete());
    wizard.next();
    wizard.next();

    ShareProgressPage *progress = progressPage(wizard);
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
    QCOMPARE(pageChild<InlineMessage>(progress, u"message"_s)->kind(),
             InlineMessage::Kind::Information);
    QVERIFY2(pageChild<InlineMessage>(progress, u"message"_s)->text().contains(u"cancelled"),
             qPrintable(pageChild<InlineMessage>(progress, u"message"_s)->text()));
    QVERIFY(child<QPushButton>(progress, u"retry"_s)->isVisible());
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
    ShareWizard wizard(services(), {source});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY(imagesPage(wizard)->isLoaded());
    wizard.next();
    retype(child<QLineEdit>(destinationPage(wizard), u"repository"_s), unique(u"failed"_s));
    wizard.next();
    QTRY_VERIFY_WITH_TIMEOUT(!accountPage(wizard)->isChecking(), Timeout);
    QVERIFY(accountPage(wizard)->isComplete());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ShareWizard::ReviewPageId));
    // The image goes away (another window, the command line) before Push.
    const auto removed
        = await<RemoveResult>([&](auto done) { m_backend->remove(source, true, done); });
    QVERIFY2(removed, removed ? "" : qPrintable(removed.error().message));
    wizard.next();

    ShareProgressPage *progress = progressPage(wizard);
    QTRY_VERIFY_WITH_TIMEOUT(!progress->isRunning(), Timeout);
    QCOMPARE(progress->jobs().size(), 1);
    QCOMPARE(progress->jobs().first()->state(), TransferJob::State::Failed);
    // The title says it failed; the message names the image; nothing to pull.
    QCOMPARE(progress->title(), u"Push Failed"_s);
    QCOMPARE(pageChild<InlineMessage>(progress, u"message"_s)->kind(), InlineMessage::Kind::Error);
    QVERIFY2(pageChild<InlineMessage>(progress, u"message"_s)->text().contains(source),
             qPrintable(pageChild<InlineMessage>(progress, u"message"_s)->text()));
    QVERIFY(child<QPushButton>(progress, u"retry"_s)->isVisible());
    QVERIFY(!child<QPushButton>(progress, u"copyPullCommand"_s)->isVisible());
    QVERIFY(wizard.button(QWizard::BackButton)->isVisible());
}

void tst_ShareWizard::pushFailingHalfWay()
{
    const QString source = pullFixture();
    QVERIFY(!source.isEmpty());
    ShareWizard wizard(services(), {source});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY(imagesPage(wizard)->isLoaded());
    wizard.next();
    retype(child<QLineEdit>(destinationPage(wizard), u"repository"_s), unique(u"halfway"_s));
    wizard.next();
    QTRY_VERIFY_WITH_TIMEOUT(!accountPage(wizard)->isChecking(), Timeout);
    QVERIFY(accountPage(wizard)->isComplete());
    wizard.next();
    // The push uploads its first blob, waits, then the connection drops.
    m_backend->script(Op::Push,
                      {1, Error::make(Error::Kind::Network, u"Connection reset by peer"_s), true});
    wizard.next();

    ShareProgressPage *progress = progressPage(wizard);
    QTRY_COMPARE(m_backend->heldCount(Op::Push), 1);
    QVERIFY(progress->isRunning());
    QCOMPARE(progress->title(), u"Pushing…"_s);
    QVERIFY(!wizard.button(QWizard::FinishButton)->isEnabled());
    QVERIFY(!wizard.button(QWizard::BackButton)->isVisible());
    QVERIFY(m_backend->release(Op::Push));
    QTRY_VERIFY(!progress->isRunning());
    QCOMPARE(progress->jobs().first()->state(), TransferJob::State::Failed);
    QCOMPARE(progress->title(), u"Push Failed"_s);
    QCOMPARE(pageChild<InlineMessage>(progress, u"message"_s)->kind(), InlineMessage::Kind::Error);
    QVERIFY(!child<QPushButton>(progress, u"copyPullCommand"_s)->isVisible());

    // Retry pushes again, and this time it goes through.
    QPushButton *retry = child<QPushButton>(progress, u"retry"_s);
    QVERIFY(retry->isVisible());
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_VERIFY(!progress->isRunning());
    QVERIFY2(progress->isDone(),
             qPrintable(pageChild<InlineMessage>(progress, u"message"_s)->text()));
    QCOMPARE(progress->title(), u"Pushed"_s);
    QCOMPARE(m_backend->calls(Op::Push), 2);
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
