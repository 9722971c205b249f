#include "pulldialog.h"

#include "pulllimitindicator.h"

#include "registry/registrytransport.h"
#include "store/enginebackend.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Berth {

PullDialog::PullDialog(QWidget *parent)
    : QDialog(parent)
    , m_reference(new QLineEdit(this))
    , m_feedback(new QLabel(this))
    , m_tagLabel(new QLabel(tr("&Tag:"), this))
    , m_tag(new QComboBox(this))
    , m_platform(new QComboBox(this))
    , m_allPlatforms(new QCheckBox(tr("&All platforms"), this))
    , m_cost(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Pull an Image"));
    setObjectName(QStringLiteral("PullDialog"));

    m_reference->setObjectName(QStringLiteral("reference"));
    m_reference->setPlaceholderText(tr("e.g. node:20 or localhost:5000/team/app:1.0"));
    m_reference->setAccessibleName(tr("Image to pull"));
    m_reference->setClearButtonEnabled(true);
    m_feedback->setObjectName(QStringLiteral("feedback"));
    m_feedback->setWordWrap(true);
    m_feedback->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_tag->setObjectName(QStringLiteral("tag"));
    m_tag->setEditable(true);
    m_tag->setInsertPolicy(QComboBox::NoInsert);
    m_tag->setAccessibleName(tr("Tag to pull"));
    m_tagLabel->setBuddy(m_tag);

    m_platform->setObjectName(QStringLiteral("platform"));
    m_platform->setEditable(true);
    m_platform->setAccessibleName(tr("Platform"));
    m_platform->addItem(tr("This computer's (%1)").arg(Platform::host().toString()), QString());
    for (const QString &p : {QStringLiteral("linux/amd64"),
                             QStringLiteral("linux/arm64/v8"),
                             QStringLiteral("linux/arm/v7"),
                             QStringLiteral("linux/386"),
                             QStringLiteral("linux/ppc64le"),
                             QStringLiteral("linux/s390x")})
        m_platform->addItem(p, p);
    m_allPlatforms->setObjectName(QStringLiteral("allPlatforms"));
    m_allPlatforms->setToolTip(tr("Pull every platform of a multi-platform image."));
    m_cost->setObjectName(QStringLiteral("pullCost"));
    m_cost->setWordWrap(true);
    m_cost->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cost->hide();

    buildLayout();
    connect(m_reference, &QLineEdit::textChanged, this, &PullDialog::validate);
    connect(m_tag, &QComboBox::currentTextChanged, this, &PullDialog::validate);
    connect(m_platform, &QComboBox::currentTextChanged, this, &PullDialog::validate);
    connect(m_searchRegistry, &QComboBox::currentIndexChanged, this, &PullDialog::validate);
    connect(m_allPlatforms, &QCheckBox::toggled, this, [this](bool all) {
        m_platform->setEnabled(!all);
        validate();
    });
    validate();
    resize(480, sizeHint().height());
}

void PullDialog::buildLayout()
{
    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("&Image:"), this);
    label->setBuddy(m_reference);
    form->addRow(label, m_reference);
    form->addRow(m_tagLabel, m_tag);
    form->addRow(QString(), m_feedback);
    buildSearchRegistryRow();
    form->addRow(m_searchLabel, m_searchRegistry);
    auto *platformLabel = new QLabel(tr("&Platform:"), this);
    platformLabel->setBuddy(m_platform);
    form->addRow(platformLabel, m_platform);
    form->addRow(QString(), m_allPlatforms);
    form->addRow(QString(), m_cost);
    // Only a repository chosen elsewhere asks for its tag apart.
    m_tagLabel->hide();
    m_tag->hide();

    QPushButton *pull = m_buttons->button(QDialogButtonBox::Ok);
    pull->setText(tr("&Pull"));
    pull->setIcon(QIcon::fromTheme(QStringLiteral("download")));
    m_buttons->button(QDialogButtonBox::Cancel)
        ->setIcon(QIcon::fromTheme(QStringLiteral("dialog-cancel")));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);
}

void PullDialog::setReference(const QString &text)
{
    m_reference->setText(text);
}

