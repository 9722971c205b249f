#include "copyimagedialog.h"

#include "accountsmodel.h"
#include "dialogsizing.h"
#include "inlinemessage.h"
#include "registry/registryclient.h"
#include "transfermanager.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Berth {

CopyImageDialog::CopyImageDialog(TransferManager *transfers,
                                 RegistryClient *registry,
                                 AccountsModel *accounts,
                                 const ImageReference &source,
                                 const QList<Platform> &platforms,
                                 QWidget *parent)
    : JobDialog(transfers, parent)
    , m_registry(registry)
    , m_accounts(accounts)
    , m_source(source)
    , m_edit(new QLineEdit(this))
    , m_feedback(new QLabel(this))
    , m_platform(new QComboBox(this))
    , m_logins(new QLabel(this))
    , m_copy(new QPushButton(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("&Copy"), this))
{
    setObjectName(QStringLiteral("CopyImageDialog"));
    setWindowTitle(tr("Copy %1").arg(source.familiarString()));
    describeFields();
    fillPlatforms(platforms);
    layOutFields();
    addActionButton(m_copy);
    connect(m_copy, &QPushButton::clicked, this, &CopyImageDialog::start);
    connect(m_edit, &QLineEdit::textChanged, this, &CopyImageDialog::validate);
    validate();
    resize(560, sizeHint().height());
    keepSizeWhileTyping(this);
}

void CopyImageDialog::describeFields()
{
    m_edit->setObjectName(QStringLiteral("destination"));
    m_edit->setAccessibleName(tr("Destination"));
    m_edit->setPlaceholderText(tr("e.g. registry.example.com/team/app:1.0"));
    m_edit->setClearButtonEnabled(true);
    m_feedback->setObjectName(QStringLiteral("destinationFeedback"));
    m_feedback->setTextFormat(Qt::PlainText);
    m_feedback->setWordWrap(true);
    m_feedback->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_platform->setObjectName(QStringLiteral("platformChoice"));
    m_platform->setAccessibleName(tr("Platforms to copy"));
    m_logins->setObjectName(QStringLiteral("logins"));
    m_logins->setTextFormat(Qt::PlainText);
    m_logins->setWordWrap(true);
    m_copy->setObjectName(QStringLiteral("copyButton"));
    m_copy->setAccessibleName(tr("Copy the image"));
}

void CopyImageDialog::layOutFields()
{
    auto *sourceLabel = new QLabel(m_source.familiarString(), this);
    sourceLabel->setObjectName(QStringLiteral("source"));
    sourceLabel->setTextFormat(Qt::PlainText);
    sourceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    sourceLabel->setAccessibleName(tr("Image copied"));
    auto *form = new QFormLayout;
    form->addRow(tr("Image:"), sourceLabel);
    auto *to = new QLabel(tr("&To:"), this);
    to->setBuddy(m_edit);
    form->addRow(to, m_edit);
    form->addRow(QString(), m_feedback);
    auto *platforms = new QLabel(tr("&Platforms:"), this);
    platforms->setBuddy(m_platform);
    form->addRow(platforms, m_platform);
    form->addRow(tr("Logins:"), m_logins);
    fieldsLayout()->addLayout(form);
}

void CopyImageDialog::fillPlatforms(const QList<Platform> &platforms)
{
    m_index = platforms.size() > 1;
    if (!m_index) {
        m_platform->addItem(platforms.isEmpty() ? tr("The image as it is")
                                                : platforms.first().toString(),
                            QString());
        return;
    }
    m_platform->addItem(
        tr("All %n platforms (keeps the index and its digest)", nullptr, int(platforms.size())),
        QString());
    for (const Platform &platform : platforms)
        m_platform->addItem(tr("Only %1").arg(platform.toString()), platform.toString());
}

QString CopyImageDialog::chosenPlatform() const
{
    return m_platform->currentData().toString();
}

void CopyImageDialog::setChosenPlatform(const QString &platform)
{
    const int row = m_platform->findData(platform);
    if (row >= 0)
        m_platform->setCurrentIndex(row);
}

CopyRequest CopyImageDialog::request() const
{
    CopyRequest request;
    const QString chosen = chosenPlatform();
    // The image as it is: an index (even of one platform) with all it holds, or one manifest.
    if (chosen.isEmpty()) {
        request.allPlatforms = true;
    } else if (const auto platform = Platform::parse(chosen)) {
        request.platform = *platform;
    }
    return request;
}

void CopyImageDialog::setDestination(const QString &text)
{
    m_edit->setText(text);
}

void CopyImageDialog::validate()
{
    m_destination.reset();
    const QString text = m_edit->text().trimmed();
    QString feedback;
    if (text.isEmpty()) {
        feedback = tr("Type where to copy it: [registry/]repository[:tag]. Without a tag, "
                      "'latest' is used.");
    } else if (const auto parsed = ImageReference::parse(text); !parsed) {
        feedback = parsed.error().message;
    } else if (parsed->hasDigest()) {
        feedback = tr("A destination names a tag, not a digest: the copy keeps the image's "
                      "digest by itself. Use a tag such as :1.0.");
    } else if (*parsed == m_source) {
        feedback = tr("That is the image itself: name another repository or tag.");
    } else {
        m_destination = *parsed;
        feedback = tr("Full name: %1").arg(parsed->toString());
    }
    m_feedback->setText(feedback);
    m_edit->setAccessibleDescription(feedback);
    describeLogins();
    refresh();
}

QString CopyImageDialog::loginLine(const QString &registry, bool source) const
{
    const int row = m_accounts ? m_accounts->find(registry) : -1;
    if (row >= 0) {
        const QString user = m_accounts->account(row).username;
        return source ? tr("Reads from %1 as %2 (your saved login).").arg(registry, user)
                      : tr("Writes to %1 as %2 (your saved login).").arg(registry, user);
    }
    return source ? tr("Reads from %1 without a saved login of Berth's (Docker's or Podman's "
                       "login is used if there is one).")
                        .arg(registry)
                  : tr("Writes to %1 without a saved login of Berth's (Docker's or Podman's "
                       "login is used if there is one).")
                        .arg(registry);
}

void CopyImageDialog::describeLogins()
{
    QStringList lines{loginLine(m_source.domain(), true)};
    if (m_destination)
        lines.append(loginLine(m_destination->domain(), false));
    m_logins->setText(lines.join(u'\n'));
}

bool CopyImageDialog::start()
{
    if (!m_destination || !m_registry || isRunning() || !transfers())
        return false;
    TransferJob *made = transfers()->copyImage(m_registry, m_source, *m_destination, request());
    follow(made);
    emit jobStarted(made);
    return true;
}

void CopyImageDialog::jobSucceeded(TransferJob *job)
{
    message()->showPositive(
        tr("Copied to %1. %2.")
            .arg(job->resultImages().value(0, m_destination->familiarString()), job->summary()));
}

QString CopyImageDialog::nothingDone() const
{
    return tr("The copy did not finish.");
}

QString CopyImageDialog::cancelledText() const
{
    return tr("The copy was cancelled; blobs already copied stay, and a new copy skips them.");
}

QString CopyImageDialog::cancelButtonText() const
{
    return tr("Cancel Copy");
}

void CopyImageDialog::updateState()
{
    const bool running = isRunning();
    m_edit->setReadOnly(running);
    m_platform->setEnabled(!running && m_platform->count() > 1);
    m_copy->setEnabled(!running && m_destination.has_value() && m_registry);
}

} // namespace Berth
