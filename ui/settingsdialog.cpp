#include "settingsdialog.h"

#include "inlinemessage.h"
#include "networksettingspage.h"
#include "registriesconfview.h"

#include "common/guarded.h"
#include "credentials/credentialstore.h"
#include "credentials/networksetup.h"
#include "oci/ocilayout.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace Berth {

SettingsDialog::SettingsDialog(RegistriesModel *registries,
                               CredentialStore *credentials,
                               QWidget *parent)
    : QDialog(parent)
    , m_registries(registries)
    , m_credentials(credentials)
    , m_registriesBefore(registries->registries())
    , m_before(AppSettings::load())
    , m_chooseFile(chooseWithFileDialog)
    , m_appearance(new QComboBox(this))
    , m_backend(new QComboBox(this))
    , m_backendNote(new QLabel(this))
    , m_registriesView(new QTableView(this))
    , m_newRegistry(new QLineEdit(this))
    , m_newRegistryPlainHttp(new QCheckBox(tr("Allow plain &HTTP"), this))
    , m_addRegistry(new QPushButton(tr("&Add"), this))
    , m_removeRegistry(new QPushButton(tr("Re&move"), this))
    , m_registryMessage(new InlineMessage(this))
    , m_hubUrl(new QLineEdit(this))
    , m_storePath(new QLineEdit(this))
    , m_browseStore(new QPushButton(tr("&Browse…"), this))
    , m_sharedComputer(
          new QCheckBox(tr("&Shared computer: keep logins for this session only"), this))
    , m_checkForUpdates(new QCheckBox(tr("Check for image &updates in the background"), this))
    , m_error(new InlineMessage(this))
    , m_tabs(new QTabWidget(this))
    , m_network(new NetworkSettingsPage(this))
{
    Q_ASSERT(registries);
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("SettingsDialog"));

    QGroupBox *look = buildAppearanceBox();
    QGroupBox *storage = buildStorageBox();
    QGroupBox *registriesBox = buildRegistriesBox();
    QGroupBox *hubBox = buildHubBox();

    m_error->setObjectName(QStringLiteral("error"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *general = new QWidget(this);
    auto *generalLayout = new QVBoxLayout(general);
    generalLayout->addWidget(look);
    generalLayout->addWidget(storage);
    generalLayout->addWidget(hubBox);
    generalLayout->addStretch(1);
    auto *registriesTab = new QWidget(this);
    m_registriesTabLayout = new QVBoxLayout(registriesTab);
    m_registriesTabLayout->addWidget(registriesBox, 1);
    // What registries.conf says (mirrors, rewrites, insecure and blocked registries), read-only:
    // it is podman's and skopeo's file too, edited there.
    auto *confBox = new QGroupBox(tr("From registries.conf"), registriesTab);
    auto *confLayout = new QVBoxLayout(confBox);
    confLayout->addWidget(new RegistriesConfView(confBox));
    m_registriesTabLayout->addWidget(confBox, 1);
    m_tabs->setObjectName(QStringLiteral("settingsTabs"));
    m_tabs->addTab(general, QIcon::fromTheme(QStringLiteral("configure")), tr("&General"));
    m_tabs->addTab(registriesTab,
                   QIcon::fromTheme(QStringLiteral("network-server-database")),
                   tr("&Registries"));
    m_tabs->addTab(
        m_network, QIcon::fromTheme(QStringLiteral("preferences-system-network")), tr("&Network"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    load(m_before);
    loadNetwork();
    updateRegistryButtons();
    resize(620, 620);
}

QGroupBox *SettingsDialog::buildStorageBox()
{
    m_backend->setObjectName(QStringLiteral("backend"));
    m_backend->setAccessibleName(tr("Where images are stored"));
    for (BackendChoice choice : {BackendChoice::Auto,
                                 BackendChoice::Docker,
                                 BackendChoice::Podman,
                                 BackendChoice::Embedded})
        m_backend->addItem(AppSettings::backendDisplayName(choice), int(choice));
    m_backend->setToolTip(tr("Automatic uses Docker or Podman when one answers, else Berth's own "
                             "embedded store, which needs no engine."));
    m_backendNote->setObjectName(QStringLiteral("backendNote"));
    m_backendNote->setWordWrap(true);
    if (qEnvironmentVariableIsSet("BERTH_BACKEND"))
        m_backendNote->setText(tr("BERTH_BACKEND is set to \"%1\" and wins over this setting.")
                                   .arg(qEnvironmentVariable("BERTH_BACKEND")));
    m_backendNote->setVisible(!m_backendNote->text().isEmpty());

    m_storePath->setObjectName(QStringLiteral("storePath"));
    m_storePath->setAccessibleName(tr("Embedded store location"));
    m_storePath->setPlaceholderText(OciStore::defaultPath());
    m_storePath->setClearButtonEnabled(true);
    m_browseStore->setObjectName(QStringLiteral("browseStore"));
    m_browseStore->setAccessibleName(tr("Choose the embedded store's folder"));
    connect(m_browseStore, &QPushButton::clicked, this, &SettingsDialog::browseStore);

    auto *storage = new QGroupBox(tr("Images"), this);
    auto *storageForm = new QFormLayout(storage);
    auto *backendLabel = new QLabel(tr("&Store images in:"), storage);
    backendLabel->setBuddy(m_backend);
    storageForm->addRow(backendLabel, m_backend);
    storageForm->addRow(QString(), m_backendNote);
    auto *storeRow = new QHBoxLayout;
    storeRow->addWidget(m_storePath, 1);
    storeRow->addWidget(m_browseStore);
    auto *storeLabel = new QLabel(tr("Embedded store &location:"), storage);
    storeLabel->setBuddy(m_storePath);
    storageForm->addRow(storeLabel, storeRow);
    return storage;
}

void SettingsDialog::browseStore()
{
    FileRequest request;
    request.mode = FileRequest::Mode::Directory;
    request.caption = tr("Folder of the Embedded Store");
    request.suggestedPath
        = m_storePath->text().isEmpty() ? m_storePath->placeholderText() : m_storePath->text();
    const QString path = m_chooseFile(this, request);
    if (!path.isEmpty())
        m_storePath->setText(path);
}

QGroupBox *SettingsDialog::buildRegistriesBox()
{
    m_registriesView->setObjectName(QStringLiteral("registries"));
    m_registriesView->setAccessibleName(tr("Registries"));
    m_registriesView->setModel(m_registries);
    m_registriesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_registriesView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_registriesView->verticalHeader()->hide();
    m_registriesView->horizontalHeader()->setSectionResizeMode(RegistriesModel::NameColumn,
                                                               QHeaderView::Stretch);
    m_registriesView->horizontalHeader()->setSectionResizeMode(RegistriesModel::PlainHttpColumn,
                                                               QHeaderView::ResizeToContents);
    connect(m_registriesView->selectionModel(),
            &QItemSelectionModel::selectionChanged,
            this,
            &SettingsDialog::updateRegistryButtons);
    m_newRegistry->setObjectName(QStringLiteral("newRegistry"));
    m_newRegistry->setAccessibleName(tr("Registry to add"));
    m_newRegistry->setPlaceholderText(tr("registry.example.com or localhost:5000"));
    m_newRegistryPlainHttp->setObjectName(QStringLiteral("newRegistryPlainHttp"));
    m_newRegistryPlainHttp->setToolTip(
        tr("Only for registries on your own machine or network: traffic is not encrypted."));
    m_addRegistry->setObjectName(QStringLiteral("addRegistry"));
    m_addRegistry->setAccessibleName(tr("Add registry"));
    m_removeRegistry->setObjectName(QStringLiteral("removeRegistry"));
    m_removeRegistry->setAccessibleName(tr("Remove the selected registry"));
    m_registryMessage->setObjectName(QStringLiteral("registryMessage"));
    connect(m_addRegistry, &QPushButton::clicked, this, &SettingsDialog::addRegistry);
    connect(m_newRegistry, &QLineEdit::returnPressed, this, &SettingsDialog::addRegistry);
    connect(m_removeRegistry, &QPushButton::clicked, this, &SettingsDialog::removeSelectedRegistry);
    connect(m_newRegistry, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_registryMessage->clear();
        m_addRegistry->setEnabled(!text.trimmed().isEmpty());
        // Local registries rarely have a certificate: offer plain HTTP for them.
        const auto host = RegistriesModel::validateHost(text);
        if (host && RegistriesModel::isLoopback(*host))
            m_newRegistryPlainHttp->setChecked(true);
    });
    m_addRegistry->setEnabled(false);

    auto *registriesBox = new QGroupBox(tr("Registries"), this);
    auto *registriesLayout = new QVBoxLayout(registriesBox);
    registriesLayout->addWidget(m_registriesView);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_newRegistry, 1);
    addRow->addWidget(m_newRegistryPlainHttp);
    addRow->addWidget(m_addRegistry);
    addRow->addWidget(m_removeRegistry);
    registriesLayout->addLayout(addRow);
    registriesLayout->addWidget(m_registryMessage);
    m_checkForUpdates->setObjectName(QStringLiteral("checkForUpdates"));
    m_checkForUpdates->setToolTip(
        tr("At most once an hour, ask each image's registry whether its tag points at a newer "
           "image. Only HEAD requests are sent, which Docker Hub does not count as pulls."));
    registriesLayout->addWidget(m_checkForUpdates);
    return registriesBox;
}

QGroupBox *SettingsDialog::buildHubBox()
{
    m_hubUrl->setObjectName(QStringLiteral("hubUrl"));
    m_hubUrl->setAccessibleName(tr("Docker Hub address"));
    m_hubUrl->setPlaceholderText(AppSettings::defaultHubUrl().toString());
    m_hubUrl->setClearButtonEnabled(true);
    m_sharedComputer->setObjectName(QStringLiteral("sharedComputer"));
    m_sharedComputer->setToolTip(tr("Logins stay in memory and are forgotten when Berth quits; "
                                    "nothing is written to the keychain."));
    auto *hubBox = new QGroupBox(tr("Docker Hub and logins"), this);
    auto *hubForm = new QFormLayout(hubBox);
    auto *hubLabel = new QLabel(tr("Docker &Hub address:"), hubBox);
    hubLabel->setBuddy(m_hubUrl);
    hubForm->addRow(hubLabel, m_hubUrl);
    hubForm->addRow(QString(), m_sharedComputer);
    return hubBox;
}

QGroupBox *SettingsDialog::buildAppearanceBox()
{
    m_appearance->setObjectName(QStringLiteral("appearance"));
    m_appearance->setAccessibleName(tr("Appearance"));
    for (Appearance appearance : {Appearance::System, Appearance::Light, Appearance::Dark})
        m_appearance->addItem(AppSettings::appearanceDisplayName(appearance), int(appearance));
    m_appearance->setToolTip(tr("System follows your desktop's style and colours; Light and Dark "
                                "use Berth's own, whatever the desktop."));
    auto *look = new QGroupBox(tr("Appearance"), this);
    auto *lookForm = new QFormLayout(look);
    auto *appearanceLabel = new QLabel(tr("&Theme:"), look);
    appearanceLabel->setBuddy(m_appearance);
    lookForm->addRow(appearanceLabel, m_appearance);
    return look;
}

void SettingsDialog::setFileChooser(FileChooser chooser)
{
    m_chooseFile = chooser ? std::move(chooser) : FileChooser(chooseWithFileDialog);
}

void SettingsDialog::load(const AppSettings &settings)
{
    m_appearance->setCurrentIndex(m_appearance->findData(int(settings.appearance)));
    m_backend->setCurrentIndex(m_backend->findData(int(settings.backend)));
    m_hubUrl->setText(settings.hubUrl.isEmpty() ? QString() : settings.hubUrl.toString());
    m_storePath->setText(settings.storePath);
    m_sharedComputer->setChecked(settings.sharedComputer);
    m_checkForUpdates->setChecked(settings.checkForUpdates);
}

AppSettings SettingsDialog::settings() const
{
    AppSettings s;
    s.backend = BackendChoice(m_backend->currentData().toInt());
    const QString hub = m_hubUrl->text().trimmed();
    s.hubUrl = hub.isEmpty() ? QUrl() : QUrl(hub);
    s.storePath = m_storePath->text().trimmed();
    s.sharedComputer = m_sharedComputer->isChecked();
    s.checkForUpdates = m_checkForUpdates->isChecked();
    s.appearance = Appearance(m_appearance->currentData().toInt());
    return s;
}

void SettingsDialog::setEngineRouteNote(const QString &note)
{
    m_network->setEngineRouteNote(note);
}

void SettingsDialog::updateRegistryButtons()
{
    const QModelIndexList rows = m_registriesView->selectionModel()->selectedRows();
    m_removeRegistry->setEnabled(rows.size() == 1
                                 && rows.first().data(RegistriesModel::RemovableRole).toBool());
}

void SettingsDialog::addRegistry()
{
    if (!m_registries)
        return;
    const Status added
        = m_registries->addRegistry(m_newRegistry->text(), m_newRegistryPlainHttp->isChecked());
    if (!added) {
        m_registryMessage->showError(added.error().message);
        return;
    }
    m_newRegistry->clear();
    m_newRegistryPlainHttp->setChecked(false);
}

void SettingsDialog::removeSelectedRegistry()
{
    const QModelIndexList rows = m_registriesView->selectionModel()->selectedRows();
    if (rows.size() == 1 && m_registries)
        m_registries->removeRegistry(rows.first().row());
}

void SettingsDialog::accept()
{
    AppSettings s = settings();
    if (!s.hubUrl.isEmpty()
        && (!s.hubUrl.isValid() || (s.hubUrl.scheme() != u"http" && s.hubUrl.scheme() != u"https")
            || s.hubUrl.host().isEmpty())) {
        showProblem(m_hubUrl,
                    tr("The Docker Hub address must be an http or https URL, such as %1.")
                        .arg(AppSettings::defaultHubUrl().toString()));
        return;
    }
    if (const QString problem = m_network->problem(); !problem.isEmpty()) {
        showProblem(m_network, problem);
        m_network->focusProblem();
        return;
    }
    if (s.hubUrl == AppSettings::defaultHubUrl())
        s.hubUrl = QUrl();
    const std::optional<QString> password = m_network->newPassword();
    const ProxySettings proxy = m_network->settings();
    if (!password || proxy.mode != ProxyMode::Manual)
        return finishAccept(s);
    // The keychain answers later: the dialog stays until it has, so that a refusal (a locked
    // keychain) is shown here and nothing typed is lost.
    setEnabled(false);
    writeProxyPassword(
        proxy, *password, guarded(this, [this, s](Status written) {
            setEnabled(true);
            if (!written) {
                showProblem(
                    m_network,
                    tr("The proxy's password could not be saved: %1").arg(written.error().message));
                return;
            }
            finishAccept(s);
        }));
}

void SettingsDialog::showProblem(QWidget *where, const QString &message)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->widget(i)->isAncestorOf(where) || m_tabs->widget(i) == where)
            m_tabs->setCurrentIndex(i);
    }
    m_error->showError(message);
    where->setFocus();
}

void SettingsDialog::finishAccept(const AppSettings &s)
{
    s.save();
    QSettings stored;
    m_network->settings().save(stored);
    if (m_credentials && m_credentials->sharedComputerMode() != s.sharedComputer)
        m_credentials->setSharedComputerMode(s.sharedComputer);
    const bool backendChanged = s.backend != m_before.backend || s.storePath != m_before.storePath;
    m_before = s;
    m_registriesBefore = m_registries ? m_registries->registries() : m_registriesBefore;
    emit settingsApplied(s, backendChanged);
    QDialog::accept();
}

void SettingsDialog::loadNetwork()
{
    QSettings stored;
    const ProxySettings proxy = ProxySettings::load(stored);
    m_network->load(proxy, false);
    if (proxy.mode != ProxyMode::Manual || proxy.user.isEmpty() || !proxy.isComplete())
        return;
    // Only whether a password is stored matters here: the field never shows it.
    readProxyPassword(proxy, guarded(this, [this, proxy](Result<QString> password) {
                          if (password && !password->isEmpty())
                              m_network->setPasswordStored(true);
                      }));
}

void SettingsDialog::reject()
{
    if (m_registries)
        m_registries->setRegistries(m_registriesBefore);
    QDialog::reject();
}

} // namespace Berth