void PullDialog::setRepository(const QString &name)
{
    m_repository = name;
    m_tagsLoading = true;
    m_tagsProblem.clear();
    setWindowTitle(tr("Pull %1").arg(name));
    m_reference->setReadOnly(true);
    m_reference->setClearButtonEnabled(false);
    m_reference->setAccessibleName(tr("Repository to pull"));
    m_tagLabel->show();
    m_tag->show();
    m_tag->lineEdit()->setPlaceholderText(tr("Looking up the tags…"));
    m_reference->setText(name); // validates
    m_tag->setFocus();
}

void PullDialog::setTags(const QList<TagInfo> &tags)
{
    m_tagsLoading = false;
    const QString typed = m_tag->currentText().trimmed();
    QSignalBlocker blocker(m_tag);
    m_tag->clear();
    int preferred = -1;
    m_tagPlatforms.clear();
    for (const TagInfo &tag : tags) {
        m_tag->addItem(tag.name);
        if (!tag.images.isEmpty())
            m_tagPlatforms.insert(tag.name, int(tag.images.size()));
        if (tag.name == u"latest")
            preferred = m_tag->count() - 1;
    }
    if (tags.isEmpty())
        m_tagsProblem = tr("%1 has no tags on Docker Hub.").arg(m_repository);
    m_tag->lineEdit()->setPlaceholderText(tr("Type a tag"));
    if (!typed.isEmpty())
        m_tag->setEditText(typed);
    else
        m_tag->setCurrentIndex(preferred >= 0 ? preferred : (tags.isEmpty() ? -1 : 0));
    blocker.unblock();
    validate();
}

void PullDialog::setTagsFailed(const Error &error)
{
    m_tagsLoading = false;
    QString reason;
    switch (error.kind) {
    case Error::Kind::Network:
    case Error::Kind::Tls:
        reason = tr("Docker Hub cannot be reached.");
        break;
    case Error::Kind::RateLimited:
        reason = tr("Docker Hub asks to wait before more requests.");
        break;
    case Error::Kind::NotFound:
        reason = tr("Docker Hub does not know this repository.");
        break;
    default:
        reason = tr("Docker Hub did not answer as expected.");
        break;
    }
    m_tagsProblem
        = tr("Could not list the tags of %1: %2 Type the tag to pull.").arg(m_repository, reason);
    m_tag->lineEdit()->setPlaceholderText(tr("Type a tag"));
    validate();
}

Platform PullDialog::defaultPlatform(const ImageBackend *backend)
{
    if (const auto *engine = qobject_cast<const EngineBackend *>(backend)) {
        const EngineInfo &info = engine->info();
        if (!info.os.isEmpty() && !info.architecture.isEmpty()) {
            Platform platform;
            platform.os = info.os;
            platform.architecture = info.architecture;
            return platform;
        }
    }
    return Platform::host();
}

void PullDialog::setBackend(const ImageBackend *backend)
{
    const QString platform = defaultPlatform(backend).toString();
    const bool engine = backend && backend->kind() != ImageBackend::Kind::Embedded;
    QString first = tr("This computer's (%1)").arg(platform);
    if (engine && backend->kind() == ImageBackend::Kind::Docker)
        first = tr("Docker Engine's own (%1)").arg(platform);
    else if (engine)
        first = tr("Podman's own (%1)").arg(platform);
    m_platform->setItemText(0, first);
    if (m_platform->currentIndex() == 0)
        m_platform->setEditText(first);
    // An engine keeps one platform of an image: do not offer what it would refuse.
    m_allPlatforms->setEnabled(!engine);
    if (engine) {
        m_allPlatforms->setChecked(false);
        m_allPlatforms->setToolTip(tr("A container engine keeps one platform of an image; "
                                      "use the embedded store to pull every platform."));
    }
    validate();
}

std::optional<ImageReference> PullDialog::reference() const
{
    return m_valid ? m_parsed : std::nullopt;
}

PullRequest PullDialog::request() const
{
    PullRequest request;
    request.allPlatforms = m_allPlatforms->isChecked();
    if (!request.allPlatforms)
        request.platform = m_parsedPlatform;
    return request;
}

bool PullDialog::isInputValid() const
{
    return m_valid;
}

QString PullDialog::referenceText() const
{
    if (m_repository.isEmpty())
        return m_reference->text().trimmed();
    const QString tag = m_tag->currentText().trimmed();
    return tag.isEmpty() ? QString() : m_repository + u':' + tag;
}

