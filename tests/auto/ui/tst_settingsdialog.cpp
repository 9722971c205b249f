// The settings dialog (ui/settingsdialog) in a temporary HOME: each control saved under the
// QSettings key berthctl and the GUI share (AppSettings, RegistriesModel), invalid input said in
// the dialog, Cancel taking nothing, shared-computer mode applied to a real CredentialStore.

#include "../core/credentialtestenv.h"
#include "uitesthelpers.h"

#include "appsettings.h"
#include "inlinemessage.h"
#include "registriesmodel.h"
#include "settingsdialog.h"

#include "credentials/credentialstore.h"
#include "network/proxysettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>

#include <memory>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

namespace {

QPushButton *button(SettingsDialog &dialog, QDialogButtonBox::StandardButton which)
{
    return dialog.findChild<QDialogButtonBox *>()->button(which);
}

// Brings a tab to the front as a click on it would; tabs: General, Registries, Network.
void showTab(SettingsDialog &dialog, int index)
{
    child<QTabWidget>(&dialog, u"settingsTabs"_s)->setCurrentIndex(index);
}

} // namespace

class tst_SettingsDialog final : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void savesUnderSharedKeys();
    void invalidHubUrlShownInline();
    void registriesAddRemove();
    void cancelKeepsEverything();
    void storeLocationThroughChooser();
    void reopensWithSavedValues();
    void appearanceSavedAndRestored_data();
    void appearanceSavedAndRestored();
    void accessibleNames();
    void backgroundUpdateCheckSetting();
    void manualProxySavedAndShownAgain();
    void manualProxyNeedsAHost_data();
    void manualProxyNeedsAHost();
};

void tst_SettingsDialog::init()
{
    QSettings().clear();
    qunsetenv("BERTH_BACKEND");
}

void tst_SettingsDialog::savesUnderSharedKeys()
{
    RegistriesModel registries;
    CredentialStore credentials;
    SettingsDialog dialog(&registries, &credentials);
    QSignalSpy applied(&dialog, &SettingsDialog::settingsApplied);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    auto *backend = child<QComboBox>(&dialog, u"backend"_s);
    backend->setCurrentIndex(backend->findData(int(BackendChoice::Embedded)));
    QTest::keyClicks(child<QLineEdit>(&dialog, u"hubUrl"_s), u"http://127.0.0.1:8080"_s);
    child<QCheckBox>(&dialog, u"sharedComputer"_s)->setChecked(true);
    QVERIFY(!credentials.sharedComputerMode()); // applied on OK, not before
    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    QSettings settings;
    QCOMPARE(settings.value(u"backend"_s).toString(), u"embedded"_s);
    QCOMPARE(settings.value(u"hubUrl"_s).toString(), u"http://127.0.0.1:8080"_s);
    QCOMPARE(settings.value(u"sharedComputer"_s).toBool(), true);
    QVERIFY(!settings.contains(u"storePath"_s)); // empty: the default, not stored
    QVERIFY(credentials.sharedComputerMode());
    QCOMPARE(applied.size(), 1);
    const auto savedSettings = applied.first().at(0).value<AppSettings>();
    QCOMPARE(savedSettings.backend, BackendChoice::Embedded);
    QCOMPARE(applied.first().at(1).toBool(), true); // the backend must be opened again
}

void tst_SettingsDialog::invalidHubUrlShownInline()
{
    RegistriesModel registries;
    SettingsDialog dialog(&registries, nullptr);
    dialog.show();
    QTest::keyClicks(child<QLineEdit>(&dialog, u"hubUrl"_s), u"ftp://hub.example"_s);
    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QVERIFY(dialog.isVisible()); // still open to correct
    const auto *error = child<InlineMessage>(&dialog, u"error"_s);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"http"), qPrintable(error->text()));
    QVERIFY(!QSettings().contains(u"hubUrl"_s));

    // The default spelled out is the same as empty: nothing stored.
    child<QLineEdit>(&dialog, u"hubUrl"_s)->setText(u"https://hub.docker.com"_s);
    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY(!QSettings().contains(u"hubUrl"_s));
    QCOMPARE(QSettings().value(u"backend"_s).toString(), u"auto"_s);
}

