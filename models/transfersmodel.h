#pragma once

#include <QAbstractItemModel>
#include <QList>
#include <QPointer>
#include <QSet>

#include <functional>

namespace Berth {

class TransferJob;
class TransferManager;

// Every job of a TransferManager, newest last; each job's items (layers, archive entries) are its
// children. Display text is formatted for people; RawValueRole gives the value to sort and paint
// with (fraction 0..1 or -1, bytes, bytes per second, seconds or -1, state as int).
class TransfersModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        StateColumn,
        ProgressColumn,
        SizeColumn,
        SpeedColumn,
        EtaColumn,
        StatusColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = Qt::UserRole + 1,
        JobRole,          // the TransferJob* of the row (a layer row: its job)
        CurrentBytesRole, // qint64
        TotalBytesRole,   // qint64, -1 when unknown
        IsItemRole,       // true on a layer row
        ErrorDetailsRole, // a failed job: its error as the backend gave it, for bug reports
    };
    Q_ENUM(Role)

    explicit TransfersModel(TransferManager *manager, QObject *parent = nullptr);
    ~TransfersModel() override;

    // How a failed job's status reads (its tooltip adds the raw error). The widgets give the
    // words ErrorAdvice has for it; without them, the error's own message.
    using FailureWords = std::function<QString(const TransferJob *job)>;
    void setFailureWords(FailureWords words);

    TransferManager *manager() const;
    TransferJob *job(const QModelIndex &index) const;
    QModelIndex indexOf(const TransferJob *job, int column = 0) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void addJob(TransferJob *job);
    void removeJob(TransferJob *job);
    QVariant jobData(const TransferJob *job, int column, int role) const;
    QString jobToolTip(const TransferJob *job) const;
    QVariant jobDisplay(const TransferJob *job, int column) const;
    QVariant jobRawValue(const TransferJob *job, int column) const;
    QVariant itemData(const TransferJob *job, int row, int column, int role) const;
    QString statusOf(const TransferJob *job) const;

    QPointer<TransferManager> m_manager;
    QList<TransferJob *> m_jobs;
    QSet<const TransferJob *> m_resetting;
    FailureWords m_failureWords;
};

} // namespace Berth
