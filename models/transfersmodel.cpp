#include "transfersmodel.h"

#include "transfermanager.h"

#include "common/humanize.h"

namespace Berth {

namespace {

// "45 s", "3 min 20 s", "2 h 5 min": an ETA, precise where it matters.
QString formatDuration(qint64 seconds)
{
    if (seconds < 60)
        return TransfersModel::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return TransfersModel::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return TransfersModel::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
}

QString shortItemName(const QString &name)
{
    // Layers are digests: the 12 characters docker shows are enough to tell them apart.
    if (name.startsWith(u"sha256:") && name.size() > 19)
        return name.mid(7, 12);
    return name;
}

QString sizeText(qint64 current, qint64 total)
{
    if (total > 0)
        return TransfersModel::tr("%1 of %2").arg(formatSize(current), formatSize(total));
    if (current > 0)
        return formatSize(current);
    return {};
}

} // namespace

TransfersModel::TransfersModel(TransferManager *manager, QObject *parent)
    : QAbstractItemModel(parent)
    , m_manager(manager)
{
    Q_ASSERT(manager);
    const QList<TransferJob *> jobs = manager->jobs();
    for (TransferJob *job : jobs)
        addJob(job);
    connect(manager, &TransferManager::jobAdded, this, &TransfersModel::addJob);
    connect(manager, &TransferManager::jobAboutToBeRemoved, this, &TransfersModel::removeJob);
}

TransfersModel::~TransfersModel() = default;

void TransfersModel::setFailureWords(FailureWords words)
{
    m_failureWords = std::move(words);
    if (!m_jobs.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_jobs.size()) - 1, ColumnCount - 1));
}

QString TransfersModel::statusOf(const TransferJob *job) const
{
    if (job->state() == TransferJob::State::Failed && m_failureWords)
        return m_failureWords(job);
    return job->statusText();
}

TransferManager *TransfersModel::manager() const
{
    return m_manager;
}

TransferJob *TransfersModel::job(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    if (auto *parentJob = static_cast<TransferJob *>(index.internalPointer()))
        return parentJob;
    return m_jobs.value(index.row());
}

QModelIndex TransfersModel::indexOf(const TransferJob *job, int column) const
{
    const qsizetype row = m_jobs.indexOf(job);
    return row < 0 ? QModelIndex() : createIndex(int(row), column, nullptr);
}

QModelIndex TransfersModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, nullptr);
    // A layer row points to its job; a job row points to nothing.
    return createIndex(row, column, m_jobs.at(parent.row()));
}

QModelIndex TransfersModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const auto *parentJob = static_cast<const TransferJob *>(child.internalPointer());
    return parentJob ? indexOf(parentJob) : QModelIndex();
}

int TransfersModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_jobs.size());
    if (parent.column() != 0 || parent.internalPointer())
        return 0;
    const TransferJob *j = m_jobs.value(parent.row());
    return j ? j->itemCount() : 0;
}

int TransfersModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

Qt::ItemFlags TransfersModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.internalPointer())
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant TransfersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (const auto *parentJob = static_cast<const TransferJob *>(index.internalPointer()))
        return itemData(parentJob, index.row(), index.column(), role);
    return jobData(m_jobs.at(index.row()), index.column(), role);
}

