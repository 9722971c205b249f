// The login dialog (ui/logindialog) against the real basic-auth and token-auth registries of the
// test services and the real keychain (gnome-keyring under scripts/with-keyring): a wrong
// password is said in the dialog and nothing is stored anywhere; the right one is verified, then
// kept in the keychain, or only for the session on a shared computer.

#include "../core/credentialtestenv.h"
#include "testservices.h"
#include "uitesthelpers.h"

#include "accountsmodel.h"
#include "inlinemessage.h"
#include "logindialog.h"
#include "loginform.h"

#include "credentials/credentialstore.h"
#include "registry/registryclient.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

#define REQUIRE_KEYRING()                                                                          \
    do {                                                                                           \
        if (!m_keyring)                                                                            \
            QSKIP("needs the private keyring session: run under scripts/with-keyring");            \
    } while (false)

class tst_LoginDialog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void wrongPasswordShownInline_data();
    void wrongPasswordShownInline();
    void rightPasswordGoesToKeychain_data();
    void rightPasswordGoesToKeychain();
    void sharedComputerKeepsNothing();
    void registryDownShownInline();
    void accessibleNames();

private:
    void addFlavours();
    QPushButton *loginButton(LoginDialog &dialog) const;
    void fill(LoginDialog &dialog, const TestRegistry &registry, const QString &password);

    bool m_keyring = false;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<RegistryClient> m_client;
    std::unique_ptr<CredentialStore> m_store;
};

void tst_LoginDialog::initTestCase()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    TestServices::instance();
    // Only the throwaway keyring of scripts/with-keyring is written to, never a developer's own.
    const bool privateSession = qEnvironmentVariableIsSet("BERTH_REQUIRE_KEYRING");
    m_keyring = privateSession && secretServiceRunning();
    if (privateSession && !m_keyring)
        QFAIL("no Secret Service on the session bus, though scripts/with-keyring should start one");
}

void tst_LoginDialog::init()
{
    QSettings().clear();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_client = std::make_unique<RegistryClient>(m_network.get());
    m_store = std::make_unique<CredentialStore>();
}

void tst_LoginDialog::cleanup()
{
    // Leave no login behind for the next test (or the next suite in the same keyring).
    if (m_keyring) {
        for (const QString &flavour : {u"basic"_s, u"token"_s}) {
            const QString host = TestServices::instance().registry(flavour).host;
            bool finished = false;
            m_store->logout(host, false, [&](Status) { finished = true; });
            QTRY_VERIFY(finished);
        }
    }
    m_store.reset();
    m_client.reset();
    m_network.reset();
}

void tst_LoginDialog::addFlavours()
{
    QTest::addColumn<QString>("flavour");
    QTest::newRow("basic") << u"basic"_s;
    QTest::newRow("token") << u"token"_s;
}

QPushButton *tst_LoginDialog::loginButton(LoginDialog &dialog) const
{
    return child<QPushButton>(&dialog, u"login"_s);
}

void tst_LoginDialog::fill(LoginDialog &dialog,
                           const TestRegistry &registry,
                           const QString &password)
{
    child<QComboBox>(&dialog, u"registry"_s)->setCurrentText(registry.host);
    QTest::keyClicks(child<QLineEdit>(&dialog, u"username"_s), registry.username);
    QTest::keyClicks(child<QLineEdit>(&dialog, u"password"_s), password);
}

void tst_LoginDialog::wrongPasswordShownInline_data()
{
    addFlavours();
}

void tst_LoginDialog::wrongPasswordShownInline()
{
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    LoginDialog dialog(m_store.get(), m_client.get());
    QSignalSpy loggedIn(&dialog, &LoginDialog::loggedIn);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(!loginButton(dialog)->isEnabled()); // nothing typed yet
    fill(dialog, registry, u"not-the-password"_s);
    QCOMPARE(dialog.registry(), registry.host);
    QVERIFY(loginButton(dialog)->isEnabled());
    QTest::mouseClick(loginButton(dialog), Qt::LeftButton);
    QVERIFY(dialog.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), 60000);

    // Said where it happened, the dialog still open to try again; nothing stored anywhere.
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), 0);
    const auto *error = child<InlineMessage>(&dialog, u"error"_s);
    QVERIFY(error->isVisible());
    QCOMPARE(error->kind(), InlineMessage::Kind::Error);
    QVERIFY2(error->text().contains(registry.host), qPrintable(error->text()));
    QVERIFY2(error->text().contains(u"password"), qPrintable(error->text()));
    QCOMPARE(loggedIn.size(), 0);
    QVERIFY(m_store->accounts().isEmpty());
    QVERIFY(!QSettings().childGroups().contains(CredentialStore::settingsGroup()));
    if (m_keyring)
        QCOMPARE(keychainItems(registry.host), 0);
    QVERIFY(child<QLineEdit>(&dialog, u"password"_s)->hasFocus());
    QVERIFY(child<QLineEdit>(&dialog, u"username"_s)->isEnabled());
}

void tst_LoginDialog::rightPasswordGoesToKeychain_data()
{
    addFlavours();
}

