#include "sharewizardpages.h"

#include "archivefiles.h"
#include "inlinemessage.h"
#include "jobprogress.h"
#include "logindialog.h"
#include "registriesmodel.h"
#include "transfermanager.h"

#include "credentials/credentialstore.h"
#include "registry/registryclient.h"
#include "store/imagebackend.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QUrl>
#include <QVBoxLayout>

namespace Berth {

namespace {

enum ImageRole { NameRole = Qt::UserRole + 1, IdRole };

QString registryDisplayName(const QString &registry)
{
    return registry == ImageReference::dockerHubDomain() ? ShareWizard::tr("Docker Hub (docker.io)")
                                                         : registry;
}

QString bold(const QString &text)
{
    return u"<b>" + text.toHtmlEscaped() + u"</b>";
}

// The name a push target already has, when the source is that very name.
bool sameName(const QString &source, const ImageReference &target)
{
    const auto parsed = ImageReference::parse(source);
    return parsed && !source.startsWith(u"sha256:") && *parsed == target;
}

QLabel *wrappedLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    return label;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Images

ShareImagesPage::ShareImagesPage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_list(new QListWidget(this))
    , m_push(new QRadioButton(tr("&Push them to a registry"), this))
    , m_save(new QRadioButton(tr("&Save them to an archive file"), this))
    , m_message(new InlineMessage(this))
{
    setObjectName(QStringLiteral("imagesPage"));
    setTitle(tr("Images to Share"));
    setSubTitle(tr("Choose the images, then how to share them."));

    m_list->setObjectName(QStringLiteral("images"));
    m_list->setAccessibleName(tr("Local images"));
    m_list->setUniformItemSizes(true);
    m_push->setObjectName(QStringLiteral("push"));
    m_push->setAccessibleName(tr("Push to a registry"));
    m_push->setToolTip(tr("Upload to Docker Hub or another registry, where others can pull them."));
    m_save->setObjectName(QStringLiteral("save"));
    m_save->setAccessibleName(tr("Save to an archive file"));
    m_save->setToolTip(tr("One .tar file holding the images, which docker load, podman load and "
                          "Berth read."));
    auto *group = new QButtonGroup(this);
    group->addButton(m_push);
    group->addButton(m_save);
    m_push->setChecked(true);
    m_message->setObjectName(QStringLiteral("message"));

    auto *listLabel = new QLabel(tr("&Images:"), this);
    listLabel->setBuddy(m_list);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(listLabel);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_message);
    layout->addWidget(m_push);
    layout->addWidget(m_save);

    connect(m_list, &QListWidget::itemChanged, this, &QWizardPage::completeChanged);
    if (TransferManager *transfers = wizard->services().transfers)
        connect(transfers, &TransferManager::backendChanged, this, &ShareImagesPage::reload);
    reload();
}

ShareWizard::Mode ShareImagesPage::mode() const
{
    return m_save->isChecked() ? ShareWizard::Mode::Save : ShareWizard::Mode::Push;
}

void ShareImagesPage::setMode(ShareWizard::Mode mode)
{
    (mode == ShareWizard::Mode::Save ? m_save : m_push)->setChecked(true);
}

QStringList ShareImagesPage::selectedImages() const
{
    QStringList images;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem *item = m_list->item(row);
        if (item->checkState() == Qt::Checked)
            images.append(item->data(NameRole).toString());
    }
    return images;
}

bool ShareImagesPage::setChecked(const QString &image, bool checked)
{
    bool found = false;
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        const QString id = item->data(IdRole).toString();
        const bool matches
            = item->data(NameRole).toString() == image || id == image
              || (image.size() >= 12 && id.mid(7).startsWith(image))
              || (image.startsWith(u"sha256:") && image.size() >= 19 && id.startsWith(image));
        if (matches) {
            item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
            found = true;
        }
    }
    return found;
}

bool ShareImagesPage::isComplete() const
{
    return m_loaded && !selectedImages().isEmpty();
}