void PullDialog::validate()
{
    m_valid = false;
    m_parsed.reset();
    m_parsedPlatform.reset();
    const QString text = referenceText();
    QString feedback;
    if (text.isEmpty() && !m_repository.isEmpty()) {
        feedback = m_tagsLoading             ? tr("Looking up the tags of %1…").arg(m_repository)
                   : m_tagsProblem.isEmpty() ? tr("Choose the tag to pull.")
                                             : m_tagsProblem;
    } else if (text.isEmpty()) {
        feedback = tr("Type an image name, with a tag or a digest if you want a precise one.");
    } else if (const auto parsed = ImageReference::parse(qualified(text)); !parsed) {
        feedback = parsed.error().message;
    } else {
        m_parsed = *parsed;
        feedback = tr("Pulls %1").arg(parsed->toString());
        m_valid = true;
    }
    if (m_valid && !validatePlatform(&feedback))
        m_valid = false;
    m_feedback->setText(feedback);
    m_reference->setAccessibleDescription(feedback);
    m_tag->setAccessibleDescription(feedback);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_valid);
    updateCost();
}

bool PullDialog::validatePlatform(QString *feedback)
{
    // The first entry stands for "the backend's own"; anything typed must parse as
    // os/arch[/variant].
    const int current = m_platform->currentIndex();
    const QString platformText = m_platform->currentText().trimmed();
    const bool backendDefault = current == 0 && platformText == m_platform->itemText(0);
    if (m_allPlatforms->isChecked() || backendDefault || platformText.isEmpty())
        return true;
    const auto platform = Platform::parse(platformText);
    if (!platform) {
        *feedback = platform.error().message;
        return false;
    }
    m_parsedPlatform = *platform;
    return true;
}

} // namespace Berth

namespace Berth {

void PullDialog::setPullLimits(RegistryTransport *transport)
{
    if (m_pullLimits)
        disconnect(m_pullLimits, nullptr, this, nullptr);
    m_pullLimits = transport;
    if (transport)
        connect(transport, &RegistryTransport::pullRateLimitSeen, this, &PullDialog::updateCost);
    updateCost();
}

void PullDialog::updateCost()
{
    const QString text = costText();
    m_cost->setText(text);
    m_cost->setVisible(!text.isEmpty());
}

// On Docker Hub (and any registry that stated a limit) each manifest GET of the pull counts:
// the index and one per platform. One platform of an index is a single pull as the Hub counts
// (the index GET goes with it), so only "All platforms" has a cost worth stating.
QString PullDialog::costText() const
{
    if (!m_valid || !m_parsed || !m_allPlatforms->isChecked())
        return {};
    const QString registry = m_parsed->domain();
    const auto limit = m_pullLimits ? m_pullLimits->pullRateLimit(registry) : std::nullopt;
    if (!limit && registry != ImageReference::dockerHubDomain())
        return {};
    const QString name = pullLimitRegistryName(registry);
    const int remaining = limit ? limit->remaining : -1;
    const int platforms = m_parsed->hasDigest() ? -1 : m_tagPlatforms.value(m_parsed->tag(), -1);
    QStringList sentences;
    if (platforms <= 0) {
        sentences << tr("%1 counts the index and each platform's manifest as a pull: pulling "
                        "every platform counts once per platform, and once more for the index.")
                         .arg(name);
        if (remaining >= 0)
            sentences << tr("%n pull(s) remaining.", nullptr, remaining);
        return sentences.join(u' ');
    }
    const int cost = platforms + 1;
    sentences << tr("%1 counts the index and each of its %n platform manifest(s) as a pull.",
                    nullptr,
                    platforms)
                     .arg(name);
    if (remaining >= cost)
        sentences << tr("This pull counts as %1 of your %n remaining pull(s).", nullptr, remaining)
                         .arg(cost);
    else if (remaining >= 0)
        sentences << tr("This pull counts as %1 pulls, more than the %n pull(s) remaining: the "
                        "registry would refuse it part way.",
                        nullptr,
                        remaining)
                         .arg(cost);
    else
        sentences << tr("This pull counts as %n pull(s).", nullptr, cost);
    return sentences.join(u' ');
}

} // namespace Berth
