// The registries and accounts models (models/registriesmodel, accountsmodel) and the settings
// keys (models/appsettings), in a temporary HOME so QSettings writes nowhere real. Accounts come
// from a real CredentialStore holding session-only logins (no keychain needed).

#include "../core/credentialtestenv.h"
#include "asynctest.h"

#include "accountsmodel.h"
#include "appsettings.h"
#include "registriesmodel.h"

#include "credentials/credentialstore.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace Berth;
using namespace BerthTest;
using namespace Qt::StringLiterals;

class tst_RegistriesModel final : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void dockerHubAlwaysFirst();
    void validateHost_data();
    void validateHost();
    void addRemoveAndPersist();
    void plainHttpThroughCheckState();
    void ignoresBrokenSettings();
    void accountsFollowTheStore();
    void appSettingsRoundTrip();
    void environmentWins();
};

void tst_RegistriesModel::init()
{
    QSettings().clear();
    qunsetenv("BERTH_BACKEND");
    qunsetenv("BERTH_HUB_URL");
    qunsetenv("BERTH_STORE");
}

void tst_RegistriesModel::dockerHubAlwaysFirst()
{
    RegistriesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex hub = model.index(0, RegistriesModel::NameColumn);
    QCOMPARE(hub.data().toString(), u"Docker Hub"_s);
    QCOMPARE(hub.data(RegistriesModel::HostRole).toString(), u"docker.io"_s);
    QVERIFY(!hub.data(RegistriesModel::RemovableRole).toBool());
    QVERIFY(!model.removeRegistry(0));
    QVERIFY(
        !(model.flags(model.index(0, RegistriesModel::PlainHttpColumn)) & Qt::ItemIsUserCheckable));
    QVERIFY(!model.setData(
        model.index(0, RegistriesModel::PlainHttpColumn), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(model.find(u"index.docker.io"_s), 0);
    const Status again = model.addRegistry(u"https://index.docker.io/v1/"_s, false);
    QVERIFY(!again);
    QCOMPARE(model.rowCount(), 1);
}

void tst_RegistriesModel::validateHost_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host"); // empty: refused
    QTest::newRow("domain") << u"registry.example.com"_s << u"registry.example.com"_s;
    QTest::newRow("scheme and path")
        << u"https://Registry.Example.com/v2/"_s << u"registry.example.com"_s;
    QTest::newRow("port") << u"myhost:5000"_s << u"myhost:5000"_s;
    QTest::newRow("localhost") << u"localhost"_s << u"localhost"_s;
    QTest::newRow("loopback") << u"127.0.0.1:5000"_s << u"127.0.0.1:5000"_s;
    QTest::newRow("ipv6") << u"[::1]:5000"_s << u"[::1]:5000"_s;
    QTest::newRow("spaces trimmed") << u"  ghcr.io  "_s << u"ghcr.io"_s;
    QTest::newRow("bare word") << u"myhost"_s << QString();
    QTest::newRow("space inside") << u"my registry.com"_s << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("bad port") << u"host.com:port"_s << QString();
}

void tst_RegistriesModel::validateHost()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    const auto result = RegistriesModel::validateHost(text);
    if (host.isEmpty()) {
        QVERIFY(!result);
        QCOMPARE(result.error().kind, Error::Kind::InvalidArgument);
        QVERIFY(!result.error().message.isEmpty());
    } else {
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(*result, host);
    }
}

