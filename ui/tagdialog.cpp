#include "tagdialog.h"

#include "inlinemessage.h"

#include "common/guarded.h"
#include "store/imagebackend.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Berth {

TagDialog::TagDialog(ImageBackend *backend, const QString &source, QWidget *parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_source(source)
    , m_edit(new QLineEdit(this))
    , m_feedback(new QLabel(this))
    , m_error(new InlineMessage(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Tag Image"));
    setObjectName(QStringLiteral("TagDialog"));

    auto *sourceLabel = new QLabel(source, this);
    sourceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    sourceLabel->setAccessibleName(tr("Image"));
    m_edit->setObjectName(QStringLiteral("target"));
    m_edit->setPlaceholderText(tr("e.g. jean/mon-app:1.0.0"));
    m_edit->setAccessibleName(tr("New name"));
    m_edit->setClearButtonEnabled(true);
    m_feedback->setObjectName(QStringLiteral("feedback"));
    m_feedback->setWordWrap(true);
    m_feedback->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setObjectName(QStringLiteral("error"));

    auto *form = new QFormLayout;
    form->addRow(tr("Image:"), sourceLabel);
    auto *label = new QLabel(tr("&New name:"), this);
    label->setBuddy(m_edit);
    form->addRow(label, m_edit);
    form->addRow(QString(), m_feedback);

    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Tag"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &TagDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_edit, &QLineEdit::textChanged, this, &TagDialog::validate);
    validate();
    resize(480, sizeHint().height());
}

void TagDialog::setTarget(const QString &text)
{
    m_edit->setText(text);
}

std::optional<ImageReference> TagDialog::target() const
{
    return m_target;
}

void TagDialog::validate()
{
    m_target.reset();
    m_error->clear();
    const QString text = m_edit->text().trimmed();
    QString feedback;
    if (text.isEmpty()) {
        feedback = tr("Type a repository and a tag: [registry/]name[:tag]. Without a tag, "
                      "'latest' is used.");
    } else if (const auto parsed = ImageReference::parse(text); !parsed) {
        feedback = parsed.error().message;
    } else if (parsed->hasDigest()) {
        feedback = tr("A new name cannot hold a digest: a digest names content, it cannot be "
                      "given. Use a tag such as :1.0.0.");
    } else {
        m_target = *parsed;
        feedback = tr("Full name: %1").arg(parsed->toString());
    }
    m_feedback->setText(feedback);
    m_edit->setAccessibleDescription(feedback);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_target.has_value() && !m_busy);
}

void TagDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_edit->setReadOnly(busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy && m_target.has_value());
}

void TagDialog::accept()
{
    if (!m_target || m_busy)
        return;
    if (!m_backend) {
        m_error->showError(tr("The image store is closed: the image cannot be tagged."));
        return;
    }
    setBusy(true);
    const ImageReference target = *m_target;
    m_backend->tag(m_source, target, guarded(this, [this, target](Status status) {
                       setBusy(false);
                       if (!status) {
                           m_error->showError(status.error().message);
                           return;
                       }
                       emit tagged(target.familiarString());
                       QDialog::accept();
                   }));
}

} // namespace Berth