void ShareImagesPage::reload()
{
    const QStringList wanted = m_loaded ? selectedImages() : m_wizard->initialImages();
    const int generation = ++m_generation;
    m_loaded = false;
    m_list->clear();
    m_message->clear();
    emit completeChanged();
    TransferManager *transfers = m_wizard->services().transfers;
    ImageBackend *backend = transfers ? transfers->backend() : nullptr;
    if (!backend) {
        m_message->showError(tr("No image store is open: choose Docker, Podman or the embedded "
                                "store in Settings."));
        return;
    }
    m_message->showInformation(tr("Listing the images…"));
    QPointer<ShareImagesPage> self(this);
    backend->listImages([self, generation, wanted](Result<QList<LocalImage>> r) {
        if (!self || self->m_generation != generation)
            return;
        self->m_message->clear();
        if (!r) {
            self->m_message->showError(r.error().message);
            return;
        }
        QList<LocalImage> images = *r;
        std::sort(images.begin(), images.end(), [](const LocalImage &a, const LocalImage &b) {
            return a.repoTags.value(0) < b.repoTags.value(0);
        });
        const QSignalBlocker blocker(self->m_list);
        for (const LocalImage &image : std::as_const(images)) {
            const QString id = image.id.toString();
            QStringList names = image.repoTags;
            const bool untagged = names.isEmpty();
            if (untagged)
                names.append(id);
            for (const QString &name : std::as_const(names)) {
                auto *item = new QListWidgetItem(
                    untagged ? tr("<untagged> %1").arg(image.id.shortId()) : name, self->m_list);
                item->setData(NameRole, name);
                item->setData(IdRole, id);
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                item->setCheckState(Qt::Unchecked);
                item->setToolTip(id);
            }
        }
        for (const QString &name : wanted)
            self->setChecked(name, true);
        self->m_loaded = true;
        if (self->m_list->count() == 0)
            self->m_message->showInformation(
                tr("There is no image to share yet: pull or load one first."));
        emit self->completeChanged();
    });
}

// ---------------------------------------------------------------------------------------------
// Destination

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
    fillRegistries();
}

