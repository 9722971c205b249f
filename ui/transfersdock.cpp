#include "transfersdock.h"

#include "inlinemessage.h"
#include "jobadvice.h"
#include "transferdelegate.h"
#include "transferjob.h"
#include "transfermanager.h"
#include "transfersmodel.h"

#include <QAction>
#include <QClipboard>
#include <QDesktopServices>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHeaderView>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace Berth {

TransfersDock::TransfersDock(TransfersModel *model, QWidget *parent)
    : QDockWidget(tr("Transfers"), parent)
    , m_model(model)
    , m_view(new QTreeView)
    , m_cancel(new QAction(QIcon::fromTheme(QStringLiteral("process-stop")), tr("&Cancel"), this))
    , m_retry(new QAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Retry"), this))
    , m_showInFolder(
          new QAction(QIcon::fromTheme(QStringLiteral("folder-open")), tr("Show in &Folder"), this))
    , m_clear(new QAction(
          QIcon::fromTheme(QStringLiteral("edit-clear-history")), tr("C&lear Finished"), this))
    , m_copyDetails(
          new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("Copy &Details"), this))
    , m_failure(new InlineMessage)
    , m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    Q_ASSERT(model);
    setObjectName(QStringLiteral("TransfersDock"));
    setAccessibleName(tr("Transfers"));
    describeActions();
    auto *content = new QWidget(this);
    auto *toolbar = new QToolBar(tr("Transfer actions"), content);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(16, 16));
    for (QAction *a : {m_cancel, m_retry, m_showInFolder, m_clear}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        toolbar->addAction(a);
        content->addAction(a);
    }

    setUpView();
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar);
    layout->addWidget(m_view);
    layout->addWidget(m_failure);
    setWidget(content);

    followModel();
}

void TransfersDock::describeActions()
{
    m_cancel->setObjectName(QStringLiteral("cancelAction"));
    m_cancel->setShortcut(Qt::Key_Escape);
    m_cancel->setToolTip(tr("Stop the selected transfer (Esc)"));
    m_retry->setObjectName(QStringLiteral("retryAction"));
    m_retry->setToolTip(tr("Run the selected transfer again"));
    m_showInFolder->setObjectName(QStringLiteral("showInFolderAction"));
    m_showInFolder->setToolTip(tr("Open the folder holding the file this transfer wrote"));
    m_clear->setObjectName(QStringLiteral("clearAction"));
    m_clear->setToolTip(tr("Remove finished transfers from the list"));
    m_copyDetails->setObjectName(QStringLiteral("copyDetailsAction"));
    m_copyDetails->setToolTip(
        tr("Copy what went wrong, as the engine or registry said it, for a bug report"));
    connect(m_copyDetails, &QAction::triggered, this, &TransfersDock::copySelectedDetails);
    m_failure->setObjectName(QStringLiteral("failureMessage"));
    m_failure->setCloseButtonVisible(false);
    connect(m_cancel, &QAction::triggered, this, &TransfersDock::cancelSelected);
    connect(m_retry, &QAction::triggered, this, &TransfersDock::retrySelected);
    connect(m_showInFolder, &QAction::triggered, this, &TransfersDock::showSelectedInFolder);
    connect(m_clear, &QAction::triggered, this, &TransfersDock::clearFinished);
}

