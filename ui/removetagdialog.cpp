#include "removetagdialog.h"

#include "inlinemessage.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "transfermanager.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>

namespace Berth {

RemoveTagDialog::RemoveTagDialog(TransferManager *transfers,
                                 RegistryClient *registry,
                                 HubClient *hub,
                                 const ImageReference &repository,
                                 const QStringList &tags,
                                 const QString &tag,
                                 QWidget *parent)
    : JobDialog(transfers, parent)
    , m_registry(registry)
    , m_hub(hub)
    , m_repository(repository.withTag(QString()))
    , m_tags(tags)
    , m_tag(new QComboBox(this))
    , m_effect(new QLabel(this))
    , m_remove(new QPushButton(QIcon::fromTheme(QStringLiteral("tag-delete")), QString(), this))
{
    setObjectName(QStringLiteral("RemoveTagDialog"));
    setWindowTitle(tr("Remove a Tag from %1").arg(m_repository.familiarRepository()));
    describeFields();
    layOutFields();
    m_tag->addItems(tags);
    setChosenTag(tag);

    // Destructive: never the default, so that Return removes nothing.
    m_remove->setAutoDefault(false);
    m_remove->setDefault(false);
    buttons()->addButton(m_remove, QDialogButtonBox::DestructiveRole);
    connect(m_remove, &QPushButton::clicked, this, &RemoveTagDialog::start);
    connect(m_tag, &QComboBox::currentTextChanged, this, &RemoveTagDialog::describeChoice);
    describeChoice();
    refresh();
    buttons()->button(QDialogButtonBox::Close)->setFocus();
    resize(500, sizeHint().height());
}

void RemoveTagDialog::describeFields()
{
    m_tag->setObjectName(QStringLiteral("tagChooser"));
    m_tag->setAccessibleName(tr("Tag to remove"));
    m_effect->setObjectName(QStringLiteral("effect"));
    m_effect->setTextFormat(Qt::PlainText);
    m_effect->setWordWrap(true);
    m_effect->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_remove->setObjectName(QStringLiteral("removeButton"));
    m_remove->setText(tr("&Remove Tag"));
    m_remove->setAccessibleName(tr("Remove the chosen tag"));
}

void RemoveTagDialog::layOutFields()
{
    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("&Tag:"), this);
    label->setBuddy(m_tag);
    form->addRow(label, m_tag);
    fieldsLayout()->addLayout(form);
    fieldsLayout()->addWidget(m_effect);
}

QString RemoveTagDialog::chosenTag() const
{
    return m_tag->currentText();
}

void RemoveTagDialog::setChosenTag(const QString &tag)
{
    const int row = m_tag->findText(tag);
    if (row >= 0)
        m_tag->setCurrentIndex(row);
}

void RemoveTagDialog::describeChoice()
{
    QStringList others = m_tags;
    others.removeAll(chosenTag());
    m_effect->setText(
        others.isEmpty()
            ? tr("%1 is the image's only tag: the image stays in %2, reachable by its digest "
                 "only.")
                  .arg(chosenTag(), m_repository.familiarRepository())
            : tr("Only %1 goes. The image stays, and its other %n tag(s) keep working: %2.",
                 nullptr,
                 int(others.size()))
                  .arg(chosenTag(), others.join(QStringLiteral(", "))));
}

bool RemoveTagDialog::start()
{
    if (!m_registry || isRunning() || !transfers() || chosenTag().isEmpty() || job())
        return false;
    TransferJob *made = transfers()->untag(m_registry, m_hub, m_repository.withTag(chosenTag()));
    follow(made);
    emit jobStarted(made);
    return true;
}

void RemoveTagDialog::jobSucceeded(TransferJob *job)
{
    message()->showPositive(job->summary() + u'.');
    buttons()->button(QDialogButtonBox::Close)->setFocus();
}

QString RemoveTagDialog::nothingDone() const
{
    return tr("The tag was not removed.");
}

QString RemoveTagDialog::cancelledText() const
{
    return tr("The removal was stopped; look at the tags again to see whether it happened.");
}

QString RemoveTagDialog::cancelButtonText() const
{
    return tr("Stop");
}

void RemoveTagDialog::updateState()
{
    const bool started = job() != nullptr;
    m_tag->setEnabled(!started);
    m_remove->setVisible(!(started && job()->state() == TransferJob::State::Done));
    m_remove->setEnabled(!started && m_registry && !chosenTag().isEmpty());
    if (!started)
        buttons()->button(QDialogButtonBox::Close)->setText(tr("Cancel"));
}

} // namespace Berth
