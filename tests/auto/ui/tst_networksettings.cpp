// Settings → Network end to end with the real keychain: the password typed for a manual proxy
// goes to the keychain (never to the settings file), the policy installed from the settings
// carries it into every proxied request's choice, and the dialog shows it as stored without
// showing it.

#include "testhelpers.h"
#include "uitesthelpers.h"

#include "inlinemessage.h"
#include "registriesmodel.h"
#include "settingsdialog.h"

#include "credentials/networksetup.h"
#include "network/networkpolicy.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

const QString Password = u"s3cret pr0xy pw"_s;

ProxySettings manualSettings()
{
    ProxySettings s;
    s.mode = ProxyMode::Manual;
    s.host = u"proxy.berth.test"_s;
    s.port = 3129;
    s.user = u"alice"_s;
    return s;
}

Result<QString> storedPassword()
{
    std::optional<Result<QString>> read;
    readProxyPassword(manualSettings(), [&](Result<QString> r) { read = std::move(r); });
    if (!QTest::qWaitFor([&] { return read.has_value(); }, 20000))
        return fail(Error::Kind::Keychain, u"the keychain did not answer"_s);
    return *read;
}

Status forgetPassword()
{
    std::optional<Status> done;
    writeProxyPassword(manualSettings(), {}, [&](Status s) { done = s; });
    if (!QTest::qWaitFor([&] { return done.has_value(); }, 20000))
        return fail(Error::Kind::Keychain, u"the keychain did not answer"_s);
    return *done;
}

} // namespace

class tst_NetworkSettings final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QSettings().clear();
        VERIFY_OK(forgetPassword());
    }
    void cleanup()
    {
        setNetworkPolicy(nullptr);
        VERIFY_OK(forgetPassword());
    }

    void passwordGoesToTheKeychainAndIntoThePolicy();
};

void tst_NetworkSettings::passwordGoesToTheKeychainAndIntoThePolicy()
{
    RegistriesModel registries;
    {
        SettingsDialog dialog(&registries, nullptr);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        child<QRadioButton>(&dialog, u"proxyManual"_s)->setChecked(true);
        child<QLineEdit>(&dialog, u"proxyHost"_s)->setText(manualSettings().host);
        child<QSpinBox>(&dialog, u"proxyPort"_s)->setValue(manualSettings().port);
        child<QLineEdit>(&dialog, u"proxyUser"_s)->setText(manualSettings().user);
        QTest::keyClicks(child<QLineEdit>(&dialog, u"proxyPassword"_s), Password);
        QSignalSpy applied(&dialog, &SettingsDialog::settingsApplied);
        dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(applied.wait(20000)); // after the keychain has answered
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    const Result<QString> stored = storedPassword();
    VERIFY_OK(stored);
    QCOMPARE(*stored, Password);
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY2(!file.readAll().contains(Password.toUtf8()), "the password is in the settings file");

    std::optional<Status> installed;
    installNetworkPolicyFromSettings([&](Status s) { installed = s; });
    QTRY_VERIFY_WITH_TIMEOUT(installed.has_value(), 20000);
    VERIFY_OK(*installed);
    const ProxyChoice choice
        = currentNetworkPolicy()->proxy.choose(QUrl(u"https://registry.example.com/v2/"_s));
    QCOMPARE(choice.proxy.host(), manualSettings().host);
    QCOMPARE(choice.proxy.port(), manualSettings().port);
    QCOMPARE(choice.user, manualSettings().user);
    QCOMPARE(choice.password, Password);

    // Opened again: the field says a password is stored and shows nothing of it.
    SettingsDialog again(&registries, nullptr);
    auto *field = child<QLineEdit>(&again, u"proxyPassword"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!field->placeholderText().isEmpty(), 20000);
    QVERIFY(field->text().isEmpty());
}

QTEST_MAIN(tst_NetworkSettings)
#include "tst_networksettings.moc"
