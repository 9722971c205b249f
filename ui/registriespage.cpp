#include "registriespage.h"

#include "inlinemessage.h"
#include "logindialog.h"
#include "registriesmodel.h"

#include "common/guarded.h"
#include "credentials/credentialstore.h"
#include "reference/imagereference.h"
#include "registry/registryclient.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStringListModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace Berth {

namespace {

QString displayName(const QString &registry)
{
    return registry == ImageReference::dockerHubDomain() ? RegistriesPage::tr("Docker Hub")
                                                         : registry;
}

QString sourceName(const CredentialStore::Found &found)
{
    switch (found.source) {
    case CredentialStore::Source::Session:
        return RegistriesPage::tr("for this session only");
    case CredentialStore::Source::Keychain:
        return RegistriesPage::tr("kept in the system keychain");
    case CredentialStore::Source::DockerCredentialHelper:
        return RegistriesPage::tr("docker's login, from %1").arg(found.origin);
    case CredentialStore::Source::DockerConfig:
        return RegistriesPage::tr("docker's login, from %1").arg(found.origin);
    case CredentialStore::Source::PodmanAuthFile:
        return RegistriesPage::tr("podman's login, from %1").arg(found.origin);
    }
    return {};
}

} // namespace

RegistriesPage::RegistriesPage(RegistriesModel *registries,
                               RegistryClient *client,
                               CredentialStore *credentials,
                               QWidget *parent)
    : QWidget(parent)
    , m_registries(registries)
    , m_client(client)
    , m_credentials(credentials)
    , m_registriesView(new QTreeView(this))
    , m_newRegistry(new QLineEdit(this))
    , m_plainHttp(new QCheckBox(tr("Allow plain &HTTP"), this))
    , m_add(new QPushButton(tr("&Add"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_registryMessage(new InlineMessage(this))
    , m_title(new QLabel(this))
    , m_loginStatus(new QLabel(this))
    , m_login(new QPushButton(tr("&Log In…"), this))
    , m_logout(new QPushButton(tr("Log &Out"), this))
    , m_loginMessage(new InlineMessage(this))
    , m_openName(new QLineEdit(this))
    , m_open(new QPushButton(tr("&Open"), this))
    , m_openMessage(new InlineMessage(this))
    , m_catalogFilter(new QLineEdit(this))
    , m_refresh(new QPushButton(tr("Re&fresh"), this))
    , m_busy(new QProgressBar(this))
    , m_catalogView(new QListView(this))
    , m_catalogModel(new QStringListModel(this))
    , m_catalogProxy(new QSortFilterProxyModel(this))
    , m_catalogMessage(new InlineMessage(this))
{
    Q_ASSERT(registries && client && credentials);
    setObjectName(QStringLiteral("RegistriesPage"));

    setUpRegistryList();
    QWidget *left = buildRegistryColumn();
    setUpSelectedRegistry();
    QWidget *right = buildSelectedRegistryColumn();
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connectWidgets();
    followModel();

    m_registriesView->setCurrentIndex(registries->index(registries->rowCount() > 1 ? 1 : 0, 0));
    registryChanged();
}

void RegistriesPage::setUpRegistryList()
{
    m_registriesView->setObjectName(QStringLiteral("registries"));
    m_registriesView->setAccessibleName(tr("Registries"));
    m_registriesView->setModel(m_registries);
    m_registriesView->setRootIsDecorated(false);
    m_registriesView->setUniformRowHeights(true);
    m_registriesView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_registriesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_registriesView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // The name takes the room; "allow plain HTTP" is a box the user may still tick or untick.
    m_registriesView->header()->setStretchLastSection(false);
    m_registriesView->header()->setSectionResizeMode(RegistriesModel::NameColumn,
                                                     QHeaderView::Stretch);
    m_registriesView->header()->setSectionResizeMode(RegistriesModel::PlainHttpColumn,
                                                     QHeaderView::ResizeToContents);
    m_newRegistry->setObjectName(QStringLiteral("newRegistry"));
    m_newRegistry->setAccessibleName(tr("Address of the registry to add"));
    m_newRegistry->setPlaceholderText(tr("registry.example.com or localhost:5000"));
    m_newRegistry->setClearButtonEnabled(true);
    m_plainHttp->setObjectName(QStringLiteral("plainHttp"));
    m_plainHttp->setAccessibleName(tr("Allow plain HTTP for the registry to add"));
    m_plainHttp->setToolTip(tr("Also accepts unverified certificates. Only for registries on your "
                               "own machine or network; localhost and 127.0.0.1 always may."));
    m_add->setObjectName(QStringLiteral("addRegistry"));
    m_add->setAccessibleName(tr("Add the registry"));
    m_remove->setObjectName(QStringLiteral("removeRegistry"));
    m_remove->setAccessibleName(tr("Remove the selected registry"));
    m_registryMessage->setObjectName(QStringLiteral("registryMessage"));
}

QWidget *RegistriesPage::buildRegistryColumn()
{
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_newRegistry, 1);
    addRow->addWidget(m_add);
    auto *leftButtons = new QHBoxLayout;
    leftButtons->addWidget(m_plainHttp);
    leftButtons->addStretch();
    leftButtons->addWidget(m_remove);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *listLabel = new QLabel(tr("Your &registries:"), left);
    listLabel->setBuddy(m_registriesView);
    leftLayout->addWidget(listLabel);
    leftLayout->addWidget(m_registriesView, 1);
    leftLayout->addLayout(addRow);
    leftLayout->addLayout(leftButtons);
    leftLayout->addWidget(m_registryMessage);
    return left;
}

void RegistriesPage::setUpSelectedRegistry()
{
    m_title->setObjectName(QStringLiteral("title"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::PlainText);
    m_loginStatus->setObjectName(QStringLiteral("loginStatus"));
    m_loginStatus->setTextFormat(Qt::PlainText);
    m_loginStatus->setWordWrap(true);
    m_login->setObjectName(QStringLiteral("login"));
    m_login->setAccessibleName(tr("Log in to the selected registry"));
    m_logout->setObjectName(QStringLiteral("logout"));
    m_logout->setAccessibleName(tr("Log out of the selected registry"));
    m_loginMessage->setObjectName(QStringLiteral("loginMessage"));
    m_openName->setObjectName(QStringLiteral("openRepository"));
    m_openName->setAccessibleName(tr("Repository to open"));
    m_openName->setClearButtonEnabled(true);
    m_open->setObjectName(QStringLiteral("open"));
    m_open->setAccessibleName(tr("Open the repository"));
    m_openMessage->setObjectName(QStringLiteral("openMessage"));
    m_openMessage->setCloseButtonVisible(false);
    m_catalogFilter->setObjectName(QStringLiteral("catalogFilter"));
    m_catalogFilter->setAccessibleName(tr("Filter the repositories"));
    m_catalogFilter->setPlaceholderText(tr("Filter"));
    m_catalogFilter->setClearButtonEnabled(true);
    m_refresh->setObjectName(QStringLiteral("refresh"));
    m_refresh->setAccessibleName(tr("Load the list of repositories again"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(6);
    m_busy->setAccessibleName(tr("Loading the repositories"));
    m_busy->hide();
    m_catalogProxy->setSourceModel(m_catalogModel);
    m_catalogProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_catalogView->setObjectName(QStringLiteral("catalog"));
    m_catalogView->setAccessibleName(tr("Repositories of the registry"));
    m_catalogView->setModel(m_catalogProxy);
    m_catalogView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_catalogView->setUniformItemSizes(true);
    m_catalogMessage->setObjectName(QStringLiteral("catalogMessage"));
}

QWidget *RegistriesPage::buildSelectedRegistryColumn()
{
    auto *loginRow = new QHBoxLayout;
    loginRow->addWidget(m_loginStatus, 1);
    loginRow->addWidget(m_login);
    loginRow->addWidget(m_logout);
    auto *openRow = new QHBoxLayout;
    auto *openLabel = new QLabel(tr("Open &repository:"), this);
    openLabel->setBuddy(m_openName);
    openRow->addWidget(openLabel);
    openRow->addWidget(m_openName, 1);
    openRow->addWidget(m_open);
    auto *catalogBox = new QGroupBox(tr("Repositories"), this);
    auto *catalogTop = new QHBoxLayout;
    catalogTop->addWidget(m_catalogFilter, 1);
    catalogTop->addWidget(m_refresh);
    auto *catalogLayout = new QVBoxLayout(catalogBox);
    catalogLayout->addLayout(catalogTop);
    catalogLayout->addWidget(m_busy);
    catalogLayout->addWidget(m_catalogMessage);
    catalogLayout->addWidget(m_catalogView, 1);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_title);
    rightLayout->addLayout(loginRow);
    rightLayout->addWidget(m_loginMessage);
    rightLayout->addLayout(openRow);
    rightLayout->addWidget(m_openMessage);
    rightLayout->addWidget(catalogBox, 1);
    return right;
}

void RegistriesPage::connectWidgets()
{
    connect(m_newRegistry, &QLineEdit::returnPressed, this, &RegistriesPage::addRegistry);
    connect(m_newRegistry, &QLineEdit::textChanged, this, [this] {
        m_registryMessage->clear();
        // A loopback registry may always use plain HTTP: the box says so.
        const auto host = RegistriesModel::validateHost(m_newRegistry->text());
        if (host && RegistriesModel::isLoopback(*host))
            m_plainHttp->setChecked(true);
        updateButtons();
    });
    connect(m_add, &QPushButton::clicked, this, &RegistriesPage::addRegistry);
    connect(m_remove, &QPushButton::clicked, this, &RegistriesPage::removeSelectedRegistry);
    connect(m_registriesView->selectionModel(),
            &QItemSelectionModel::currentChanged,
            this,
            &RegistriesPage::registryChanged);
    connect(m_login, &QPushButton::clicked, this, &RegistriesPage::logIn);
    connect(m_logout, &QPushButton::clicked, this, &RegistriesPage::logOut);
    connect(m_openName, &QLineEdit::textChanged, this, &RegistriesPage::validateOpenName);
    connect(m_openName, &QLineEdit::returnPressed, this, &RegistriesPage::openTypedRepository);
    connect(m_open, &QPushButton::clicked, this, &RegistriesPage::openTypedRepository);
    connect(m_catalogFilter,
            &QLineEdit::textChanged,
            m_catalogProxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_refresh, &QPushButton::clicked, this, &RegistriesPage::refreshCatalog);
    connect(m_catalogView, &QListView::activated, this, &RegistriesPage::catalogActivated);
    connect(m_credentials.data(),
            &CredentialStore::accountsChanged,
            this,
            &RegistriesPage::updateLoginStatus);
}

void RegistriesPage::followModel()
{
    // The client follows the list: a registry marked here may use plain HTTP everywhere.
    const auto syncInsecure = [this] {
        if (m_client && m_registries)
            m_client->setInsecureRegistries(m_registries->insecureRegistries());
    };
    syncInsecure();
    RegistriesModel *registries = m_registries.data();
    connect(registries, &RegistriesModel::registriesChanged, this, syncInsecure);
    connect(registries, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_registriesView->currentIndex().isValid())
            m_registriesView->setCurrentIndex(m_registries->index(0, 0));
    });
    connect(registries, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (!m_registriesView->currentIndex().isValid())
            m_registriesView->setCurrentIndex(m_registries->index(0, 0));
    });
}

QString RegistriesPage::currentRegistry() const
{
    const QModelIndex current = m_registriesView->currentIndex();
    return current.isValid() ? current.data(RegistriesModel::HostRole).toString()
                             : ImageReference::dockerHubDomain();
}

bool RegistriesPage::selectRegistry(const QString &host)
{
    const int row = m_registries ? m_registries->find(host) : -1;
    if (row < 0)
        return false;
    m_registriesView->setCurrentIndex(m_registries->index(row, RegistriesModel::NameColumn));
    return true;
}

bool RegistriesPage::addRegistry()
{
    if (!m_registries)
        return false;
    const auto host = RegistriesModel::validateHost(m_newRegistry->text());
    if (!host) {
        m_registryMessage->showError(host.error().message);
        return false;
    }
    if (const Status added = m_registries->addRegistry(*host, m_plainHttp->isChecked()); !added) {
        m_registryMessage->showError(added.error().message);
        return false;
    }
    m_newRegistry->clear();
    m_plainHttp->setChecked(false);
    selectRegistry(*host);
    return true;
}

void RegistriesPage::removeSelectedRegistry()
{
    const QModelIndex current = m_registriesView->currentIndex();
    if (!m_registries || !current.isValid()
        || !current.data(RegistriesModel::RemovableRole).toBool())
        return;
    m_registries->removeRegistry(current.row());
    registryChanged();
}

void RegistriesPage::updateButtons()
{
    const QModelIndex current = m_registriesView->currentIndex();
    m_remove->setEnabled(current.isValid()
                         && current.data(RegistriesModel::RemovableRole).toBool());
    m_add->setEnabled(!m_newRegistry->text().trimmed().isEmpty());
    m_refresh->setEnabled(!m_loading && currentRegistry() != ImageReference::dockerHubDomain());
}

void RegistriesPage::registryChanged()
{
    const QString registry = currentRegistry();
    m_title->setText(displayName(registry));
    m_openName->setPlaceholderText(registry == ImageReference::dockerHubDomain()
                                       ? tr("library/node, bitnami/redis")
                                       : tr("team/app"));
    m_loginMessage->clear();
    validateOpenName();
    updateLoginStatus();
    refreshCatalog();
    updateButtons();
}

void RegistriesPage::updateLoginStatus()
{
    const QString registry = currentRegistry();
    m_loginStatus->setText(tr("Checking your login…"));
    m_berthLogin = false;
    m_logout->setEnabled(false);
    if (!m_credentials)
        return;
    m_credentials->find(
        registry, guarded(this, [this, registry](Result<std::optional<CredentialStore::Found>> r) {
            if (currentRegistry() != registry)
                return;
            if (!r) {
                m_loginStatus->setText(tr("Your login could not be read."));
                m_loginMessage->showError(r.error().message);
                return;
            }
            if (!*r) {
                m_loginStatus->setText(
                    tr("Not logged in to %1: only what it shows everyone is visible.")
                        .arg(displayName(registry)));
                m_login->setText(tr("&Log In…"));
                return;
            }
            const CredentialStore::Found &found = **r;
            m_loginStatus->setText(
                tr("Logged in to %1 as %2 (%3).")
                    .arg(displayName(registry), found.credential.username, sourceName(found)));
            m_login->setText(tr("&Log In as Someone Else…"));
            // Berth logs out of its own logins; docker's and podman's belong to those tools.
            m_berthLogin = found.source == CredentialStore::Source::Session
                           || found.source == CredentialStore::Source::Keychain;
            m_logout->setEnabled(m_berthLogin);
            m_logout->setToolTip(m_berthLogin
                                     ? QString()
                                     : tr("This login belongs to docker or podman: log out "
                                          "with their own logout command."));
        }));
}

LoginDialog *RegistriesPage::logIn()
{
    if (!m_credentials || !m_client)
        return nullptr;
    auto *dialog = new LoginDialog(m_credentials, m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QStringList hosts;
    for (int row = 0; m_registries && row < m_registries->rowCount(); ++row)
        hosts.append(m_registries->index(row, 0).data(RegistriesModel::HostRole).toString());
    dialog->setRegistries(hosts);
    dialog->setRegistry(currentRegistry());
    connect(dialog, &LoginDialog::loggedIn, this, [this](const QString &registry) {
        // Requests made from now on use the new login, not an answer cached before it.
        if (m_client)
            m_client->transport().forgetRegistry(registry);
        m_loginMessage->showPositive(tr("Logged in to %1.").arg(displayName(registry)));
        updateLoginStatus();
        if (registry == currentRegistry())
            refreshCatalog();
    });
    dialog->open();
    return dialog;
}

void RegistriesPage::logOut()
{
    if (!m_credentials || !m_berthLogin)
        return;
    const QString registry = currentRegistry();
    m_logout->setEnabled(false);
    m_credentials->logout(registry, false, guarded(this, [this, registry](Status done) {
                              if (m_client)
                                  m_client->transport().forgetRegistry(registry);
                              if (!done)
                                  m_loginMessage->showError(done.error().message);
                              else
                                  m_loginMessage->showInformation(
                                      tr("Logged out of %1.").arg(displayName(registry)));
                              updateLoginStatus();
                          }));
}

Result<QString> RegistriesPage::repositoryFor(const QString &text) const
{
    const QString name = text.trimmed();
    if (name.isEmpty())
        return fail(Error::Kind::InvalidArgument, tr("Enter a repository name, such as team/app."));
    const QString registry = currentRegistry();
    // A name carrying its own registry ("ghcr.io/x/y") wins over the selected one.
    if (const auto own = ImageReference::parseRepository(name);
        own
        && (own->domain() != ImageReference::dockerHubDomain()
            || name.startsWith(ImageReference::dockerHubDomain() + u'/')))
        return own->familiarRepository();
    const bool hub = registry == ImageReference::dockerHubDomain();
    const auto parsed = ImageReference::parseRepository(hub ? name : registry + u'/' + name);
    if (!parsed)
        return fail(parsed.error());
    return parsed->familiarRepository();
}

void RegistriesPage::validateOpenName()
{
    if (m_openName->text().trimmed().isEmpty()) {
        m_openMessage->clear();
        m_open->setEnabled(false);
        return;
    }
    const auto repository = repositoryFor(m_openName->text());
    if (!repository)
        m_openMessage->showError(repository.error().message);
    else
        m_openMessage->clear();
    m_open->setEnabled(bool(repository));
}

bool RegistriesPage::openTypedRepository()
{
    const auto repository = repositoryFor(m_openName->text());
    if (!repository) {
        m_openMessage->showError(repository.error().message);
        return false;
    }
    emit repositoryRequested(*repository);
    return true;
}

void RegistriesPage::catalogActivated(const QModelIndex &index)
{
    const int row = m_catalogProxy->mapToSource(index).row();
    if (row >= 0 && row < int(m_catalogNames.size()))
        emit repositoryRequested(m_catalogNames.at(row));
}

void RegistriesPage::refreshCatalog()
{
    const int generation = ++m_generation;
    const QString registry = currentRegistry();
    m_catalogMessage->clear();
    m_catalogNames.clear();
    m_catalogModel->setStringList({});
    if (registry == ImageReference::dockerHubDomain() || !m_client) {
        m_loading = false;
        m_busy->hide();
        m_catalogView->setEnabled(false);
        m_catalogFilter->setEnabled(false);
        m_catalogMessage->showInformation(
            tr("Docker Hub does not list all its repositories: search them on the Explore page, "
               "or open one by name."));
        updateButtons();
        return;
    }
    m_loading = true;
    m_busy->show();
    updateButtons();
    m_client->catalog(registry, guarded(this, [this, generation, registry](Result<QStringList> r) {
                          if (m_generation != generation)
                              return;
                          m_loading = false;
                          m_busy->hide();
                          if (!r) {
                              m_catalogView->setEnabled(false);
                              m_catalogFilter->setEnabled(false);
                              showCatalogError(registry, r.error());
                          } else {
                              QStringList names;
                              QStringList shown = *r;
                              shown.sort();
                              for (const QString &repository : std::as_const(shown))
                                  names.append(registry + u'/' + repository);
                              m_catalogNames = names;
                              m_catalogModel->setStringList(shown);
                              m_catalogView->setEnabled(true);
                              m_catalogFilter->setEnabled(true);
                              if (shown.isEmpty())
                                  m_catalogMessage->showInformation(
                                      tr("%1 holds no repository yet.").arg(registry));
                          }
                          updateButtons();
                      }));
}

void RegistriesPage::showCatalogError(const QString &registry, const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Network:
        m_catalogMessage->showError(
            tr("Cannot reach %1 — is it running? Check the address and the network, then "
               "Refresh.\n%2")
                .arg(registry, error.message));
        return;
    case Error::Kind::Tls:
        m_catalogMessage->showError(
            tr("%1\nIf this registry is on your own network with a self-signed certificate, "
               "remove it and add it again with \"Allow plain HTTP\".")
                .arg(error.message));
        return;
    case Error::Kind::Unauthorized:
        m_catalogMessage->showMessage(
            InlineMessage::Kind::Warning,
            tr("%1 lists its repositories only to users who are logged in. Log in, or open a "
               "repository by name.")
                .arg(registry));
        return;
    case Error::Kind::Denied:
    case Error::Kind::NotFound:
    case Error::Kind::Unsupported:
        m_catalogMessage->showInformation(
            tr("%1 does not list its repositories. Open one by name instead.").arg(registry));
        return;
    default:
        m_catalogMessage->showError(error.message);
        return;
    }
}

} // namespace Berth
