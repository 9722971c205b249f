#include "transferindicator.h"

#include "transferjob.h"
#include "transfermanager.h"

#include <QDockWidget>
#include <QHBoxLayout>
#include <QProgressBar>
#include <QToolButton>

namespace Berth {

TransferIndicator::TransferIndicator(TransferManager *manager, QDockWidget *dock, QWidget *parent)
    : QWidget(parent)
    , m_manager(manager)
    , m_dock(dock)
    , m_button(new QToolButton(this))
    , m_progress(new QProgressBar(this))
{
    Q_ASSERT(manager && dock);
    setObjectName(QStringLiteral("transferIndicator"));
    m_button->setObjectName(QStringLiteral("transferIndicatorButton"));
    m_button->setAutoRaise(true);
    m_button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_button->setIconSize(QSize(16, 16));
    m_button->setToolTip(tr("Show or hide the Transfers panel"));
    m_progress->setObjectName(QStringLiteral("transferIndicatorProgress"));
    m_progress->setAccessibleName(tr("Progress of the running transfers"));
    m_progress->setTextVisible(false);
    m_progress->setFixedWidth(120);
    m_progress->setMaximumHeight(m_button->sizeHint().height() / 2);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_button);
    layout->addWidget(m_progress);

    connect(m_button, &QToolButton::clicked, this, [this] {
        if (!m_dock)
            return;
        m_dock->setVisible(!m_dock->isVisible());
        if (m_dock->isVisible())
            m_dock->raise();
    });
    m_collapse.setSingleShot(true);
    m_collapse.setInterval(4000);
    connect(&m_collapse, &QTimer::timeout, this, &TransferIndicator::collapseWhenIdle);
    connect(manager, &TransferManager::jobAdded, this, &TransferIndicator::jobStarted);
    connect(manager, &TransferManager::jobRemoved, this, &TransferIndicator::update);
    connect(manager, &TransferManager::jobFinished, this, [this] {
        update();
        if (activeCount() == 0 && failedCount() == 0)
            m_collapse.start();
    });
    for (TransferJob *job : manager->jobs())
        follow(job);
    update();
}

int TransferIndicator::activeCount() const
{
    if (!m_manager)
        return 0;
    const QList<TransferJob *> jobs = m_manager->jobs();
    return int(
        std::count_if(jobs.cbegin(), jobs.cend(), [](TransferJob *j) { return j->isActive(); }));
}

int TransferIndicator::failedCount() const
{
    if (!m_manager)
        return 0;
    const QList<TransferJob *> jobs = m_manager->jobs();
    return int(std::count_if(jobs.cbegin(), jobs.cend(), [](TransferJob *j) {
        return j->state() == TransferJob::State::Failed;
    }));
}

void TransferIndicator::follow(TransferJob *job)
{
    connect(job, &TransferJob::stateChanged, this, [this](TransferJob::State state) {
        update();
        if (state == TransferJob::State::Queued) // a retry: show it as a new job
            m_collapse.stop();
    });
    connect(job, &TransferJob::progressChanged, this, &TransferIndicator::update);
}

void TransferIndicator::jobStarted(TransferJob *job)
{
    follow(job);
    m_collapse.stop();
    if (m_dock && !m_dock->isVisible())
        m_dock->show();
    update();
}

void TransferIndicator::update()
{
    const int active = activeCount();
    const int failed = failedCount();
    if (active > 0) {
        m_button->setIcon(QIcon::fromTheme(QStringLiteral("download")));
        m_button->setText(tr("%n transfer(s) running", nullptr, active));
    } else if (failed > 0) {
        m_button->setIcon(QIcon::fromTheme(QStringLiteral("dialog-error")));
        m_button->setText(tr("%n transfer(s) failed", nullptr, failed));
    } else {
        m_button->setIcon(QIcon::fromTheme(QStringLiteral("download")));
        m_button->setText(tr("Transfers"));
    }
    m_button->setAccessibleName(m_button->text());
    // The overall fraction of the running jobs, or a busy bar while a total is unknown.
    qint64 current = 0;
    qint64 total = 0;
    bool known = true;
    for (TransferJob *job : m_manager ? m_manager->jobs() : QList<TransferJob *>()) {
        if (!job->isActive())
            continue;
        known = known && job->total() > 0;
        current += std::max<qint64>(job->current(), 0);
        total += std::max<qint64>(job->total(), 0);
    }
    m_progress->setVisible(active > 0);
    m_progress->setRange(0, known ? 1000 : 0);
    if (known && total > 0)
        m_progress->setValue(int(std::min<qint64>(1000, current * 1000 / total)));
    if (active != m_lastActive) {
        m_lastActive = active;
        emit activeCountChanged(active);
    }
}

void TransferIndicator::collapseWhenIdle()
{
    if (m_dock && activeCount() == 0 && failedCount() == 0)
        m_dock->hide();
}

} // namespace Berth