void tst_LoginDialog::rightPasswordGoesToKeychain()
{
    REQUIRE_KEYRING();
    QFETCH(QString, flavour);
    const TestRegistry registry = TestServices::instance().registry(flavour);
    AccountsModel accounts(m_store.get());
    LoginDialog dialog(m_store.get(), m_client.get());
    dialog.setRegistries({u"ghcr.io"_s, registry.host});
    QCOMPARE(dialog.registry(), u"ghcr.io"_s); // the first one offered
    QSignalSpy loggedIn(&dialog, &LoginDialog::loggedIn);
    dialog.show();
    // The default off a shared computer.
    QVERIFY(child<QRadioButton>(&dialog, u"rememberKeychain"_s)->isChecked());
    fill(dialog, registry, registry.password);
    QTest::mouseClick(loginButton(dialog), Qt::LeftButton);
    QVERIFY(loggedIn.wait(60000));
    QCOMPARE(loggedIn.first().at(0).toString(), registry.host);
    QCOMPARE(loggedIn.first().at(1).toString(), registry.username);
    QTRY_VERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    // Kept in the keychain, listed as an account (never the secret).
    QCOMPARE(keychainItems(registry.host), 1);
    const QList<CredentialStore::Account> list = m_store->accounts();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().registry, registry.host);
    QCOMPARE(list.first().remember, CredentialStore::Remember::Keychain);
    QCOMPARE(accounts.rowCount(), 1);
    QCOMPARE(accounts.index(0, AccountsModel::StorageColumn).data().toString(),
             u"System keychain"_s);
    // A fresh store (the next start of Berth) finds the login.
    CredentialStore next;
    bool done = false;
    std::optional<Credential> found;
    next.lookup(registry.host, [&](Result<std::optional<Credential>> r) {
        done = true;
        if (r)
            found = *r;
    });
    QTRY_VERIFY(done);
    QVERIFY(found);
    QCOMPARE(found->username, registry.username);
    QCOMPARE(found->secret, registry.password);
}

void tst_LoginDialog::sharedComputerKeepsNothing()
{
    const TestRegistry registry = TestServices::instance().registry(u"basic"_s);
    m_store->setSharedComputerMode(true);
    LoginDialog dialog(m_store.get(), m_client.get());
    dialog.show();
    // On a shared computer the keychain is not offered.
    QVERIFY(child<QRadioButton>(&dialog, u"sessionOnly"_s)->isChecked());
    QVERIFY(!child<QRadioButton>(&dialog, u"rememberKeychain"_s)->isEnabled());
    fill(dialog, registry, registry.password);
    QSignalSpy loggedIn(&dialog, &LoginDialog::loggedIn);
    QTest::mouseClick(loginButton(dialog), Qt::LeftButton);
    QVERIFY(loggedIn.wait(60000));
    const QList<CredentialStore::Account> list = m_store->accounts();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().remember, CredentialStore::Remember::SessionOnly);
    QVERIFY(!QSettings().childGroups().contains(CredentialStore::settingsGroup()));
    if (m_keyring)
        QCOMPARE(keychainItems(registry.host), 0);
    m_store->forgetSessionLogins();
    QVERIFY(m_store->accounts().isEmpty());
}

void tst_LoginDialog::registryDownShownInline()
{
    // A port nothing listens on: the network error is shown, in words, and nothing is stored.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QString host = u"127.0.0.1:"_s + QString::number(closed.serverPort());
    closed.close();
    LoginDialog dialog(m_store.get(), m_client.get());
    dialog.show();
    dialog.setRegistry(host);
    QTest::keyClicks(child<QLineEdit>(&dialog, u"username"_s), u"jean"_s);
    QTest::keyClicks(child<QLineEdit>(&dialog, u"password"_s), u"pw"_s);
    QTest::mouseClick(loginButton(dialog), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), 60000);
    const auto *error = child<InlineMessage>(&dialog, u"error"_s);
    QVERIFY(error->isVisible());
    QVERIFY(!error->text().isEmpty());
    QVERIFY(m_store->accounts().isEmpty());
}

void tst_LoginDialog::accessibleNames()
{
    LoginDialog dialog(m_store.get(), m_client.get());
    dialog.show();
    QVERIFY2(unnamedControls(&dialog).isEmpty(), qPrintable(unnamedControls(&dialog).join(u", ")));
    QCOMPARE(child<QLineEdit>(&dialog, u"password"_s)->echoMode(), QLineEdit::Password);
    // The fields and the keychain choice are the login form the share wizard shows too, once.
    auto *form = child<LoginForm>(&dialog, u"loginForm"_s);
    QCOMPARE(dialog.findChildren<LoginForm *>(), QList<LoginForm *>{form});
    QCOMPARE(dialog.findChildren<QRadioButton *>().size(), 2);
    QVERIFY(form->isAncestorOf(child<QRadioButton>(&dialog, u"rememberKeychain"_s)));
}

int main(int argc, char *argv[])
{
    // Before anything reads them: a temporary HOME and XDG tree for QSettings and docker's files.
    auto home = std::make_unique<TestHome>();
    QApplication app(argc, argv);
    app.setOrganizationName(u"berth-test"_s);
    app.setApplicationName(u"tst_logindialog"_s);
    tst_LoginDialog test;
    QTEST_SET_MAIN_SOURCE_PATH
    const int status = QTest::qExec(&test, argc, argv);
    home.reset();
    return status;
}

#include "tst_logindialog.moc"
