// The Registries page (ui/registriespage) against the registries of the test services: adding
// one (with "allow plain HTTP", persisted in the settings and given to the registry client), its
// catalog, opening a repository from the catalog or by name, logging in and out (a session-only
// login, so no keychain is needed), and a registry that is down, said inline.

#include "../core/credentialtestenv.h"
#include "asynctest.h"
#include "testservices.h"
#include "uitesthelpers.h"

#include "inlinemessage.h"
#include "logindialog.h"
#include "registriesmodel.h"
#include "registriespage.h"

#include "credentials/credentialstore.h"
#include "registry/registryclient.h"

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 60000;

QString closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return {};
    const quint16 port = server.serverPort();
    server.close();
    return u"127.0.0.1:%1"_s.arg(port);
}

} // namespace

class tst_RegistriesPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void addPlainRegistryAndBrowseCatalog();
    void addIsValidatedAndPersisted();
    void openRepositoryByName_data();
    void openRepositoryByName();
    void logInAndOut();
    void registryDown();

private:
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<RegistriesModel> m_registries;
    std::unique_ptr<RegistriesPage> m_page;
};

void tst_RegistriesPage::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
}

void tst_RegistriesPage::init()
{
    QSettings().clear();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_credentials = std::make_unique<CredentialStore>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    RegistryTransportOptions options;
    options.retryBase = 10ms;
    m_client->transport().setOptions(options);
    m_client->setCredentialProvider(m_credentials.get());
    m_registries = std::make_unique<RegistriesModel>();
    m_page
        = std::make_unique<RegistriesPage>(m_registries.get(), m_client.get(), m_credentials.get());
    m_page->resize(900, 600);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void tst_RegistriesPage::cleanup()
{
    m_page.reset();
    m_registries.reset();
    m_client.reset();
    m_credentials.reset();
    m_network.reset();
}

void tst_RegistriesPage::addPlainRegistryAndBrowseCatalog()
{
    auto *catalogMessage = child<InlineMessage>(m_page.get(), u"catalogMessage"_s);
    auto *registryMessage = child<InlineMessage>(m_page.get(), u"registryMessage"_s);
    auto *catalogView = child<QListView>(m_page.get(), u"catalog"_s);
    auto *removeRegistry = child<QPushButton>(m_page.get(), u"removeRegistry"_s);
    const QString host = TestServices::instance().registry(u"plain"_s).host;
    // Docker Hub has no catalog: the page says where to look instead.
    QCOMPARE(m_page->currentRegistry(), u"docker.io"_s);
    QVERIFY(catalogMessage->text().contains(u"Explore"));
    QVERIFY(!child<QPushButton>(m_page.get(), u"refresh"_s)->isEnabled());

    QTest::keyClicks(child<QLineEdit>(m_page.get(), u"newRegistry"_s), host);
    // A loopback registry may use plain HTTP: the box is ticked for the user.
    QVERIFY(child<QCheckBox>(m_page.get(), u"plainHttp"_s)->isChecked());
    QTest::mouseClick(child<QPushButton>(m_page.get(), u"addRegistry"_s), Qt::LeftButton);
    QVERIFY2(registryMessage->text().isEmpty(), qPrintable(registryMessage->text()));
    QCOMPARE(m_registries->find(host), 1);
    QVERIFY(m_registries->index(1, 0).data(RegistriesModel::InsecureRole).toBool());
    // The new registry is selected and its catalog listed.
    QCOMPARE(m_page->currentRegistry(), host);
    QCOMPARE(child<QLabel>(m_page.get(), u"title"_s)->text(), host);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY2(catalogMessage->text().isEmpty(), qPrintable(catalogMessage->text()));
    const QString busybox = host + u"/berth/busybox";
    QVERIFY2(m_page->catalog().contains(busybox), qPrintable(m_page->catalog().join(u", ")));
    QAbstractItemModel *shown = catalogView->model();
    QModelIndexList found = shown->match(
        shown->index(0, 0), Qt::DisplayRole, u"berth/busybox"_s, 1, Qt::MatchExactly);
    QCOMPARE(found.size(), 1);

    // The filter narrows the list; activating a row opens that repository.
    QTest::keyClicks(child<QLineEdit>(m_page.get(), u"catalogFilter"_s), u"BUSY"_s);
    QVERIFY(shown->rowCount() >= 1);
    for (int row = 0; row < shown->rowCount(); ++row)
        QVERIFY(shown->index(row, 0).data().toString().contains(u"busy"));
    found = shown->match(
        shown->index(0, 0), Qt::DisplayRole, u"berth/busybox"_s, 1, Qt::MatchExactly);
    QCOMPARE(found.size(), 1);
    QSignalSpy requested(m_page.get(), &RegistriesPage::repositoryRequested);
    catalogView->setCurrentIndex(found.first());
    QTest::keyClick(catalogView, Qt::Key_Return);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), busybox);

    // Removing it goes back to Docker Hub; Docker Hub cannot be removed.
    QVERIFY(removeRegistry->isEnabled());
    QTest::mouseClick(removeRegistry, Qt::LeftButton);
    QCOMPARE(m_registries->find(host), -1);
    QCOMPARE(m_page->currentRegistry(), u"docker.io"_s);
    QVERIFY(!removeRegistry->isEnabled());
}