void tst_SettingsDialog::registriesAddRemove()
{
    RegistriesModel registries;
    SettingsDialog dialog(&registries, nullptr);
    dialog.show();
    auto *newRegistry = child<QLineEdit>(&dialog, u"newRegistry"_s);
    auto *plainHttp = child<QCheckBox>(&dialog, u"newRegistryPlainHttp"_s);
    auto *add = child<QPushButton>(&dialog, u"addRegistry"_s);
    auto *remove = child<QPushButton>(&dialog, u"removeRegistry"_s);
    const auto *message = child<InlineMessage>(&dialog, u"registryMessage"_s);
    showTab(dialog, 1);

    // A name that is not a registry: said below the field, nothing added.
    QTest::keyClicks(newRegistry, u"myhost"_s);
    QVERIFY(add->isEnabled());
    QTest::mouseClick(add, Qt::LeftButton);
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(u"myhost"), qPrintable(message->text()));
    QCOMPARE(registries.rowCount(), 1);

    // A local registry: plain HTTP offered at once.
    newRegistry->clear();
    QVERIFY(!message->isVisible());
    QTest::keyClicks(newRegistry, u"localhost:5000"_s);
    QVERIFY(plainHttp->isChecked());
    QTest::keyClick(newRegistry, Qt::Key_Return);
    QCOMPARE(registries.rowCount(), 2);
    QCOMPARE(registries.insecureRegistries(), QStringList{u"localhost:5000"_s});
    QVERIFY(newRegistry->text().isEmpty());
    QTest::keyClicks(newRegistry, u"registry.example.com"_s);
    QVERIFY(!plainHttp->isChecked());
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(registries.rowCount(), 3);

    // Docker Hub cannot be removed; another registry can.
    QTableView *view = child<QTableView>(&dialog, u"registries"_s);
    view->selectRow(0);
    QVERIFY(!remove->isEnabled());
    view->selectRow(2);
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(registries.rowCount(), 2);
    QCOMPARE(registries.find(u"registry.example.com"_s), -1);

    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QSettings settings;
    QCOMPARE(settings.value(u"registries/size"_s).toInt(), 1);
    QCOMPARE(settings.value(u"registries/1/host"_s).toString(), u"localhost:5000"_s);
    QCOMPARE(settings.value(u"registries/1/insecure"_s).toBool(), true);
}

void tst_SettingsDialog::cancelKeepsEverything()
{
    RegistriesModel registries;
    QVERIFY(registries.addRegistry(u"ghcr.io"_s, false));
    AppSettings before;
    before.backend = BackendChoice::Docker;
    before.save();

    SettingsDialog dialog(&registries, nullptr);
    QSignalSpy applied(&dialog, &SettingsDialog::settingsApplied);
    dialog.show();
    auto *backend = child<QComboBox>(&dialog, u"backend"_s);
    QCOMPARE(backend->currentData().toInt(), int(BackendChoice::Docker));
    backend->setCurrentIndex(backend->findData(int(BackendChoice::Podman)));
    QTest::keyClicks(child<QLineEdit>(&dialog, u"newRegistry"_s), u"quay.io"_s);
    QTest::mouseClick(child<QPushButton>(&dialog, u"addRegistry"_s), Qt::LeftButton);
    child<QTableView>(&dialog, u"registries"_s)->selectRow(1);
    QTest::mouseClick(child<QPushButton>(&dialog, u"removeRegistry"_s), Qt::LeftButton); // ghcr.io
    QCOMPARE(registries.registries(), (QList<RegistriesModel::Registry>{{u"quay.io"_s, false}}));

    QTest::mouseClick(button(dialog, QDialogButtonBox::Cancel), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(applied.size(), 0);
    QCOMPARE(AppSettings::load().backend, BackendChoice::Docker);
    QCOMPARE(registries.registries(), (QList<RegistriesModel::Registry>{{u"ghcr.io"_s, false}}));
    QCOMPARE(RegistriesModel().registries(), registries.registries()); // saved back too
}

void tst_SettingsDialog::storeLocationThroughChooser()
{
    RegistriesModel registries;
    SettingsDialog dialog(&registries, nullptr);
    QSignalSpy applied(&dialog, &SettingsDialog::settingsApplied);
    QList<FileRequest> requests;
    dialog.setFileChooser([&](QWidget *, const FileRequest &request) {
        requests.append(request);
        return u"/srv/berth-store"_s;
    });
    dialog.show();
    auto *storePath = child<QLineEdit>(&dialog, u"storePath"_s);
    QVERIFY(!storePath->placeholderText().isEmpty()); // the default, shown
    QTest::mouseClick(child<QPushButton>(&dialog, u"browseStore"_s), Qt::LeftButton);
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().mode, FileRequest::Mode::Directory);
    QCOMPARE(storePath->text(), u"/srv/berth-store"_s);
    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(QSettings().value(u"storePath"_s).toString(), u"/srv/berth-store"_s);
    QCOMPARE(applied.size(), 1);
    QCOMPARE(applied.first().at(1).toBool(), true); // a new store location reopens the backend
}

