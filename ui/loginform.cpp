#include "loginform.h"

#include "inlinemessage.h"

#include "common/guarded.h"
#include "credentials/credentialstore.h"
#include "reference/imagereference.h"
#include "registry/registryclient.h"

#include <QButtonGroup>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QRadioButton>
#include <QVBoxLayout>

namespace Berth {

namespace {

QString loginFormRegistryName(const QString &registry)
{
    return registry == ImageReference::dockerHubDomain() ? LoginForm::tr("Docker Hub (docker.io)")
                                                         : registry;
}

} // namespace

LoginForm::LoginForm(CredentialStore *credentials, RegistryClient *client, QWidget *parent)
    : QWidget(parent)
    , m_credentials(credentials)
    , m_client(client)
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_keychain(new QRadioButton(tr("Remember in the system &keychain"), this))
    , m_session(new QRadioButton(tr("&Shared computer: forget when Berth quits"), this))
    , m_status(new QLabel(this))
    , m_busyBar(new QProgressBar(this))
    , m_error(new InlineMessage(this))
{
    Q_ASSERT(credentials && client);
    setObjectName(QStringLiteral("loginForm"));
    m_user->setObjectName(QStringLiteral("username"));
    m_user->setAccessibleName(tr("User name"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password or access token"));
    m_password->setToolTip(tr("Where the registry offers them (Docker Hub, GitHub), an access "
                              "token is safer than your password."));
    m_keychain->setObjectName(QStringLiteral("rememberKeychain"));
    m_keychain->setAccessibleName(tr("Remember in the system keychain"));
    m_session->setObjectName(QStringLiteral("sessionOnly"));
    m_session->setAccessibleName(tr("Shared computer: forget when Berth quits"));
    m_session->setToolTip(tr("The login stays in memory only and is forgotten when Berth quits."));
    auto *remember = new QButtonGroup(this);
    remember->addButton(m_keychain);
    remember->addButton(m_session);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_busyBar->setRange(0, 0);
    m_busyBar->setTextVisible(false);
    m_busyBar->setMaximumHeight(6);
    m_busyBar->setAccessibleName(tr("Checking the login"));
    m_busyBar->hide();
    m_error->setObjectName(QStringLiteral("error"));

    const bool shared = credentials->sharedComputerMode();
    (shared ? m_session : m_keychain)->setChecked(true);
    if (shared) {
        m_keychain->setEnabled(false);
        m_keychain->setToolTip(
            tr("This computer is marked as shared in Settings: logins are not kept."));
    }

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    const auto row = [&](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    row(tr("&User name:"), m_user);
    row(tr("&Password or token:"), m_password);
    form->addRow(QString(), m_keychain);
    form->addRow(QString(), m_session);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_status);
    layout->addWidget(m_busyBar);

    for (QLineEdit *edit : {m_user, m_password}) {
        connect(edit, &QLineEdit::textChanged, this, [this] {
            m_error->clear();
            emit changed();
        });
    }
}

void LoginForm::setUsername(const QString &username)
{
    m_user->setText(username);
}

QString LoginForm::username() const
{
    return m_user->text().trimmed();
}

bool LoginForm::isComplete() const
{
    return !username().isEmpty() && !m_password->text().isEmpty();
}

void LoginForm::setBusy(bool busy, const QString &status)
{
    m_busy = busy;
    m_user->setEnabled(!busy);
    m_password->setEnabled(!busy);
    m_keychain->setEnabled(!busy && m_credentials && !m_credentials->sharedComputerMode());
    m_session->setEnabled(!busy);
    m_status->setText(status);
    m_busyBar->setVisible(busy);
    emit busyChanged(busy);
}

void LoginForm::logIn(const QString &registry)
{
    if (m_busy || !m_client || !m_credentials)
        return;
    const QString username = this->username();
    const QString secret = m_password->text();
    if (registry.isEmpty() || username.isEmpty() || secret.isEmpty())
        return;
    m_error->clear();
    setBusy(true, tr("Checking your login with %1…").arg(loginFormRegistryName(registry)));
    m_client->verifyLogin(registry,
                          Credential{username, secret, false},
                          guarded(this, [this, registry, username, secret](Status ok) {
                              if (!ok) {
                                  setBusy(false);
                                  // Core's words name the registry and what to check (password or
                                  // token).
                                  m_error->showError(ok.error().message);
                                  m_password->setFocus();
                                  m_password->selectAll();
                                  return;
                              }
                              store(registry, username, secret);
                          }));
}

void LoginForm::store(const QString &registry, const QString &username, const QString &secret)
{
    setBusy(true, tr("Saving your login…"));
    CredentialStore::StoreOptions options;
    options.remember = m_session->isChecked() ? CredentialStore::Remember::SessionOnly
                                              : CredentialStore::Remember::Keychain;
    m_credentials->storeLogin(
        registry,
        Credential{username, secret, false},
        options,
        guarded(this, [this, registry, username](Status stored) {
            setBusy(false);
            if (!stored) {
                const Error &e = stored.error();
                m_error->showError(
                    e.kind == Error::Kind::Keychain
                        ? tr("%1\nThe login was not kept. Choose \"Shared computer\" to use it "
                             "for this session only.")
                              .arg(e.message)
                        : e.message);
                return;
            }
            m_password->clear();
            emit loggedIn(registry, username);
        }));
}

} // namespace Berth
