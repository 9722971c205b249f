#include "pulldialog.h"

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
    , m_platform(new QComboBox(this))
    , m_allPlatforms(new QCheckBox(tr("&All platforms"), this))
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

    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("&Image:"), this);
    label->setBuddy(m_reference);
    form->addRow(label, m_reference);
    form->addRow(QString(), m_feedback);
    auto *platformLabel = new QLabel(tr("&Platform:"), this);
    platformLabel->setBuddy(m_platform);
    form->addRow(platformLabel, m_platform);
    form->addRow(QString(), m_allPlatforms);

    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Pull"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_reference, &QLineEdit::textChanged, this, &PullDialog::validate);
    connect(m_platform, &QComboBox::currentTextChanged, this, &PullDialog::validate);
    connect(m_allPlatforms, &QCheckBox::toggled, this, [this](bool all) {
        m_platform->setEnabled(!all);
        validate();
    });
    validate();
    resize(480, sizeHint().height());
}

void PullDialog::setReference(const QString &text)
{
    m_reference->setText(text);
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

void PullDialog::validate()
{
    m_valid = false;
    m_parsed.reset();
    m_parsedPlatform.reset();
    const QString text = m_reference->text().trimmed();
    QString feedback;
    if (text.isEmpty()) {
        feedback = tr("Type an image name, with a tag or a digest if you want a precise one.");
    } else if (const auto parsed = ImageReference::parse(text); !parsed) {
        feedback = parsed.error().message;
    } else {
        m_parsed = *parsed;
        feedback = tr("Pulls %1").arg(parsed->toString());
        m_valid = true;
    }

    // The first entry stands for "the host's"; anything typed must parse as os/arch[/variant].
    const int current = m_platform->currentIndex();
    const QString platformText = m_platform->currentText().trimmed();
    const bool hostDefault = current == 0 && platformText == m_platform->itemText(0);
    if (m_valid && !m_allPlatforms->isChecked() && !hostDefault && !platformText.isEmpty()) {
        if (const auto platform = Platform::parse(platformText); !platform) {
            feedback = platform.error().message;
            m_valid = false;
        } else {
            m_parsedPlatform = *platform;
        }
    }
    m_feedback->setText(feedback);
    m_reference->setAccessibleDescription(feedback);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_valid);
}

} // namespace Berth
