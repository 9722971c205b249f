#include "logindialog.h"

#include "inlinemessage.h"

#include "reference/imagereference.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Berth {

namespace {

QString loginDialogRegistryName(const QString &registry)
{
    return registry == ImageReference::dockerHubDomain() ? LoginDialog::tr("Docker Hub (docker.io)")
                                                         : registry;
}

} // namespace

LoginDialog::LoginDialog(CredentialStore *credentials, RegistryClient *client, QWidget *parent)
    : QDialog(parent)
    , m_registry(new QComboBox(this))
    , m_form(new LoginForm(credentials, client, this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Log In to a Registry"));
    setObjectName(QStringLiteral("LoginDialog"));

    m_registry->setObjectName(QStringLiteral("registry"));
    m_registry->setEditable(true);
    m_registry->setInsertPolicy(QComboBox::NoInsert);
    m_registry->setAccessibleName(tr("Registry"));
    m_registry->setToolTip(tr("Docker Hub, or a registry's address: ghcr.io, localhost:5000…"));

    auto *form = new QFormLayout;
    auto *registryLabel = new QLabel(tr("&Registry:"), this);
    registryLabel->setBuddy(m_registry);
    form->addRow(registryLabel, m_registry);

    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("&Log In"));
    ok->setIcon(QIcon::fromTheme(QStringLiteral("dialog-password")));
    ok->setObjectName(QStringLiteral("login"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &LoginDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_form);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_form, &LoginForm::changed, this, &LoginDialog::updateState);
    connect(m_form, &LoginForm::busyChanged, this, [this](bool busy) {
        m_registry->setEnabled(!busy);
        updateState();
    });
    connect(
        m_form, &LoginForm::loggedIn, this, [this](const QString &registry, const QString &user) {
            emit loggedIn(registry, user);
            QDialog::accept();
        });
    connect(m_registry, &QComboBox::currentTextChanged, this, [this] {
        m_form->errorMessage()->clear();
        updateState();
    });
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
        m_registry->addItem(loginDialogRegistryName(r), r);
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
    m_form->setUsername(username);
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
    const bool complete = !registry().isEmpty() && m_form->isComplete();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(complete && !m_form->isBusy());
}

void LoginDialog::accept()
{
    if (!m_form->isBusy())
        m_form->logIn(registry());
}

} // namespace Berth
