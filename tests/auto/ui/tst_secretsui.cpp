// No secret leaks from the app: the Registries page's Log In (LoginDialog) with a wrong and then
// the right password, the catalog read with the login, the accounts list (AccountsModel) and Log
// Out, against the real basic-auth and token-auth registries and the real keychain
// (gnome-keyring under scripts/with-keyring), with every logging category on at debug level.
// Every message logged, every text and tooltip the user can see, every model role and every file
// under HOME are searched for the password, user:password in base64 and bearer tokens. Logout
// and quitting a shared-computer session leave nothing in the keychain, the settings or memory.

#include "../cli/secretscan.h"
#include "../core/credentialtestenv.h"
#include "testservices.h"
#include "uitesthelpers.h"

#include "accountsmodel.h"
#include "appservices.h"
#include "appsettings.h"
#include "inlinemessage.h"
#include "logindialog.h"
#include "registriesmodel.h"
#include "registriespage.h"

#include "credentials/credentialstore.h"
#include "registry/registryclient.h"

#include <QAbstractButton>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkProxy>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QUuid>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 60000;

QMutex logMutex;
QByteArray logged;
int loggedMessages = 0;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QMutexLocker lock(&logMutex);
    logged += QByteArray::number(int(type)) + ' ' + QByteArray(context.category) + ": "
              + message.toUtf8() + '\n';
    ++loggedMessages;
}

} // namespace

class tst_SecretsUi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void logInAndOut_data();
    void logInAndOut();
    void sharedComputerForgottenAfterQuit();

private:
    // Everything a user can read in `root`: texts, tooltips, accessible names; a password field
    // that still holds what the user typed is the one place a secret may be.
    void scanWidgets(QWidget *root, const QString &where);
    void scanModel(const QAbstractItemModel &model, const QString &where);
    LoginDialog *openLogin(RegistriesPage &page);
    int berthKeychainEntries(const QString &host);

    bool m_keyring = false;
    std::unique_ptr<AppServices> m_app;
    std::unique_ptr<RegistriesPage> m_page;
    SecretScan m_scan;
    int m_findingsBefore = 0;
    int m_widgetTexts = 0;
    QStringList m_flows;
};

void tst_SecretsUi::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    const bool privateSession = qEnvironmentVariableIsSet("BERTH_REQUIRE_KEYRING");
    m_keyring = privateSession && secretServiceRunning();
    if (privateSession && !m_keyring)
        QFAIL("no Secret Service on the session bus, though scripts/with-keyring should start one");
    if (!m_keyring)
        QSKIP("needs the private keyring session: run under scripts/with-keyring");
    for (const char *flavour : {"basic", "token"}) {
        const TestRegistry registry = TestServices::instance().registry(QLatin1StringView(flavour));
        m_scan.addSecret(registry.username, registry.password);
    }
    QLoggingCategory::setFilterRules(u"*.debug=true"_s);
    qInstallMessageHandler(captureMessage);
}

void tst_SecretsUi::init()
{
    m_findingsBefore = int(m_scan.findings().size());
    QSettings().clear();
    m_app = std::make_unique<AppServices>(AppSettings::load());
    m_page = std::make_unique<RegistriesPage>(
        m_app->registries(), m_app->registryClient(), m_app->credentials());
    m_page->resize(900, 600);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void tst_SecretsUi::cleanup()
{
    if (m_page)
        scanWidgets(m_page.get(), u"the Registries page"_s);
    if (m_app) {
        for (const char *flavour : {"basic", "token"}) {
            bool finished = false;
            m_app->credentials()->logout(
                TestServices::instance().registry(QLatin1StringView(flavour)).host,
                false,
                [&](Status) { finished = true; });
            QTRY_VERIFY(finished);
        }
    }
    m_page.reset();
    m_app.reset();
    QByteArray messages;
    {
        const QMutexLocker lock(&logMutex);
        messages = std::exchange(logged, {});
    }
    m_scan.scan(messages, u"the log"_s);
    m_scan.scanTree(QDir::homePath());
    const QStringList findings = m_scan.findings().mid(m_findingsBefore);
    QVERIFY2(findings.isEmpty(), qPrintable(findings.join(u'\n')));
}

void tst_SecretsUi::cleanupTestCase()
{
    qInstallMessageHandler(nullptr);
    qInfo("secrets (app): %d messages logged, %d widget texts, %d places (%d files) searched, "
          "%lld bytes, %lld findings; flows: %s",
          loggedMessages,
          m_widgetTexts,
          m_scan.places(),
          m_scan.files(),
          m_scan.bytes(),
          qint64(m_scan.findings().size()),
          qPrintable(m_flows.join(u", "_s)));
}

void tst_SecretsUi::scanWidgets(QWidget *root, const QString &where)
{
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    QByteArray texts;
    for (QWidget *w : std::as_const(widgets)) {
        texts += w->toolTip().toUtf8() + '\n' + w->accessibleName().toUtf8() + '\n'
                 + w->accessibleDescription().toUtf8() + '\n' + w->windowTitle().toUtf8() + '\n';
        if (auto label = qobject_cast<QLabel *>(w))
            texts += label->text().toUtf8() + '\n';
        if (auto button = qobject_cast<QAbstractButton *>(w))
            texts += button->text().toUtf8() + '\n';
        if (auto message = qobject_cast<InlineMessage *>(w))
            texts += message->text().toUtf8() + '\n';
        if (auto edit = qobject_cast<QLineEdit *>(w); edit && edit->echoMode() == QLineEdit::Normal)
            texts += edit->text().toUtf8() + '\n';
        m_widgetTexts += 1;
    }
    m_scan.scan(texts, where);
}

void tst_SecretsUi::scanModel(const QAbstractItemModel &model, const QString &where)
{
    QByteArray texts;
    const QList<int> roles = model.roleNames().keys();
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            for (int role : roles)
                texts += model.index(row, column).data(role).toString().toUtf8() + '\n';
            texts += model.index(row, column).data(Qt::ToolTipRole).toString().toUtf8() + '\n';
        }
    }
    m_scan.scan(texts, where);
}