void TransfersDock::setUpView()
{
    m_view->setObjectName(QStringLiteral("transfersView"));
    m_view->setAccessibleName(tr("Transfers"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new TransferDelegate(m_view));
    // A failed job's row is as tall as its message wrapped.
    m_view->setUniformRowHeights(false);
    m_view->setWordWrap(true);
    m_view->setAllColumnsShowFocus(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions({m_cancel, m_retry, m_showInFolder, m_copyDetails});
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(TransfersModel::NameColumn, QHeaderView::Interactive);
    header->resizeSection(TransfersModel::NameColumn, 280);
    header->resizeSection(TransfersModel::ProgressColumn, 160);
    // The figures take what they need, so that the status (a failure's whole message) has room.
    for (const int column : {int(TransfersModel::StateColumn),
                             int(TransfersModel::SizeColumn),
                             int(TransfersModel::SpeedColumn),
                             int(TransfersModel::EtaColumn)})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    connect(m_view->selectionModel(),
            &QItemSelectionModel::currentRowChanged,
            this,
            &TransfersDock::updateActions);
    // Wrapped rows take the height of their new width. The view, not the dock: sections resize
    // while the dock is being destroyed, when it is no longer a TransfersDock.
    QTreeView *view = m_view;
    connect(header, &QHeaderView::sectionResized, view, [view] { view->doItemsLayout(); });
    m_model->setFailureWords([](const TransferJob *job) { return adviceFor(job).text(); });
}

void TransfersDock::followModel()
{
    TransfersModel *model = m_model;
    connect(model, &QAbstractItemModel::dataChanged, this, [this] {
        updateActions();
        updateTitle();
    });
    // The model drops a job before the manager does: follow the manager for what is left.
    if (TransferManager *manager = model->manager()) {
        connect(manager, &TransferManager::jobRemoved, this, [this] {
            updateActions();
            updateTitle();
        });
    }
    connect(model,
            &QAbstractItemModel::rowsInserted,
            this,
            [this](const QModelIndex &parent, int, int last) {
                updateTitle();
                if (parent.isValid())
                    return; // a layer of a job
                if (m_showOnNewJob) {
                    show();
                    raise();
                }
                const QModelIndex index = m_model->index(last, 0);
                m_view->scrollTo(index);
                m_view->selectionModel()->setCurrentIndex(
                    index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            });
    updateActions();
    updateTitle();
}

void TransfersDock::setUrlOpener(std::function<bool(const QUrl &)> opener)
{
    if (opener)
        m_openUrl = std::move(opener);
}

TransferJob *TransfersDock::currentJob() const
{
    return m_model ? m_model->job(m_view->currentIndex()) : nullptr;
}

bool TransfersDock::selectJob(const TransferJob *job)
{
    const QModelIndex index = m_model ? m_model->indexOf(job) : QModelIndex();
    if (!index.isValid())
        return false;
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

void TransfersDock::updateActions()
{
    const TransferJob *job = currentJob();
    m_cancel->setEnabled(job && job->canCancel());
    m_retry->setEnabled(job && job->canRetry());
    m_showInFolder->setEnabled(job && job->state() == TransferJob::State::Done
                               && !job->outputFile().isEmpty());
    const QList<TransferJob *> jobs
        = m_model && m_model->manager() ? m_model->manager()->jobs() : QList<TransferJob *>();
    m_clear->setEnabled(
        std::any_of(jobs.cbegin(), jobs.cend(), [](TransferJob *j) { return j->isFinished(); }));
    m_copyDetails->setEnabled(job && job->state() == TransferJob::State::Failed);
    updateFailure();
}

void TransfersDock::updateFailure()
{
    TransferJob *job = currentJob();
    if (!job || job->state() != TransferJob::State::Failed) {
        m_failureShown = nullptr;
        m_failure->clear();
        return;
    }
    // Progress updates come ten times a second: the buttons are rebuilt only for a new failure.
    if (m_failureShown == job && m_failureRun == job->runs() && !m_failure->text().isEmpty())
        return;
    m_failureShown = job;
    m_failureRun = job->runs();
    const ErrorAdvice advice = adviceFor(job);
    QList<QAction *> actions;
    for (const ErrorAdvice::Action a : advice.actions)
        actions << adviceAction(a);
    actions << m_copyDetails;
    m_failure->showError(advice.sentence, advice.advice, actions);
}

QAction *TransfersDock::adviceAction(ErrorAdvice::Action action)
{
    if (action == ErrorAdvice::Action::Retry)
        return m_retry;
    QAction *&made = m_adviceActions[int(action)];
    if (!made) {
        made = ErrorAdvice::makeAction(action, this);
        connect(made, &QAction::triggered, this, [this, action] {
            if (TransferJob *job = currentJob())
                emit adviceActionTriggered(action, job);
        });
    }
    return made;
}

void TransfersDock::copySelectedDetails()
{
    const TransferJob *job = currentJob();
    if (!job || job->state() != TransferJob::State::Failed)
        return;
    const Error error = job->error();
    QStringList lines{job->title(), errorKindName(error.kind) + u": " + error.message};
    if (error.httpStatus)
        lines << QStringLiteral("HTTP %1").arg(error.httpStatus);
    if (!error.code.isEmpty())
        lines << error.code;
    QGuiApplication::clipboard()->setText(lines.join(u'\n'));
}

void TransfersDock::updateTitle()
{
    const QList<TransferJob *> jobs
        = m_model && m_model->manager() ? m_model->manager()->jobs() : QList<TransferJob *>();
    const auto active
        = std::count_if(jobs.cbegin(), jobs.cend(), [](TransferJob *j) { return j->isActive(); });
    setWindowTitle(active == 0 ? tr("Transfers")
                               : tr("Transfers (%n active)", nullptr, int(active)));
}

void TransfersDock::cancelSelected()
{
    if (TransferJob *job = currentJob())
        job->cancel();
}

void TransfersDock::retrySelected()
{
    if (TransferJob *job = currentJob())
        job->retry();
}

void TransfersDock::showSelectedInFolder()
{
    const TransferJob *job = currentJob();
    if (!job || job->outputFile().isEmpty())
        return;
    m_openUrl(QUrl::fromLocalFile(QFileInfo(job->outputFile()).absolutePath()));
}

void TransfersDock::clearFinished()
{
    if (m_model && m_model->manager())
        m_model->manager()->clearFinished();
}

} // namespace Berth
