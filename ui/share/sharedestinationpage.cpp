#include "share/sharedestinationpage.h"

#include "inlinemessage.h"
#include "registriesmodel.h"
#include "share/destinationdefaults.h"
#include "share/sharewording.h"

#include "common/guarded.h"
#include "credentials/credentialstore.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QVBoxLayout>

namespace Berth {

ShareDestinationPage::ShareDestinationPage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_registry(new QComboBox(this))
    , m_namespace(new QLineEdit(this))
    , m_repository(new QLineEdit(this))
    , m_tag(new QLineEdit(this))
    , m_reference(new QLabel(this))
    , m_error(new InlineMessage(this))
{
    setObjectName(QStringLiteral("destinationPage"));
    setTitle(tr("Destination"));
    setSubTitle(tr("Where the image goes: the registry, and the name it will have there."));

    m_registry->setObjectName(QStringLiteral("registry"));
    m_registry->setAccessibleName(tr("Registry"));
    m_registry->setEditable(true);
    m_registry->setInsertPolicy(QComboBox::NoInsert);
    m_registry->setToolTip(tr("Docker Hub, one of your registries, or a registry's address such "
                              "as ghcr.io or localhost:5000."));
    m_namespace->setObjectName(QStringLiteral("namespace"));
    m_namespace->setAccessibleName(tr("Namespace"));
    m_namespace->setPlaceholderText(tr("your user name or organisation"));
    m_repository->setObjectName(QStringLiteral("repository"));
    m_repository->setAccessibleName(tr("Repository"));
    m_repository->setPlaceholderText(tr("mon-app"));
    m_tag->setObjectName(QStringLiteral("tag"));
    m_tag->setAccessibleName(tr("Tag"));
    m_tag->setPlaceholderText(QStringLiteral("latest"));
    m_reference->setObjectName(QStringLiteral("reference"));
    m_reference->setAccessibleName(tr("Name in the registry"));
    m_reference->setTextFormat(Qt::PlainText);
    m_reference->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reference->setWordWrap(true);
    QFont font = m_reference->font();
    font.setBold(true);
    m_reference->setFont(font);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setCloseButtonVisible(false);

    auto *form = new QFormLayout;
    const auto row = [&](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    row(tr("&Registry:"), m_registry);
    row(tr("&Namespace:"), m_namespace);
    row(tr("Re&pository:"), m_repository);
    row(tr("&Tag:"), m_tag);
    form->addRow(tr("Will be pushed as:"), m_reference);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch();

    connect(m_registry, &QComboBox::currentTextChanged, this, &ShareDestinationPage::validate);
    for (QLineEdit *edit : {m_namespace, m_repository, m_tag})
        connect(edit, &QLineEdit::textChanged, this, &ShareDestinationPage::validate);
    connect(m_namespace, &QLineEdit::textEdited, this, [this] { m_namespaceEdited = true; });
    if (RegistriesModel *registries = wizard->services().registries)
        connect(registries,
                &RegistriesModel::registriesChanged,
                this,
                &ShareDestinationPage::fillRegistries);
    if (CredentialStore *credentials = wizard->services().credentials)
        connect(credentials,
                &CredentialStore::accountsChanged,
                this,
                &ShareDestinationPage::fillRegistries);
    fillRegistries();
}

void ShareDestinationPage::fillRegistries()
{
    QStringList added;
    if (RegistriesModel *registries = m_wizard->services().registries) {
        for (const RegistriesModel::Registry &r : registries->registries())
            added.append(r.host);
    }
    CredentialStore *credentials = m_wizard->services().credentials;
    const QStringList withLogins = credentials ? credentials->knownRegistries() : QStringList();
    const QString current = m_registry->currentText();
    const QSignalBlocker blocker(m_registry);
    m_registry->clear();
    for (const QString &host : destinationRegistries(added, withLogins))
        m_registry->addItem(registryDisplayName(host), host);
    if (!current.isEmpty())
        m_registry->setCurrentText(current);
    else
        m_registry->setCurrentIndex(0);
    validate();
}

void ShareDestinationPage::setRegistry(const QString &host)
{
    const int index = m_registry->findData(host);
    if (index >= 0)
        m_registry->setCurrentIndex(index);
    else
        m_registry->setEditText(host);
}

QString ShareDestinationPage::registry() const
{
    const QString text = m_registry->currentText().trimmed();
    const int index = m_registry->findText(text);
    if (index >= 0)
        return m_registry->itemData(index).toString();
    const auto host = RegistriesModel::validateHost(text);
    return host ? *host : QString();
}

void ShareDestinationPage::initializePage()
{
    prefill();
    validate();
}

void ShareDestinationPage::prefill()
{
    const QStringList images = m_wizard->selectedImages();
    if (images == m_prefilledFor)
        return;
    m_prefilledFor = images;
    m_namespaceEdited = false;
    const bool single = images.size() == 1;
    m_repository->setEnabled(single);
    m_tag->setEnabled(single);
    m_repository->setPlaceholderText(single ? tr("mon-app") : tr("each image's own name"));
    m_tag->setPlaceholderText(single ? QStringLiteral("latest") : tr("each image's own tag"));
    const DestinationDefaults defaults = destinationDefaults(images);
    setRegistry(defaults.registry);
    m_namespace->setText(defaults.ns);
    m_repository->setText(defaults.repository);
    m_tag->setText(defaults.tag);
    if (defaults.registry == ImageReference::dockerHubDomain() && defaults.ns.isEmpty())
        fillHubUser();
}

void ShareDestinationPage::fillHubUser()
{
    // On Docker Hub the namespace is usually the user's own Docker ID.
    CredentialStore *credentials = m_wizard->services().credentials;
    if (!credentials)
        return;
    credentials->find(ImageReference::dockerHubDomain(),
                      guarded(this, [this](Result<std::optional<CredentialStore::Found>> r) {
                          if (r && *r && !m_namespaceEdited && m_namespace->text().isEmpty())
                              m_namespace->setText((*r)->credential.username);
                      }));
}

Result<QList<ShareWizard::PushTarget>> ShareDestinationPage::computeTargets() const
{
    const QString text = m_registry->currentText().trimmed();
    QString host;
    if (const int index = m_registry->findText(text); index >= 0) {
        host = m_registry->itemData(index).toString();
    } else {
        const auto valid = RegistriesModel::validateHost(text);
        if (!valid)
            return fail(valid.error());
        host = *valid;
    }
    const bool hub = host == ImageReference::dockerHubDomain();
    const QString ns = m_namespace->text().trimmed();
    const QStringList images = m_wizard->selectedImages();
    if (images.isEmpty())
        return fail(Error::Kind::InvalidArgument, tr("Choose an image on the first page."));
    if (hub && ns.isEmpty())
        return fail(Error::Kind::InvalidArgument,
                    tr("Docker Hub needs a namespace: your Docker ID or an organisation's name, "
                       "as in jean/mon-app."));

    QList<ShareWizard::PushTarget> targets;
    const bool single = images.size() == 1;
    for (const QString &image : images) {
        QString repository;
        QString tag;
        if (single) {
            repository = m_repository->text().trimmed();
            tag = m_tag->text().trimmed();
        } else {
            const auto source = ImageReference::parse(image);
            if (!source || image.startsWith(u"sha256:"))
                return fail(Error::Kind::InvalidArgument,
                            tr("%1 has no name to push under: share it on its own to give it "
                               "one.")
                                .arg(image));
            repository = source->path().section(u'/', -1);
            tag = source->tag();
        }
        if (repository.isEmpty())
            return fail(Error::Kind::InvalidArgument,
                        tr("Enter the repository's name, such as mon-app."));
        if (tag.isEmpty())
            tag = QStringLiteral("latest");
        if (const Status validTag = ImageReference::validateTag(tag); !validTag)
            return fail(validTag.error());
        const QString path = ns.isEmpty() ? repository : ns + u'/' + repository;
        // With its registry spelt out, a namespace with capitals is read as a path (and refused)
        // rather than as a registry's name.
        const QString composed = host + u'/' + path + u':' + tag;
        const auto parsed = ImageReference::parse(composed);
        if (!parsed)
            return fail(parsed.error());
        const QString expectedPath = hub && !path.contains(u'/') ? u"library/" + path : path;
        if (parsed->domain() != host || parsed->path() != expectedPath)
            return fail(Error::Kind::InvalidArgument,
                        tr("'%1' would be read as %2: check the namespace and repository.")
                            .arg(composed, parsed->familiarString()));
        targets.append({image, *parsed});
    }
    return targets;
}

void ShareDestinationPage::validate()
{
    const auto targets = computeTargets();
    if (!targets) {
        m_targets.clear();
        m_errorText = targets.error().message;
        m_error->showError(m_errorText);
        m_reference->setText(tr("—"));
    } else {
        m_targets = *targets;
        m_errorText.clear();
        m_error->clear();
        QStringList lines;
        for (const ShareWizard::PushTarget &t : std::as_const(m_targets))
            lines.append(m_targets.size() == 1
                             ? t.target.familiarString()
                             : tr("%1 → %2").arg(t.source, t.target.familiarString()));
        m_reference->setText(lines.join(u'\n'));
    }
    m_reference->setAccessibleDescription(m_reference->text());
    emit completeChanged();
}

bool ShareDestinationPage::isComplete() const
{
    return !m_targets.isEmpty();
}

} // namespace Berth
