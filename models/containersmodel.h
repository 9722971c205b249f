#pragma once

#include "store/imagebackend.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace Berth {

// The containers of an engine backend (Docker, Podman), running or not. The embedded store has
// none: isSupported() is false and the model stays empty. refresh() updates rows in place; the
// model refreshes itself when the engine reports containers made, started, stopped or removed.
class ContainersModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        ImageColumn,
        StateColumn,
        StatusColumn,
        CreatedColumn,
        IdColumn,
        CommandColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RawValueRole = Qt::UserRole + 1,
        IdRole,      // the full container ID
        RunningRole, // bool
    };
    Q_ENUM(Role)

    explicit ContainersModel(QObject *parent = nullptr);

    ImageBackend *backend() const { return m_backend; }
    void setBackend(ImageBackend *backend);
    bool isSupported() const { return m_backend && m_backend->hasContainers(); }

    bool isLoading() const { return m_loading; }
    QString errorString() const { return m_error; }

    LocalContainer container(int row) const { return m_containers.value(row); }
    // By full or short ID, or by name.
    int find(const QString &idOrName) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant
    headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The name docker users know a container by: its first name without the leading '/'.
    static QString displayName(const LocalContainer &container);

public slots:
    void refresh();

signals:
    void loadingChanged(bool loading);
    void refreshed();
    void refreshFailed(const QString &message);

private:
    void apply(QList<LocalContainer> containers);
    void setLoading(bool loading);

    QPointer<ImageBackend> m_backend;
    QList<LocalContainer> m_containers;
    quint64 m_generation = 0;
    bool m_loading = false;
    QString m_error;
};

} // namespace Berth
