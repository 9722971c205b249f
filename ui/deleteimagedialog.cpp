#include "deleteimagedialog.h"

#include "common/guarded.h"
#include "erroradvice.h"
#include "inlinemessage.h"
#include "registry/hubclient.h"
#include "registry/registryclient.h"
#include "transfermanager.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace Berth {

DeleteImageDialog::DeleteImageDialog(TransferManager *transfers,
                                     RegistryClient *registry,
                                     HubClient *hub,
                                     const ImageReference &image,
                                     QWidget *parent)
    : JobDialog(transfers, parent)
    , m_registry(registry)
    , m_hub(hub)
    , m_image(image)
    , m_intro(new QLabel(this))
    , m_busy(new QProgressBar(this))
    , m_tags(new QListWidget(this))
    , m_note(new QLabel(this))
    , m_delete(new QPushButton(QIcon::fromTheme(QStringLiteral("edit-delete")), QString(), this))
    , m_lookAgain(tryAgainAction(this))
{
    setObjectName(QStringLiteral("DeleteImageDialog"));
    setWindowTitle(tr("Delete %1").arg(image.familiarString()));
    describeFields();
    layOutFields();

    // Destructive: beside Close, never the default, so that Return deletes nothing.
    m_delete->setAutoDefault(false);
    m_delete->setDefault(false);
    buttons()->addButton(m_delete, QDialogButtonBox::DestructiveRole);
    connect(m_delete, &QPushButton::clicked, this, &DeleteImageDialog::start);
    connect(m_lookAgain, &QAction::triggered, this, &DeleteImageDialog::lookUp);
    buttons()->button(QDialogButtonBox::Close)->setFocus();
    resize(520, sizeHint().height());
    lookUp();
}

void DeleteImageDialog::describeFields()
{
    m_intro->setObjectName(QStringLiteral("intro"));
    m_intro->setTextFormat(Qt::PlainText);
    m_intro->setWordWrap(true);
    m_intro->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_busy->setObjectName(QStringLiteral("planBusy"));
    m_busy->setAccessibleName(tr("Looking up the image's tags"));
    m_busy->setRange(0, 0); // busy: the lookup does not know how long it takes
    m_busy->setTextVisible(false);
    m_tags->setObjectName(QStringLiteral("deletedTags"));
    m_tags->setAccessibleName(tr("Tags deleted with the image"));
    m_tags->setSelectionMode(QAbstractItemView::NoSelection);
    m_tags->setMaximumHeight(fontMetrics().height() * 8);
    m_tags->hide();
    m_note->setObjectName(QStringLiteral("garbageCollectionNote"));
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->setText(tr("The registry frees the space only when its garbage collection runs; "
                       "until then the layers stay on its disk."));
    m_delete->setObjectName(QStringLiteral("deleteButton"));
    m_delete->setAccessibleName(tr("Delete the image and its tags"));
    m_delete->setText(tr("&Delete"));
    m_lookAgain->setObjectName(QStringLiteral("lookUpAgain"));
}

void DeleteImageDialog::layOutFields()
{
    fieldsLayout()->addWidget(m_intro);
    fieldsLayout()->addWidget(m_busy);
    fieldsLayout()->addWidget(m_tags);
    fieldsLayout()->addWidget(m_note);
}

void DeleteImageDialog::lookUp()
{
    if (!m_registry || m_planning || isRunning())
        return;
    m_plan.reset();
    m_planning = true;
    message()->clear();
    m_tags->clear();
    m_tags->hide();
    m_intro->setText(tr("Looking up every tag of %1 that points at the same image…")
                         .arg(m_image.familiarRepository()));
    const int generation = ++m_generation;
    planDelete(
        *m_registry, m_hub, m_image, guarded(this, [this, generation](Result<DeletePlan> plan) {
            if (generation == m_generation)
                planArrived(std::move(plan));
        }));
    refresh();
}

void DeleteImageDialog::planArrived(Result<DeletePlan> plan)
{
    m_planning = false;
    if (!plan) {
        ErrorContext context;
        context.operation = ErrorContext::Operation::Delete;
        context.image = m_image.familiarString();
        context.registry = m_image.domain();
        const ErrorAdvice advice = ErrorAdvice::explain(plan.error(), context);
        m_intro->setText(tr("Berth could not find out which tags go with %1, so nothing was "
                            "deleted.")
                             .arg(m_image.familiarString()));
        message()->showError(advice.sentence, advice.advice, {m_lookAgain});
        message()->setToolTip(advice.details);
    } else {
        showPlan(*plan);
    }
    refresh();
    fitToContents();
}

void DeleteImageDialog::showPlan(const DeletePlan &plan)
{
    m_plan = plan;
    const int count = int(plan.tags.size());
    const QString digest = plan.digest.toString();
    m_intro->setText(count == 0
                         ? tr("Delete the image %1 from %2? No tag points at it.")
                               .arg(digest, plan.repository.familiarRepository())
                         : tr("Delete this image from %1? A registry deletes images, not tags: "
                              "the %n tag(s) below point at it and all go with it.",
                              nullptr,
                              count)
                               .arg(plan.repository.familiarRepository()));
    for (const QString &tag : plan.tags)
        m_tags->addItem(tag);
    m_tags->setVisible(count > 0);
    m_tags->setToolTip(digest);
    m_delete->setText(count == 0 ? tr("&Delete the Image")
                                 : tr("&Delete %n Tag(s)", nullptr, count));
    if (!plan.tagsComplete)
        message()->showMessage(InlineMessage::Kind::Warning,
                               tr("Some tags could not be looked up: other tags may point at "
                                  "this image too, and would go with it."));
}

bool DeleteImageDialog::start()
{
    if (!m_plan || !m_registry || isRunning() || !transfers())
        return false;
    if (job() && job()->state() == TransferJob::State::Done)
        return false;
    TransferJob *made = transfers()->deleteImage(m_registry, m_hub, *m_plan);
    follow(made);
    emit jobStarted(made);
    return true;
}

void DeleteImageDialog::jobSucceeded(TransferJob *job)
{
    message()->showPositive(
        tr("%1. The registry frees the space at its next garbage collection.").arg(job->summary()));
    buttons()->button(QDialogButtonBox::Close)->setFocus();
}

QString DeleteImageDialog::nothingDone() const
{
    return tr("Nothing was deleted.");
}

QString DeleteImageDialog::cancelledText() const
{
    return tr("The delete was stopped before the registry answered; look at the tags again to "
              "see whether it happened.");
}

QString DeleteImageDialog::cancelButtonText() const
{
    return tr("Stop");
}

void DeleteImageDialog::updateState()
{
    const bool done = job() && job()->state() == TransferJob::State::Done;
    const bool started = job() != nullptr;
    m_busy->setVisible(m_planning);
    m_delete->setVisible(!done);
    m_delete->setEnabled(m_plan.has_value() && !m_planning && !isRunning() && !started);
    // Before anything is deleted, leaving is cancelling.
    if (!started)
        buttons()->button(QDialogButtonBox::Close)->setText(tr("Cancel"));
}

} // namespace Berth