void tst_RegistriesPage::addIsValidatedAndPersisted()
{
    auto *newRegistry = child<QLineEdit>(m_page.get(), u"newRegistry"_s);
    auto *registryMessage = child<InlineMessage>(m_page.get(), u"registryMessage"_s);
    auto *plainHttp = child<QCheckBox>(m_page.get(), u"plainHttp"_s);
    // Not an address: refused with the model's reason, nothing added.
    QTest::keyClicks(newRegistry, u"not a registry"_s);
    QTest::keyClick(newRegistry, Qt::Key_Return);
    QVERIFY(!registryMessage->text().isEmpty());
    QCOMPARE(m_registries->rowCount(), 1);

    // A registry on the network, allowed plain HTTP on purpose: saved with the keys the settings
    // dialog uses, and handed to the registry client.
    const QString host = u"registry.berth.test:5000"_s;
    newRegistry->clear();
    QTest::keyClicks(newRegistry, u"https://Registry.Berth.test:5000/"_s);
    QVERIFY(!plainHttp->isChecked());
    QTest::mouseClick(plainHttp, Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>(m_page.get(), u"addRegistry"_s), Qt::LeftButton);
    QCOMPARE(m_page->currentRegistry(), host);
    QVERIFY(m_client->transport().isInsecure(host));
    QSettings settings;
    QCOMPARE(settings.beginReadArray(RegistriesModel::settingsKey()), 1);
    settings.setArrayIndex(0);
    QCOMPARE(settings.value(u"host"_s).toString(), host);
    QCOMPARE(settings.value(u"insecure"_s).toBool(), true);
    settings.endArray();

    // The same twice is refused.
    QTest::keyClicks(newRegistry, host);
    QVERIFY(!m_page->addRegistry());
    QVERIFY(registryMessage->text().contains(u"already"));

    QTest::mouseClick(child<QPushButton>(m_page.get(), u"removeRegistry"_s), Qt::LeftButton);
    QVERIFY(!m_client->transport().isInsecure(host));
}

void tst_RegistriesPage::openRepositoryByName_data()
{
    QTest::addColumn<bool>("onPlain");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("expected"); // empty: refused
    const QString plain = TestServices::instance().registry(u"plain"_s).host;
    QTest::newRow("hub official") << false << u"node"_s << u"node"_s;
    QTest::newRow("hub namespaced") << false << u"bitnami/redis"_s << u"bitnami/redis"_s;
    QTest::newRow("hub explicit library") << false << u"library/node"_s << u"node"_s;
    QTest::newRow("own registry wins") << false << u"ghcr.io/x/y"_s << u"ghcr.io/x/y"_s;
    QTest::newRow("on plain") << true << u"berth/busybox"_s << plain + u"/berth/busybox";
    QTest::newRow("on plain, one component") << true << u"app"_s << plain + u"/app";
    QTest::newRow("upper case") << true << u"Berth/Busybox"_s << QString();
    QTest::newRow("tag given") << true << u"berth/busybox:1.0"_s << QString();
}

void tst_RegistriesPage::openRepositoryByName()
{
    auto *openRepository = child<QLineEdit>(m_page.get(), u"openRepository"_s);
    auto *openMessage = child<InlineMessage>(m_page.get(), u"openMessage"_s);
    auto *openButton = child<QPushButton>(m_page.get(), u"open"_s);
    QFETCH(bool, onPlain);
    QFETCH(QString, typed);
    QFETCH(QString, expected);
    if (onPlain) {
        const QString host = TestServices::instance().registry(u"plain"_s).host;
        QVERIFY(m_registries->addRegistry(host, true));
        QVERIFY(m_page->selectRegistry(host));
    }
    QSignalSpy requested(m_page.get(), &RegistriesPage::repositoryRequested);
    QTest::keyClicks(openRepository, typed);
    if (expected.isEmpty()) {
        QVERIFY(!openMessage->text().isEmpty());
        QVERIFY(!openButton->isEnabled());
        QTest::keyClick(openRepository, Qt::Key_Return);
        QCOMPARE(requested.size(), 0);
        return;
    }
    QVERIFY2(openMessage->text().isEmpty(), qPrintable(openMessage->text()));
    QVERIFY(openButton->isEnabled());
    QTest::mouseClick(openButton, Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), expected);
}

