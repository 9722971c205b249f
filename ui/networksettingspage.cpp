#include "networksettingspage.h"

#include <QButtonGroup>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace Berth {

namespace {

// A proxy variable as the user may show it to a colleague: its login hidden. Without a scheme
// ("user:pass@proxy") the text is read as curl reads it, http.
QString withoutPassword(const QString &value)
{
    QUrl url(value.contains(u"://") ? value : u"http://" + value);
    if (url.isValid() && !url.host().isEmpty()) {
        if (url.password().isEmpty())
            return value;
        url.setPassword(QStringLiteral("••••"));
        return url.toDisplayString();
    }
    // Unreadable, yet maybe holding a login: nothing of what comes before the '@' is shown.
    const qsizetype at = value.lastIndexOf(u'@');
    return at < 0 ? value : u"••••" + value.mid(at);
}

} // namespace

NetworkSettingsPage::NetworkSettingsPage(QWidget *parent)
    : QWidget(parent)
    , m_modes(new QButtonGroup(this))
    , m_system(new QRadioButton(tr("Use the &system's proxy settings"), this))
    , m_none(new QRadioButton(tr("&No proxy: connect to every host directly"), this))
    , m_manual(new QRadioButton(tr("&Manual proxy:"), this))
    , m_environment(new QLabel(this))
    , m_engineNote(new QLabel(this))
    , m_host(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_noProxy(new QLineEdit(this))
{
    setObjectName(QStringLiteral("networkSettings"));
    buildModeButtons();
    m_manualFields = buildManualFields();

    m_engineNote->setText(
        tr("When images are stored in Docker or Podman, the engine downloads them with its own "
           "proxy settings, not these."));
    m_engineNote->setObjectName(QStringLiteral("engineProxyNote"));
    m_engineNote->setWordWrap(true);
    m_engineNote->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_system);
    layout->addWidget(m_environment);
    layout->addWidget(m_none);
    layout->addWidget(m_manual);
    layout->addWidget(m_manualFields);
    layout->addStretch(1);
    layout->addWidget(m_engineNote);
    updateEnabled();
}

void NetworkSettingsPage::buildModeButtons()
{
    m_system->setObjectName(QStringLiteral("proxySystem"));
    m_none->setObjectName(QStringLiteral("proxyNone"));
    m_manual->setObjectName(QStringLiteral("proxyManual"));
    m_modes->addButton(m_system, int(ProxyMode::System));
    m_modes->addButton(m_none, int(ProxyMode::None));
    m_modes->addButton(m_manual, int(ProxyMode::Manual));
    m_system->setChecked(true);
    connect(m_modes, &QButtonGroup::idToggled, this, &NetworkSettingsPage::updateEnabled);

    m_environment->setObjectName(QStringLiteral("proxyEnvironment"));
    m_environment->setWordWrap(true);
    m_environment->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_environment->setContentsMargins(24, 0, 0, 6);
    m_environment->setText(environmentSummary());
}

QWidget *NetworkSettingsPage::buildManualFields()
{
    m_host->setObjectName(QStringLiteral("proxyHost"));
    m_host->setAccessibleName(tr("Proxy host"));
    m_host->setPlaceholderText(tr("proxy.example.com"));
    m_port->setObjectName(QStringLiteral("proxyPort"));
    m_port->setAccessibleName(tr("Proxy port"));
    m_port->setRange(1, 65535);
    m_port->setValue(3128);
    m_user->setObjectName(QStringLiteral("proxyUser"));
    m_user->setAccessibleName(tr("Proxy user name"));
    m_user->setPlaceholderText(tr("Only if the proxy asks for a login"));
    m_password->setObjectName(QStringLiteral("proxyPassword"));
    m_password->setAccessibleName(tr("Proxy password"));
    m_password->setEchoMode(QLineEdit::Password);
    connect(m_password, &QLineEdit::textEdited, this, [this] { m_passwordEdited = true; });
    m_noProxy->setObjectName(QStringLiteral("noProxy"));
    m_noProxy->setAccessibleName(tr("Hosts reached without the proxy"));
    m_noProxy->setPlaceholderText(tr(".example.com, 10.0.0.0/8, registry.local:5000"));
    m_noProxy->setToolTip(tr("Comma-separated: host names (a leading dot or not, subdomains "
                             "included), IP addresses, CIDR ranges, host:port, or * for all. "
                             "localhost and 127.0.0.1 never use the proxy."));

    auto *fields = new QWidget(this);
    auto *form = new QFormLayout(fields);
    form->setContentsMargins(24, 0, 0, 0);
    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    auto *portLabel = new QLabel(tr("&Port:"), fields);
    portLabel->setBuddy(m_port);
    hostRow->addWidget(portLabel);
    hostRow->addWidget(m_port);
    auto addRow = [&](const QString &text, QWidget *field, QLayout *row = nullptr) {
        auto *label = new QLabel(text, fields);
        label->setBuddy(field);
        if (row)
            form->addRow(label, row);
        else
            form->addRow(label, field);
    };
    addRow(tr("&Host:"), m_host, hostRow);
    addRow(tr("&User:"), m_user);
    addRow(tr("Pass&word:"), m_password);
    addRow(tr("No proxy &for:"), m_noProxy);
    return fields;
}