void tst_RegistriesModel::addRemoveAndPersist()
{
    {
        RegistriesModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&model, &RegistriesModel::registriesChanged);
        QVERIFY(model.addRegistry(u"localhost:5000"_s, true));
        QVERIFY(model.addRegistry(u"https://ghcr.io"_s, false));
        const Status duplicate = model.addRegistry(u"GHCR.io"_s, true);
        QVERIFY(!duplicate);
        QVERIFY2(duplicate.error().message.contains(u"ghcr.io"),
                 qPrintable(duplicate.error().message));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1, 0).data().toString(), u"localhost:5000"_s);
        QCOMPARE(model.index(1, RegistriesModel::PlainHttpColumn).data(Qt::CheckStateRole),
                 QVariant(Qt::Checked));
        QCOMPARE(model.index(2, RegistriesModel::PlainHttpColumn).data(Qt::CheckStateRole),
                 QVariant(Qt::Unchecked));
        QCOMPARE(model.insecureRegistries(), QStringList{u"localhost:5000"_s});
        QCOMPARE(model.find(u"ghcr.io"_s), 2);
    }
    // Written at once: another model (the next start of Berth) reads the same list.
    QSettings settings;
    QCOMPARE(settings.value(u"registries/size"_s).toInt(), 2);
    QCOMPARE(settings.value(u"registries/1/host"_s).toString(), u"localhost:5000"_s);
    QCOMPARE(settings.value(u"registries/1/insecure"_s).toBool(), true);
    RegistriesModel reloaded;
    QCOMPARE(
        reloaded.registries(),
        (QList<RegistriesModel::Registry>{{u"localhost:5000"_s, true}, {u"ghcr.io"_s, false}}));
    QAbstractItemModelTester tester(&reloaded,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(reloaded.removeRegistry(1));
    QCOMPARE(reloaded.rowCount(), 2);
    QCOMPARE(reloaded.insecureRegistries(), QStringList());
    QCOMPARE(RegistriesModel().registries(),
             (QList<RegistriesModel::Registry>{{u"ghcr.io"_s, false}}));
    // Replacing the list (a settings dialog cancelled) saves too.
    reloaded.setRegistries({});
    QCOMPARE(reloaded.rowCount(), 1);
    QCOMPARE(RegistriesModel().registries(), QList<RegistriesModel::Registry>());
}

void tst_RegistriesModel::plainHttpThroughCheckState()
{
    RegistriesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.addRegistry(u"registry.lan:5000"_s, false));
    const QModelIndex box = model.index(1, RegistriesModel::PlainHttpColumn);
    QVERIFY(model.flags(box) & Qt::ItemIsUserCheckable);
    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setData(box, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(dataChanged.size(), 1);
    QCOMPARE(model.insecureRegistries(), QStringList{u"registry.lan:5000"_s});
    QCOMPARE(box.data(RegistriesModel::RawValueRole).toBool(), true);
    QCOMPARE(RegistriesModel().insecureRegistries(), QStringList{u"registry.lan:5000"_s});
    QVERIFY(model.setData(box, Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(model.insecureRegistries(), QStringList());
}

void tst_RegistriesModel::ignoresBrokenSettings()
{
    // Hand-edited or older settings: bad names, duplicates and Docker Hub are left out.
    QSettings settings;
    settings.beginWriteArray(u"registries"_s, 4);
    const QStringList hosts{
        u"not a host"_s, u"ok.example.com"_s, u"OK.example.com"_s, u"docker.io"_s};
    for (int i = 0; i < hosts.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(u"host"_s, hosts.at(i));
    }
    settings.endArray();
    settings.sync();
    RegistriesModel model;
    QCOMPARE(model.registries(), (QList<RegistriesModel::Registry>{{u"ok.example.com"_s, false}}));
}

void tst_RegistriesModel::accountsFollowTheStore()
{
    CredentialStore store;
    store.setSharedComputerMode(true); // session-only logins: nothing reaches a keychain
    AccountsModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);

    for (const QString &registry : {u"localhost:5000"_s, u"index.docker.io"_s}) {
        auto stored = await<void>([&](auto done) {
            store.storeLogin(registry, Credential{u"jean"_s, u"secret"_s, false}, {}, done);
        });
        QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message));
    }
    QCOMPARE(model.rowCount(), 2);
    const int hub = model.find(u"docker.io"_s);
    QVERIFY(hub >= 0);
    QCOMPARE(model.index(hub, AccountsModel::RegistryColumn).data().toString(), u"Docker Hub"_s);
    QCOMPARE(model.index(hub, AccountsModel::RegistryColumn).data(AccountsModel::RawValueRole),
             QVariant(u"docker.io"_s));
    QCOMPARE(model.index(hub, AccountsModel::UserColumn).data().toString(), u"jean"_s);
    QCOMPARE(model.index(hub, AccountsModel::StorageColumn).data().toString(),
             u"This session only"_s);
    QVERIFY(model.index(hub, 0).data(AccountsModel::SessionOnlyRole).toBool());
    // Never a secret, in any role.
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            for (int role : {int(Qt::DisplayRole),
                             int(Qt::ToolTipRole),
                             int(AccountsModel::RawValueRole),
                             int(Qt::AccessibleTextRole)})
                QVERIFY(!model.index(row, column).data(role).toString().contains(u"secret"));
        }
    }

    auto out = await<void>([&](auto done) { store.logout(u"localhost:5000"_s, false, done); });
    QVERIFY(out);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.find(u"localhost:5000"_s), -1);
    store.forgetSessionLogins();
    QCOMPARE(model.rowCount(), 0);
}