LoginDialog *tst_SecretsUi::openLogin(RegistriesPage &page)
{
    QTest::mouseClick(child<QPushButton>(&page, u"login"_s), Qt::LeftButton);
    return page.findChild<LoginDialog *>();
}

int tst_SecretsUi::berthKeychainEntries(const QString &host)
{
    const ProcessResult search = runTool(
        u"secret-tool"_s,
        {u"search"_s, u"--all"_s, u"--unlock"_s, u"server"_s, u"berth"_s, u"user"_s, host});
    return int(search.out.count("\ncreated = "));
}

void tst_SecretsUi::logInAndOut_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::newRow("basic auth") << u"basic"_s;
    QTest::newRow("token auth") << u"token"_s;
}

void tst_SecretsUi::logInAndOut()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    const QString wrongPassword = u"wrong-"_s + QUuid::createUuid().toString(QUuid::Id128);
    m_scan.addSecret(registry.username, wrongPassword);
    QVERIFY(m_app->registries()->addRegistry(registry.host, true));
    QVERIFY(m_page->selectRegistry(registry.host));
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);

    // A wrong password: refused in the dialog, in words that do not hold it.
    QPointer<LoginDialog> login = openLogin(*m_page);
    QVERIFY(login);
    QTest::keyClicks(child<QLineEdit>(login, u"username"_s), registry.username);
    QTest::keyClicks(child<QLineEdit>(login, u"password"_s), wrongPassword);
    QTest::mouseClick(login->findChild<QPushButton *>(u"login"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!login->isBusy(), Timeout);
    const auto *error = child<InlineMessage>(login, u"error"_s);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"password"), qPrintable(error->text()));
    scanWidgets(login, u"the login dialog after a wrong password"_s);
    QCOMPARE(berthKeychainEntries(registry.host), 0);
    QVERIFY(!QSettings().childGroups().contains(CredentialStore::settingsGroup()));

    // The right one: kept in the keychain only.
    auto *password = child<QLineEdit>(login, u"password"_s);
    password->clear();
    QTest::keyClicks(password, registry.password);
    QTest::mouseClick(login->findChild<QPushButton *>(u"login"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!login, Timeout);
    QTRY_VERIFY(child<QLabel>(m_page.get(), u"loginStatus"_s)->text().contains(registry.username));
    QCOMPARE(berthKeychainEntries(registry.host), 1);
    QVERIFY(QSettings().childGroups().contains(CredentialStore::settingsGroup()));
    // The catalog is read with the login (the registry's auth, in the debug log).
    m_page->refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY2(m_page->catalog().contains(registry.host + u"/private/secret"),
             qPrintable(child<InlineMessage>(m_page.get(), u"catalogMessage"_s)->text()
                        + m_page->catalog().join(u", ")));
    QCOMPARE(m_app->accounts()->rowCount(), 1);
    {
        // The debug log was on (this is what makes the search mean something).
        const QMutexLocker lock(&logMutex);
        QVERIFY(logged.contains("berth.credentials"));
    }
    scanModel(*m_app->accounts(), u"AccountsModel"_s);
    scanWidgets(m_page.get(), u"the Registries page, logged in"_s);

    // Log Out: nothing left in the keychain, the settings, or the client's cached login.
    QTest::mouseClick(child<QPushButton>(m_page.get(), u"logout"_s), Qt::LeftButton);
    QTRY_VERIFY(child<QLabel>(m_page.get(), u"loginStatus"_s)->text().contains(u"Not logged in"));
    QCOMPARE(berthKeychainEntries(registry.host), 0);
    QCOMPARE(m_app->accounts()->rowCount(), 0);
    QSettings settings;
    settings.beginGroup(CredentialStore::settingsGroup());
    QVERIFY(!settings.childGroups().contains(registry.host));
    m_page->refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY2(!m_page->catalog().contains(registry.host + u"/private/secret"),
             qPrintable(m_page->catalog().join(u", ")));
    m_flows << flavour + u": wrong login, login, catalog, accounts, logout, catalog refused"_s;
}