QString NetworkSettingsPage::environmentSummary()
{
    const ProxyEnvironment env = ProxyEnvironment::fromProcess();
    if (env.httpProxy.isEmpty() && env.httpsProxy.isEmpty())
        return tr("No proxy is set in the environment (http_proxy, https_proxy): Berth connects "
                  "directly.");
    QStringList lines;
    if (!env.httpsProxy.isEmpty())
        lines << tr("HTTPS through %1").arg(withoutPassword(env.httpsProxy));
    if (!env.httpProxy.isEmpty())
        lines << tr("HTTP through %1").arg(withoutPassword(env.httpProxy));
    if (!env.noProxy.isEmpty())
        lines << tr("Except for %1").arg(env.noProxy);
    return lines.join(u'\n');
}

void NetworkSettingsPage::updateEnabled()
{
    m_manualFields->setEnabled(m_manual->isChecked());
}

void NetworkSettingsPage::load(const ProxySettings &settings, bool passwordStored)
{
    m_modes->button(int(settings.mode))->setChecked(true);
    m_host->setText(settings.host);
    m_port->setValue(settings.port);
    m_user->setText(settings.user);
    m_noProxy->setText(settings.noProxy);
    m_password->clear();
    m_passwordEdited = false;
    setPasswordStored(passwordStored);
    updateEnabled();
}

void NetworkSettingsPage::setEngineRouteNote(const QString &note)
{
    m_engineNote->setText(note);
    m_engineNote->setForegroundRole(QPalette::WindowText);
}

void NetworkSettingsPage::setPasswordStored(bool stored)
{
    m_password->setPlaceholderText(stored ? tr("Stored in the keychain") : QString());
}

ProxySettings NetworkSettingsPage::settings() const
{
    ProxySettings s;
    s.mode = ProxyMode(m_modes->checkedId());
    s.host = m_host->text().trimmed();
    s.port = m_port->value();
    s.user = m_user->text().trimmed();
    s.noProxy = m_noProxy->text().trimmed();
    return s;
}

std::optional<QString> NetworkSettingsPage::newPassword() const
{
    if (!m_passwordEdited)
        return std::nullopt;
    return m_password->text();
}

QString NetworkSettingsPage::problem() const
{
    if (!m_manual->isChecked())
        return {};
    const QString host = m_host->text().trimmed();
    if (host.isEmpty())
        return tr("Enter the proxy's host name, or choose another proxy setting.");
    // An IPv6 address may come without its brackets.
    const bool bareIpv6 = host.count(u':') > 1 && !host.startsWith(u'[');
    const QUrl probe(QStringLiteral("http://") + (bareIpv6 ? u'[' + host + u']' : host));
    if (!probe.isValid() || probe.host().isEmpty() || probe.port() != -1 || !probe.path().isEmpty()
        || !probe.userInfo().isEmpty())
        return tr("\"%1\" is not a host name: enter only the name or address, such as "
                  "proxy.example.com, and the port beside it.")
            .arg(host);
    return {};
}

void NetworkSettingsPage::focusProblem()
{
    m_host->setFocus();
}

} // namespace Berth