void tst_RegistriesModel::appSettingsRoundTrip()
{
    const AppSettings defaults = AppSettings::load();
    QCOMPARE(defaults.backend, BackendChoice::Auto);
    QVERIFY(defaults.hubUrl.isEmpty());
    QCOMPARE(defaults.effectiveHubUrl(), QUrl(u"https://hub.docker.com"_s));
    QVERIFY(!defaults.sharedComputer);

    AppSettings s;
    s.backend = BackendChoice::Embedded;
    s.hubUrl = QUrl(u"http://127.0.0.1:8080"_s);
    s.storePath = u"/tmp/somewhere"_s;
    s.sharedComputer = true;
    s.save();
    QSettings settings;
    QCOMPARE(settings.value(u"backend"_s).toString(), u"embedded"_s);
    QCOMPARE(settings.value(u"hubUrl"_s).toString(), u"http://127.0.0.1:8080"_s);
    QCOMPARE(settings.value(u"storePath"_s).toString(), u"/tmp/somewhere"_s);
    QCOMPARE(settings.value(u"sharedComputer"_s).toBool(), true);

    const AppSettings loaded = AppSettings::load();
    QCOMPARE(loaded.backend, BackendChoice::Embedded);
    QCOMPARE(loaded.hubUrl, s.hubUrl);
    QCOMPARE(loaded.storePath, s.storePath);
    QVERIFY(loaded.sharedComputer);

    // A value berthctl would refuse is ignored, not trusted.
    settings.setValue(u"backend"_s, u"kubernetes"_s);
    settings.setValue(u"hubUrl"_s, u"ftp://nope"_s);
    settings.sync();
    const AppSettings sanitized = AppSettings::load();
    QCOMPARE(sanitized.backend, BackendChoice::Auto);
    QVERIFY(sanitized.hubUrl.isEmpty());
}

void tst_RegistriesModel::environmentWins()
{
    AppSettings s;
    s.backend = BackendChoice::Docker;
    s.storePath = u"/from/settings"_s;
    qputenv("BERTH_BACKEND", "embedded");
    qputenv("BERTH_HUB_URL", "http://127.0.0.1:9999");
    qputenv("BERTH_STORE", "/from/environment");
    QCOMPARE(s.effectiveBackend(), BackendChoice::Embedded);
    QCOMPARE(s.effectiveHubUrl(), QUrl(u"http://127.0.0.1:9999"_s));
    QCOMPARE(s.effectiveStorePath(), u"/from/environment"_s);
    qunsetenv("BERTH_BACKEND");
    qunsetenv("BERTH_HUB_URL");
    qunsetenv("BERTH_STORE");
    QCOMPARE(s.effectiveBackend(), BackendChoice::Docker);
    QCOMPARE(s.effectiveStorePath(), u"/from/settings"_s);
    QCOMPARE(AppSettings::backendName(BackendChoice::Podman), u"podman"_s);
}

int main(int argc, char *argv[])
{
    // Before anything reads them: the temporary HOME and XDG tree QSettings writes into.
    auto home = std::make_unique<TestHome>();
    QCoreApplication app(argc, argv);
    app.setOrganizationName(u"berth-test"_s);
    app.setApplicationName(u"tst_registriesmodel"_s);
    tst_RegistriesModel test;
    QTEST_SET_MAIN_SOURCE_PATH
    const int status = QTest::qExec(&test, argc, argv);
    home.reset();
    return status;
}

#include "tst_registriesmodel.moc"
