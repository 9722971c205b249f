#include "share/shareaccountpage.h"

#include "inlinemessage.h"
#include "loginform.h"
#include "share/sharedestinationpage.h"
#include "share/sharewording.h"

#include "common/guarded.h"
#include "credentials/credentialstore.h"
#include "reference/imagereference.h"
#include "registry/registryclient.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace Berth {

ShareAccountPage::ShareAccountPage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_status(new QLabel(this))
    , m_checkAgain(new QPushButton(
          QIcon::fromTheme(QStringLiteral("view-refresh")), tr("Check &Again"), this))
    , m_someoneElse(new QPushButton(
          QIcon::fromTheme(QStringLiteral("system-users")), tr("Log In as &Someone Else…"), this))
    , m_form(new LoginForm(wizard->services().credentials, wizard->services().client, this))
    , m_login(
          new QPushButton(QIcon::fromTheme(QStringLiteral("dialog-password")), tr("&Log In"), this))
    , m_message(new InlineMessage(this))
{
    setObjectName(QStringLiteral("accountPage"));
    setTitle(tr("Account"));
    setSubTitle(tr("Who pushes: most registries let only logged-in users push."));

    m_status->setObjectName(QStringLiteral("accountStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setAccessibleName(tr("Login"));
    m_checkAgain->setObjectName(QStringLiteral("checkAgain"));
    m_checkAgain->setAccessibleName(tr("Check the registry again"));
    m_someoneElse->setObjectName(QStringLiteral("someoneElse"));
    m_someoneElse->setAccessibleName(tr("Log in as someone else"));
    m_login->setObjectName(QStringLiteral("login"));
    m_login->setAccessibleName(tr("Log in to the registry"));
    m_message->setObjectName(QStringLiteral("message"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_checkAgain);
    buttons->addWidget(m_someoneElse);
    buttons->addStretch();
    auto *loginRow = new QHBoxLayout;
    loginRow->addStretch();
    loginRow->addWidget(m_login);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    layout->addWidget(m_form);
    layout->addLayout(loginRow);
    layout->addStretch();
    showForm(false);
    m_checkAgain->hide();
    m_someoneElse->hide();

    connect(m_checkAgain, &QPushButton::clicked, this, &ShareAccountPage::refresh);
    connect(m_someoneElse, &QPushButton::clicked, this, [this] {
        m_someoneElse->hide();
        showForm(true);
        m_form->userEdit()->setFocus();
    });
    connect(m_login, &QPushButton::clicked, this, &ShareAccountPage::logIn);
    connect(m_form->passwordEdit(), &QLineEdit::returnPressed, this, &ShareAccountPage::logIn);
    connect(m_form, &LoginForm::changed, this, &ShareAccountPage::updateLoginButton);
    connect(m_form, &LoginForm::busyChanged, this, &ShareAccountPage::updateLoginButton);
    connect(m_form, &LoginForm::loggedIn, this, &ShareAccountPage::loggedIn);
    if (CredentialStore *credentials = wizard->services().credentials)
        connect(credentials, &CredentialStore::accountsChanged, this, [this] {
            if (m_wizard->currentPage() == this && !m_form->isBusy())
                refresh();
        });
}

void ShareAccountPage::showForm(bool shown)
{
    m_form->setVisible(shown);
    m_login->setVisible(shown);
    updateLoginButton();
}

void ShareAccountPage::updateLoginButton()
{
    m_login->setEnabled(m_form->isComplete() && !m_form->isBusy() && !m_registryName.isEmpty());
    emit completeChanged();
}

void ShareAccountPage::initializePage()
{
    m_registryName = m_wizard->destinationRegistry();
    m_someoneElse->hide();
    showForm(false);
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
    m_someoneElse->hide();
    m_status->setText(tr("Checking %1…").arg(registryDisplayName(registry)));
    CredentialStore *credentials = m_wizard->services().credentials;
    RegistryClient *client = m_wizard->services().client;
    if (!credentials || !client || registry.isEmpty())
        return;
    m_checking = 2;
    emit completeChanged();
    credentials->find(
        registry,
        guarded(this, [this, generation](Result<std::optional<CredentialStore::Found>> r) {
            if (m_generation != generation)
                return;
            if (!r) {
                m_message->showError(r.error().message);
            } else if (*r) {
                m_username = (*r)->credential.username;
                switch ((*r)->source) {
                case CredentialStore::Source::Session:
                    m_source = tr("for this session only");
                    break;
                case CredentialStore::Source::Keychain:
                    m_source = tr("kept in the system keychain");
                    break;
                default:
                    m_source = tr("found in %1").arg((*r)->origin);
                    break;
                }
            }
            finishCheck();
        }));
    client->ping(
        registry, guarded(this, [this, generation, registry](Result<PingResult> r) {
            if (m_generation != generation)
                return;
            if (!r) {
                m_pingFailed = true;
                m_message->showError(
                    r.error().kind == Error::Kind::Network
                        ? tr("Cannot reach %1 — is it running? Check the address on the previous "
                             "page, then Check Again.\n%2")
                              .arg(registry, r.error().message)
                        : r.error().message);
                m_checkAgain->show();
            } else {
                m_authRequired = r->authRequired;
            }
            finishCheck();
        }));
}

void ShareAccountPage::finishCheck()
{
    if (--m_checking > 0)
        return;
    m_checking = 0;
    const QString name = registryDisplayName(m_registryName);
    const bool loggedIn = !m_username.isEmpty();
    if (loggedIn)
        m_status->setText(tr("You will push to %1 as %2 (%3).").arg(name, m_username, m_source));
    else if (m_pingFailed)
        m_status->setText(tr("Not logged in to %1.").arg(name));
    else if (m_authRequired)
        m_status->setText(tr("%1 asks for a login to push. Log in to continue.").arg(name));
    else
        m_status->setText(tr("%1 accepts pushes without a login; you may still log in.").arg(name));
    m_status->setAccessibleDescription(m_status->text());
    m_someoneElse->setVisible(loggedIn && m_form->isHidden());
    if (!loggedIn && !m_pingFailed)
        showForm(true);
    if (m_form->username().isEmpty() && m_registryName == ImageReference::dockerHubDomain())
        m_form->setUsername(m_wizard->destinationPage()->namespaceEdit()->text().trimmed());
    emit completeChanged();
}

bool ShareAccountPage::isComplete() const
{
    return m_checking == 0 && !m_pingFailed && !m_form->isBusy()
           && (!m_username.isEmpty() || !m_authRequired);
}

void ShareAccountPage::logIn()
{
    if (!m_form->isHidden() && m_login->isEnabled())
        m_form->logIn(m_registryName);
}

void ShareAccountPage::loggedIn(const QString &registry)
{
    // The next requests use this login, not one the client cached before it.
    if (RegistryClient *client = m_wizard->services().client)
        client->transport().forgetRegistry(registry);
    showForm(false);
    refresh();
}

} // namespace Berth
