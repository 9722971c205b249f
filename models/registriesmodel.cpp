#include "registriesmodel.h"

#include "reference/imagereference.h"

#include <QHostAddress>
#include <QSettings>

namespace Berth {

RegistriesModel::RegistriesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    load();
}

void RegistriesModel::load()
{
    QSettings settings;
    const QList<Registry> loaded = RegistrySettings::load(settings);
    if (loaded == m_registries)
        return;
    beginResetModel();
    m_registries = loaded;
    endResetModel();
    emit registriesChanged();
}

void RegistriesModel::save() const
{
    QSettings settings;
    RegistrySettings::save(settings, m_registries);
}

void RegistriesModel::setRegistries(const QList<Registry> &registries)
{
    if (registries == m_registries)
        return;
    beginResetModel();
    m_registries = registries;
    endResetModel();
    save();
    emit registriesChanged();
}

QStringList RegistriesModel::insecureRegistries() const
{
    return RegistrySettings::insecureHosts(m_registries);
}

bool RegistriesModel::isLoopback(const QString &host)
{
    QString name = host;
    if (name.startsWith(u'[')) {
        name = name.mid(1, name.indexOf(u']') - 1);
    } else if (const qsizetype colon = name.lastIndexOf(u':'); colon >= 0) {
        name = name.left(colon);
    }
    if (name == u"localhost")
        return true;
    const QHostAddress address(name);
    return !address.isNull() && address.isLoopback();
}

Result<QString> RegistriesModel::validateHost(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(Error::Kind::InvalidArgument,
                    tr("Enter the registry's address, e.g. registry.example.com or "
                       "localhost:5000."));
    const auto host = RegistrySettings::normalizedHost(trimmed);
    if (!host)
        return fail(Error::Kind::InvalidArgument,
                    tr("'%1' is not a registry address: use a host name with a dot or a port "
                       "(registry.example.com, myhost:5000) or localhost.")
                        .arg(trimmed));
    return *host;
}

Status RegistriesModel::addRegistry(const QString &text, bool insecure)
{
    const auto host = validateHost(text);
    if (!host)
        return fail(host.error());
    if (*host == ImageReference::dockerHubDomain())
        return fail(Error::Kind::InvalidArgument, tr("Docker Hub is always in the list."));
    if (find(*host) >= 0)
        return fail(Error::Kind::InvalidArgument, tr("%1 is already in the list.").arg(*host));
    const int row = int(m_registries.size()) + 1;
    beginInsertRows({}, row, row);
    m_registries.append({*host, insecure});
    endInsertRows();
    save();
    emit registriesChanged();
    return {};
}

bool RegistriesModel::removeRegistry(int row)
{
    if (row < 1 || row > int(m_registries.size()))
        return false;
    beginRemoveRows({}, row, row);
    m_registries.removeAt(row - 1);
    endRemoveRows();
    save();
    emit registriesChanged();
    return true;
}

bool RegistriesModel::setInsecure(int row, bool insecure)
{
    if (row < 1 || row > int(m_registries.size()))
        return false;
    Registry &r = m_registries[row - 1];
    if (r.insecure == insecure)
        return true;
    r.insecure = insecure;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    save();
    emit registriesChanged();
    return true;
}

int RegistriesModel::find(const QString &host) const
{
    const QString wanted = ImageReference::normalizeRegistry(host);
    if (wanted == ImageReference::dockerHubDomain())
        return 0;
    for (int i = 0; i < int(m_registries.size()); ++i) {
        if (m_registries.at(i).host == wanted)
            return i + 1;
    }
    return -1;
}

int RegistriesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_registries.size()) + 1;
}

int RegistriesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags RegistriesModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == PlainHttpColumn && index.row() > 0)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant RegistriesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const bool hub = index.row() == 0;
    const Registry r = hub ? Registry{ImageReference::dockerHubDomain(), false}
                           : m_registries.at(index.row() - 1);
    switch (role) {
    case HostRole:
        return r.host;
    case InsecureRole:
        return r.insecure;
    case RemovableRole:
        return !hub;
    case Qt::CheckStateRole:
        if (index.column() == PlainHttpColumn && !hub)
            return r.insecure ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        if (index.column() == NameColumn)
            return hub ? tr("Docker Hub") : r.host;
        if (role == Qt::AccessibleTextRole)
            return r.insecure ? tr("Plain HTTP allowed") : tr("HTTPS only");
        return {};
    case Qt::ToolTipRole:
        if (index.column() == PlainHttpColumn)
            return hub ? tr("Docker Hub is only reached over HTTPS.")
                       : tr("Allow plain HTTP and unverified certificates for %1. Only for "
                            "registries on your own machine or network.")
                             .arg(r.host);
        return r.host;
    case RawValueRole:
        return index.column() == NameColumn ? QVariant(r.host) : QVariant(r.insecure);
    default:
        return {};
    }
}

bool RegistriesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || index.column() != PlainHttpColumn || index.row() == 0)
        return false;
    if (role == Qt::CheckStateRole)
        return setInsecure(index.row(), value.value<Qt::CheckState>() == Qt::Checked);
    if (role == InsecureRole || role == Qt::EditRole)
        return setInsecure(index.row(), value.toBool());
    return false;
}

QVariant RegistriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Registry");
    case PlainHttpColumn:
        return tr("Allow plain HTTP");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> RegistriesModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(RawValueRole, "rawValue");
    names.insert(HostRole, "host");
    names.insert(InsecureRole, "insecure");
    names.insert(RemovableRole, "removable");
    return names;
}

} // namespace Berth