void tst_SettingsDialog::reopensWithSavedValues()
{
    AppSettings saved;
    saved.backend = BackendChoice::Podman;
    saved.hubUrl = QUrl(u"http://127.0.0.1:9000"_s);
    saved.storePath = u"/data/store"_s;
    saved.sharedComputer = true;
    saved.save();
    RegistriesModel registries;
    SettingsDialog dialog(&registries, nullptr);
    QCOMPARE(child<QComboBox>(&dialog, u"backend"_s)->currentData().toInt(),
             int(BackendChoice::Podman));
    QCOMPARE(child<QLineEdit>(&dialog, u"hubUrl"_s)->text(), u"http://127.0.0.1:9000"_s);
    QCOMPARE(child<QLineEdit>(&dialog, u"storePath"_s)->text(), u"/data/store"_s);
    QVERIFY(child<QCheckBox>(&dialog, u"sharedComputer"_s)->isChecked());
    // OK without a change: nothing to reopen.
    QSignalSpy applied(&dialog, &SettingsDialog::settingsApplied);
    dialog.show();
    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(applied.size(), 1);
    QCOMPARE(applied.first().at(1).toBool(), false);
}

void tst_SettingsDialog::appearanceSavedAndRestored_data()
{
    QTest::addColumn<Appearance>("appearance");
    QTest::addColumn<QString>("saved");
    QTest::newRow("system") << Appearance::System << u"system"_s;
    QTest::newRow("light") << Appearance::Light << u"light"_s;
    QTest::newRow("dark") << Appearance::Dark << u"dark"_s;
}

void tst_SettingsDialog::appearanceSavedAndRestored()
{
    QFETCH(Appearance, appearance);
    QFETCH(QString, saved);
    RegistriesModel registries;
    {
        SettingsDialog dialog(&registries, nullptr);
        auto *box = child<QComboBox>(&dialog, u"appearance"_s);
        QCOMPARE(box->currentData().toInt(), int(Appearance::System));
        QCOMPARE(box->count(), 3);
        box->setCurrentIndex(box->findData(int(appearance)));
        QSignalSpy applied(&dialog, &SettingsDialog::settingsApplied);
        dialog.show();
        QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
        QCOMPARE(applied.size(), 1);
        QCOMPARE(applied.first().at(0).value<AppSettings>().appearance, appearance);
    }
    QCOMPARE(QSettings().value(AppSettings::appearanceKey()).toString(), saved);
    QCOMPARE(AppSettings::load().appearance, appearance);
    SettingsDialog reopened(&registries, nullptr);
    QCOMPARE(child<QComboBox>(&reopened, u"appearance"_s)->currentData().toInt(), int(appearance));
}

void tst_SettingsDialog::accessibleNames()
{
    RegistriesModel registries;
    SettingsDialog dialog(&registries, nullptr);
    dialog.show();
    QVERIFY2(unnamedControls(&dialog).isEmpty(), qPrintable(unnamedControls(&dialog).join(u", ")));
}

// "Check for image updates in the background": on by default, saved under its key, shown again.
void tst_SettingsDialog::backgroundUpdateCheckSetting()
{
    QVERIFY(AppSettings::load().checkForUpdates);
    RegistriesModel registries;
    {
        SettingsDialog dialog(&registries, nullptr);
        auto *check = child<QCheckBox>(&dialog, u"checkForUpdates"_s);
        QVERIFY(check->isChecked());
        QVERIFY(!check->toolTip().isEmpty());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        check->setChecked(false);
        QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    }
    QCOMPARE(QSettings().value(u"checkForUpdates"_s).toBool(), false);
    QVERIFY(!AppSettings::load().checkForUpdates);
    SettingsDialog again(&registries, nullptr);
    QVERIFY(!child<QCheckBox>(&again, u"checkForUpdates"_s)->isChecked());
}