QVariant TransfersModel::jobData(const TransferJob *job, int column, int role) const
{
    switch (role) {
    case JobRole:
        return QVariant::fromValue(const_cast<TransferJob *>(job));
    case IsItemRole:
        return false;
    case CurrentBytesRole:
        return job->current();
    case TotalBytesRole:
        return job->total();
    case ErrorDetailsRole:
        return job->errorString();
    case Qt::ToolTipRole:
        return jobToolTip(job);
    case Qt::AccessibleTextRole:
        if (column == ProgressColumn) {
            const double f = job->fraction();
            return f < 0 ? tr("%1, progress unknown").arg(job->title())
                         : tr("%1, %2 percent").arg(job->title()).arg(qRound(f * 100));
        }
        return data(indexOf(job, column), Qt::DisplayRole);
    case Qt::TextAlignmentRole:
        if (column == SizeColumn || column == SpeedColumn || column == EtaColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        return jobDisplay(job, column);
    case RawValueRole:
        return jobRawValue(job, column);
    default:
        return {};
    }
}

QString TransfersModel::jobToolTip(const TransferJob *job) const
{
    if (job->state() == TransferJob::State::Failed) {
        const QString words = statusOf(job);
        return words == job->errorString() ? words
                                           : tr("%1\n\nDetails: %2").arg(words, job->errorString());
    }
    if (!job->outputFile().isEmpty())
        return job->outputFile();
    return job->title();
}

QVariant TransfersModel::jobDisplay(const TransferJob *job, int column) const
{
    switch (Column(column)) {
    case NameColumn:
        return job->title();
    case StateColumn:
        return TransferJob::stateName(job->state());
    case ProgressColumn: {
        const double f = job->fraction();
        return f < 0 ? QString() : tr("%1%").arg(qRound(f * 100));
    }
    case SizeColumn:
        return sizeText(job->current(), job->total());
    case SpeedColumn:
        return job->state() == TransferJob::State::Running && job->speed() >= 1
                   ? tr("%1/s").arg(formatSize(qint64(job->speed())))
                   : QString();
    case EtaColumn:
        return job->etaSeconds() >= 0 ? formatDuration(job->etaSeconds()) : QString();
    case StatusColumn:
        return statusOf(job);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TransfersModel::jobRawValue(const TransferJob *job, int column) const
{
    switch (Column(column)) {
    case NameColumn:
        return job->title();
    case StateColumn:
        return int(job->state());
    case ProgressColumn:
        return job->fraction();
    case SizeColumn:
        return job->current();
    case SpeedColumn:
        return job->speed();
    case EtaColumn:
        return job->etaSeconds();
    case StatusColumn:
        return job->statusText();
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TransfersModel::itemData(const TransferJob *job, int row, int column, int role) const
{
    const TransferJob::Item item = job->item(row);
    const double fraction = item.total > 0
                                ? std::clamp(double(item.current) / double(item.total), 0.0, 1.0)
                                : (item.state == TransferProgress::State::Done ? 1.0 : -1.0);
    switch (role) {
    case JobRole:
        return QVariant::fromValue(const_cast<TransferJob *>(job));
    case IsItemRole:
        return true;
    case CurrentBytesRole:
        return item.current;
    case TotalBytesRole:
        return item.total;
    case Qt::ToolTipRole:
        return item.message.isEmpty() ? item.name : item.name + u'\n' + item.message;
    case Qt::TextAlignmentRole:
        if (column == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (Column(column)) {
        case NameColumn:
            return shortItemName(item.name);
        case StateColumn:
            return TransferJob::itemStateName(item.state);
        case ProgressColumn:
            return fraction < 0 ? QString() : tr("%1%").arg(qRound(fraction * 100));
        case SizeColumn:
            return sizeText(item.current, item.total);
        case StatusColumn:
            return item.message;
        default:
            return {};
        }
    case RawValueRole:
        switch (Column(column)) {
        case NameColumn:
            return item.name;
        case StateColumn:
            return int(item.state);
        case ProgressColumn:
            return fraction;
        case SizeColumn:
            return item.current;
        case StatusColumn:
            return item.message;
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant TransfersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Transfer");
    case StateColumn:
        return tr("State");
    case ProgressColumn:
        return tr("Progress");
    case SizeColumn:
        return tr("Size");
    case SpeedColumn:
        return tr("Speed");
    case EtaColumn:
        return tr("Time left");
    case StatusColumn:
        return tr("Status");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> TransfersModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(RawValueRole, "rawValue");
    names.insert(JobRole, "job");
    names.insert(CurrentBytesRole, "currentBytes");
    names.insert(TotalBytesRole, "totalBytes");
    names.insert(IsItemRole, "isItem");
    names.insert(ErrorDetailsRole, "errorDetails");
    return names;
}

void TransfersModel::addJob(TransferJob *job)
{
    if (m_jobs.contains(job))
        return;
    const int row = int(m_jobs.size());
    beginInsertRows({}, row, row);
    m_jobs.append(job);
    endInsertRows();

    const auto jobChanged = [this, job](int firstColumn, int lastColumn) {
        const QModelIndex first = indexOf(job, firstColumn);
        if (first.isValid())
            emit dataChanged(first, indexOf(job, lastColumn));
    };
    connect(job, &TransferJob::progressChanged, this, [jobChanged] {
        jobChanged(StateColumn, ColumnCount - 1);
    });
    connect(
        job, &TransferJob::stateChanged, this, [jobChanged] { jobChanged(0, ColumnCount - 1); });
    connect(job, &TransferJob::itemsAboutToBeInserted, this, [this, job](int first, int last) {
        beginInsertRows(indexOf(job), first, last);
    });
    connect(job, &TransferJob::itemsInserted, this, [this] { endInsertRows(); });
    connect(job, &TransferJob::itemChanged, this, [this, job](int itemRow) {
        const QModelIndex parent = indexOf(job);
        emit dataChanged(index(itemRow, 0, parent), index(itemRow, ColumnCount - 1, parent));
    });
    connect(job, &TransferJob::itemsAboutToBeReset, this, [this, job] {
        if (job->itemCount() == 0)
            return;
        beginRemoveRows(indexOf(job), 0, job->itemCount() - 1);
        m_resetting.insert(job);
    });
    connect(job, &TransferJob::itemsReset, this, [this, job] {
        if (m_resetting.remove(job))
            endRemoveRows();
    });
}

void TransfersModel::removeJob(TransferJob *job)
{
    const qsizetype row = m_jobs.indexOf(job);
    if (row < 0)
        return;
    job->disconnect(this);
    beginRemoveRows({}, int(row), int(row));
    m_jobs.removeAt(row);
    endRemoveRows();
}

} // namespace Berth