void tst_RegistriesPage::logInAndOut()
{
    auto *loginStatus = child<QLabel>(m_page.get(), u"loginStatus"_s);
    auto *logoutButton = child<QPushButton>(m_page.get(), u"logout"_s);
    auto *catalogMessage = child<InlineMessage>(m_page.get(), u"catalogMessage"_s);
    const TestRegistry basic = TestServices::instance().registry(u"basic"_s);
    QVERIFY(m_registries->addRegistry(basic.host, true));
    QVERIFY(m_page->selectRegistry(basic.host));
    QTRY_VERIFY(loginStatus->text().contains(u"Not logged in"));
    QVERIFY(!logoutButton->isEnabled());
    // The basic registry shows its catalog only to users who are logged in.
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY2(catalogMessage->text().contains(u"log"), qPrintable(catalogMessage->text()));

    QTest::mouseClick(child<QPushButton>(m_page.get(), u"login"_s), Qt::LeftButton);
    QPointer<LoginDialog> login = m_page->findChild<LoginDialog *>();
    QVERIFY(login);
    QCOMPARE(login->registry(), basic.host);
    QTest::mouseClick(child<QRadioButton>(login, u"sessionOnly"_s), Qt::LeftButton);
    QTest::keyClicks(child<QLineEdit>(login, u"username"_s), basic.username);
    QTest::keyClicks(child<QLineEdit>(login, u"password"_s), basic.password);
    QTest::mouseClick(login->findChild<QPushButton *>(u"login"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!login, Timeout);
    QTRY_VERIFY(loginStatus->text().contains(basic.username));
    QVERIFY2(loginStatus->text().contains(u"session"), qPrintable(loginStatus->text()));
    QVERIFY(logoutButton->isEnabled());
    // Now the catalog is there.
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY2(m_page->catalog().contains(basic.host + u"/berth/busybox"),
             qPrintable(catalogMessage->text() + m_page->catalog().join(u", ")));

    QTest::mouseClick(logoutButton, Qt::LeftButton);
    QTRY_VERIFY(loginStatus->text().contains(u"Not logged in"));
    QCOMPARE(m_credentials->accounts().size(), 0);
}

void tst_RegistriesPage::registryDown()
{
    auto *catalogMessage = child<InlineMessage>(m_page.get(), u"catalogMessage"_s);
    auto *refreshButton = child<QPushButton>(m_page.get(), u"refresh"_s);
    auto *openRepository = child<QLineEdit>(m_page.get(), u"openRepository"_s);
    const QString down = closedPort();
    QVERIFY(!down.isEmpty());
    QTest::keyClicks(child<QLineEdit>(m_page.get(), u"newRegistry"_s), down);
    QVERIFY(m_page->addRegistry());
    QCOMPARE(m_page->currentRegistry(), down);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    const QString shown = catalogMessage->text();
    QCOMPARE(catalogMessage->kind(), InlineMessage::Kind::Error);
    QVERIFY2(shown.startsWith(u"Cannot reach "_s + down + u" — is it running?"), qPrintable(shown));
    QVERIFY(m_page->catalog().isEmpty());
    QVERIFY(!child<QListView>(m_page.get(), u"catalog"_s)->isEnabled());
    // Refresh tries again and says the same.
    QVERIFY(refreshButton->isEnabled());
    QTest::mouseClick(refreshButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY(catalogMessage->text().startsWith(u"Cannot reach "_s + down));
    // The page still opens repositories by name there.
    QSignalSpy requested(m_page.get(), &RegistriesPage::repositoryRequested);
    QTest::keyClicks(openRepository, u"team/app"_s);
    QTest::keyClick(openRepository, Qt::Key_Return);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toString(), down + u"/team/app");
}

int main(int argc, char *argv[])
{
    // Before anything reads them: the temporary HOME and XDG tree QSettings writes into.
    auto home = std::make_unique<TestHome>();
    QApplication app(argc, argv);
    app.setOrganizationName(u"berth-test"_s);
    app.setApplicationName(u"tst_registriespage"_s);
    tst_RegistriesPage test;
    QTEST_SET_MAIN_SOURCE_PATH
    const int status = QTest::qExec(&test, argc, argv);
    home.reset();
    return status;
}

#include "tst_registriespage.moc"