void tst_SecretsUi::sharedComputerForgottenAfterQuit()
{
    const TestRegistry registry = TestServices::instance().registry(u"basic"_s);
    AppSettings shared = AppSettings::load();
    shared.sharedComputer = true;
    shared.save();
    m_page.reset();
    m_app = std::make_unique<AppServices>(AppSettings::load());
    QVERIFY(m_app->credentials()->sharedComputerMode());
    m_page = std::make_unique<RegistriesPage>(
        m_app->registries(), m_app->registryClient(), m_app->credentials());
    m_page->show();
    QVERIFY(m_app->registries()->addRegistry(registry.host, true));
    QVERIFY(m_page->selectRegistry(registry.host));

    QPointer<LoginDialog> login = openLogin(*m_page);
    QVERIFY(login);
    QVERIFY(child<QRadioButton>(login, u"sessionOnly"_s)->isChecked());
    QTest::keyClicks(child<QLineEdit>(login, u"username"_s), registry.username);
    QTest::keyClicks(child<QLineEdit>(login, u"password"_s), registry.password);
    QTest::mouseClick(login->findChild<QPushButton *>(u"login"_s), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!login, Timeout);
    QTRY_VERIFY(child<QLabel>(m_page.get(), u"loginStatus"_s)->text().contains(registry.username));
    m_page->refreshCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY(m_page->catalog().contains(registry.host + u"/private/secret"));
    QCOMPARE(m_app->accounts()->rowCount(), 1);
    QVERIFY(m_app->accounts()->index(0, 0).data(AccountsModel::SessionOnlyRole).toBool());
    scanModel(*m_app->accounts(), u"AccountsModel (session only)"_s);
    // Memory only: never in the keychain or the settings.
    QCOMPARE(berthKeychainEntries(registry.host), 0);
    QVERIFY(!QSettings().childGroups().contains(CredentialStore::settingsGroup()));

    // Quit, start again: the session login is gone.
    scanWidgets(m_page.get(), u"the Registries page, session login"_s);
    m_page.reset();
    m_app.reset();
    m_app = std::make_unique<AppServices>(AppSettings::load());
    QCOMPARE(m_app->accounts()->rowCount(), 0);
    bool answered = false;
    std::optional<Credential> found;
    m_app->credentials()->lookup(registry.host, [&](Result<std::optional<Credential>> r) {
        answered = true;
        if (r)
            found = *r;
    });
    QTRY_VERIFY(answered);
    QVERIFY(!found);
    m_page = std::make_unique<RegistriesPage>(
        m_app->registries(), m_app->registryClient(), m_app->credentials());
    m_page->show();
    QVERIFY(m_page->selectRegistry(registry.host));
    QTRY_VERIFY(child<QLabel>(m_page.get(), u"loginStatus"_s)->text().contains(u"Not logged in"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->isLoadingCatalog(), Timeout);
    QVERIFY(!m_page->catalog().contains(registry.host + u"/private/secret"));
    QCOMPARE(berthKeychainEntries(registry.host), 0);
    m_flows << u"basic: shared-computer login, catalog, quit, restart, login gone"_s;
}

int main(int argc, char *argv[])
{
    // Before anything reads them: a temporary HOME and XDG tree for QSettings and docker's files.
    auto home = std::make_unique<TestHome>();
    QApplication app(argc, argv);
    app.setOrganizationName(u"berth-test"_s);
    app.setApplicationName(u"tst_secretsui"_s);
    tst_SecretsUi test;
    QTEST_SET_MAIN_SOURCE_PATH
    const int status = QTest::qExec(&test, argc, argv);
    home.reset();
    return status;
}

#include "tst_secretsui.moc"