void ShareDestinationPage::fillRegistries()
{
    const QString current = m_registry->currentText();
    const QSignalBlocker blocker(m_registry);
    m_registry->clear();
    m_registry->addItem(registryDisplayName(ImageReference::dockerHubDomain()),
                        ImageReference::dockerHubDomain());
    if (RegistriesModel *registries = m_wizard->services().registries) {
        for (const RegistriesModel::Registry &r : registries->registries())
            m_registry->addItem(r.host, r.host);
    }
    if (!current.isEmpty())
        m_registry->setCurrentText(current);
    else
        m_registry->setCurrentIndex(0);
    validate();
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
    const bool single = images.size() == 1;
    m_repository->setEnabled(single);
    m_tag->setEnabled(single);
    if (!single) {
        m_repository->clear();
        m_tag->clear();
        m_repository->setPlaceholderText(tr("each image's own name"));
        m_tag->setPlaceholderText(tr("each image's own tag"));
    } else {
        m_repository->setPlaceholderText(tr("mon-app"));
        m_tag->setPlaceholderText(QStringLiteral("latest"));
        const QString source = images.first();
        const auto parsed = ImageReference::parse(source);
        if (parsed && !source.startsWith(u"sha256:")) {
            m_repository->setText(parsed->path().section(u'/', -1));
            m_tag->setText(parsed->tag().isEmpty() ? QStringLiteral("latest") : parsed->tag());
        } else {
            m_repository->clear();
            m_tag->setText(QStringLiteral("latest"));
        }
    }
    // On Docker Hub the namespace is usually the user's own name.
    CredentialStore *credentials = m_wizard->services().credentials;
    if (!m_namespaceEdited && m_namespace->text().isEmpty() && credentials) {
        QPointer<ShareDestinationPage> self(this);
        credentials->find(ImageReference::dockerHubDomain(),
                          [self](Result<std::optional<CredentialStore::Found>> r) {
                              if (self && r && *r && !self->m_namespaceEdited
                                  && self->m_namespace->text().isEmpty())
                                  self->m_namespace->setText((*r)->credential.username);
                          });
    }
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

// ---------------------------------------------------------------------------------------------
// Account

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

// ---------------------------------------------------------------------------------------------
// Review

ShareReviewPage::ShareReviewPage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("reviewPage"));
    setTitle(tr("Review"));
    setSubTitle(tr("Check what will happen, then push."));
    setButtonText(QWizard::NextButton, tr("&Push"));
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setAccessibleName(tr("Summary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addStretch();
}

void ShareReviewPage::initializePage()
{
    const QList<ShareWizard::PushTarget> targets = m_wizard->pushTargets();
    const QString registry = registryDisplayName(m_wizard->destinationRegistry());
    QStringList items;
    for (const ShareWizard::PushTarget &t : targets) {
        if (!sameName(t.source, t.target))
            items.append(tr("Tag %1 as %2").arg(bold(t.source), bold(t.target.familiarString())));
        items.append(tr("Push %1").arg(bold(t.target.familiarString())));
    }
    const QString account = m_wizard->account();
    const QString who = account.isEmpty()
                            ? tr("Pushed to %1 without a login.").arg(bold(registry))
                            : tr("Pushed to %1 as %2.").arg(bold(registry), bold(account));
    QString html = QStringLiteral("<ul>");
    for (const QString &item : std::as_const(items))
        html += u"<li>" + item + u"</li>";
    html += u"</ul><p>" + who + u"</p>";
    m_summary->setText(html);
    QString plain = html;
    plain.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    m_summary->setAccessibleDescription(plain);
}

// ---------------------------------------------------------------------------------------------
// File

ShareFilePage::ShareFilePage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_path(new QLineEdit(this))
    , m_browse(new QPushButton(tr("&Browse…"), this))
    , m_compression(new QComboBox(this))
    , m_message(new InlineMessage(this))
{
    setObjectName(QStringLiteral("filePage"));
    setTitle(tr("Archive File"));
    setSubTitle(tr("Where to save the images, and whether to compress them."));
    setButtonText(QWizard::NextButton, tr("&Save"));

    m_path->setObjectName(QStringLiteral("path"));
    m_path->setAccessibleName(tr("Archive file"));
    m_path->setClearButtonEnabled(true);
    m_browse->setObjectName(QStringLiteral("browse"));
    m_browse->setAccessibleName(tr("Choose the archive file"));
    m_compression->setObjectName(QStringLiteral("compression"));
    m_compression->setAccessibleName(tr("Compression"));
    m_compression->addItem(tr("None (.tar)"), int(Compression::None));
    m_compression->addItem(tr("gzip (.tar.gz): read everywhere"), int(Compression::Gzip));
    m_compression->addItem(tr("zstd (.tar.zst): faster, smaller"), int(Compression::Zstd));
    m_compression->setToolTip(tr("docker load and podman load read all three."));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setCloseButtonVisible(false);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    form->addRow(fileLabel, fileRow);
    auto *compressionLabel = new QLabel(tr("&Compression:"), this);
    compressionLabel->setBuddy(m_compression);
    form->addRow(compressionLabel, m_compression);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addStretch();

    connect(m_path, &QLineEdit::textEdited, this, [this] { m_pathEdited = true; });
    connect(m_path, &QLineEdit::textChanged, this, &ShareFilePage::pathChanged);
    connect(
        m_compression, &QComboBox::currentIndexChanged, this, &ShareFilePage::compressionChanged);
    connect(m_browse, &QPushButton::clicked, this, &ShareFilePage::browse);
}

QString ShareFilePage::path() const
{
    return m_path->text().trimmed();
}

Compression ShareFilePage::compression() const
{
    return Compression(m_compression->currentData().toInt());
}

void ShareFilePage::setCompression(Compression compression)
{
    const int index = m_compression->findData(int(compression));
    if (index >= 0)
        m_compression->setCurrentIndex(index);
}

void ShareFilePage::initializePage()
{
    const QStringList images = m_wizard->selectedImages();
    if (m_pathEdited || images == m_suggestedFor) {
        pathChanged();
        return;
    }
    m_suggestedFor = images;
    const QString base
        = images.size() == 1 ? suggestedArchiveBaseName(images.first()) : QStringLiteral("images");
    m_path->setText(QDir(defaultArchiveDirectory()).filePath(base + archiveSuffix(compression())));
}

void ShareFilePage::pathChanged()
{
    if (!m_syncing) {
        // The file's ending chooses the compression, as it does for docker save's users.
        const QString suffix = archiveSuffixOf(path());
        const Compression fromName = compressionForFileName(path());
        if (!suffix.isEmpty() && m_compression->findData(int(fromName)) >= 0) {
            m_syncing = true;
            setCompression(fromName);
            m_syncing = false;
        }
    }
    const Status valid = validatePath();
    if (!valid)
        m_message->showError(valid.error().message);
    else if (QFileInfo::exists(path()))
        m_message->showMessage(InlineMessage::Kind::Warning,
                               tr("%1 exists and will be replaced.").arg(path()));
    else
        m_message->clear();
    emit completeChanged();
}

void ShareFilePage::compressionChanged()
{
    if (m_syncing || path().isEmpty())
        return;
    m_syncing = true;
    m_path->setText(withArchiveSuffix(path(), compression()));
    m_syncing = false;
}

Status ShareFilePage::validatePath() const
{
    const QString file = path();
    if (file.isEmpty())
        return fail(Error::Kind::InvalidArgument, tr("Choose where to save the archive."));
    const QFileInfo info(file);
    if (info.isDir())
        return fail(Error::Kind::InvalidArgument, tr("%1 is a folder: add a file name.").arg(file));
    if (!info.absoluteDir().exists())
        return fail(Error::Kind::InvalidArgument,
                    tr("The folder %1 does not exist.").arg(info.absolutePath()));
    const QString suffix = archiveSuffixOf(file);
    if (!suffix.isEmpty() && m_compression->findData(int(compressionForFileName(file))) < 0)
        return fail(Error::Kind::InvalidArgument,
                    tr("Berth saves .tar, .tar.gz and .tar.zst archives: change the file's "
                       "ending."));
    return {};
}

bool ShareFilePage::isComplete() const
{
    return bool(validatePath());
}

bool ShareFilePage::browse()
{
    FileRequest request;
    request.mode = FileRequest::Mode::Save;
    request.caption = tr("Save the Images");
    request.suggestedPath = path().isEmpty() ? defaultArchiveDirectory() : path();
    request.filter = tr("Image archives (*.tar *.tar.gz *.tar.zst)") + QStringLiteral(";;")
                     + tr("All files (*)");
    QString chosen = m_wizard->fileChooser()(this, request);
    if (chosen.isEmpty())
        return false;
    if (archiveSuffixOf(chosen).isEmpty())
        chosen += archiveSuffix(compression());
    m_pathEdited = true;
    m_path->setText(chosen);
    return true;
}

// ---------------------------------------------------------------------------------------------
// Progress

ShareProgressPage::ShareProgressPage(ShareWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
    , m_heading(new QLabel(this))
    , m_progress(new JobProgress(this))
    , m_message(new InlineMessage(this))
    , m_retry(new QPushButton(tr("&Retry"), this))
    , m_showInFolder(new QPushButton(tr("Show in &Folder"), this))
{
    setObjectName(QStringLiteral("progressPage"));
    setTitle(tr("Sharing"));
    setSubTitle(tr("The transfer also shows in the Transfers panel; Esc stops it."));
    m_heading->setObjectName(QStringLiteral("heading"));
    m_heading->setWordWrap(true);
    m_heading->setTextFormat(Qt::PlainText);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setCloseButtonVisible(false);
    m_retry->setObjectName(QStringLiteral("retry"));
    m_retry->setAccessibleName(tr("Try the transfer again"));
    m_showInFolder->setObjectName(QStringLiteral("showInFolder"));
    m_showInFolder->setAccessibleName(tr("Show the archive in its folder"));
    m_retry->hide();
    m_showInFolder->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_showInFolder);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    layout->addStretch();

    connect(m_progress, &JobProgress::stateChanged, this, &ShareProgressPage::jobsChanged);
    connect(m_retry, &QPushButton::clicked, this, &ShareProgressPage::retry);
    connect(m_showInFolder, &QPushButton::clicked, this, [this] {
        m_openUrl(QUrl::fromLocalFile(QFileInfo(m_wizard->savePath()).absolutePath()));
    });
}

void ShareProgressPage::setUrlOpener(std::function<bool(const QUrl &)> opener)
{
    if (opener)
        m_openUrl = std::move(opener);
}

QList<TransferJob *> ShareProgressPage::jobs() const
{
    return m_progress->jobs();
}

bool ShareProgressPage::isRunning() const
{
    return m_tagging || m_progress->isActive();
}

bool ShareProgressPage::isDone() const
{
    return !m_tagging && m_progress->isDone();
}

bool ShareProgressPage::isComplete() const
{
    return isDone();
}

void ShareProgressPage::initializePage()
{
    start();
}

void ShareProgressPage::cleanupPage()
{
    // Back after a failure or a cancel: the jobs stay in the Transfers dock.
    ++m_generation;
    m_tagging = false;
    m_progress->clear();
    m_message->clear();
    m_retry->hide();
    m_showInFolder->hide();
    m_wizard->setRunning(false);
}

void ShareProgressPage::start()
{
    ++m_generation;
    m_cancelRequested = false;
    m_message->clear();
    m_retry->hide();
    m_showInFolder->hide();
    m_progress->clear();
    TransferManager *transfers = m_wizard->services().transfers;
    const QStringList images = m_wizard->selectedImages();
    if (m_wizard->mode() == ShareWizard::Mode::Save) {
        setTitle(tr("Saving"));
        setSubTitle(tr("The save also shows in the Transfers panel; Esc stops it."));
        m_heading->setText(images.size() == 1
                               ? tr("Saving %1 to %2").arg(images.first(), m_wizard->savePath())
                               : tr("Saving %n images to %1", nullptr, int(images.size()))
                                     .arg(m_wizard->savePath()));
        m_progress->setJobs(
            {transfers->save(images, m_wizard->savePath(), m_wizard->saveCompression())});
        return;
    }
    setTitle(tr("Pushing"));
    setSubTitle(tr("The push also shows in the Transfers panel; Esc stops it."));
    const QList<ShareWizard::PushTarget> targets = m_wizard->pushTargets();
    const QString registry = registryDisplayName(m_wizard->destinationRegistry());
    m_heading->setText(
        targets.size() == 1
            ? tr("Pushing %1 to %2").arg(targets.first().source, registry)
            : tr("Pushing %n images to %1", nullptr, int(targets.size())).arg(registry));
    m_tagging = true;
    m_wizard->setRunning(true);
    emit completeChanged();
    tagNext(targets, 0);
}

void ShareProgressPage::tagNext(QList<ShareWizard::PushTarget> targets, int index)
{
    while (index < int(targets.size())
           && sameName(targets.at(index).source, targets.at(index).target))
        ++index;
    if (m_cancelRequested || index >= int(targets.size())) {
        m_tagging = false;
        if (m_cancelRequested) {
            m_progress->progressBar()->setRange(0, 1000);
            m_progress->progressBar()->setValue(0);
            m_progress->statusLabel()->setText(tr("Cancelled"));
            m_message->showInformation(tr("The push was cancelled before anything was sent. "
                                          "Retry to start it again."));
            m_retry->show();
            m_wizard->setRunning(false);
            emit completeChanged();
            return;
        }
        startPushes(targets);
        return;
    }
    TransferManager *transfers = m_wizard->services().transfers;
    ImageBackend *backend = transfers ? transfers->backend() : nullptr;
    const ShareWizard::PushTarget &target = targets.at(index);
    m_progress->progressBar()->setRange(0, 0);
    m_progress->statusLabel()->setText(
        tr("Naming %1 %2…").arg(target.source, target.target.familiarString()));
    const auto failTagging = [this](const QString &message) {
        m_tagging = false;
        m_progress->progressBar()->setRange(0, 1000);
        m_progress->progressBar()->setValue(0);
        m_progress->statusLabel()->setText(tr("Failed"));
        m_message->showError(message);
        m_retry->show();
        m_wizard->setRunning(false);
        emit completeChanged();
    };
    if (!backend) {
        failTagging(tr("No image store is open: choose Docker, Podman or the embedded store in "
                       "Settings."));
        return;
    }
    QPointer<ShareProgressPage> self(this);
    const int generation = m_generation;
    backend->tag(target.source,
                 target.target,
                 [self, generation, targets, index, failTagging](Status tagged) {
                     if (!self || self->m_generation != generation)
                         return;
                     if (!tagged) {
                         const ShareWizard::PushTarget &t = targets.at(index);
                         failTagging(
                             tr("Could not name %1 %2: %3\nGo Back to check the "
                                "images and the destination.")
                                 .arg(t.source, t.target.familiarString(), tagged.error().message));
                         return;
                     }
                     self->tagNext(targets, index + 1);
                 });
}

void ShareProgressPage::startPushes(const QList<ShareWizard::PushTarget> &targets)
{
    TransferManager *transfers = m_wizard->services().transfers;
    QList<TransferJob *> jobs;
    for (const ShareWizard::PushTarget &t : targets)
        jobs.append(transfers->push(t.target));
    m_progress->setJobs(jobs);
}

void ShareProgressPage::jobsChanged()
{
    m_wizard->setRunning(isRunning());
    if (m_progress->isFinished() && !m_tagging)
        showFinished();
    emit completeChanged();
}

void ShareProgressPage::showFinished()
{
    const bool save = m_wizard->mode() == ShareWizard::Mode::Save;
    if (m_progress->isDone()) {
        m_retry->hide();
        if (save) {
            m_message->showPositive(tr("The archive is ready: %1").arg(m_wizard->savePath()) + u'\n'
                                    + tr("docker load, podman load and Berth can load it."));
            m_showInFolder->show();
        } else {
            QStringList names;
            for (const ShareWizard::PushTarget &t : m_wizard->pushTargets())
                names.append(t.target.familiarString());
            m_message->showPositive(
                tr("Pushed %1.").arg(names.join(u", ")) + u'\n'
                + tr("Whoever may read it can now pull it: docker pull %1").arg(names.value(0)));
        }
        m_wizard->setRunning(false);
        return;
    }
    if (TransferJob *failed = m_progress->firstFailed()) {
        m_message->showError(failed->errorString() + u'\n' + nextStep(failed));
        m_retry->show();
        return;
    }
    if (m_progress->anyCancelled()) {
        m_message->showInformation(save ? tr("The save was cancelled; no file was written. "
                                             "Retry to start it again.")
                                        : tr("The push was cancelled. Retry to start it again; "
                                             "layers already sent are not sent twice."));
        m_retry->show();
    }
}

QString ShareProgressPage::nextStep(const TransferJob *failed) const
{
    const QString registry = registryDisplayName(m_wizard->destinationRegistry());
    switch (failed->error().kind) {
    case Error::Kind::Unauthorized:
    case Error::Kind::Denied:
        return tr("Go Back to the account page and log in with an account that may push to "
                  "this repository on %1, then push again.")
            .arg(registry);
    case Error::Kind::Network:
    case Error::Kind::Server:
    case Error::Kind::RateLimited:
        return failed->kind() == TransferJob::Kind::Push
                   ? tr("Check that %1 is running and reachable, then Retry.").arg(registry)
                   : tr("Retry in a moment.");
    case Error::Kind::Io:
        return tr("Go Back to choose another file or folder, or free some space, then Retry.");
    case Error::Kind::Tls:
        return tr("If %1 is on your own network, add it under Registries with \"Allow plain "
                  "HTTP\", then Retry.")
            .arg(registry);
    default:
        return tr("Retry, or go Back to change your choices.");
    }
}

void ShareProgressPage::cancel()
{
    if (m_tagging) {
        m_cancelRequested = true;
        m_progress->statusLabel()->setText(tr("Cancelling…"));
        return;
    }
    m_progress->cancel();
}

void ShareProgressPage::retry()
{
    m_message->clear();
    m_retry->hide();
    if (m_progress->isEmpty()) {
        start();
        return;
    }
    m_progress->retry();
}

} // namespace Berth