// Settings → Network: Manual with its host, port, user and exceptions, under the keys berthctl
// reads too; no password typed, so nothing goes to the keychain.
void tst_SettingsDialog::manualProxySavedAndShownAgain()
{
    RegistriesModel registries;
    {
        SettingsDialog dialog(&registries, nullptr);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        showTab(dialog, 2);
        QVERIFY(child<QRadioButton>(&dialog, u"proxySystem"_s)->isChecked()); // the default
        QVERIFY(!child<QLineEdit>(&dialog, u"proxyHost"_s)->isEnabled());
        auto *manual = child<QRadioButton>(&dialog, u"proxyManual"_s);
        QTest::mouseClick(manual, Qt::LeftButton, {}, QPoint(8, manual->height() / 2));
        QVERIFY(child<QLineEdit>(&dialog, u"proxyHost"_s)->isEnabled());
        QTest::keyClicks(child<QLineEdit>(&dialog, u"proxyHost"_s), u"proxy.corp.example"_s);
        child<QSpinBox>(&dialog, u"proxyPort"_s)->setValue(8080);
        QTest::keyClicks(child<QLineEdit>(&dialog, u"proxyUser"_s), u"alice"_s);
        QTest::keyClicks(child<QLineEdit>(&dialog, u"noProxy"_s), u".corp.example, 10.0.0.0/8"_s);
        QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    QSettings stored;
    QCOMPARE(stored.value(u"network/proxyMode"_s).toString(), u"manual"_s);
    QCOMPARE(stored.value(u"network/proxyHost"_s).toString(), u"proxy.corp.example"_s);
    QCOMPARE(stored.value(u"network/proxyPort"_s).toInt(), 8080);
    QCOMPARE(stored.value(u"network/proxyUser"_s).toString(), u"alice"_s);
    QCOMPARE(stored.value(u"network/noProxy"_s).toString(), u".corp.example, 10.0.0.0/8"_s);
    const ProxySettings loaded = ProxySettings::load(stored);
    QCOMPARE(loaded.keychainKey(), u"proxy.corp.example:8080"_s);

    SettingsDialog again(&registries, nullptr);
    QVERIFY(child<QRadioButton>(&again, u"proxyManual"_s)->isChecked());
    QCOMPARE(child<QLineEdit>(&again, u"proxyHost"_s)->text(), u"proxy.corp.example"_s);
    QCOMPARE(child<QSpinBox>(&again, u"proxyPort"_s)->value(), 8080);
    QVERIFY(child<QLineEdit>(&again, u"proxyPassword"_s)->text().isEmpty()); // never shown
}

void tst_SettingsDialog::manualProxyNeedsAHost_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("named"); // what the message must name
    QTest::newRow("empty") << QString() << u"host"_s;
    QTest::newRow("with a port") << u"proxy.example:3128"_s << u"proxy.example:3128"_s;
    QTest::newRow("a URL") << u"http://proxy.example/"_s << u"http://proxy.example/"_s;
    QTest::newRow("with a login") << u"bob@proxy.example"_s << u"bob@proxy.example"_s;
}

// Manual without a usable host: said on the Network tab, the dialog stays, nothing saved.
void tst_SettingsDialog::manualProxyNeedsAHost()
{
    QFETCH(QString, host);
    QFETCH(QString, named);
    RegistriesModel registries;
    SettingsDialog dialog(&registries, nullptr);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    child<QRadioButton>(&dialog, u"proxyManual"_s)->setChecked(true);
    child<QLineEdit>(&dialog, u"proxyHost"_s)->setText(host);
    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    QCOMPARE(child<QTabWidget>(&dialog, u"settingsTabs"_s)->currentIndex(), 2);
    const auto *error = child<InlineMessage>(&dialog, u"error"_s);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(named), qPrintable(error->text()));
    QVERIFY(!QSettings().contains(u"network/proxyMode"_s));

    // IPv6 addresses are host names too, with or without their brackets.
    child<QLineEdit>(&dialog, u"proxyHost"_s)->setText(u"fd00::3"_s);
    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(QSettings().value(u"network/proxyHost"_s).toString(), u"fd00::3"_s);
}

int main(int argc, char *argv[])
{
    // Before anything reads them: the temporary HOME and XDG tree QSettings writes into.
    auto home = std::make_unique<TestHome>();
    QApplication app(argc, argv);
    app.setOrganizationName(u"berth-test"_s);
    app.setApplicationName(u"tst_settingsdialog"_s);
    tst_SettingsDialog test;
    QTEST_SET_MAIN_SOURCE_PATH
    const int status = QTest::qExec(&test, argc, argv);
    home.reset();
    return status;
}

#include "tst_settingsdialog.moc"
