#include "share/shareaccountpage.h"

#include "inlinemessage.h"
#include "logindialog.h"
#include "registriesmodel.h"
#include "share/sharedestinationpage.h"
#include "share/sharewording.h"

#include "credentials/credentialstore.h"

#include "registry/registryclient.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace Berth {

ShareAccountPage::ShareAccountPage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_status(new QLabel(this))
    , m_login(new QPushButton(tr("&Log In…"), this))
    , m_checkAgain(new QPushButton(tr("Check &Again"), this))
    , m_keychain(new QRadioButton(tr("Remember the login in the system &keychain"), this))
    , m_session(new QRadioButton(tr("S&hared computer: forget the login when Berth quits"), this))
    , m_message(new InlineMessage(this))
{
    setObjectName(QStringLiteral("accountPage"));
    setTitle(tr("Account"));
    setSubTitle(tr("Who pushes: most registries let only logged-in users push."));

    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setAccessibleName(tr("Login"));
    m_login->setObjectName(QStringLiteral("login"));
    m_login->setAccessibleName(tr("Log in to the registry"));
    m_checkAgain->setObjectName(QStringLiteral("checkAgain"));
    m_checkAgain->setAccessibleName(tr("Check the registry again"));
    m_checkAgain->hide();
    m_keychain->setObjectName(QStringLiteral("rememberKeychain"));
    m_keychain->setAccessibleName(tr("Remember the login in the system keychain"));
    m_session->setObjectName(QStringLiteral("sessionOnly"));
    m_session->setAccessibleName(tr("Shared computer: forget the login when Berth quits"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_keychain);
    group->addButton(m_session);
    m_message->setObjectName(QStringLiteral("message"));

    CredentialStore *credentials = wizard->services().credentials;
    const bool shared = credentials && credentials->sharedComputerMode();
    (shared ? m_session : m_keychain)->setChecked(true);
    m_keychain->setEnabled(!shared);
    if (shared)
        m_keychain->setToolTip(
            tr("This computer is marked as shared in Settings: logins are not kept."));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_login);
    buttons->addWidget(m_checkAgain);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    layout->addWidget(wrappedLabel(tr("When you log in:"), this));
    layout->addWidget(m_keychain);
    layout->addWidget(m_session);
    layout->addWidget(m_message);
    layout->addStretch();

    connect(m_login, &QPushButton::clicked, this, &ShareAccountPage::logIn);
    connect(m_checkAgain, &QPushButton::clicked, this, &ShareAccountPage::refresh);
    if (credentials)
        connect(credentials, &CredentialStore::accountsChanged, this, [this] {
            if (m_wizard->currentPage() == this)
                refresh();
        });
}

void ShareAccountPage::initializePage()
{
    m_registryName = m_wizard->destinationRegistry();
    refresh();
}

void ShareAccountPage::refresh()
{
    const int generation = ++m_generation;
    const QString registry = m_registryName;
    m_username.clear();
    m_source.clear();
    m_authRequired = false;
    m_pingFailed = false;
    m_message->clear();
    m_checkAgain->hide();
    m_status->setText(tr("Checking %1…").arg(registryDisplayName(registry)));
    CredentialStore *credentials = m_wizard->services().credentials;
    RegistryClient *client = m_wizard->services().client;
    if (!credentials || !client || registry.isEmpty())
        return;
    m_checking = 2;
    emit completeChanged();
    QPointer<ShareAccountPage> self(this);
    credentials->find(registry,
                      [self, generation](Result<std::optional<CredentialStore::Found>> r) {
                          if (!self || self->m_generation != generation)
                              return;
                          if (!r) {
                              self->m_message->showError(r.error().message);
                          } else if (*r) {
                              self->m_username = (*r)->credential.username;
                              switch ((*r)->source) {
                              case CredentialStore::Source::Session:
                                  self->m_source = tr("for this session only");
                                  break;
                              case CredentialStore::Source::Keychain:
                                  self->m_source = tr("kept in the system keychain");
                                  break;
                              default:
                                  self->m_source = tr("found in %1").arg((*r)->origin);
                                  break;
                              }
                          }
                          self->finishCheck();
                      });
    client->ping(registry, [self, generation, registry](Result<PingResult> r) {
        if (!self || self->m_generation != generation)
            return;
        if (!r) {
            self->m_pingFailed = true;
            self->m_message->showError(
                r.error().kind == Error::Kind::Network
                    ? tr("Cannot reach %1 — is it running? Check the address on the previous "
                         "page, then Check Again.\n%2")
                          .arg(registry, r.error().message)
                    : r.error().message);
            self->m_checkAgain->show();
        } else {
            self->m_authRequired = r->authRequired;
        }
        self->finishCheck();
    });
}

void ShareAccountPage::finishCheck()
{
    if (--m_checking > 0)
        return;
    m_checking = 0;
    const QString name = registryDisplayName(m_registryName);
    if (!m_username.isEmpty()) {
        m_status->setText(tr("You will push to %1 as %2 (%3).").arg(name, m_username, m_source));
        m_login->setText(tr("&Log In as Someone Else…"));
    } else if (m_pingFailed) {
        m_status->setText(tr("Not logged in to %1.").arg(name));
        m_login->setText(tr("&Log In…"));
    } else if (m_authRequired) {
        m_status->setText(tr("%1 asks for a login to push. Log in to continue.").arg(name));
        m_login->setText(tr("&Log In…"));
    } else {
        m_status->setText(tr("%1 accepts pushes without a login; you may still log in.").arg(name));
        m_login->setText(tr("&Log In…"));
    }
    m_status->setAccessibleDescription(m_status->text());
    emit completeChanged();
}

bool ShareAccountPage::isComplete() const
{
    return m_checking == 0 && !m_pingFailed && (!m_username.isEmpty() || !m_authRequired);
}

LoginDialog *ShareAccountPage::logIn()
{
    CredentialStore *credentials = m_wizard->services().credentials;
    RegistryClient *client = m_wizard->services().client;
    if (!credentials || !client)
        return nullptr;
    auto *dialog = new LoginDialog(credentials, client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QStringList registries{m_registryName};
    if (RegistriesModel *model = m_wizard->services().registries) {
        for (const RegistriesModel::Registry &r : model->registries())
            registries.append(r.host);
    }
    dialog->setRegistries(registries);
    dialog->setRegistry(m_registryName);
    if (!m_username.isEmpty())
        dialog->setUsername(m_username);
    else if (m_registryName == ImageReference::dockerHubDomain())
        dialog->setUsername(m_wizard->destinationPage()->namespaceEdit()->text().trimmed());
    if (m_session->isChecked())
        dialog->sessionButton()->setChecked(true);
    else if (dialog->keychainButton()->isEnabled())
        dialog->keychainButton()->setChecked(true);
    connect(dialog, &LoginDialog::loggedIn, this, [this](const QString &registry) {
        // The next requests use this login, not one the client cached before it.
        if (RegistryClient *c = m_wizard->services().client)
            c->transport().forgetRegistry(registry);
        if (registry == m_registryName)
            refresh();
    });
    dialog->open();
    return dialog;
}

} // namespace Berth
