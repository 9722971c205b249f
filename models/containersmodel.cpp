#include "containersmodel.h"

#include "common/guarded.h"
#include "common/humanize.h"

#include <QLocale>

namespace Berth {

ContainersModel::ContainersModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ContainersModel::setBackend(ImageBackend *backend)
{
    if (m_backend == backend)
        return;
    ++m_generation;
    if (m_backend)
        disconnect(m_backend, nullptr, this, nullptr);
    m_backend = backend;
    beginResetModel();
    m_containers.clear();
    endResetModel();
    m_error.clear();
    setLoading(false);
    if (isSupported()) {
        connect(backend, &ImageBackend::containersChanged, this, &ContainersModel::refresh);
        backend->startWatching();
    }
}

QString ContainersModel::displayName(const LocalContainer &container)
{
    QString name = container.names.value(0);
    if (name.startsWith(u'/'))
        name.remove(0, 1);
    return name.isEmpty() ? container.id.left(12) : name;
}

int ContainersModel::find(const QString &idOrName) const
{
    if (idOrName.isEmpty())
        return -1;
    for (int row = 0; row < int(m_containers.size()); ++row) {
        const LocalContainer &c = m_containers.at(row);
        if (c.id == idOrName || (idOrName.size() >= 4 && c.id.startsWith(idOrName))
            || displayName(c) == idOrName || c.names.contains(idOrName))
            return row;
    }
    return -1;
}

void ContainersModel::refresh()
{
    if (!isSupported()) {
        // Nothing to list is not an error: the embedded store simply has no containers.
        apply({});
        emit refreshed();
        return;
    }
    const quint64 generation = ++m_generation;
    setLoading(true);
    m_backend->listContainers(
        guarded(this, [this, generation](Result<QList<LocalContainer>> containers) {
            if (m_generation != generation)
                return;
            setLoading(false);
            if (!containers) {
                m_error = containers.error().message;
                emit refreshFailed(m_error);
                return;
            }
            m_error.clear();
            apply(std::move(*containers));
            emit refreshed();
        }));
}

void ContainersModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void ContainersModel::apply(QList<LocalContainer> containers)
{
    std::stable_sort(
        containers.begin(), containers.end(), [](const LocalContainer &a, const LocalContainer &b) {
            return a.created > b.created;
        });
    QHash<QString, qsizetype> incoming;
    for (qsizetype i = 0; i < containers.size(); ++i)
        incoming.insert(containers.at(i).id, i);
    for (int row = int(m_containers.size()) - 1; row >= 0; --row) {
        if (incoming.contains(m_containers.at(row).id))
            continue;
        beginRemoveRows({}, row, row);
        m_containers.removeAt(row);
        endRemoveRows();
    }
    QSet<QString> known;
    for (int row = 0; row < int(m_containers.size()); ++row) {
        const QString id = m_containers.at(row).id;
        known.insert(id);
        m_containers[row] = containers.at(incoming.value(id));
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    QList<LocalContainer> added;
    for (const LocalContainer &c : std::as_const(containers)) {
        if (!known.contains(c.id))
            added.append(c);
    }
    if (!added.isEmpty()) {
        const int first = int(m_containers.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_containers.append(added);
        endInsertRows();
    }
}

int ContainersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_containers.size());
}

int ContainersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContainersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LocalContainer &c = m_containers.at(index.row());
    switch (role) {
    case IdRole:
        return c.id;
    case RunningRole:
        return c.state == u"running";
    case Qt::ToolTipRole:
        if (index.column() == IdColumn)
            return c.id;
        if (index.column() == CreatedColumn)
            return QLocale().toString(c.created.toLocalTime(), QLocale::LongFormat);
        return c.names.join(u", ");
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (Column(index.column())) {
        case NameColumn:
            return displayName(c);
        case ImageColumn:
            return c.image;
        case StateColumn:
            return c.state;
        case StatusColumn:
            return c.status;
        case CreatedColumn:
            return formatAge(c.created);
        case IdColumn:
            return c.id.left(12);
        case CommandColumn:
            return c.command;
        case ColumnCount:
            break;
        }
        return {};
    case RawValueRole:
        switch (Column(index.column())) {
        case NameColumn:
            return displayName(c);
        case ImageColumn:
            return c.image;
        case StateColumn:
            return c.state;
        case StatusColumn:
            return c.status;
        case CreatedColumn:
            return c.created;
        case IdColumn:
            return c.id;
        case CommandColumn:
            return c.command;
        case ColumnCount:
            break;
        }
        return {};
    default:
        return {};
    }
}

QVariant ContainersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case ImageColumn:
        return tr("Image");
    case StateColumn:
        return tr("State");
    case StatusColumn:
        return tr("Status");
    case CreatedColumn:
        return tr("Created");
    case IdColumn:
        return tr("Container ID");
    case CommandColumn:
        return tr("Command");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> ContainersModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(RawValueRole, "rawValue");
    names.insert(IdRole, "containerId");
    names.insert(RunningRole, "running");
    return names;
}

} // namespace Berth
