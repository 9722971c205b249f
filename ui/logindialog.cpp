#include "logindialog.h"

#include "inlinemessage.h"

#include "credentials/credentialstore.h"
#include "reference/imagereference.h"
#include "registry/registryclient.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace Berth {

namespace {

QString registryDisplayName(const QString &registry)
{
    return registry == ImageReference::dockerHubDomain() ? LoginDialog::tr("Docker Hub (docker.io)")
                                                         : registry;
}

} // namespace

LoginDialog::LoginDialog(CredentialStore *credentials, RegistryClient *client, QWidget *parent)
    : QDialog(parent)
    , m_credentials(credentials)
    , m_client(client)
    , m_registry(new QComboBox(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_keychain(new QRadioButton(tr("Remember in the system &keychain"), this))
    , m_session(new QRadioButton(tr("&Shared computer: forget when Berth quits"), this))
    , m_status(new QLabel(this))
    , m_busyBar(new QProgressBar(this))
    , m_error(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    Q_ASSERT(credentials && client);
    setWindowTitle(tr("Log In to a Registry"));
    setObjectName(QStringLiteral("LoginDialog"));

    m_registry->setObjectName(QStringLiteral("registry"));
    m_registry->setEditable(true);
    m_registry->setInsertPolicy(QComboBox::NoInsert);
    m_registry->setAccessibleName(tr("Registry"));
    m_registry->setToolTip(tr("Docker Hub, or a registry's address: ghcr.io, localhost:5000…"));
    m_user->setObjectName(QStringLiteral("username"));
    m_user->setAccessibleName(tr("User name"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password or access token"));
    m_password->setToolTip(tr("Where the registry offers them (Docker Hub, GitHub), an access "
                              "token is safer than your password."));
    m_keychain->setObjectName(QStringLiteral("rememberKeychain"));
    m_session->setObjectName(QStringLiteral("sessionOnly"));
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
    const auto row = [&](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    row(tr("&Registry:"), m_registry);
    row(tr("&User name:"), m_user);
    row(tr("&Password or token:"), m_password);
    form->addRow(QString(), m_keychain);
    form->addRow(QString(), m_session);

    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("&Log In"));
    ok->setObjectName(QStringLiteral("login"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &LoginDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_status);
    layout->addWidget(m_busyBar);
    layout->addStretch();
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_user, m_password})
        connect(edit, &QLineEdit::textChanged, this, &LoginDialog::updateState);
    connect(m_registry, &QComboBox::currentTextChanged, this, &LoginDialog::updateState);
    setRegistries({});
    updateState();
    resize(460, sizeHint().height());
}

void LoginDialog::setRegistries(const QStringList &registries)
{
    const QString current = m_registry->currentText();
    m_registry->clear();
    QStringList all{ImageReference::dockerHubDomain()};
    for (const QString &r : registries) {
        const QString normalized = ImageReference::normalizeRegistry(r);
        if (!normalized.isEmpty() && !all.contains(normalized))
            all.append(normalized);
    }
    for (const QString &r : std::as_const(all))
        m_registry->addItem(registryDisplayName(r), r);
    if (!registries.isEmpty())
        setRegistry(registries.first());
    else if (!current.isEmpty())
        m_registry->setCurrentText(current);
}

void LoginDialog::setRegistry(const QString &registry)
{
    const QString normalized = ImageReference::normalizeRegistry(registry);
    const int index = m_registry->findData(normalized);
    if (index >= 0)
        m_registry->setCurrentIndex(index);
    else
        m_registry->setCurrentText(normalized);
}

void LoginDialog::setUsername(const QString &username)
{
    m_user->setText(username);
}

QString LoginDialog::registry() const
{
    // A listed entry shows a friendly name; anything typed is an address.
    const QString text = m_registry->currentText().trimmed();
    const int index = m_registry->findText(text);
    if (index >= 0)
        return m_registry->itemData(index).toString();
    return ImageReference::normalizeRegistry(text);
}

void LoginDialog::updateState()
{
    m_error->clear();
    const bool complete = !registry().isEmpty() && !m_user->text().trimmed().isEmpty()
                          && !m_password->text().isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(complete && !m_busy);
}

void LoginDialog::setBusy(bool busy, const QString &status)
{
    m_busy = busy;
    for (QWidget *w : {static_cast<QWidget *>(m_registry),
                       static_cast<QWidget *>(m_user),
                       static_cast<QWidget *>(m_password)})
        w->setEnabled(!busy);
    m_keychain->setEnabled(!busy && m_credentials && !m_credentials->sharedComputerMode());
    m_session->setEnabled(!busy);
    m_status->setText(status);
    m_busyBar->setVisible(busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
}

void LoginDialog::accept()
{
    if (m_busy || !m_client || !m_credentials)
        return;
    const QString registry = this->registry();
    const QString username = m_user->text().trimmed();
    const QString secret = m_password->text();
    if (registry.isEmpty() || username.isEmpty() || secret.isEmpty())
        return;
    m_error->clear();
    setBusy(true, tr("Checking your login with %1…").arg(registryDisplayName(registry)));
    QPointer<LoginDialog> self(this);
    m_client->verifyLogin(registry,
                          Credential{username, secret, false},
                          [self, registry, username, secret](Status verified) {
                              if (!self)
                                  return;
                              if (!verified) {
                                  self->setBusy(false);
                                  // Core's words name the registry and what to check (password or
                                  // token).
                                  self->m_error->showError(verified.error().message);
                                  self->m_password->setFocus();
                                  self->m_password->selectAll();
                                  return;
                              }
                              self->store(registry, username, secret);
                          });
}

void LoginDialog::store(const QString &registry, const QString &username, const QString &secret)
{
    setBusy(true, tr("Saving your login…"));
    CredentialStore::StoreOptions options;
    options.remember = m_session->isChecked() ? CredentialStore::Remember::SessionOnly
                                              : CredentialStore::Remember::Keychain;
    QPointer<LoginDialog> self(this);
    m_credentials->storeLogin(
        registry,
        Credential{username, secret, false},
        options,
        [self, registry, username](Status stored) {
            if (!self)
                return;
            self->setBusy(false);
            if (!stored) {
                const Error &e = stored.error();
                self->m_error->showError(
                    e.kind == Error::Kind::Keychain
                        ? tr("%1\nThe login was not kept. Choose \"Shared computer\" to use it "
                             "for this session only.")
                              .arg(e.message)
                        : e.message);
                return;
            }
            emit self->loggedIn(registry, username);
            self->m_password->clear();
            self->QDialog::accept();
        });
}

} // namespace Berth
